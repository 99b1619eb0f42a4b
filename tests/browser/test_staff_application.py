from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests import factories as f
from tests.browser.conftest import axe_violations
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(personas: dict[str, Any], municipality: Any) -> Any:
    neighbourhood = f.NeighbourhoodFactory(municipality=municipality, name="Tarwewijk", is_priority=True)
    address = f.AddressFactory(
        municipality=municipality,
        neighbourhood=neighbourhood,
        street="Mijnsherenlaan",
        house_number=12,
        floor_area_m2=45,
    )
    for index in range(5):
        person = f.PersonFactory(municipality=municipality, migrant=True, surname=f"Kowalski{index}")
        f.ResidenceFactory(
            municipality=municipality,
            person=person,
            address=address,
            starts_on=dt.date(2025, 1, 1) + dt.timedelta(days=index),
        )
    f.AddressFactory(municipality=municipality, street="Dorpsweg", house_number=1)
    return address


def login(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/app/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/app/")


def test_an_enforcement_officer_finds_an_overcrowded_address(
    page: Any, live_server: Any, seeded: Any
) -> None:
    login(page, live_server, "enforcement")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert axe_violations(page) == []
    page.click("nav >> text=Adressen")
    assert axe_violations(page) == []
    page.fill("#id_q", "Mijnsherenlaan")
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length === 1")
    assert "q=Mijnsherenlaan" in page.url
    page.click("#results >> text=Mijnsherenlaan 12")
    page.wait_for_selector("h1")
    assert "Mijnsherenlaan 12" in page.inner_text("h1")
    body = page.inner_text("main")
    assert "9,0 m²" in body
    assert "Kowalski0" in body
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "username", ["policy", "privacy_officer", "council", "partner", "admin", "civil_affairs"]
)
def test_every_roles_home_page_is_accessible(page: Any, live_server: Any, seeded: Any, username: str) -> None:
    login(page, live_server, username)
    assert axe_violations(page) == []


def test_the_login_page_and_its_errors_are_accessible(page: Any, live_server: Any, seeded: Any) -> None:
    page.goto(f"{live_server.url}/app/login/")
    assert axe_violations(page) == []
    page.fill("#id_username", "enforcement")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        ("infopoint", ["/app/infopoint/contacts/", "/app/infopoint/activities/", "/app/portal/pages/"]),
        ("civil_affairs", ["/app/portal/reports/"]),
    ],
)
def test_the_information_point_and_portal_staff_pages_are_accessible(
    page: Any, live_server: Any, personas: dict[str, Any], world: Any, username: str, paths: list[str]
) -> None:
    login(page, live_server, username)
    for path in paths:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    if username == "infopoint":
        page.goto(f"{live_server.url}/app/portal/pages/{world.info_page.pk}/pl/")
        assert axe_violations(page) == []
        page.goto(f"{live_server.url}/app/infopoint/contacts/new/")
        assert axe_violations(page) == []
    else:
        page.goto(f"{live_server.url}/app/portal/reports/{world.report.pk}/")
        assert axe_violations(page) == []
