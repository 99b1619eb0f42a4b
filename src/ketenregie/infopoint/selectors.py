"""Reads of the information point's contact log and activities, and the figures the KPIs use.

Periods are inclusive at both ends: ``start=2024-01-01, end=2024-12-31`` is the year 2024.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality
from ketenregie.core.paging import paginate_by_key
from ketenregie.core.permissions import Capability
from ketenregie.infopoint.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Contact,
    ContactTopic,
    InformationPoint,
)


@dataclass(frozen=True)
class ContactFilter:
    date_from: dt.date | None = None
    date_until: dt.date | None = None
    point_id: int | None = None
    channel: str = ""
    language: str = ""
    topic: str = ""
    referral: str = ""
    open_follow_up: bool | None = None
    digid_activated: bool | None = None


def contact_keys(*, actor: Actor, filters: ContactFilter) -> QuerySet[Contact]:
    actor.require(Capability.VIEW_INFOPOINT_LOG)
    contacts = Contact.objects.filter(municipality=actor.municipality)
    if filters.date_from:
        contacts = contacts.filter(contacted_on__gte=filters.date_from)
    if filters.date_until:
        contacts = contacts.filter(contacted_on__lte=filters.date_until)
    if filters.point_id:
        contacts = contacts.filter(point_id=filters.point_id)
    if filters.channel:
        contacts = contacts.filter(channel=filters.channel)
    if filters.language:
        contacts = contacts.filter(language=filters.language)
    if filters.topic:
        contacts = contacts.filter(
            Exists(ContactTopic.objects.filter(contact_id=OuterRef("pk"), topic=filters.topic))
        )
    if filters.referral:
        contacts = contacts.filter(referral=filters.referral)
    if filters.open_follow_up is not None:
        open_follow_up = ~Q(follow_up="") & Q(follow_up_done=False)
        contacts = contacts.filter(open_follow_up if filters.open_follow_up else ~open_follow_up)
    if filters.digid_activated is not None:
        contacts = contacts.filter(digid_activated=filters.digid_activated)
    return contacts.order_by("-contacted_on", "-pk")


def _load_contacts(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    return contacts.select_related("point").prefetch_related(
        Prefetch("topics", queryset=ContactTopic.objects.order_by("topic"))
    )


def contact_page(*, actor: Actor, filters: ContactFilter, page_number: Any, per_page: int = 25) -> Page:
    """One page of the log; the log is pseudonymous but still personal data, so each row is audited."""
    page = paginate_by_key(
        contact_keys(actor=actor, filters=filters),
        page_number=page_number,
        per_page=per_page,
        load=_load_contacts,
    )
    audit.record_views(actor, objects=page.object_list, context="contact_list")
    return page


def contact_export(*, actor: Actor, filters: ContactFilter, file_format: str) -> Iterator[Contact]:
    contacts = contact_keys(actor=actor, filters=filters)
    audit.record_export(
        actor, model=Contact, count=contacts.count(), file_format=file_format, filters=asdict(filters)
    )
    return _load_contacts(contacts).iterator(chunk_size=2000)


def contact_get(*, actor: Actor, contact_id: int, context: str = "contact_detail") -> Contact:
    actor.require(Capability.VIEW_INFOPOINT_LOG)
    try:
        contact = _load_contacts(Contact.objects.filter(municipality=actor.municipality)).get(pk=contact_id)
    except Contact.DoesNotExist:
        raise Http404("contact not found") from None
    audit.record_view(actor, obj=contact, context=context)
    return contact


def information_points(*, actor: Actor, active_only: bool = True) -> QuerySet[InformationPoint]:
    points = InformationPoint.objects.filter(municipality=actor.municipality)
    return points.filter(is_active=True) if active_only else points


@dataclass(frozen=True)
class ActivityFilter:
    kind: str = ""
    status: str = ""
    date_from: dt.date | None = None
    date_until: dt.date | None = None
    point_id: int | None = None


def activity_list(*, actor: Actor, filters: ActivityFilter) -> QuerySet[Activity]:
    """Activities hold no personal data (attendance is a number), so reading them is not audited."""
    actor.require(Capability.VIEW_INFOPOINT_LOG)
    activities = Activity.objects.filter(municipality=actor.municipality).select_related("point")
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.status:
        activities = activities.filter(status=filters.status)
    if filters.date_from:
        activities = activities.filter(held_on__gte=filters.date_from)
    if filters.date_until:
        activities = activities.filter(held_on__lte=filters.date_until)
    if filters.point_id:
        activities = activities.filter(point_id=filters.point_id)
    return activities.order_by("-held_on", "-pk")


def activity_export(*, actor: Actor, filters: ActivityFilter, file_format: str) -> QuerySet[Activity]:
    activities = activity_list(actor=actor, filters=filters)
    audit.record_export(
        actor, model=Activity, count=activities.count(), file_format=file_format, filters=asdict(filters)
    )
    return activities


def activity_get(*, actor: Actor, activity_id: int) -> Activity:
    actor.require(Capability.VIEW_INFOPOINT_LOG)
    try:
        return Activity.objects.select_related("point").get(pk=activity_id, municipality=actor.municipality)
    except Activity.DoesNotExist:
        raise Http404("activity not found") from None


# Public reads for the portal: dates, titles and places of activities marked public. No capability is
# needed because nothing here is personal or internal.


def public_activities(*, actor: Actor, on: dt.date, days: int = 90) -> list[Activity]:
    return list(
        Activity.objects.filter(
            municipality=actor.municipality,
            is_public=True,
            held_on__gte=on,
            held_on__lte=on + dt.timedelta(days=days),
        )
        .exclude(status=ActivityStatus.CANCELLED)
        .order_by("held_on", "start_time", "pk")[:20]
    )


def open_registration_moments(*, actor: Actor, on: dt.date) -> QuerySet[Activity]:
    """Group registration moments an employer can upload a list for: from 60 days before to 30 after."""
    return (
        Activity.objects.filter(
            municipality=actor.municipality,
            kind=ActivityKind.GROUP_REGISTRATION,
            held_on__gte=on - dt.timedelta(days=30),
            held_on__lte=on + dt.timedelta(days=60),
        )
        .exclude(status=ActivityStatus.CANCELLED)
        .order_by("held_on", "pk")
    )


# Figures for the KPI catalogue (issue 7). Counts only: nothing is audited.


def _contacts_in(actor: Actor, start: dt.date, end: dt.date) -> QuerySet[Contact]:
    actor.require(Capability.VIEW_KEY_FIGURES)
    return Contact.objects.filter(
        municipality=actor.municipality, contacted_on__gte=start, contacted_on__lte=end
    )


def _distinct_visitors(contacts: QuerySet[Contact]) -> int:
    """Distinct visitor keys, plus every contact without a key (a visitor who gave no name counts once)."""
    counts = contacts.aggregate(
        keyed=Count("visitor_key", distinct=True, filter=~Q(visitor_key="")),
        anonymous=Count("id", filter=Q(visitor_key="")),
    )
    return int(counts["keyed"] + counts["anonymous"])


def unique_visitors(*, actor: Actor, start: dt.date, end: dt.date) -> int:
    """Unique visitors of all information points in the period."""
    return _distinct_visitors(_contacts_in(actor, start, end))


def contacts_count(*, actor: Actor, start: dt.date, end: dt.date) -> int:
    return _contacts_in(actor, start, end).count()


def digid_helped(*, actor: Actor, start: dt.date, end: dt.date) -> int:
    """People helped to an active DigiD in the period (unique visitors)."""
    return _distinct_visitors(_contacts_in(actor, start, end).filter(digid_activated=True))


def _activities_in(actor: Actor, start: dt.date, end: dt.date, kind: str) -> QuerySet[Activity]:
    actor.require(Capability.VIEW_KEY_FIGURES)
    return Activity.objects.filter(
        municipality=actor.municipality,
        kind=kind,
        status=ActivityStatus.HELD,
        held_on__gte=start,
        held_on__lte=end,
    )


def meetings_held(*, actor: Actor, start: dt.date, end: dt.date) -> int:
    """Information meetings held in the period."""
    return _activities_in(actor, start, end, ActivityKind.INFORMATION_MEETING).count()


def group_registration_moments(*, actor: Actor, start: dt.date, end: dt.date) -> int:
    """Group registration moments held in the period."""
    return _activities_in(actor, start, end, ActivityKind.GROUP_REGISTRATION).count()


@dataclass(frozen=True)
class CourseParticipants:
    formal: int
    non_formal: int

    @property
    def total(self) -> int:
        return self.formal + self.non_formal


def course_participants(*, actor: Actor, start: dt.date, end: dt.date) -> CourseParticipants:
    """Participants of courses held in the period, formal and non-formal (the sum of attendance)."""

    def total(kind: str) -> int:
        return int(_activities_in(actor, start, end, kind).aggregate(n=Sum("attendance", default=0))["n"])

    return CourseParticipants(
        formal=total(ActivityKind.COURSE_FORMAL), non_formal=total(ActivityKind.COURSE_NON_FORMAL)
    )


def key_figures_active(*, actor: Actor, start: dt.date, end: dt.date) -> int:
    """Size of the key-figure network: the largest attendance of a network meeting in the period."""
    activities = _activities_in(actor, start, end, ActivityKind.KEY_FIGURE_NETWORK)
    return int(activities.aggregate(n=Max("attendance", default=0))["n"])


@dataclass(frozen=True)
class InfopointFigures:
    unique_visitors: int
    contacts: int
    digid_helped: int
    meetings_held: int
    group_registration_moments: int
    course_participants: CourseParticipants
    key_figures: int


def infopoint_figures(*, actor: Actor, start: dt.date, end: dt.date) -> InfopointFigures:
    return InfopointFigures(
        unique_visitors=unique_visitors(actor=actor, start=start, end=end),
        contacts=contacts_count(actor=actor, start=start, end=end),
        digid_helped=digid_helped(actor=actor, start=start, end=end),
        meetings_held=meetings_held(actor=actor, start=start, end=end),
        group_registration_moments=group_registration_moments(actor=actor, start=start, end=end),
        course_participants=course_participants(actor=actor, start=start, end=end),
        key_figures=key_figures_active(actor=actor, start=start, end=end),
    )


def retention_due_contacts(*, municipality: Municipality, on_or_before: dt.date) -> QuerySet[Contact]:
    """Contacts on or before the date. A contact with a follow-up still to do stays until it is done."""
    open_follow_up = Q(follow_up__gt="", follow_up_done=False)
    return Contact.objects.filter(municipality=municipality, contacted_on__lte=on_or_before).exclude(
        open_follow_up
    )
