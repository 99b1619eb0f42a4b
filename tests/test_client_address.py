"""Every rate limit and the login lockout count the real client: X-Forwarded-For counts only as far as
the TRUSTED_PROXIES proxies in front of the application wrote it (core.network.client_address)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from ketenregie.core.models import Municipality, User
from ketenregie.core.network import client_address
from ketenregie.core.ratelimit import client_key
from tests import factories as f
from tests.factories import PASSWORD
from tests.portal_helpers import address_form, visitor

pytestmark = pytest.mark.django_db


def melding(number: int) -> dict[str, Any]:
    return {
        "municipality": "0599",
        "category": "overcrowding",
        "description": f"Melding {number}: elke ochtend busjes en veel te veel mensen in deze woning.",
        "address": {"postcode": "3077 AW", "houseNumber": 1},
    }


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "192.0.2.1"),
        (0, "203.0.113.9", "192.0.2.1"),
        (1, "", "192.0.2.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "10.9.9.9, 203.0.113.9", "203.0.113.9"),
        (2, "10.9.9.9, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),
        (1, "not-an-address", "192.0.2.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_entry_the_trusted_proxies_wrote(
    settings: Any, proxies: int, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_rotating_x_forwarded_for_does_not_escape_the_melding_limit(municipality: Municipality) -> None:
    client = APIClient()
    statuses = [
        client.post(
            "/api/v1/signals/", melding(i), format="json", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}"
        ).status_code
        for i in range(11)
    ]
    assert statuses == [201] * 10 + [429]


def test_behind_one_proxy_only_the_right_most_entry_counts(municipality: Municipality, settings: Any) -> None:
    settings.TRUSTED_PROXIES = 1
    client = APIClient()

    def send(number: int, forwarded: str) -> int:
        return client.post(
            "/api/v1/signals/", melding(number), format="json", HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    statuses = [send(i, f"10.0.0.{i}, 203.0.113.7") for i in range(11)]
    assert statuses == [201] * 10 + [429]
    # Another client behind the same proxy has a count of its own.
    assert send(11, "203.0.113.8") == 201


def test_rotating_x_forwarded_for_does_not_escape_the_token_throttle(personas: dict[str, User]) -> None:
    client = APIClient()
    # A different username each time, so the login lockout (per username and address) stays out of it.
    responses = [
        client.post(
            "/api/v1/auth/token/",
            {"username": f"nobody{i}", "password": "wrong password"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )
        for i in range(21)
    ]
    assert [r.status_code for r in responses] == [401] * 20 + [429]
    assert responses[-1]["Content-Type"] == "application/problem+json"
    assert responses[-1].json()["code"] == "throttled"


def test_the_portal_rate_limit_ignores_a_forwarded_address_it_cannot_trust(
    portal_settings: Municipality, settings: Any
) -> None:
    # Behind a TLS proxy the portal used to believe the last X-Forwarded-For entry, whoever wrote it.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    home = f.AddressFactory(municipality=portal_settings, postcode="3083AB", house_number=7)
    client = visitor()
    statuses = [
        client.post(
            "/en/address/",
            address_form(home, email=f"a{i}@example.com"),
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(11)
    ]
    assert statuses == [302] * 10 + [429]


def test_the_portal_rate_limit_behind_one_proxy_counts_the_right_most_entry(settings: Any) -> None:
    settings.TRUSTED_PROXIES = 1
    factory = RequestFactory()

    def key(forwarded: str) -> str:
        return client_key(factory.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded))

    assert key("1.1.1.1, 203.0.113.7") == key("2.2.2.2, 203.0.113.7") == key("203.0.113.7")
    assert key("1.1.1.1, 203.0.113.7") != key("1.1.1.1, 203.0.113.8")


def login(client: Client, password: str, forwarded: str) -> int:
    return client.post(
        reverse("web:login"),
        {"username": "enforcement", "password": password},
        HTTP_X_FORWARDED_FOR=forwarded,
    ).status_code


def test_rotating_x_forwarded_for_does_not_escape_the_login_lockout(personas: dict[str, User]) -> None:
    client = Client()
    for i in range(5):
        login(client, "wrong password", f"198.51.100.{i}")
    assert login(client, PASSWORD, "198.51.100.99") == 429


def test_behind_one_proxy_the_lockout_is_per_forwarded_client(
    personas: dict[str, User], settings: Any
) -> None:
    settings.TRUSTED_PROXIES = 1
    for i in range(5):
        login(Client(), "wrong password", f"10.0.0.{i}, 203.0.113.7")
    assert login(Client(), PASSWORD, "10.0.0.99, 203.0.113.7") == 429
    # The same user from another address is not locked out by someone else's failures.
    assert login(Client(), PASSWORD, "203.0.113.8") == 302


def test_a_tls_proxy_without_trusted_proxies_is_flagged_at_deploy(settings: Any) -> None:
    from ketenregie.core.checks import check_trusted_proxies

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = 0
    assert [m.id for m in check_trusted_proxies(None)] == ["ketenregie.W002"]
    settings.TRUSTED_PROXIES = 1
    assert check_trusted_proxies(None) == []


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_a_malformed_trusted_proxies_stops_the_start(value: str) -> None:
    environment = {**os.environ, "TRUSTED_PROXIES": value}
    result = subprocess.run(
        [sys.executable, "-c", "import ketenregie.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr
