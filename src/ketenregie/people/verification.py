"""Verifying stay addresses and residences: unverified → verified (or rejected, or disputed), by a person
or an import, each step kept with who, when, how and why.

A residence from a chain partner (employer, agency, housing provider, self-service, the information
point) is what someone *said*; verification records what was *established*: the BRP has the person at the
address, an inspector saw them living there, the housing provider's occupant register lists them, or a
document shows it. Rejected means it was established that the person does not live there.

Allowed steps (``VERIFICATION_WORKFLOW``, a ``core.workflow.Workflow`` like those of meldingen and cases):

- unverified → verified, rejected or disputed (doubt raised, to be looked into);
- disputed → verified or rejected;
- verified → disputed (new doubt: a verification is never silently reversed, it is disputed first);
- rejected → disputed (the person objects, or the rejection was a mistake).

Nothing goes back to unverified: the history says what happened. Rejecting or disputing needs a note
(why); verifying does not. The service functions are re-exported by ``people.services``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import save_versioned
from ketenregie.core.models import AuditAction
from ketenregie.core.permissions import Capability
from ketenregie.core.services import ensure_same_municipality
from ketenregie.core.workflow import Workflow
from ketenregie.people.models import (
    REGISTER_SOURCES,
    AddressFunction,
    Residence,
    ResidenceSource,
    ResidenceVerification,
    VerificationMethod,
    VerificationStatus,
)

S = VerificationStatus
# Every status is a start: a residence is created with what its source established (the BRP: verified).
VERIFICATION_WORKFLOW = Workflow(
    name="residence verification",
    choices=VerificationStatus,
    table={
        S.UNVERIFIED: frozenset({S.VERIFIED, S.REJECTED, S.DISPUTED}),
        S.DISPUTED: frozenset({S.VERIFIED, S.REJECTED}),
        S.VERIFIED: frozenset({S.DISPUTED}),
        S.REJECTED: frozenset({S.DISPUTED}),
    },
    start=frozenset(S.values),
    refused=_lazy(
        "An address that is %(current)s cannot become %(status)s directly; it can become: %(allowed)s."
    ),
)
NEEDS_NOTE = frozenset({S.REJECTED, S.DISPUTED})
STATE_FIELDS = ["verification_status", "verification_method", "verification_at", "verification_by"]
BULK_CAPABILITIES = (Capability.EDIT_PEOPLE, Capability.IMPORT_REGISTERS, Capability.DELIVER_DATA)


def next_statuses(status: str) -> list[str]:
    """The statuses a residence in ``status`` may move to, in the order of the choices."""
    return VERIFICATION_WORKFLOW.next(status)


def check_transition(current: str, status: str, note: str) -> None:
    """Raise a ValidationError that says what is allowed when ``current → status`` is not."""
    if status not in S.values or status == S.UNVERIFIED:
        raise ValidationError({"status": _("Choose verified, rejected or disputed.")})
    if status == current:
        raise ValidationError(
            {"status": _("This address is already %(status)s.") % {"status": S(status).label}}
        )
    VERIFICATION_WORKFLOW.check(current, status)
    if status in NEEDS_NOTE and not note.strip():
        raise ValidationError({"note": _("Say why: rejecting or disputing an address needs a note.")})


def _step(
    actor: Actor, residence: Residence, *, from_status: str, status: str, method: str, note: str
) -> ResidenceVerification:
    return ResidenceVerification(
        municipality_id=residence.municipality_id,
        residence=residence,
        from_status=from_status,
        status=status,
        method=method,
        note=note.strip()[:1000],
        by_user=actor.user,
        by_name=actor.username,
        at=residence.verification_at or timezone.now(),
    )


@transaction.atomic
def residence_verify(
    *, actor: Actor, residence: Residence, status: str, method: str, note: str = "", expected_version: int
) -> Residence:
    """Move one residence to ``status``, established by ``method``; refused when someone else changed the
    residence since ``expected_version`` (ConcurrentEditError) or when the step is not allowed."""
    actor.require(Capability.EDIT_PEOPLE)
    ensure_same_municipality(actor, residence)
    if method not in VerificationMethod.values:
        raise ValidationError({"method": _("Choose how it was established.")})
    stored = Residence.objects.select_for_update().get(pk=residence.pk)
    check_transition(stored.verification_status, status, note)
    from_status = stored.verification_status
    stored.verification_status = status
    stored.verification_method = method
    stored.verification_at = timezone.now()
    stored.verification_by = actor.username
    save_versioned(stored, expected_version=expected_version, fields=STATE_FIELDS)
    _step(actor, stored, from_status=from_status, status=status, method=method, note=note).save()
    audit.record_change(actor, instance=stored, action=AuditAction.UPDATE, changed_fields=STATE_FIELDS)
    return stored


@dataclass
class BulkOutcome:
    changed: int = 0
    skipped: int = 0  # not allowed from their current status (already verified, rejected, …)


@transaction.atomic
def residences_verify_bulk(
    *, actor: Actor, residence_ids: Iterable[int], status: str, method: str, note: str = ""
) -> BulkOutcome:
    """The import variant: move many residences of the actor's municipality at once.

    No versions (an import reads nothing a person could have changed in between); a residence whose
    current status does not allow the step is skipped and counted, never forced. One audit event for
    the whole batch, one history step per residence.
    """
    # Runs inside an import or delivery the actor was allowed to make (the BRP, a housing provider's
    # occupant register), so any capability that writes the register in bulk will do.
    if not any(actor.can(c) for c in BULK_CAPABILITIES):
        actor.require(Capability.EDIT_PEOPLE)
    if method not in VerificationMethod.values:
        raise ValueError(f"unknown verification method {method!r}")
    if status in NEEDS_NOTE and not note.strip():
        raise ValueError("rejecting or disputing needs a note")
    ids = sorted(set(residence_ids))
    outcome = BulkOutcome()
    if not ids:
        return outcome
    allowed_from = [current for current in S.values if VERIFICATION_WORKFLOW.allows(current, status)]
    rows = list(
        Residence.objects.select_for_update()
        .filter(pk__in=ids, municipality=actor.municipality)
        .only("pk", "municipality_id", "verification_status", "version")
    )
    movable = [row for row in rows if row.verification_status in allowed_from]
    outcome.skipped = len(ids) - len(movable)
    if not movable:
        return outcome
    now = timezone.now()
    steps = []
    for row in movable:
        steps.append(
            ResidenceVerification(
                municipality_id=row.municipality_id,
                residence_id=row.pk,
                from_status=row.verification_status,
                status=status,
                method=method,
                note=note.strip()[:1000],
                by_user=actor.user,
                by_name=actor.username,
                at=now,
            )
        )
    Residence.objects.filter(pk__in=[row.pk for row in movable]).update(
        verification_status=status,
        verification_method=method,
        verification_at=now,
        verification_by=actor.username,
        version=F("version") + 1,
        updated_at=now,
    )
    ResidenceVerification.objects.bulk_create(steps, batch_size=2000)
    outcome.changed = len(movable)
    audit.record_bulk_change(
        actor,
        model=Residence,
        action=AuditAction.UPDATE,
        count=outcome.changed,
        detail={"fields": STATE_FIELDS, "status": status, "method": method},
    )
    return outcome


def stay_addresses_confirmed_by_brp(*, actor: Actor, person_ids: Iterable[int] | None = None) -> list[int]:
    """Unverified or disputed current stay addresses (any source but the BRP/RNI) at the address where
    the same person now lives according to the BRP: the ids, for ``verify_stay_addresses_by_brp``."""
    brp_here = Residence.objects.filter(
        person_id=OuterRef("person_id"),
        address_id=OuterRef("address_id"),
        source=ResidenceSource.BRP,
        address_function=AddressFunction.LIVING,
        ends_on__isnull=True,
    )
    stays = (
        Residence.objects.filter(
            municipality=actor.municipality,
            address__isnull=False,
            ends_on__isnull=True,
            verification_status__in=[S.UNVERIFIED, S.DISPUTED],
        )
        .exclude(source__in=REGISTER_SOURCES)
        .filter(Exists(brp_here))
    )
    if person_ids is not None:
        stays = stays.filter(person_id__in=list(person_ids))
    return list(stays.values_list("pk", flat=True))


def verify_stay_addresses_by_brp(*, actor: Actor, person_ids: Iterable[int] | None = None) -> BulkOutcome:
    """A BRP import confirms what partners reported: a stay address becomes verified (method BRP) when
    the person's current BRP living address is the same address. Set-based; safe to run again."""
    ids = stay_addresses_confirmed_by_brp(actor=actor, person_ids=person_ids)
    return residences_verify_bulk(
        actor=actor,
        residence_ids=ids,
        status=S.VERIFIED,
        method=VerificationMethod.BRP,
        note=_("The BRP registers the person at this address."),
    )
