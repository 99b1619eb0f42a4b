"""Address and employer features on small literal tables with hand-computed values."""

from __future__ import annotations

import polars as pl
import pytest

from ketenregie.risk.engine import address_features, employer_features

from .engine_builders import AS_OF, D, tables


def scenario() -> dict[str, pl.DataFrame]:
    """Five addresses as of 2026-06-01 (3 months ago: 2026-03-01; 12 months ago: 2025-06-01).

    1: a 64 m² dwelling with 12 residents, two of them from the RNI, employed by three employers.
    2: a 30 m² caravan without a residential use purpose, with three departures in the last year.
    3: no floor area, unknown use purpose, no BAG id, no neighbourhood; one resident.
    4: floor area 0 (a BAG placeholder), nobody. 5: 100 m², nothing at all.
    """
    residences = [
        *[(p, 1, D(2025, 1, 1), None, "brp") for p in range(1, 6)],
        (6, 1, D(2025, 1, 1), D(2026, 9, 1), "brp"),  # ends after as_of: still there
        *[(p, 1, D(2026, 4, 1), None, "brp") for p in range(7, 11)],
        (11, 1, D(2025, 10, 1), None, "rni"),
        (12, 1, D(2025, 10, 1), None, "rni"),
        (1, 1, D(2025, 1, 2), None, "employer"),  # the same person from a second source
        (13, 1, D(2026, 7, 1), None, "brp"),  # starts after as_of
        (20, 2, D(2025, 12, 1), D(2025, 12, 31), "brp"),  # 30 days
        (21, 2, D(2026, 1, 10), D(2026, 3, 11), "brp"),  # 60 days, there 3 months ago
        (22, 2, D(2024, 11, 1), D(2025, 12, 5), "brp"),  # 399 days, there 12 months ago
        (23, 2, D(2020, 1, 1), D(2025, 1, 1), "brp"),  # left before the window
        *[(p, 2, D(2020, 1, 1), None, "brp") for p in (24, 25, 26)],
        (30, 3, D(2024, 1, 1), None, "brp"),
    ]
    return tables(
        addresses=[
            (1, "BU01", 64.0, True, False, True),
            (2, "BU01", 30.0, False, True, True),
            (3, None, None, None, None, False),
            (4, "BU02", 0.0, True, False, True),
            (5, "BU02", 100.0, True, False, True),
        ],
        residences=residences,
        employments=[
            *[(p, 100, D(2025, 1, 1), None) for p in range(1, 5)],
            (5, 200, D(2025, 1, 1), None),
            (6, 300, D(2025, 1, 1), D(2026, 5, 1)),  # ended
            (7, 400, D(2026, 7, 1), None),  # starts after as_of
            (8, 500, D(2025, 1, 1), None),
        ],
        employers=[
            (100, True, False),
            (200, False, None),
            (300, True, True),
            (400, False, False),
            (500, False, False),
        ],
        violations=[(100, D(2025, 1, 1)), (200, D(2026, 7, 1)), (500, D(2024, 1, 1))],
        housing=[(1, 1, D(2026, 7, 15), None), (2, 2, None, D(2027, 1, 1))],
        signals=[
            (1, D(2026, 5, 1), "overcrowding"),
            (1, D(2025, 8, 1), "noise"),
            (1, D(2025, 5, 1), "noise"),  # more than 12 months ago
            (1, D(2026, 7, 1), "overcrowding"),  # after as_of
        ],
        findings=[
            (1, D(2024, 1, 1), True, True),
            (1, D(2026, 7, 1), True, True),  # after as_of
            (1, D(2023, 1, 1), False, False),
        ],
    )


def by_id(frame: pl.DataFrame, key: str = "address_id") -> dict[int, dict[str, object]]:
    return {row[key]: row for row in frame.iter_rows(named=True)}


def test_one_row_per_address_in_address_order() -> None:
    features = address_features(scenario(), AS_OF)
    assert features["address_id"].to_list() == [1, 2, 3, 4, 5]


def test_crowded_dwelling() -> None:
    row = by_id(address_features(scenario(), AS_OF))[1]
    assert row["persons"] == 12
    assert row["m2_per_person"] == pytest.approx(64 / 12)
    assert row["persons_change_3m"] == 4  # 8 were there on 2026-03-01
    assert row["persons_change_12m"] == 6  # 6 were there on 2025-06-01
    assert row["arrivals_12m"] == 6
    assert row["departures_12m"] == 0
    assert row["short_stay_share"] is None
    assert row["rni_persons"] == 2
    assert row["distinct_employers"] == 3  # 100, 200, 500; 300 ended, 400 not started
    assert row["distinct_temp_agencies"] == 1
    assert row["residents_of_violating_employers"] == 4  # 500's violation is older than 24 months
    assert row["non_residential_persons"] == 0
    assert row["residential_unknown"] is False
    assert row["signals_12m"] == 2
    assert row["signals_12m_overcrowding"] == 1
    assert row["earlier_findings"] == 1
    assert row["earlier_measures"] == 1
    assert row["housing_without_valid_mark"] is False
    assert row["housing_without_permit"] is True
    assert row["mark_expiring_90d"] is True


def test_caravan_without_residential_use_with_short_stays() -> None:
    row = by_id(address_features(scenario(), AS_OF))[2]
    assert row["persons"] == 3
    assert row["is_caravan"] is True
    assert row["m2_per_person"] == pytest.approx(10.0)
    assert row["non_residential_persons"] == 3
    assert row["departures_12m"] == 3
    assert row["arrivals_12m"] == 2
    assert row["short_stay_share"] == pytest.approx(2 / 3)
    assert row["persons_change_3m"] == -1
    assert row["persons_change_12m"] == -1
    assert row["housing_without_valid_mark"] is True
    assert row["housing_without_permit"] is False
    assert row["mark_expiring_90d"] is False


def test_unknown_inputs_are_null_not_errors() -> None:
    rows = by_id(address_features(scenario(), AS_OF))
    assert rows[3]["floor_area_m2"] is None
    assert rows[3]["m2_per_person"] is None
    assert rows[3]["non_residential_persons"] is None
    assert rows[3]["residential_unknown"] is True
    assert rows[3]["has_bag_id"] is False
    assert rows[3]["neighbourhood_code"] is None
    assert rows[3]["persons"] == 1
    assert rows[4]["floor_area_m2"] is None  # 0 m² is a placeholder, not a floor area
    assert rows[5]["persons"] == 0
    assert rows[5]["m2_per_person"] is None
    assert rows[5]["signals_12m"] == 0


def test_rows_after_as_of_change_nothing() -> None:
    base = scenario()
    later = dict(base)
    future = D(2026, 6, 2)
    later["residences"] = pl.concat(
        [
            base["residences"],
            pl.DataFrame([(99, 5, future, None, "rni")], schema=base["residences"].schema, orient="row"),
        ]
    )
    later["signals"] = pl.concat(
        [
            base["signals"],
            pl.DataFrame([(5, future, "overcrowding")], schema=base["signals"].schema, orient="row"),
        ]
    )
    later["findings"] = pl.concat(
        [
            base["findings"],
            pl.DataFrame([(5, future, True, True)], schema=base["findings"].schema, orient="row"),
        ]
    )
    later["violations"] = pl.concat(
        [base["violations"], pl.DataFrame([(200, future)], schema=base["violations"].schema, orient="row")]
    )
    assert address_features(later, AS_OF).equals(address_features(base, AS_OF))
    assert employer_features(later, AS_OF).equals(employer_features(base, AS_OF))


def test_replaying_an_earlier_date() -> None:
    rows = by_id(address_features(scenario(), D(2025, 6, 1)))
    # On 2025-06-01 the first six and person 22 lived at 1 and 2; nobody had arrived since.
    assert rows[1]["persons"] == 6
    assert rows[1]["signals_12m"] == 1  # only the one of 2025-05-01
    assert rows[1]["earlier_findings"] == 1
    assert rows[2]["persons"] == 4
    assert rows[1]["housing_without_valid_mark"] is False


def test_employer_features() -> None:
    rows = by_id(employer_features(scenario(), AS_OF), "employer_id")
    assert rows[100] == {
        "employer_id": 100,
        "workers": 4,
        "housed_workers": 4,
        "housing_locations": 1,
        "workers_per_location": 4.0,
        "violations_24m": 1,
        "sna_certified": False,
        "is_temp_agency": True,
        "signals_12m_at_worker_addresses": 2,
    }
    assert rows[200]["workers"] == 1
    assert rows[200]["violations_24m"] == 0
    assert rows[300]["workers"] == 0
    assert rows[300]["workers_per_location"] is None
    assert rows[400]["workers"] == 0
    assert rows[500]["violations_24m"] == 0
