"""Reads of housing locations, their permits and quality marks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.core.selectors import norms_for
from ketenregie.housing.models import HousingLocation, HousingPermit, PermitStatus, QualityMark
from ketenregie.places.models import Address


class QualityMarkState:
    VALID = "valid"
    EXPIRING = "expiring"
    NONE = "none"


def _valid_mark(on: dt.date) -> Exists:
    return Exists(
        QualityMark.objects.filter(location_id=OuterRef("pk"), valid_from__lte=on, valid_until__gte=on)
    )


def _valid_permit(on: dt.date) -> Exists:
    return Exists(
        HousingPermit.objects.filter(
            location_id=OuterRef("pk"), status=PermitStatus.GRANTED, valid_from__lte=on
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    )


@dataclass(frozen=True)
class LocationFilter:
    search: str = ""
    kind: str = ""
    quality_mark: str = ""  # one of QualityMarkState
    has_valid_permit: bool | None = None


def location_list(*, actor: Actor, filters: LocationFilter) -> QuerySet[HousingLocation]:
    actor.require(Capability.VIEW_REGISTERS)
    today = timezone.localdate()
    warn_until = today + dt.timedelta(days=norms_for(actor.municipality).quality_mark_expiry_warning_days)
    locations = (
        HousingLocation.objects.filter(municipality=actor.municipality)
        .select_related("provider")
        .annotate(
            has_valid_mark=_valid_mark(today),
            mark_still_valid_at_warning=_valid_mark(warn_until),
            has_valid_permit=_valid_permit(today),
            address_count=Count("addresses", distinct=True),
        )
    )
    if filters.search.strip():
        term = filters.search.strip()
        locations = locations.filter(
            Q(name__icontains=term)
            | Q(provider__name__icontains=term)
            | Q(provider_name__icontains=term)
            | Q(addresses__street__icontains=term)
        ).distinct()
    if filters.kind:
        locations = locations.filter(kind=filters.kind)
    if filters.quality_mark == QualityMarkState.VALID:
        locations = locations.filter(has_valid_mark=True)
    elif filters.quality_mark == QualityMarkState.EXPIRING:
        locations = locations.filter(has_valid_mark=True, mark_still_valid_at_warning=False)
    elif filters.quality_mark == QualityMarkState.NONE:
        locations = locations.filter(has_valid_mark=False)
    if filters.has_valid_permit is not None:
        locations = locations.filter(has_valid_permit=filters.has_valid_permit)
    return locations.order_by("name", "pk")


def location_get(*, actor: Actor, location_id: int) -> HousingLocation:
    actor.require(Capability.VIEW_REGISTERS)
    try:
        return HousingLocation.objects.select_related("provider").get(
            pk=location_id, municipality=actor.municipality
        )
    except HousingLocation.DoesNotExist:
        raise Http404("housing location not found") from None


@dataclass
class LocationStatus:
    location: HousingLocation
    current_mark: QualityMark | None
    current_permit: HousingPermit | None
    mark_expires_soon: bool


def location_status(*, actor: Actor, location: HousingLocation, on: dt.date | None = None) -> LocationStatus:
    actor.require(Capability.VIEW_REGISTERS)
    on = on or timezone.localdate()
    marks = [m for m in location.quality_marks.all() if m.is_valid_on(on)]
    permits = [p for p in location.permits.all() if p.is_valid_on(on)]
    mark = max(marks, key=lambda m: m.valid_until, default=None)
    warning_days = norms_for(actor.municipality).quality_mark_expiry_warning_days
    return LocationStatus(
        location=location,
        current_mark=mark,
        current_permit=max(permits, key=lambda p: p.valid_from or on, default=None),
        mark_expires_soon=mark is not None and mark.valid_until < on + dt.timedelta(days=warning_days),
    )


def locations_at_address(*, actor: Actor, address: Address) -> list[LocationStatus]:
    actor.require(Capability.VIEW_REGISTERS)
    locations = (
        HousingLocation.objects.filter(addresses=address, municipality=actor.municipality)
        .prefetch_related("quality_marks", "permits")
        .select_related("provider")
    )
    return [location_status(actor=actor, location=location) for location in locations]


@dataclass(frozen=True)
class HousingKeyFigures:
    locations: int
    capacity: int
    without_valid_quality_mark: int
    without_valid_permit: int


def housing_key_figures(*, actor: Actor) -> HousingKeyFigures:
    actor.require(Capability.VIEW_KEY_FIGURES)
    today = timezone.localdate()
    locations = HousingLocation.objects.filter(municipality=actor.municipality).annotate(
        has_valid_mark=_valid_mark(today), has_valid_permit=_valid_permit(today)
    )
    totals = locations.aggregate(
        locations=Count("id"),
        capacity=Sum("capacity_persons", default=0),
        without_valid_quality_mark=Count("id", filter=Q(has_valid_mark=False)),
        without_valid_permit=Count("id", filter=Q(has_valid_permit=False)),
    )
    return HousingKeyFigures(**totals)


def location_addresses(*, actor: Actor, location: HousingLocation) -> QuerySet[Address]:
    actor.require(Capability.VIEW_REGISTERS)
    return location.addresses.filter(municipality=actor.municipality).order_by("street", "house_number")


def location_export(*, actor: Actor, filters: LocationFilter, file_format: str) -> QuerySet[HousingLocation]:

    locations = location_list(actor=actor, filters=filters)
    audit.record_export(
        actor,
        model=HousingLocation,
        count=locations.count(),
        file_format=file_format,
        filters=filters.__dict__,
    )
    return locations
