"""The public dashboard: no login, no personal data, small counts suppressed everywhere it shows them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from ketenregie.core.kpi import Period
from ketenregie.core.models import Municipality
from ketenregie.monitoring import services
from ketenregie.monitoring.models import Indicator, IndicatorValue
from tests import factories as f


@pytest.fixture
def published(municipality: Municipality) -> Municipality:
    catalogue = {i.code: i for i in services.sync_catalogue(municipality=municipality)}
    neighbourhood = f.NeighbourhoodFactory(municipality=municipality, name="Tarwewijk")
    f.AddressFactory(municipality=municipality, neighbourhood=neighbourhood, latitude=51.89, longitude=4.48)
    for year, value in ((2024, 12), (2025, 3)):
        period = Period.year(year)
        IndicatorValue.objects.create(
            municipality=municipality,
            indicator=catalogue["covenant_members"],
            period_start=period.start,
            period_end=period.end,
            value=Decimal(value),
        )
    period = Period.year(2025)
    IndicatorValue.objects.create(
        municipality=municipality,
        indicator=catalogue["labour_migrants_living"],
        period_start=period.start,
        period_end=period.end,
        value=Decimal(240),
    )
    IndicatorValue.objects.create(
        municipality=municipality,
        indicator=catalogue["labour_migrants_living"],
        period_start=period.start,
        period_end=period.end,
        value=Decimal(2),
        neighbourhood=neighbourhood,
    )
    Indicator.objects.filter(municipality=municipality, code="covenant_members").update(
        shared_regionally=True
    )
    return municipality


@pytest.mark.parametrize("lang", ["nl", "en", "pl", "ro", "bg", "lt", "hu", "uk", "pt", "es"])
def test_the_dashboard_speaks_every_public_language_without_login(published: Municipality, lang: str) -> None:
    response = Client().get(f"/{lang}/dashboard/0599/?jaar=2025")
    assert response.status_code == 200
    assert f'lang="{lang}"' in response.content.decode()
    assert response["Content-Language"] == lang


def test_small_counts_are_shown_as_less_than_five_in_tables_map_and_export(published: Municipality) -> None:
    page = Client().get("/en/dashboard/0599/?jaar=2025").content.decode()
    assert ">&lt;5<" in page
    assert "Tarwewijk: &lt;5" in page
    export = Client().get("/en/dashboard/0599/export.csv?jaar=2025").content.decode("utf-8-sig")
    covenant = next(line for line in export.splitlines() if "covenant_members" in line)
    assert covenant.endswith(";12;<5")


def test_the_regional_view_adds_up_what_municipalities_share(published: Municipality) -> None:
    other = f.MunicipalityFactory(code="0489", name="Barendrecht", labour_market_region="Rijnmond")
    catalogue = {i.code: i for i in services.sync_catalogue(municipality=other)}
    Indicator.objects.filter(pk=catalogue["covenant_members"].pk).update(shared_regionally=True)
    period = Period.year(2025)
    IndicatorValue.objects.create(
        municipality=other,
        indicator=catalogue["covenant_members"],
        period_start=period.start,
        period_end=period.end,
        value=Decimal(4),
    )
    page = Client().get("/en/dashboard/0599/regio/?jaar=2025").content.decode()
    assert ">7<" in page
    assert "Barendrecht" in page


def test_unknown_languages_and_municipalities_are_not_found(published: Municipality) -> None:
    assert Client().get("/fr/dashboard/0599/").status_code == 404
    assert Client().get("/nl/dashboard/9999/").status_code == 404


def test_the_dashboard_shows_no_personal_data(published: Municipality) -> None:
    person = f.PersonFactory(municipality=published, surname="Kowalczyk")
    f.ResidenceFactory(municipality=published, person=person, starts_on=dt.date(2024, 1, 1))
    page = Client().get("/nl/dashboard/0599/").content.decode()
    assert "Kowalczyk" not in page
    assert person.bsn not in page
