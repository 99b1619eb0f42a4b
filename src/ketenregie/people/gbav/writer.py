"""Writing person records of one municipality: new people with COPY, known people merged."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ketenregie.core.bulk import bulk_insert, copy_tuples
from ketenregie.core.models import Municipality
from ketenregie.core.municipality_codes import RNI_CODE
from ketenregie.people.brp_dates import BrpDate
from ketenregie.people.gbav.addresses import AddressIndex
from ketenregie.people.gbav.records import Holding, PersonRecord
from ketenregie.people.gbav.report import GbavReport
from ketenregie.people.models import (
    Person,
    RegistrationStatus,
    Residence,
    ResidenceSource,
    VerificationStatus,
)
from ketenregie.people.occupancy.bounds import BOUND_FIELDS, Suspension, apply_bounds, derive_bounds
from ketenregie.people.occupancy.bounds import Holding as BoundsHolding

# The columns of a new residence row, in the order ``Writer._new_history`` gives them.
NEW_RESIDENCE_COLUMNS = (
    "municipality_id",
    "person_id",
    "address_id",
    "address_function",
    "sequence",
    "starts_on_raw",
    "declaration",
    "municipality_code",
    "bag_object_id",
    "bag_address_id",
    "brp_address",
    "country_code",
    "foreign_address_line1",
    "foreign_address_line2",
    "foreign_address_line3",
    "investigation_code",
    "investigation_start_raw",
    "investigation_end_raw",
    "rni_participant",
    "rni_treaty",
    "source",
    "verification_status",
    "starts_on",
    "starts_on_latest",
    "ends_on",
    "certain_from",
    "possible_until",
)
RESIDENCE_FIELDS = (
    "address_id",
    "address_function",
    "sequence",
    "starts_on_raw",
    "declaration",
    "municipality_code",
    "bag_object_id",
    "bag_address_id",
    "brp_address",
    "country_code",
    "foreign_address_line1",
    "foreign_address_line2",
    "foreign_address_line3",
    "investigation_code",
    "investigation_start_raw",
    "investigation_end_raw",
    "rni_participant",
    "rni_treaty",
    "source",
)


class Writer:
    """Writes the records of one municipality, a chunk at a time."""

    def __init__(self, municipality: Municipality, report: GbavReport) -> None:
        self.municipality = municipality
        self.addresses = AddressIndex(municipality, report)
        # A municipality without people yet (a first import) needs no look-up of known people: the
        # records of one extract are unique, and a table growing inside the transaction has no
        # statistics, so those look-ups would scan it again and again.
        self.first_import = not Person.objects.filter(municipality=municipality).exists()
        self.report = report
        self.created = 0
        self.updated = 0

    def write(self, records: list[PersonRecord]) -> None:
        self.addresses.prepare(records)
        existing = self._existing(records)
        new_people: list[tuple[dict[str, Any], PersonRecord]] = []
        changed_people: list[Person] = []
        changed_fields: set[str] = set()
        old: list[tuple[Person, PersonRecord]] = []
        for record in records:
            values = self._person_values(record)
            person = existing.get(record.key)
            if person is None:
                new_people.append((values, record))
                continue
            fields = [name for name, value in values.items() if getattr(person, name) != value]
            if fields:
                for name in fields:
                    setattr(person, name, values[name])
                person.version += 1
                changed_people.append(person)
                changed_fields.update(fields)
            old.append((person, record))
        # New people go in as plain rows (COPY on PostgreSQL): no model instances for a million records.
        person_columns = ["municipality_id", *new_people[0][0].keys()] if new_people else []
        ids = copy_tuples(
            Person,
            person_columns,
            [(self.municipality.pk, *row.values()) for row, _r in new_people],
            returning_ids=True,
        )
        if changed_people:
            Person.objects.bulk_update(changed_people, [*sorted(changed_fields), "version", "updated_at"])
        residences: list[tuple[Any, ...]] = []
        for person_id, (row, record) in zip(ids, new_people, strict=True):
            residences.extend(self._new_history(person_id, row, record))
        copy_tuples(Residence, NEW_RESIDENCE_COLUMNS, residences)
        self.report.residences_created += len(residences)
        self.report.persons_created += len(new_people)
        self.created += len(new_people)
        touched = self._update_histories(old)
        updated = {p.pk for p in changed_people} | touched
        self.report.persons_updated += len(updated)
        self.report.persons_unchanged += len(old) - len(updated)
        self.updated += len(updated)

    def _existing(self, records: list[PersonRecord]) -> dict[str, Person]:
        if self.first_import:
            return {}
        people = Person.objects.filter(municipality=self.municipality)
        found: dict[str, Person] = {}
        a_numbers = [r.values["a_number"] for r in records if r.values["a_number"]]
        for person in people.filter(a_number__in=a_numbers):
            found[person.a_number] = person
        bsns = [r.values["bsn"] for r in records if not r.values["a_number"]]
        if bsns:
            for person in people.filter(a_number="", bsn__in=bsns):
                found.setdefault(f"bsn:{person.bsn}", person)
        return found

    def _person_values(self, record: PersonRecord) -> dict[str, Any]:
        values = dict(record.values)
        reason = values["suspension_reason"]
        current = record.holdings[-1]
        if reason == "O":
            status = RegistrationStatus.DECEASED
        elif record.municipality_code == RNI_CODE:
            status = RegistrationStatus.NON_RESIDENT
        elif reason == "E" or current.is_abroad:
            status = RegistrationStatus.EMIGRATED
        else:
            status = RegistrationStatus.RESIDENT
        values["registration_status"] = status
        values["surname"] = values["surname"] or "-"
        return values

    def _new_history(
        self, person_id: int, person: dict[str, Any], record: PersonRecord
    ) -> list[tuple[Any, ...]]:
        """The residence rows of a new person (NEW_RESIDENCE_COLUMNS), with their occupancy bounds."""
        holdings = record.holdings
        suspension = (
            Suspension(reason=person["suspension_reason"], on=person["suspended_on"])
            if person["suspension_reason"]
            else None
        )
        bounds = derive_bounds(
            [
                BoundsHolding(
                    start=h.start,
                    investigation_code=h.investigation_code,
                    investigation_start=BrpDate(h.investigation_start) if h.investigation_start else None,
                )
                for h in holdings
            ],
            suspension=suspension,
        )
        municipality_id, code = self.municipality.pk, self.municipality.code
        rows = []
        for sequence, (h, bound) in enumerate(zip(holdings, bounds, strict=True), start=1):
            lines = h.foreign_lines
            rows.append(
                (
                    municipality_id,
                    person_id,
                    self.addresses.address_id(h, code),
                    h.function,
                    sequence,
                    h.start.raw,
                    h.declaration,
                    h.municipality_code,
                    h.bag_object_id,
                    h.bag_address_id,
                    h.brp_address,
                    h.country_code,
                    lines[0],
                    lines[1],
                    lines[2],
                    h.investigation_code,
                    h.investigation_start,
                    h.investigation_end,
                    h.rni_participant,
                    h.rni_treaty,
                    ResidenceSource.RNI if h.municipality_code == RNI_CODE else ResidenceSource.BRP,
                    VerificationStatus.VERIFIED,
                    bound.starts_on,
                    bound.starts_on_latest,
                    bound.ends_on,
                    bound.certain_from,
                    bound.possible_until,
                )
            )
        return rows

    def _residence_values(self, holding: Holding) -> dict[str, Any]:
        lines = holding.foreign_lines
        return {
            "municipality_id": self.municipality.pk,
            "address_id": self.addresses.address_id(holding, self.municipality.code),
            "address_function": holding.function,
            "starts_on_raw": holding.start.raw,
            "declaration": holding.declaration,
            "municipality_code": holding.municipality_code,
            "bag_object_id": holding.bag_object_id,
            "bag_address_id": holding.bag_address_id,
            "brp_address": holding.brp_address,
            "country_code": holding.country_code,
            "foreign_address_line1": lines[0],
            "foreign_address_line2": lines[1],
            "foreign_address_line3": lines[2],
            "investigation_code": holding.investigation_code,
            "investigation_start_raw": holding.investigation_start,
            "investigation_end_raw": holding.investigation_end,
            "rni_participant": holding.rni_participant,
            "rni_treaty": holding.rni_treaty,
            "source": ResidenceSource.RNI if holding.municipality_code == RNI_CODE else ResidenceSource.BRP,
            "verification_status": VerificationStatus.VERIFIED,
        }

    def _residence(self, person: Person, holding: Holding) -> Residence:
        return Residence(person=person, **self._residence_values(holding))

    def _update_histories(self, old: list[tuple[Person, PersonRecord]]) -> set[int]:
        """Merge a newer extract into the stored histories; returns the people whose history changed."""
        if not old:
            return set()
        stored: dict[int, list[Residence]] = defaultdict(list)
        # Only what earlier extracts delivered: residences recorded here by other means stay as they are.
        imported = Residence.objects.filter(person_id__in=[p.pk for p, _r in old]).exclude(starts_on_raw="")
        for residence in imported.order_by("person_id", "sequence", "starts_on", "pk"):
            stored[residence.person_id].append(residence)
        creates: list[Residence] = []
        updates: list[Residence] = []
        deletes: list[int] = []
        touched: set[int] = set()
        for person, record in old:
            incoming = [self._residence(person, h) for h in record.holdings]
            # A stored holding that the newer extract marks incorrect (84.10) is removed, unless the
            # extract also delivers it as correct.
            wrong = Counter(_identity(self._residence(person, h)) for h in record.incorrect)
            wrong -= Counter(_identity(r) for r in incoming)
            pool = []
            for residence in stored.get(person.pk, []):
                if wrong[_identity(residence)] > 0:
                    wrong[_identity(residence)] -= 1
                    deletes.append(residence.pk)
                    touched.add(person.pk)
                else:
                    pool.append(residence)
            merged: list[Residence] = []
            by_identity: dict[tuple[Any, ...], list[Residence]] = defaultdict(list)
            for residence in pool:
                by_identity[_identity(residence)].append(residence)
            matched: set[int] = set()
            for residence in incoming:
                candidates = by_identity.get(_identity(residence))
                if candidates:
                    existing = candidates.pop(0)
                    matched.add(existing.pk)
                    _copy_facts(residence, existing)
                    merged.append(existing)
                else:
                    merged.append(residence)
            kept = [r for r in pool if r.pk not in matched]
            history = kept + merged
            before = {r.pk: (r.sequence, *(getattr(r, f) for f in BOUND_FIELDS)) for r in history if r.pk}
            for sequence, residence in enumerate(history, start=1):
                residence.sequence = sequence
            apply_bounds(history, suspension=_suspension(person))
            for residence in history:
                if residence.pk is None:
                    creates.append(residence)
                    touched.add(person.pk)
                elif before[residence.pk] != (
                    residence.sequence,
                    *(getattr(residence, f) for f in BOUND_FIELDS),
                ) or getattr(residence, "_facts_changed", False):
                    residence.version += 1
                    updates.append(residence)
                    touched.add(person.pk)
        if deletes:
            Residence.objects.filter(pk__in=deletes).delete()
        bulk_insert(Residence, creates)
        if updates:
            Residence.objects.bulk_update(
                updates, [*RESIDENCE_FIELDS, *BOUND_FIELDS, "version", "updated_at"], batch_size=2000
            )
        self.report.residences_created += len(creates)
        self.report.residences_updated += len(updates)
        self.report.residences_removed += len(deletes)
        return touched


def _identity(residence: Residence) -> tuple[Any, ...]:
    return (
        residence.starts_on_raw,
        residence.address_function,
        residence.bag_object_id,
        residence.country_code,
        residence.municipality_code,
        residence.declaration,
        repr(sorted(residence.brp_address.items())),
    )


def _copy_facts(source: Residence, target: Residence) -> None:
    """A holding delivered again: take over what may have changed (address found, investigation)."""
    changed = False
    for name in RESIDENCE_FIELDS:
        if name == "sequence":
            continue
        value = getattr(source, name)
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed = True
    target._facts_changed = changed  # type: ignore[attr-defined]


def _suspension(person: Person) -> Suspension | None:
    if not person.suspension_reason:
        return None
    return Suspension(reason=person.suspension_reason, on=person.suspended_on)
