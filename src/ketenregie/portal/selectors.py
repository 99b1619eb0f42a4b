"""Reads for the portal (public pages) and for the staff who manage its pages and check its reports."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.http import Http404

from ketenregie.core import audit, retention
from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality
from ketenregie.core.paging import paginate_by_key
from ketenregie.core.permissions import Capability
from ketenregie.core.selectors import norms_for
from ketenregie.portal.languages import FALLBACK_LANGUAGES
from ketenregie.portal.models import (
    ORIGINAL_LANGUAGE,
    InfoPage,
    InfoPageTranslation,
    OutboxMessage,
    PendingVerification,
    ReviewStatus,
    SelfServiceReport,
)


class TranslationState(enum.StrEnum):
    CURRENT = "current"
    OUTDATED = "outdated"
    MISSING = "missing"


@dataclass(frozen=True)
class PageInLanguage:
    """A page as the portal shows it in one language: the text, and whether it is the visitor's."""

    page: InfoPage
    translation: InfoPageTranslation
    requested_language: str
    state: TranslationState  # of the requested language's translation
    original: InfoPageTranslation

    @property
    def is_fallback(self) -> bool:
        return self.translation.language != self.requested_language


def _choose(
    page: InfoPage, translations: dict[str, InfoPageTranslation], language: str
) -> PageInLanguage | None:
    original = translations.get(ORIGINAL_LANGUAGE)
    if original is None:
        return None
    own = translations.get(language)
    if own is None:
        state = TranslationState.MISSING
        shown = next((translations[code] for code in FALLBACK_LANGUAGES if code in translations), original)
    else:
        state = TranslationState.OUTDATED if own.is_outdated(original) else TranslationState.CURRENT
        shown = own
    return PageInLanguage(
        page=page, translation=shown, requested_language=language, state=state, original=original
    )


def _published(actor: Actor) -> QuerySet[InfoPage]:
    return InfoPage.objects.filter(municipality=actor.municipality, is_published=True).prefetch_related(
        "translations"
    )


def published_pages(*, actor: Actor, language: str) -> list[PageInLanguage]:
    """Public: every published page with the text to show in ``language`` (or its fallback)."""
    pages = []
    for page in _published(actor).order_by("position", "slug"):
        chosen = _choose(page, {t.language: t for t in page.translations.all()}, language)
        if chosen is not None:
            pages.append(chosen)
    return pages


def published_page(*, actor: Actor, slug: str, language: str) -> PageInLanguage:
    page = _published(actor).filter(slug=slug).first()
    chosen = _choose(page, {t.language: t for t in page.translations.all()}, language) if page else None
    if chosen is None:
        raise Http404("no such page")
    return chosen


@dataclass(frozen=True)
class PageStatus:
    page: InfoPage
    title: str
    states: list[tuple[str, TranslationState]]

    @property
    def needs_work(self) -> int:
        return sum(1 for _code, state in self.states if state != TranslationState.CURRENT)


def page_overview(*, actor: Actor) -> list[PageStatus]:
    """Staff: every page and the state of its translation in each portal language."""
    actor.require(Capability.MANAGE_INFO_PAGES)
    rows = []
    pages = InfoPage.objects.filter(municipality=actor.municipality).prefetch_related("translations")
    for page in pages.order_by("position", "slug"):
        translations = {t.language: t for t in page.translations.all()}
        original = translations.get(ORIGINAL_LANGUAGE)
        states = []
        for code, _name in settings.LANGUAGES:
            found = translations.get(code)
            if found is None:
                states.append((code, TranslationState.MISSING))
            elif found.is_outdated(original):
                states.append((code, TranslationState.OUTDATED))
            else:
                states.append((code, TranslationState.CURRENT))
        rows.append(PageStatus(page=page, title=original.title if original else page.slug, states=states))
    return rows


def page_get(*, actor: Actor, page_id: int) -> InfoPage:
    actor.require(Capability.MANAGE_INFO_PAGES)
    try:
        return InfoPage.objects.get(pk=page_id, municipality=actor.municipality)
    except InfoPage.DoesNotExist:
        raise Http404("page not found") from None


def page_translation(*, actor: Actor, page: InfoPage, language: str) -> InfoPageTranslation | None:
    actor.require(Capability.MANAGE_INFO_PAGES)
    return InfoPageTranslation.objects.filter(
        page=page, language=language, municipality=actor.municipality
    ).first()


# Self-service reports, for civil affairs (all) and enforcement (the overcrowding-relevant ones).


@dataclass(frozen=True)
class ReportFilter:
    review_status: str = ReviewStatus.OPEN
    flag: str = ""


def _report_queryset(*, actor: Actor, filters: ReportFilter) -> QuerySet[SelfServiceReport]:
    if actor.can(Capability.HANDLE_SELF_SERVICE_REPORTS):
        reports = SelfServiceReport.objects.filter(municipality=actor.municipality)
    else:
        actor.require(Capability.VIEW_OVERCROWDING_FLAGS)
        reports = SelfServiceReport.objects.filter(municipality=actor.municipality, for_enforcement=True)
    if filters.review_status:
        reports = reports.filter(review_status=filters.review_status)
    if filters.flag:
        # Flags are a short list per report; filtering the few flagged reports in Python would not page,
        # so the JSON list is matched as text, which works the same on PostgreSQL and SQLite.
        reports = reports.filter(flags__icontains=f'"{filters.flag}"')
    return reports.order_by("-submitted_at", "-pk")


def report_page(*, actor: Actor, filters: ReportFilter, page_number: object, per_page: int = 25) -> Page:
    page = paginate_by_key(
        _report_queryset(actor=actor, filters=filters),
        page_number=page_number,
        per_page=per_page,
        load=lambda rows: rows.select_related("person", "address"),
    )
    audit.record_views(actor, objects=[r.person for r in page.object_list], context="self_service_reports")
    return page


def report_get(*, actor: Actor, report_id: int) -> SelfServiceReport:
    queryset = _report_queryset(actor=actor, filters=ReportFilter(review_status=""))
    try:
        report = queryset.select_related("person", "address", "residence", "activity", "reviewed_by").get(
            pk=report_id
        )
    except SelfServiceReport.DoesNotExist:
        raise Http404("report not found") from None
    audit.record_view(actor, obj=report.person, context="self_service_report")
    return report


def suppression_threshold(*, actor: Actor) -> int:
    return int(norms_for(actor.municipality).suppression_threshold)


# --- retention ----------------------------------------------------------------------------------------


def retention_due_verifications(
    *, municipality: Municipality, on_or_before: dt.date
) -> tuple[QuerySet[PendingVerification], QuerySet[OutboxMessage]]:
    """Pending verifications created on or before the date, used or not, and the codes sent for them
    (the outbox); a code is valid for minutes, so nothing here is still needed."""
    before = retention.day_after(on_or_before)
    return (
        PendingVerification.objects.filter(municipality=municipality, created_at__lt=before),
        OutboxMessage.objects.filter(municipality=municipality, created_at__lt=before),
    )


def retention_due_self_service_reports(
    *, municipality: Municipality, on_or_before: dt.date
) -> QuerySet[SelfServiceReport]:
    """Self-service reports checked on or before the date, or submitted then when no check was needed.
    A report still waiting for its check stays."""
    before = retention.day_after(on_or_before)
    return SelfServiceReport.objects.filter(municipality=municipality).filter(
        Q(review_status=ReviewStatus.NOT_NEEDED, submitted_at__lt=before)
        | Q(review_status=ReviewStatus.HANDLED, reviewed_at__lt=before)
    )
