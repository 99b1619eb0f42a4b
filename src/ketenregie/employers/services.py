"""Writes to employers, violations and the covenant, including the covenant's own rules:

- an employer with a proven violation cannot join (Rotterdam, motie 'Stop de dubbele uitbuiting');
- a proven violation of a member opens the escalation ladder: talk, arbitration, termination;
- an employer is looked up in the KvK trade register when it is registered (employers.registry).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import save_versioned
from ketenregie.core.models import AuditAction
from ketenregie.core.permissions import Capability
from ketenregie.core.services import create_audited, ensure_same_municipality, update_versioned
from ketenregie.employers.models import (
    ESCALATION_LADDER,
    Covenant,
    CovenantMembership,
    Employer,
    Employment,
    EscalationOutcome,
    EscalationStep,
    EscalationStepKind,
    MembershipStatus,
    Violation,
    ViolationStatus,
)
from ketenregie.employers.registry import employers_check_kvk_after_commit
from ketenregie.people.models import Sector

EMPLOYER_EDITABLE_FIELDS = (
    "kvk_number",
    "name",
    "kind",
    "sector",
    "address",
    "sna_certified",
    "sna_certified_since",
    "branch_membership",
    "wtta_status",
)


@transaction.atomic
def employer_create(*, actor: Actor, **fields: Any) -> Employer:
    """Register an employer; it is looked up in the KvK once the registration is committed."""
    actor.require(Capability.EDIT_EMPLOYERS)
    employer = create_audited(actor, Employer, allowed=EMPLOYER_EDITABLE_FIELDS, **fields)
    employers_check_kvk_after_commit(actor, [employer])
    return employer


@transaction.atomic
def employer_update(*, actor: Actor, employer: Employer, expected_version: int, **changes: Any) -> Employer:
    actor.require(Capability.EDIT_EMPLOYERS)
    return update_versioned(
        actor, employer, expected_version=expected_version, changes=changes, allowed=EMPLOYER_EDITABLE_FIELDS
    )


def _active_membership(employer: Employer) -> CovenantMembership | None:
    return (
        CovenantMembership.objects.select_for_update()
        .filter(employer=employer)
        .exclude(status=MembershipStatus.TERMINATED)
        .first()
    )


def _open_escalation(
    actor: Actor, *, violation: Violation, starts_on: dt.date | None = None
) -> EscalationStep | None:
    membership = _active_membership(violation.employer)
    if membership is None:
        return None
    if membership.escalation_steps.filter(outcome=EscalationOutcome.PENDING).exists():
        # One ladder at a time: a further violation is added to the step that is under way.
        return None
    step = EscalationStep.objects.create(
        municipality=actor.municipality,
        membership=membership,
        violation=violation,
        kind=EscalationStepKind.TALK,
        started_on=starts_on or timezone.localdate(),
    )
    if membership.status != MembershipStatus.IN_ESCALATION:
        membership.status = MembershipStatus.IN_ESCALATION
        save_versioned(membership, expected_version=membership.version, fields=["status"])
        audit.record_change(actor, instance=membership, action=AuditAction.UPDATE, changed_fields=["status"])
    audit.record_change(actor, instance=step, action=AuditAction.CREATE)
    return step


@transaction.atomic
def violation_record(
    *,
    actor: Actor,
    employer: Employer,
    kind: str,
    status: str,
    source: str,
    occurred_on: dt.date,
    fine_amount: Decimal | None = None,
    description: str = "",
    escalation_starts_on: dt.date | None = None,
) -> Violation:
    actor.require(Capability.RECORD_VIOLATIONS)
    ensure_same_municipality(actor, employer)
    violation = Violation(
        municipality=actor.municipality,
        employer=employer,
        kind=kind,
        status=status,
        source=source,
        occurred_on=occurred_on,
        fine_amount=fine_amount,
        description=description,
    )
    violation.full_clean()
    violation.save()
    audit.record_change(actor, instance=violation, action=AuditAction.CREATE)
    if status == ViolationStatus.PROVEN:
        _open_escalation(actor, violation=violation, starts_on=escalation_starts_on)
    return violation


@transaction.atomic
def violation_set_status(
    *, actor: Actor, violation: Violation, expected_version: int, status: str
) -> Violation:
    actor.require(Capability.RECORD_VIOLATIONS)
    ensure_same_municipality(actor, violation)
    if status not in ViolationStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    was_proven = violation.status == ViolationStatus.PROVEN
    violation.status = status
    save_versioned(violation, expected_version=expected_version, fields=["status"])
    audit.record_change(actor, instance=violation, action=AuditAction.UPDATE, changed_fields=["status"])
    if status == ViolationStatus.PROVEN and not was_proven:
        _open_escalation(actor, violation=violation)
    return violation


@transaction.atomic
def covenant_join(
    *, actor: Actor, covenant: Covenant, employer: Employer, joined_on: dt.date
) -> CovenantMembership:
    """Admit an employer to the covenant, unless it has a proven violation or is already a member."""
    actor.require(Capability.MANAGE_COVENANT)
    ensure_same_municipality(actor, covenant, employer)
    # Lock the employer so a violation recorded at the same moment cannot slip past the rule.
    Employer.objects.select_for_update().filter(pk=employer.pk).first()
    if employer.violations.filter(status=ViolationStatus.PROVEN).exists():
        raise ValidationError(
            _(
                "%(employer)s cannot join: it has a proven violation. The covenant admits only employers "
                "without proven violations."
            )
            % {"employer": employer.name},
            code="proven_violation",
        )
    if _active_membership(employer) is not None:
        raise ValidationError(
            _("%(employer)s is already a member.") % {"employer": employer.name}, code="already_member"
        )
    membership = CovenantMembership.objects.create(
        municipality=actor.municipality, covenant=covenant, employer=employer, joined_on=joined_on
    )
    audit.record_change(actor, instance=membership, action=AuditAction.CREATE)
    return membership


@transaction.atomic
def escalation_conclude(
    *, actor: Actor, step: EscalationStep, outcome: str, concluded_on: dt.date, notes: str = ""
) -> EscalationStep | None:
    """Close a step of the ladder. Returns the next step when the outcome is to escalate."""
    actor.require(Capability.MANAGE_COVENANT)
    ensure_same_municipality(actor, step)
    step = EscalationStep.objects.select_for_update().select_related("membership").get(pk=step.pk)
    if step.outcome != EscalationOutcome.PENDING:
        raise ValidationError(
            _("This step was already concluded on %(date)s.") % {"date": step.concluded_on}, code="concluded"
        )
    if outcome not in {o for o in EscalationOutcome.values if o}:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if step.started_on > concluded_on:
        raise ValidationError(
            {"concluded_on": _("A step cannot end before it started (%(date)s).") % {"date": step.started_on}}
        )
    position = ESCALATION_LADDER.index(EscalationStepKind(step.kind))
    if outcome == EscalationOutcome.ESCALATED and position == len(ESCALATION_LADDER) - 1:
        raise ValidationError({"outcome": _("Termination is the last step; it cannot be escalated further.")})
    if outcome == EscalationOutcome.TERMINATED and step.kind != EscalationStepKind.TERMINATION:
        raise ValidationError({"outcome": _("Only the termination step can end the membership.")})
    step.outcome, step.concluded_on, step.notes = outcome, concluded_on, notes
    step.save(update_fields=["outcome", "concluded_on", "notes"])
    audit.record_change(
        actor, instance=step, action=AuditAction.UPDATE, changed_fields=["outcome", "concluded_on", "notes"]
    )
    membership = step.membership
    next_step = None
    if outcome == EscalationOutcome.ESCALATED:
        next_step = EscalationStep.objects.create(
            municipality=actor.municipality,
            membership=membership,
            violation=step.violation,
            kind=ESCALATION_LADDER[position + 1],
            started_on=concluded_on,
        )
        audit.record_change(actor, instance=next_step, action=AuditAction.CREATE)
    else:
        membership.status = (
            MembershipStatus.TERMINATED
            if outcome == EscalationOutcome.TERMINATED
            else MembershipStatus.MEMBER
        )
        membership.ended_on = concluded_on if outcome == EscalationOutcome.TERMINATED else None
        save_versioned(membership, expected_version=membership.version, fields=["status", "ended_on"])
        audit.record_change(
            actor, instance=membership, action=AuditAction.UPDATE, changed_fields=["status", "ended_on"]
        )
    return next_step


@transaction.atomic
def employment_start(
    *,
    actor: Actor,
    person: Any,
    employer: Employer,
    starts_on: dt.date,
    hirer: Employer | None = None,
    ends_on: dt.date | None = None,
    sector: str = "",
) -> Employment:
    """Record that a person works for ``employer`` (for an agency: placed at ``hirer``).

    Civil affairs keeps the register of people, so this needs EDIT_PEOPLE, not EDIT_EMPLOYERS
    (which is enforcement's, for employers' own data and violations).
    """
    actor.require(Capability.EDIT_PEOPLE)
    records = [person, employer] + ([hirer] if hirer is not None else [])
    ensure_same_municipality(actor, *records)
    errors: dict[str, str] = {}
    if hirer is not None and hirer.pk == employer.pk:
        errors["hirer"] = _("The hirer is the company the agency places the worker at: another employer.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("An employment cannot end before it starts (%(date)s).") % {
            "date": starts_on.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    employment = Employment(
        municipality=actor.municipality,
        person=person,
        employer=employer,
        hirer=hirer,
        starts_on=starts_on,
        ends_on=ends_on,
        sector=sector or employer.sector or Sector.OTHER,
    )
    employment.full_clean()
    employment.save()
    audit.record_change(
        actor,
        instance=employment,
        action=AuditAction.CREATE,
        changed_fields=["person", "employer", "hirer", "starts_on", "ends_on", "sector"],
    )
    return employment


@transaction.atomic
def employment_end(*, actor: Actor, employment: Employment, ends_on: dt.date) -> Employment:
    """Close an open employment. An employment that someone already ended is not ended again: the
    second of two concurrent writers is told so instead of moving the date silently."""
    actor.require(Capability.EDIT_PEOPLE)
    ensure_same_municipality(actor, employment)
    stored = Employment.objects.select_for_update().get(pk=employment.pk)
    if stored.ends_on is not None:
        raise ValidationError(
            {
                "ends_on": _("This employment already ended on %(date)s.")
                % {"date": stored.ends_on.isoformat()}
            }
        )
    if ends_on < stored.starts_on:
        raise ValidationError(
            {
                "ends_on": _("An employment cannot end before it starts (%(date)s).")
                % {"date": stored.starts_on.isoformat()}
            }
        )
    stored.ends_on = ends_on
    stored.save(update_fields=["ends_on"])
    audit.record_change(actor, instance=stored, action=AuditAction.UPDATE, changed_fields=["ends_on"])
    return stored


# Deliveries of employments (issue 12).


@dataclass(frozen=True)
class DeliveredEmployment:
    person_id: int
    employer: Employer
    hirer: Employer | None
    starts_on: dt.date
    ends_on: dt.date | None


def employments_deliver(
    *, actor: Actor, new: list[DeliveredEmployment], endings: list[tuple[int, dt.date]]
) -> tuple[int, int]:
    """Record delivered employments in bulk: create the new ones and set the end of existing ones
    (``endings``: employment id → end). Runs inside the delivery's transaction; the runner writes one
    audit event for the whole delivery. Returns (created, ended)."""
    actor.require(Capability.DELIVER_DATA)
    municipality = actor.municipality
    Employment.objects.bulk_create(
        [
            Employment(
                municipality=municipality,
                person_id=row.person_id,
                employer=row.employer,
                hirer=row.hirer,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                # Where the work is done decides the sector: the hirer's for an agency's worker.
                sector=(row.hirer or row.employer).sector,
            )
            for row in new
        ],
        batch_size=2000,
    )
    ended = [Employment(pk=pk, ends_on=ends_on) for pk, ends_on in endings]
    # The ids came from this municipality's employments (employers.selectors.employments_by_key).
    Employment.objects.bulk_update(ended, ["ends_on"], batch_size=2000)
    return len(new), len(ended)
