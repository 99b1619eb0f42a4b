from __future__ import annotations

import datetime as dt

import polars as pl

from ketenregie.core.models import Municipality
from ketenregie.risk import engine
from ketenregie.risk.export import OPEN_ENDED, UNKNOWN_START, export_tables
from tests import factories as f
from tests.risk.conftest import AS_OF, Town


def test_the_export_builds_every_engine_table_with_the_contract_dtypes(town: Town) -> None:
    tables = export_tables(town.crowded.municipality, AS_OF)
    assert set(tables) == set(engine.TABLE_NAMES)
    engine.validate(tables)


def test_addresses_say_what_is_unknown(town: Town) -> None:
    addresses = export_tables(town.crowded.municipality, AS_OF)["addresses"]
    rows = {row["address_id"]: row for row in addresses.iter_rows(named=True)}
    assert rows[town.crowded.pk] == {
        "address_id": town.crowded.pk,
        "neighbourhood_code": "BU05990101",
        "floor_area_m2": 48.0,
        "residential": True,
        "is_caravan": False,
        "has_bag_id": True,
    }
    assert rows[town.office.pk]["residential"] is False
    unknown = rows[town.unknown.pk]
    assert unknown["residential"] is None
    assert unknown["floor_area_m2"] is None
    assert unknown["has_bag_id"] is False
    assert unknown["neighbourhood_code"] is None


def test_residences_leave_out_postal_addresses_and_date_an_unknown_start_long_ago(town: Town) -> None:
    residences = export_tables(town.crowded.municipality, AS_OF)["residences"]
    at = residences.group_by("address_id").len()
    counts = dict(zip(at["address_id"].to_list(), at["len"].to_list(), strict=True))
    assert counts[town.crowded.pk] == 6
    assert residences.filter(pl.col("address_id") == town.crowded.pk)["source"].to_list().count("rni") == 2
    assert residences.filter(pl.col("address_id") == town.quiet.pk)["starts_on"].to_list() == [UNKNOWN_START]


def test_employers_violations_housing_signals_and_findings(town: Town) -> None:
    tables = export_tables(town.crowded.municipality, AS_OF)
    assert tables["employers"].row(0, named=True) == {
        "employer_id": town.agency.pk,
        "is_temp_agency": True,
        "sna_certified": False,
    }
    assert tables["employments"].height == 6
    assert tables["violations"]["occurred_on"].to_list() == [dt.date(2026, 3, 1)]
    assert tables["housing"].row(0, named=True)["mark_valid_until"] == dt.date(2025, 12, 31)
    # A granted permit without an end is valid indefinitely.
    assert tables["housing"].row(0, named=True)["permit_valid_until"] == OPEN_ENDED
    assert tables["signals"].rows() == [(town.crowded.pk, dt.date(2026, 10, 1), "overcrowding")]
    assert tables["findings"].rows() == [(town.office.pk, dt.date(2026, 10, 22), True, True)]


def test_unproven_violations_and_marks_not_yet_started_are_left_out(town: Town) -> None:
    f.ViolationFactory(municipality=town.crowded.municipality, employer=town.agency, status="alleged")
    tables = export_tables(town.crowded.municipality, dt.date(2022, 6, 1))
    assert tables["violations"].height == 1
    assert tables["housing"].row(0, named=True)["mark_valid_until"] is None


def test_the_export_never_crosses_tenants(town: Town, other_municipality: Municipality) -> None:
    f.AddressFactory(municipality=other_municipality)
    tables = export_tables(other_municipality, AS_OF)
    assert tables["addresses"].height == 1
    assert tables["residences"].height == 0


def test_nationality_is_not_exported(town: Town) -> None:
    tables = export_tables(town.crowded.municipality, AS_OF)
    assert not any("nationality" in column for frame in tables.values() for column in frame.columns)
