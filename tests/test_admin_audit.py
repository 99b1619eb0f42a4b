"""The functional administration is audited, and the privacy officer reviews who got which access."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.core.actor import actor_for_user
from ketenregie.core.models import AuditAction, AuditEvent, Membership, Municipality, Organisation, Role, User
from ketenregie.core.permissions import roles_reaching_personal_data
from ketenregie.core.selectors import personal_data_grants
from ketenregie.demo.accounts import ensure_demo_accounts
from tests import factories as f
from tests.conftest import english_client

NEW_PASSWORD = "EenNieuwWachtwoord!42"


@pytest.fixture
def colleague(municipality: Municipality) -> User:
    user = f.UserFactory(username="collega", municipality=municipality)
    organisation = Organisation.objects.get(
        municipality=municipality, name__startswith="municipal_department"
    )
    Membership.objects.create(user=user, organisation=organisation, role=Role.POLICY)
    return user


def events_about(obj: object) -> list[AuditEvent]:
    meta = obj._meta  # type: ignore[attr-defined]
    return list(
        AuditEvent.objects.filter(
            object_type=f"{meta.app_label}.{meta.model_name}",
            object_id=str(obj.pk),  # type: ignore[attr-defined]
            action__in=[AuditAction.CREATE, AuditAction.UPDATE],
        )
    )


def test_a_password_reset_is_recorded_without_the_password(
    personas: dict[str, User], colleague: User, client_as: Callable[[str], Client]
) -> None:
    response = client_as(Role.ADMIN).post(
        reverse("admin:auth_user_password_change", args=[colleague.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    [event] = events_about(colleague)
    assert event.action == AuditAction.UPDATE
    assert event.username == Role.ADMIN
    assert event.detail == {"fields": ["password"]}
    assert NEW_PASSWORD not in str(event.detail)
    assert colleague.password not in str(event.detail)


def test_a_refused_password_reset_records_nothing(
    personas: dict[str, User], colleague: User, client_as: Callable[[str], Client]
) -> None:
    client_as(Role.ADMIN).post(
        reverse("admin:auth_user_password_change", args=[colleague.pk]),
        {"password1": NEW_PASSWORD, "password2": "iets anders", "usable_password": "true"},
    )
    assert not events_about(colleague)


def test_switching_an_account_off_is_recorded_by_field_name(
    personas: dict[str, User], colleague: User, client_as: Callable[[str], Client]
) -> None:
    response = client_as(Role.ADMIN).post(
        reverse("admin:core_user_change", args=[colleague.pk]),
        {
            "username": colleague.username,
            "first_name": "",
            "last_name": "",
            "email": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    colleague.refresh_from_db()
    assert not colleague.is_active
    [event] = events_about(colleague)
    assert event.detail == {"fields": ["is_active"]}


def test_a_new_account_is_recorded_with_password_as_a_field_name(
    personas: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    client_as(Role.ADMIN).post(
        reverse("admin:core_user_add"),
        {
            "username": "nieuw",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    [event] = events_about(User.objects.get(username="nieuw"))
    assert event.action == AuditAction.CREATE
    assert event.detail["fields"] == ["password", "username"]


def test_granting_and_changing_a_role_is_recorded_with_the_role(
    personas: dict[str, User], colleague: User, client_as: Callable[[str], Client]
) -> None:
    client = client_as(Role.ADMIN)
    organisation = colleague.memberships.get().organisation
    response = client.post(
        reverse("admin:core_membership_add"),
        {"user": colleague.pk, "organisation": organisation.pk, "role": Role.ENFORCEMENT, "is_active": "on"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=colleague, role=Role.ENFORCEMENT)
    client.post(
        reverse("admin:core_membership_change", args=[membership.pk]),
        {"organisation": organisation.pk, "role": Role.CIVIL_AFFAIRS, "is_active": "on"},
    )
    created, changed = sorted(events_about(membership), key=lambda e: e.pk)
    assert created.action == AuditAction.CREATE
    assert created.detail["role"] == Role.ENFORCEMENT
    assert changed.action == AuditAction.UPDATE
    assert changed.detail == {"fields": ["role"], "role": Role.CIVIL_AFFAIRS, "is_active": True}


def test_the_privacy_officer_sees_a_new_grant_of_a_role_with_personal_data(
    personas: dict[str, User], colleague: User, client_as: Callable[[str], Client]
) -> None:
    organisation = colleague.memberships.get().organisation
    client = client_as(Role.ADMIN)
    for role in (Role.ENFORCEMENT, Role.COUNCIL):
        client.post(
            reverse("admin:core_membership_add"),
            {"user": colleague.pk, "organisation": organisation.pk, "role": role, "is_active": "on"},
        )
    page = client_as(Role.PRIVACY_OFFICER).get(reverse("core:access_review"))
    assert page.status_code == 200
    [grant] = page.context["grants"]
    assert (grant.user, grant.granted_by, grant.is_new) == ("collega", Role.ADMIN, True)
    assert grant.role == Role.ENFORCEMENT.label
    assert "collega" in page.content.decode()


def test_the_roles_under_review_are_those_that_reach_personal_data() -> None:
    # Read from the capability table, so a new such role is reviewed without touching the page: the
    # registers' readers, the partners of shared cases and the administrators who hand out roles.
    assert roles_reaching_personal_data() == {Role.ENFORCEMENT, Role.CIVIL_AFFAIRS, Role.PARTNER, Role.ADMIN}


def test_a_failed_login_with_an_unknown_name_is_shown_shortened_to_the_privacy_officer(
    personas: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    english_client().post(reverse("web:login"), {"username": "geheimwachtwoord", "password": "x"})
    english_client().post(reverse("web:login"), {"username": "enforcement", "password": "wrong"})
    assert not AuditEvent.objects.filter(username__contains="geheimwachtwoord").exists()
    page = client_as(Role.PRIVACY_OFFICER).get(reverse("core:access_review"))
    attempts = {(attempt.username, attempt.known) for attempt in page.context["failed_logins"]}
    assert attempts == {("geh…", False), ("enforcement", True)}
    assert "geheimwachtwoord" not in page.content.decode()


def test_another_municipalitys_grants_and_failed_logins_are_not_shown(
    personas: dict[str, User], outsider: User, client_as: Callable[[str], Client]
) -> None:
    english_client().post(reverse("web:login"), {"username": "outsider", "password": "wrong"})
    page = client_as(Role.PRIVACY_OFFICER).get(reverse("core:access_review"))
    assert page.context["failed_logins"] == []


def test_the_demo_accounts_grants_are_in_the_privacy_officers_review(db: None) -> None:
    municipality = f.MunicipalityFactory(code="0599", name="Rotterdam")
    ensure_demo_accounts(municipality)
    ensure_demo_accounts(municipality)  # a second run grants nothing new
    officer = actor_for_user(User.objects.get(username=Role.PRIVACY_OFFICER))
    assert officer is not None
    grants = personal_data_grants(actor=officer)
    assert sorted(grant.user for grant in grants) == sorted(roles_reaching_personal_data())
    assert {Role.ENFORCEMENT, Role.CIVIL_AFFAIRS, Role.PARTNER, Role.ADMIN} <= {
        grant.user for grant in grants
    }
    assert {grant.granted_by for grant in grants} == {Role.ADMIN}
