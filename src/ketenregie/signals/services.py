"""Writes to meldingen after intake (which is ``signals.intake``): triage, address resolution, the status
workflow and closing.

Rules:
- a melding at an address with an open melding of the same main category is linked to that one;
- the deadline follows from the category; closing needs a result and informs the reporter (if they
  left an e-mail address), and closes the meldingen linked to it with the same result.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.core import audit, retention
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError, save_versioned
from ketenregie.core.models import AuditAction, Municipality, User
from ketenregie.core.permissions import Capability
from ketenregie.core.services import ensure_same_municipality
from ketenregie.places.models import Address
from ketenregie.signals import classifier
from ketenregie.signals.categories import DEFAULT_CATEGORIES, due_on_for, ensure_default_categories
from ketenregie.signals.models import (
    OPEN_STATUSES,
    Signal,
    SignalAttachment,
    SignalCategory,
    SignalClassifier,
    SignalResult,
    SignalStatus,
)
from ketenregie.signals.notifications import get_notifier

if TYPE_CHECKING:
    from ketenregie.signals.intake import ReportedAddress

logger = logging.getLogger(__name__)


def resolve_address(municipality: Municipality, reported: ReportedAddress) -> Address | None:
    """The register's address for a postcode and house number, if there is exactly that one."""
    postcode = reported.postcode.replace(" ", "").upper()
    if not postcode or reported.house_number is None:
        return None
    return Address.objects.filter(
        municipality=municipality,
        postcode=postcode,
        house_number=reported.house_number,
        house_letter__iexact=reported.house_letter or "",
        house_number_addition__iexact=reported.house_number_addition or "",
    ).first()


def _link_duplicate(actor: Actor, signal: Signal) -> Signal | None:
    """Link ``signal`` to the earliest open melding of the same main category at its address."""
    if signal.address_id is None or signal.duplicate_of_id is not None or not signal.is_open:
        return None
    # Lock the address so two meldingen arriving at once cannot both become the first.
    Address.objects.select_for_update().filter(pk=signal.address_id).first()
    top = signal.category.top
    earlier = (
        Signal.objects.filter(
            municipality=signal.municipality,
            address_id=signal.address_id,
            status__in=OPEN_STATUSES,
            duplicate_of__isnull=True,
        )
        .filter(category__in=[top, *top.children.all()])
        .exclude(pk=signal.pk)
        .order_by("received_at", "pk")
        .first()
    )
    if earlier is None or earlier.received_at > signal.received_at:
        return None
    Signal.objects.filter(pk=signal.pk).update(duplicate_of=earlier)
    signal.duplicate_of = earlier
    audit.record_change(actor, instance=signal, action=AuditAction.UPDATE, changed_fields=["duplicate_of"])
    return earlier


def _write(actor: Actor, signal: Signal, *, expected_version: int, fields: list[str]) -> None:
    save_versioned(signal, expected_version=expected_version, fields=fields)
    audit.record_change(actor, instance=signal, action=AuditAction.UPDATE, changed_fields=fields)


def _fresh(actor: Actor, signal: Signal) -> Signal:
    ensure_same_municipality(actor, signal)
    return Signal.objects.select_related("category__parent", "address").get(pk=signal.pk)


@transaction.atomic
def signal_triage(
    *,
    actor: Actor,
    signal: Signal,
    expected_version: int,
    category: SignalCategory,
    assigned_to: User | None = None,
) -> Signal:
    """Confirm (or change) the category: the melding is triaged and its deadline follows the category."""
    actor.require(Capability.HANDLE_SIGNALS)
    signal = _fresh(actor, signal)
    ensure_same_municipality(actor, category)
    if signal.version != expected_version:
        raise ConcurrentEditError(signal)
    if not signal.is_open:
        raise ValidationError(_("This melding is closed; it can no longer be triaged."))
    fields = []
    if signal.category_id != category.pk:
        signal.category = category
        signal.due_on = due_on_for(category, signal.received_at)
        fields += ["category", "due_on"]
    if signal.assigned_to_id != (assigned_to.pk if assigned_to else None):
        signal.assigned_to = assigned_to
        fields.append("assigned_to")
    if signal.status == SignalStatus.NEW:
        signal.status = SignalStatus.TRIAGED
        signal.triaged_at = timezone.now()
        fields += ["status", "triaged_at"]
    _write(actor, signal, expected_version=expected_version, fields=fields)
    if "category" in fields and signal.duplicate_of_id is None:
        _link_duplicate(actor, signal)
    return signal


@transaction.atomic
def signal_resolve_address(
    *, actor: Actor, signal: Signal, expected_version: int, address: Address
) -> Signal:
    actor.require(Capability.HANDLE_SIGNALS)
    signal = _fresh(actor, signal)
    ensure_same_municipality(actor, address)
    signal.address = address
    signal.needs_address = False
    _write(actor, signal, expected_version=expected_version, fields=["address", "needs_address"])
    _link_duplicate(actor, signal)
    return signal


@transaction.atomic
def signal_mark_investigating(*, actor: Actor, signal: Signal) -> Signal:
    """A case was opened for the melding (called by the cases app): it is now under investigation."""
    actor.require(Capability.MANAGE_CASES)
    signal = _fresh(actor, signal)
    if signal.status in (SignalStatus.NEW, SignalStatus.TRIAGED):
        fields = ["status"]
        if signal.status == SignalStatus.NEW:
            signal.triaged_at = timezone.now()
            fields.append("triaged_at")
        signal.status = SignalStatus.INVESTIGATING
        _write(actor, signal, expected_version=signal.version, fields=fields)
    return signal


@transaction.atomic
def signal_close(
    *, actor: Actor, signal: Signal, expected_version: int, result: str, note: str = ""
) -> Signal:
    """Close with a result; linked meldingen close with it; reporters with an e-mail address are told."""
    actor.require(Capability.HANDLE_SIGNALS)
    signal = _fresh(actor, signal)
    if result not in SignalResult.values or result == SignalResult.PENDING:
        raise ValidationError({"result": _("Choose the result of the melding.")})
    if not signal.can_become(SignalStatus.CLOSED):
        raise ValidationError(_("This melding is already closed."))
    now = timezone.now()
    signal.status, signal.result, signal.result_note, signal.closed_at = (
        SignalStatus.CLOSED,
        result,
        note,
        now,
    )
    _write(
        actor,
        signal,
        expected_version=expected_version,
        fields=["status", "result", "result_note", "closed_at"],
    )
    closed = [signal]
    for linked in signal.duplicates.filter(status__in=OPEN_STATUSES).select_related("category__parent"):
        linked.status, linked.result, linked.closed_at = SignalStatus.CLOSED, result, now
        linked.result_note = _("Closed together with %(reference)s.") % {"reference": signal.reference}
        _write(
            actor,
            linked,
            expected_version=linked.version,
            fields=["status", "result", "result_note", "closed_at"],
        )
        closed.append(linked)
    transaction.on_commit(lambda: _inform_reporters([s.pk for s in closed]))
    return signal


def _inform_reporters(signal_ids: list[int]) -> None:
    """After the close is committed: a failing mail server must not undo the decision."""
    notifier = get_notifier()
    for signal in Signal.objects.filter(pk__in=signal_ids).select_related(
        "category__parent", "address", "municipality"
    ):
        if not signal.reporter_email:
            continue
        try:
            sent = notifier.inform(signal)
        except Exception:
            logger.exception("informing the reporter of melding %s failed", signal.pk)
            continue
        if sent:
            Signal.objects.filter(pk=signal.pk).update(reporter_informed_at=timezone.now())


@transaction.atomic
def signal_change(
    *,
    actor: Actor,
    signal: Signal,
    expected_version: int,
    address: Address | None = None,
    category: SignalCategory | None = None,
    status: str = "",
    result: str = "",
    result_note: str = "",
) -> Signal:
    """One change of a melding as the API sends it: resolve its address, triage (a category, or the
    status triaged), and/or close it with a result. All of it happens, or none of it."""
    if status == SignalStatus.CLOSED and not result:
        raise ValidationError({"result": _("Closing needs a result.")})
    if address is not None:
        signal = signal_resolve_address(
            actor=actor, signal=signal, expected_version=expected_version, address=address
        )
        expected_version = signal.version
    if category is not None or status == SignalStatus.TRIAGED:
        signal = signal_triage(
            actor=actor,
            signal=signal,
            expected_version=expected_version,
            category=category or signal.category,
            assigned_to=signal.assigned_to,
        )
        expected_version = signal.version
    if status == SignalStatus.CLOSED:
        signal = signal_close(
            actor=actor, signal=signal, expected_version=expected_version, result=result, note=result_note
        )
    return signal


def suggest_category(*, municipality: Municipality, text: str) -> tuple[SignalCategory, float] | None:
    """The main category the municipality's classifier suggests for ``text``, with its confidence."""
    stored = SignalClassifier.objects.filter(municipality=municipality).only("id", "labels", "model").first()
    if stored is None or not text.strip():
        return None
    model = classifier.load(stored.pk, stored.labels, stored.model)
    [(code, confidence)] = model.predict([text])
    category = SignalCategory.objects.filter(municipality=municipality, code=code, is_active=True).first()
    return (category, round(confidence, 3)) if category else None


def train_classifier(*, actor: Actor, limit: int = 20_000, seed: int = 0) -> SignalClassifier:
    """Train on the municipality's own triaged meldingen (their main category is the label)."""
    actor.require(Capability.HANDLE_SIGNALS)
    labelled = list(
        Signal.objects.filter(municipality=actor.municipality)
        .exclude(status=SignalStatus.NEW)
        .order_by("-received_at", "-id")
        .values_list("description", "category__code", "category__parent__code")[:limit]
    )
    texts = [text for text, _code, _parent in labelled]
    labels = [parent or code for _text, code, parent in labelled]
    result = classifier.train(texts, labels, seed=seed)
    stored = SignalClassifier.objects.create(
        municipality=actor.municipality,
        samples=result.samples,
        held_out=result.held_out,
        accuracy=result.accuracy,
        labels=result.model.labels,
        model={**result.model.to_json(), "per_label_accuracy": result.per_label},
    )
    SignalClassifier.objects.filter(municipality=actor.municipality).exclude(pk=stored.pk).delete()
    audit.record_change(actor, instance=stored, action=AuditAction.CREATE, changed_fields=["model"])
    return stored


__all__ = [
    "DEFAULT_CATEGORIES",
    "due_on_for",
    "ensure_default_categories",
    "resolve_address",
    "signal_change",
    "signal_close",
    "signal_mark_investigating",
    "signal_resolve_address",
    "signal_triage",
    "suggest_category",
    "train_classifier",
]


def retention_remove(*, municipality: Municipality, ids: Sequence[int]) -> int:
    """Remove meldingen whose retention period has passed, with their attachments and the files on disk.

    Called by the retention purge inside its transaction; it writes the one audit event for the run."""
    removed = 0
    for batch in retention.batches(ids):
        signals = Signal.objects.filter(municipality=municipality, pk__in=batch)
        retention.delete_files_on_commit(
            SignalAttachment.objects.filter(signal__in=signals).values_list("file", flat=True)
        )
        removed += retention.delete_queryset(signals)
    return removed
