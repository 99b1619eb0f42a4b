"""The risk selection pages are accessible (WCAG 2.1 AA, axe-core), the map included."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ketenregie.core.actor import actor_for_user
from ketenregie.risk import services
from tests import factories as f
from tests.browser.conftest import axe_violations
from tests.browser.test_staff_application import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def risk_run(personas: dict[str, Any], municipality: Any) -> Any:
    neighbourhood = f.NeighbourhoodFactory(municipality=municipality, name="Tarwewijk", is_priority=True)
    for index in range(3):
        address = f.AddressFactory(
            municipality=municipality,
            neighbourhood=neighbourhood,
            floor_area_m2=40 + index * 10,
            latitude=51.88 + index / 200,
            longitude=4.47 + index / 200,
        )
        for number in range(6):
            f.ResidenceFactory(
                municipality=municipality,
                address=address,
                starts_on=dt.date(2026, 1, 1) + dt.timedelta(days=number),
            )
    actor = actor_for_user(personas["enforcement"])
    assert actor is not None
    run = services.risk_run(actor=actor, as_of=dt.date(2026, 11, 1))
    control_list = services.control_list_create(actor=actor, run=run, top_n=3, on=dt.date(2026, 11, 1))
    return control_list


def test_the_risk_pages_are_accessible(page: Any, live_server: Any, risk_run: Any) -> None:
    login(page, live_server, "enforcement")
    page.click("nav >> text=Risicoselectie")
    assert axe_violations(page) == []
    address_id = risk_run.entries.first().address_id
    for path in [
        "/app/risk/map/",
        "/app/risk/employers/",
        "/app/risk/runs/",
        "/app/risk/rules/",
        "/app/risk/lists/",
        f"/app/risk/lists/{risk_run.pk}/",
        f"/app/risk/addresses/{address_id}/",
    ]:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path


def test_the_rules_form_is_accessible(page: Any, live_server: Any, risk_run: Any) -> None:
    login(page, live_server, "admin")
    page.goto(live_server.url + "/app/risk/rules/")
    assert axe_violations(page) == []
