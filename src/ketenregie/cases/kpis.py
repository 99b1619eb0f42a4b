"""Casework key figures for monitoring: counts per period, the items of the Rotterdam progress report.

Each function is one indicator of the KPI catalogue; its definition is in the monitoring registry and
the queries are those of ``figures.casework_figures``, so the report and the catalogue agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db.models import QuerySet

from ketenregie.cases import figures
from ketenregie.cases.models import CaseKind, Finding
from ketenregie.core.actor import Actor
from ketenregie.core.kpi import KpiResult, Period
from ketenregie.core.permissions import Capability
from ketenregie.signals.models import Signal, SignalResult


def _by_neighbourhood(neighbourhood_ids: Iterable[int | None]) -> dict[int, int]:
    return dict(Counter(pk for pk in neighbourhood_ids if pk is not None))


def _allowed(actor: Actor) -> None:
    actor.require(Capability.VIEW_KEY_FIGURES)


def _findings(actor: Actor, period: Period, kind: str) -> QuerySet[Finding]:
    _allowed(actor)
    return figures.findings_of_kind(actor.municipality, kind, period.start, period.last_day)


def _overcrowding(actor: Actor, period: Period) -> QuerySet[Signal]:
    _allowed(actor)
    return figures.overcrowding_signals(actor.municipality, period.start, period.last_day)


def overcrowding_signals(*, actor: Actor, period: Period) -> KpiResult:
    signals = _overcrowding(actor, period)
    return KpiResult.of(
        signals.count(),
        _by_neighbourhood(signals.values_list("address__neighbourhood_id", flat=True)),
    )


def overcrowding_confirmed(*, actor: Actor, period: Period) -> KpiResult:
    signals = _overcrowding(actor, period)
    return KpiResult.of(signals.filter(result=SignalResult.CONFIRMED).count())


def integral_controls(*, actor: Actor, period: Period) -> KpiResult:
    found = _findings(actor, period, CaseKind.INTEGRAL_CONTROL)
    return KpiResult.of(found.values("case_id").distinct().count())


def integral_control_visits(*, actor: Actor, period: Period) -> KpiResult:
    found = _findings(actor, period, CaseKind.INTEGRAL_CONTROL)
    return KpiResult.of(found.exclude(no_access=True).count())


def integral_control_homes_with_violation(*, actor: Actor, period: Period) -> KpiResult:
    found = _findings(actor, period, CaseKind.INTEGRAL_CONTROL)
    homes = (
        found.filter(violation_found=True).values_list("address_id", "address__neighbourhood_id").distinct()
    )
    rows = list(homes)
    return KpiResult.of(len({address for address, _ in rows}), _by_neighbourhood(n for _, n in rows))


def site_controls(*, actor: Actor, period: Period) -> KpiResult:
    found = _findings(actor, period, CaseKind.SITE_CONTROL)
    return KpiResult.of(found.values("case_id").distinct().count())


def site_controls_with_violation(*, actor: Actor, period: Period) -> KpiResult:
    found = _findings(actor, period, CaseKind.SITE_CONTROL)
    return KpiResult.of(found.filter(violation_found=True).values("case_id").distinct().count())


def vacancy_checked(*, actor: Actor, period: Period) -> KpiResult:
    found = _findings(actor, period, CaseKind.VACANCY_CHECK)
    return KpiResult.of(found.count())


def vacancy_inhabited(*, actor: Actor, period: Period) -> KpiResult:
    found = _findings(actor, period, CaseKind.VACANCY_CHECK)
    return KpiResult.of(found.filter(inhabited=True).count())


def first_registration_forms(*, actor: Actor, period: Period) -> KpiResult:
    _allowed(actor)
    return KpiResult.of(figures.first_registration_forms(actor.municipality, period.start, period.last_day))


def dossiers_to_nla(*, actor: Actor, period: Period) -> KpiResult:
    _allowed(actor)
    return KpiResult.of(figures.dossiers_to_nla(actor.municipality, period.start, period.last_day))
