"""Reads of deliveries and the review queue. The queue shows delivered personal data and the people it
may be: every read of it writes the audit trail here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.deliveries.models import Delivery, MatchReview, ReviewStatus
from ketenregie.employers.models import Employer
from ketenregie.people.models import Person
from ketenregie.places.models import Address


@dataclass(frozen=True)
class DeliveryFilter:
    kind: str = ""
    source: str = ""
    employer_id: int | None = None
    delivered_from: dt.date | None = None
    delivered_until: dt.date | None = None


def delivery_list(*, actor: Actor, filters: DeliveryFilter) -> QuerySet[Delivery]:
    """Who delivered what and when: organisations and counts, no personal data."""
    actor.require(Capability.VIEW_REGISTERS)
    deliveries = Delivery.objects.filter(municipality=actor.municipality).select_related(
        "employer", "organisation", "covenant"
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


def deliverers(*, actor: Actor) -> QuerySet[Employer]:
    """The employers, agencies and housing providers that can be named as deliverer."""
    actor.require(Capability.DELIVER_DATA)
    return Employer.objects.filter(municipality=actor.municipality).order_by("name")


def delivering_employers(*, actor: Actor) -> QuerySet[Employer]:
    """The employers that delivered at least once, for the filter of the deliveries list."""
    actor.require(Capability.VIEW_REGISTERS)
    return (
        Employer.objects.filter(municipality=actor.municipality, deliveries__isnull=False)
        .distinct()
        .order_by("name")
    )


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
    address_id = review.values.get("address_id")
    address = (
        Address.objects.filter(municipality=actor.municipality, pk=address_id).first() if address_id else None
    )
    audit.record_view(actor, obj=review, context="review")
    audit.record_views(actor, objects=candidates, context="review candidate")
    return ReviewDetail(review=review, candidates=candidates, address=address)
