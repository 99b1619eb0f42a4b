"""Key figures about people and occupancy, for monitoring. Counts only; drill-down rows are audited
by the monitoring selector that shows them."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from ketenregie.core.actor import Actor
from ketenregie.core.kpi import KpiResult, Period
from ketenregie.core.permissions import Capability
from ketenregie.core.selectors import norms_for
from ketenregie.people.models import Person, RegistrationStatus, Residence
from ketenregie.people.selectors import lives_on, objects_over_norm


def _counts_by_neighbourhood(residences: QuerySet[Residence]) -> dict[int, int]:
    rows = residences.values("address__neighbourhood_id").annotate(n=Count("person_id", distinct=True))
    return {row["address__neighbourhood_id"]: row["n"] for row in rows if row["address__neighbourhood_id"]}


def _living_migrants(actor: Actor, period: Period) -> QuerySet[Residence]:
    # A join from the (much smaller) set of labour migrants, not a subquery per residence.
    return Residence.objects.filter(
        lives_on(period.last_day), municipality=actor.municipality, person__labour_migrant__isnull=False
    )


def labour_migrants_living_here(*, actor: Actor, period: Period) -> KpiResult:
    """Labour migrants living in the municipality on the last day of the period, each counted once, at
    the address where they live by ``lives_on`` (a stay address before the BRP's address)."""
    actor.require(Capability.VIEW_KEY_FIGURES)
    residences = _living_migrants(actor, period)
    return KpiResult.of(
        residences.values("person_id").distinct().count(), _counts_by_neighbourhood(residences)
    )


def labour_migrants_living_here_records(*, actor: Actor, period: Period) -> QuerySet[Person]:
    actor.require(Capability.VIEW_PERSONAL_DATA)
    ids = _living_migrants(actor, period).values("person_id")
    return Person.objects.filter(pk__in=ids).order_by("surname", "given_names", "pk")


def labour_migrants_non_resident(*, actor: Actor, period: Period) -> KpiResult:
    """Of those, the ones registered as non-resident (RNI)."""
    actor.require(Capability.VIEW_KEY_FIGURES)
    residences = _living_migrants(actor, period).filter(
        person__registration_status=RegistrationStatus.NON_RESIDENT
    )
    return KpiResult.of(
        residences.values("person_id").distinct().count(), _counts_by_neighbourhood(residences)
    )


def addresses_over_norm(*, actor: Actor, period: Period) -> KpiResult:
    """Addresses where more people live (``lives_on``: BRP or stay address, each person once) than the
    floor area allows (norm), on the last day."""
    actor.require(Capability.VIEW_KEY_FIGURES)
    norm = norms_for(actor.municipality).floor_area_per_person_m2
    rows = list(objects_over_norm(municipality_id=actor.municipality.pk, on=period.last_day, norm=norm))
    by_neighbourhood: dict[int, int] = {}
    for row in rows:
        if row["neighbourhood_id"]:
            key = row["neighbourhood_id"]
            by_neighbourhood[key] = by_neighbourhood.get(key, 0) + 1
    return KpiResult.of(len(rows), by_neighbourhood)
