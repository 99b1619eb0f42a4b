from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenregie.core.models import User
from tests.conftest import english_client
from tests.factories import PASSWORD


def login(client: Client, username: str, password: str, token: str = "") -> int:
    return client.post(
        reverse("web:login"), {"username": username, "password": password, "otp_token": token}
    ).status_code


def test_a_user_logs_in_with_username_and_password(personas: dict[str, User]) -> None:
    client = english_client()
    assert login(client, "enforcement", PASSWORD) == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_five_failures_lock_the_account_even_for_the_right_password(personas: dict[str, User]) -> None:
    client = english_client()
    for _ in range(5):
        login(client, "enforcement", "wrong password")
    response = client.post(reverse("web:login"), {"username": "enforcement", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()


@pytest.fixture
def device(personas: dict[str, User]) -> TOTPDevice:
    return TOTPDevice.objects.create(user=personas["enforcement"], name="app", confirmed=True)


def test_a_user_with_a_second_factor_needs_the_code(device: TOTPDevice) -> None:
    client = english_client()
    response = client.post(reverse("web:login"), {"username": "enforcement", "password": PASSWORD})
    assert response.status_code == 200
    assert "six-digit code" in str(response.context["form"].non_field_errors())
    code = f"{totp(device.bin_key):06d}"
    assert login(client, "enforcement", PASSWORD, code) == 302


def test_a_wrong_code_counts_towards_the_lockout(device: TOTPDevice) -> None:
    client = english_client()
    for _ in range(5):
        login(client, "enforcement", PASSWORD, "000000")
    assert login(client, "enforcement", PASSWORD, f"{totp(device.bin_key):06d}") == 429


def test_setting_up_a_second_factor_confirms_it_with_a_code(personas: dict[str, User]) -> None:
    client = english_client()
    client.force_login(personas["civil_affairs"])
    page = client.get(reverse("web:two_factor"))
    assert page.context["qr"].startswith("data:image/svg+xml")
    device = TOTPDevice.objects.get(user=personas["civil_affairs"])
    client.post(reverse("web:two_factor"), {"token": f"{totp(device.bin_key):06d}"})
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_does_not_switch_on_the_second_factor(personas: dict[str, User]) -> None:
    client = english_client()
    client.force_login(personas["civil_affairs"])
    client.get(reverse("web:two_factor"))
    response = client.post(reverse("web:two_factor"), {"token": "123456"})
    assert "not right" in " ".join(response.context["form"].errors["token"])
    assert not TOTPDevice.objects.get(user=personas["civil_affairs"]).confirmed


def test_only_a_session_that_passed_the_second_factor_may_switch_it_off(device: TOTPDevice) -> None:
    # Whoever holds only the password must not swap in an authenticator of their own.
    client = english_client()
    client.force_login(device.user)
    refused = client.post(reverse("web:two_factor"), {"action": "remove"}, follow=True)
    assert "current code before you switch this off" in refused.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    verified = english_client()
    assert login(verified, "enforcement", PASSWORD, f"{totp(device.bin_key):06d}") == 302
    verified.post(reverse("web:two_factor"), {"action": "remove"})
    assert not TOTPDevice.objects.filter(user=device.user).exists()
