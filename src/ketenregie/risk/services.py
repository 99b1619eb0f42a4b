"""Writes of risk selection: the rules, runs with their scores, control lists and what became of them.

A control list is a selection of addresses for a visit, never a decision about anyone: every entry is
either turned into a case by a person, or set aside by a person with a reason.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.cases import services as case_services
from ketenregie.cases.models import OPEN_CASE_STATUSES, Case, CaseAddress, CaseKind, CaseOrigin, Finding
from ketenregie.core import audit, retention
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError, save_versioned
from ketenregie.core.models import AuditAction, Municipality
from ketenregie.core.permissions import Capability
from ketenregie.core.services import ensure_same_municipality
from ketenregie.places.models import Address, Neighbourhood
from ketenregie.risk import engine
from ketenregie.risk.explain import explain
from ketenregie.risk.models import (
    AddressRiskScore,
    ControlList,
    ControlListEntry,
    EmployerRiskScore,
    EntryStatus,
    RiskRun,
    RiskSettings,
    RiskSettingsChange,
)
from ketenregie.risk.scoring import (
    Scored,
    contributions_of,
    default_rules,
    features_of,
    score_municipality,
)

BATCH = 2000


# --- rules --------------------------------------------------------------------------------------------


def validate_rules(rules: Mapping[str, Any]) -> engine.RuleSet:
    """The engine's own check, with its complaint in a Dutch sentence for the form."""
    try:
        return engine.RuleSet.from_dict(dict(rules))
    except (ValueError, TypeError) as error:
        raise ValidationError(
            _("These rules cannot be used: %(error)s. Nothing was saved.") % {"error": error}
        ) from None


@transaction.atomic
def risk_settings_update(
    *, actor: Actor, rules: Mapping[str, Any], expected_version: int, note: str = ""
) -> RiskSettings:
    """Save new rules if nobody saved them since ``expected_version`` (0: nobody ever saved them)."""
    actor.require(Capability.MANAGE_RISK_SETTINGS)
    ruleset = validate_rules(rules)
    stored_rules = ruleset.to_dict()
    defaults = default_rules(actor.municipality).to_dict()
    settings, _created = RiskSettings.objects.select_for_update().get_or_create(
        municipality=actor.municipality, defaults={"rules": defaults, "version": 0}
    )
    if settings.version != expected_version:
        raise ConcurrentEditError(settings)
    previous = settings.rules or defaults
    changed = sorted(key for key in stored_rules if previous.get(key) != stored_rules[key])
    settings.rules = stored_rules
    settings.changed_by = actor.user
    settings.changed_by_name = actor.username
    save_versioned(
        settings, expected_version=expected_version, fields=["rules", "changed_by", "changed_by_name"]
    )
    RiskSettingsChange.objects.create(
        municipality=actor.municipality,
        settings=settings,
        version=settings.version,
        rules=stored_rules,
        changed_keys=changed,
        changed_by=actor.user,
        changed_by_name=actor.username,
        note=note.strip()[:300],
    )
    audit.record_change(actor, instance=settings, action=AuditAction.UPDATE, changed_fields=["rules"])
    return settings


# --- runs ---------------------------------------------------------------------------------------------


def _rule_keys(row: Mapping[str, Any]) -> str:
    keys = [name[2:] for name, value in row.items() if name.startswith("c_") and value]
    return "," + ",".join(sorted(keys)) + "," if keys else ""


@transaction.atomic
def risk_run(*, actor: Actor, as_of: dt.date | None = None, scored: Scored | None = None) -> RiskRun:
    """Score every address and employer as of a date and keep the scores with the rules used."""
    actor.require(Capability.RUN_RISK)
    started = time.perf_counter()
    as_of = as_of or timezone.localdate()
    # Scores computed by the caller (the score command) took time before this call: count it too.
    earlier_ms = 0 if scored is None else sum(scored.timings.values())
    if scored is None:
        scored = score_municipality(actor.municipality, as_of=as_of)
    run = RiskRun.objects.create(
        municipality=actor.municipality,
        as_of=as_of,
        created_by=actor.user,
        created_by_name=actor.username,
        rules=scored.rules.to_dict(),
        rules_version=scored.rules_version,
        address_count=scored.addresses.height,
        employer_count=scored.employers.height,
    )
    saving = time.perf_counter()
    neighbourhood_of = dict(
        Address.objects.filter(municipality=actor.municipality, neighbourhood__isnull=False).values_list(
            "pk", "neighbourhood_id"
        )
    )
    positive = scored.addresses.filter(scored.addresses["score"] > 0)
    batch: list[AddressRiskScore] = []
    for rank, row in enumerate(positive.iter_rows(named=True), start=1):
        batch.append(
            AddressRiskScore(
                municipality=actor.municipality,
                run=run,
                address_id=row["address_id"],
                score=row["score"],
                rank=rank,
                neighbourhood_id=neighbourhood_of.get(row["address_id"]),
                contributions=contributions_of(row),
                features=features_of(row),
                rule_keys=_rule_keys(row)[:1000],
            )
        )
        if len(batch) >= BATCH:
            AddressRiskScore.objects.bulk_create(batch)
            batch = []
    AddressRiskScore.objects.bulk_create(batch)
    employers = scored.employers.filter(scored.employers["score"] > 0)
    EmployerRiskScore.objects.bulk_create(
        [
            EmployerRiskScore(
                municipality=actor.municipality,
                run=run,
                employer_id=row["employer_id"],
                score=row["score"],
                rank=rank,
                contributions=contributions_of(row),
                features=features_of(row),
            )
            for rank, row in enumerate(employers.iter_rows(named=True), start=1)
        ],
        batch_size=BATCH,
    )
    finished = time.perf_counter()
    run.scored_address_count = positive.height
    run.scored_employer_count = employers.height
    run.timings = {**scored.timings, "save": round((finished - saving) * 1000)}
    run.duration_ms = earlier_ms + round((finished - started) * 1000)
    run.save(update_fields=["scored_address_count", "scored_employer_count", "timings", "duration_ms"])
    audit.record_change(actor, instance=run, action=AuditAction.CREATE, changed_fields=["as_of"])
    return run


@transaction.atomic
def risk_runs_prune(*, actor: Actor, keep_days: int = 365, today: dt.date | None = None) -> int:
    """Remove runs older than ``keep_days`` from which no control list was made, with their scores.

    Runs behind a control list stay: they justify the selection as long as the list and its cases exist.
    """
    actor.require(Capability.RUN_RISK)
    if keep_days < 30:
        raise ValidationError(_("Keep runs for at least 30 days."))
    cutoff = (today or timezone.localdate()) - dt.timedelta(days=keep_days)
    old = RiskRun.objects.filter(
        municipality=actor.municipality, as_of__lt=cutoff, control_lists__isnull=True
    )
    ids = list(old.values_list("pk", flat=True).distinct())
    if not ids:
        return 0
    AddressRiskScore.objects.filter(run_id__in=ids).delete()
    EmployerRiskScore.objects.filter(run_id__in=ids).delete()
    RiskRun.objects.filter(pk__in=ids).delete()
    audit.record_bulk_change(
        actor, model=RiskRun, action=AuditAction.DELETE, count=len(ids), detail={"keep_days": keep_days}
    )
    return len(ids)


# --- control lists ------------------------------------------------------------------------------------


def recently_visited(actor: Actor, *, since: dt.date) -> set[int]:
    """Addresses with a finding since ``since``, or in a case opened since then or still open."""
    found = Finding.objects.filter(municipality=actor.municipality, found_on__gte=since).values_list(
        "address_id", flat=True
    )
    in_cases = CaseAddress.objects.filter(municipality=actor.municipality).filter(
        Q(case__opened_on__gte=since) | Q(case__status__in=OPEN_CASE_STATUSES)
    )
    return set(found) | set(in_cases.values_list("address_id", flat=True))


@transaction.atomic
def control_list_create(
    *,
    actor: Actor,
    run: RiskRun,
    top_n: int,
    neighbourhood: Neighbourhood | None = None,
    exclude_visited_days: int = 180,
    on: dt.date | None = None,
) -> ControlList:
    """The top ``top_n`` addresses of a run, in one neighbourhood or the whole municipality, leaving out
    addresses visited in the last ``exclude_visited_days`` days or in a case that is still open."""
    actor.require(Capability.RUN_RISK)
    ensure_same_municipality(actor, run, *([neighbourhood] if neighbourhood else []))
    if top_n < 1 or top_n > 1000:
        raise ValidationError({"top_n": _("Choose between 1 and 1,000 addresses.")})
    if exclude_visited_days > 3650:
        raise ValidationError({"exclude_visited_days": _("Choose at most 3,650 days.")})
    today = on or timezone.localdate()
    visited = recently_visited(actor, since=today - dt.timedelta(days=exclude_visited_days))
    scores = AddressRiskScore.objects.filter(run=run).order_by("rank")
    if neighbourhood is not None:
        scores = scores.filter(neighbourhood=neighbourhood)
    control_list = ControlList.objects.create(
        municipality=actor.municipality,
        run=run,
        neighbourhood=neighbourhood,
        top_n=top_n,
        exclude_visited_days=exclude_visited_days,
        created_by=actor.user,
        created_by_name=actor.username,
    )
    entries: list[ControlListEntry] = []
    excluded = 0
    for address_id, score, contributions in scores.values_list(
        "address_id", "score", "contributions"
    ).iterator(chunk_size=500):
        if address_id in visited:
            excluded += 1
            continue
        entries.append(
            ControlListEntry(
                municipality=actor.municipality,
                control_list=control_list,
                address_id=address_id,
                rank=len(entries) + 1,
                score=score,
                contributions=contributions,
            )
        )
        if len(entries) >= top_n:
            break
    ControlListEntry.objects.bulk_create(entries)
    control_list.excluded_count = excluded
    control_list.save(update_fields=["excluded_count"])
    audit.record_change(actor, instance=control_list, action=AuditAction.CREATE, changed_fields=["top_n"])
    return control_list


def _lock_open_entries(actor: Actor, entries: Sequence[ControlListEntry]) -> list[ControlListEntry]:
    actor.require(Capability.VIEW_RISK)
    actor.require(Capability.MANAGE_CASES)
    if not entries:
        raise ValidationError(_("Select at least one address."))
    ensure_same_municipality(actor, *entries)
    locked = list(
        ControlListEntry.objects.select_for_update()
        .select_related("address")
        .filter(pk__in=[e.pk for e in entries])
        .order_by("rank", "pk")
    )
    if any(entry.status != EntryStatus.OPEN for entry in locked):
        raise ValidationError(
            _("An address you selected was already turned into a case or set aside. Nothing was changed.")
        )
    return locked


def _description(entries: Sequence[ControlListEntry]) -> str:
    lines = [
        _("Selected from risk list %(list)s. A risk list is a selection for a visit, not a finding.")
        % {"list": f"L-{entries[0].control_list_id:05d}"}
    ]
    for entry in entries:
        lines.append("")
        lines.append(
            _("%(address)s — score %(score)s:") % {"address": entry.address.label, "score": entry.score}
        )
        lines.extend(f"- {line.label}" for line in explain(entry.contributions))
    return "\n".join(lines)[:5000]


def _mark_case_opened(actor: Actor, entries: Sequence[ControlListEntry], case: Case) -> None:
    now = timezone.now()
    for entry in entries:
        entry.status = EntryStatus.CASE_OPENED
        entry.case = case
        entry.decided_at = now
        entry.decided_by_name = actor.username
        save_versioned(
            entry,
            expected_version=entry.version,
            fields=["status", "case", "decided_at", "decided_by_name"],
        )
        audit.record_change(
            actor, instance=entry, action=AuditAction.UPDATE, changed_fields=["status", "case"]
        )


@transaction.atomic
def control_list_open_case(
    *,
    actor: Actor,
    entry: ControlListEntry,
    kind: str = CaseKind.HOUSE_VISIT,
    opened_on: dt.date | None = None,
) -> Case:
    """One step: open a case (origin: risk list) for the entry's address and link the entry to it."""
    (locked,) = _lock_open_entries(actor, [entry])
    case = case_services.case_open(
        actor=actor,
        kind=kind,
        title=_("House visit %(address)s") % {"address": locked.address.label}
        if kind == CaseKind.HOUSE_VISIT
        else locked.address.label,
        description=_description([locked]),
        addresses=[locked.address],
        origin=CaseOrigin.RISK_LIST,
        opened_on=opened_on,
    )
    _mark_case_opened(actor, [locked], case)
    entry.refresh_from_db()
    return case


@transaction.atomic
def control_list_plan_integral_control(
    *,
    actor: Actor,
    entries: Sequence[ControlListEntry],
    planned_on: dt.date | None = None,
    opened_on: dt.date | None = None,
) -> Case:
    """One integral control (one case, one route) for the selected addresses of a list."""
    locked = _lock_open_entries(actor, entries)
    neighbourhoods = sorted(
        {
            e.address.neighbourhood.name
            for e in locked
            if e.address.neighbourhood_id and e.address.neighbourhood
        }
    )
    case = case_services.case_open(
        actor=actor,
        kind=CaseKind.INTEGRAL_CONTROL,
        title=_("Integral control: %(count)s addresses%(where)s")
        % {
            "count": len(locked),
            "where": f" ({', '.join(neighbourhoods[:3])})" if neighbourhoods else "",
        },
        description=_description(locked),
        addresses=[e.address for e in locked],
        origin=CaseOrigin.RISK_LIST,
        planned_on=planned_on,
        opened_on=opened_on,
    )
    _mark_case_opened(actor, locked, case)
    return case


def _require_decider(actor: Actor, entry: ControlListEntry) -> None:
    actor.require(Capability.VIEW_RISK)
    actor.require(Capability.MANAGE_CASES)
    ensure_same_municipality(actor, entry)


@transaction.atomic
def control_list_entry_set_aside(
    *, actor: Actor, entry: ControlListEntry, reason: str, expected_version: int
) -> ControlListEntry:
    """Leave an address of the list unvisited, for a stated reason (undone by ``…_reopen``)."""
    _require_decider(actor, entry)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this address is set aside.")})
    stored = ControlListEntry.objects.get(pk=entry.pk)
    if stored.status != EntryStatus.OPEN:
        raise ValidationError(_("Only an open address can be set aside."))
    stored.status = EntryStatus.SET_ASIDE
    stored.set_aside_reason = reason[:300]
    stored.decided_at = timezone.now()
    stored.decided_by_name = actor.username
    save_versioned(
        stored,
        expected_version=expected_version,
        fields=["status", "set_aside_reason", "decided_at", "decided_by_name"],
    )
    audit.record_change(
        actor, instance=stored, action=AuditAction.UPDATE, changed_fields=["status", "set_aside_reason"]
    )
    return stored


@transaction.atomic
def control_list_entry_reopen(
    *, actor: Actor, entry: ControlListEntry, expected_version: int
) -> ControlListEntry:
    """Undo setting aside: the address is open on the list again (the reason stays in the audit trail)."""
    _require_decider(actor, entry)
    stored = ControlListEntry.objects.get(pk=entry.pk)
    if stored.status != EntryStatus.SET_ASIDE:
        raise ValidationError(_("Only an address that was set aside can be put back."))
    stored.status = EntryStatus.OPEN
    stored.set_aside_reason = ""
    stored.decided_at = None
    stored.decided_by_name = ""
    save_versioned(
        stored,
        expected_version=expected_version,
        fields=["status", "set_aside_reason", "decided_at", "decided_by_name"],
    )
    audit.record_change(actor, instance=stored, action=AuditAction.UPDATE, changed_fields=["status"])
    return stored


def retention_remove_runs(*, municipality: Municipality, ids: Sequence[int]) -> int:
    """Remove runs with their scores and the control lists made from them; the purge writes the audit."""
    removed = 0
    for batch in retention.batches(ids):
        runs = RiskRun.objects.filter(municipality=municipality, pk__in=batch)
        ControlList.objects.filter(run__in=runs).delete()
        AddressRiskScore.objects.filter(run__in=runs).delete()
        EmployerRiskScore.objects.filter(run__in=runs).delete()
        removed += retention.delete_queryset(runs)
    return removed
