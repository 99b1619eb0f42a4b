"""Pages and responses with personal data are never kept by a browser or proxy: Cache-Control: no-store
on the staff application, the API and the portal's forms; public information may be cached."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from ketenregie.core.models import Municipality, Role
from tests.conftest import World
from tests.portal_helpers import visitor
from tests.test_permission_matrix import API, PAGES, Needs, allowed

pytestmark = pytest.mark.django_db


def a_role_that_may(needs: Needs) -> str:
    return next(role for role in Role.values if allowed(role, needs))


def assert_no_store(response: Any, name: str) -> None:
    assert response.status_code < 400, f"{name}: {response.status_code}"
    assert "no-store" in response.get("Cache-Control", ""), f"{name}: {response.get('Cache-Control')!r}"


def test_every_staff_page_says_no_store(world: World, client_as: Callable[[str], Client]) -> None:
    for name, url, needs in PAGES:
        assert_no_store(client_as(a_role_that_may(needs)).get(url(world)), name)


def test_every_api_read_says_no_store(world: World, api_as: Callable[[str], APIClient]) -> None:
    reads = [(name, url, needs) for name, method, url, _body, needs in API if method == "get"]
    reads.append(("schema", lambda w: "/api/v1/schema/", ()))
    for name, url, needs in reads:
        assert_no_store(api_as(a_role_that_may(needs)).get(url(world)), name)


def test_api_errors_and_the_login_page_say_no_store(world: World) -> None:
    assert "no-store" in APIClient().get("/api/v1/people/")["Cache-Control"]
    assert "no-store" in Client().get("/app/login/")["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    ["/en/address/", "/en/address/code/", "/en/employers/", "/en/employers/code/", "/en/report/"],
)
def test_the_portals_forms_say_no_store(portal_settings: Municipality, path: str) -> None:
    assert "no-store" in visitor().get(path, follow=True)["Cache-Control"]


@pytest.mark.parametrize("path", ["/en/", "/en/privacy/"])
def test_public_information_may_be_cached(portal_settings: Municipality, path: str) -> None:
    response = visitor().get(path)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
