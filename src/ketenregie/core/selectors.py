"""Reads of core records: municipalities, norms, organisations and the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from ketenregie.core.actor import Actor
from ketenregie.core.models import AuditEvent, Municipality, Norms
from ketenregie.core.permissions import Capability


def norms_for(municipality: Municipality) -> Norms:
    norms, _ = Norms.objects.get_or_create(municipality=municipality)
    return norms


def municipality_by_code(code: str) -> Municipality:
    try:
        return Municipality.objects.get(code=code)
    except Municipality.DoesNotExist:
        raise Http404(f"No municipality with CBS code {code}") from None


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: dt.date | None = None
    date_until: dt.date | None = None


def audit_events(*, actor: Actor, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """The privacy officer's view of the trail: only their own municipality's events."""
    actor.require(Capability.VIEW_AUDIT_TRAIL)
    events = AuditEvent.objects.filter(municipality=actor.municipality)
    if filters.username:
        events = events.filter(username__iexact=filters.username)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.date_from:
        events = events.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_until:
        events = events.filter(occurred_at__date__lte=filters.date_until)
    return events.order_by("-occurred_at", "-id")


def audit_export(*, actor: Actor, filters: AuditFilter, file_format: str) -> QuerySet[AuditEvent]:
    """Exporting the trail is itself an event in the trail."""
    from ketenregie.core import audit

    events = audit_events(actor=actor, filters=filters)
    audit.record_export(
        actor, model=AuditEvent, count=events.count(), file_format=file_format, filters=filters.__dict__
    )
    return events
