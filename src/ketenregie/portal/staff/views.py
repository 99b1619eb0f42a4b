"""Staff pages about the portal: information pages per language, and the queue of self-service reports
that civil affairs checks (enforcement sees those that point at overcrowding)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.permissions import Capability
from ketenregie.people import selectors as people_selectors
from ketenregie.portal import selectors, services
from ketenregie.portal.markdown import render_markdown
from ketenregie.portal.models import ORIGINAL_LANGUAGE, ReviewStatus
from ketenregie.portal.staff.forms import (
    NewPageForm,
    PageForm,
    ReportFilterForm,
    ReviewForm,
    TranslationForm,
)
from ketenregie.portal.staff.labels import (
    CHANNEL_LABELS,
    FLAG_LABELS,
    REPORTER_LABELS,
    REVIEW_LABELS,
    TOPIC_LABELS,
)
from ketenregie.web.decorators import staff_view

LANGUAGE_NAMES = dict(settings.LANGUAGES)


@staff_view(Capability.MANAGE_INFO_PAGES)
def page_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    rows = selectors.page_overview(actor=actor)
    return render(
        request,
        "portal/staff/page_list.html",
        {"rows": rows, "languages": settings.LANGUAGES, "topics": TOPIC_LABELS},
    )


@staff_view(Capability.MANAGE_INFO_PAGES)
def page_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = NewPageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            page = services.page_create(
                actor=actor,
                slug=data["slug"],
                topic=data["topic"],
                position=data["position"],
                is_published=data["is_published"],
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The page is created. Add its translations."))
            return redirect("portal_staff:page_edit", page_id=page.pk)
    return render(request, "portal/staff/page_form.html", {"form": form, "page": None})


@staff_view(Capability.MANAGE_INFO_PAGES)
def page_edit(request: HttpRequest, actor: Actor, page_id: int) -> HttpResponse:
    page = selectors.page_get(actor=actor, page_id=page_id)
    initial = {
        "version": page.version,
        "slug": page.slug,
        "topic": page.topic,
        "position": page.position,
        "is_published": page.is_published,
    }
    form = PageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            services.page_update(actor=actor, page=page, expected_version=version, **data)
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("portal_staff:page_edit", page_id=page.pk)
    status = next((row for row in selectors.page_overview(actor=actor) if row.page.pk == page.pk), None)
    return render(request, "portal/staff/page_form.html", {"form": form, "page": page, "status": status})


@staff_view(Capability.MANAGE_INFO_PAGES)
def translation_edit(request: HttpRequest, actor: Actor, page_id: int, language: str) -> HttpResponse:
    if language not in LANGUAGE_NAMES:
        raise Http404("no such language")
    page = selectors.page_get(actor=actor, page_id=page_id)
    translation = selectors.page_translation(actor=actor, page=page, language=language)
    original = selectors.page_translation(actor=actor, page=page, language=ORIGINAL_LANGUAGE)
    if language != ORIGINAL_LANGUAGE and original is None:
        messages.error(request, _("Write the Dutch text first: it is the original of every translation."))
        return redirect("portal_staff:page_edit", page_id=page.pk)
    initial = (
        {
            "version": translation.version,
            "title": translation.title,
            "summary": translation.summary,
            "body": translation.body,
            "matches_original": True,
        }
        if translation
        else {"matches_original": True}
    )
    form = TranslationForm(request.POST or None, initial=initial)
    if language == ORIGINAL_LANGUAGE:
        del form.fields["matches_original"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.translation_save(
                actor=actor,
                page=page,
                language=language,
                expected_version=data["version"] if translation else None,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                matches_original=data.get("matches_original", True),
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The text is saved."))
            return redirect("portal_staff:page_edit", page_id=page.pk)
    return render(
        request,
        "portal/staff/translation_form.html",
        {
            "form": form,
            "page": page,
            "language": language,
            "language_name": LANGUAGE_NAMES[language],
            "translation": translation,
            "original": original if language != ORIGINAL_LANGUAGE else None,
            "original_html": mark_safe(render_markdown(original.body)) if original else "",  # noqa: S308
            "outdated": bool(translation and translation.is_outdated(original)),
        },
    )


def _can_see_reports(actor: Actor) -> bool:
    return actor.can(Capability.HANDLE_SELF_SERVICE_REPORTS) or actor.can(Capability.VIEW_OVERCROWDING_FLAGS)


@staff_view()
def report_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    if not _can_see_reports(actor):
        actor.require(Capability.HANDLE_SELF_SERVICE_REPORTS)
    form = ReportFilterForm(request.GET or None)
    page = selectors.report_page(actor=actor, filters=form.to_filter(), page_number=request.GET.get("page"))
    return render(
        request,
        "portal/staff/report_list.html",
        {
            "form": form,
            "page": page,
            "flag_labels": FLAG_LABELS,
            "review_labels": REVIEW_LABELS,
            "enforcement_view": not actor.can(Capability.HANDLE_SELF_SERVICE_REPORTS),
        },
    )


@staff_view()
def report_detail(request: HttpRequest, actor: Actor, report_id: int) -> HttpResponse:
    if not _can_see_reports(actor):
        actor.require(Capability.HANDLE_SELF_SERVICE_REPORTS)
    report = selectors.report_get(actor=actor, report_id=report_id)
    can_review = (
        actor.can(Capability.HANDLE_SELF_SERVICE_REPORTS) and report.review_status == ReviewStatus.OPEN
    )
    residence = report.residence
    verifiable = residence is not None and people_selectors.residence_open_to_verdict(residence)
    form = (
        ReviewForm(
            request.POST or None,
            initial={
                "version": report.version,
                "residence_version": residence.version if residence else None,
            },
            verifiable=verifiable,
        )
        if can_review
        else None
    )
    if request.method == "POST":
        actor.require(Capability.HANDLE_SELF_SERVICE_REPORTS)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                services.report_review(
                    actor=actor,
                    report=report,
                    expected_version=data["version"],
                    note=data["note"],
                    address_status=data.get("address_status", ""),
                    method=data.get("method", ""),
                    residence_version=data.get("residence_version"),
                )
            except ConcurrentEditError as error:
                form.add_error(None, str(error.message))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The report is marked as checked."))
                return redirect("portal_staff:report_list")
    return render(
        request,
        "portal/staff/report_detail.html",
        {
            "report": report,
            "form": form,
            "flags": [FLAG_LABELS.get(flag, flag) for flag in report.flags],
            "reporter": REPORTER_LABELS.get(report.reporter, report.reporter),
            "review": REVIEW_LABELS.get(report.review_status, report.review_status),
            "channel": CHANNEL_LABELS.get(report.verified_by, report.verified_by),
            "language_name": LANGUAGE_NAMES.get(report.language, report.language),
        },
    )
