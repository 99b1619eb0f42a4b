"""The back-test on the seeded test profile (Rotterdam at scale 0.01, as in test_synthetic_municipality)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from ketenregie.core.models import Municipality
from ketenregie.risk.backtest import backtest, expected_hits


def test_ties_at_the_cut_off_count_by_their_chance_of_being_picked() -> None:
    ranked = [(3, True), (2, False), (1, True), (1, False), (1, False), (1, False)]
    assert expected_hits(ranked, 2) == 1
    assert expected_hits(ranked, 4) == pytest.approx(1 + 2 / 4)
    assert expected_hits(ranked, 10) == 2


@pytest.fixture
def rotterdam(db: None) -> Municipality:
    call_command("seed", "--profile", "rotterdam", "--seed", "3", "--scale", "0.01", stdout=StringIO())
    return Municipality.objects.get(code="0599")


def test_the_risk_score_beats_random_and_meldingen_at_k_100(rotterdam: Municipality) -> None:
    result = backtest(rotterdam, k=100)
    assert result.violating >= 10
    assert result.random_precision_at_k == pytest.approx(result.violating / result.addresses, abs=1e-4)
    assert result.lift_over_random is not None
    assert result.lift_over_random >= 3
    assert result.recall_at_k > result.random_recall_at_k
    assert result.precision_at_k > result.meldingen_precision_at_k
    out = StringIO()
    call_command("risk", "backtest", "--municipality", "0599", "--k", "100", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["lift_over_random"] == result.lift_over_random
    assert "lift_over_meldingen" in data
    text = StringIO()
    call_command("risk", "backtest", "--k", "100", stdout=text)
    assert "lift over meldingen" in text.getvalue()
