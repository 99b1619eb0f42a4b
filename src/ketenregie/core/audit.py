"""Writing the audit trail. Selectors and services call these; views never do.

Every view and export of personal data, and every create, change and delete, leaves an event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import QuerySet
from django.utils import timezone

from ketenregie.core import retention
from ketenregie.core.actor import Actor
from ketenregie.core.models import AuditAction, AuditEvent, Membership, Municipality, User


def object_type_of(model: type[models.Model] | models.Model) -> str:
    meta = model._meta
    return f"{meta.app_label}.{meta.model_name}"


def _event(
    actor: Actor,
    *,
    action: str,
    object_type: str = "",
    object_id: str = "",
    purpose: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent(
        municipality=actor.municipality,
        user=actor.user,
        username=actor.username,
        organisation=actor.organisation,
        organisation_name=actor.organisation.name if actor.organisation else "",
        role=",".join(sorted(actor.roles)) if actor.user else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose if purpose is not None else actor.purpose,
        detail=dict(detail or {}),
        request_id=actor.request_id,
    )


def typed_username(typed: str) -> str:
    """What the trail keeps of a name that is no account of ours: its first three characters.

    Such a name is often a password typed in the wrong field, or someone else's mistyped name; three
    characters still show a pattern (one name tried over and over, or many names) without revealing it.
    """
    return f"{typed[:3]}…" if typed else ""


def record_authentication(
    action: str, *, user: User | None, username: str, detail: Mapping[str, Any] | None = None
) -> None:
    """A login, logout or refused login. There is no actor yet (or any more): the event names the
    account, and the organisation and municipality of its first membership."""
    membership = user.memberships.select_related("organisation").first() if user is not None else None
    # An account without a membership yet still belongs to the municipality that created it.
    municipality_id: int | None
    if membership is not None:
        municipality_id = membership.organisation.municipality_id
    else:
        municipality_id = user.municipality_id if user is not None else None
    AuditEvent(
        municipality_id=municipality_id,
        user=user,
        username=username[:150],
        organisation=membership.organisation if membership else None,
        organisation_name=membership.organisation.name if membership else "",
        action=action,
        object_type="core.user" if user is not None else "",
        object_id=str(user.pk) if user is not None else "",
        detail=dict(detail or {}),
    ).save()


def record_views(
    actor: Actor, *, objects: Iterable[models.Model], purpose: str | None = None, context: str = ""
) -> int:
    """One event per record shown, so 'who saw this person' is a plain filter on object id."""
    events = [
        _event(
            actor,
            action=AuditAction.VIEW,
            object_type=object_type_of(obj),
            object_id=str(obj.pk),
            purpose=purpose,
            detail={"context": context} if context else None,
        )
        for obj in objects
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)


def record_view(actor: Actor, *, obj: models.Model, purpose: str | None = None, context: str = "") -> None:
    record_views(actor, objects=[obj], purpose=purpose, context=context)


def record_export(
    actor: Actor,
    *,
    model: type[models.Model],
    count: int,
    file_format: str,
    filters: Mapping[str, Any],
    purpose: str | None = None,
) -> None:
    """An export is one event with its filters and row count: the query is what was handed out."""
    _event(
        actor,
        action=AuditAction.EXPORT,
        object_type=object_type_of(model),
        purpose=purpose,
        detail={"format": file_format, "rows": count, "filters": _jsonable(filters)},
    ).save()


def record_change(
    actor: Actor, *, instance: models.Model, action: str, changed_fields: Sequence[str] = ()
) -> None:
    """Field names, never values: the trail says what changed, the register holds the value."""
    detail = {"fields": sorted(changed_fields)} if changed_fields else None
    _event(
        actor, action=action, object_type=object_type_of(instance), object_id=str(instance.pk), detail=detail
    ).save()


def record_membership_change(
    actor: Actor, *, membership: Membership, action: str, changed_fields: Sequence[str] = ()
) -> None:
    """A grant or change of a role. Besides the field names it keeps the role and whether the membership
    is active afterwards: they are the authorisation itself, not personal data, and the privacy officer
    reviews grants of roles that reach personal data from them even after the role was changed again."""
    detail = {"fields": sorted(changed_fields), "role": membership.role, "is_active": membership.is_active}
    _event(
        actor,
        action=action,
        object_type=object_type_of(membership),
        object_id=str(membership.pk),
        detail=detail,
    ).save()


def record_bulk_change(
    actor: Actor,
    *,
    model: type[models.Model],
    action: str,
    count: int,
    detail: Mapping[str, Any] | None = None,
) -> None:
    _event(
        actor, action=action, object_type=object_type_of(model), detail={"rows": count, **(detail or {})}
    ).save()


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: (value if isinstance(value, (str, int, float, bool, type(None))) else str(value))
        for key, value in values.items()
        if value not in ("", None, [])
    }


# --- retention ----------------------------------------------------------------------------------------
# The only way events leave the trail. The database allows it only inside a transaction that announces
# the purge, and never for events younger than a year (migration 0006).

AUDIT_TRAIL_FLOOR = dt.timedelta(days=367)


def _retention_boundary(on_or_before: dt.date) -> dt.datetime:
    # Never closer to now than the database allows (a year), so a purge is not refused halfway.
    return min(retention.day_after(on_or_before), timezone.now() - AUDIT_TRAIL_FLOOR)


def retention_due_events(*, municipality: Municipality, on_or_before: dt.date) -> QuerySet[AuditEvent]:
    """The municipality's events on or before the date, and in any case more than a year old."""
    return AuditEvent.objects.filter(
        municipality=municipality, occurred_at__lt=_retention_boundary(on_or_before)
    )


def retention_remove_events(*, municipality: Municipality, on_or_before: dt.date) -> int:
    """Remove those events. Runs inside the purge's transaction, which it marks for the database."""
    return _purge(retention_due_events(municipality=municipality, on_or_before=on_or_before))


def retention_due_unassigned_events(*, on_or_before: dt.date) -> QuerySet[AuditEvent]:
    """Events of no municipality (failed logins of names that are no account), on or before the date."""
    return AuditEvent.objects.filter(
        municipality__isnull=True, occurred_at__lt=_retention_boundary(on_or_before)
    )


def retention_remove_unassigned_events(*, on_or_before: dt.date, as_of: dt.date) -> int:
    """Remove them, and record that in the trail itself: no municipality's purge covers these events."""
    removed = _purge(retention_due_unassigned_events(on_or_before=on_or_before))
    AuditEvent(
        municipality=None,
        username="system:retention-purge",
        action=AuditAction.DELETE,
        object_type=object_type_of(AuditEvent),
        detail={"rows": removed, "as_of": as_of.isoformat()},
    ).save()
    return removed


def _purge(due: QuerySet[AuditEvent]) -> int:
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL ketenregie.retention_purge = 'on'")
    # The queryset's own delete() refuses (append-only); this raw delete is the one exception. SET LOCAL
    # ends with the purge's transaction; resetting it here would hide the error of a failed delete.
    return int(due._raw_delete(due.db))
