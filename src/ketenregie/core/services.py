"""Writes of core records, and write helpers shared by the domain apps' services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError, save_versioned
from ketenregie.core.models import ApiToken, AuditAction, Membership, User

M = TypeVar("M", bound=models.Model)


def ensure_same_municipality(actor: Actor, *records: Any) -> None:
    """A service never writes across tenants, whatever a caller passes it."""
    for record in records:
        if record.municipality_id != actor.municipality.pk:
            raise PermissionError(f"{type(record).__name__} belongs to another municipality")


def ensure_editable(fields: Iterable[str], allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")


def create_audited(actor: Actor, model: type[M], *, allowed: Iterable[str], **fields: Any) -> M:
    """Validate and create a record of the actor's municipality, and record the creation."""
    ensure_editable(fields, allowed)
    record = model(municipality=actor.municipality, **fields)
    record.full_clean()
    record.save()
    audit.record_change(actor, instance=record, action=AuditAction.CREATE, changed_fields=list(fields))
    return record


def update_versioned(
    actor: Actor, record: M, *, expected_version: int, changes: Mapping[str, Any], allowed: Iterable[str]
) -> M:
    """Apply ``changes`` to the stored record if nobody saved it since ``expected_version``.

    Compares with what is stored, not with the caller's copy (a bound form may already have changed
    it); validates the whole record; records the names of the fields that changed.
    """
    ensure_same_municipality(actor, record)
    ensure_editable(changes, allowed)
    stored = type(record)._default_manager.get(pk=record.pk)
    if stored.version != expected_version:  # type: ignore[attr-defined]
        # A stale edit is a conflict first: what it would be checked against is not what its author saw.
        raise ConcurrentEditError(stored)
    changed = [name for name, value in changes.items() if getattr(stored, name) != value]
    for name, value in changes.items():
        setattr(stored, name, value)
    stored.full_clean()
    save_versioned(stored, expected_version=expected_version, fields=changed)
    if changed:
        audit.record_change(actor, instance=stored, action=AuditAction.UPDATE, changed_fields=changed)
    return stored


@transaction.atomic
def demo_accounts_remove() -> int:
    """Switch the demo accounts off for good: production refuses to start while one can log in (see
    core.checks). They are not deleted, because the append-only audit trail names them: their password
    becomes unusable, their memberships end and their API tokens go. Returns how many were switched off."""
    accounts = list(User.objects.filter(is_demo_account=True, is_active=True))
    for account in accounts:
        account.is_active = False
        account.set_unusable_password()
        account.save(update_fields=["is_active", "password"])
    Membership.objects.filter(user__is_demo_account=True, is_active=True).update(is_active=False)
    ApiToken.objects.filter(user__is_demo_account=True).delete()
    return len(accounts)
