"""Writes to people and residences. Each write is atomic and leaves an audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError, save_versioned
from ketenregie.core.models import AuditAction
from ketenregie.core.permissions import Capability
from ketenregie.core.services import create_audited, ensure_same_municipality, update_versioned
from ketenregie.people.models import (
    AddressFunction,
    LabourMigrant,
    Person,
    RegistrationStatus,
    Residence,
    ResidenceSource,
    Sector,
    VerificationStatus,
)
from ketenregie.people.registration import (  # processing a first-registration form, re-exported
    first_registration_record as first_registration_record,
)
from ketenregie.people.verification import (  # the verification services, re-exported
    residence_verify as residence_verify,
)
from ketenregie.people.verification import (
    residences_verify_bulk as residences_verify_bulk,
)
from ketenregie.people.verification import (
    verify_stay_addresses_by_brp as verify_stay_addresses_by_brp,
)
from ketenregie.places.models import Address

PERSON_EDITABLE_FIELDS = (
    "bsn",
    "given_names",
    "surname_prefix",
    "surname",
    "birth_date",
    "nationality",
    "registration_status",
    "languages",
    "phone",
    "email",
    "is_secret",
)


@transaction.atomic
def person_create(*, actor: Actor, **fields: Any) -> Person:
    actor.require(Capability.EDIT_PEOPLE)
    return create_audited(actor, Person, allowed=PERSON_EDITABLE_FIELDS, **fields)


@transaction.atomic
def person_update(*, actor: Actor, person: Person, expected_version: int, **changes: Any) -> Person:
    """Change a person; raises ConcurrentEditError when someone else saved in between."""
    actor.require(Capability.EDIT_PEOPLE)
    return update_versioned(
        actor, person, expected_version=expected_version, changes=changes, allowed=PERSON_EDITABLE_FIELDS
    )


@transaction.atomic
def residence_start(
    *,
    actor: Actor,
    person: Person,
    address: Address,
    starts_on: dt.date,
    source: str = ResidenceSource.BRP,
    verification_status: str = VerificationStatus.UNVERIFIED,
    address_function: str = AddressFunction.LIVING,
) -> Residence:
    """Record that a person lives at ``address`` from ``starts_on``; the previous living address ends then.

    Nothing is overwritten: the earlier residence keeps its record and gets an end date.
    """
    actor.require(Capability.EDIT_PEOPLE)
    ensure_same_municipality(actor, person, address)
    if address_function == AddressFunction.LIVING:
        open_residences = list(
            Residence.objects.select_for_update().filter(
                person=person, address_function=AddressFunction.LIVING, ends_on__isnull=True
            )
        )
        for previous in open_residences:
            if previous.starts_on and previous.starts_on >= starts_on:
                raise ValidationError(
                    {
                        "starts_on": _("The new residence must start after the current one (%(date)s).")
                        % {"date": previous.starts_on.isoformat()}
                    }
                )
            previous.ends_on = starts_on
            save_versioned(previous, expected_version=previous.version, fields=["ends_on"])
            audit.record_change(
                actor, instance=previous, action=AuditAction.UPDATE, changed_fields=["ends_on"]
            )
    # A person with a BRP history keeps its order: the new holding comes after the last one.
    last = Residence.objects.filter(person=person).aggregate(last=Max("sequence"))["last"] or 0
    residence = Residence(
        municipality=actor.municipality,
        person=person,
        address=address,
        starts_on=starts_on,
        source=source,
        verification_status=verification_status,
        address_function=address_function,
        sequence=last + 1 if last else 0,
    )
    residence.full_clean()
    residence.save()
    audit.record_change(actor, instance=residence, action=AuditAction.CREATE)
    return residence


@transaction.atomic
def labour_migrant_ensure(
    *, actor: Actor, person: Person, country_of_origin: str, arrival_date: dt.date | None = None
) -> LabourMigrant:
    """Give a person a labour-migrant profile if they have none yet (used by the portal's self-service)."""
    actor.require(Capability.EDIT_PEOPLE)
    ensure_same_municipality(actor, person)
    existing = LabourMigrant.objects.filter(person=person).first()
    if existing is not None:
        return existing
    migrant = LabourMigrant(
        municipality=actor.municipality,
        person=person,
        country_of_origin=country_of_origin,
        arrival_date=arrival_date,
    )
    migrant.full_clean(validate_unique=False)  # the lookup above is the uniqueness check
    migrant.save(force_insert=True)
    audit.record_change(actor, instance=migrant, action=AuditAction.CREATE)
    return migrant


LABOUR_MIGRANT_FIELDS = ("country_of_origin", "arrival_date", "sector")


@transaction.atomic
def labour_migrant_record(
    *,
    actor: Actor,
    person: Person,
    country_of_origin: str,
    arrival_date: dt.date | None = None,
    sector: str = Sector.OTHER,
    expected_version: int | None = None,
    confirm: bool = False,
) -> LabourMigrant:
    """Record a person's labour-migrant profile as staff, or change it.

    A new profile needs no version; changing one names the version the form showed, so a change
    made in between (by a colleague, an import or the portal) is never overwritten silently. Staff
    may confirm it at once (``confirm``); a changed profile is otherwise unconfirmed again.
    """
    actor.require(Capability.EDIT_PEOPLE)
    ensure_same_municipality(actor, person)
    values = {"country_of_origin": country_of_origin, "arrival_date": arrival_date, "sector": sector}
    existing = LabourMigrant.objects.filter(person=person).first()
    if existing is None:
        if expected_version is not None:
            # The form showed a profile that has since been removed.
            raise ConcurrentEditError(person)
        migrant = LabourMigrant(municipality=actor.municipality, person=person, **values)
        if confirm:
            migrant.confirmed_at, migrant.confirmed_by = timezone.now(), actor.user
        migrant.full_clean(validate_unique=False)
        migrant.save(force_insert=True)
        audit.record_change(
            actor, instance=migrant, action=AuditAction.CREATE, changed_fields=list(LABOUR_MIGRANT_FIELDS)
        )
        return migrant
    if expected_version is None:
        raise ValidationError(_("This person already has a labour-migrant profile: change that one."))
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    for name, value in values.items():
        setattr(existing, name, value)
    fields = list(changed)
    if confirm:
        existing.confirmed_at, existing.confirmed_by = timezone.now(), actor.user
        fields += ["confirmed_at", "confirmed_by"]
    elif changed and existing.confirmed_at is not None:
        # What was checked is no longer what is stored.
        existing.confirmed_at, existing.confirmed_by = None, None
        fields += ["confirmed_at", "confirmed_by"]
    existing.full_clean(validate_unique=False)
    save_versioned(existing, expected_version=expected_version, fields=fields)
    if fields:
        audit.record_change(actor, instance=existing, action=AuditAction.UPDATE, changed_fields=fields)
    return existing


@transaction.atomic
def labour_migrant_confirm(*, actor: Actor, migrant: LabourMigrant, expected_version: int) -> LabourMigrant:
    """Staff checked a profile that an employer, the portal or the BRP import delivered."""
    actor.require(Capability.EDIT_PEOPLE)
    ensure_same_municipality(actor, migrant)
    migrant.confirmed_at, migrant.confirmed_by = timezone.now(), actor.user
    save_versioned(migrant, expected_version=expected_version, fields=["confirmed_at", "confirmed_by"])
    audit.record_change(
        actor, instance=migrant, action=AuditAction.UPDATE, changed_fields=["confirmed_at", "confirmed_by"]
    )
    return migrant


@dataclass(frozen=True)
class RniStay:
    """A non-resident (RNI) found with a current stay address in a municipality."""

    municipality_id: int
    person_id: int
    country_of_origin: str
    rni: list[dict[str, str]]


def labour_migrants_mark_rni(*, actor: Actor, stays: list[RniStay]) -> tuple[int, int]:
    """Give RNI registrants staying in the actor's municipality an (unconfirmed) labour-migrant profile
    and the RNI data of their BRP record, in bulk; a profile that exists is left as it is (staff may
    have confirmed or changed it). Returns (profiles created, people updated). The caller is the
    GBA-V import, inside its transaction; one audit event per municipality."""
    actor.require(Capability.EDIT_PEOPLE)
    mine = [s for s in stays if s.municipality_id == actor.municipality.pk]
    if not mine:
        return 0, 0
    ids = [s.person_id for s in mine]
    has_profile = set(LabourMigrant.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
    new = [
        LabourMigrant(
            municipality=actor.municipality,
            person_id=s.person_id,
            country_of_origin=s.country_of_origin,
        )
        for s in mine
        if s.person_id not in has_profile and s.country_of_origin
    ]
    LabourMigrant.objects.bulk_create(new, batch_size=2000)
    by_id = {s.person_id: s for s in mine}
    people = list(Person.objects.filter(pk__in=ids, municipality=actor.municipality))
    changed = []
    now = timezone.now()
    for person in people:
        stay = by_id[person.pk]
        if person.rni != stay.rni or person.registration_status != RegistrationStatus.NON_RESIDENT:
            person.rni = stay.rni
            person.registration_status = RegistrationStatus.NON_RESIDENT
            person.version += 1
            person.updated_at = now
            changed.append(person)
    if changed:
        Person.objects.bulk_update(
            changed, ["rni", "registration_status", "version", "updated_at"], batch_size=2000
        )
    if new or changed:
        audit.record_bulk_change(
            actor,
            model=LabourMigrant,
            action=AuditAction.IMPORT,
            count=len(new) + len(changed),
            detail={"profiles_created": len(new), "people_updated": len(changed), "rule": "rni_stay"},
        )
    return len(new), len(changed)
