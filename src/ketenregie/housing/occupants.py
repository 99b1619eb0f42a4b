"""A housing location against its occupants (issue 12 part 7).

Who lives there now by the register: every person with a current living residence (BRP, or a stay
address of another source such as a housing provider's or an inspection's) at one of the location's
addresses, on today. Compared with the permit's maximum (the location's capacity when the permit
names none), and with the provider's delivered occupant list: the matched rows of its most recent
labour-migrant delivery at the location's addresses.

- delivered but not registered: delivered, and not living there by the BRP;
- registered but not delivered: living there by the BRP, and not on the delivered list.

Names are shown to roles that may see personal data, and each person shown is recorded in the audit
trail; other roles see the counts only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.deliveries import selectors as delivery_selectors
from ketenregie.deliveries.models import Delivery
from ketenregie.housing.models import HousingLocation, HousingPermit
from ketenregie.people import selectors as people_selectors
from ketenregie.people.models import Person, ResidenceSource


@dataclass
class Occupant:
    person: Person | None
    sources: list[str]  # ResidenceSource labels of the current residences here

    @property
    def by_brp(self) -> bool:
        return ResidenceSource.BRP.label in self.sources


@dataclass
class LocationOccupancy:
    on: dt.date
    names_visible: bool
    maximum: int
    maximum_from_permit: bool
    living_count: int = 0
    brp_count: int = 0
    occupants: list[Occupant] = field(default_factory=list)
    delivery: Delivery | None = None
    delivered_count: int = 0
    delivered_not_registered: list[Person] = field(default_factory=list)
    registered_not_delivered: list[Person] = field(default_factory=list)
    delivered_not_registered_count: int = 0
    registered_not_delivered_count: int = 0

    @property
    def is_over(self) -> bool:
        return self.living_count > self.maximum

    @property
    def over_by(self) -> int:
        return max(0, self.living_count - self.maximum)


def _label(source: str) -> str:
    return str(ResidenceSource(source).label) if source in ResidenceSource.values else source


def location_occupancy(
    *, actor: Actor, location: HousingLocation, permit: HousingPermit | None, on: dt.date | None = None
) -> LocationOccupancy:
    """``permit`` is the location's current permit (housing.selectors.location_status)."""
    actor.require(Capability.VIEW_REGISTERS)
    on = on or timezone.localdate()
    maximum_from_permit = permit is not None and permit.max_persons is not None
    result = LocationOccupancy(
        on=on,
        names_visible=actor.can(Capability.VIEW_PERSONAL_DATA),
        maximum=permit.max_persons
        if permit is not None and permit.max_persons is not None
        else location.capacity_persons,
        maximum_from_permit=maximum_from_permit,
    )
    address_ids = list(
        location.addresses.filter(municipality=actor.municipality).values_list("pk", flat=True)
    )
    residents = people_selectors.residents_at(actor=actor, address_ids=address_ids, on=on)
    # Living here counts each person once (people.selectors.lives_on): someone the BRP has here who
    # stays elsewhere does not fill a bed here. The comparison with the provider's list is the BRP's.
    sources_by_person = {
        person_id: [_label(source) for source in sources] for person_id, sources in residents.living.items()
    }
    brp_ids = set(residents.registered)
    result.living_count = len(sources_by_person)
    result.brp_count = len(brp_ids)

    delivered_ids: set[int] = set()
    if location.provider_id and location.provider is not None:
        result.delivery = delivery_selectors.latest_occupant_delivery(actor=actor, provider=location.provider)
    if result.delivery is not None:
        delivered_ids = set(
            delivery_selectors.delivered_person_ids_at(
                actor=actor, delivery=result.delivery, address_ids=address_ids
            )
        )
        result.delivered_count = len(delivered_ids)
    not_registered = delivered_ids - brp_ids
    not_delivered = brp_ids - delivered_ids if result.delivery is not None else set()
    result.delivered_not_registered_count = len(not_registered)
    result.registered_not_delivered_count = len(not_delivered)
    if not result.names_visible:
        return result

    shown = set(sources_by_person) | not_registered | not_delivered
    people = people_selectors.people_shown(
        actor=actor, person_ids=shown, context="housing_location_occupants"
    )
    result.occupants = sorted(
        (Occupant(person=people.get(pid), sources=sources) for pid, sources in sources_by_person.items()),
        key=lambda o: (o.person.surname.lower(), o.person.pk) if o.person else ("", 0),
    )

    def by_name(ids: set[int]) -> list[Person]:
        return sorted((people[pid] for pid in ids if pid in people), key=lambda p: (p.surname.lower(), p.pk))

    result.delivered_not_registered = by_name(not_registered)
    result.registered_not_delivered = by_name(not_delivered)
    return result
