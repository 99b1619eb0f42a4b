"""Reads of meldingen. The reporter's contact details are read only through ``signal_reporter``,
which writes the audit trail; lists never load them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ketenregie.core import audit, retention
from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality
from ketenregie.core.paging import paginate_by_key
from ketenregie.core.permissions import Capability
from ketenregie.core.selectors import records_by_ids
from ketenregie.signals import services
from ketenregie.signals.models import (
    Signal,
    SignalAttachment,
    SignalCategory,
    SignalClassifier,
    SignalStatus,
)

# Never loaded by lists: personal data of the reporter.
REPORTER_FIELDS = ("reporter_name", "reporter_email", "reporter_phone")
_REFERENCE = re.compile(r"^\s*M?-?(?:\d{4}-)?0*(\d+)\s*$", re.IGNORECASE)

QUEUES = ("open", "new", "triaged", "investigating", "overdue", "needs_address", "closed", "all")


@dataclass(frozen=True)
class SignalFilter:
    queue: str = "open"
    category_id: int | None = None
    channel: str = ""
    search: str = ""
    received_from: dt.date | None = None
    received_until: dt.date | None = None


def _today() -> dt.date:
    return timezone.localdate()


def signal_keys(*, actor: Actor, filters: SignalFilter) -> QuerySet[Signal]:
    """Meldingen of the actor's municipality in a queue, in the queue's order (the cheap query to page)."""
    actor.require(Capability.VIEW_SIGNALS)
    signals = Signal.objects.filter(municipality=actor.municipality)
    queue = filters.queue if filters.queue in QUEUES else "open"
    open_filter = ~Q(status=SignalStatus.CLOSED)
    if queue == "open":
        signals = signals.filter(open_filter)
    elif queue in (SignalStatus.NEW, SignalStatus.TRIAGED, SignalStatus.INVESTIGATING, SignalStatus.CLOSED):
        signals = signals.filter(status=queue)
    elif queue == "overdue":
        signals = signals.filter(open_filter, due_on__lt=_today())
    elif queue == "needs_address":
        signals = signals.filter(open_filter, needs_address=True)
    if filters.category_id:
        # The category and its sub-categories, as ids: no join, so the queue's index serves the filter.
        family = SignalCategory.objects.filter(
            Q(pk=filters.category_id) | Q(parent_id=filters.category_id), municipality=actor.municipality
        ).values_list("pk", flat=True)
        signals = signals.filter(category_id__in=list(family))
    if filters.channel:
        signals = signals.filter(channel=filters.channel)
    if filters.received_from:
        signals = signals.filter(received_at__date__gte=filters.received_from)
    if filters.received_until:
        signals = signals.filter(received_at__date__lte=filters.received_until)
    search = filters.search.strip()
    if search:
        reference = _REFERENCE.match(search)
        if reference:
            signals = signals.filter(pk=int(reference.group(1)))
        else:
            signals = signals.filter(
                Q(address__street__icontains=search) | Q(location_text__icontains=search)
            )
    if queue in ("closed", "all"):
        return signals.order_by("-received_at", "-id")
    return signals.order_by("due_on", "id")


def load_signal_rows(signals: QuerySet[Signal]) -> QuerySet[Signal]:
    """What a row of the queue shows beyond the melding itself; applied to one page of keys only."""
    return _load_rows(signals)


def _load_rows(signals: QuerySet[Signal]) -> QuerySet[Signal]:
    return (
        signals.select_related("category__parent", "address", "suggested_category")
        .defer(*REPORTER_FIELDS)
        .annotate(linked_count=Count("duplicates"))
    )


def signal_page(*, actor: Actor, filters: SignalFilter, page_number: Any, per_page: int = 25) -> Page:
    """One page of the triage queue; meldingen carry no personal data in this view, so no audit events."""
    return paginate_by_key(
        signal_keys(actor=actor, filters=filters), page_number=page_number, per_page=per_page, load=_load_rows
    )


def signal_list(*, actor: Actor, filters: SignalFilter) -> QuerySet[Signal]:
    return _load_rows(signal_keys(actor=actor, filters=filters))


def signal_export(*, actor: Actor, filters: SignalFilter, file_format: str) -> QuerySet[Signal]:
    signals = signal_keys(actor=actor, filters=filters)
    audit.record_export(
        actor, model=Signal, count=signals.count(), file_format=file_format, filters=asdict(filters)
    )
    return signals.select_related("category__parent", "address").defer(*REPORTER_FIELDS)


@dataclass(frozen=True)
class QueueCounts:
    open: int
    new: int
    triaged: int
    investigating: int
    overdue: int
    needs_address: int


def signal_queue_counts(*, actor: Actor) -> QueueCounts:
    actor.require(Capability.VIEW_SIGNALS)
    today = _today()
    # ~Q(status=closed) is the condition of the partial index the counts are read from.
    counts = Signal.objects.filter(~Q(status=SignalStatus.CLOSED), municipality=actor.municipality).aggregate(
        open=Count("id"),
        new=Count("id", filter=Q(status=SignalStatus.NEW)),
        triaged=Count("id", filter=Q(status=SignalStatus.TRIAGED)),
        investigating=Count("id", filter=Q(status=SignalStatus.INVESTIGATING)),
        overdue=Count("id", filter=Q(due_on__lt=today)),
        needs_address=Count("id", filter=Q(needs_address=True)),
    )
    return QueueCounts(**counts)


def signals_by_ids(*, actor: Actor, ids: Sequence[object]) -> list[Signal] | None:
    """The meldingen of the actor's municipality named by ``ids``; None when any id names none of them."""
    return records_by_ids(Signal.objects.filter(municipality=actor.municipality), ids)


def signal_get(*, actor: Actor, signal_id: int) -> Signal:
    actor.require(Capability.VIEW_SIGNALS)
    try:
        return (
            Signal.objects.select_related(
                "category__parent",
                "address__neighbourhood",
                "suggested_category",
                "duplicate_of",
                "assigned_to",
                "reporter_organisation",
            )
            .defer(*REPORTER_FIELDS)
            .get(pk=signal_id, municipality=actor.municipality)
        )
    except Signal.DoesNotExist:
        raise Http404("melding not found") from None


@dataclass(frozen=True)
class ReporterContact:
    name: str
    email: str
    phone: str
    language: str
    organisation: str

    @property
    def is_anonymous(self) -> bool:
        return not (self.name or self.email or self.phone)


def signal_reporter(*, actor: Actor, signal: Signal, context: str = "signal_reporter") -> ReporterContact:
    """The reporter's contact details: personal data, so the read is recorded in the audit trail."""
    actor.require(Capability.VIEW_SIGNAL_REPORTERS)
    if signal.municipality_id != actor.municipality.pk:
        raise Http404("melding not found")
    row = Signal.objects.filter(pk=signal.pk).values(*REPORTER_FIELDS, "reporter_language").get()
    audit.record_view(actor, obj=signal, context=context)
    return ReporterContact(
        name=row["reporter_name"],
        email=row["reporter_email"],
        phone=row["reporter_phone"],
        language=row["reporter_language"],
        organisation=signal.reporter_organisation.name if signal.reporter_organisation else "",
    )


def signal_has_contact(*, actor: Actor, signal: Signal) -> bool:
    """Whether contact details were given (not what they are): decides whether the reporter is told."""
    actor.require(Capability.VIEW_SIGNALS)
    return Signal.objects.filter(pk=signal.pk).exclude(reporter_email="", reporter_phone="").exists()


def signal_duplicates(*, actor: Actor, signal: Signal) -> list[Signal]:
    actor.require(Capability.VIEW_SIGNALS)
    return list(
        Signal.objects.filter(municipality=actor.municipality, duplicate_of=signal)
        .select_related("category__parent")
        .defer(*REPORTER_FIELDS)
        .order_by("received_at", "id")
    )


def signal_attachments(*, actor: Actor, signal: Signal) -> list[SignalAttachment]:
    actor.require(Capability.VIEW_SIGNALS)
    return list(SignalAttachment.objects.filter(municipality=actor.municipality, signal=signal))


def signal_attachment_get(*, actor: Actor, signal_id: int, attachment_id: int) -> SignalAttachment:
    """One attachment for download. Photos can show people, so opening one is recorded."""
    actor.require(Capability.VIEW_SIGNALS)
    try:
        attachment = SignalAttachment.objects.get(
            pk=attachment_id, signal_id=signal_id, municipality=actor.municipality
        )
    except SignalAttachment.DoesNotExist:
        raise Http404("attachment not found") from None
    audit.record_view(actor, obj=attachment, context="signal_attachment")
    return attachment


def signal_categories(*, actor: Actor, include_inactive: bool = False) -> list[SignalCategory]:
    """Main categories followed by their sub-categories; creates the defaults on first use."""
    categories = list(SignalCategory.objects.filter(municipality=actor.municipality).select_related("parent"))
    if not categories:
        services.ensure_default_categories(actor.municipality)
        categories = list(
            SignalCategory.objects.filter(municipality=actor.municipality).select_related("parent")
        )
    if not include_inactive:
        categories = [c for c in categories if c.is_active]
    main = sorted((c for c in categories if c.parent_id is None), key=lambda c: (c.position, c.name))
    ordered: list[SignalCategory] = []
    for parent in main:
        ordered.append(parent)
        ordered.extend(
            sorted((c for c in categories if c.parent_id == parent.pk), key=lambda c: (c.position, c.name))
        )
    return ordered


def category_by_code(*, municipality: Municipality, code: str) -> SignalCategory | None:
    """The municipality's category in use with this code; the defaults are created on first use.

    Takes the municipality rather than an actor: the public submits meldingen without one.
    """
    categories = SignalCategory.objects.filter(municipality=municipality, code=code, is_active=True)
    found = categories.first()
    if found is None:
        services.ensure_default_categories(municipality)
        found = categories.first()
    return found


@dataclass(frozen=True)
class Suggestion:
    category: SignalCategory
    confidence: float

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


def signal_suggest(*, actor: Actor, text: str) -> Suggestion | None:
    """A suggested main category for a text; never applied by itself."""
    if not (actor.can(Capability.SUBMIT_SIGNALS) or actor.can(Capability.VIEW_SIGNALS)):
        actor.require(Capability.VIEW_SIGNALS)
    found = services.suggest_category(municipality=actor.municipality, text=text)
    return Suggestion(category=found[0], confidence=found[1]) if found else None


def classifier_info(*, actor: Actor) -> SignalClassifier | None:
    actor.require(Capability.VIEW_SIGNALS)
    return (
        SignalClassifier.objects.filter(municipality=actor.municipality)
        .defer("model")
        .order_by("-trained_at")
        .first()
    )


def signals_at_address(*, actor: Actor, address_id: int, limit: int = 20) -> list[Signal]:
    actor.require(Capability.VIEW_SIGNALS)
    return list(
        Signal.objects.filter(municipality=actor.municipality, address_id=address_id)
        .select_related("category__parent")
        .defer(*REPORTER_FIELDS)
        .order_by("-received_at")[:limit]
    )


def retention_due(
    *, municipality: Municipality, closed_on_or_before: dt.date, keep: QuerySet[Any] | None = None
) -> QuerySet[Signal]:
    """Closed meldingen whose retention period has passed. ``keep`` holds the ids of meldingen that must
    stay whatever their age: those linked to a case that stays (held, or not yet due itself)."""
    due = Signal.objects.filter(
        municipality=municipality,
        status=SignalStatus.CLOSED,
        closed_at__lt=retention.day_after(closed_on_or_before),
    )
    return due.exclude(pk__in=keep) if keep is not None else due
