"""The home page's key numbers, composed from each app's selectors and shown under the suppression rule."""

from __future__ import annotations

from dataclasses import dataclass

from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.core.suppression import Shown, Suppression
from ketenregie.employers.selectors import employer_key_figures
from ketenregie.housing.selectors import housing_key_figures
from ketenregie.people.selectors import people_key_figures
from ketenregie.places.selectors import address_key_figures


@dataclass(frozen=True)
class KeyFigures:
    """The cards on the home page. The council and every role that may not see the people, employers
    and addresses behind a count get it suppressed, exactly as in monitoring."""

    labour_migrants: Shown
    registered_residents: Shown
    non_residents: Shown
    habitable_addresses: Shown
    addresses_over_norm: Shown
    temp_agencies: Shown
    sna_certified_agencies: Shown
    employers_with_proven_violation: Shown
    housing_locations: Shown
    housing_capacity: Shown
    housing_without_valid_quality_mark: Shown
    labour_migrants_by_nationality: list[tuple[str, Shown]]
    suppressed_below: int | None


def key_figures_for(*, actor: Actor) -> KeyFigures | None:
    if not actor.can(Capability.VIEW_KEY_FIGURES):
        return None
    rule = Suppression.for_actor(actor)
    addresses = address_key_figures(actor=actor)
    people = people_key_figures(actor=actor)
    employers = employer_key_figures(actor=actor)
    housing = housing_key_figures(actor=actor)
    return KeyFigures(
        labour_migrants=rule.shown(people.labour_migrants, unit="persons"),
        registered_residents=rule.shown(people.registered_residents, unit="persons"),
        non_residents=rule.shown(people.non_residents, unit="persons"),
        habitable_addresses=rule.shown(addresses.habitable, unit="addresses"),
        addresses_over_norm=rule.shown(people.addresses_over_norm, unit="addresses"),
        temp_agencies=rule.shown(employers.temp_agencies, unit="count"),
        sna_certified_agencies=rule.shown(employers.sna_certified_agencies, unit="count"),
        employers_with_proven_violation=rule.shown(employers.with_proven_violation, unit="count"),
        housing_locations=rule.shown(housing.locations, unit="count"),
        # Beds, not people: a small capacity points at no one.
        housing_capacity=rule.shown(housing.capacity, unit="places"),
        housing_without_valid_quality_mark=rule.shown(housing.without_valid_quality_mark, unit="count"),
        labour_migrants_by_nationality=[
            (code, rule.shown(count, unit="persons")) for code, count in people.labour_migrants_by_nationality
        ],
        suppressed_below=None if rule.exact else rule.threshold,
    )
