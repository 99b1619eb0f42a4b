"""RuleSet: defaults from the norms, round trip, and errors naming the key."""

from __future__ import annotations

import json

import pytest

from ketenregie.risk.engine import RULE_KEYS, RuleSet


def test_defaults_follow_the_norms() -> None:
    rules = RuleSet()
    assert rules.norm_m2 == 12.0
    assert rules.norm_caravan_m2 == 6.0


def test_round_trip_through_json() -> None:
    rules = RuleSet.from_dict({"norm_m2": 10, "signals_points_each": 3})
    data = json.loads(json.dumps(rules.to_dict()))
    assert RuleSet.from_dict(data) == rules
    assert data["norm_m2"] == 10.0
    assert isinstance(RuleSet.from_dict(data).norm_m2, float)


def test_partial_settings_keep_the_other_defaults() -> None:
    assert RuleSet.from_dict({}) == RuleSet()
    assert RuleSet.from_dict({"turnover_points": 0}).signals_points_each == RuleSet().signals_points_each


def test_every_rule_has_a_points_setting() -> None:
    settings = RuleSet().to_dict()
    for key in RULE_KEYS:
        assert any(name.startswith(key) and "points" in name for name in settings), key


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"nationality_points": 5}, "nationality_points"),
        ({"norm_m2": -1.0}, "norm_m2"),
        ({"norm_m2": 0}, "norm_m2"),
        ({"norm_m2": "12"}, "norm_m2"),
        ({"norm_m2": float("nan")}, "norm_m2"),
        ({"overcrowding_points": 2.5}, "overcrowding_points"),
        ({"overcrowding_points": True}, "overcrowding_points"),
        ({"overcrowding_points": None}, "overcrowding_points"),
        ({"signals_points_each": -5}, "signals_points_each"),
        ({"short_stays_share": 1.5}, "short_stays_share"),
    ],
)
def test_from_dict_rejects_with_the_key_named(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RuleSet.from_dict(data)


def test_direct_construction_is_checked_too() -> None:
    with pytest.raises(ValueError, match="many_persons_threshold"):
        RuleSet(many_persons_threshold=-1)
