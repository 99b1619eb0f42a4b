"""Tokens end after their lifetime, and at once when the account's password, status or membership changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from ketenregie.core.models import ApiToken, AuditEvent, Membership, User
from ketenregie.core.tokens import hash_key, token_create
from tests import factories as f

ADDRESSES = "/api/v1/addresses/"


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def officer(personas: dict[str, User]) -> User:
    return personas["enforcement"]


def test_a_token_from_the_endpoint_works_within_its_lifetime_and_says_when_it_ends(
    officer: User, settings: Any
) -> None:
    settings.API_TOKEN_LIFETIME_HOURS = 8
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": officer.username, "password": f.PASSWORD, "name": "koppeling"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    expires = dt.datetime.fromisoformat(body["expiresAt"])
    assert abs(expires - (timezone.now() + dt.timedelta(hours=8))) < dt.timedelta(minutes=1)
    assert client_with(body["token"]).get(ADDRESSES).status_code == 200
    token = ApiToken.objects.get(user=officer)
    assert token.name == "koppeling"
    assert token.last_used_at is not None


def test_only_a_hash_of_the_key_is_stored(officer: User) -> None:
    token, key = token_create(user=officer)
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in stored.values()}
    assert stored["key_hash"] == hash_key(key)


def test_an_expired_token_is_refused_with_a_problem(officer: User) -> None:
    token, key = token_create(user=officer)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=9), expires_at=timezone.now() - dt.timedelta(hours=1)
    )
    response = client_with(key).get(ADDRESSES)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "tokenExpired"
    assert "Token verlopen" in response.json()["detail"]


def test_an_unknown_token_is_refused(personas: dict[str, User]) -> None:
    response = client_with("0" * 40).get(ADDRESSES)
    assert response.status_code == 401
    assert response.json()["code"] == "tokenInvalid"


def test_a_password_set_in_code_revokes_every_token_of_the_user(
    officer: User, personas: dict[str, User]
) -> None:
    _first, key = token_create(user=officer)
    _second, other_key = token_create(user=officer)
    _colleague, colleague_key = token_create(user=personas["policy"])
    officer.set_password("een heel ander wachtwoord 42")
    officer.save()
    for revoked in (key, other_key):
        response = client_with(revoked).get(ADDRESSES)
        assert response.status_code == 401
        assert response.json()["code"] == "tokenRevoked"
    assert client_with(colleague_key).get(ADDRESSES).status_code == 200
    assert set(ApiToken.objects.filter(user=officer).values_list("revoked_because", flat=True)) == {
        "password_changed"
    }
    events = AuditEvent.objects.filter(object_type="core.apitoken", action="update")
    assert events.count() == 2
    assert all(event.detail["reason"] == "password_changed" for event in events)


def test_a_password_reset_in_the_admin_form_revokes_the_tokens(officer: User) -> None:
    _token, key = token_create(user=officer)
    form = AdminPasswordChangeForm(
        officer, data={"password1": "Nieuw-wachtwoord-2026!", "password2": "Nieuw-wachtwoord-2026!"}
    )
    assert form.is_valid(), form.errors
    form.save()
    assert client_with(key).get(ADDRESSES).status_code == 401


def test_a_password_reset_through_the_administration_revokes_the_tokens(
    officer: User, client_as: Callable[[str], Client]
) -> None:
    _token, key = token_create(user=officer)
    response = client_as("admin").post(
        reverse("admin:auth_user_password_change", args=[officer.pk]),
        {"password1": "Nieuw-wachtwoord-2026!", "password2": "Nieuw-wachtwoord-2026!"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client_with(key).get(ADDRESSES).status_code == 401


def test_a_hash_upgrade_at_login_is_no_password_change(officer: User, settings: Any) -> None:
    _token, key = token_create(user=officer)
    user = User.objects.get(pk=officer.pk)
    # Django re-hashes the same password when the hasher changes; the tokens stay.
    user.set_password(f.PASSWORD)
    user._password = None
    user.save()
    assert client_with(key).get(ADDRESSES).status_code == 200


def test_saving_the_user_for_anything_else_keeps_the_tokens(officer: User) -> None:
    _token, key = token_create(user=officer)
    user = User.objects.get(pk=officer.pk)
    user.first_name = "Anna"
    user.save()
    assert client_with(key).get(ADDRESSES).status_code == 200


def test_deactivating_the_user_revokes_the_tokens(officer: User) -> None:
    _token, key = token_create(user=officer)
    user = User.objects.get(pk=officer.pk)
    user.is_active = False
    user.save()
    assert ApiToken.objects.get(user=officer).revoked_because == "deactivated"
    assert client_with(key).get(ADDRESSES).status_code == 401


@pytest.mark.parametrize("how", ["deactivated", "deleted"])
def test_losing_the_last_active_membership_revokes_the_tokens(officer: User, how: str) -> None:
    _token, key = token_create(user=officer)
    membership = Membership.objects.get(user=officer)
    if how == "deleted":
        membership.delete()
    else:
        membership.is_active = False
        membership.save()
    assert ApiToken.objects.get(user=officer).revoked_because == "no_membership"
    assert client_with(key).get(ADDRESSES).status_code == 401


def test_losing_one_of_two_memberships_keeps_the_tokens(officer: User, personas: dict[str, User]) -> None:
    _token, key = token_create(user=officer)
    second = f.MembershipFactory(
        user=officer, organisation=Membership.objects.get(user=officer).organisation, role="policy"
    )
    second.delete()
    assert client_with(key).get(ADDRESSES).status_code == 200


def test_deactivating_the_organisation_of_the_last_membership_revokes_the_tokens(officer: User) -> None:
    _token, key = token_create(user=officer)
    organisation = Membership.objects.get(user=officer).organisation
    organisation.is_active = False
    organisation.save()
    assert client_with(key).get(ADDRESSES).status_code == 401


def test_a_user_lists_its_own_tokens_without_their_keys_and_not_those_of_others(
    officer: User, personas: dict[str, User]
) -> None:
    mine, key = token_create(user=officer, name="mijn koppeling")
    token_create(user=personas["policy"], name="van een collega")
    response = client_with(key).get("/api/v1/auth/tokens/")
    assert response.status_code == 200
    assert [item["name"] for item in response.json()] == ["mijn koppeling"]
    assert response.json()[0]["id"] == mine.pk
    assert key not in response.content.decode()


def test_a_user_revokes_its_own_token_through_the_api(officer: User) -> None:
    _kept, key = token_create(user=officer)
    other, other_key = token_create(user=officer)
    response = client_with(key).delete(f"/api/v1/auth/tokens/{other.pk}/")
    assert response.status_code == 204
    assert client_with(other_key).get(ADDRESSES).status_code == 401
    assert client_with(key).get(ADDRESSES).status_code == 200
    events = AuditEvent.objects.filter(object_id=str(other.pk), object_type="core.apitoken", user=officer)
    assert events.filter(action="update").exists()


def test_nobody_revokes_another_users_token(officer: User, personas: dict[str, User]) -> None:
    mine, my_key = token_create(user=officer)
    _theirs, their_key = token_create(user=personas["policy"])
    response = client_with(their_key).delete(f"/api/v1/auth/tokens/{mine.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert client_with(their_key).delete("/api/v1/auth/tokens/99999999/").status_code == 404
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is None
    assert client_with(my_key).get(ADDRESSES).status_code == 200


def test_the_account_page_lists_own_tokens_and_revokes_one(
    officer: User, personas: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    mine, key = token_create(user=officer, name="mijn koppeling")
    theirs, _their_key = token_create(user=personas["policy"], name="van een collega")
    client = client_as("enforcement")
    page = client.get(reverse("web:api_tokens"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "mijn koppeling" in body
    assert "van een collega" not in body
    assert key not in body
    assert client.post(reverse("web:api_tokens"), {"token": theirs.pk}).status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    for nonsense in ("abc", "0", "99999999999999999999", ""):
        assert client.post(reverse("web:api_tokens"), {"token": nonsense}).status_code == 404
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 0
    response = client.post(reverse("web:api_tokens"), {"token": mine.pk})
    assert response.status_code == 302
    assert client_with(key).get(ADDRESSES).status_code == 401


def test_the_account_page_refuses_a_revocation_without_csrf_token(
    officer: User, personas: dict[str, User]
) -> None:
    mine, _key = token_create(user=officer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post(reverse("web:api_tokens"), {"token": mine.pk}).status_code == 403
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is None


def test_a_user_with_a_second_factor_gets_a_token_only_with_its_code(officer: User) -> None:
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    credentials = {"username": officer.username, "password": f.PASSWORD}
    without = APIClient().post("/api/v1/auth/token/", credentials, format="json")
    assert without.status_code == 401
    assert without.json()["code"] == "secondFactorRequired"
    assert not ApiToken.objects.filter(user=officer).exists()
    code = f"{totp(device.bin_key):06d}"
    right = APIClient().post("/api/v1/auth/token/", {**credentials, "otpToken": code}, format="json")
    assert right.status_code == 200
    wrong = APIClient().post("/api/v1/auth/token/", {**credentials, "otpToken": "000000"}, format="json")
    assert wrong.status_code in (401, 429)
    assert ApiToken.objects.filter(user=officer).count() == 1
