"""Explanations: a scored row as a list of named contributions that add up to its score."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .rules import EMPLOYER_RULE_KEYS, RULE_KEYS
from .scoring import UNKNOWN_BAG_ID, UNKNOWN_FLOOR_AREA, UNKNOWN_SNA, UNKNOWN_USE_PURPOSE

# What a label for each rule needs to say what was found, e.g. "12 persons on 64 m²: +35".
VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "overcrowding": ("persons", "floor_area_m2", "m2_per_person", "norm_m2"),
    "many_persons": ("persons",),
    "growth_3m": ("persons_change_3m", "persons"),
    "growth_12m": ("persons_change_12m", "persons"),
    "turnover": ("arrivals_12m", "departures_12m"),
    "short_stays": ("short_stay_share", "departures_12m"),
    "many_employers": ("distinct_employers",),
    "temp_agencies": ("distinct_temp_agencies",),
    "non_residential": ("non_residential_persons",),
    "housing_without_mark": (),
    "housing_without_permit": (),
    "mark_expiring": (),
    "signals": ("signals_12m",),
    "overcrowding_signals": ("signals_12m_overcrowding",),
    "earlier_findings": ("earlier_findings",),
    "earlier_measures": ("earlier_measures",),
    "rni_persons": ("rni_persons",),
    "violating_employers": ("residents_of_violating_employers",),
    "employer_violations": ("violations_24m",),
    "employer_not_certified": (),
    "employer_crowded_housing": ("housed_workers", "housing_locations", "workers_per_location"),
    "employer_signals": ("signals_12m_at_worker_addresses",),
}

UNKNOWN_VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    UNKNOWN_FLOOR_AREA: ("persons",),
    UNKNOWN_USE_PURPOSE: ("persons",),
    UNKNOWN_BAG_ID: (),
    UNKNOWN_SNA: (),
}


@dataclasses.dataclass(frozen=True)
class Contribution:
    """One line of an explanation: a rule key, its points and the values a label needs."""

    key: str
    points: int
    values: dict[str, Any]


def contributions(row: Mapping[str, Any]) -> list[Contribution]:
    """The non-zero contributions of a scored address or employer row, highest points first.

    Unknown inputs follow as zero-point entries keyed ``unknown_<input>`` (``unknown_floor_area``,
    ``unknown_use_purpose``, ``unknown_bag_id``, ``unknown_sna_certification``). The points always add
    up to ``row["score"]``.
    """
    lines: list[Contribution] = []
    for key in (*RULE_KEYS, *EMPLOYER_RULE_KEYS):
        points = row.get(f"c_{key}")
        if points:
            values = {column: row.get(column) for column in VALUE_COLUMNS[key]}
            lines.append(Contribution(key, int(points), values))
    # sorted() is stable, so equal points keep the rules' own order.
    lines = sorted(lines, key=lambda line: -line.points)
    for unknown in row.get("unknown") or ():
        values = {column: row.get(column) for column in UNKNOWN_VALUE_COLUMNS.get(unknown, ())}
        lines.append(Contribution(f"unknown_{unknown}", 0, values))
    return lines
