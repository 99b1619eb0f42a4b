"""Key figures about housing locations, for monitoring."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from ketenregie.core.actor import Actor
from ketenregie.core.kpi import KpiResult, Period
from ketenregie.core.permissions import Capability
from ketenregie.housing.models import HousingLocation, QualityMark


def _without_mark(actor: Actor, period: Period) -> QuerySet[HousingLocation]:
    day = period.last_day
    valid = QualityMark.objects.filter(location_id=OuterRef("pk"), valid_from__lte=day, valid_until__gte=day)
    # Locations as registered now: the register keeps no opening date, so earlier years count them too.
    return HousingLocation.objects.filter(municipality=actor.municipality).exclude(Exists(valid))


def locations_without_quality_mark(*, actor: Actor, period: Period) -> KpiResult:
    """Housing locations without a valid SNF or AKF quality mark on the last day of the period."""
    actor.require(Capability.VIEW_KEY_FIGURES)
    return KpiResult.of(_without_mark(actor, period).count())


def locations_without_quality_mark_records(*, actor: Actor, period: Period) -> QuerySet[HousingLocation]:
    actor.require(Capability.VIEW_REGISTERS)
    return _without_mark(actor, period).order_by("name")
