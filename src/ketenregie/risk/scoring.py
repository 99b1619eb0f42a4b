"""Running the engine on a municipality's registers, without saving anything (commands, back-test, runs)."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ketenregie.core.models import Municipality, Norms
from ketenregie.risk import engine, export
from ketenregie.risk.models import RiskSettings

# Columns of the scored frame that are not features: the score, its parts and the bookkeeping.
NON_FEATURE_COLUMNS = frozenset({"address_id", "employer_id", "neighbourhood_code", "score", "unknown"})


@dataclass
class Scored:
    as_of: dt.date
    rules: engine.RuleSet
    rules_version: int
    addresses: pl.DataFrame
    employers: pl.DataFrame
    timings: dict[str, int] = field(default_factory=dict)


def default_rules(municipality: Municipality) -> engine.RuleSet:
    """The engine's defaults with the municipality's own floor-area norms (core.Norms), so one norm is
    set in one place until the administrator saves rules of their own."""
    norms = Norms.objects.filter(municipality=municipality).first()
    if norms is None:
        return engine.RuleSet()
    return engine.RuleSet.from_dict(
        {
            "norm_m2": float(norms.floor_area_per_person_m2),
            "norm_caravan_m2": float(norms.caravan_floor_area_per_person_m2),
        }
    )


def rules_for(municipality: Municipality) -> tuple[engine.RuleSet, int]:
    """The municipality's saved rules and their version, or the defaults (version 0)."""
    stored = RiskSettings.objects.filter(municipality=municipality).first()
    if stored is None or not stored.rules:
        return default_rules(municipality), 0
    return engine.RuleSet.from_dict(stored.rules), stored.version


def score_municipality(
    municipality: Municipality,
    *,
    as_of: dt.date,
    rules: engine.RuleSet | None = None,
    on_exported: Callable[[], None] | None = None,
) -> Scored:
    """``on_exported`` is told when the registers are read and the engine starts (a task's progress)."""
    version = 0
    if rules is None:
        rules, version = rules_for(municipality)
    started = time.perf_counter()
    tables = export.export_tables(municipality, as_of)
    exported = time.perf_counter()
    if on_exported is not None:
        on_exported()
    address_features = engine.address_features(tables, as_of)
    addresses = engine.score_addresses(address_features, rules)
    employers = engine.score_employers(engine.employer_features(tables, as_of), rules)
    scored = time.perf_counter()
    return Scored(
        as_of=as_of,
        rules=rules,
        rules_version=version,
        addresses=addresses,
        employers=employers,
        timings={
            "export": round((exported - started) * 1000),
            "engine": round((scored - exported) * 1000),
        },
    )


def jsonable(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, 2)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def contributions_of(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The engine's contributions of one scored row, as stored JSON: [{key, points, values}]."""
    return [
        {"key": c.key, "points": int(c.points), "values": jsonable(dict(c.values))}
        for c in engine.contributions(row)
    ]


def features_of(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: jsonable(value)
        for key, value in row.items()
        if key not in NON_FEATURE_COLUMNS and not key.startswith("c_") and value is not None
    }
