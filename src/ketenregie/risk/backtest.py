"""Back-testing the risk selection: would a list made in the past have found the real violations?

Replay: score every address as of a past date T (the engine ignores everything dated after T), take
the top k, and compare with what is known to be true in the window from T to the reference date:

- the synthetic data's planted ground truth (``demo.PlantedCondition``): an address is truly in
  violation when a condition there began on or before the end of the window;
- real findings where present: a visit in the window that established a violation.

Two baselines, computed exactly (never sampled): a random selection (its expected precision is the
base rate, its expected recall k / N) and a selection by meldingen alone (top k by the number of
meldingen in the 12 months before T). Ties at the cut-off are shared out by expectation: when the
last places go to some of a group of equally ranked addresses, each counts for its chance of being
picked, so neither the risk score nor the baseline profits from an arbitrary tie-break.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import polars as pl

from ketenregie.cases.models import Finding
from ketenregie.core.models import Municipality
from ketenregie.demo.models import PlantedCondition, SeedRun
from ketenregie.risk import engine
from ketenregie.risk.scoring import score_municipality
from ketenregie.signals.models import Signal

# The default replay goes back this far from the reference date: the synthetic registers hold about a
# year of history for the planted addresses, so half a year leaves both a past to score and a window.
DEFAULT_MONTHS_BACK = 6


@dataclass(frozen=True)
class BacktestResult:
    k: int
    as_of: str
    window_end: str
    addresses: int
    violating: int
    violating_planted: int
    violating_from_findings: int
    base_rate: float
    precision_at_k: float
    recall_at_k: float
    random_precision_at_k: float
    random_recall_at_k: float
    meldingen_precision_at_k: float
    meldingen_recall_at_k: float
    lift_over_random: float | None
    lift_over_meldingen: float | None
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def reference_date_of(municipality: Municipality) -> dt.date:
    """The seeded data's reference date, or today for a municipality with real data."""
    run = SeedRun.objects.filter(municipality=municipality, finished_at__isnull=False).first()
    if run is not None and run.counts.get("reference_date"):
        return dt.date.fromisoformat(run.counts["reference_date"])
    from django.utils import timezone

    return timezone.localdate()


def expected_hits(ranked: Iterable[tuple[float, bool]], k: int) -> float:
    """Expected number of hits in the top k of (value, hit) pairs, highest value first, ties shared."""
    groups: dict[float, list[int]] = {}
    for value, hit in ranked:
        group = groups.setdefault(value, [0, 0])
        group[0] += 1
        group[1] += int(hit)
    hits = 0.0
    left = k
    for value in sorted(groups, reverse=True):
        size, group_hits = groups[value]
        if left <= 0:
            break
        taken = min(size, left)
        hits += group_hits * taken / size
        left -= taken
    return hits


def truth(municipality: Municipality, *, as_of: dt.date, window_end: dt.date) -> tuple[set[int], set[int]]:
    planted = set(
        PlantedCondition.objects.filter(municipality=municipality, since__lte=window_end).values_list(
            "address_id", flat=True
        )
    )
    found = set(
        Finding.objects.filter(
            municipality=municipality,
            violation_found=True,
            found_on__gt=as_of,
            found_on__lte=window_end,
        ).values_list("address_id", flat=True)
    )
    return planted, found


def meldingen_counts(municipality: Municipality, *, as_of: dt.date) -> dict[int, int]:
    since = engine.months_before(as_of, 12)
    counts: dict[int, int] = {}
    rows = Signal.objects.filter(
        municipality=municipality,
        address__isnull=False,
        received_at__date__gt=since,
        received_at__date__lte=as_of,
    ).values_list("address_id", flat=True)
    for address_id in rows:
        counts[address_id] = counts.get(address_id, 0) + 1
    return counts


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def backtest(
    municipality: Municipality,
    *,
    k: int = 100,
    as_of: dt.date | None = None,
    window_end: dt.date | None = None,
) -> BacktestResult:
    import time

    if k < 1:
        raise ValueError("k must be at least 1")
    started = time.perf_counter()
    window_end = window_end or reference_date_of(municipality)
    as_of = as_of or engine.months_before(window_end, DEFAULT_MONTHS_BACK)
    if as_of >= window_end:
        raise ValueError("the replay date must lie before the end of the window")
    scored = score_municipality(municipality, as_of=as_of).addresses
    planted, found = truth(municipality, as_of=as_of, window_end=window_end)
    violating = planted | found
    frame: pl.DataFrame = scored.select("address_id", "score")
    ids: list[int] = frame["address_id"].to_list()
    scores: list[int] = frame["score"].to_list()
    population = len(ids)
    violating &= set(ids)
    total = len(violating)
    k_eff = min(k, population) if population else k
    hits = expected_hits(((s, a in violating) for a, s in zip(ids, scores, strict=True)), k_eff)
    counts = meldingen_counts(municipality, as_of=as_of)
    meldingen_hits = expected_hits(((counts.get(a, 0), a in violating) for a in ids), k_eff)
    base_rate = total / population if population else 0.0
    precision = hits / k_eff if k_eff else 0.0
    meldingen_precision = meldingen_hits / k_eff if k_eff else 0.0
    return BacktestResult(
        k=k,
        as_of=as_of.isoformat(),
        window_end=window_end.isoformat(),
        addresses=population,
        violating=total,
        violating_planted=len(planted & set(ids)),
        violating_from_findings=len(found & set(ids)),
        base_rate=round(base_rate, 5),
        precision_at_k=round(precision, 4),
        recall_at_k=round(hits / total, 4) if total else 0.0,
        random_precision_at_k=round(base_rate, 4),
        random_recall_at_k=round(k_eff / population, 4) if population else 0.0,
        meldingen_precision_at_k=round(meldingen_precision, 4),
        meldingen_recall_at_k=round(meldingen_hits / total, 4) if total else 0.0,
        lift_over_random=_ratio(precision, base_rate),
        lift_over_meldingen=_ratio(precision, meldingen_precision),
        seconds=round(time.perf_counter() - started, 2),
    )
