"""Input validation: the error names the table and column."""

from __future__ import annotations

import polars as pl
import pytest

from ketenregie.risk.engine import EngineInputError, address_features, validate

from .engine_builders import AS_OF, tables


def test_valid_tables_pass() -> None:
    validate(tables())


def test_missing_table() -> None:
    data = tables()
    del data["findings"]
    with pytest.raises(EngineInputError, match="findings") as raised:
        validate(data)
    assert raised.value.table == "findings"
    assert raised.value.column is None


def test_missing_column() -> None:
    data = tables()
    data["addresses"] = data["addresses"].drop("floor_area_m2")
    with pytest.raises(EngineInputError, match=r"addresses\.floor_area_m2") as raised:
        validate(data)
    assert raised.value.column == "floor_area_m2"


def test_wrong_dtype() -> None:
    data = tables()
    data["residences"] = data["residences"].with_columns(pl.col("starts_on").cast(pl.String))
    with pytest.raises(EngineInputError, match=r"residences\.starts_on: dtype String, expected Date"):
        address_features(data, AS_OF)


def test_not_a_polars_frame() -> None:
    data: dict[str, object] = dict(tables())
    data["signals"] = [{"address_id": 1}]
    with pytest.raises(EngineInputError, match="signals"):
        validate(data)  # type: ignore[arg-type]


def test_all_null_columns_are_accepted() -> None:
    data = tables(addresses=[(1, None, None, None, None, None)])
    data["addresses"] = pl.DataFrame(
        {
            "address_id": [1],
            "neighbourhood_code": [None],
            "floor_area_m2": [None],
            "residential": [None],
            "is_caravan": [None],
            "has_bag_id": [None],
        },
        schema_overrides={"address_id": pl.Int64},
    )
    row = address_features(data, AS_OF).row(0, named=True)
    assert row["floor_area_m2"] is None
    assert row["has_bag_id"] is False


def test_lazy_frames_are_accepted() -> None:
    data = {
        name: frame.lazy() for name, frame in tables(addresses=[(1, "A", 50.0, True, False, True)]).items()
    }
    assert address_features(data, AS_OF)["address_id"].to_list() == [1]


def test_duplicate_address_ids_are_an_input_error() -> None:
    data = tables(addresses=[(1, "A", 50.0, True, False, True), (1, "A", 60.0, True, False, True)])
    with pytest.raises(EngineInputError, match=r"addresses\.address_id: duplicate"):
        address_features(data, AS_OF)
