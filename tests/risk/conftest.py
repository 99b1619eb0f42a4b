from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from ketenregie.cases.models import Case, Finding, Measure
from ketenregie.core.models import Municipality
from ketenregie.housing.models import PermitStatus
from ketenregie.people.models import AddressFunction, ResidenceSource
from ketenregie.places.models import UsePurpose
from tests import factories as f

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Services write sentences in the active language; assertions read the English source strings."""
    with translation.override("en"):
        yield


@dataclass
class Town:
    neighbourhood: Any
    crowded: Any  # 6 people on 48 m², two of them in the RNI, working for a violating temp agency
    office: Any  # 2 people registered in an office building, visited recently with a violation
    unknown: Any  # no use purpose, no floor area, no BAG id
    lodging: Any  # a housing location whose quality mark has expired
    quiet: Any  # one person on 80 m²
    agency: Any
    case: Any


@pytest.fixture
def town(municipality: Municipality) -> Town:
    neighbourhood = f.NeighbourhoodFactory(municipality=municipality, code="BU05990101", name="Carnisse")
    crowded = f.AddressFactory(municipality=municipality, neighbourhood=neighbourhood, floor_area_m2=48)
    office = f.AddressFactory(
        municipality=municipality,
        neighbourhood=neighbourhood,
        floor_area_m2=300,
        use_purposes=[UsePurpose.OFFICE],
    )
    unknown = f.AddressFactory(
        municipality=municipality, floor_area_m2=None, use_purposes=[], bag_object_id="", bag_address_id=""
    )
    lodging = f.AddressFactory(municipality=municipality, neighbourhood=neighbourhood, floor_area_m2=400)
    quiet = f.AddressFactory(municipality=municipality, neighbourhood=neighbourhood, floor_area_m2=80)
    agency = f.EmployerFactory(municipality=municipality, sna_certified=False)
    f.ViolationFactory(municipality=municipality, employer=agency, occurred_on=dt.date(2026, 3, 1))
    for index in range(6):
        source = ResidenceSource.RNI if index < 2 else ResidenceSource.BRP
        person = f.PersonFactory(municipality=municipality)
        f.ResidenceFactory(
            municipality=municipality,
            person=person,
            address=crowded,
            starts_on=dt.date(2026, 9, 1),
            source=source,
        )
        f.EmploymentFactory(
            municipality=municipality, person=person, employer=agency, starts_on=dt.date(2026, 1, 1)
        )
    # A postal address (briefadres) is not a place someone lives.
    f.ResidenceFactory(
        municipality=municipality,
        address=crowded,
        address_function=AddressFunction.POSTAL,
        starts_on=dt.date(2026, 1, 1),
    )
    for _ in range(2):
        f.ResidenceFactory(municipality=municipality, address=office, starts_on=dt.date(2025, 1, 1))
    f.ResidenceFactory(municipality=municipality, address=quiet, starts_on=None)
    location = f.HousingLocationFactory(municipality=municipality)
    location.addresses.add(lodging)
    f.QualityMarkFactory(
        municipality=municipality,
        location=location,
        valid_from=dt.date(2023, 1, 1),
        valid_until=dt.date(2025, 12, 31),
    )
    f.HousingPermitFactory(
        municipality=municipality,
        location=location,
        status=PermitStatus.GRANTED,
        valid_from=dt.date(2024, 1, 1),
    )
    f.SignalFactory(
        municipality=municipality, address=crowded, received_at=dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC)
    )
    case: Case = f.CaseFactory(municipality=municipality, opened_on=dt.date(2026, 10, 20), status="closed",
                               closed_on=dt.date(2026, 10, 25), result="violation")  # fmt: skip
    Finding.objects.create(
        municipality=municipality, case=case, address=office, found_on=dt.date(2026, 10, 22), persons_found=2,
        other_violation=True,
    )  # fmt: skip
    Measure.objects.create(municipality=municipality, case=case, address=office, kind="warning")
    return Town(neighbourhood, crowded, office, unknown, lodging, quiet, agency, case)
