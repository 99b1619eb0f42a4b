"""Registering a person found during an inspection: the people side of processing a first-registration
form (the form itself belongs to cases, which calls these through people.selectors and people.services).

Matching never merges silently. ``registration_candidates`` lists the people who could be the one on the
form (same BSN; or same surname and date of birth), and the caller must either name one of them or ask
for a new person explicitly; ``first_registration_record`` refuses otherwise.

The address becomes a residence with source *inspection*, **verified by inspection**: an inspector saw
the person living there on the day of the visit, and the form is the record of that. It is a stay
address (people.stays): made beside the BRP/RNI residence, ending only earlier stay addresses. When the
person already has an open living residence at that address, no second one is made; that one is verified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.locks import deliveries_lock
from ketenregie.core.permissions import Capability
from ketenregie.core.services import create_audited, ensure_same_municipality, update_versioned
from ketenregie.core.text import normalise_name
from ketenregie.core.validators import validate_bsn
from ketenregie.people.models import (
    Person,
    RegistrationStatus,
    Residence,
    ResidenceSource,
    VerificationMethod,
    VerificationStatus,
)
from ketenregie.people.names import surname_key
from ketenregie.people.stays import stay_address_start
from ketenregie.people.verification import VERIFICATION_WORKFLOW, residence_verify
from ketenregie.places.models import Address

RNI = "rni"
BRP_REQUEST = "brp_request"
KINDS = (RNI, BRP_REQUEST)

SAME_BSN = gettext_lazy("same BSN")
SAME_NAME = gettext_lazy("same name and date of birth")
SAME_SURNAME = gettext_lazy("same surname and date of birth")


@dataclass(frozen=True)
class Candidate:
    person: Person
    reason: str
    certain: bool  # the same BSN, and the only one with it


def registration_candidates(
    *, actor: Actor, bsn: str, given_names: str, surname_prefix: str, surname: str, birth_date: dt.date
) -> list[Candidate]:
    """People of the municipality who could be the person on a form (shown to civil affairs: audited)."""
    actor.require(Capability.VIEW_PERSONAL_DATA)
    people = Person.objects.filter(municipality=actor.municipality)
    found: dict[int, Candidate] = {}
    if bsn:
        by_bsn = list(people.filter(bsn=bsn).order_by("pk"))
        for person in by_bsn:
            found[person.pk] = Candidate(person, str(SAME_BSN), certain=len(by_bsn) == 1)
    wanted_surname = surname_key(surname_prefix, surname)
    wanted_given = normalise_name(given_names)
    # Names are compared in Python (accents, case, spacing); the date of birth narrows it to a handful.
    for person in people.filter(birth_date=birth_date).order_by("pk"):
        if person.pk in found:
            continue
        if surname_key(person.surname_prefix, person.surname) != wanted_surname:
            continue
        same_given = normalise_name(person.given_names) == wanted_given
        found[person.pk] = Candidate(person, str(SAME_NAME if same_given else SAME_SURNAME), certain=False)
    candidates = list(found.values())
    audit.record_views(actor, objects=[c.person for c in candidates], context="registration_candidates")
    return candidates


@transaction.atomic
def first_registration_record(
    *,
    actor: Actor,
    kind: str,
    person: Person | None,
    create_new: bool,
    bsn: str,
    given_names: str,
    surname_prefix: str,
    surname: str,
    birth_date: dt.date,
    nationality: str,
    address: Address,
    seen_on: dt.date,
    note: str,
) -> tuple[Person, Residence]:
    """Register the person of a first-registration form: (a) ``kind="rni"``, registered in the RNI with the
    BSN the RNI gave (required), or (b) ``kind="brp_request"``, a BRP registration requested (the person
    stays *not registered* until the BRP registers them). Then the address seen on ``seen_on`` becomes
    their residence, verified by inspection. Returns the person and the residence."""
    actor.require(Capability.EDIT_PEOPLE)
    ensure_same_municipality(actor, address, *([person] if person is not None else []))
    # One at a time with deliveries: a delivery of the same new worker running now would otherwise
    # make a second person of them.
    deliveries_lock(actor.municipality.pk)
    if kind not in KINDS:
        raise ValidationError({"outcome": _("Choose an RNI registration or a BRP registration request.")})
    bsn = bsn.strip()
    if bsn:
        validate_bsn(bsn)
    if (
        person is None
        and not create_new
        and registration_candidates(
            actor=actor,
            bsn=bsn,
            given_names=given_names,
            surname_prefix=surname_prefix,
            surname=surname,
            birth_date=birth_date,
        )
    ):
        raise ValidationError(
            {"person": _("People in the register may be this person: choose one, or choose a new person.")}
        )
    if kind == RNI and not (bsn or (person is not None and person.bsn)):
        raise ValidationError({"bsn": _("An RNI registration needs the BSN the RNI gave.")})
    today = timezone.localdate()
    if person is None:
        fields: dict[str, object] = {
            "bsn": bsn,
            "given_names": given_names,
            "surname_prefix": surname_prefix,
            "surname": surname,
            "birth_date": birth_date,
            "nationality": nationality,
            "registration_status": RegistrationStatus.NON_RESIDENT
            if kind == RNI
            else RegistrationStatus.NOT_REGISTERED,
        }
        if kind == BRP_REQUEST:
            fields["brp_registration_requested_on"] = today
        person = create_audited(actor, Person, allowed=fields.keys(), **fields)
    else:
        person = _update_registration(actor, person, kind=kind, bsn=bsn, today=today)
    residence = _residence_at(actor, person, address, seen_on, note)
    return person, residence


def _update_registration(actor: Actor, person: Person, *, kind: str, bsn: str, today: dt.date) -> Person:
    stored = Person.objects.select_for_update().get(pk=person.pk)
    if stored.registration_status == RegistrationStatus.RESIDENT:
        raise ValidationError(
            {
                "person": _(
                    "This person is already registered as a resident in the BRP: choose another person."
                )
            }
        )
    if bsn and stored.bsn and stored.bsn != bsn:
        raise ValidationError({"bsn": _("The chosen person has another BSN in the register.")})
    changes: dict[str, object] = {}
    if bsn and not stored.bsn:
        changes["bsn"] = bsn
    if kind == RNI and stored.registration_status != RegistrationStatus.NON_RESIDENT:
        changes["registration_status"] = RegistrationStatus.NON_RESIDENT
    if kind == BRP_REQUEST:
        changes["brp_registration_requested_on"] = today
    if not changes:
        return stored
    return update_versioned(
        actor, stored, expected_version=stored.version, changes=changes, allowed=changes.keys()
    )


def _residence_at(actor: Actor, person: Person, address: Address, seen_on: dt.date, note: str) -> Residence:
    # Beside the register's (BRP/RNI) residence, never instead of it: people.stays has the rule.
    residence = stay_address_start(
        actor=actor,
        person=person,
        address=address,
        starts_on=seen_on,
        source=ResidenceSource.INSPECTION,
        verification_status=VerificationStatus.UNVERIFIED,
    )
    if VERIFICATION_WORKFLOW.allows(residence.verification_status, VerificationStatus.VERIFIED):
        residence = residence_verify(
            actor=actor,
            residence=residence,
            status=VerificationStatus.VERIFIED,
            method=VerificationMethod.INSPECTION,
            note=note,
            expected_version=residence.version,
        )
    return residence
