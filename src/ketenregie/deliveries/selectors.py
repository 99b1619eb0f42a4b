"""Reads of deliveries: who delivers as whom, what an employer delivered, and which covenant members
are behind with their monthly delivery.

Deliveries are about organisations (who delivered, when, how many rows), not about people, so reading
them is not recorded in the audit trail; the delivered people are read through the housing page's
audited selector (housing.occupants).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.deliveries.models import (
    DeliveredPerson,
    Delivery,
    DeliveryKind,
    DeliveryObligation,
    DeliverySource,
)
from ketenregie.deliveries.services import DeliveryContext
from ketenregie.employers import selectors as employer_selectors
from ketenregie.employers.models import Covenant, CovenantMembership, Employer, EmployerKind, MembershipStatus

# ---------------------------------------------------------------------------------------------------
# Who delivers


def delivering_employer(*, actor: Actor, employer_kvk: str = "") -> Employer:
    """The employer a delivery is made for.

    A partner account delivers as the employer whose KvK number its organisation has, and as no other.
    Civil affairs and the administrator (who may import registers) deliver on behalf of the employer
    they name. Raises PermissionDenied, or ValidationError on ``employer_kvk``.
    """
    actor.require(Capability.DELIVER_DATA)
    own_kvk = actor.organisation.kvk_number if actor.organisation is not None else ""
    if not actor.can(Capability.IMPORT_REGISTERS):
        own = (
            employer_selectors.employers_by_kvk(actor=actor, kvk_numbers=[own_kvk]).get(own_kvk)
            if own_kvk
            else None
        )
        if own is None:
            raise PermissionDenied(
                _("Your organisation is not an employer known in this municipality: it cannot deliver.")
            )
        if employer_kvk and employer_kvk != own.kvk_number:
            raise PermissionDenied(
                _("You deliver for your own organisation (KvK %(kvk)s) only.") % {"kvk": own_kvk}
            )
        return own
    if not employer_kvk:
        raise ValidationError({"employer_kvk": _("Name the employer you deliver for (its KvK number).")})
    employer = employer_selectors.employers_by_kvk(actor=actor, kvk_numbers=[employer_kvk]).get(employer_kvk)
    if employer is None:
        raise ValidationError(
            {
                "employer_kvk": _("KvK number %(kvk)s is not an employer known in this municipality.")
                % {"kvk": employer_kvk[:20]}
            }
        )
    return employer


def employer_delivery_context(
    *, actor: Actor, kind: str, employer: Employer, channel: str, file_name: str = ""
) -> DeliveryContext:
    """What an employer's delivery falls under: its covenant's monthly obligation when it is a member,
    voluntary otherwise. A temp agency delivers as an agency."""
    membership = employer_selectors.active_covenant_membership(actor=actor, employer=employer)
    return DeliveryContext(
        kind=kind,
        source=DeliverySource.AGENCY
        if employer.kind == EmployerKind.TEMP_AGENCY
        else DeliverySource.EMPLOYER,
        channel=channel,
        employer=employer,
        obligation=DeliveryObligation.COVENANT if membership else DeliveryObligation.VOLUNTARY,
        covenant=membership.covenant if membership else None,
        file_name=file_name,
    )


# ---------------------------------------------------------------------------------------------------
# The monthly rule of the covenant


def grace_days() -> int:
    return int(settings.DELIVERY_GRACE_DAYS)


def delivery_due_since(on: dt.date, grace: int | None = None) -> dt.date:
    """The day from which a covenant member must have delivered, looked at on ``on``.

    Members deliver every calendar month. On ``on``, the latest month whose deadline has passed is the
    previous calendar month once more than ``grace`` days of this month have gone by, and the month
    before that until then. The member is overdue when it has delivered nothing since the first day of
    that month. So a delivery made on 3 February covers February; if nothing follows, the member is
    overdue from 1 April + grace (11 April with 10 days' grace).
    """
    grace = grace_days() if grace is None else grace
    previous = (on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if on.day > grace:
        return previous
    return (previous - dt.timedelta(days=1)).replace(day=1)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def owes_deliveries(membership: CovenantMembership, due_since: dt.date) -> bool:
    """A member owes a delivery for a month it was a member from the start of: the first full month."""
    return membership.status != MembershipStatus.TERMINATED and membership.joined_on <= due_since


def is_overdue(
    membership: CovenantMembership, last_delivered_at: dt.datetime | None, *, on: dt.date | None = None
) -> bool:
    """THE rule (docs/deliveries-employments.md): one place, used by the employer page and the overview."""
    due_since = delivery_due_since(on or timezone.localdate())
    if not owes_deliveries(membership, due_since):
        return False
    return last_delivered_at is None or last_delivered_at < _start_of(due_since)


@dataclass(frozen=True)
class DeliveryStatus:
    membership: CovenantMembership | None
    last_delivered_at: dt.datetime | None
    due_since: dt.date
    overdue: bool


def employer_deliveries(*, actor: Actor, employer: Employer, limit: int = 24) -> list[Delivery]:
    actor.require(Capability.VIEW_REGISTERS)
    return list(
        Delivery.objects.filter(municipality=actor.municipality, employer=employer)
        .select_related("covenant")
        .order_by("-delivered_at", "-pk")[:limit]
    )


def employer_delivery_status(
    *, actor: Actor, employer: Employer, on: dt.date | None = None
) -> DeliveryStatus:
    actor.require(Capability.VIEW_REGISTERS)
    on = on or timezone.localdate()
    membership = employer_selectors.active_covenant_membership(actor=actor, employer=employer)
    last = Delivery.objects.filter(municipality=actor.municipality, employer=employer).aggregate(
        last=Max("delivered_at")
    )["last"]
    return DeliveryStatus(
        membership=membership,
        last_delivered_at=last,
        due_since=delivery_due_since(on),
        overdue=membership is not None and is_overdue(membership, last, on=on),
    )


# ---------------------------------------------------------------------------------------------------
# Which covenant members are behind


@dataclass(frozen=True)
class MemberDeliveryRow:
    membership: CovenantMembership
    last_delivered_at: dt.datetime | None
    overdue: bool

    @property
    def employer(self) -> Employer:
        return self.membership.employer


BEHIND_SORTS = {
    "name": lambda row: (row.employer.name.lower(), row.membership.pk),
    "last": lambda row: (row.last_delivered_at is not None, row.last_delivered_at or timezone.now()),
}


def covenant_delivery_overview(
    *,
    actor: Actor,
    covenant: Covenant,
    status: str = "",
    sort: str = "name",
    on: dt.date | None = None,
) -> list[MemberDeliveryRow]:
    """Every active member of the covenant with its last delivery and whether it is overdue.

    ``status`` "overdue" or "on_time" narrows the list; ``sort`` is "name" or "last" (oldest
    delivery, or none at all, first).
    """
    actor.require(Capability.MANAGE_COVENANT)
    on = on or timezone.localdate()
    last = (
        Delivery.objects.filter(employer_id=OuterRef("employer_id"), municipality=actor.municipality)
        .order_by("-delivered_at")
        .values("delivered_at")[:1]
    )
    memberships: QuerySet[CovenantMembership] = (
        CovenantMembership.objects.filter(municipality=actor.municipality, covenant=covenant)
        .exclude(status=MembershipStatus.TERMINATED)
        .select_related("employer")
        .annotate(last_delivered_at=Subquery(last))
    )
    rows = [
        MemberDeliveryRow(
            membership=m,
            last_delivered_at=m.last_delivered_at,  # type: ignore[attr-defined]
            overdue=is_overdue(m, m.last_delivered_at, on=on),  # type: ignore[attr-defined]
        )
        for m in memberships
    ]
    if status == "overdue":
        rows = [row for row in rows if row.overdue]
    elif status == "on_time":
        rows = [row for row in rows if not row.overdue]
    return sorted(rows, key=BEHIND_SORTS.get(sort, BEHIND_SORTS["name"]))


# ---------------------------------------------------------------------------------------------------
# A housing provider's delivered occupants (read by housing.occupants, which audits them)


def latest_occupant_delivery(*, actor: Actor, provider: Employer) -> Delivery | None:
    """The provider's most recent labour-migrant delivery."""
    actor.require(Capability.VIEW_REGISTERS)
    return (
        Delivery.objects.filter(
            municipality=actor.municipality, employer=provider, kind=DeliveryKind.LABOUR_MIGRANTS
        )
        .order_by("-delivered_at", "-pk")
        .first()
    )


def delivered_person_ids_at(*, actor: Actor, delivery: Delivery, address_ids: list[int]) -> list[int]:
    """The people ``delivery`` placed at these addresses (ids only; rows waiting for review have no
    person yet). The caller that shows them audits them (housing.occupants)."""
    actor.require(Capability.VIEW_REGISTERS)
    return list(
        DeliveredPerson.objects.filter(
            municipality=actor.municipality,
            delivery=delivery,
            address_id__in=address_ids,
            person__isnull=False,
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
