"""Reads for monitoring: the catalogue, values by period, drill-down to records, the programme and
commitments. Values are computed figures stored by ``services.refresh_values`` or entered by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.kpi import Period
from ketenregie.core.permissions import Capability
from ketenregie.core.suppression import Shown, Suppression
from ketenregie.monitoring.indicators import computed_for
from ketenregie.monitoring.indicators.registry import ComputedIndicator
from ketenregie.monitoring.models import (
    Commitment,
    CommitmentStatus,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    LineBudget,
    LineTarget,
    ManualValue,
    ProgrammeLine,
)


def indicators(*, actor: Actor) -> QuerySet[Indicator]:
    actor.require(Capability.VIEW_MONITORING)
    return Indicator.objects.filter(municipality=actor.municipality).order_by("order", "code")


def indicator_get(*, actor: Actor, code: str) -> Indicator:
    actor.require(Capability.VIEW_MONITORING)
    try:
        return Indicator.objects.get(municipality=actor.municipality, code=code)
    except Indicator.DoesNotExist:
        raise Http404("indicator not found") from None


def value_of(indicator: Indicator, period: Period) -> Decimal | None:
    """The figure for exactly this period: stored computed value, or the hand-entered figures inside it."""
    if indicator.source == IndicatorSource.COMPUTED:
        return (
            IndicatorValue.objects.filter(
                indicator=indicator,
                period_start=period.start,
                period_end=period.end,
                neighbourhood__isnull=True,
            )
            .values_list("value", flat=True)
            .first()
        )
    inside = ManualValue.objects.filter(
        indicator=indicator, period_start__gte=period.start, period_end__lte=period.end
    )
    if not inside.exists():
        return None
    return inside.aggregate(total=Sum("value"))["total"]


def values_by_neighbourhood(indicator: Indicator, period: Period) -> dict[int, Decimal]:
    return dict(
        IndicatorValue.objects.filter(
            indicator=indicator, period_start=period.start, period_end=period.end, neighbourhood__isnull=False
        ).values_list("neighbourhood_id", "value")
    )


@dataclass(frozen=True)
class Trace:
    """Where a number comes from: what it means, over which period, computed when and by what."""

    indicator: Indicator
    period: Period
    value: Decimal | None
    computed_at: dt.datetime | None
    definition: ComputedIndicator | None
    rule: Suppression
    manual_values: list[ManualValue] = field(default_factory=list)

    @property
    def shown(self) -> Shown:
        return self.rule.shown(self.value, unit=self.indicator.unit)

    @property
    def manual_shown(self) -> list[tuple[ManualValue, Shown]]:
        return [
            (entry, self.rule.shown(entry.value, unit=self.indicator.unit)) for entry in self.manual_values
        ]

    @property
    def can_list_records(self) -> bool:
        return self.definition is not None and self.definition.records is not None


def indicator_trace(*, actor: Actor, code: str, period: Period) -> Trace:
    indicator = indicator_get(actor=actor, code=code)
    stored = IndicatorValue.objects.filter(
        indicator=indicator, period_start=period.start, period_end=period.end, neighbourhood__isnull=True
    ).first()
    return Trace(
        indicator=indicator,
        period=period,
        value=value_of(indicator, period),
        computed_at=stored.computed_at if stored else None,
        definition=computed_for().get(code),
        rule=Suppression.public(actor.municipality),
        manual_values=list(
            ManualValue.objects.filter(
                indicator=indicator, period_start__gte=period.start, period_end__lte=period.end
            ).order_by("period_start")
        ),
    )


def indicator_records_page(*, actor: Actor, trace: Trace, page_number: Any, per_page: int = 50) -> Page:
    """The records behind a computed figure, for staff whose role may see them; personal data is audited."""
    definition = trace.definition
    if definition is None or definition.records is None:
        raise Http404("this figure has no underlying records to list")
    actor.require(definition.records_capability)
    page = Paginator(definition.records(actor=actor, period=trace.period), per_page).get_page(page_number)
    if definition.records_are_personal:
        audit.record_views(actor, objects=list(page.object_list), context=f"indicator:{definition.code}")
    return page


@dataclass
class TargetRow:
    target: LineTarget
    outcome: Decimal | None
    previous: Decimal | None
    rule: Suppression

    @property
    def outcome_shown(self) -> Shown:
        return self.rule.shown(self.outcome, unit=self.target.indicator.unit)

    @property
    def previous_shown(self) -> Shown:
        return self.rule.shown(self.previous, unit=self.target.indicator.unit)

    @property
    def is_small(self) -> bool:
        return self.outcome_shown.suppressed

    @property
    def share_of_target(self) -> Shown:
        """Outcome as a percentage of the target; hidden with a suppressed outcome (it would give it away)."""
        share = None
        if self.outcome is not None and self.target.target:
            share = self.outcome / self.target.target * 100
        return self.rule.derived(share, unit="percentage", inputs=[self.outcome_shown])

    @property
    def effectiveness(self) -> Decimal | None:
        """Outcome against target, as a percentage (for lower-is-better the ratio is inverted)."""
        if self.outcome is None or not self.target.target:
            return None
        if self.target.indicator.direction == "lower" and self.outcome:
            ratio = self.target.target / self.outcome * 100
        else:
            ratio = self.outcome / self.target.target * 100
        return self.rule.derived(
            ratio.quantize(Decimal("1")), unit="percentage", inputs=[self.outcome_shown]
        ).value


@dataclass
class LineResult:
    line: ProgrammeLine
    year: int
    targets: list[TargetRow]
    budget: LineBudget | None

    @property
    def efficiency(self) -> Decimal | None:
        """Spending per unit of the line's output indicator (euro per outcome); hidden with a small count."""
        output = next((row for row in self.targets if row.target.counts_for_efficiency), None)
        if output is None or not output.outcome or self.budget is None:
            return None
        cost = (self.budget.spent / output.outcome).quantize(Decimal("0.01"))
        return output.rule.derived(cost, unit="euro", inputs=[output.outcome_shown]).value

    @property
    def spending_share(self) -> Decimal | None:
        if self.budget is None or not self.budget.budget:
            return None
        return (self.budget.spent / self.budget.budget * 100).quantize(Decimal("1"))


def programme_results(*, actor: Actor, year: int) -> list[LineResult]:
    actor.require(Capability.VIEW_MONITORING)
    period, previous = Period.year(year), Period.year(year - 1)
    rule = Suppression.public(actor.municipality)
    results = []
    lines = ProgrammeLine.objects.filter(municipality=actor.municipality).prefetch_related(
        "targets__indicator"
    )
    for line in lines:
        rows = [
            TargetRow(
                target=target,
                outcome=value_of(target.indicator, period),
                previous=value_of(target.indicator, previous),
                rule=rule,
            )
            for target in line.targets.all()
            if target.year == year
        ]
        results.append(
            LineResult(line=line, year=year, targets=rows, budget=line.budgets.filter(year=year).first())
        )
    return results


def commitments(*, actor: Actor, status: str = "", overdue: bool = False) -> QuerySet[Commitment]:
    actor.require(Capability.VIEW_MONITORING)
    rows = Commitment.objects.filter(municipality=actor.municipality).prefetch_related("evidence__indicator")
    if status:
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(due_on__lt=timezone.localdate()).exclude(
            status__in=[CommitmentStatus.SETTLED, CommitmentStatus.PROPOSED_SETTLED]
        )
    return rows.order_by("-adopted_on", "number")


def commitment_get(*, actor: Actor, commitment_id: int) -> Commitment:
    actor.require(Capability.VIEW_MONITORING)
    try:
        return Commitment.objects.get(pk=commitment_id, municipality=actor.municipality)
    except Commitment.DoesNotExist:
        raise Http404("commitment not found") from None


def commitments_settled_in(*, actor: Actor, year: int) -> QuerySet[Commitment]:
    """Settled or proposed as settled in the year: what the yearly report puts before the council."""
    period = Period.year(year)
    return (
        commitments(actor=actor)
        .filter(status__in=[CommitmentStatus.SETTLED, CommitmentStatus.PROPOSED_SETTLED])
        .filter(settlement_proposed_on__gte=period.start, settlement_proposed_on__lt=period.end)
    )


def commitments_export(
    *, actor: Actor, rows: QuerySet[Commitment], file_format: str, filters: dict[str, Any]
) -> QuerySet[Commitment]:
    audit.record_export(actor, model=Commitment, count=rows.count(), file_format=file_format, filters=filters)
    return rows
