"""The engine's input tables, built from the registers of one municipality with set-based queries.

Each table is one ``values_list`` query (no model instances, no per-row queries) turned into a Polars
frame with the dtypes of the contract (``ketenregie.risk.engine.schema``). The engine itself filters
on the reference date, so the tables hold the whole history; only where a register keeps a single
current value (a quality mark's or permit's validity) does the export look at ``as_of`` itself.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate

from ketenregie.cases.models import Finding, Measure, MeasureStatus
from ketenregie.core.models import Municipality
from ketenregie.employers.models import Employer, EmployerKind, Employment, Violation, ViolationStatus
from ketenregie.housing.models import HousingLocation, HousingPermit, PermitStatus, QualityMark
from ketenregie.people.models import AddressFunction, Residence, living_periods
from ketenregie.places.models import Address
from ketenregie.signals.models import Signal

# A stay whose start the BRP does not know at all began, for the engine, long ago.
UNKNOWN_START = dt.date(1900, 1, 1)
# A granted permit without an end date is valid indefinitely (the contract reads null as 'no permit').
OPEN_ENDED = dt.date(9999, 12, 31)

SCHEMAS: dict[str, dict[str, Any]] = {
    "addresses": {
        "address_id": pl.Int64,
        "neighbourhood_code": pl.Utf8,
        "floor_area_m2": pl.Float64,
        "residential": pl.Boolean,
        "is_caravan": pl.Boolean,
        "has_bag_id": pl.Boolean,
    },
    "residences": {
        "person_id": pl.Int64,
        "address_id": pl.Int64,
        "starts_on": pl.Date,
        "ends_on": pl.Date,
        "source": pl.Utf8,
    },
    "employments": {
        "person_id": pl.Int64,
        "employer_id": pl.Int64,
        "starts_on": pl.Date,
        "ends_on": pl.Date,
    },
    "employers": {"employer_id": pl.Int64, "is_temp_agency": pl.Boolean, "sna_certified": pl.Boolean},
    "violations": {"employer_id": pl.Int64, "occurred_on": pl.Date},
    "housing": {
        "address_id": pl.Int64,
        "location_id": pl.Int64,
        "mark_valid_until": pl.Date,
        "permit_valid_until": pl.Date,
    },
    "signals": {"address_id": pl.Int64, "received_on": pl.Date, "category": pl.Utf8},
    "findings": {"address_id": pl.Int64, "found_on": pl.Date, "violation": pl.Boolean, "measure": pl.Boolean},
}


# Risk is per addressable object: what happens at a secondary address (nevenadres) counts for the
# object's main address, the only one in the addresses frame.
_OBJECT_ADDRESS = Coalesce("address__main_address_id", "address_id")


def _frame(table: str, rows: Iterable[Sequence[Any]]) -> pl.DataFrame:
    schema = SCHEMAS[table]
    data = list(rows)
    if not data:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(data, schema=schema, orient="row")


def addresses(municipality: Municipality) -> pl.DataFrame:
    """Residential is unknown (null) when the BAG gave no use purpose at all."""
    # Main addresses only: a secondary address (nevenadres) is the same object (see residences()).
    rows = Address.objects.filter(municipality=municipality, main_address__isnull=True).values_list(
        "pk",
        "neighbourhood__code",
        "floor_area_m2",
        "is_habitable_use",
        "use_purposes",
        "is_caravan",
        "bag_object_id",
    )
    return _frame(
        "addresses",
        (
            (
                pk,
                code,
                float(area) if area else None,
                habitable if purposes else None,
                caravan,
                bool(bag_id),
            )
            for pk, code, area, habitable, purposes, caravan, bag_id in rows.iterator(chunk_size=20_000)
        ),
    )


RESIDENCE_FIELDS = (
    "pk",
    "person_id",
    "address_id",
    "starts_on",
    "ends_on",
    "certain_from",
    "source",
    "verification_status",
)


def residences(municipality: Municipality) -> pl.DataFrame:
    """Where people lived, by the one rule of ``people.selectors.lives_on``: each person is at one
    address on any day (a stay address before the BRP's, the latest of several; a rejected one never),
    so the engine counts nobody twice. A person's residences become the periods in which each is where
    they live (``people.models.living_periods``); periods abroad or outside the register are left out.
    Postal addresses never count."""
    rows = (
        Residence.objects.filter(municipality=municipality, address_function=AddressFunction.LIVING)
        # Who lives at a secondary address (nevenadres) lives in the object of its main one.
        .annotate(object_address_id=_OBJECT_ADDRESS)
        .order_by("person_id", "pk")
        .values_list(*RESIDENCE_FIELDS, "object_address_id")
    )
    return _frame("residences", _living_rows(rows.iterator(chunk_size=20_000)))


def _living_rows(rows: Iterable[tuple[Any, ...]]) -> Iterable[tuple[Any, ...]]:
    for _person, group in itertools.groupby(rows, key=lambda row: row[1]):
        rows_of_person = list(group)
        object_address = {row[0]: row[-1] for row in rows_of_person}
        held = [Residence(**dict(zip(RESIDENCE_FIELDS, row[:-1], strict=True))) for row in rows_of_person]
        for residence, start, end in living_periods(held):
            if residence.address_id is not None:
                yield (
                    residence.person_id,
                    object_address[residence.pk],
                    start or UNKNOWN_START,
                    end,
                    residence.source,
                )


def employments(municipality: Municipality) -> pl.DataFrame:
    rows = Employment.objects.filter(municipality=municipality).values_list(
        "person_id", "employer_id", "starts_on", "ends_on"
    )
    return _frame("employments", rows.iterator(chunk_size=20_000))


def employers(municipality: Municipality) -> pl.DataFrame:
    rows = Employer.objects.filter(municipality=municipality).values_list("pk", "kind", "sna_certified")
    return _frame("employers", ((pk, kind == EmployerKind.TEMP_AGENCY, sna) for pk, kind, sna in rows))


def violations(municipality: Municipality) -> pl.DataFrame:
    rows = Violation.objects.filter(municipality=municipality, status=ViolationStatus.PROVEN).values_list(
        "employer_id", "occurred_on"
    )
    return _frame("violations", rows)


def housing(municipality: Municipality, as_of: dt.date) -> pl.DataFrame:
    """One row per address of a housing location, with the validity of its best mark and permit.

    The registers keep each mark and permit with its period; for the engine's single column the export
    takes, per location, the latest end of a mark or granted permit that had started on ``as_of``.
    """
    marks: dict[int, dt.date] = {}
    for location, until in QualityMark.objects.filter(
        municipality=municipality, valid_from__lte=as_of
    ).values_list("location_id", "valid_until"):
        marks[location] = max(until, marks.get(location, until))
    permits: dict[int, dt.date] = {}
    for location, permit_until in (
        HousingPermit.objects.filter(municipality=municipality, status=PermitStatus.GRANTED)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=as_of))
        .values_list("location_id", "valid_until")
    ):
        end = permit_until or OPEN_ENDED
        permits[location] = max(end, permits.get(location, end))
    through: Any = HousingLocation.addresses.through
    rows = (
        through.objects.filter(housinglocation__municipality=municipality)
        .annotate(object_address_id=_OBJECT_ADDRESS)
        .values_list("object_address_id", "housinglocation_id")
    )
    return _frame(
        "housing",
        ((address, location, marks.get(location), permits.get(location)) for address, location in rows),
    )


def signals(municipality: Municipality) -> pl.DataFrame:
    """Meldingen with an address; the category is the main category's fixed code (overcrowding, …)."""
    rows = (
        Signal.objects.filter(municipality=municipality, address__isnull=False)
        .annotate(
            received_on=TruncDate("received_at"),
            top_code=Coalesce("category__parent__code", "category__code"),
            object_address_id=_OBJECT_ADDRESS,
        )
        .values_list("object_address_id", "received_on", "top_code")
    )
    return _frame("signals", rows.iterator(chunk_size=20_000))


def findings(municipality: Municipality) -> pl.DataFrame:
    """Earlier visits: whether a violation was established, and whether the case took a measure there."""
    measures = Measure.objects.filter(case_id=OuterRef("case_id")).exclude(status=MeasureStatus.WITHDRAWN)
    rows = (
        Finding.objects.filter(municipality=municipality)
        .annotate(
            measure=Exists(measures.filter(Q(address_id=OuterRef("address_id")) | Q(address__isnull=True))),
            object_address_id=_OBJECT_ADDRESS,
        )
        .values_list("object_address_id", "found_on", "violation_found", "measure")
    )
    return _frame("findings", rows.iterator(chunk_size=20_000))


def export_tables(municipality: Municipality, as_of: dt.date) -> dict[str, pl.DataFrame]:
    """Every input table of the engine for one municipality."""
    return {
        "addresses": addresses(municipality),
        "residences": residences(municipality),
        "employments": employments(municipality),
        "employers": employers(municipality),
        "violations": violations(municipality),
        "housing": housing(municipality, as_of),
        "signals": signals(municipality),
        "findings": findings(municipality),
    }
