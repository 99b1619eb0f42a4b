"""Reads of the retention policy, the legal holds, the purge history, and what is (or falls) due.

What is due is asked of the apps that own the records (their ``retention_due_*`` selectors); this
module only combines the answers, with the legal holds and the municipality's periods.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ketenregie.cases import selectors as case_selectors
from ketenregie.cases.models import Case
from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality
from ketenregie.core.permissions import Capability
from ketenregie.infopoint import selectors as infopoint_selectors
from ketenregie.portal import selectors as portal_selectors
from ketenregie.retention.defaults import DEFAULTS, Period
from ketenregie.retention.models import LegalHold, PurgeRun, RecordType, RetentionPolicy
from ketenregie.risk import selectors as risk_selectors
from ketenregie.signals import selectors as signal_selectors


@dataclass(frozen=True)
class PolicyRow:
    record_type: str
    label: str
    period: Period
    minimum: Period
    basis: str
    counted_from: str
    stored: RetentionPolicy | None

    @property
    def is_default(self) -> bool:
        default = DEFAULTS[self.record_type].period
        return self.stored is None or self.period == default

    @property
    def version(self) -> int:
        return self.stored.version if self.stored else 0


def policy(municipality: Municipality) -> list[PolicyRow]:
    """Every record type with the period in force: the municipality's own, or the default."""
    stored = {p.record_type: p for p in RetentionPolicy.objects.filter(municipality=municipality)}
    rows = []
    for record_type, label in RecordType.choices:
        default = DEFAULTS[record_type]
        own = stored.get(record_type)
        rows.append(
            PolicyRow(
                record_type=record_type,
                label=str(label),
                period=Period(own.amount, own.unit) if own else default.period,
                minimum=default.minimum,
                basis=own.basis if own else str(default.basis),
                counted_from=str(default.counted_from),
                stored=own,
            )
        )
    return rows


def periods(municipality: Municipality) -> dict[str, Period]:
    return {row.record_type: row.period for row in policy(municipality)}


def policy_view(*, actor: Actor) -> list[PolicyRow]:
    if not (actor.can(Capability.VIEW_RETENTION) or actor.can(Capability.MANAGE_RETENTION)):
        actor.require(Capability.VIEW_RETENTION)
    return policy(actor.municipality)


@dataclass
class Plan:
    """What is due on a day, per record type, as the ids the owning apps gave."""

    as_of: dt.date
    ids: dict[str, list[int]] = field(default_factory=dict)
    outbox_ids: list[int] = field(default_factory=list)
    audit_due: int = 0
    cutoffs: dict[str, dt.date] = field(default_factory=dict)

    def due(self, record_type: str) -> int:
        if record_type == RecordType.AUDIT_TRAIL:
            return self.audit_due
        extra = len(self.outbox_ids) if record_type == RecordType.PORTAL_VERIFICATIONS else 0
        return len(self.ids.get(record_type, [])) + extra

    @property
    def removed_case_ids(self) -> list[int]:
        return self.ids.get(RecordType.CASES_SANCTIONED, []) + self.ids.get(RecordType.CASES, [])


def _ids(records: QuerySet[Any]) -> list[int]:
    return list(records.order_by().values_list("pk", flat=True))


def held_case_ids(municipality: Municipality) -> QuerySet[Any]:
    return LegalHold.objects.filter(
        municipality=municipality, lifted_at__isnull=True, case__isnull=False
    ).values("case_id")


def plan(municipality: Municipality, *, as_of: dt.date) -> Plan:
    """Everything due on ``as_of`` under the municipality's periods, legal holds respected."""
    cutoffs = {record_type: period.before(as_of) for record_type, period in periods(municipality).items()}
    held = held_case_ids(municipality)
    result = Plan(as_of=as_of, cutoffs=cutoffs)
    for record_type, sanctioned in ((RecordType.CASES_SANCTIONED, True), (RecordType.CASES, False)):
        result.ids[record_type] = _ids(
            case_selectors.retention_due_cases(
                municipality=municipality,
                closed_on_or_before=cutoffs[record_type],
                sanctioned=sanctioned,
                held=held,
            )
        )
    removed = result.removed_case_ids
    kept_signals = case_selectors.retention_signals_kept(municipality=municipality, removed_case_ids=removed)
    result.ids[RecordType.SIGNALS] = _ids(
        signal_selectors.retention_due(
            municipality=municipality, closed_on_or_before=cutoffs[RecordType.SIGNALS], keep=kept_signals
        )
    )
    result.ids[RecordType.HANDOVER_DOSSIERS] = _ids(
        case_selectors.retention_due_dossiers(
            municipality=municipality,
            on_or_before=cutoffs[RecordType.HANDOVER_DOSSIERS],
            held=held,
            removed_case_ids=removed,
        )
    )
    result.ids[RecordType.REGISTRATION_FORMS] = _ids(
        case_selectors.retention_due_registration_forms(
            municipality=municipality,
            on_or_before=cutoffs[RecordType.REGISTRATION_FORMS],
            held=held,
            removed_case_ids=removed,
        )
    )
    verifications, outbox = portal_selectors.retention_due_verifications(
        municipality=municipality, on_or_before=cutoffs[RecordType.PORTAL_VERIFICATIONS]
    )
    result.ids[RecordType.PORTAL_VERIFICATIONS] = _ids(verifications)
    result.outbox_ids = _ids(outbox)
    result.ids[RecordType.SELF_SERVICE_REPORTS] = _ids(
        portal_selectors.retention_due_self_service_reports(
            municipality=municipality, on_or_before=cutoffs[RecordType.SELF_SERVICE_REPORTS]
        )
    )
    result.ids[RecordType.INFOPOINT_CONTACTS] = _ids(
        infopoint_selectors.retention_due_contacts(
            municipality=municipality, on_or_before=cutoffs[RecordType.INFOPOINT_CONTACTS]
        )
    )
    result.ids[RecordType.RISK_RUNS] = _ids(
        risk_selectors.retention_due_runs(
            municipality=municipality,
            on_or_before=cutoffs[RecordType.RISK_RUNS],
            removed_case_ids=removed,
        )
    )
    result.audit_due = audit.retention_due_events(
        municipality=municipality, on_or_before=cutoffs[RecordType.AUDIT_TRAIL]
    ).count()
    return result


@dataclass(frozen=True)
class DueRow:
    record_type: str
    label: str
    due_now: int
    due_by: int


def falling_due(*, actor: Actor, days: int = 31) -> tuple[dt.date, list[DueRow], list[str]]:
    """What is due today and what will be by a month from now (a dry run of both), per record type,
    and the references of the cases that will go, so a hold can still be placed on one."""
    actor.require(Capability.VIEW_RETENTION)
    today = timezone.localdate()
    later = today + dt.timedelta(days=days)
    now, then = plan(actor.municipality, as_of=today), plan(actor.municipality, as_of=later)
    rows = [
        DueRow(record_type, str(label), now.due(record_type), then.due(record_type))
        for record_type, label in RecordType.choices
    ]
    references = case_selectors.case_references(
        municipality=actor.municipality, ids=then.removed_case_ids[:200]
    )
    return later, rows, references


def purge_runs(*, actor: Actor, limit: int = 50) -> list[PurgeRun]:
    actor.require(Capability.VIEW_RETENTION)
    return list(PurgeRun.objects.filter(municipality=actor.municipality)[:limit])


def holds(*, actor: Actor, active_only: bool = False) -> list[LegalHold]:
    actor.require(Capability.VIEW_RETENTION)
    found = LegalHold.objects.filter(municipality=actor.municipality)
    return list(found.filter(lifted_at__isnull=True) if active_only else found[:200])


def hold_of_case(*, actor: Actor, case: Case) -> LegalHold | None:
    """The active hold on a case, for the case page."""
    if case.municipality_id != actor.municipality.pk:
        return None
    return LegalHold.objects.filter(
        municipality=actor.municipality, case=case, lifted_at__isnull=True
    ).first()


def hold_get(*, actor: Actor, hold_id: int) -> LegalHold:
    hold = LegalHold.objects.filter(municipality=actor.municipality, pk=hold_id).first()
    if hold is None:
        raise Http404
    return hold
