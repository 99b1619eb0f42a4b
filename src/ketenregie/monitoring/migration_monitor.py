"""The migration monitor: all migration motives side by side, with targets, reception and benchmarks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.core.suppression import Shown, Suppression
from ketenregie.monitoring.models import (
    BenchmarkFigure,
    MigrationFigure,
    MigrationMeasure,
    MigrationMotive,
    ReceptionKind,
    ReceptionLocation,
)

# What each measure counts, for suppression: people are counted in persons, reception places are not
# people, and shares are percentages of counts this application does not hold (the COA's own figures).
MEASURE_UNITS = {
    MigrationMeasure.UKRAINE_PLACES: "places",
    MigrationMeasure.INTEGRATION_ON_ASSISTANCE: "percentage",
    MigrationMeasure.ASYLUM_SEEKERS_IN_WORK: "percentage",
}


@dataclass
class FigureGroup:
    motive: str
    measure: str
    label: str
    figures: list[MigrationFigure]
    rule: Suppression

    @property
    def unit(self) -> str:
        return MEASURE_UNITS.get(MigrationMeasure(self.measure), "persons")

    @property
    def rows(self) -> list[tuple[MigrationFigure, Shown]]:
        return [(f, self.rule.shown(f.realised, unit=self.unit)) for f in self.figures]

    @property
    def realised_series(self) -> list[tuple[str, Shown]]:
        return [(_period_label(f), shown) for f, shown in self.rows]

    @property
    def target_series(self) -> list[tuple[str, Decimal | None]]:
        return [(_period_label(f), f.target) for f in self.figures]

    @property
    def latest(self) -> MigrationFigure:
        return self.figures[-1]

    @property
    def share_of_target(self) -> Decimal | None:
        """The latest period's realised figure against its target; hidden when that figure is suppressed."""
        latest, shown = self.rows[-1]
        if not latest.target:
            return None
        share = (latest.realised / latest.target * 100).quantize(Decimal("1"))
        return self.rule.derived(share, unit="percentage", inputs=[shown]).value


@dataclass
class MigrationMonitor:
    groups: list[FigureGroup]
    locations: list[ReceptionLocation]
    lasting_share: Decimal | None
    benchmarks: dict[str, list[BenchmarkFigure]] = field(default_factory=dict)

    def capacity(self, motive: str) -> int:
        today = timezone.localdate()
        return sum(
            loc.capacity
            for loc in self.locations
            if loc.motive == motive and (loc.ends_on is None or loc.ends_on > today)
        )


def _period_label(figure: MigrationFigure) -> str:
    last = figure.period_end - dt.timedelta(days=1)
    if (
        figure.period_start.month == 1
        and figure.period_start.day == 1
        and last.month == 12
        and last.day == 31
    ):
        return (
            str(figure.period_start.year)
            if figure.period_start.year == last.year
            else (f"{figure.period_start.year}–{last.year}")
        )
    return f"{figure.period_start:%d-%m-%Y} – {last:%d-%m-%Y}"


def migration_monitor(*, actor: Actor) -> MigrationMonitor:
    actor.require(Capability.VIEW_MONITORING)
    rule = Suppression.public(actor.municipality)
    grouped: dict[tuple[str, str], list[MigrationFigure]] = defaultdict(list)
    for figure in MigrationFigure.objects.filter(municipality=actor.municipality).order_by("period_start"):
        grouped[(figure.motive, figure.measure)].append(figure)
    labels = dict(MigrationMeasure.choices)
    motives = dict(MigrationMotive.choices)
    groups = [
        FigureGroup(
            motive=motive,
            measure=measure,
            label=f"{motives[motive]}: {labels[measure]}",
            figures=figures,
            rule=rule,
        )
        for (motive, measure), figures in sorted(grouped.items())
    ]
    locations = list(
        ReceptionLocation.objects.filter(municipality=actor.municipality).order_by("motive", "name")
    )
    asylum = [loc for loc in locations if loc.motive == MigrationMotive.ASYLUM]
    lasting = sum(loc.capacity for loc in asylum if loc.kind == ReceptionKind.LASTING)
    total = sum(loc.capacity for loc in asylum)
    benchmarks: dict[str, list[BenchmarkFigure]] = defaultdict(list)
    for benchmark in BenchmarkFigure.objects.filter(municipality=actor.municipality).order_by(
        "indicator", "period", "subject_name"
    ):
        benchmarks[benchmark.indicator].append(benchmark)
    return MigrationMonitor(
        groups=groups,
        locations=locations,
        lasting_share=(Decimal(lasting) / total * 100).quantize(Decimal("1")) if total else None,
        benchmarks=dict(benchmarks),
    )
