"""Reads of risk selection: runs, ranked scores, an address's history, control lists and the rules."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Max, Min, QuerySet
from django.http import Http404

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality
from ketenregie.core.paging import paginate_by_key
from ketenregie.core.permissions import Capability
from ketenregie.places.models import Address, Neighbourhood
from ketenregie.risk.explain import Line, explain
from ketenregie.risk.models import (
    AddressRiskScore,
    ControlList,
    ControlListEntry,
    EmployerRiskScore,
    RiskRun,
    RiskSettings,
    RiskSettingsChange,
)
from ketenregie.risk.scoring import default_rules


@dataclass(frozen=True)
class ScoreFilter:
    neighbourhood_id: int | None = None
    rule: str = ""
    min_score: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"neighbourhood": self.neighbourhood_id, "rule": self.rule, "min_score": self.min_score}


@dataclass(frozen=True)
class Explained:
    """A score with its explanation lines, which add up to it."""

    record: Any
    lines: list[Line]

    @property
    def total(self) -> int:
        return sum(line.points for line in self.lines)


def explained(records: Sequence[Any]) -> list[Explained]:
    return [Explained(record, explain(record.contributions)) for record in records]


# --- runs ---------------------------------------------------------------------------------------------


def runs(*, actor: Actor) -> QuerySet[RiskRun]:
    actor.require(Capability.VIEW_RISK_RUNS)
    return RiskRun.objects.filter(municipality=actor.municipality).order_by("-created_at", "-id")


def run_get(*, actor: Actor, run_id: int | str | None) -> RiskRun | None:
    """The run asked for, or the latest one; None when there is no run yet."""
    actor.require(Capability.VIEW_RISK_RUNS)
    found = RiskRun.objects.filter(municipality=actor.municipality)
    if run_id:
        try:
            return found.get(pk=int(run_id))
        except (RiskRun.DoesNotExist, ValueError):
            raise Http404("risk run not found") from None
    return found.order_by("-created_at", "-id").first()


# --- address scores -----------------------------------------------------------------------------------


def address_scores(*, actor: Actor, run: RiskRun, filters: ScoreFilter) -> QuerySet[AddressRiskScore]:
    actor.require(Capability.VIEW_RISK)
    if run.municipality_id != actor.municipality.pk:
        raise Http404("risk run not found")
    scores = AddressRiskScore.objects.filter(run=run)
    if filters.neighbourhood_id:
        scores = scores.filter(neighbourhood_id=filters.neighbourhood_id)
    if filters.rule:
        scores = scores.filter(rule_keys__contains=f",{filters.rule},")
    if filters.min_score is not None:
        scores = scores.filter(score__gte=filters.min_score)
    return scores.order_by("rank")


def _load_scores(rows: QuerySet[AddressRiskScore]) -> QuerySet[AddressRiskScore]:
    return rows.select_related("address", "neighbourhood")


def address_score_page(
    *, actor: Actor, run: RiskRun, filters: ScoreFilter, page_number: Any, per_page: int = 50
) -> Page:
    """One page of the ranked list, paged over keys so deep pages stay cheap."""
    return paginate_by_key(
        address_scores(actor=actor, run=run, filters=filters),
        page_number=page_number,
        per_page=per_page,
        load=_load_scores,
    )


def address_score_export(
    *, actor: Actor, run: RiskRun, filters: ScoreFilter, file_format: str
) -> Iterator[Explained]:
    scores = _load_scores(address_scores(actor=actor, run=run, filters=filters))
    audit.record_export(
        actor,
        model=AddressRiskScore,
        count=scores.count(),
        file_format=file_format,
        filters={"run": run.pk, **filters.as_dict()},
    )
    for score in scores.iterator(chunk_size=1000):
        yield Explained(score, explain(score.contributions))


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    colour: str
    radius: float
    score: AddressRiskScore


MAP_WIDTH = 640
MAP_MAX_POINTS = 500
# Score bands, highest first: (lowest score, colour). Colour is never the only cue: the table says it.
SCORE_BANDS = ((60, "#7a0019"), (40, "#b8002e"), (20, "#e06000"), (0, "#f2b300"))


def score_colour(score: int) -> str:
    return next(colour for floor, colour in SCORE_BANDS if score >= floor)


def map_points(*, actor: Actor, run: RiskRun, filters: ScoreFilter) -> tuple[list[MapPoint], int, int]:
    """The highest scores as points on a plain projection of the municipality's address coordinates."""
    scores = list(
        _load_scores(address_scores(actor=actor, run=run, filters=filters)).filter(
            address__latitude__isnull=False, address__longitude__isnull=False
        )[:MAP_MAX_POINTS]
    )
    box = Address.objects.filter(
        municipality=actor.municipality, latitude__isnull=False, longitude__isnull=False
    ).aggregate(
        lat_min=Min("latitude"), lat_max=Max("latitude"), lon_min=Min("longitude"), lon_max=Max("longitude")
    )
    if not scores or box["lat_min"] is None:
        return [], MAP_WIDTH, MAP_WIDTH // 2
    lat_min, lat_max = box["lat_min"], box["lat_max"]
    lon_min, lon_max = box["lon_min"], box["lon_max"]
    shrink = math.cos(math.radians((lat_min + lat_max) / 2))
    span_x = max((lon_max - lon_min) * shrink, 1e-6)
    span_y = max(lat_max - lat_min, 1e-6)
    margin = 10
    height = max(200, min(800, round(MAP_WIDTH * span_y / span_x)))
    inner_w, inner_h = MAP_WIDTH - 2 * margin, height - 2 * margin
    points = []
    for score in reversed(scores):  # the highest drawn last, on top
        address = score.address
        x = margin + (address.longitude - lon_min) * shrink / span_x * inner_w
        y = margin + (lat_max - address.latitude) / span_y * inner_h
        points.append(
            MapPoint(
                x=round(x, 1),
                y=round(y, 1),
                colour=score_colour(score.score),
                radius=round(3 + min(score.score, 100) / 20, 1),
                score=score,
            )
        )
    return points, MAP_WIDTH, height


def address_history(
    *, actor: Actor, address_id: int, limit: int = 20
) -> tuple[Address, list[dict[str, Any]]]:
    """An address's score in the latest runs (zero where it had none), with the contributions.

    Looking at one address's risk profile is recorded in the audit trail.
    """
    actor.require(Capability.VIEW_RISK)
    try:
        address = Address.objects.select_related("neighbourhood").get(
            pk=address_id, municipality=actor.municipality
        )
    except Address.DoesNotExist:
        raise Http404("address not found") from None
    recent = list(
        RiskRun.objects.filter(municipality=actor.municipality).order_by("-created_at", "-id")[:limit]
    )
    scores = {
        s.run_id: s for s in AddressRiskScore.objects.filter(address=address, run__in=[r.pk for r in recent])
    }
    history = []
    for run in recent:
        score = scores.get(run.pk)
        lines = explain(score.contributions) if score else []
        history.append({"run": run, "score": score, "lines": lines, "total": sum(x.points for x in lines)})
    audit.record_view(actor, obj=address, context="risk_score")
    return address, history


# --- employers ----------------------------------------------------------------------------------------


def employer_score_page(*, actor: Actor, run: RiskRun, page_number: Any, per_page: int = 50) -> Page:
    actor.require(Capability.VIEW_RISK)
    if run.municipality_id != actor.municipality.pk:
        raise Http404("risk run not found")
    return paginate_by_key(
        EmployerRiskScore.objects.filter(run=run).order_by("rank"),
        page_number=page_number,
        per_page=per_page,
        load=lambda rows: rows.select_related("employer"),
    )


# --- control lists ------------------------------------------------------------------------------------


def control_lists(*, actor: Actor) -> QuerySet[ControlList]:
    actor.require(Capability.VIEW_RISK)
    return (
        ControlList.objects.filter(municipality=actor.municipality)
        .select_related("run", "neighbourhood")
        .annotate(entry_count=Count("entries"))
        .order_by("-created_at", "-id")
    )


def control_list_get(*, actor: Actor, list_id: int) -> ControlList:
    try:
        return control_lists(actor=actor).get(pk=list_id)
    except ControlList.DoesNotExist:
        raise Http404("control list not found") from None


def control_list_entries(*, actor: Actor, control_list: ControlList) -> list[Explained]:
    actor.require(Capability.VIEW_RISK)
    entries = (
        ControlListEntry.objects.filter(control_list=control_list)
        .select_related("address__neighbourhood", "case")
        .order_by("rank", "id")
    )
    return explained(list(entries))


def entry_get(*, actor: Actor, entry_id: int) -> ControlListEntry:
    actor.require(Capability.VIEW_RISK)
    try:
        return ControlListEntry.objects.select_related("address", "control_list").get(
            pk=entry_id, municipality=actor.municipality
        )
    except ControlListEntry.DoesNotExist:
        raise Http404("entry not found") from None


def neighbourhoods(*, actor: Actor) -> QuerySet[Neighbourhood]:
    return Neighbourhood.objects.filter(municipality=actor.municipality).order_by("name")


# --- rules --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RulesView:
    rules: dict[str, Any]
    version: int
    defaults: dict[str, Any]
    history: list[RiskSettingsChange]


def rules_view(*, actor: Actor) -> RulesView:
    actor.require(Capability.VIEW_RISK_RUNS)
    stored = RiskSettings.objects.filter(municipality=actor.municipality).first()
    defaults = default_rules(actor.municipality).to_dict()
    rules = {**defaults, **(stored.rules if stored else {})}
    history = list(stored.changes.order_by("-version")[:50]) if stored else []
    return RulesView(rules=rules, version=stored.version if stored else 0, defaults=defaults, history=history)


def retention_due_runs(
    *, municipality: Municipality, on_or_before: dt.date, removed_case_ids: Sequence[int]
) -> QuerySet[RiskRun]:
    """Runs as of the date or earlier, with their scores and control lists. A run behind a control list
    from which a case was opened stays as long as that case does: it shows why the address was chosen."""
    justifying = ControlListEntry.objects.filter(municipality=municipality, case__isnull=False).exclude(
        case_id__in=list(removed_case_ids)
    )
    return RiskRun.objects.filter(municipality=municipality, as_of__lte=on_or_before).exclude(
        pk__in=justifying.values("control_list__run_id")
    )
