"""Key figures about employers, for monitoring."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ketenregie.core.actor import Actor
from ketenregie.core.kpi import KpiResult, Period
from ketenregie.core.permissions import Capability
from ketenregie.employers.models import CovenantMembership, MembershipStatus, Violation, ViolationStatus


def proven_violations(*, actor: Actor, period: Period) -> KpiResult:
    """Proven violations by employers dated in the period."""
    actor.require(Capability.VIEW_KEY_FIGURES)
    return KpiResult.of(proven_violations_records(actor=actor, period=period, check=False).count())


def proven_violations_records(*, actor: Actor, period: Period, check: bool = True) -> QuerySet[Violation]:
    if check:
        actor.require(Capability.VIEW_REGISTERS)
    return (
        Violation.objects.filter(
            municipality=actor.municipality,
            status=ViolationStatus.PROVEN,
            occurred_on__gte=period.start,
            occurred_on__lt=period.end,
        )
        .select_related("employer")
        .order_by("-occurred_on")
    )


def covenant_members(*, actor: Actor, period: Period) -> KpiResult:
    """Members of the covenant on the last day of the period (terminated memberships excluded)."""
    actor.require(Capability.VIEW_KEY_FIGURES)
    day = period.last_day
    members = (
        CovenantMembership.objects.filter(municipality=actor.municipality, joined_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .exclude(status=MembershipStatus.TERMINATED, ended_on__lte=day)
    )
    return KpiResult.of(members.values("employer_id").distinct().count())
