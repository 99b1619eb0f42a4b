"""Every page and API endpoint against every role: who may, and who may not.

The expectation is read from the capability table, and the table itself is pinned at the bottom,
so a change to either shows up here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ketenregie.core.models import Role
from ketenregie.core.permissions import ROLE_CAPABILITIES, Capability
from tests.conftest import World

C = Capability


def _case(world: World) -> Any:
    from tests.factories import CaseFactory

    return CaseFactory(municipality=world.address.municipality)


ROLES = list(Role.values)

# Any one of these is enough: the queue of self-service reports serves civil affairs and enforcement.
REPORTS = frozenset({C.HANDLE_SELF_SERVICE_REPORTS, C.VIEW_OVERCROWDING_FLAGS})
Needs = tuple[Capability | frozenset[Capability], ...]

# (name, url builder, capabilities needed)
PAGES: list[tuple[str, Callable[[World], str], Needs]] = [
    ("home", lambda w: reverse("web:home"), ()),
    ("two-factor", lambda w: reverse("web:two_factor"), ()),
    ("api tokens", lambda w: reverse("web:api_tokens"), ()),
    ("address list", lambda w: reverse("places:address_list"), (C.VIEW_REGISTERS,)),
    ("address export", lambda w: reverse("places:address_list") + "?export=csv", (C.VIEW_REGISTERS,)),
    ("address detail", lambda w: reverse("places:address_detail", args=[w.address.pk]), (C.VIEW_REGISTERS,)),
    ("person list", lambda w: reverse("people:person_list"), (C.VIEW_PERSONAL_DATA,)),
    ("person export", lambda w: reverse("people:person_list") + "?export=xlsx", (C.VIEW_PERSONAL_DATA,)),
    ("person detail", lambda w: reverse("people:person_detail", args=[w.person.pk]), (C.VIEW_PERSONAL_DATA,)),
    (
        "person edit",
        lambda w: reverse("people:person_edit", args=[w.person.pk]),
        (C.VIEW_PERSONAL_DATA, C.EDIT_PEOPLE),
    ),
    (
        "person move",
        lambda w: reverse("people:person_move", args=[w.person.pk]),
        (C.VIEW_PERSONAL_DATA, C.EDIT_PEOPLE),
    ),
    (
        "residence verification",
        lambda w: reverse("people:residence_verify", args=[w.person.pk, w.person.residences.get().pk]),
        (C.VIEW_PERSONAL_DATA, C.EDIT_PEOPLE),
    ),
    (
        "employment add",
        lambda w: reverse("people:employment_add", args=[w.person.pk]),
        (C.VIEW_PERSONAL_DATA, C.EDIT_PEOPLE),
    ),
    (
        "employment end",
        lambda w: reverse("people:employment_end", args=[w.person.pk, w.person.employments.get().pk]),
        (C.VIEW_PERSONAL_DATA, C.EDIT_PEOPLE),
    ),
    (
        "labour migrant profile",
        lambda w: reverse("people:labour_migrant_edit", args=[w.person.pk]),
        (C.VIEW_PERSONAL_DATA, C.EDIT_PEOPLE),
    ),
    (
        "labour migrant confirm",
        lambda w: reverse("people:labour_migrant_confirm", args=[w.person.pk]),
        (C.VIEW_PERSONAL_DATA, C.EDIT_PEOPLE),
    ),
    ("employer list", lambda w: reverse("employers:employer_list"), (C.VIEW_REGISTERS,)),
    ("employer export", lambda w: reverse("employers:employer_list") + "?export=csv", (C.VIEW_REGISTERS,)),
    (
        "employer detail",
        lambda w: reverse("employers:employer_detail", args=[w.employer.pk]),
        (C.VIEW_REGISTERS,),
    ),
    ("employer create", lambda w: reverse("employers:employer_create"), (C.EDIT_EMPLOYERS,)),
    (
        "employer edit",
        lambda w: reverse("employers:employer_edit", args=[w.employer.pk]),
        (C.EDIT_EMPLOYERS,),
    ),
    (
        "violation create",
        lambda w: reverse("employers:violation_create", args=[w.employer.pk]),
        (C.RECORD_VIOLATIONS,),
    ),
    ("covenant", lambda w: reverse("employers:covenant_detail", args=[w.covenant.pk]), (C.VIEW_REGISTERS,)),
    (
        "covenant deliveries",
        lambda w: reverse("employers:covenant_deliveries", args=[w.covenant.pk]),
        (C.MANAGE_COVENANT,),
    ),
    (
        "covenant deliveries export",
        lambda w: reverse("employers:covenant_deliveries", args=[w.covenant.pk]) + "?export=csv",
        (C.MANAGE_COVENANT,),
    ),
    (
        "escalation conclude",
        lambda w: reverse("employers:escalation_conclude", args=[w.step.pk]),
        (C.MANAGE_COVENANT,),
    ),
    ("location list", lambda w: reverse("housing:location_list"), (C.VIEW_REGISTERS,)),
    ("location export", lambda w: reverse("housing:location_list") + "?export=xlsx", (C.VIEW_REGISTERS,)),
    (
        "location detail",
        lambda w: reverse("housing:location_detail", args=[w.location.pk]),
        (C.VIEW_REGISTERS,),
    ),
    (
        "quality mark create",
        lambda w: reverse("housing:quality_mark_create", args=[w.location.pk]),
        (C.EDIT_HOUSING,),
    ),
    ("permit create", lambda w: reverse("housing:permit_create", args=[w.location.pk]), (C.EDIT_HOUSING,)),
    ("audit trail", lambda w: reverse("core:audit_list"), (C.VIEW_AUDIT_TRAIL,)),
    ("audit export", lambda w: reverse("core:audit_list") + "?export=csv", (C.VIEW_AUDIT_TRAIL,)),
    ("import", lambda w: reverse("web:import"), (C.IMPORT_REGISTERS,)),
    ("deliveries", lambda w: reverse("deliveries:delivery_list"), (C.VIEW_REGISTERS,)),
    (
        "delivery review queue",
        lambda w: reverse("deliveries:review_list"),
        (C.VIEW_PERSONAL_DATA, C.EDIT_PEOPLE),
    ),
    ("administration", lambda w: reverse("admin:index"), (C.ADMINISTER,)),
    ("roles granted and failed logins", lambda w: reverse("core:access_review"), (C.VIEW_AUDIT_TRAIL,)),
    ("administration: users", lambda w: reverse("admin:core_user_changelist"), (C.ADMINISTER,)),
    ("monitoring", lambda w: reverse("monitoring:overview"), (C.VIEW_MONITORING,)),
    (
        "indicator trace",
        lambda w: reverse("monitoring:indicator_trace", args=["nla_fines"]),
        (C.VIEW_MONITORING,),
    ),
    (
        "manual figure",
        lambda w: reverse("monitoring:manual_value_enter", args=["nla_fines"]),
        (C.EDIT_MONITORING,),
    ),
    ("programme", lambda w: reverse("monitoring:programme"), (C.VIEW_MONITORING,)),
    ("progress report", lambda w: reverse("monitoring:report", args=[2025]), (C.VIEW_MONITORING,)),
    ("commitments", lambda w: reverse("monitoring:commitment_list"), (C.VIEW_MONITORING,)),
    (
        "commitments export",
        lambda w: reverse("monitoring:commitment_list") + "?export=csv",
        (C.VIEW_MONITORING,),
    ),
    ("commitment create", lambda w: reverse("monitoring:commitment_create"), (C.EDIT_MONITORING,)),
    ("monitoring import", lambda w: reverse("monitoring:import"), (C.EDIT_MONITORING,)),
    ("migration monitor", lambda w: reverse("monitoring:migration"), (C.VIEW_MONITORING,)),
    (
        "administration: indicators",
        lambda w: reverse("admin:monitoring_indicator_changelist"),
        (C.ADMINISTER,),
    ),
    ("contact log", lambda w: reverse("infopoint:contact_list"), (C.VIEW_INFOPOINT_LOG,)),
    ("contact export", lambda w: reverse("infopoint:contact_list") + "?export=csv", (C.VIEW_INFOPOINT_LOG,)),
    ("contact create", lambda w: reverse("infopoint:contact_create"), (C.EDIT_INFOPOINT_LOG,)),
    (
        "contact edit",
        lambda w: reverse("infopoint:contact_edit", args=[w.contact.pk]),
        (C.VIEW_INFOPOINT_LOG, C.EDIT_INFOPOINT_LOG),
    ),
    ("activity list", lambda w: reverse("infopoint:activity_list"), (C.VIEW_INFOPOINT_LOG,)),
    (
        "activity export",
        lambda w: reverse("infopoint:activity_list") + "?export=xlsx",
        (C.VIEW_INFOPOINT_LOG,),
    ),
    ("activity create", lambda w: reverse("infopoint:activity_create"), (C.EDIT_INFOPOINT_LOG,)),
    (
        "activity edit",
        lambda w: reverse("infopoint:activity_edit", args=[w.activity.pk]),
        (C.VIEW_INFOPOINT_LOG, C.EDIT_INFOPOINT_LOG),
    ),
    ("portal pages", lambda w: reverse("portal_staff:page_list"), (C.MANAGE_INFO_PAGES,)),
    ("portal page create", lambda w: reverse("portal_staff:page_create"), (C.MANAGE_INFO_PAGES,)),
    (
        "portal page edit",
        lambda w: reverse("portal_staff:page_edit", args=[w.info_page.pk]),
        (C.MANAGE_INFO_PAGES,),
    ),
    (
        "portal translation edit",
        lambda w: reverse("portal_staff:translation_edit", args=[w.info_page.pk, "pl"]),
        (C.MANAGE_INFO_PAGES,),
    ),
    ("self-service reports", lambda w: reverse("portal_staff:report_list"), (REPORTS,)),
    (
        "self-service report",
        lambda w: reverse("portal_staff:report_detail", args=[w.report.pk]),
        (REPORTS,),
    ),
    # Meldingen and casework (pages about one melding or case: tests/test_casework_permissions.py).
    ("signal queue", lambda w: reverse("signals:signal_list"), (C.VIEW_SIGNALS,)),
    ("signal export", lambda w: reverse("signals:signal_list") + "?export=csv", (C.VIEW_SIGNALS,)),
    ("signal create", lambda w: reverse("signals:signal_create"), (C.SUBMIT_SIGNALS,)),
    ("case create", lambda w: reverse("cases:case_create"), (C.MANAGE_CASES,)),
    (
        "first-registration forms",
        lambda w: reverse("cases:registration_list"),
        (C.PROCESS_FIRST_REGISTRATIONS, C.VIEW_PERSONAL_DATA),
    ),
    ("data-sharing agreements", lambda w: reverse("cases:agreement_list"), (C.VIEW_AGREEMENTS,)),
    # Risk selection.
    ("risk list", lambda w: reverse("risk:score_list"), (C.VIEW_RISK,)),
    ("risk list export", lambda w: reverse("risk:score_list") + "?export=csv", (C.VIEW_RISK,)),
    ("risk map", lambda w: reverse("risk:score_map"), (C.VIEW_RISK,)),
    (
        "risk of an address",
        lambda w: reverse("risk:address_scores", args=[w.address.pk]),
        (C.VIEW_RISK,),
    ),
    ("employer risk", lambda w: reverse("risk:employer_list"), (C.VIEW_RISK,)),
    ("risk runs", lambda w: reverse("risk:run_list"), (C.VIEW_RISK_RUNS,)),
    # Everyone with a role has the list; it shows the runs of the kinds their role may start.
    ("tasks", lambda w: reverse("operations:task_list"), ()),
    ("risk rules", lambda w: reverse("risk:rules"), (C.VIEW_RISK_RUNS,)),
    ("control lists", lambda w: reverse("risk:control_list_list"), (C.VIEW_RISK,)),
    ("control list create", lambda w: reverse("risk:control_list_create"), (C.RUN_RISK,)),
    (
        "control list",
        lambda w: reverse("risk:control_list_detail", args=[w.control_list.pk]),
        (C.VIEW_RISK,),
    ),
    ("retention", lambda w: reverse("retention:overview"), (C.VIEW_RETENTION,)),
    (
        "retention period",
        lambda w: reverse("retention:policy_edit", args=["signals"]),
        (C.MANAGE_RETENTION,),
    ),
    ("legal hold", lambda w: reverse("retention:hold_place", args=[_case(w).pk]), (C.PLACE_LEGAL_HOLDS,)),
    (
        "administration: melding categories",
        lambda w: reverse("admin:signals_signalcategory_changelist"),
        (C.ADMINISTER,),
    ),
    (
        "administration: agreements",
        lambda w: reverse("admin:cases_datasharingagreement_changelist"),
        (C.ADMINISTER,),
    ),
]
# Pages about one record: someone from another municipality must not even learn it exists.
OBJECT_PAGES = {
    "address detail",
    "person detail",
    "person edit",
    "person move",
    "residence verification",
    "employment add",
    "employment end",
    "labour migrant profile",
    "labour migrant confirm",
    "employer detail",
    "employer edit",
    "violation create",
    "covenant",
    "covenant deliveries",
    "escalation conclude",
    "location detail",
    "quality mark create",
    "permit create",
    "contact edit",
    "activity edit",
    "portal page edit",
    "portal translation edit",
    "self-service report",
    "risk of an address",
    "control list",
}

API: list[tuple[str, str, Callable[[World], str], dict[str, Any] | None, tuple[Capability, ...]]] = [
    ("addresses", "get", lambda w: "/api/v1/addresses/", None, (C.VIEW_REGISTERS,)),
    ("address", "get", lambda w: f"/api/v1/addresses/{w.address.pk}/", None, (C.VIEW_REGISTERS,)),
    ("people", "get", lambda w: "/api/v1/people/", None, (C.VIEW_PERSONAL_DATA,)),
    ("person", "get", lambda w: f"/api/v1/people/{w.person.pk}/", None, (C.VIEW_PERSONAL_DATA,)),
    (
        "people search",
        "post",
        lambda w: "/api/v1/people/search/",
        {"surname": "Nowak"},
        (C.VIEW_PERSONAL_DATA,),
    ),
    ("employers", "get", lambda w: "/api/v1/employers/", None, (C.VIEW_REGISTERS,)),
    ("employer", "get", lambda w: f"/api/v1/employers/{w.employer.pk}/", None, (C.VIEW_REGISTERS,)),
    (
        "employer create",
        "post",
        lambda w: "/api/v1/employers/",
        {"kvkNumber": "27654321", "name": "Nieuw B.V.", "kind": "hirer"},
        (C.EDIT_EMPLOYERS,),
    ),
    ("housing locations", "get", lambda w: "/api/v1/housing-locations/", None, (C.VIEW_REGISTERS,)),
    (
        "brp bewoningen",
        "post",
        lambda w: "/api/v1/brp/bewoningen",
        {
            "type": "BewoningMetPeildatum",
            "peildatum": "2024-03-01",
            "adresseerbaarObjectIdentificatie": "0599010000000001",
        },
        (C.VIEW_PERSONAL_DATA,),
    ),
    (
        "housing location",
        "get",
        lambda w: f"/api/v1/housing-locations/{w.location.pk}/",
        None,
        (C.VIEW_REGISTERS,),
    ),
    ("signals", "get", lambda w: "/api/v1/signals/", None, (C.VIEW_SIGNALS,)),
    ("risk runs", "get", lambda w: "/api/v1/risk/runs/", None, (C.VIEW_RISK_RUNS,)),
    ("risk run start", "post", lambda w: "/api/v1/risk/runs", {}, (C.RUN_RISK,)),
    ("tasks", "get", lambda w: "/api/v1/tasks", None, ()),
    ("risk address scores", "get", lambda w: "/api/v1/risk/address-scores/", None, (C.VIEW_RISK,)),
    (
        "signal suggestion",
        "post",
        lambda w: "/api/v1/signals/suggest/",
        {"text": "Twaalf mensen in een kleine woning"},
        (C.SUBMIT_SIGNALS,),
    ),
]
OBJECT_ENDPOINTS = {"address", "person", "employer", "housing location"}


def allowed(role: str, needs: Needs) -> bool:
    granted = ROLE_CAPABILITIES[role]
    return all((need in granted) if isinstance(need, Capability) else bool(granted & need) for need in needs)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "needs"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access_follows_the_role(
    name: str,
    url: Callable[[World], str],
    needs: Needs,
    role: str,
    world: World,
    client_as: Callable[[str], Client],
) -> None:
    response = client_as(role).get(url(world))
    expected = 200 if allowed(role, needs) else 403
    assert response.status_code == expected, f"{role} on {name}"


@pytest.mark.parametrize(("name", "url", "needs"), PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_visitors_are_sent_to_the_login_page(
    name: str, url: Callable[[World], str], needs: Needs, world: World
) -> None:
    response = Client().get(url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


@pytest.mark.parametrize(
    ("name", "url", "needs"),
    [p for p in PAGES if p[0] in OBJECT_PAGES],
    ids=sorted(OBJECT_PAGES, key=[p[0] for p in PAGES].index),
)
def test_it_hides_another_municipalitys_records(
    name: str,
    url: Callable[[World], str],
    needs: Needs,
    world: World,
    client_as: Callable[[str], Client],
) -> None:
    response = client_as("outsider").get(url(world))
    assert response.status_code in (403, 404)
    if allowed(Role.ENFORCEMENT, needs):
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url", "body", "needs"), API, ids=[a[0] for a in API])
def test_api_access_follows_the_role(
    name: str,
    method: str,
    url: Callable[[World], str],
    body: dict[str, Any] | None,
    needs: tuple[Capability, ...],
    role: str,
    world: World,
    api_as: Callable[[str], APIClient],
) -> None:
    response = getattr(api_as(role), method)(url(world), body, format="json")
    if allowed(role, needs):
        assert response.status_code in (200, 201, 202), f"{role} on {name}: {response.content[:300]!r}"
    else:
        assert response.status_code == 403, f"{role} on {name}"
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(("name", "method", "url", "body", "needs"), API, ids=[a[0] for a in API])
def test_the_api_asks_anonymous_callers_to_authenticate(
    name: str,
    method: str,
    url: Callable[[World], str],
    body: dict[str, Any] | None,
    needs: tuple[Capability, ...],
    world: World,
) -> None:
    response = getattr(APIClient(), method)(url(world), body, format="json")
    assert response.status_code == 401
    assert response.json()["status"] == 401


@pytest.mark.parametrize(
    ("name", "method", "url", "body", "needs"),
    [a for a in API if a[0] in OBJECT_ENDPOINTS],
    ids=sorted(OBJECT_ENDPOINTS),
)
def test_the_api_hides_another_municipalitys_records(
    name: str,
    method: str,
    url: Callable[[World], str],
    body: dict[str, Any] | None,
    needs: tuple[Capability, ...],
    world: World,
    api_as: Callable[[str], APIClient],
) -> None:
    assert getattr(api_as("outsider"), method)(url(world), body, format="json").status_code == 404


# Buttons that post to a page (no form to fill in): who may press them.
ACTIONS: list[tuple[str, Callable[[World], str], Needs]] = [
    (
        "employer check kvk",
        lambda w: reverse("employers:employer_check_kvk", args=[w.employer.pk]),
        (C.EDIT_EMPLOYERS,),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "needs"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_buttons_follow_the_role_and_hide_other_municipalities(
    name: str,
    url: Callable[[World], str],
    needs: Needs,
    role: str,
    world: World,
    client_as: Callable[[str], Client],
) -> None:
    response = client_as(role).post(url(world))
    assert response.status_code == (302 if allowed(role, needs) else 403), f"{role} on {name}"
    assert client_as("outsider").post(url(world)).status_code == 404


def test_the_capability_table_is_what_the_roles_were_designed_to_do() -> None:
    """Partners see nothing of the registers, only shared cases; council and the privacy officer see no
    personal data; only the enforcement department sees every case and every melding."""
    assert ROLE_CAPABILITIES[Role.PARTNER] == frozenset(
        {C.SUBMIT_SIGNALS, C.VIEW_SHARED_CASES, C.RECORD_FINDINGS, C.DELIVER_DATA}
    )
    holders = {c: {r for r, caps in ROLE_CAPABILITIES.items() if c in caps} for c in Capability}
    assert holders[C.DELIVER_DATA] == {Role.PARTNER, Role.CIVIL_AFFAIRS, Role.ADMIN}
    assert holders[C.VIEW_PERSONAL_DATA] == {Role.ENFORCEMENT, Role.CIVIL_AFFAIRS}
    assert holders[C.VIEW_AUDIT_TRAIL] == {Role.PRIVACY_OFFICER}
    assert holders[C.ADMINISTER] == {Role.ADMIN}
    assert holders[C.VIEW_INFOPOINT_LOG] == {Role.INFOPOINT}
    assert holders[C.MANAGE_INFO_PAGES] == {Role.INFOPOINT}
    assert holders[C.HANDLE_SELF_SERVICE_REPORTS] == {Role.CIVIL_AFFAIRS}
    assert holders[C.VIEW_OVERCROWDING_FLAGS] == {Role.ENFORCEMENT}
    assert holders[C.VIEW_CASES] == holders[C.VIEW_SIGNALS] == {Role.ENFORCEMENT}
    assert holders[C.VIEW_SIGNAL_REPORTERS] == {Role.ENFORCEMENT}
    assert holders[C.VIEW_SHARED_CASES] == {Role.PARTNER, Role.CIVIL_AFFAIRS}
    assert holders[C.VIEW_RISK] == {Role.ENFORCEMENT, Role.ADMIN}
    assert holders[C.VIEW_RISK_RUNS] == {Role.ENFORCEMENT, Role.ADMIN, Role.PRIVACY_OFFICER}
    assert holders[C.RUN_RISK] == {Role.ENFORCEMENT, Role.ADMIN}
    assert holders[C.MANAGE_RISK_SETTINGS] == {Role.ADMIN}
    assert holders[C.VIEW_RETENTION] == {Role.PRIVACY_OFFICER, Role.ADMIN}
    assert holders[C.MANAGE_RETENTION] == {Role.ADMIN}
    assert holders[C.PLACE_LEGAL_HOLDS] == {Role.ENFORCEMENT, Role.ADMIN}
    assert holders[C.VIEW_REGISTERS] == {
        Role.POLICY,
        Role.ENFORCEMENT,
        Role.CIVIL_AFFAIRS,
        Role.INFOPOINT,
        Role.ADMIN,
    }


@pytest.mark.parametrize("role", ROLES)
def test_verifying_a_residence_by_post_follows_the_role(
    role: str, world: World, client_as: Callable[[str], Client]
) -> None:
    residence = world.person.residences.get()
    response = client_as(role).post(
        reverse("people:residence_verify", args=[world.person.pk, residence.pk]),
        {"version": residence.version, "status": "verified", "method": "brp"},
    )
    may = allowed(role, (C.VIEW_PERSONAL_DATA, C.EDIT_PEOPLE))
    assert response.status_code == (302 if may else 403)
    residence.refresh_from_db()
    assert residence.verification_status == ("verified" if may else "unverified")


# Writes on the person page (issue 12, part 4): the POST itself is checked, not only the page.
POSTS: list[tuple[str, Callable[[World], str], Callable[[World], dict[str, Any]], Needs]] = [
    (
        "employment add",
        lambda w: reverse("people:employment_add", args=[w.person.pk]),
        lambda w: {"employer": w.employer.pk, "starts_on": "2025-03-01"},
        (C.VIEW_PERSONAL_DATA, C.EDIT_PEOPLE),
    ),
    (
        "employment end",
        lambda w: reverse("people:employment_end", args=[w.person.pk, w.person.employments.get().pk]),
        lambda w: {"ends_on": "2025-06-30"},
        (C.VIEW_PERSONAL_DATA, C.EDIT_PEOPLE),
    ),
    (
        "labour migrant profile",
        lambda w: reverse("people:labour_migrant_edit", args=[w.person.pk]),
        lambda w: {
            "country_of_origin": "PL",
            "sector": "logistics",
            "version": w.person.labour_migrant.version,
        },
        (C.VIEW_PERSONAL_DATA, C.EDIT_PEOPLE),
    ),
    (
        "labour migrant confirm",
        lambda w: reverse("people:labour_migrant_confirm", args=[w.person.pk]),
        lambda w: {"version": w.person.labour_migrant.version},
        (C.VIEW_PERSONAL_DATA, C.EDIT_PEOPLE),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "body", "needs"), POSTS, ids=[p[0] for p in POSTS])
def test_person_page_writes_follow_the_role(
    name: str,
    url: Callable[[World], str],
    body: Callable[[World], dict[str, Any]],
    needs: Needs,
    role: str,
    world: World,
    client_as: Callable[[str], Client],
) -> None:
    response = client_as(role).post(url(world), body(world))
    expected = 302 if allowed(role, needs) else 403
    assert response.status_code == expected, f"{role} on {name}"


@pytest.mark.parametrize(("name", "url", "body", "needs"), POSTS, ids=[p[0] for p in POSTS])
def test_person_page_writes_of_another_municipality_are_not_found(
    name: str,
    url: Callable[[World], str],
    body: Callable[[World], dict[str, Any]],
    needs: Needs,
    world: World,
    other_municipality: Any,
) -> None:
    from tests import factories as f

    outsider = f.persona("civil_affairs", other_municipality, username="outsider-ca")
    client = Client()
    client.force_login(outsider)
    assert client.post(url(world), body(world)).status_code == 404
