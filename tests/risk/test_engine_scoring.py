"""Scores and their explanations on the literal scenario of test_engine_features."""

from __future__ import annotations

import polars as pl
import pytest

from ketenregie.risk.engine import (
    EMPLOYER_RULE_KEYS,
    RULE_KEYS,
    Contribution,
    RuleSet,
    address_features,
    contributions,
    employer_features,
    score_addresses,
    score_employers,
)

from .engine_builders import AS_OF, tables
from .test_engine_features import by_id, scenario


@pytest.fixture(scope="module")
def scored() -> dict[int, dict[str, object]]:
    return by_id(score_addresses(address_features(scenario(), AS_OF), RuleSet()))


def test_crowded_dwelling_score_and_its_explanation(scored: dict[int, dict[str, object]]) -> None:
    row = scored[1]
    lines = contributions(row)
    assert [(line.key, line.points) for line in lines] == [
        ("overcrowding", 35),
        ("housing_without_permit", 15),
        ("earlier_findings", 15),
        ("violating_employers", 15),
        ("many_persons", 10),
        ("growth_3m", 10),
        ("signals", 10),
        ("overcrowding_signals", 10),
        ("earlier_measures", 10),
        ("growth_12m", 5),
        ("many_employers", 5),
        ("mark_expiring", 5),
    ]
    assert row["score"] == 145 == sum(line.points for line in lines)
    # "12 persons on 64 m²: +35": 5.3 m² each is 5 full tenths under the norm of 12 m².
    assert lines[0].values == {
        "persons": 12,
        "floor_area_m2": 64.0,
        "m2_per_person": pytest.approx(64 / 12),
        "norm_m2": 12.0,
    }
    assert row["unknown"] == []


def test_caravan_is_measured_against_its_own_norm(scored: dict[int, dict[str, object]]) -> None:
    row = scored[2]
    assert row["norm_m2"] == 6.0
    assert row["c_overcrowding"] == 0  # 10 m² each is above the caravan norm
    assert {line.key: line.points for line in contributions(row)} == {
        "non_residential": 25,
        "housing_without_mark": 15,
        "short_stays": 10,
    }
    assert row["score"] == 50


def test_unknown_inputs_score_nothing_and_are_explained(scored: dict[int, dict[str, object]]) -> None:
    row = scored[3]
    assert row["score"] == 0
    assert row["unknown"] == ["floor_area", "use_purpose", "bag_id"]
    assert contributions(row) == [
        Contribution("unknown_floor_area", 0, {"persons": 1}),
        Contribution("unknown_use_purpose", 0, {"persons": 1}),
        Contribution("unknown_bag_id", 0, {}),
    ]
    assert scored[4]["unknown"] == ["floor_area"]  # 0 m²
    assert scored[5]["unknown"] == []
    assert contributions(scored[5]) == []


def test_score_is_the_sum_of_the_contribution_columns() -> None:
    frame = score_addresses(address_features(scenario(), AS_OF), RuleSet())
    columns = [f"c_{key}" for key in RULE_KEYS]
    assert set(columns) <= set(frame.columns)
    assert all(frame.schema[column] == pl.Int64 for column in [*columns, "score"])
    assert frame.select((pl.sum_horizontal(columns) == pl.col("score")).all()).item()
    assert frame["unknown"].dtype == pl.List(pl.String)


def test_sorted_by_score_then_address_id() -> None:
    frame = score_addresses(address_features(scenario(), AS_OF), RuleSet())
    assert frame.select("score", "address_id").rows() == [(145, 1), (50, 2), (0, 3), (0, 4), (0, 5)]


def test_sorting_does_not_depend_on_the_input_order() -> None:
    features = address_features(scenario(), AS_OF)
    shuffled = features.sample(fraction=1.0, shuffle=True, seed=3)
    assert score_addresses(shuffled, RuleSet()).equals(score_addresses(features, RuleSet()))


def test_weights_and_norms_are_settings() -> None:
    features = address_features(scenario(), AS_OF)
    strict = RuleSet.from_dict({"norm_m2": 4.0, "overcrowding_points": 0, "signals_max_points": 5})
    row = by_id(score_addresses(features, strict))[1]
    assert row["c_overcrowding"] == 0  # 5.3 m² each is above a norm of 4 m²
    assert row["c_signals"] == 5


def test_overcrowding_is_graded() -> None:
    rows = [
        (1, "A", 64.0, True, False, True),
        (2, "A", 64.0, True, False, True),
        (3, "A", 64.0, True, False, True),
        (4, "A", 30.0, True, True, True),
    ]
    residences = [
        *[(p, 1, AS_OF, None, "brp") for p in range(6)],  # 10.7 m² each: 1 tenth short
        *[(100 + p, 2, AS_OF, None, "brp") for p in range(8)],  # 8 m²: 3 tenths
        *[(200 + p, 3, AS_OF, None, "brp") for p in range(12)],  # 5.3 m²: 5 tenths
        *[(300 + p, 4, AS_OF, None, "brp") for p in range(6)],  # caravan, 5 m² against 6: 1 tenth
    ]
    scored = by_id(
        score_addresses(address_features(tables(addresses=rows, residences=residences), AS_OF), RuleSet())
    )
    assert [scored[i]["c_overcrowding"] for i in (1, 2, 3, 4)] == [15, 25, 35, 15]


def test_employer_scores() -> None:
    scored = by_id(score_employers(employer_features(scenario(), AS_OF), RuleSet()), "employer_id")
    row = scored[100]
    assert {line.key: line.points for line in contributions(row)} == {
        "employer_violations": 15,
        "employer_not_certified": 20,
    }
    assert row["score"] == 35
    assert scored[200]["unknown"] == []  # not a temp agency: certification does not matter
    frame = score_employers(employer_features(scenario(), AS_OF), RuleSet())
    assert frame.select(
        (pl.sum_horizontal(f"c_{k}" for k in EMPLOYER_RULE_KEYS) == pl.col("score")).all()
    ).item()
    assert frame["employer_id"].to_list()[0] == 100


def test_temp_agency_with_unknown_certification() -> None:
    data = tables(employers=[(1, True, None)])
    row = score_employers(employer_features(data, AS_OF), RuleSet()).row(0, named=True)
    assert row["c_employer_not_certified"] == 0
    assert row["unknown"] == ["sna_certification"]
    assert contributions(row) == [Contribution("unknown_sna_certification", 0, {})]


def test_empty_tables_score_to_an_empty_frame() -> None:
    scored = score_addresses(address_features(tables(), AS_OF), RuleSet())
    assert scored.height == 0
    assert "score" in scored.columns


def test_large_weights_still_order_correctly() -> None:
    # Beyond what a 16-bit ordering pass could hold: the engine must widen it.
    rules = RuleSet.from_dict({"non_residential_points": 100_000, "signals_points_each": 40_000})
    frame = score_addresses(address_features(scenario(), AS_OF), rules)
    assert frame.select("address_id", "score").rows()[:2] == [(2, 100_025), (1, 145 - 10 + 20)]
