"""People as delivered by employers, agencies, housing providers, inspections and the information
point: matching a delivered row to the register, and applying it. The deliveries app calls these (its
importer and its review queue); they work in bulk, so a delivery of 50,000 rows costs a few dozen
queries rather than one per row.

Matching (docs/deliveries.md):
- with a BSN: the person with that BSN in this municipality. When the register's surname or date of
  birth contradicts the row, or the BSN is held by more than one record, civil affairs decides.
  When nobody has the BSN but a person without a BSN has the same name and date of birth, too.
- without a BSN: surname, given names and date of birth, ignoring case, accents and extra spaces.
  Exactly one person → that person. Several, or only people with the same surname and date of birth
  but other given names → civil affairs decides. Nobody → a new person.

Applying never overwrites what the register knows, except e-mail and phone (the deliverer's contact
details are the newest). The delivered address becomes a stay address: a residence with the row's
source, not verified. It coexists with the BRP living address (a labour migrant often stays
somewhere else than where the BRP has them): a stay address ends only the previous open stay
address *of the same source*, never a BRP, RNI or other source's residence. A person who already
has an open living residence of any source at the delivered address gets nothing new. Counts of where
people live count the person once, at the stay address (``people.selectors.lives_on``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.core.actor import Actor
from ketenregie.core.bulk import bulk_insert, copy_tuples
from ketenregie.core.imports import chunked
from ketenregie.core.permissions import Capability
from ketenregie.core.text import normalise_name
from ketenregie.people.models import (
    AddressFunction,
    LabourMigrant,
    Person,
    RegistrationStatus,
    Residence,
    ResidenceSource,
    VerificationStatus,
)
from ketenregie.people.names import surname_key, surname_lookups
from ketenregie.people.stays import already_here, stay_addresses_ended

CHUNK = 2000
PERSON_COLUMNS = (
    "municipality_id",
    "bsn",
    "surname",
    "given_names",
    "birth_date",
    "nationality",
    "email",
    "phone",
    "registration_status",
)


@dataclass
class DeliveredRow:
    """One delivered row after validation: what the deliverer says about a worker."""

    number: int
    surname: str
    given_names: str = ""
    bsn: str = ""
    birth_date: dt.date | None = None
    nationality: str = ""
    arrival_date: dt.date | None = None
    address_id: int | None = None
    email: str = ""
    phone: str = ""
    source: str = ResidenceSource.EMPLOYER
    # The address as delivered (postcode, number, letter, addition), before it is found in the register.
    address_key: tuple[str, int, str, str] | None = None

    @property
    def name_key(self) -> tuple[str, str, dt.date | None]:
        return (surname_key("", self.surname), normalise_name(self.given_names), self.birth_date)


@dataclass
class Match:
    """``person`` when certain; otherwise ``reason`` says why civil affairs must decide."""

    person: Person | None = None
    candidates: list[Person] = field(default_factory=list)
    reason: str = ""

    @property
    def needs_review(self) -> bool:
        return bool(self.reason)


@dataclass
class Applied:
    """Per applied row: the person (new or known), and what happened to the register."""

    person: Person
    outcome: str  # "created", "updated" or "unchanged"


def _contradicts(row: DeliveredRow, person: Person) -> bool:
    if surname_key(person.surname_prefix, person.surname) != surname_key("", row.surname):
        return True
    return bool(row.birth_date and person.birth_date and row.birth_date != person.birth_date)


def match_delivered(*, actor: Actor, rows: Sequence[DeliveredRow]) -> list[Match]:
    """A Match per row, in order. Reads in bulk; nothing is shown to the deliverer, so nothing is
    audited as a view here (the importer audits the change it makes)."""
    actor.require(Capability.DELIVER_DATA)
    people = Person.objects.filter(municipality=actor.municipality)
    by_bsn: dict[str, list[Person]] = defaultdict(list)
    for bsns in chunked(sorted({r.bsn for r in rows if r.bsn}), CHUNK):
        for person in people.filter(bsn__in=bsns):
            by_bsn[person.bsn].append(person)
    by_name: dict[tuple[str, dt.date], list[Person]] = defaultdict(list)
    wanted = [r for r in rows if r.birth_date and (not r.bsn or r.bsn not in by_bsn)]
    seen: set[int] = set()
    # Chunks of rows, each with only its own names and dates, so every query is an index scan.
    for part in chunked(wanted, 500):
        names = sorted({v for r in part for v in surname_lookups(r.surname)})
        dates = sorted({r.birth_date for r in part if r.birth_date})
        for person in people.filter(surname__in=names, birth_date__in=dates):
            if person.birth_date is not None and person.pk not in seen:
                seen.add(person.pk)
                by_name[(surname_key(person.surname_prefix, person.surname), person.birth_date)].append(
                    person
                )
    return [_match_one(row, by_bsn, by_name) for row in rows]


def _match_one(
    row: DeliveredRow,
    by_bsn: dict[str, list[Person]],
    by_name: dict[tuple[str, dt.date], list[Person]],
) -> Match:
    if row.bsn and row.bsn in by_bsn:
        holders = by_bsn[row.bsn]
        if len(holders) > 1:
            return Match(candidates=holders, reason=_("More than one record in the register has this BSN."))
        if _contradicts(row, holders[0]):
            return Match(
                candidates=holders,
                reason=_("The register has this BSN with another surname or date of birth."),
            )
        return Match(person=holders[0])
    same = by_name.get((surname_key("", row.surname), row.birth_date), []) if row.birth_date else []
    given = normalise_name(row.given_names)
    if row.bsn:
        # The BSN is new here; a person without a BSN but with the same name may still be them.
        without_bsn = [p for p in same if not p.bsn and normalise_name(p.given_names) == given]
        if without_bsn:
            return Match(
                candidates=without_bsn,
                reason=_(
                    "The BSN is unknown here, but a person without a BSN has this name and date of birth."
                ),
            )
        return Match()
    exact = [p for p in same if normalise_name(p.given_names) == given]
    if len(exact) == 1:
        return Match(person=exact[0])
    if len(exact) > 1:
        return Match(candidates=exact, reason=_("Several people have this name and date of birth."))
    if same:
        return Match(
            candidates=same,
            reason=_("A person with this surname and date of birth has other given names."),
        )
    return Match()


def apply_delivered(
    *, actor: Actor, items: Sequence[tuple[DeliveredRow, Person | None]], on: dt.date | None = None
) -> list[Applied]:
    """Apply rows to the register in bulk: a new person for ``None``, otherwise fill in the known one.

    The caller is inside a transaction and audits the change (one bulk event for an import, one
    event per record for a decision in the review queue).
    """
    actor.require(Capability.DELIVER_DATA)
    today = on or timezone.localdate()
    known_ids = [person.pk for _row, person in items if person is not None]
    profiles = _by_person(
        LabourMigrant.objects.filter(person_id__in=ids) for ids in chunked(known_ids, CHUNK)
    )
    open_living: dict[int, list[Residence]] = defaultdict(list)
    for ids in chunked(known_ids, CHUNK):
        for residence in Residence.objects.filter(
            person_id__in=ids, address_function=AddressFunction.LIVING, ends_on__isnull=True
        ):
            open_living[residence.person_id].append(residence)

    new_people: list[tuple[DeliveredRow, Person]] = []
    changed_people: list[Person] = []
    new_profiles: list[LabourMigrant] = []
    changed_profiles: list[LabourMigrant] = []
    ended: list[Residence] = []
    new_residences: list[tuple[DeliveredRow, Person]] = []
    applied: list[Applied] = []
    now = timezone.now()
    for row, person in items:
        if person is None:
            person = Person(
                municipality=actor.municipality,
                bsn=row.bsn,
                surname=row.surname,
                given_names=row.given_names,
                birth_date=row.birth_date,
                nationality=row.nationality,
                email=row.email,
                phone=row.phone,
                # In no register we know of: the BRP or RNI import will say otherwise when it knows.
                registration_status=RegistrationStatus.NOT_REGISTERED,
            )
            new_people.append((row, person))
            if row.address_id is not None:
                new_residences.append((row, person))
            applied.append(Applied(person, "created"))
            continue
        changed = _fill_person(person, row)
        if changed:
            person.updated_at = now
            changed_people.append(person)
        profile = profiles.get(person.pk)
        if profile is None:
            new_profiles.append(_profile(actor, person, row))
            changed = True
        elif _fill_profile(profile, row):
            # Like a staff edit (people.services.labour_migrant_record): changed values are a claim again.
            profile.confirmed_at, profile.confirmed_by = None, None
            changed_profiles.append(profile)
            changed = True
        current = open_living.get(person.pk, [])
        if row.address_id is not None:
            # The same rule as people.stays.stay_address_start: earlier stay addresses elsewhere end
            # also when the person is already known at the delivered address.
            elsewhere = [r for r in current if r.address_id != row.address_id]
            for previous in stay_addresses_ended(elsewhere, source=row.source, starts_on=today):
                previous.ends_on = today
                previous.updated_at = now
                ended.append(previous)
                changed = True
            if already_here(current, address_id=row.address_id) is None:
                new_residences.append((row, person))
                changed = True
        applied.append(Applied(person, "updated" if changed else "unchanged"))

    # COPY rather than INSERT: a 50,000-row delivery creates some 150,000 records.
    created = [p for _r, p in new_people]
    ids = copy_tuples(
        Person,
        PERSON_COLUMNS,
        [tuple(getattr(p, name) for name in PERSON_COLUMNS) for p in created],
        returning_ids=True,
    )
    for person, pk in zip(created, ids, strict=True):
        person.pk = pk
        person._state.adding = False
    new_profiles.extend(_profile(actor, p, r) for r, p in new_people)
    bulk_insert(LabourMigrant, new_profiles)
    # The version is raised in the database (F + 1), not from the value read while matching: a staff
    # form opened before the delivery then gets a conflict instead of overwriting it silently.
    if changed_people:
        Person.objects.bulk_update(
            changed_people, ["email", "phone", "nationality", "birth_date", "updated_at"], batch_size=CHUNK
        )
        _bump_versions(Person, changed_people)
    if changed_profiles:
        LabourMigrant.objects.bulk_update(
            changed_profiles,
            ["country_of_origin", "arrival_date", "confirmed_at", "confirmed_by"],
            batch_size=CHUNK,
        )
        _bump_versions(LabourMigrant, changed_profiles)
    if ended:
        Residence.objects.bulk_update(ended, ["ends_on", "updated_at"], batch_size=CHUNK)
        _bump_versions(Residence, ended)
    copy_tuples(
        Residence,
        (
            "municipality_id",
            "person_id",
            "address_id",
            "starts_on",
            "source",
            "verification_status",
            "address_function",
        ),
        [
            (
                actor.municipality.pk,
                person.pk,
                row.address_id,
                today,
                row.source,
                VerificationStatus.UNVERIFIED,
                AddressFunction.LIVING,
            )
            for row, person in new_residences
        ],
    )
    return applied


def _bump_versions(model: type[Person] | type[LabourMigrant] | type[Residence], objects: list[Any]) -> None:
    for part in chunked(objects, CHUNK):
        model._default_manager.filter(pk__in=[o.pk for o in part]).update(version=F("version") + 1)
    for instance in objects:
        instance.version += 1


def _by_person(querysets: Iterable[Iterable[LabourMigrant]]) -> dict[int, LabourMigrant]:
    return {profile.person_id: profile for queryset in querysets for profile in queryset}


def _fill_person(person: Person, row: DeliveredRow) -> bool:
    changed = False
    if row.email and row.email != person.email:
        person.email, changed = row.email, True
    if row.phone and row.phone != person.phone:
        person.phone, changed = row.phone, True
    if row.nationality and not person.nationality:
        person.nationality, changed = row.nationality, True
    if row.birth_date and person.birth_date is None:
        person.birth_date, changed = row.birth_date, True
    return changed


def _profile(actor: Actor, person: Person, row: DeliveredRow) -> LabourMigrant:
    return LabourMigrant(
        municipality=actor.municipality,
        person=person,
        country_of_origin=row.nationality or person.nationality,
        arrival_date=row.arrival_date,
    )


def _fill_profile(profile: LabourMigrant, row: DeliveredRow) -> bool:
    changed = False
    if row.nationality and not profile.country_of_origin:
        profile.country_of_origin, changed = row.nationality, True
    if row.arrival_date and profile.arrival_date is None:
        profile.arrival_date, changed = row.arrival_date, True
    return changed
