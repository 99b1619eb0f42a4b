"""The yearly progress report for the council: one content, as a web page and as a PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.core.actor import Actor
from ketenregie.core.kpi import Period
from ketenregie.core.models import Municipality
from ketenregie.core.permissions import Capability
from ketenregie.core.suppression import MISSING, Shown, Suppression
from ketenregie.monitoring import charts, selectors
from ketenregie.monitoring.models import Commitment, Indicator
from ketenregie.places.models import Neighbourhood

YEARS_SHOWN = 3
# Indicators shown per neighbourhood for the priority areas, when they are in the catalogue.
NEIGHBOURHOOD_INDICATORS = ("labour_migrants_living", "addresses_over_norm", "signals_overcrowding")


@dataclass
class FigureRow:
    indicator: Indicator
    shown: Shown
    shown_previous: Shown
    change: Shown


@dataclass
class LineSection:
    result: selectors.LineResult
    chart: str
    chart_rows: Sequence[tuple[str, Shown]]


@dataclass
class NeighbourhoodTable:
    indicator: Indicator
    rows: Sequence[tuple[str, Shown]]
    rest_average: Shown | None
    chart: str
    spec: dict[str, Any]


@dataclass
class AnnualReport:
    municipality: Municipality
    year: int
    generated_at: dt.datetime
    figures: list[FigureRow]
    trend_charts: list[tuple[Indicator, str, list[tuple[str, Shown]]]]
    lines: list[LineSection]
    neighbourhoods: list[NeighbourhoodTable]
    settled: list[Commitment]
    open_commitments: list[Commitment]
    threshold: int
    specs: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build_annual_report(*, actor: Actor, year: int) -> AnnualReport:
    """The report for the council: every figure, chart and derived share goes through one ``Suppression``."""
    actor.require(Capability.VIEW_MONITORING)
    rule = Suppression.public(actor.municipality)
    period, previous = Period.year(year), Period.year(year - 1)
    catalogue = list(selectors.indicators(actor=actor))
    specs: list[dict[str, Any]] = []
    figures = []
    for indicator in catalogue:
        value, before = selectors.value_of(indicator, period), selectors.value_of(indicator, previous)
        shown, shown_before = rule.shown(value, unit=indicator.unit), rule.shown(before, unit=indicator.unit)
        change = None
        if value is not None and before:
            change = ((value - before) / before * 100).quantize(Decimal("1"))
        figures.append(
            FigureRow(
                indicator,
                shown,
                shown_before,
                rule.derived(change, unit="change", inputs=[shown, shown_before]),
            )
        )
    years = [str(y) for y in range(year - YEARS_SHOWN + 1, year + 1)]
    trend_charts = []
    for indicator in catalogue:
        series = [
            (y, rule.shown(selectors.value_of(indicator, Period.year(int(y))), unit=indicator.unit))
            for y in years
        ]
        if any(item.text != MISSING for _y, item in series):
            spec = charts.years_chart(
                title=indicator.name,
                series=series,
                target=_targets_for(indicator, years),
                unit_label=indicator.get_unit_display(),
            )
            specs.append(spec)
            trend_charts.append((indicator, charts.to_data_uri(spec), series))
    lines = []
    for result in selectors.programme_results(actor=actor, year=year):
        rows = [(row.target.indicator.name, row.share_of_target) for row in result.targets]
        spec = charts.outcome_target_chart(
            title=_("Outcome against target, %(year)s") % {"year": year}, rows=rows
        )
        specs.append(spec)
        lines.append(LineSection(result=result, chart=charts.to_data_uri(spec), chart_rows=rows))
    neighbourhoods = _neighbourhood_tables(actor, catalogue, period, rule)
    specs.extend(table.spec for table in neighbourhoods)
    return AnnualReport(
        municipality=actor.municipality,
        year=year,
        generated_at=timezone.now(),
        figures=figures,
        trend_charts=trend_charts,
        lines=lines,
        neighbourhoods=neighbourhoods,
        settled=list(selectors.commitments_settled_in(actor=actor, year=year)),
        open_commitments=list(selectors.commitments(actor=actor).exclude(status__in=["settled", "proposed"])),
        threshold=rule.threshold,
        specs=specs,
    )


def _targets_for(indicator: Indicator, years: list[str]) -> list[tuple[str, Decimal | None]]:
    targets = {str(t.year): t.target for t in indicator.targets.all()}
    return [(y, targets.get(y)) for y in years]


def _neighbourhood_tables(
    actor: Actor, catalogue: list[Indicator], period: Period, rule: Suppression
) -> list[NeighbourhoodTable]:
    priority = list(
        Neighbourhood.objects.filter(municipality=actor.municipality, is_priority=True).order_by("name")
    )
    if not priority:
        return []
    tables = []
    by_code = {i.code: i for i in catalogue}
    for code in NEIGHBOURHOOD_INDICATORS:
        indicator = by_code.get(code)
        if indicator is None:
            continue
        values = selectors.values_by_neighbourhood(indicator, period)
        if not values:
            continue
        rest = [v for pk, v in values.items() if pk not in {n.pk for n in priority}]
        rest_average = None
        if rest:
            # The average gives away the sum of the other neighbourhoods, so it follows that sum.
            total = rule.shown(sum(rest, Decimal(0)), unit=indicator.unit)
            average = (sum(rest, Decimal(0)) / len(rest)).quantize(Decimal("0.1"))
            rest_average = rule.derived(average, unit="average", inputs=[total])
        rows = [(n.name, rule.shown(values.get(n.pk, Decimal(0)), unit=indicator.unit)) for n in priority]
        chart_rows = list(rows)
        if rest_average is not None:
            chart_rows.append((_("average other neighbourhoods"), rest_average))
        spec = charts.bars_chart(
            title=str(indicator.name), rows=chart_rows, unit_label=indicator.get_unit_display()
        )
        tables.append(
            NeighbourhoodTable(
                indicator=indicator,
                rows=rows,
                rest_average=rest_average,
                chart=charts.to_data_uri(spec),
                spec=spec,
            )
        )
    return tables


def render_report_html(report: AnnualReport, *, for_pdf: bool) -> str:
    template = "monitoring/report_pdf.html" if for_pdf else "monitoring/report_page.html"
    return render_to_string(template, {"report": report})


def render_report_pdf(report: AnnualReport) -> bytes:
    from weasyprint import HTML

    base = Path(settings.NODE_MODULES_DIR)
    return HTML(string=render_report_html(report, for_pdf=True), base_url=str(base)).write_pdf()
