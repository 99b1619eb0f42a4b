"""Findings per address, first-registration forms, measures and attachments."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.cases import history, timeline
from ketenregie.cases.access import case_access
from ketenregie.cases.models import (
    Case,
    CaseAttachment,
    CaseEventKind,
    CaseStatus,
    DataCategory,
    Finding,
    FirstRegistrationForm,
    Measure,
    MeasureKind,
    MeasureStatus,
    RegistrationFormStatus,
    RegistrationOutcome,
    VisitStatus,
)
from ketenregie.cases.services.lifecycle import require_recording
from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError, save_versioned
from ketenregie.core.models import AuditAction, Organisation
from ketenregie.core.permissions import Capability
from ketenregie.core.selectors import norms_for
from ketenregie.core.services import ensure_same_municipality
from ketenregie.core.uploads import CheckedUpload
from ketenregie.people import services as people_services
from ketenregie.people.models import Person
from ketenregie.places.models import Address
from ketenregie.places.selectors import with_registered_count

FINDING_FIELDS = (
    "no_access",
    "inhabited",
    "persons_found",
    "persons_registered",
    "fire_safety_issue",
    "fire_safety_notes",
    "unregistered_persons",
    "registered_not_living",
    "exploitation_signals",
    "exploitation_notes",
    "other_violation",
    "notes",
)


def registered_on(address: Address, day: dt.date) -> int:
    """How many people the BRP had registered at ``address`` on ``day`` (a count, no names)."""
    # The BRP's facts, not a stay address: the finding compares what was seen with the registration.
    counted = (
        with_registered_count(Address.objects.filter(pk=address.pk), day, register_only=True)
        .only("pk")
        .first()
    )
    return int(getattr(counted, "registered_persons", 0) or 0)


def _ensure_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("This case is closed; it can no longer be changed."))


def _advance(actor: Actor, case: Case, status: str, *, from_statuses: tuple[str, ...]) -> None:
    """Move the case on as its work is recorded (a finding: in investigation; a measure: enforcement),
    like any other status change: through the workflow's check, with a new version and an audit event.
    A case that is already further along stays where it is."""
    # NO KEY UPDATE: the finding or measure just inserted holds a key-share lock on the case row, and a
    # second recorder doing the same must not deadlock with this one.
    stored = Case.objects.select_for_update(no_key=True).get(pk=case.pk)
    if stored.status not in from_statuses:
        return
    stored.status = status
    save_versioned(stored, expected_version=stored.version, fields=["status"])
    audit.record_change(actor, instance=stored, action=AuditAction.UPDATE, changed_fields=["status"])
    timeline.record(
        actor,
        stored,
        kind=CaseEventKind.STATUS,
        summary=_("Status: %(status)s.") % {"status": stored.get_status_display()},
    )
    # The caller's copy follows, so a later write from it is checked from the right status.
    case.status, case.version = stored.status, stored.version
    case.status_written()


def _summary(finding: Finding) -> str:
    if finding.no_access:
        outcome = _("no access")
    elif finding.violation_found:
        outcome = _("violation established")
    else:
        outcome = _("no violation")
    return _("Finding at %(address)s: %(outcome)s.") % {"address": finding.address.label, "outcome": outcome}


@transaction.atomic
def finding_record(
    *, actor: Actor, case: Case, address: Address, found_on: dt.date | None = None, **values: Any
) -> Finding:
    """Record what was found at an address of the case. Floor area, norm and registrations are taken
    from the registers as they were on the day, so the finding keeps its meaning when they change."""
    access = require_recording(actor, case)
    ensure_same_municipality(actor, address)
    _ensure_open(case)
    unknown = set(values) - set(FINDING_FIELDS)
    if unknown:
        raise TypeError(f"not a finding field: {', '.join(sorted(unknown))}")
    stop = case.case_addresses.filter(address=address).first()
    if stop is None:
        raise ValidationError(_("%(address)s is not part of this case.") % {"address": address.label})
    day = found_on or timezone.localdate()
    norms = norms_for(actor.municipality)
    finding = Finding(
        municipality=actor.municipality,
        case=case,
        address=address,
        found_on=day,
        recorded_by_organisation=actor.organisation,
        floor_area_m2=address.floor_area_m2,
        norm_m2_per_person=Decimal(
            norms.caravan_floor_area_per_person_m2 if address.is_caravan else norms.floor_area_per_person_m2
        ),
        **values,
    )
    if finding.persons_registered is None:
        finding.persons_registered = registered_on(address, day)
    finding.full_clean(exclude=["recorded_by_organisation"])
    finding.save()
    stop.visit_status = VisitStatus.NO_ACCESS if finding.no_access else VisitStatus.VISITED
    stop.save(update_fields=["visit_status"])
    audit.record_change(actor, instance=finding, action=AuditAction.CREATE, changed_fields=list(values))
    timeline.record(
        actor,
        case,
        kind=CaseEventKind.FINDING,
        data_category=DataCategory.FINDINGS,
        summary=_summary(finding),
    )
    if access.manages:
        _advance(actor, case, CaseStatus.INVESTIGATING, from_statuses=(CaseStatus.OPEN, CaseStatus.PLANNED))
    return finding


@transaction.atomic
def finding_update(*, actor: Actor, finding: Finding, expected_version: int, **changes: Any) -> Finding:
    """Change a finding: only its recording organisation may, and the values it had are kept."""
    case = finding.case
    require_recording(actor, case)
    unknown = set(changes) - set(FINDING_FIELDS)
    if unknown:
        raise TypeError(f"not a finding field: {', '.join(sorted(unknown))}")
    stored = Finding.objects.select_related("address", "case").get(pk=finding.pk)
    history.require_may_change(actor, stored)
    _ensure_open(case)
    if stored.version != expected_version:
        raise ConcurrentEditError(stored)
    changed = [name for name, value in changes.items() if getattr(stored, name) != value]
    if not changed:
        return stored
    before = copy.copy(stored)
    for name, value in changes.items():
        setattr(stored, name, value)
    stored.full_clean(exclude=["recorded_by_organisation"])
    stored.evaluate()
    save_versioned(
        stored, expected_version=expected_version, fields=[*changed, "overcrowded", "violation_found"]
    )
    kept = history.keep_version(actor, before, changed=changed)
    audit.record_change(actor, instance=stored, action=AuditAction.UPDATE, changed_fields=changed)
    timeline.record(
        actor,
        case,
        kind=CaseEventKind.FINDING,
        data_category=DataCategory.FINDINGS,
        summary=_("Finding changed (version %(version)d; earlier: %(earlier)s). %(summary)s")
        % {
            "version": stored.version,
            "earlier": history.earlier_values(stored, kept, quote_text=False),
            "summary": _summary(stored),
        },
        fields=changed,
    )
    return stored


@transaction.atomic
def registration_form_add(
    *,
    actor: Actor,
    finding: Finding,
    given_names: str,
    surname: str,
    birth_date: dt.date,
    nationality: str,
    surname_prefix: str = "",
    bsn: str = "",
    previous_country: str = "",
    arrival_date: dt.date | None = None,
) -> FirstRegistrationForm:
    """Draw up a first-registration form for a person found living at the address unregistered."""
    case = finding.case
    access = require_recording(actor, case)
    if not access.sees_persons:
        raise PermissionDenied(_("Your organisation's agreement does not cover identities of persons."))
    _ensure_open(case)
    if birth_date > timezone.localdate():
        raise ValidationError({"birth_date": _("A date of birth cannot lie in the future.")})
    form = FirstRegistrationForm(
        municipality=actor.municipality,
        finding=finding,
        case=case,
        address=finding.address,
        given_names=given_names.strip(),
        surname_prefix=surname_prefix.strip(),
        surname=surname.strip(),
        birth_date=birth_date,
        nationality=nationality.strip().upper(),
        bsn=bsn.strip(),
        previous_country=previous_country.strip().upper(),
        arrival_date=arrival_date,
        drawn_up_on=finding.found_on,
        recorded_by_organisation=actor.organisation,
    )
    form.full_clean(exclude=["recorded_by_organisation"])
    form.save()
    audit.record_change(
        actor, instance=form, action=AuditAction.CREATE, changed_fields=["given_names", "surname"]
    )
    timeline.record(
        actor,
        case,
        kind=CaseEventKind.REGISTRATION,
        data_category=DataCategory.PERSONS,
        summary=_("First-registration form drawn up at %(address)s.") % {"address": finding.address.label},
    )
    return form


@transaction.atomic
def registration_form_set_status(
    *, actor: Actor, form: FirstRegistrationForm, expected_version: int, status: str
) -> FirstRegistrationForm:
    """Civil affairs processes the form in the BRP (or rejects it); the status it had is kept."""
    actor.require(Capability.PROCESS_FIRST_REGISTRATIONS)
    ensure_same_municipality(actor, form)
    history.require_may_change(actor, form)
    if status not in RegistrationFormStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == RegistrationFormStatus.PROCESSED or form.status == RegistrationFormStatus.PROCESSED:
        # Processing registers the person (registration_form_process); a status alone would not.
        raise ValidationError(
            {"status": _("A form is processed by registering the person: use “Process” on the form.")}
        )
    before = FirstRegistrationForm.objects.get(pk=form.pk)
    form.status = status
    fields = ["status"]
    if status == RegistrationFormStatus.PROCESSED:
        form.processed_on = timezone.localdate()
        fields.append("processed_on")
    save_versioned(form, expected_version=expected_version, fields=fields)
    history.keep_version(actor, before, changed=fields)
    audit.record_change(actor, instance=form, action=AuditAction.UPDATE, changed_fields=fields)
    timeline.record(
        actor,
        form.case,
        kind=CaseEventKind.REGISTRATION,
        data_category=DataCategory.PERSONS,
        summary=_("First-registration form: %(status)s.") % {"status": form.get_status_display()},
    )
    return form


@transaction.atomic
def registration_form_process(
    *,
    actor: Actor,
    form: FirstRegistrationForm,
    expected_version: int,
    outcome: str,
    person: Person | None = None,
    create_new: bool = False,
    bsn: str = "",
    note: str = "",
) -> FirstRegistrationForm:
    """Civil affairs processes a form into an RNI registration (with the BSN the RNI gave) or a BRP
    registration request. The person and the verified residence are written by the people services;
    an uncertain match must have been chosen (``person``) or declined (``create_new``), never guessed.
    The form links to the person and keeps who processed it when; its earlier version is kept."""
    actor.require(Capability.PROCESS_FIRST_REGISTRATIONS)
    ensure_same_municipality(actor, form)
    history.require_may_change(actor, form)
    stored = (
        FirstRegistrationForm.objects.select_for_update().select_related("address", "case").get(pk=form.pk)
    )
    if stored.version != expected_version:
        raise ConcurrentEditError(stored)
    if stored.status not in (RegistrationFormStatus.DRAWN_UP, RegistrationFormStatus.SENT):
        raise ValidationError(_("This form is already %(status)s.") % {"status": stored.get_status_display()})
    if outcome not in RegistrationOutcome.values:
        raise ValidationError({"outcome": _("Choose an RNI registration or a BRP registration request.")})
    before = copy.copy(stored)
    registered, _residence = people_services.first_registration_record(
        actor=actor,
        kind=outcome,
        person=person,
        create_new=create_new,
        bsn=bsn.strip() or stored.bsn,
        given_names=stored.given_names,
        surname_prefix=stored.surname_prefix,
        surname=stored.surname,
        birth_date=stored.birth_date,
        nationality=stored.nationality,
        address=stored.address,
        seen_on=stored.drawn_up_on,
        note=_("First-registration form %(id)d, case %(case)s. %(note)s")
        % {"id": stored.pk, "case": stored.case.reference, "note": note.strip()},
    )
    stored.status = RegistrationFormStatus.PROCESSED
    stored.outcome = outcome
    stored.person = registered
    stored.processed_on = timezone.localdate()
    stored.processed_at = timezone.now()
    stored.processed_by = actor.user
    stored.processed_by_name = actor.username
    fields = [
        "status",
        "outcome",
        "person",
        "processed_on",
        "processed_at",
        "processed_by",
        "processed_by_name",
    ]
    save_versioned(stored, expected_version=expected_version, fields=fields)
    history.keep_version(actor, before, changed=fields)
    audit.record_change(actor, instance=stored, action=AuditAction.UPDATE, changed_fields=fields)
    timeline.record(
        actor,
        stored.case,
        kind=CaseEventKind.REGISTRATION,
        data_category=DataCategory.PERSONS,
        summary=_("First-registration form processed: %(outcome)s.")
        % {"outcome": stored.get_outcome_display()},
    )
    return stored


@transaction.atomic
def measure_take(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    address: Address | None = None,
    addressee: str = "",
    issued_on: dt.date | None = None,
    amount: Decimal | None = None,
    max_amount: Decimal | None = None,
    deadline: dt.date | None = None,
    handed_to: Organisation | None = None,
    notes: str = "",
) -> Measure:
    actor.require(Capability.MANAGE_CASES)
    ensure_same_municipality(actor, case, *(x for x in (address, handed_to) if x is not None))
    _ensure_open(case)
    measure = Measure(
        municipality=actor.municipality,
        case=case,
        kind=kind,
        address=address,
        addressee=addressee.strip(),
        issued_on=issued_on or timezone.localdate(),
        amount=amount,
        max_amount=max_amount,
        deadline=deadline,
        handed_to=handed_to,
        notes=notes,
        recorded_by_organisation=actor.organisation,
    )
    measure.full_clean(exclude=["recorded_by_organisation"])
    measure.save()
    audit.record_change(actor, instance=measure, action=AuditAction.CREATE, changed_fields=["kind"])
    where = _(" at %(address)s") % {"address": address.label} if address else ""
    timeline.record(
        actor,
        case,
        kind=CaseEventKind.MEASURE,
        data_category=DataCategory.MEASURES,
        summary=_("Measure: %(kind)s%(where)s.") % {"kind": measure.get_kind_display(), "where": where},
    )
    if kind != MeasureKind.HANDOVER:
        _advance(
            actor,
            case,
            CaseStatus.ENFORCEMENT,
            from_statuses=(CaseStatus.OPEN, CaseStatus.PLANNED, CaseStatus.INVESTIGATING),
        )
    return measure


@transaction.atomic
def measure_set_status(*, actor: Actor, measure: Measure, expected_version: int, status: str) -> Measure:
    """Only the organisation that took the measure changes its status; the status it had is kept."""
    actor.require(Capability.MANAGE_CASES)
    ensure_same_municipality(actor, measure)
    history.require_may_change(actor, measure)
    if status not in MeasureStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    before = Measure.objects.get(pk=measure.pk)
    measure.status = status
    save_versioned(measure, expected_version=expected_version, fields=["status"])
    history.keep_version(actor, before, changed=["status"])
    audit.record_change(actor, instance=measure, action=AuditAction.UPDATE, changed_fields=["status"])
    timeline.record(
        actor,
        measure.case,
        kind=CaseEventKind.MEASURE,
        data_category=DataCategory.MEASURES,
        summary=_("%(kind)s: %(status)s.")
        % {"kind": measure.get_kind_display(), "status": measure.get_status_display()},
    )
    return measure


@transaction.atomic
def attachment_add(
    *, actor: Actor, case: Case, upload: CheckedUpload, finding: Finding | None = None, description: str = ""
) -> CaseAttachment:
    """Attach a checked photo or document; a partner needs the attachments category in its agreement."""
    actor.require(Capability.RECORD_FINDINGS)
    access = case_access(actor, case)
    if not access.sees_attachments:
        raise PermissionDenied(_("Your organisation's agreement does not cover photos and documents."))
    _ensure_open(case)
    if finding is not None:
        if finding.case_id != case.pk:
            raise ValidationError(_("This finding belongs to another case."))
        # A photo under a finding is part of what the finding says: its recorder's to add.
        history.require_may_change(actor, finding)
    attachment = CaseAttachment.objects.create(
        municipality=actor.municipality,
        case=case,
        finding=finding,
        file=upload.content,
        original_name=upload.original_name,
        description=description.strip()[:200],
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by_organisation=actor.organisation,
    )
    audit.record_change(actor, instance=attachment, action=AuditAction.CREATE, changed_fields=["file"])
    timeline.record(
        actor,
        case,
        kind=CaseEventKind.ATTACHMENT,
        data_category=DataCategory.ATTACHMENTS,
        summary=_("Attachment added: %(name)s.") % {"name": upload.original_name},
    )
    return attachment
