"""The public dashboard's data: only indicators a municipality marked public, no personal data, and
every count below the suppression threshold shown as '<5'. Regional figures add up the municipalities
of a labour-market or RIEC region that share an indicator."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Count, QuerySet

from ketenregie.core.kpi import Period
from ketenregie.core.models import Municipality
from ketenregie.core.suppression import Shown, Suppression
from ketenregie.monitoring.models import Indicator, IndicatorValue
from ketenregie.places.models import Address, Neighbourhood

MAP_SIZE = (560, 420)


@dataclass
class MapPoint:
    name: str
    x: float
    y: float
    radius: float
    shown: Shown

    @property
    def small(self) -> bool:
        return self.shown.suppressed


@dataclass
class DashboardIndicator:
    indicator: Indicator
    series: list[tuple[int, Shown]]
    latest: Shown
    map_points: list[MapPoint] = field(default_factory=list)


@dataclass
class Dashboard:
    municipality: Municipality
    year: int
    threshold: int
    indicators: list[DashboardIndicator]


def publishing_municipality_ids() -> QuerySet[Indicator, Any]:
    return Indicator.objects.filter(is_public=True).values("municipality_id")


def public_municipalities() -> list[Municipality]:
    return list(Municipality.objects.filter(pk__in=publishing_municipality_ids()).order_by("name"))


def _yearly_values(indicator: Indicator, years: list[int]) -> dict[int, Decimal]:
    rows = IndicatorValue.objects.filter(
        indicator=indicator,
        neighbourhood__isnull=True,
        period_start__in=[Period.year(y).start for y in years],
        period_end__in=[Period.year(y).end for y in years],
    )
    return {
        row.period_start.year: row.value for row in rows if (row.period_end - row.period_start).days > 300
    }


def _centroids(municipality: Municipality) -> dict[int, tuple[str, float, float]]:
    key = f"ketenregie:centroids:{municipality.pk}"
    cached = cache.get(key)
    if cached is None:
        rows = (
            Address.objects.filter(
                municipality=municipality, neighbourhood__isnull=False, latitude__isnull=False
            )
            .values("neighbourhood_id")
            .annotate(lat=Avg("latitude"), lon=Avg("longitude"), n=Count("id"))
        )
        names = dict(Neighbourhood.objects.filter(municipality=municipality).values_list("pk", "name"))
        cached = {
            row["neighbourhood_id"]: (names[row["neighbourhood_id"]], row["lat"], row["lon"]) for row in rows
        }
        cache.set(key, cached, 24 * 3600)
    return cached


def _map(indicator: Indicator, period: Period, rule: Suppression) -> list[MapPoint]:
    values = dict(
        IndicatorValue.objects.filter(
            indicator=indicator, period_start=period.start, period_end=period.end, neighbourhood__isnull=False
        ).values_list("neighbourhood_id", "value")
    )
    if not values:
        return []
    centroids = _centroids(indicator.municipality)
    if not centroids:
        return []
    lats = [c[1] for c in centroids.values()]
    lons = [c[2] for c in centroids.values()]
    width, height = MAP_SIZE
    span_lat, span_lon = (max(lats) - min(lats)) or 1, (max(lons) - min(lons)) or 1
    shown = {pk: rule.shown(values.get(pk, Decimal(0)), unit=indicator.unit) for pk in centroids}
    # Circles are scaled to what may be shown: a suppressed count sets no scale and gets the smallest circle.
    largest = max((item.value for item in shown.values() if item.value is not None), default=None) or Decimal(
        1
    )
    points = []
    for pk, (name, lat, lon) in sorted(centroids.items(), key=lambda item: item[1][0]):
        value = shown[pk].value
        points.append(
            MapPoint(
                name=name,
                x=round(30 + (lon - min(lons)) / span_lon * (width - 60), 1),
                y=round(30 + (max(lats) - lat) / span_lat * (height - 60), 1),
                radius=4.0
                if value is None
                else round(4 + 18 * float((value / largest) ** Decimal("0.5")), 1),
                shown=shown[pk],
            )
        )
    return points


def dashboard_for(municipality: Municipality, *, year: int, years_back: int = 4) -> Dashboard:
    rule = Suppression.public(municipality)
    years = list(range(year - years_back + 1, year + 1))
    entries = []
    for indicator in Indicator.objects.filter(municipality=municipality, is_public=True).order_by(
        "order", "code"
    ):
        values = _yearly_values(indicator, years)
        if not values:
            continue
        series = [(y, rule.shown(values.get(y), unit=indicator.unit)) for y in years]
        entries.append(
            DashboardIndicator(
                indicator=indicator,
                series=series,
                latest=series[-1][1],
                map_points=_map(indicator, Period.year(year), rule),
            )
        )
    return Dashboard(municipality=municipality, year=year, threshold=rule.threshold, indicators=entries)


@dataclass
class RegionalRow:
    code: str
    name: str
    unit: str
    total: Shown | None
    municipalities: list[str]


def regional_for(
    municipality: Municipality, *, year: int, by: str = "labour_market_region"
) -> tuple[str, list[RegionalRow]]:
    """Add up, per indicator, the municipalities of the region that share it (suppressed after adding up)."""
    region = getattr(municipality, by)
    members = (
        Municipality.objects.filter(**{by: region})
        if region
        else Municipality.objects.filter(pk=municipality.pk)
    )
    period = Period.year(year)
    rows: dict[str, RegionalRow] = {}
    totals: dict[str, Decimal] = {}
    shared = (
        IndicatorValue.objects.filter(
            indicator__municipality__in=members,
            indicator__shared_regionally=True,
            neighbourhood__isnull=True,
            period_start=period.start,
            period_end=period.end,
        )
        .select_related("indicator__municipality")
        .order_by("indicator__order", "indicator__code")
    )
    rule = Suppression.public(municipality)
    for value in shared:
        code = value.indicator.code
        row = rows.setdefault(
            code,
            RegionalRow(
                code=code, name=value.indicator.name, unit=value.indicator.unit, total=None, municipalities=[]
            ),
        )
        row.municipalities.append(value.indicator.municipality.name)
        totals[code] = totals.get(code, Decimal(0)) + value.value
    for code, row in rows.items():
        row.total = rule.shown(totals[code], unit=row.unit)
    return region or municipality.name, list(rows.values())
