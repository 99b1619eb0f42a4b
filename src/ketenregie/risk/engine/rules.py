"""The scoring rules: named contributions with weights and thresholds as settings.

Each rule adds points for one feature; an address's score is the sum of those points, so every score
can be explained line by line ("12 persons on 64 m²: +35"). The defaults follow the norms in the
domain notes (Bouwbesluit 2012 art. 7.18 / Bbl: at most one person per 12 m² usable floor area in a
dwelling, one per 6 m² in a caravan) and weigh signals by how directly they point at a *misstand*:
persons living where nobody may live (no woonfunctie) and overcrowding weigh most, circumstantial
signs (turnover, many employers) least. An administrator can change every value (``from_dict``).

Address rules, in ``RULE_KEYS`` order:

- ``overcrowding`` (graded): persons ÷ floor area below the norm (12 m², caravan 6 m²) gives
  ``overcrowding_points`` plus ``overcrowding_points_per_tenth`` for every full tenth of the norm the
  address falls short: 12 persons on 64 m² is 5.3 m² each, 5 tenths short, 10 + 5 × 5 = 35 points.
  Unknown floor area gives no points and is reported as unknown.
- ``many_persons``: at least ``many_persons_threshold`` persons, whatever the floor area; it still
  catches large households where the floor area is unknown.
- ``growth_3m`` / ``growth_12m``: persons grew by at least the threshold in 3 / 12 months.
- ``turnover``: arrivals + departures in 12 months at least ``turnover_threshold``.
- ``short_stays``: at least ``short_stays_min_departures`` departures in 12 months of which at least
  ``short_stays_share`` stayed under 90 days.
- ``many_employers`` / ``temp_agencies``: residents work for at least that many employers / temp
  agencies.
- ``non_residential``: anyone registered at an address without a residential use purpose.
- ``housing_without_mark`` / ``housing_without_permit`` / ``mark_expiring``: a housing location at the
  address without a valid quality mark / permit, or with a mark ending within 90 days.
- ``signals``: ``signals_points_each`` per melding in 12 months, at most ``signals_max_points``;
  ``overcrowding_signals``: extra when one of them was about overcrowding.
- ``earlier_findings`` / ``earlier_measures``: earlier inspections found a violation / led to a measure.
- ``rni_persons``: at least ``rni_persons_threshold`` RNI registrations live here (not in the BRP).
- ``violating_employers``: a resident works for an employer with a proven violation in 24 months.

Employer rules (``EMPLOYER_RULE_KEYS``): ``employer_violations`` (per proven violation in 24 months, capped),
``employer_not_certified`` (a temp agency without SNA certification), ``employer_crowded_housing``
(housed workers per housing location at least the threshold) and ``employer_signals`` (meldingen at
its workers' addresses at least the threshold). A temp agency whose certification is unknown scores
nothing for it and is reported as unknown.

Points are whole numbers; comparisons use ``>=`` against the threshold (``<`` for the norm). An
unknown input (floor area, use purpose, a missing BAG id) makes its rule score nothing; the score
says so in ``unknown`` rather than guessing. No rule looks at nationality, which is not an input.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

RULE_KEYS: tuple[str, ...] = (
    "overcrowding",
    "many_persons",
    "growth_3m",
    "growth_12m",
    "turnover",
    "short_stays",
    "many_employers",
    "temp_agencies",
    "non_residential",
    "housing_without_mark",
    "housing_without_permit",
    "mark_expiring",
    "signals",
    "overcrowding_signals",
    "earlier_findings",
    "earlier_measures",
    "rni_persons",
    "violating_employers",
)

EMPLOYER_RULE_KEYS: tuple[str, ...] = (
    "employer_violations",
    "employer_not_certified",
    "employer_crowded_housing",
    "employer_signals",
)

# Settings that are a floor area or a share, not a count: they may be fractional.
_FLOAT_FIELDS = frozenset(
    {"norm_m2", "norm_caravan_m2", "short_stays_share", "employer_crowded_housing_threshold"}
)
# Divisors and shares: zero would divide by zero or mean "always".
_POSITIVE_FIELDS = frozenset({"norm_m2", "norm_caravan_m2"})
_AT_MOST_ONE_FIELDS = frozenset({"short_stays_share"})


@dataclasses.dataclass(frozen=True)
class RuleSet:
    """Weights (``*_points``) and thresholds of the rules; every field is a setting."""

    norm_m2: float = 12.0
    norm_caravan_m2: float = 6.0
    overcrowding_points: int = 10
    overcrowding_points_per_tenth: int = 5
    many_persons_threshold: int = 8
    many_persons_points: int = 10
    growth_3m_threshold: int = 4
    growth_3m_points: int = 10
    growth_12m_threshold: int = 6
    growth_12m_points: int = 5
    turnover_threshold: int = 10
    turnover_points: int = 10
    short_stays_min_departures: int = 3
    short_stays_share: float = 0.5
    short_stays_points: int = 10
    many_employers_threshold: int = 3
    many_employers_points: int = 5
    temp_agencies_threshold: int = 2
    temp_agencies_points: int = 5
    non_residential_points: int = 25
    housing_without_mark_points: int = 15
    housing_without_permit_points: int = 15
    mark_expiring_points: int = 5
    signals_points_each: int = 5
    signals_max_points: int = 20
    overcrowding_signals_points: int = 10
    earlier_findings_points: int = 15
    earlier_measures_points: int = 10
    rni_persons_threshold: int = 3
    rni_persons_points: int = 10
    violating_employers_points: int = 15
    employer_violations_points_each: int = 15
    employer_violations_max_points: int = 45
    employer_not_certified_points: int = 20
    employer_crowded_housing_threshold: float = 20.0
    employer_crowded_housing_points: int = 10
    employer_signals_threshold: int = 3
    employer_signals_points: int = 10

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            _check(field.name, getattr(self, field.name))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSet:
        """Settings from a (partial) mapping; missing keys keep their default.

        Raises ValueError naming the key for an unknown key, a value of the wrong type, a negative
        value, a zero norm or a share above 1.
        """
        known = {field.name for field in dataclasses.fields(cls)}
        for key in data:
            if key not in known:
                raise ValueError(f"unknown rule setting: {key!r}")
        values: dict[str, Any] = {}
        for key, value in data.items():
            _check(key, value)
            values[key] = float(value) if key in _FLOAT_FIELDS else value
        return cls(**values)

    def to_dict(self) -> dict[str, int | float]:
        """All settings, JSON-safe, in declaration order."""
        return dataclasses.asdict(self)


def _check(key: str, value: Any) -> None:
    if isinstance(value, bool):
        raise ValueError(f"rule setting {key!r} must be a number, not a boolean")
    if key in _FLOAT_FIELDS:
        if not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"rule setting {key!r} must be a finite number, got {value!r}")
    elif not isinstance(value, int):
        raise ValueError(f"rule setting {key!r} must be a whole number, got {value!r}")
    if value < 0:
        raise ValueError(f"rule setting {key!r} must not be negative, got {value!r}")
    if key in _POSITIVE_FIELDS and value == 0:
        raise ValueError(f"rule setting {key!r} must be greater than zero")
    if key in _AT_MOST_ONE_FIELDS and value > 1:
        raise ValueError(f"rule setting {key!r} is a share and must be at most 1, got {value!r}")
