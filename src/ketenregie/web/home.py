"""The home page's key numbers, composed from each app's selectors."""

from __future__ import annotations

from dataclasses import dataclass

from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.employers.selectors import EmployerKeyFigures, employer_key_figures
from ketenregie.housing.selectors import HousingKeyFigures, housing_key_figures
from ketenregie.people.selectors import PeopleKeyFigures, people_key_figures
from ketenregie.places.selectors import AddressKeyFigures, address_key_figures


@dataclass(frozen=True)
class KeyFigures:
    addresses: AddressKeyFigures
    people: PeopleKeyFigures
    employers: EmployerKeyFigures
    housing: HousingKeyFigures


def key_figures_for(*, actor: Actor) -> KeyFigures | None:
    if not actor.can(Capability.VIEW_KEY_FIGURES):
        return None
    return KeyFigures(
        addresses=address_key_figures(actor=actor),
        people=people_key_figures(actor=actor),
        employers=employer_key_figures(actor=actor),
        housing=housing_key_figures(actor=actor),
    )
