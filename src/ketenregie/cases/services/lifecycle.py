"""Opening, changing and closing cases; the organisations taking part; the addresses and the planning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.cases import timeline
from ketenregie.cases.access import CaseAccess, case_access
from ketenregie.cases.models import (
    Case,
    CaseAddress,
    CaseEventKind,
    CaseKind,
    CaseOrigin,
    CaseParticipant,
    CaseResult,
    CaseStatus,
    DataSharingAgreement,
    ParticipantRole,
    VisitStatus,
)
from ketenregie.cases.selectors import assignee_get, team_candidates
from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError, save_versioned
from ketenregie.core.locks import retention_lock
from ketenregie.core.models import AuditAction, Organisation, OrganisationKind, User
from ketenregie.core.permissions import Capability
from ketenregie.core.services import ensure_same_municipality, update_versioned
from ketenregie.places.models import Address
from ketenregie.signals import services as signal_services
from ketenregie.signals.models import Signal, SignalResult

CASE_EDITABLE_FIELDS = ("title", "description", "status", "planned_on", "assigned_to")
# What closing a case means for the meldingen it was opened for.
SIGNAL_RESULT_FOR: dict[str, str] = {
    CaseResult.VIOLATION: SignalResult.CONFIRMED,
    CaseResult.NO_VIOLATION: SignalResult.NOT_CONFIRMED,
    CaseResult.HANDED_OVER: SignalResult.REFERRED,
    CaseResult.NO_ACCESS: SignalResult.INSUFFICIENT,
    CaseResult.WITHDRAWN: SignalResult.INSUFFICIENT,
}


def require_recording(actor: Actor, case: Case) -> CaseAccess:
    """Recording findings: the case owner, or a participant whose agreement includes findings."""
    actor.require(Capability.RECORD_FINDINGS)
    access = case_access(actor, case)
    if not (access.manages or access.sees_findings):
        raise PermissionDenied(_("Your organisation's agreement does not cover findings in this case."))
    return access


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    kind: str,
    title: str,
    description: str = "",
    signals: Sequence[Signal] = (),
    addresses: Sequence[Address] = (),
    origin: str | None = None,
    opened_on: dt.date | None = None,
    planned_on: dt.date | None = None,
) -> Case:
    """Open a case, from meldingen, from a risk list or directly; the actor's organisation leads it."""
    actor.require(Capability.MANAGE_CASES)
    if actor.organisation is None:
        raise ValidationError(_("Only a member of an organisation can open a case."))
    if kind not in CaseKind.values:
        raise ValidationError({"kind": _("Choose the kind of case.")})
    ensure_same_municipality(actor, *signals, *addresses)
    case = Case(
        municipality=actor.municipality,
        kind=kind,
        title=(title or "").strip(),
        description=description,
        origin=origin or (CaseOrigin.SIGNAL if signals else CaseOrigin.DIRECT),
        opened_on=opened_on or timezone.localdate(),
        planned_on=planned_on,
        owner=actor.organisation,
        status=CaseStatus.PLANNED if planned_on else CaseStatus.OPEN,
    )
    case.full_clean(exclude=["owner", "assigned_to"])
    case.save()
    CaseParticipant.objects.create(
        municipality=actor.municipality, case=case, organisation=actor.organisation, role=ParticipantRole.LEAD
    )
    audit.record_change(actor, instance=case, action=AuditAction.CREATE, changed_fields=["kind", "title"])
    timeline.record(
        actor,
        case,
        kind=CaseEventKind.OPENED,
        summary=_("Case opened: %(kind)s, %(origin)s.")
        % {"kind": case.get_kind_display(), "origin": case.get_origin_display()},
    )
    for signal in signals:
        _link_signal(actor, case, signal)
    seen: set[int] = set()
    for address in [*addresses, *(s.address for s in signals if s.address is not None)]:
        if address.pk not in seen:
            seen.add(address.pk)
            _add_address(actor, case, address)
    return case


def _link_signal(actor: Actor, case: Case, signal: Signal) -> None:
    case.signals.add(signal)
    signal_services.signal_mark_investigating(actor=actor, signal=signal)
    timeline.record(
        actor,
        case,
        kind=CaseEventKind.SIGNAL,
        summary=_("Melding %(reference)s linked.") % {"reference": signal.reference},
    )


@transaction.atomic
def case_link_signal(*, actor: Actor, case: Case, signal: Signal) -> None:
    actor.require(Capability.MANAGE_CASES)
    ensure_same_municipality(actor, case, signal)
    if case.signals.filter(pk=signal.pk).exists():
        return
    _link_signal(actor, case, signal)
    if signal.address is not None and not case.case_addresses.filter(address=signal.address).exists():
        _add_address(actor, case, signal.address)


@transaction.atomic
def case_update(*, actor: Actor, case: Case, expected_version: int, **changes: Any) -> Case:
    """Change the case itself; a stale version (someone saved first) is a conflict, never a silent win."""
    actor.require(Capability.MANAGE_CASES)
    if changes.get("status") == CaseStatus.CLOSED:
        raise ValidationError({"status": _("Close a case with its result, on the close page.")})
    stored = Case.objects.get(pk=case.pk)
    if stored.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is closed; it can no longer be changed."))
    if "assigned_to" in changes and changes["assigned_to"] is not None:
        # The one rule for case officers, whatever the caller resolved the user through.
        changes["assigned_to"] = assignee_get(actor=actor, user_id=changes["assigned_to"].pk)
    before = {name: getattr(stored, name) for name in changes}
    updated = update_versioned(
        actor, case, expected_version=expected_version, changes=changes, allowed=CASE_EDITABLE_FIELDS
    )
    changed = [name for name in changes if before[name] != getattr(updated, name)]
    if "status" in changed:
        timeline.record(
            actor,
            updated,
            kind=CaseEventKind.STATUS,
            summary=_("Status: %(status)s.") % {"status": updated.get_status_display()},
        )
    if [name for name in changed if name != "status"]:
        timeline.record(
            actor,
            updated,
            kind=CaseEventKind.CHANGED,
            summary=_("Case details changed."),
            fields=[name for name in changed if name != "status"],
        )
    return updated


@transaction.atomic
def case_close(
    *,
    actor: Actor,
    case: Case,
    expected_version: int,
    result: str,
    closed_on: dt.date | None = None,
    close_signals: bool = True,
) -> Case:
    """Close with a result; the meldingen it was opened for are closed with the matching result."""
    actor.require(Capability.MANAGE_CASES)
    ensure_same_municipality(actor, case)
    if result not in CaseResult.values or result == CaseResult.PENDING:
        raise ValidationError({"result": _("Choose the result of the case.")})
    stored = Case.objects.select_for_update().get(pk=case.pk)
    if stored.version != expected_version:
        raise ConcurrentEditError(stored)
    if stored.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is already closed."))
    closed_on = closed_on or timezone.localdate()
    if closed_on < stored.opened_on:
        raise ValidationError({"closed_on": _("A case cannot close before it was opened.")})
    stored.status, stored.result, stored.closed_on = CaseStatus.CLOSED, result, closed_on
    save_versioned(stored, expected_version=expected_version, fields=["status", "result", "closed_on"])
    audit.record_change(
        actor, instance=stored, action=AuditAction.UPDATE, changed_fields=["status", "result", "closed_on"]
    )
    timeline.record(
        actor,
        stored,
        kind=CaseEventKind.CLOSED,
        summary=_("Case closed: %(result)s.") % {"result": stored.get_result_display()},
    )
    if close_signals and actor.can(Capability.HANDLE_SIGNALS):
        for signal in stored.signals.exclude(status="closed"):
            signal_services.signal_close(
                actor=actor,
                signal=signal,
                expected_version=signal.version,
                result=SIGNAL_RESULT_FOR[result],
                note=_("Closed with case %(reference)s.") % {"reference": stored.reference},
            )
    return stored


@transaction.atomic
def case_reopen(*, actor: Actor, case: Case, expected_version: int, reason: str) -> Case:
    """Open a closed case again, for instance when it was closed by mistake or new facts come in.

    Its result is cleared and the reason goes into the timeline; meldingen closed with the case stay
    closed, because their reporters were already informed of the outcome.
    """
    actor.require(Capability.MANAGE_CASES)
    ensure_same_municipality(actor, case)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case is opened again.")})
    # Not while the retention purge of this municipality decides: it would remove the case regardless.
    retention_lock(case.municipality_id)
    stored = Case.objects.select_for_update().get(pk=case.pk)
    if stored.version != expected_version:
        raise ConcurrentEditError(stored)
    if stored.status != CaseStatus.CLOSED:
        raise ValidationError(_("This case is not closed."))
    previous = stored.get_result_display()
    stored.status, stored.result, stored.closed_on = CaseStatus.INVESTIGATING, CaseResult.PENDING, None
    save_versioned(stored, expected_version=expected_version, fields=["status", "result", "closed_on"])
    audit.record_change(
        actor, instance=stored, action=AuditAction.UPDATE, changed_fields=["status", "result", "closed_on"]
    )
    timeline.record(
        actor,
        stored,
        kind=CaseEventKind.STATUS,
        summary=_("Case opened again (it was closed: %(result)s). Reason: %(reason)s")
        % {"result": previous, "reason": reason},
    )
    return stored


def find_agreement(
    *, municipality_id: int, organisation: Organisation, kind: str, on: dt.date | None = None
) -> DataSharingAgreement | None:
    """The agreement under which ``organisation`` may take part in a case of ``kind`` on ``on``."""
    day = on or timezone.localdate()
    candidates = DataSharingAgreement.objects.filter(
        municipality_id=municipality_id, parties=organisation, valid_from__lte=day
    ).exclude(valid_until__lt=day)
    usable = [a for a in candidates.order_by("-valid_from", "-id") if a.covers_kind(kind)]
    return max(usable, key=lambda a: len(a.categories), default=None)


@transaction.atomic
def participant_add(*, actor: Actor, case: Case, organisation: Organisation) -> CaseParticipant:
    """Invite an organisation; a partner agency only under a valid data-sharing agreement."""
    actor.require(Capability.MANAGE_CASES)
    ensure_same_municipality(actor, case, organisation)
    if case.participants.filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s already takes part in this case.") % {"organisation": organisation.name}
        )
    agreement = None
    if organisation.kind != OrganisationKind.MUNICIPAL_DEPARTMENT:
        agreement = find_agreement(
            municipality_id=case.municipality_id, organisation=organisation, kind=case.kind
        )
        if agreement is None:
            raise ValidationError(
                _(
                    "%(organisation)s has no data-sharing agreement that is valid today and covers a "
                    "%(kind)s. Without one it cannot take part."
                )
                % {"organisation": organisation.name, "kind": case.get_kind_display()},
                code="no_agreement",
            )
    participant = CaseParticipant.objects.create(
        municipality=actor.municipality, case=case, organisation=organisation, agreement=agreement
    )
    audit.record_change(
        actor, instance=participant, action=AuditAction.CREATE, changed_fields=["organisation"]
    )
    timeline.record(
        actor,
        case,
        kind=CaseEventKind.PARTICIPANT,
        summary=_("%(organisation)s takes part%(agreement)s.")
        % {
            "organisation": organisation.name,
            "agreement": _(" under '%(name)s'") % {"name": agreement.name} if agreement else "",
        },
    )
    return participant


@transaction.atomic
def participant_remove(*, actor: Actor, case: Case, participant: CaseParticipant) -> None:
    actor.require(Capability.MANAGE_CASES)
    ensure_same_municipality(actor, case, participant)
    if participant.case_id != case.pk:
        raise ValidationError(_("This organisation does not take part in this case."))
    if participant.role == ParticipantRole.LEAD:
        raise ValidationError(_("The lead organisation cannot leave its own case."))
    name = participant.organisation.name
    audit.record_change(actor, instance=participant, action=AuditAction.DELETE)
    participant.delete()
    timeline.record(
        actor,
        case,
        kind=CaseEventKind.PARTICIPANT,
        summary=_("%(organisation)s no longer takes part.") % {"organisation": name},
    )


def _add_address(actor: Actor, case: Case, address: Address, *, note: str = "") -> CaseAddress:
    position = (case.case_addresses.aggregate(top=Max("position"))["top"] or 0) + 1
    try:
        with transaction.atomic():
            stop = CaseAddress.objects.create(
                municipality=actor.municipality, case=case, address=address, position=position, note=note
            )
    except IntegrityError:
        raise ValidationError(
            _("%(address)s is already part of this case.") % {"address": address.label}, code="duplicate"
        ) from None
    timeline.record(
        actor,
        case,
        kind=CaseEventKind.ADDRESS,
        summary=_("Address added: %(address)s.") % {"address": address.label},
    )
    return stop


@transaction.atomic
def case_address_add(*, actor: Actor, case: Case, address: Address, note: str = "") -> CaseAddress:
    actor.require(Capability.MANAGE_CASES)
    ensure_same_municipality(actor, case, address)
    if not case.is_open:
        raise ValidationError(_("This case is closed; it can no longer be changed."))
    return _add_address(actor, case, address, note=note)


@transaction.atomic
def case_address_remove(*, actor: Actor, case: Case, stop: CaseAddress) -> None:
    actor.require(Capability.MANAGE_CASES)
    ensure_same_municipality(actor, case, stop)
    if stop.case_id != case.pk:
        raise ValidationError(_("This address is not part of this case."))
    if case.findings.filter(address_id=stop.address_id).exists():
        raise ValidationError(_("Findings were recorded at this address; it stays in the case."))
    label = stop.address.label
    stop.delete()
    timeline.record(
        actor,
        case,
        kind=CaseEventKind.ADDRESS,
        summary=_("Address removed: %(address)s.") % {"address": label},
    )


@transaction.atomic
def case_address_move(*, actor: Actor, case: Case, stop: CaseAddress, offset: int) -> list[CaseAddress]:
    """Move a stop up (-1) or down (+1) in the route; returns the route in its new order."""
    actor.require(Capability.MANAGE_CASES)
    ensure_same_municipality(actor, case, stop)
    route = list(case.case_addresses.select_for_update().order_by("position", "id"))
    index = next((i for i, s in enumerate(route) if s.pk == stop.pk), None)
    if index is None:
        raise ValidationError(_("This address is not part of this case."))
    target = index + offset
    if 0 <= target < len(route):
        route[index], route[target] = route[target], route[index]
        for position, item in enumerate(route, start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        timeline.record(actor, case, kind=CaseEventKind.PLANNING, summary=_("Route order changed."))
    return route


@transaction.atomic
def case_address_update(
    *,
    actor: Actor,
    case: Case,
    stop: CaseAddress,
    visit_status: str | None = None,
    planned_time: dt.time | None = None,
    note: str | None = None,
) -> CaseAddress:
    actor.require(Capability.MANAGE_CASES)
    ensure_same_municipality(actor, case, stop)
    changed = []
    if visit_status is not None and visit_status != stop.visit_status:
        if visit_status not in VisitStatus.values:
            raise ValidationError({"visit_status": _("Unknown visit status.")})
        stop.visit_status = visit_status
        changed.append("visit_status")
    if planned_time != stop.planned_time:
        stop.planned_time = planned_time
        changed.append("planned_time")
    if note is not None and note != stop.note:
        stop.note = note[:200]
        changed.append("note")
    if changed:
        stop.save(update_fields=changed)
        timeline.record(
            actor,
            case,
            kind=CaseEventKind.PLANNING,
            summary=_("Planning of %(address)s changed.") % {"address": stop.address.label},
            fields=changed,
        )
    return stop


@transaction.atomic
def team_set(*, actor: Actor, case: Case, expected_version: int, members: Iterable[User]) -> Case:
    """Set the team for the day; each member must work for an organisation taking part."""
    actor.require(Capability.MANAGE_CASES)
    ensure_same_municipality(actor, case)
    stored = Case.objects.select_for_update().get(pk=case.pk)
    if stored.version != expected_version:
        raise ConcurrentEditError(stored)
    members = list(members)
    allowed = set(team_candidates(case=stored).values_list("pk", flat=True))
    for member in members:
        # Not named: an id sent for someone elsewhere must not come back as a name.
        if member.pk not in allowed:
            raise ValidationError(
                _("Someone in the team does not work for an organisation taking part in this case.")
            )
    stored.team.set(members)
    save_versioned(stored, expected_version=expected_version, fields=[])
    timeline.record(
        actor,
        stored,
        kind=CaseEventKind.PLANNING,
        summary=_("Team set: %(count)d people.") % {"count": len(members)},
        fields=["team"],
    )
    return stored


@transaction.atomic
def case_note_add(*, actor: Actor, case: Case, text: str) -> None:
    """A note in the timeline, visible to every organisation taking part."""
    access = case_access(actor, case)
    if not (access.manages or actor.can(Capability.RECORD_FINDINGS)):
        raise PermissionDenied(_("Your role does not allow this."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    timeline.record(actor, case, kind=CaseEventKind.NOTE, summary=text[:300])
