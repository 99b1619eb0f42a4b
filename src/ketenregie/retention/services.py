"""Writes of retention: the periods, legal holds, and the purge.

The purge asks each owning app what is due and has it remove its own records (``retention_remove_*``),
all in one transaction: a purge removes everything that is due, or nothing. Stored files go once the
transaction is committed. One audit event per purge holds the counts per record type, nothing else.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.cases import services as case_services
from ketenregie.cases.models import Case
from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.locks import retention_lock
from ketenregie.core.models import AuditAction, Municipality
from ketenregie.core.permissions import Capability
from ketenregie.infopoint import services as infopoint_services
from ketenregie.monitoring import services as monitoring_services
from ketenregie.portal import services as portal_services
from ketenregie.retention import selectors
from ketenregie.retention.defaults import DEFAULTS, MAXIMUM, Period
from ketenregie.retention.models import LegalHold, PeriodUnit, PurgeRun, RecordType, RetentionPolicy
from ketenregie.risk import services as risk_services
from ketenregie.signals import services as signal_services

MIN_REASON_LENGTH = 10

Counts = dict[str, dict[str, int]]


# --- the policy ---------------------------------------------------------------------------------------


def check_period(record_type: str, amount: object, unit: str, *, on: dt.date | None = None) -> Period:
    """The period, if it is one this record type may have; else a ValidationError saying why."""
    if record_type not in RecordType.values:
        raise ValidationError({"record_type": _("Unknown record type.")})
    if unit not in PeriodUnit.values:
        raise ValidationError({"unit": _("Choose days, months or years.")})
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
        raise ValidationError({"amount": _("The period must be a whole number of at least 1.")})
    # Far beyond the maximum in any unit: refused before any date is computed (which would overflow).
    if (
        amount
        > {PeriodUnit.DAYS: 40 * 366, PeriodUnit.MONTHS: 40 * 12, PeriodUnit.YEARS: 40}[PeriodUnit(unit)]
    ):
        raise ValidationError(
            {"amount": _("The period can be at most %(maximum)s.") % {"maximum": MAXIMUM.label()}}
        )
    period, today = Period(amount, unit), on or timezone.localdate()
    minimum = DEFAULTS[record_type].minimum
    if not period.at_least(minimum, on=today):
        raise ValidationError(
            {
                "amount": _("The period for this record type is at least %(minimum)s.")
                % {"minimum": minimum.label()}
            }
        )
    if not MAXIMUM.at_least(period, on=today):
        raise ValidationError(
            {"amount": _("The period can be at most %(maximum)s.") % {"maximum": MAXIMUM.label()}}
        )
    return period


def policy_set(
    *, actor: Actor, record_type: str, amount: int, unit: str, basis: str, expected_version: int
) -> RetentionPolicy:
    """Set the municipality's period for one record type. ``expected_version`` is the version the
    administrator saw (0: none stored yet), so two administrators cannot overwrite each other."""
    actor.require(Capability.MANAGE_RETENTION)
    check_period(record_type, amount, unit)
    basis = (basis or "").strip()
    if not basis:
        raise ValidationError({"basis": _("Say on what the period is based: its source or reasoning.")})
    with transaction.atomic():
        stored = (
            RetentionPolicy.objects.select_for_update()
            .filter(municipality=actor.municipality, record_type=record_type)
            .first()
        )
        if (stored.version if stored else 0) != expected_version:
            raise ValidationError(_("Someone else changed this period in the meantime. Check it again."))
        if stored is None:
            stored = RetentionPolicy(municipality=actor.municipality, record_type=record_type)
            action = AuditAction.CREATE
        else:
            stored.version += 1
            action = AuditAction.UPDATE
        stored.amount, stored.unit, stored.basis = amount, unit, basis
        stored.changed_by, stored.changed_by_name = actor.user, actor.username
        stored.save()
        audit.record_change(
            actor, instance=stored, action=action, changed_fields=["record_type", "amount", "unit", "basis"]
        )
    return stored


# --- legal holds --------------------------------------------------------------------------------------


def _reason(text: str, field: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_REASON_LENGTH:
        raise ValidationError(
            {field: _("Give the reason in at least %(count)d characters.") % {"count": MIN_REASON_LENGTH}}
        )
    return text


def _may_hold(actor: Actor, case: Case) -> None:
    actor.require(Capability.PLACE_LEGAL_HOLDS)
    if case.municipality_id != actor.municipality.pk:
        raise ValidationError(_("This case belongs to another municipality."))
    # The department that leads the case decides on it; the administrator acts on any case.
    if not actor.can(Capability.ADMINISTER) and (
        actor.organisation is None or actor.organisation.pk != case.owner_id
    ):
        raise ValidationError(
            _("Only the lead organisation of the case, or the administrator, places a hold.")
        )


def legal_hold_place(*, actor: Actor, case: Case, reason: str) -> LegalHold:
    """Keep a case and everything of it, whatever its age, until the hold is lifted."""
    _may_hold(actor, case)
    reason = _reason(reason, "reason")
    try:
        with transaction.atomic():
            retention_lock(actor.municipality.pk)
            hold = LegalHold.objects.create(
                municipality=actor.municipality,
                case=case,
                case_reference=case.reference,
                reason=reason,
                placed_by=actor.user,
                placed_by_name=actor.username,
            )
    except IntegrityError:
        raise ValidationError(_("This case is already under a legal hold.")) from None
    audit.record_change(actor, instance=hold, action=AuditAction.CREATE, changed_fields=["case", "reason"])
    return hold


def legal_hold_lift(*, actor: Actor, hold: LegalHold, reason: str) -> LegalHold:
    if hold.municipality_id != actor.municipality.pk:
        raise ValidationError(_("This hold belongs to another municipality."))
    if hold.case is not None:
        _may_hold(actor, hold.case)
    else:
        actor.require(Capability.PLACE_LEGAL_HOLDS)
    reason = _reason(reason, "lift_reason")
    lifted = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=actor.user, lifted_by_name=actor.username, lift_reason=reason
    )
    if not lifted:
        raise ValidationError(_("This hold was lifted already."))
    hold.refresh_from_db()
    audit.record_change(
        actor, instance=hold, action=AuditAction.UPDATE, changed_fields=["lifted_at", "lift_reason"]
    )
    return hold


# --- the purge ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeResult:
    as_of: dt.date
    dry_run: bool
    counts: Counts
    run: PurgeRun | None

    @property
    def total_removed(self) -> int:
        return sum(row["removed"] for row in self.counts.values())


def _remove(actor: Actor, found: selectors.Plan) -> dict[str, int]:
    municipality = actor.municipality
    ids = found.ids
    removed: dict[str, int] = {
        RecordType.CASES_SANCTIONED: case_services.retention_remove_cases(
            municipality=municipality, ids=ids[RecordType.CASES_SANCTIONED]
        ),
        RecordType.CASES: case_services.retention_remove_cases(
            municipality=municipality, ids=ids[RecordType.CASES]
        ),
    }
    removed[RecordType.SIGNALS] = signal_services.retention_remove(
        municipality=municipality, ids=ids[RecordType.SIGNALS]
    )
    removed[RecordType.HANDOVER_DOSSIERS] = case_services.retention_remove_dossiers(
        municipality=municipality, ids=ids[RecordType.HANDOVER_DOSSIERS]
    )
    removed[RecordType.REGISTRATION_FORMS] = case_services.retention_remove_registration_forms(
        municipality=municipality, ids=ids[RecordType.REGISTRATION_FORMS]
    )
    removed[RecordType.PORTAL_VERIFICATIONS] = portal_services.retention_remove_verifications(
        municipality=municipality,
        verification_ids=ids[RecordType.PORTAL_VERIFICATIONS],
        outbox_ids=found.outbox_ids,
    )
    removed[RecordType.SELF_SERVICE_REPORTS] = portal_services.retention_remove_self_service_reports(
        municipality=municipality, ids=ids[RecordType.SELF_SERVICE_REPORTS]
    )
    removed[RecordType.INFOPOINT_CONTACTS] = infopoint_services.retention_remove_contacts(
        municipality=municipality, ids=ids[RecordType.INFOPOINT_CONTACTS]
    )
    removed[RecordType.RISK_RUNS] = risk_services.retention_remove_runs(
        municipality=municipality, ids=ids[RecordType.RISK_RUNS]
    )
    removed[RecordType.AUDIT_TRAIL] = audit.retention_remove_events(
        municipality=municipality, on_or_before=found.cutoffs[RecordType.AUDIT_TRAIL]
    )
    return removed


def _not_ahead(as_of: dt.date) -> None:
    today = timezone.localdate()
    if as_of > today:
        message = _("A purge cannot run ahead of today (%(today)s); a dry run shows what falls due later.")
        raise ValidationError({"as_of": message % {"today": today.isoformat()}})


def retention_purge(
    *, actor: Actor, as_of: dt.date | None = None, dry_run: bool = False, record_dry_run: bool = False
) -> PurgeResult:
    """Remove what is due on ``as_of`` (default today), or with ``dry_run`` only count it.

    A dry run changes nothing, unless ``record_dry_run`` asks to keep it in the purge history. A real
    purge cannot run ahead of today: that would remove records before their period has passed.
    """
    today = timezone.localdate()
    as_of = as_of or today
    if dry_run:
        if not (actor.can(Capability.VIEW_RETENTION) or actor.can(Capability.MANAGE_RETENTION)):
            actor.require(Capability.VIEW_RETENTION)
    else:
        actor.require(Capability.MANAGE_RETENTION)
        _not_ahead(as_of)
        # Figures already shown for an ended year are settled from the complete records first, so the
        # removal cannot change them (monitoring keeps settled figures; see refresh_values).
        monitoring_services.settle_reported_years(municipality=actor.municipality)
    started = time.monotonic()
    with transaction.atomic():
        if not dry_run:
            # A hold placed (or a case reopened) while the purge decides would not save the case: both
            # wait for this lock, so they come before the plan or after the removal.
            retention_lock(actor.municipality.pk)
        found = selectors.plan(actor.municipality, as_of=as_of)
        removed = {} if dry_run else _remove(actor, found)
        counts: Counts = {
            record_type: {"due": found.due(record_type), "removed": int(removed.get(record_type, 0))}
            for record_type in RecordType.values
        }
        run = None
        if not dry_run or record_dry_run:
            run = PurgeRun.objects.create(
                municipality=actor.municipality,
                as_of=as_of,
                dry_run=dry_run,
                ran_by=actor.user,
                ran_by_name=actor.username,
                counts=counts,
                duration_ms=int((time.monotonic() - started) * 1000),
            )
        if not dry_run:
            assert run is not None
            audit.record_bulk_change(
                actor,
                model=PurgeRun,
                action=AuditAction.DELETE,
                count=sum(row["removed"] for row in counts.values()),
                detail={
                    "purge_run": run.pk,
                    "as_of": as_of.isoformat(),
                    "removed": {key: row["removed"] for key, row in counts.items()},
                },
            )
    return PurgeResult(as_of=as_of, dry_run=dry_run, counts=counts, run=run)


def policy_ensure_defaults(*, actor: Actor) -> list[RetentionPolicy]:
    """Store the default period of every record type the municipality has none for, with its basis:
    the policy then reads the same in the database as in the docs, and each row has a version to edit."""
    actor.require(Capability.MANAGE_RETENTION)
    created = []
    for record_type, default in DEFAULTS.items():
        policy, made = RetentionPolicy.objects.get_or_create(
            municipality=actor.municipality,
            record_type=record_type,
            defaults={
                "amount": default.period.amount,
                "unit": default.period.unit,
                "basis": str(default.basis),
                "changed_by": actor.user,
                "changed_by_name": actor.username,
            },
        )
        if made:
            created.append(policy)
    if created:
        audit.record_bulk_change(actor, model=RetentionPolicy, action=AuditAction.CREATE, count=len(created))
    return created


def purge_unassigned_audit_events(*, as_of: dt.date | None = None, dry_run: bool = False) -> dict[str, int]:
    """The audit events of no municipality (failed logins of names that are no account) under the
    default period of the trail: no municipality's policy covers them, and they must not stay forever."""
    as_of = as_of or timezone.localdate()
    if not dry_run:
        _not_ahead(as_of)
    cutoff = DEFAULTS[RecordType.AUDIT_TRAIL].period.before(as_of)
    with transaction.atomic():
        due = audit.retention_due_unassigned_events(on_or_before=cutoff).count()
        removed = 0 if dry_run else audit.retention_remove_unassigned_events(on_or_before=cutoff, as_of=as_of)
    return {"due": due, "removed": removed}


def purge_municipalities(
    municipalities: list[Municipality], *, as_of: dt.date | None = None, dry_run: bool = False
) -> list[tuple[Municipality, PurgeResult]]:
    """The nightly purge: each municipality under its own periods, as the system. One failing
    municipality stops the rest, so a problem is seen the next morning rather than hidden. The nightly
    run also calls ``purge_unassigned_audit_events`` (the command does, without --municipality)."""
    return [
        (
            municipality,
            retention_purge(
                actor=Actor.system(municipality, name="retention-purge"), as_of=as_of, dry_run=dry_run
            ),
        )
        for municipality in municipalities
    ]
