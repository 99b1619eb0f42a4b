"""Writes to the contact log and the activities. Names and dates of birth only pass through: they become
a visitor key and are then forgotten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketenregie.core import audit, retention
from ketenregie.core.actor import Actor
from ketenregie.core.models import AuditAction, Municipality
from ketenregie.core.permissions import Capability
from ketenregie.core.services import create_audited, ensure_same_municipality, update_versioned
from ketenregie.infopoint.models import Activity, Contact, ContactTopic, InformationPoint, Topic
from ketenregie.infopoint.pseudonyms import visitor_key

CONTACT_FIELDS = (
    "point",
    "contacted_on",
    "channel",
    "language",
    "referral",
    "referral_note",
    "digid_activated",
    "follow_up",
    "follow_up_due",
    "follow_up_done",
    "notes",
)
ACTIVITY_FIELDS = (
    "kind",
    "title",
    "held_on",
    "start_time",
    "location",
    "point",
    "languages",
    "status",
    "attendance",
    "is_public",
    "notes",
)


def _key_for(actor: Actor, visitor_name: str, visitor_birth_date: dt.date | None) -> str | None:
    """The visitor key, '' to clear it, or None when the form gave no identity (keep what is stored)."""
    name = (visitor_name or "").strip()
    if not name and visitor_birth_date is None:
        return None
    if not name or visitor_birth_date is None:
        raise ValidationError(
            _("Give both the visitor's name and date of birth, or neither: the visitor key needs both.")
        )
    return visitor_key(municipality=actor.municipality, name=name, birth_date=visitor_birth_date)


def _check_contact(fields: dict[str, Any]) -> None:
    if fields.get("follow_up_due") and not fields.get("follow_up"):
        raise ValidationError({"follow_up": _("Describe the follow-up that is due.")})


def _set_topics(actor: Actor, contact: Contact, topics: Iterable[str]) -> bool:
    wanted = set(topics)
    unknown = wanted - set(Topic.values)
    if unknown:
        raise ValidationError(_("Unknown topic: %(topics)s") % {"topics": ", ".join(sorted(unknown))})
    current = set(contact.topics.values_list("topic", flat=True))
    if wanted == current:
        return False
    contact.topics.exclude(topic__in=wanted).delete()
    ContactTopic.objects.bulk_create(
        [
            ContactTopic(municipality=actor.municipality, contact=contact, topic=t)
            for t in sorted(wanted - current)
        ]
    )
    return True


@transaction.atomic
def contact_create(
    *,
    actor: Actor,
    topics: Iterable[str],
    visitor_name: str = "",
    visitor_birth_date: dt.date | None = None,
    **fields: Any,
) -> Contact:
    actor.require(Capability.EDIT_INFOPOINT_LOG)
    if fields.get("point") is not None:
        ensure_same_municipality(actor, fields["point"])
    _check_contact(fields)
    key = _key_for(actor, visitor_name, visitor_birth_date) or ""
    contact = create_audited(
        actor,
        Contact,
        allowed=(*CONTACT_FIELDS, "visitor_key", "recorded_by"),
        visitor_key=key,
        recorded_by=actor.user,
        **fields,
    )
    _set_topics(actor, contact, topics)
    return contact


@transaction.atomic
def contact_update(
    *,
    actor: Actor,
    contact: Contact,
    expected_version: int,
    topics: Iterable[str],
    visitor_name: str = "",
    visitor_birth_date: dt.date | None = None,
    **changes: Any,
) -> Contact:
    """Change a contact; raises ConcurrentEditError when someone else saved it in between."""
    actor.require(Capability.EDIT_INFOPOINT_LOG)
    if changes.get("point") is not None:
        ensure_same_municipality(actor, changes["point"])
    _check_contact(changes)
    key = _key_for(actor, visitor_name, visitor_birth_date)
    if key is not None:
        changes["visitor_key"] = key
    updated = update_versioned(
        actor,
        contact,
        expected_version=expected_version,
        changes=changes,
        allowed=(*CONTACT_FIELDS, "visitor_key"),
    )
    if _set_topics(actor, updated, topics):
        audit.record_change(actor, instance=updated, action=AuditAction.UPDATE, changed_fields=["topics"])
    return updated


def _check_activity(fields: dict[str, Any]) -> None:
    from ketenregie.infopoint.models import ActivityStatus

    if fields.get("status") == ActivityStatus.HELD and fields.get("attendance") is None:
        raise ValidationError(
            {"attendance": _("Give the number of participants of an activity that was held.")}
        )


@transaction.atomic
def activity_create(*, actor: Actor, **fields: Any) -> Activity:
    actor.require(Capability.EDIT_INFOPOINT_LOG)
    if fields.get("point") is not None:
        ensure_same_municipality(actor, fields["point"])
    _check_activity(fields)
    return create_audited(actor, Activity, allowed=ACTIVITY_FIELDS, **fields)


@transaction.atomic
def activity_update(*, actor: Actor, activity: Activity, expected_version: int, **changes: Any) -> Activity:
    actor.require(Capability.EDIT_INFOPOINT_LOG)
    if changes.get("point") is not None:
        ensure_same_municipality(actor, changes["point"])
    _check_activity(changes)
    return update_versioned(
        actor, activity, expected_version=expected_version, changes=changes, allowed=ACTIVITY_FIELDS
    )


@transaction.atomic
def information_point_ensure(*, actor: Actor, name: str, address: str = "") -> InformationPoint:
    actor.require(Capability.EDIT_INFOPOINT_LOG)
    point, created = InformationPoint.objects.get_or_create(
        municipality=actor.municipality, name=name, defaults={"address": address}
    )
    if created:
        audit.record_change(
            actor, instance=point, action=AuditAction.CREATE, changed_fields=["name", "address"]
        )
    return point


def retention_remove_contacts(*, municipality: Municipality, ids: Sequence[int]) -> int:
    """Remove contacts of the log with their topics; the purge writes the audit event."""
    removed = 0
    for batch in retention.batches(ids):
        removed += retention.delete_queryset(Contact.objects.filter(municipality=municipality, pk__in=batch))
    return removed
