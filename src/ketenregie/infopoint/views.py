from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.permissions import Capability
from ketenregie.infopoint import selectors, services
from ketenregie.infopoint.forms import ActivityFilterForm, ActivityForm, ContactFilterForm, ContactForm
from ketenregie.infopoint.models import Topic
from ketenregie.web.decorators import staff_view
from ketenregie.web.exports import Column, export_response
from ketenregie.web.lists import requested_export

TOPIC_LABELS = dict(Topic.choices)

CONTACT_COLUMNS = [
    Column(gettext_lazy("date"), lambda c: c.contacted_on),
    Column(gettext_lazy("information point"), lambda c: c.point.name),
    Column(gettext_lazy("channel"), lambda c: c.get_channel_display()),
    Column(gettext_lazy("language"), lambda c: c.get_language_display()),
    Column(gettext_lazy("topics"), lambda c: [str(TOPIC_LABELS[t.topic]) for t in c.topics.all()]),
    Column(gettext_lazy("referred to"), lambda c: c.get_referral_display() if c.referral else ""),
    Column(gettext_lazy("helped to an active DigiD"), lambda c: c.digid_activated),
    Column(gettext_lazy("follow-up"), lambda c: c.follow_up),
    Column(gettext_lazy("follow-up done"), lambda c: c.follow_up_done),
    # The key itself stays in the database; a short prefix lets an export count unique visitors.
    Column(gettext_lazy("visitor"), lambda c: c.visitor_key[:12]),
]
ACTIVITY_COLUMNS = [
    Column(gettext_lazy("date"), lambda a: a.held_on),
    Column(gettext_lazy("kind"), lambda a: a.get_kind_display()),
    Column(gettext_lazy("title"), lambda a: a.title),
    Column(gettext_lazy("location"), lambda a: a.location),
    Column(gettext_lazy("status"), lambda a: a.get_status_display()),
    Column(gettext_lazy("attendance"), lambda a: a.attendance),
    Column(gettext_lazy("languages"), lambda a: a.languages),
]


@staff_view(Capability.VIEW_INFOPOINT_LOG)
def contact_list(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    form = ContactFilterForm(request.GET or None, actor=actor)
    filters = form.to_filter()
    file_format = requested_export(request)
    if file_format:
        rows = selectors.contact_export(actor=actor, filters=filters, file_format=file_format)
        return export_response(
            rows=rows, columns=CONTACT_COLUMNS, file_format=file_format, filename="contacten"
        )
    page = selectors.contact_page(actor=actor, filters=filters, page_number=request.GET.get("page"))
    today = timezone.localdate()
    year_start = dt.date(today.year, 1, 1)
    figures = (
        selectors.infopoint_figures(actor=actor, start=year_start, end=today)
        if actor.can(Capability.VIEW_KEY_FIGURES)
        else None
    )
    template = (
        "infopoint/contact_list_results.html"
        if request.headers.get("HX-Request")
        else "infopoint/contact_list.html"
    )
    return render(request, template, {"form": form, "page": page, "figures": figures, "year": today.year})


def _contact_form_page(
    request: HttpRequest, actor: Actor, form: ContactForm, contact: object | None
) -> HttpResponse:
    return render(request, "infopoint/contact_form.html", {"form": form, "contact": contact})


@staff_view(Capability.EDIT_INFOPOINT_LOG)
def contact_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = ContactForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(actor=actor, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contact is recorded."))
            return redirect("infopoint:contact_list")
    return _contact_form_page(request, actor, form, None)


@staff_view(Capability.VIEW_INFOPOINT_LOG, Capability.EDIT_INFOPOINT_LOG)
def contact_edit(request: HttpRequest, actor: Actor, contact_id: int) -> HttpResponse:
    contact = selectors.contact_get(actor=actor, contact_id=contact_id, context="contact_edit")
    form = ContactForm(request.POST or None, instance=contact, actor=actor)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            services.contact_update(
                actor=actor, contact=contact, expected_version=form.cleaned_data["version"] or 0, **fields
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("infopoint:contact_list")
    return _contact_form_page(request, actor, form, contact)


@staff_view(Capability.VIEW_INFOPOINT_LOG)
def activity_list(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    form = ActivityFilterForm(request.GET or None)
    filters = form.to_filter()
    file_format = requested_export(request)
    if file_format:
        rows = selectors.activity_export(actor=actor, filters=filters, file_format=file_format)
        return export_response(
            rows=rows, columns=ACTIVITY_COLUMNS, file_format=file_format, filename="activiteiten"
        )
    page = Paginator(selectors.activity_list(actor=actor, filters=filters), 25).get_page(
        request.GET.get("page")
    )
    template = (
        "infopoint/activity_list_results.html"
        if request.headers.get("HX-Request")
        else "infopoint/activity_list.html"
    )
    return render(request, template, {"form": form, "page": page})


@staff_view(Capability.EDIT_INFOPOINT_LOG)
def activity_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = ActivityForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(actor=actor, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The activity is recorded."))
            return redirect("infopoint:activity_list")
    return render(request, "infopoint/activity_form.html", {"form": form, "activity": None})


@staff_view(Capability.VIEW_INFOPOINT_LOG, Capability.EDIT_INFOPOINT_LOG)
def activity_edit(request: HttpRequest, actor: Actor, activity_id: int) -> HttpResponse:
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    form = ActivityForm(request.POST or None, instance=activity, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                actor=actor,
                activity=activity,
                expected_version=form.cleaned_data["version"] or 0,
                **form.service_fields(),
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("infopoint:activity_list")
    return render(request, "infopoint/activity_form.html", {"form": form, "activity": activity})
