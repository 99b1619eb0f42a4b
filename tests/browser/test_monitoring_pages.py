from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ketenregie.core.kpi import Period
from ketenregie.monitoring import services
from ketenregie.monitoring.models import IndicatorValue
from tests import factories as f
from tests.browser.conftest import axe_violations
from tests.browser.test_staff_application import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def figures(personas: dict[str, Any], municipality: Any) -> Any:
    catalogue = {i.code: i for i in services.sync_catalogue(municipality=municipality)}
    neighbourhood = f.NeighbourhoodFactory(municipality=municipality, name="Carnisse", is_priority=True)
    f.AddressFactory(municipality=municipality, neighbourhood=neighbourhood, latitude=51.88, longitude=4.49)
    for year, value in ((2023, 800), (2024, 950), (2025, 1240)):
        period = Period.year(year)
        IndicatorValue.objects.create(
            municipality=municipality,
            indicator=catalogue["labour_migrants_living"],
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
        value=Decimal(140),
        neighbourhood=neighbourhood,
    )
    return municipality


@pytest.mark.parametrize("lang", ["nl", "pl", "uk"])
def test_the_public_dashboard_is_accessible(page: Any, live_server: Any, figures: Any, lang: str) -> None:
    page.goto(f"{live_server.url}/{lang}/dashboard/0599/?jaar=2025")
    assert page.locator("html").get_attribute("lang") == lang
    assert axe_violations(page) == []


def test_the_dashboard_fits_a_phone(page: Any, live_server: Any, figures: Any) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/nl/dashboard/0599/?jaar=2025")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375


def test_the_progress_report_page_is_accessible(page: Any, live_server: Any, figures: Any) -> None:
    login(page, live_server, "policy")
    page.goto(f"{live_server.url}/app/monitoring/report/2025/")
    assert "2025" in page.inner_text("h1")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/app/monitoring/")
    assert axe_violations(page) == []
