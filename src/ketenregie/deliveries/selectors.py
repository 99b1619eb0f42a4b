"""Reads of deliveries: the deliveries list, the review queue, what an employer delivered, and which
covenant members are behind with their monthly delivery.

Deliveries are about organisations (who delivered, when, how many rows), not about people, so reading
them is not recorded in the audit trail. The review queue shows delivered personal data and the people
it may be: every read of it writes the audit trail here. The delivered people of a housing provider are
read through the housing page's audited selector (housing.occupants).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, DateTimeField, F, Max, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.deliveries.models import (
    DeliveredPerson,
    Delivery,
    DeliveryKind,
    MatchReview,
    RefusedDelivery,
    ReviewStatus,
)
from ketenregie.employers import selectors as employer_selectors
from ketenregie.employers.models import Covenant, CovenantMembership, Employer, MembershipStatus
from ketenregie.people.models import Person
from ketenregie.places import selectors as place_selectors
from ketenregie.places.models import Address


@dataclass(frozen=True)
class DeliveryFilter:
    kind: str = ""
    source: str = ""
    employer_id: int | None = None
    delivered_from: dt.date | None = None
    delivered_until: dt.date | None = None


def with_repeats(deliveries: QuerySet[Delivery]) -> QuerySet[Delivery]:
    """Each delivery with ``repeats_delivered_at``: when the same deliverer delivered the same kind
    just before, if that delivery's data was identical (same checksum) — a repeated delivery, as a
    covenant member that sends last month's file again. None otherwise."""
    # The deliverer is an employer or an organisation (or, from the command line, neither): compared
    # with 0 for none, as NULL = NULL is not true in SQL.
    previous = (
        Delivery.objects.annotate(
            employer_key=Coalesce("employer_id", 0), organisation_key=Coalesce("organisation_id", 0)
        )
        .filter(
            municipality=OuterRef("municipality"),
            kind=OuterRef("kind"),
            employer_key=Coalesce(OuterRef("employer_id"), 0),
            organisation_key=Coalesce(OuterRef("organisation_id"), 0),
            delivered_at__lt=OuterRef("delivered_at"),
        )
        .order_by("-delivered_at", "-pk")
    )
    return deliveries.annotate(
        previous_checksum=Subquery(previous.values("checksum")[:1]),
        previous_delivered_at=Subquery(previous.values("delivered_at")[:1]),
    ).annotate(
        repeats_delivered_at=Case(
            When(
                ~Q(checksum="") & Q(checksum=F("previous_checksum")),
                then=F("previous_delivered_at"),
            ),
            default=None,
            output_field=DateTimeField(),
        )
    )


def delivery_list(*, actor: Actor, filters: DeliveryFilter) -> QuerySet[Delivery]:
    """Who delivered what and when: organisations and counts, no personal data."""
    actor.require(Capability.VIEW_REGISTERS)
    deliveries = with_repeats(
        Delivery.objects.filter(municipality=actor.municipality).select_related(
            "employer", "organisation", "covenant"
        )
    )
    if filters.kind:
        deliveries = deliveries.filter(kind=filters.kind)
    if filters.source:
        deliveries = deliveries.filter(source=filters.source)
    if filters.employer_id:
        deliveries = deliveries.filter(employer_id=filters.employer_id)
    if filters.delivered_from:
        deliveries = deliveries.filter(delivered_at__date__gte=filters.delivered_from)
    if filters.delivered_until:
        deliveries = deliveries.filter(delivered_at__date__lte=filters.delivered_until)
    return deliveries


def refused_deliveries(*, actor: Actor, filters: DeliveryFilter, limit: int = 25) -> list[RefusedDelivery]:
    """The most recent refused deliveries: who tried, what kind, how many rows and problems. Counts
    only, no personal data, so not audited (like the deliveries themselves)."""
    actor.require(Capability.VIEW_REGISTERS)
    refused = RefusedDelivery.objects.filter(municipality=actor.municipality).select_related(
        "employer", "organisation"
    )
    if filters.kind:
        refused = refused.filter(kind=filters.kind)
    if filters.employer_id:
        refused = refused.filter(employer_id=filters.employer_id)
    if filters.delivered_from:
        refused = refused.filter(refused_at__date__gte=filters.delivered_from)
    if filters.delivered_until:
        refused = refused.filter(refused_at__date__lte=filters.delivered_until)
    return list(refused[:limit])


def deliverers(*, actor: Actor) -> QuerySet[Employer]:
    """The employers, agencies and housing providers that can be named as deliverer."""
    return employer_selectors.deliverer_options(actor=actor)


def delivering_employers(*, actor: Actor) -> QuerySet[Employer]:
    """The employers that delivered at least once, for the filter of the deliveries list."""
    actor.require(Capability.VIEW_REGISTERS)
    ids = (
        Delivery.objects.filter(municipality=actor.municipality, employer__isnull=False)
        .values_list("employer_id", flat=True)
        .distinct()
    )
    return employer_selectors.employers_by_ids(actor=actor, employer_ids=ids)


@dataclass(frozen=True)
class ReviewFilter:
    status: str = ReviewStatus.OPEN
    source: str = ""
    employer_id: int | None = None
    delivery_id: int | None = None


def review_page(*, actor: Actor, filters: ReviewFilter, page_number: str | None, per_page: int = 25) -> Page:
    """A page of the review queue; each review shown is recorded in the audit trail."""
    actor.require(Capability.VIEW_PERSONAL_DATA)
    actor.require(Capability.EDIT_PEOPLE)
    reviews = MatchReview.objects.filter(municipality=actor.municipality).select_related(
        "delivery__employer", "delivery__organisation"
    )
    if filters.status:
        reviews = reviews.filter(status=filters.status)
    if filters.source:
        reviews = reviews.filter(delivery__source=filters.source)
    if filters.employer_id:
        reviews = reviews.filter(delivery__employer_id=filters.employer_id)
    if filters.delivery_id:
        reviews = reviews.filter(delivery_id=filters.delivery_id)
    page = Paginator(reviews, per_page).get_page(page_number)
    audit.record_views(actor, objects=list(page.object_list), context="review queue")
    return page


@dataclass(frozen=True)
class ReviewDetail:
    review: MatchReview
    candidates: list[Person]
    address: Address | None


def review_get(*, actor: Actor, review_id: int) -> ReviewDetail:
    """One review with the people it may be, beside the delivered values; all recorded as viewed."""
    actor.require(Capability.VIEW_PERSONAL_DATA)
    actor.require(Capability.EDIT_PEOPLE)
    review = (
        MatchReview.objects.filter(municipality=actor.municipality, pk=review_id)
        .select_related("delivery__employer", "delivery__organisation", "person", "decided_by")
        .first()
    )
    if review is None:
        raise Http404
    candidates = list(
        review.candidates.filter(municipality=actor.municipality).prefetch_related("residences__address")
    )
    address = place_selectors.address_find_by_id(actor=actor, address_id=review.values.get("address_id"))
    audit.record_view(actor, obj=review, context="review")
    audit.record_views(actor, objects=candidates, context="review candidate")
    return ReviewDetail(review=review, candidates=candidates, address=address)


# ---------------------------------------------------------------------------------------------------
# The monthly rule of the covenant


def grace_days() -> int:
    return int(settings.DELIVERY_GRACE_DAYS)


def delivery_due_since(on: dt.date, grace: int | None = None) -> dt.date:
    """The day from which a covenant member must have delivered, looked at on ``on``.

    Members deliver every calendar month. On ``on``, the latest month whose deadline has passed is the
    previous calendar month once more than ``grace`` days of this month have gone by, and the month
    before that until then. The member is overdue when it has delivered nothing since the first day of
    that month. So a delivery made on 3 February covers February; if nothing follows, the member is
    overdue from 1 April + grace (11 April with 10 days' grace).
    """
    grace = grace_days() if grace is None else grace
    previous = (on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if on.day > grace:
        return previous
    return (previous - dt.timedelta(days=1)).replace(day=1)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def owes_deliveries(membership: CovenantMembership, due_since: dt.date) -> bool:
    """A member owes a delivery for a month it was a member from the start of: the first full month."""
    return membership.status != MembershipStatus.TERMINATED and membership.joined_on <= due_since


def is_overdue(
    membership: CovenantMembership, last_delivered_at: dt.datetime | None, *, on: dt.date | None = None
) -> bool:
    """THE rule (docs/deliveries-employments.md): one place, used by the employer page and the overview."""
    due_since = delivery_due_since(on or timezone.localdate())
    if not owes_deliveries(membership, due_since):
        return False
    return last_delivered_at is None or last_delivered_at < _start_of(due_since)


@dataclass(frozen=True)
class DeliveryStatus:
    membership: CovenantMembership | None
    last_delivered_at: dt.datetime | None
    due_since: dt.date
    overdue: bool


def employer_deliveries(*, actor: Actor, employer: Employer, limit: int = 24) -> list[Delivery]:
    actor.require(Capability.VIEW_REGISTERS)
    return list(
        with_repeats(Delivery.objects.filter(municipality=actor.municipality, employer=employer))
        .select_related("covenant")
        .order_by("-delivered_at", "-pk")[:limit]
    )


def employer_delivery_status(
    *, actor: Actor, employer: Employer, on: dt.date | None = None
) -> DeliveryStatus:
    actor.require(Capability.VIEW_REGISTERS)
    on = on or timezone.localdate()
    membership = employer_selectors.active_covenant_membership(actor=actor, employer=employer)
    last = Delivery.objects.filter(municipality=actor.municipality, employer=employer).aggregate(
        last=Max("delivered_at")
    )["last"]
    return DeliveryStatus(
        membership=membership,
        last_delivered_at=last,
        due_since=delivery_due_since(on),
        overdue=membership is not None and is_overdue(membership, last, on=on),
    )


# ---------------------------------------------------------------------------------------------------
# Which covenant members are behind


@dataclass(frozen=True)
class MemberDeliveryRow:
    membership: CovenantMembership
    last_delivered_at: dt.datetime | None
    overdue: bool

    @property
    def employer(self) -> Employer:
        return self.membership.employer


BEHIND_SORTS = {
    "name": lambda row: (row.employer.name.lower(), row.membership.pk),
    "last": lambda row: (row.last_delivered_at is not None, row.last_delivered_at or timezone.now()),
}


def covenant_delivery_overview(
    *,
    actor: Actor,
    covenant: Covenant,
    status: str = "",
    sort: str = "name",
    on: dt.date | None = None,
) -> list[MemberDeliveryRow]:
    """Every active member of the covenant with its last delivery and whether it is overdue.

    ``status`` "overdue" or "on_time" narrows the list; ``sort`` is "name" or "last" (oldest
    delivery, or none at all, first).
    """
    actor.require(Capability.MANAGE_COVENANT)
    on = on or timezone.localdate()
    memberships = employer_selectors.covenant_active_memberships(actor=actor, covenant=covenant)
    last: dict[int, dt.datetime] = dict(
        Delivery.objects.filter(
            municipality=actor.municipality, employer_id__in=[m.employer_id for m in memberships]
        )
        .values("employer_id")
        .annotate(last=Max("delivered_at"))
        .values_list("employer_id", "last")
    )
    rows = [
        MemberDeliveryRow(
            membership=m,
            last_delivered_at=last.get(m.employer_id),
            overdue=is_overdue(m, last.get(m.employer_id), on=on),
        )
        for m in memberships
    ]
    if status == "overdue":
        rows = [row for row in rows if row.overdue]
    elif status == "on_time":
        rows = [row for row in rows if not row.overdue]
    return sorted(rows, key=BEHIND_SORTS.get(sort, BEHIND_SORTS["name"]))


def covenant_delivery_export(
    *, actor: Actor, covenant: Covenant, status: str = "", sort: str = "name", file_format: str
) -> list[MemberDeliveryRow]:
    """The overview as handed out in a file: one audit event with its filters and row count, like
    every other export."""
    rows = covenant_delivery_overview(actor=actor, covenant=covenant, status=status, sort=sort)
    audit.record_export(
        actor,
        model=CovenantMembership,
        count=len(rows),
        file_format=file_format,
        filters={"covenant": covenant.pk, "status": status, "sort": sort},
    )
    return rows


# ---------------------------------------------------------------------------------------------------
# A housing provider's delivered occupants (read by housing.occupants, which audits them)


def latest_occupant_delivery(*, actor: Actor, provider: Employer) -> Delivery | None:
    """The provider's most recent labour-migrant delivery."""
    actor.require(Capability.VIEW_REGISTERS)
    return (
        Delivery.objects.filter(
            municipality=actor.municipality, employer=provider, kind=DeliveryKind.LABOUR_MIGRANTS
        )
        .order_by("-delivered_at", "-pk")
        .first()
    )


def delivered_person_ids_at(*, actor: Actor, delivery: Delivery, address_ids: list[int]) -> list[int]:
    """The people ``delivery`` placed at these addresses (ids only; rows waiting for review have no
    person yet). The caller that shows them audits them (housing.occupants)."""
    actor.require(Capability.VIEW_REGISTERS)
    return list(
        DeliveredPerson.objects.filter(
            municipality=actor.municipality,
            delivery=delivery,
            address_id__in=address_ids,
            person__isnull=False,
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
