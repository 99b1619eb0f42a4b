"""The occupancy rules fed from the register, and the answer in the shape of the BRP Bewoning API.

``bewoningen`` is the one read of 'who lived where' by addressable object: the API, the
``ketenregie bewoning`` command and the live-API fake server answer from it, and the address page
uses ``address_stays`` with the same rules. Every person it names is recorded in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.people.models import REGISTER_SOURCES, AddressFunction, Person, Residence
from ketenregie.people.occupancy.rules import (
    Composition,
    Occupant,
    Stay,
    compositions,
    investigation_marks,
)
from ketenregie.places.models import Address


def stay_of(residence: Residence) -> Stay:
    person = residence.person
    return Stay(
        person_key=residence.person_id,
        starts_on=residence.starts_on,
        ends_on=residence.ends_on,
        certain_from=residence.certain_from,
        possible_until=residence.possible_until,
        in_investigation=investigation_marks(
            residence.investigation_code, ended=bool(residence.investigation_end_raw)
        ),
        suspension_reason=person.suspension_reason,
        suspended_on=person.suspended_on,
        residence=residence,
    )


def overlapping(residences: QuerySet[Residence], van: dt.date, tot: dt.date) -> QuerySet[Residence]:
    """Residences whose possible window can overlap [van, tot): a cheap pre-filter in SQL; the rules
    decide exactly. An end that is open or lies after ``van`` in either reading qualifies."""
    return residences.filter(Q(starts_on__isnull=True) | Q(starts_on__lt=tot)).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=van) | Q(possible_until__gt=van)
    )


def address_stays(
    *,
    municipality_id: int,
    address_ids: list[int],
    van: dt.date | None = None,
    tot: dt.date | None = None,
    for_page: bool = False,
    register_only: bool = False,
) -> list[Stay]:
    """The living-address stays at these addresses (all of them, or those that can touch [van, tot)).
    ``for_page`` also loads what the address page shows of each person (the labour-migrant profile);
    ``register_only`` keeps the registers' own residences (BRP, RNI), leaving out stay addresses."""
    residences = Residence.objects.filter(
        municipality_id=municipality_id, address_id__in=address_ids, address_function=AddressFunction.LIVING
    ).select_related("person__labour_migrant" if for_page else "person")
    if register_only:
        residences = residences.filter(source__in=REGISTER_SOURCES)
    if van is not None and tot is not None:
        residences = overlapping(residences, van, tot)
    return [stay_of(r) for r in residences.order_by("person_id", "sequence", "starts_on", "pk")]


@dataclass
class Bewoningen:
    """The answer to one question about one addressable object."""

    object_id: str
    compositions: list[Composition]
    people: dict[Any, Person]

    @property
    def named_people(self) -> list[Person]:
        keys = {o.person_key for c in self.compositions if not c.has_many_residents for o in c.occupants}
        return [self.people[key] for key in sorted(keys, key=str) if key in self.people]

    def to_api(self) -> dict[str, Any]:
        return {"bewoningen": [self._bewoning(c) for c in self.compositions]}

    def _bewoning(self, composition: Composition) -> dict[str, Any]:
        bewoning: dict[str, Any] = {
            "adresseerbaarObjectIdentificatie": self.object_id,
            "periode": {"datumVan": composition.van.isoformat(), "datumTot": composition.tot.isoformat()},
            "bewoners": [],
            "mogelijkeBewoners": [],
        }
        if composition.has_many_residents:
            bewoning["indicatieVeelBewoners"] = True
            return bewoning
        bewoning["bewoners"] = self._bewoners(composition.residents)
        bewoning["mogelijkeBewoners"] = self._bewoners(composition.possible_residents)
        return bewoning

    def _bewoners(self, occupants: list[Occupant]) -> list[dict[str, Any]]:
        rows = [bewoner(self.people[o.person_key], in_investigation=o.in_investigation) for o in occupants]
        return sorted(
            rows,
            key=lambda row: (
                row.get("burgerservicenummer", ""),
                row.get("naam", {}).get("volledigeNaam", ""),
            ),
        )


def bewoner(person: Person, *, in_investigation: bool) -> dict[str, Any]:
    """One (possible) resident as the Bewoner schema has it. A person under secrecy is delivered
    with the marker and the BSN only, as in the specification's example."""
    row: dict[str, Any] = {}
    if person.bsn:
        row["burgerservicenummer"] = person.bsn
    secret = person.is_secret or bool(person.secrecy_indicator)
    if secret:
        row["geheimhoudingPersoonsgegevens"] = True
    if in_investigation:
        row["inOnderzoek"] = True
    if not secret:
        row["naam"] = {"volledigeNaam": person.full_name}
        birth = person.birth_date_brp
        if birth is not None:
            row["geboorte"] = {"datum": birth.to_api()}
    return row


def bewoningen(
    *, actor: Actor, object_id: str, van: dt.date, tot: dt.date, context: str = "bewoning"
) -> Bewoningen:
    """Who lived at the addressable object ``object_id`` in [van, tot), split into compositions.

    A single day (peildatum) is the period [day, day + 1). An object the register does not know, or
    at which nobody (possibly) lived, gives no compositions.

    The answer is in the BRP's terms: it comes from the registers' residences (BRP, RNI) only. A stay
    address delivered by a partner or reported in self-service is not a BRP fact and is never in it.
    """
    actor.require(Capability.VIEW_PERSONAL_DATA)
    address_ids = list(
        Address.objects.filter(municipality=actor.municipality, bag_object_id=object_id).values_list(
            "pk", flat=True
        )
    )
    stays = (
        address_stays(
            municipality_id=actor.municipality.pk,
            address_ids=address_ids,
            van=van,
            tot=tot,
            register_only=True,
        )
        if address_ids
        else []
    )
    found = compositions(stays, van, tot)
    people = {stay.person_key: stay.residence.person for stay in stays}
    answer = Bewoningen(object_id=object_id, compositions=found, people=people)
    audit.record_views(actor, objects=answer.named_people, context=context)
    return answer


def bewoning_op_peildatum(*, actor: Actor, object_id: str, peildatum: dt.date) -> Bewoningen:
    return bewoningen(actor=actor, object_id=object_id, van=peildatum, tot=peildatum + dt.timedelta(days=1))


def bewoning_in_periode(*, actor: Actor, object_id: str, van: dt.date, tot: dt.date) -> Bewoningen:
    return bewoningen(actor=actor, object_id=object_id, van=van, tot=tot)
