"""Properties on random tables: both implementations agree, scores add up, more persons never lower one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketenregie.risk.engine import RuleSet, address_features, contributions, score_addresses
from ketenregie.risk.engine.counting import count_address_features
from ketenregie.risk.engine.reference import address_features_reference
from ketenregie.risk.engine.schema import SOURCES

from .engine_builders import AS_OF, tables

ADDRESS_IDS = [11, 12, 13, 14]
# Sparse ids too, so that the sort-based fallback of the position lookup is exercised.
HUGE = 10**15

days = st.integers(min_value=-800, max_value=120).map(lambda n: AS_OF + dt.timedelta(days=n))
maybe_days = st.one_of(st.none(), days)
flags = st.one_of(st.none(), st.booleans())


@st.composite
def random_tables(draw: st.DrawFn) -> dict[str, pl.DataFrame]:
    addresses = [
        (
            address_id,
            draw(st.sampled_from(["A", "B", None])),
            draw(st.one_of(st.none(), st.sampled_from([0.0, 1.0, 20.0, 64.0, 130.5]))),
            draw(flags),
            draw(flags),
            draw(flags),
        )
        for address_id in ADDRESS_IDS
    ]
    known_and_unknown = st.sampled_from([*ADDRESS_IDS, 99])
    residences = []
    for _ in range(draw(st.integers(0, 25))):
        starts = draw(days)
        length = draw(st.one_of(st.none(), st.integers(0, 400)))
        ends = None if length is None else starts + dt.timedelta(days=length)
        residences.append(
            (draw(st.integers(1, 8)), draw(known_and_unknown), starts, ends, draw(st.sampled_from(SOURCES)))
        )
    employments = [
        (draw(st.integers(1, 9)), draw(st.integers(1, 4)), draw(days), draw(maybe_days))
        for _ in range(draw(st.integers(0, 10)))
    ]
    employers = [(employer_id, draw(flags), draw(flags)) for employer_id in (1, 2, 3)]
    violations = [(draw(st.integers(1, 4)), draw(days)) for _ in range(draw(st.integers(0, 3)))]
    housing = [
        (draw(known_and_unknown), draw(st.integers(1, 2)), draw(maybe_days), draw(maybe_days))
        for _ in range(draw(st.integers(0, 3)))
    ]
    signals = [
        (draw(known_and_unknown), draw(days), draw(st.sampled_from(["overcrowding", "noise", None])))
        for _ in range(draw(st.integers(0, 6)))
    ]
    findings = [
        (draw(known_and_unknown), draw(days), draw(flags), draw(flags))
        for _ in range(draw(st.integers(0, 4)))
    ]
    return tables(
        addresses=addresses,
        residences=residences,
        employments=employments,
        employers=employers,
        violations=violations,
        housing=housing,
        signals=signals,
        findings=findings,
    )


def _huge_ids(data: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    shifted = dict(data)
    for name in ("addresses", "residences", "housing", "signals", "findings"):
        shifted[name] = data[name].with_columns(pl.col("address_id") * HUGE)
    return shifted


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(random_tables())
def test_counting_agrees_with_the_reference(data: dict[str, pl.DataFrame]) -> None:
    expected = address_features_reference(data, AS_OF)
    assert address_features(data, AS_OF).sort("address_id").equals(expected)
    assert count_address_features(data, AS_OF, force_sparse=True).sort("address_id").equals(expected)
    huge = address_features_reference(_huge_ids(data), AS_OF)
    assert address_features(_huge_ids(data), AS_OF).sort("address_id").equals(huge)


@FAST
@given(random_tables())
def test_score_is_the_sum_of_its_explanation(data: dict[str, pl.DataFrame]) -> None:
    scored = score_addresses(address_features(data, AS_OF), RuleSet())
    for row in scored.iter_rows(named=True):
        lines = contributions(row)
        assert row["score"] == sum(line.points for line in lines) >= 0
        assert [line.points for line in lines] == sorted((line.points for line in lines), reverse=True)
        assert len([line for line in lines if line.key.startswith("unknown_")]) == len(row["unknown"])


def _score_with(persons: int, floor_area: float | None, caravan: bool, residential: bool | None) -> int:
    residences = [(person, 1, AS_OF - dt.timedelta(days=30), None, "brp") for person in range(persons)]
    data = tables(addresses=[(1, "A", floor_area, residential, caravan, True)], residences=residences)
    row: dict[str, Any] = score_addresses(address_features(data, AS_OF), RuleSet()).row(0, named=True)
    return int(row["score"])


@settings(max_examples=30, deadline=None)
@given(
    persons=st.integers(0, 30),
    more=st.integers(1, 10),
    floor_area=st.one_of(st.none(), st.floats(min_value=0.0, max_value=400.0, allow_nan=False)),
    caravan=st.booleans(),
    residential=flags,
)
def test_more_persons_never_lower_the_score(
    persons: int, more: int, floor_area: float | None, caravan: bool, residential: bool | None
) -> None:
    assert _score_with(persons + more, floor_area, caravan, residential) >= _score_with(
        persons, floor_area, caravan, residential
    )
