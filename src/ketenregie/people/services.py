"""Writes to people and residences. Each write is atomic and leaves an audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import save_versioned
from ketenregie.core.models import AuditAction
from ketenregie.core.permissions import Capability
from ketenregie.core.services import create_audited, ensure_same_municipality, update_versioned
from ketenregie.people.models import (
    AddressFunction,
    LabourMigrant,
    Person,
    Residence,
    ResidenceSource,
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
