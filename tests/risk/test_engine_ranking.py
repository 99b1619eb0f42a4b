"""The control list: top N overall and per neighbourhood."""

from __future__ import annotations

import polars as pl
import pytest

from ketenregie.risk.engine import rank_control_list


def scored() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "address_id": [1, 2, 3, 4, 5, 6],
            "neighbourhood_code": ["A", "A", "B", "B", None, "A"],
            "score": [50, 50, 40, 10, 30, 0],
        }
    )


def test_top_n_overall_with_ties_by_address_id() -> None:
    ranked = rank_control_list(scored(), top_n=3, per_neighbourhood=False)
    assert ranked.select("address_id", "rank").rows() == [(1, 1), (2, 2), (3, 3)]


def test_per_neighbourhood() -> None:
    ranked = rank_control_list(scored(), top_n=1, per_neighbourhood=True)
    assert ranked.select("neighbourhood_code", "address_id", "rank").rows() == [
        ("A", 1, 1),
        ("B", 3, 1),
        (None, 5, 1),
    ]


def test_excluded_and_zero_scores_are_left_out() -> None:
    ranked = rank_control_list(scored(), top_n=10, per_neighbourhood=False, exclude_address_ids={1, 3})
    assert ranked["address_id"].to_list() == [2, 5, 4]
    assert 6 not in ranked["address_id"].to_list()


def test_negative_top_n() -> None:
    with pytest.raises(ValueError, match="top_n"):
        rank_control_list(scored(), top_n=-1, per_neighbourhood=False)
