"""The casework figures of the Rotterdam progress report, for one period: counts only, no personal data.

For the KPI catalogue (monitoring): each field is one indicator, defined in its comment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ketenregie.cases.models import CaseKind, Finding, FirstRegistrationForm, Handover
from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality, OrganisationKind
from ketenregie.core.permissions import Capability
from ketenregie.signals.models import CategoryCode, Signal, SignalResult


@dataclass(frozen=True)
class CaseworkFigures:
    # Meldingen of possible overcrowding received in the period (category or sub-category), and how many
    # of them were closed as confirmed (a violation was established).
    overcrowding_signals: int
    overcrowding_confirmed: int
    # Integral controls held in the period (a finding on the day), their house visits, and the homes where
    # a violation was established.
    integral_controls: int
    integral_control_visits: int
    integral_control_homes_with_violation: int
    # Construction-site and workplace controls held in the period, and those with a violation.
    site_controls: int
    site_controls_with_violation: int
    # Homes checked for vacancy in the period, and those found lived in.
    vacancy_checked: int
    vacancy_inhabited: int
    # First-registration forms drawn up in the period.
    first_registration_forms: int
    # Dossiers handed over to the Netherlands Labour Authority in the period.
    dossiers_to_nla: int


def overcrowding_signals(municipality: Municipality, start: dt.date, end: dt.date) -> QuerySet[Signal]:
    """Meldingen of possible overcrowding (category or sub-category) received in [start, end]."""
    return Signal.objects.filter(
        Q(category__code=CategoryCode.OVERCROWDING) | Q(category__parent__code=CategoryCode.OVERCROWDING),
        municipality=municipality,
        received_at__date__gte=start,
        received_at__date__lte=end,
    )


def findings_of_kind(
    municipality: Municipality, kind: str, start: dt.date, end: dt.date
) -> QuerySet[Finding]:
    """Findings on the day of a visit in [start, end] in cases of one kind (integral control, …)."""
    return Finding.objects.filter(
        municipality=municipality, case__kind=kind, found_on__gte=start, found_on__lte=end
    )


def first_registration_forms(municipality: Municipality, start: dt.date, end: dt.date) -> int:
    return FirstRegistrationForm.objects.filter(
        municipality=municipality, drawn_up_on__gte=start, drawn_up_on__lte=end
    ).count()


def dossiers_to_nla(municipality: Municipality, start: dt.date, end: dt.date) -> int:
    return Handover.objects.filter(
        municipality=municipality,
        to_organisation__kind=OrganisationKind.NLA,
        handed_over_at__date__gte=start,
        handed_over_at__date__lte=end,
    ).count()


def casework_figures(*, actor: Actor, start: dt.date, end: dt.date) -> CaseworkFigures:
    """The figures for [start, end], both days included."""
    actor.require(Capability.VIEW_KEY_FIGURES)
    municipality = actor.municipality
    overcrowding = overcrowding_signals(municipality, start, end)
    integral = findings_of_kind(municipality, CaseKind.INTEGRAL_CONTROL, start, end)
    sites = findings_of_kind(municipality, CaseKind.SITE_CONTROL, start, end)
    vacancy = findings_of_kind(municipality, CaseKind.VACANCY_CHECK, start, end)
    return CaseworkFigures(
        overcrowding_signals=overcrowding.count(),
        overcrowding_confirmed=overcrowding.filter(result=SignalResult.CONFIRMED).count(),
        integral_controls=integral.values("case_id").distinct().count(),
        integral_control_visits=integral.exclude(no_access=True).count(),
        integral_control_homes_with_violation=integral.filter(violation_found=True)
        .values("address_id")
        .distinct()
        .count(),
        site_controls=sites.values("case_id").distinct().count(),
        site_controls_with_violation=sites.filter(violation_found=True).values("case_id").distinct().count(),
        vacancy_checked=vacancy.count(),
        vacancy_inhabited=vacancy.filter(inhabited=True).count(),
        first_registration_forms=first_registration_forms(municipality, start, end),
        dossiers_to_nla=dossiers_to_nla(municipality, start, end),
    )
