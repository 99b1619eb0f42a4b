"""Single sign-on (core/sso.py, web/sso_views.py) against a real OpenID provider on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenregie.core.models import AuditAction, AuditEvent, Membership, Municipality, Organisation, Role, User
from tests import factories as f
from tests.conftest import english_client
from tests.factories import PASSWORD
from tests.fakes.oidc_provider import CLIENT_ID, CLIENT_SECRET, FakeOidcProvider

BACKEND = "ketenregie.core.sso.OidcBackend"


@pytest.fixture
def provider() -> Iterator[FakeOidcProvider]:
    with FakeOidcProvider() as fake:
        yield fake


@pytest.fixture
def sso(settings: Any, provider: FakeOidcProvider) -> FakeOidcProvider:
    """Single sign-on switched on, with each endpoint configured (one test uses discovery instead)."""
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Gemeente Rotterdam"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = provider.issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = provider.endpoint("authorize")
    settings.OIDC_OP_TOKEN_ENDPOINT = provider.endpoint("token")
    settings.OIDC_OP_USER_ENDPOINT = provider.endpoint("userinfo")
    settings.OIDC_OP_JWKS_ENDPOINT = provider.endpoint("jwks")
    settings.OIDC_OP_LOGOUT_ENDPOINT = provider.endpoint("logout")
    settings.OIDC_ROLES_CLAIM = "ketenregie_roles"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    return provider


@pytest.fixture
def organisations(municipality: Municipality) -> dict[str, Organisation]:
    return {
        code: f.OrganisationFactory(municipality=municipality, name=name, sso_code=code)
        for code, name in [("rdam-vth", "Toezicht en handhaving"), ("rdam-beleid", "Beleid")]
    }


def sso_login(client: Client, next_url: str = "") -> Any:
    """The browser's round trip: our login button, the provider's authorize, back to our callback."""
    start = client.get(reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start
    authorize = httpx.get(start["Location"], follow_redirects=False)
    assert authorize.status_code == 302, authorize.text
    back = urlsplit(authorize.headers["location"])
    assert back.path == reverse("oidc_authentication_callback")
    return client.get(f"{back.path}?{back.query}")


def memberships_of(user: User) -> set[tuple[str, str, bool, bool]]:
    return {
        (m.organisation.sso_code or m.organisation.name, m.role, m.is_active, m.via_sso)
        for m in Membership.objects.filter(user=user).select_related("organisation")
    }


def messages_on_login_page(client: Client) -> str:
    return client.get(reverse("web:login")).content.decode()


def test_the_first_login_creates_the_account_and_its_memberships_from_the_claim(
    sso: FakeOidcProvider, organisations: dict[str, Organisation], municipality: Municipality
) -> None:
    sso.login_as(
        "3f6c1c4e",
        preferred_username="j.devries",
        given_name="Jan",
        family_name="de Vries",
        email="j.devries@rotterdam.example",
        ketenregie_roles=["rdam-vth:enforcement", "rdam-beleid:policy"],
    )
    client = english_client()
    response = sso_login(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    user = User.objects.get(oidc_issuer=sso.issuer, oidc_subject="3f6c1c4e")
    assert (user.username, user.first_name, user.last_name) == ("j.devries", "Jan", "de Vries")
    assert user.municipality == municipality
    assert not user.has_usable_password()
    assert memberships_of(user) == {
        ("rdam-vth", Role.ENFORCEMENT, True, True),
        ("rdam-beleid", Role.POLICY, True, True),
    }
    assert client.session[SESSION_KEY] == str(user.pk)
    # The user lands on their home and can use a page of their role.
    assert client.get(reverse("web:home")).status_code == 200
    # "Beleid" comes first, where they are a policy officer; in their other organisation they enforce.
    assert client.get(reverse("signals:signal_list")).status_code == 403
    client.post(reverse("web:switch_organisation"), {"organisation": organisations["rdam-vth"].pk})
    assert client.get(reverse("signals:signal_list")).status_code == 200


def test_the_login_and_every_grant_are_in_the_audit_trail(
    sso: FakeOidcProvider, organisations: dict[str, Organisation]
) -> None:
    sso.login_as("s-1", preferred_username="auditee", ketenregie_roles=["rdam-vth:enforcement"])
    sso_login(english_client())
    user = User.objects.get(username="auditee")
    login = AuditEvent.objects.get(action=AuditAction.LOGIN, user=user)
    assert login.detail == {"method": "oidc"}
    assert login.organisation == organisations["rdam-vth"]
    grant = AuditEvent.objects.get(object_type="core.membership", action=AuditAction.CREATE)
    assert grant.username == "system:sso"
    assert grant.detail["role"] == Role.ENFORCEMENT
    assert grant.object_id == str(Membership.objects.get(user=user).pk)
    assert AuditEvent.objects.filter(object_type="core.user", action=AuditAction.CREATE).count() == 1


def test_a_second_login_follows_the_changed_claim_and_leaves_local_memberships_alone(
    sso: FakeOidcProvider, organisations: dict[str, Organisation], municipality: Municipality
) -> None:
    sso.login_as(
        "s-2", preferred_username="wisselaar", ketenregie_roles=["rdam-vth:enforcement", "rdam-beleid:policy"]
    )
    sso_login(english_client())
    user = User.objects.get(username="wisselaar")
    # An administrator grants a role here as well, and ends another one the claim still gives.
    local = Organisation.objects.create(
        municipality=municipality, name="Informatiepunt", kind="municipal_department"
    )
    f.MembershipFactory(user=user, organisation=local, role=Role.INFOPOINT)
    before = AuditEvent.objects.filter(object_type="core.membership").count()

    sso.login_as(
        "s-2", preferred_username="wisselaar", ketenregie_roles=["rdam-vth:enforcement", "rdam-vth:council"]
    )
    client = english_client()
    assert sso_login(client).status_code == 302
    assert memberships_of(user) == {
        ("rdam-vth", Role.ENFORCEMENT, True, True),
        ("rdam-vth", Role.COUNCIL, True, True),
        ("rdam-beleid", Role.POLICY, False, True),
        ("Informatiepunt", Role.INFOPOINT, True, False),
    }
    changes = AuditEvent.objects.filter(object_type="core.membership").order_by("id")[before:]
    assert sorted((e.action, e.detail["role"], e.detail["is_active"]) for e in changes) == [
        (AuditAction.CREATE, Role.COUNCIL, True),
        (AuditAction.UPDATE, Role.POLICY, False),
    ]

    # The role given back reactivates the same membership instead of making a second one.
    sso.login_as("s-2", preferred_username="wisselaar", ketenregie_roles=["rdam-beleid:policy"])
    sso_login(english_client())
    assert memberships_of(user) == {
        ("rdam-vth", Role.ENFORCEMENT, False, True),
        ("rdam-vth", Role.COUNCIL, False, True),
        ("rdam-beleid", Role.POLICY, True, True),
        ("Informatiepunt", Role.INFOPOINT, True, False),
    }


def test_the_provider_grants_administration_and_privacy_roles_only_when_the_installation_allows_it(
    sso: FakeOidcProvider, organisations: dict[str, Organisation], settings: Any
) -> None:
    sso.login_as("s-17", preferred_username="beheerder", ketenregie_roles=["rdam-vth:admin"])
    assert sso_login(english_client())["Location"] == reverse("web:login")
    assert AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED).detail["reason"] == "no_role"
    settings.OIDC_GRANTABLE_ROLES = [*settings.OIDC_GRANTABLE_ROLES, Role.ADMIN]
    assert sso_login(english_client())["Location"] == reverse("web:home")
    assert Membership.objects.get(user__oidc_subject="s-17").role == Role.ADMIN


def test_a_claim_without_a_known_organisation_or_role_is_refused_with_the_reason(
    sso: FakeOidcProvider, organisations: dict[str, Organisation]
) -> None:
    sso.login_as(
        "s-3", preferred_username="onbekend", ketenregie_roles=["rdam-zorg:enforcement", "rdam-vth:wizard"]
    )
    client = Client()  # Dutch, as staff see it
    response = sso_login(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:login")
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(oidc_subject="s-3").exists()
    page = messages_on_login_page(client)
    assert (
        "Uw account bij Gemeente Rotterdam geeft u geen rol bij een organisatie die Ketenregie kent" in page
    )
    refused = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert refused.detail["method"] == "oidc"
    assert refused.detail["reason"] == "no_role"
    assert sorted(refused.detail["unknown_roles"]) == ["rdam-vth:wizard", "rdam-zorg:enforcement"]


def test_losing_every_role_at_the_provider_ends_the_sso_memberships_and_the_login(
    sso: FakeOidcProvider, organisations: dict[str, Organisation]
) -> None:
    sso.login_as("s-4", preferred_username="vertrekker", ketenregie_roles=["rdam-vth:enforcement"])
    sso_login(english_client())
    user = User.objects.get(username="vertrekker")
    sso.login_as("s-4", preferred_username="vertrekker", ketenregie_roles=[])
    client = english_client()
    sso_login(client)
    assert SESSION_KEY not in client.session
    assert memberships_of(user) == {("rdam-vth", Role.ENFORCEMENT, False, True)}
    refused = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert refused.user == user
    assert refused.detail["reason"] == "no_role"


def test_an_inactive_organisation_grants_nothing(
    sso: FakeOidcProvider, organisations: dict[str, Organisation]
) -> None:
    Organisation.objects.filter(sso_code="rdam-vth").update(is_active=False)
    sso.login_as("s-5", ketenregie_roles=["rdam-vth:enforcement"])
    client = english_client()
    sso_login(client)
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(oidc_subject="s-5").exists()


@pytest.mark.parametrize("tamper", ["key", "audience", "nonce", "issuer", "expired", "alg"])
def test_an_id_token_that_does_not_hold_is_refused(
    sso: FakeOidcProvider, organisations: dict[str, Organisation], tamper: str
) -> None:
    sso.login_as("s-6", preferred_username="indringer", ketenregie_roles=["rdam-vth:admin"])
    sso.tamper = tamper
    client = english_client()
    response = sso_login(client)
    assert response["Location"] == reverse("web:login")
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(oidc_subject="s-6").exists()
    assert "did not succeed" in messages_on_login_page(client)
    refused = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert refused.detail["reason"] == "invalid_token"


def test_refused_logins_of_colleagues_behind_one_address_lock_nobody_out(
    sso: FakeOidcProvider, organisations: dict[str, Organisation]
) -> None:
    for n in range(6):
        sso.login_as(f"zonder-rol-{n}", ketenregie_roles=[])
        sso_login(english_client())
    sso.login_as("s-16", preferred_username="collega", ketenregie_roles=["rdam-vth:enforcement"])
    client = english_client()
    assert sso_login(client)["Location"] == reverse("web:home")
    assert SESSION_KEY in client.session
    # axes counted none of them (local logins are counted as before: test_login.py).
    assert AccessAttempt.objects.count() == 0


def test_a_callback_with_a_state_this_browser_did_not_ask_for_is_refused(
    sso: FakeOidcProvider, organisations: dict[str, Organisation]
) -> None:
    sso.login_as("s-7", ketenregie_roles=["rdam-vth:admin"])
    victim, attacker = english_client(), english_client()
    victim.get(reverse("oidc_authentication_init"))
    start = attacker.get(reverse("oidc_authentication_init"))
    authorize = httpx.get(start["Location"], follow_redirects=False)
    back = urlsplit(authorize.headers["location"])
    # The attacker's code, pushed into the victim's browser (login CSRF): the victim's session never
    # asked for that state.
    response = victim.get(f"{back.path}?{back.query}")
    assert response["Location"] == reverse("web:login")
    assert SESSION_KEY not in victim.session
    assert not User.objects.filter(oidc_subject="s-7").exists()


def test_a_local_account_with_the_same_e_mail_is_not_taken_over(
    sso: FakeOidcProvider, organisations: dict[str, Organisation], municipality: Municipality
) -> None:
    local = f.persona(Role.ADMIN, municipality, username="beheerder")
    local.email = "beheer@rotterdam.example"
    local.save()
    sso.login_as(
        "s-8",
        preferred_username="beheerder",
        email="beheer@rotterdam.example",
        email_verified=True,
        ketenregie_roles=["rdam-beleid:policy"],
    )
    client = english_client()
    sso_login(client)
    newcomer = User.objects.get(oidc_subject="s-8")
    assert newcomer.pk != local.pk
    assert client.session[SESSION_KEY] == str(newcomer.pk)
    # The local name was taken, so the new account has one made from its identity.
    assert newcomer.username.startswith("sso-")
    local.refresh_from_db()
    assert local.check_password(PASSWORD)
    assert not local.oidc_subject
    assert {m.role for m in local.memberships.all()} == {Role.ADMIN}
    # The administrator's pages stay closed to the newcomer, who is a policy officer.
    assert client.get(reverse("core:audit_list")).status_code == 403


def test_local_accounts_still_log_in_with_password_and_second_factor(
    sso: FakeOidcProvider, personas: dict[str, User]
) -> None:
    device = TOTPDevice.objects.create(user=personas["enforcement"], name="app", confirmed=True)
    client = english_client()
    page = client.get(reverse("web:login")).content.decode()
    assert "Log in via Gemeente Rotterdam" in page
    assert 'name="password"' in page
    response = client.post(reverse("web:login"), {"username": "enforcement", "password": PASSWORD})
    assert response.status_code == 200  # the code is still asked for
    response = client.post(
        reverse("web:login"),
        {"username": "enforcement", "password": PASSWORD, "otp_token": f"{totp(device.bin_key):06d}"},
    )
    assert response.status_code == 302


def test_an_sso_account_cannot_log_in_with_a_password(
    sso: FakeOidcProvider, organisations: dict[str, Organisation]
) -> None:
    sso.login_as("s-9", preferred_username="alleen-sso", ketenregie_roles=["rdam-vth:enforcement"])
    sso_login(english_client())
    client = english_client()
    response = client.post(reverse("web:login"), {"username": "alleen-sso", "password": ""})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_a_switched_off_account_is_refused_and_loses_its_session(
    sso: FakeOidcProvider, organisations: dict[str, Organisation]
) -> None:
    sso.login_as("s-10", preferred_username="uit", ketenregie_roles=["rdam-vth:enforcement"])
    client = english_client()
    sso_login(client)
    User.objects.filter(oidc_subject="s-10").update(is_active=False)
    assert client.get(reverse("web:home")).status_code == 302  # back to the login page
    again = english_client()
    sso_login(again)
    assert SESSION_KEY not in again.session
    assert "switched off" in messages_on_login_page(again)


def test_logout_ends_the_session_here_and_at_the_provider(
    sso: FakeOidcProvider, organisations: dict[str, Organisation]
) -> None:
    sso.login_as("s-11", preferred_username="vertrek", ketenregie_roles=["rdam-vth:enforcement"])
    client = english_client()
    sso_login(client)
    response = client.post(reverse("web:logout"))
    assert SESSION_KEY not in client.session
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == sso.endpoint("logout")
    query = parse_qs(target.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["post_logout_redirect_uri"] == ["http://testserver" + reverse("web:login")]
    assert query["id_token_hint"][0].count(".") == 2
    assert httpx.get(response["Location"]).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT).count() == 1


def test_the_logout_form_may_send_the_browser_to_the_provider(settings: Any) -> None:
    # Browsers hold the redirect after a form to form-action: the settings add the provider's origin.
    import importlib
    import os

    from ketenregie import settings as settings_module

    env = {
        "OIDC_ENABLED": "true",
        "OIDC_RP_CLIENT_ID": "x",
        "OIDC_RP_CLIENT_SECRET": "y",
        "OIDC_OP_DISCOVERY": "https://login.gemeente.example/realms/medewerkers",
    }
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        reloaded = importlib.reload(settings_module)
        assert (
            "https://login.gemeente.example" in reloaded.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]
        )
        assert BACKEND in reloaded.AUTHENTICATION_BACKENDS
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        importlib.reload(settings_module)


def test_switched_on_without_a_client_it_refuses_to_start() -> None:
    import importlib
    import os

    from ketenregie import settings as settings_module
    from ketenregie.env import EnvironmentError_

    os.environ["OIDC_ENABLED"] = "true"
    try:
        with pytest.raises(EnvironmentError_, match="OIDC_RP_CLIENT_ID"):
            importlib.reload(settings_module)
    finally:
        os.environ.pop("OIDC_ENABLED")
        importlib.reload(settings_module)


def test_discovery_fills_in_the_endpoints(
    sso: FakeOidcProvider, settings: Any, organisations: dict[str, Organisation]
) -> None:
    settings.OIDC_OP_DISCOVERY = sso.issuer
    for name in [
        "OIDC_OP_ISSUER",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
        "OIDC_OP_LOGOUT_ENDPOINT",
    ]:
        setattr(settings, name, "")
    sso.login_as("s-12", preferred_username="ontdekker", ketenregie_roles=["rdam-vth:enforcement"])
    client = english_client()
    assert sso_login(client)["Location"] == reverse("web:home")
    assert User.objects.get(oidc_subject="s-12").oidc_issuer == sso.issuer
    assert client.post(reverse("web:logout"))["Location"].startswith(sso.endpoint("logout"))
    assert [r["path"] for r in sso.requests].count("/.well-known/openid-configuration") == 1


def test_an_unreachable_provider_gives_the_login_page_with_a_message(settings: Any, db: None) -> None:
    with FakeOidcProvider() as gone:
        address = gone.issuer
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_OP_DISCOVERY = address
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    settings.OIDC_PROVIDER_NAME = "Entra ID"
    client = english_client()
    response = client.get(reverse("oidc_authentication_init"))
    assert response["Location"] == reverse("web:login")
    assert "Logging in via Entra ID is not possible right now" in messages_on_login_page(client)


def test_a_nested_roles_claim_as_keycloak_gives_it(
    sso: FakeOidcProvider, settings: Any, organisations: dict[str, Organisation]
) -> None:
    settings.OIDC_ROLES_CLAIM = "resource_access.ketenregie.roles"
    sso.login_as("s-13", resource_access={"ketenregie": {"roles": ["RDAM-VTH:enforcement"]}})
    sso_login(english_client())
    assert memberships_of(User.objects.get(oidc_subject="s-13")) == {
        ("rdam-vth", Role.ENFORCEMENT, True, True)
    }


def test_cancelling_at_the_provider_says_so(sso: FakeOidcProvider, db: None) -> None:
    client = Client()
    start = client.get(reverse("oidc_authentication_init"))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(reverse("oidc_authentication_callback"), {"error": "access_denied", "state": state})
    assert response["Location"] == reverse("web:login")
    assert "Inloggen via Gemeente Rotterdam is afgebroken" in messages_on_login_page(client)


def test_the_local_second_factor_after_sso_when_the_installation_requires_it(
    sso: FakeOidcProvider, settings: Any, organisations: dict[str, Organisation]
) -> None:
    settings.OIDC_REQUIRE_LOCAL_OTP = True
    sso.login_as("s-14", preferred_username="dubbel", ketenregie_roles=["rdam-vth:enforcement"])
    client = english_client()
    response = sso_login(client, next_url=reverse("signals:signal_list"))
    second = reverse("web:sso_second_factor")
    assert response["Location"].startswith(second)
    # Without an app yet: every page leads to the second-factor page, which leads to setting one up.
    assert client.get(reverse("signals:signal_list"))["Location"].startswith(second)
    assert "Set up two-factor authentication" in client.get(second).content.decode()
    assert client.get(reverse("web:two_factor")).status_code == 200
    device = TOTPDevice.objects.get(user__oidc_subject="s-14")
    device.confirmed = True
    device.save()
    wrong = client.post(second, {"token": "000000", "next": reverse("signals:signal_list")})
    assert wrong.status_code == 200
    assert "not right" in wrong.content.decode()
    # django-otp makes the next try wait after a wrong code; the test does not.
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()
    right = client.post(
        second, {"token": f"{totp(device.bin_key):06d}", "next": reverse("signals:signal_list")}
    )
    assert right["Location"] == reverse("signals:signal_list")
    assert client.get(reverse("signals:signal_list")).status_code == 200


def test_a_sso_session_waiting_for_its_code_cannot_replace_the_authenticator(
    sso: FakeOidcProvider, settings: Any, organisations: dict[str, Organisation]
) -> None:
    settings.OIDC_REQUIRE_LOCAL_OTP = True
    sso.login_as("s-15", preferred_username="vervang", ketenregie_roles=["rdam-vth:enforcement"])
    client = english_client()
    sso_login(client, next_url=reverse("signals:signal_list"))
    client.get(reverse("web:two_factor"))
    device = TOTPDevice.objects.get(user__oidc_subject="s-15")
    device.confirmed = True
    device.save()
    # With an authenticator in place, the set-up page is out of reach until its code is given.
    assert client.get(reverse("web:two_factor"))["Location"].startswith(reverse("web:sso_second_factor"))
    client.post(reverse("web:two_factor"), {"action": "remove"})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_without_the_requirement_the_provider_s_login_is_enough(
    sso: FakeOidcProvider, organisations: dict[str, Organisation]
) -> None:
    sso.login_as("s-15", preferred_username="enkel", ketenregie_roles=["rdam-vth:enforcement"])
    client = english_client()
    sso_login(client)
    TOTPDevice.objects.create(user=User.objects.get(oidc_subject="s-15"), name="app", confirmed=True)
    assert client.get(reverse("signals:signal_list")).status_code == 200


def test_switched_off_the_oidc_urls_answer_404_and_the_login_page_has_no_button(db: None) -> None:
    client = english_client()
    for name in ["oidc_authentication_init", "oidc_authentication_callback", "oidc_logout"]:
        assert client.get(reverse(name)).status_code == 404
    assert client.post(reverse("oidc_logout")).status_code == 404
    page = client.get(reverse("web:login")).content.decode()
    assert "Log in via" not in page
    assert reverse("oidc_authentication_init") not in page


def test_the_sso_code_is_unique_and_lower_case(
    municipality: Municipality, other_municipality: Municipality
) -> None:
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    f.OrganisationFactory(municipality=municipality, sso_code="vth")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.OrganisationFactory(municipality=other_municipality, sso_code="vth")
    # Many organisations have none.
    f.OrganisationFactory(municipality=municipality, sso_code="")
    f.OrganisationFactory(municipality=municipality, sso_code="")
    with pytest.raises(ValidationError):
        Organisation(municipality=municipality, name="X", kind="other", sso_code="VTH Team").full_clean()
