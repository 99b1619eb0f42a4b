"""Reads of core records: municipalities, norms, organisations and the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ketenregie.core.actor import Actor
from ketenregie.core.models import (
    AuditAction,
    AuditEvent,
    Membership,
    Municipality,
    Norms,
    Organisation,
    Role,
    User,
)
from ketenregie.core.permissions import Capability, roles_reaching_personal_data, roles_with
from ketenregie.core.validators import parse_id


def norms_for(municipality: Municipality) -> Norms:
    norms, _ = Norms.objects.get_or_create(municipality=municipality)
    return norms


def municipality_by_code(code: str) -> Municipality:
    found = municipality_find(code)
    if found is None:
        raise Http404(f"No municipality with CBS code {code}")
    return found


def municipality_find(
    code: str, *, among: Iterable[int] | QuerySet[Any] | None = None
) -> Municipality | None:
    """The municipality with CBS code ``code``, or None; with ``among`` (ids, or a query of them), only
    one of those."""
    found = Municipality.objects.filter(code=code)
    if among is not None:
        found = found.filter(pk__in=among)
    return found.first()


def municipalities() -> QuerySet[Municipality]:
    """Every municipality, by name: for commands and jobs that work for all tenants."""
    return Municipality.objects.order_by("name")


def organisations(*, actor: Actor, exclude_kinds: Iterable[str] = ()) -> QuerySet[Organisation]:
    """The active organisations of the actor's municipality, by name, without those of ``exclude_kinds``."""
    found = Organisation.objects.filter(municipality=actor.municipality, is_active=True)
    if excluded := list(exclude_kinds):
        found = found.exclude(kind__in=excluded)
    return found.order_by("name")


def records_by_ids(records: QuerySet[Any], ids: Sequence[object]) -> list[Any] | None:
    """The records named by ``ids`` among ``records`` (already limited to what the caller may use); None
    when any id names none of them, so a caller never learns which one exists elsewhere."""
    wanted = {parse_id(value) for value in ids}
    if None in wanted:
        return None
    found = list(records.filter(pk__in=wanted))
    return found if len(found) == len(wanted) else None


def organisation_by_id(*, actor: Actor, organisation_id: object) -> Organisation | None:
    """An active organisation of the actor's municipality, or None."""
    pk = parse_id(organisation_id)
    if pk is None:
        return None
    return Organisation.objects.filter(municipality=actor.municipality, is_active=True, pk=pk).first()


def users_with(*, actor: Actor, capability: Capability) -> QuerySet[User]:
    """Active users whose active role in an active organisation of the actor's municipality gives
    ``capability`` (from the permission table)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=roles_with(capability),
            memberships__organisation__is_active=True,
            memberships__organisation__municipality=actor.municipality,
        )
        .distinct()
        .order_by("username")
    )


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


@dataclass(frozen=True)
class RoleGrant:
    """A membership created or changed so that it gives a role that reaches personal data."""

    occurred_at: dt.datetime
    granted_by: str
    granted_by_organisation: str
    user: str
    organisation: str
    role: str
    is_new: bool
    fields: tuple[str, ...]


def personal_data_grants(*, actor: Actor, days: int = 90, limit: int = 200) -> list[RoleGrant]:
    """Recent grants of roles that may read personal data, for the privacy officer to review.

    Read from the trail, not from the memberships: a role given and taken back the next day was still
    given. The roles come from the capability table (permissions.REACHES_PERSONAL_DATA), so a new role
    that reaches personal data shows up.
    """
    actor.require(Capability.VIEW_AUDIT_TRAIL)
    events = list(
        AuditEvent.objects.filter(
            municipality=actor.municipality,
            object_type="core.membership",
            action__in=[AuditAction.CREATE, AuditAction.UPDATE],
            occurred_at__gte=timezone.now() - dt.timedelta(days=days),
            detail__role__in=sorted(roles_reaching_personal_data()),
            detail__is_active=True,
        ).order_by("-occurred_at", "-id")[:limit]
    )
    memberships = Membership.objects.select_related("user", "organisation").in_bulk(
        [pk for event in events if (pk := parse_id(event.object_id)) is not None]
    )
    grants = []
    for event in events:
        membership = memberships.get(parse_id(event.object_id) or 0)
        grants.append(
            RoleGrant(
                occurred_at=event.occurred_at,
                granted_by=event.username,
                granted_by_organisation=event.organisation_name,
                user=membership.user.get_username() if membership else "",
                organisation=membership.organisation.name if membership else "",
                role=str(Role(event.detail["role"]).label),
                is_new=event.action == AuditAction.CREATE,
                fields=tuple(event.detail.get("fields", ())),
            )
        )
    return grants


@dataclass(frozen=True)
class FailedLogin:
    occurred_at: dt.datetime
    username: str
    known: bool


def failed_logins(*, actor: Actor, days: int = 30, limit: int = 200) -> list[FailedLogin]:
    """Failed logins of this municipality's accounts, and of names that are no account at all.

    The login page is shared, so a name that is no account belongs to no municipality: every privacy
    officer sees those, shortened (audit.typed_username) because they may be passwords typed in the
    wrong field. Events written before names were shortened are shortened here.
    """
    from ketenregie.core.audit import typed_username

    actor.require(Capability.VIEW_AUDIT_TRAIL)
    events = AuditEvent.objects.filter(
        Q(municipality=actor.municipality) | Q(municipality__isnull=True, object_id=""),
        action=AuditAction.LOGIN_FAILED,
        occurred_at__gte=timezone.now() - dt.timedelta(days=days),
    ).order_by("-occurred_at", "-id")[:limit]
    return [
        FailedLogin(
            occurred_at=event.occurred_at,
            username=event.username if event.object_id else typed_username(event.username[:3]),
            known=bool(event.object_id),
        )
        for event in events
    ]
