"""The casework permission matrix: every role of every organisation against every melding and case page
and endpoint, including partners outside the case, a partner whose agreement has expired, and an
officer of another municipality.

The expectation is derived from the rules, stated once below:
- a page needs its capabilities (403 without them); case pages need VIEW_CASES or VIEW_SHARED_CASES;
- the owner (VIEW_CASES) sees every case of its municipality, another municipality's case is a 404;
- anyone else sees only a case its organisation takes part in under a valid agreement (404 otherwise),
  and within it only its agreement's data categories (a municipal department: all but reporters);
- pages that change the case itself are for the owner only;
- pages that change a record of the case (a finding, a measure) are for the organisation that recorded
  it only: in the shared case, the municipal department of the personas (403 for everyone else).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ketenregie.core.models import Role
from ketenregie.core.permissions import ROLE_CAPABILITIES, Capability
from ketenregie.core.tokens import token_create
from tests.conftest import Casework, english_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _zgw_rsin(settings: Any) -> None:
    """The ZGW export needs the municipality's RSIN (tests/test_zgw.py covers its absence)."""
    settings.ZGW_RSIN = "002220647"


C = Capability
ALL = frozenset({"signals", "reporter", "findings", "persons", "measures", "attachments"})

# Who, in which organisation, with which standing in the shared case.
PRINCIPALS: dict[str, tuple[str, str]] = {
    **{role: (role, "municipal") for role in Role.values if role != Role.PARTNER},
    "partner": (Role.PARTNER, "nla"),
    "police_partner": (Role.PARTNER, "police"),
    "tax_partner": (Role.PARTNER, "tax_expired"),
    "uwv_partner": (Role.PARTNER, "outside"),
    "outsider": (Role.ENFORCEMENT, "other_municipality"),
}
CATEGORIES = {
    "municipal": ALL - {"reporter"},
    "nla": frozenset({"signals", "findings", "persons", "measures", "attachments"}),
    "police": frozenset({"findings"}),
}


@dataclass(frozen=True)
class Rule:
    needs: tuple[Capability, ...] = ()
    case: bool = True  # a page about the shared case (404 for those not in it)
    casework: bool = True  # needs VIEW_CASES or VIEW_SHARED_CASES
    owner_only: bool = False
    category: str = ""
    category_status: int = 403
    recipient_only: bool = False
    recorder_only: bool = False


def expected(principal: str, rule: Rule) -> int:
    role, standing = PRINCIPALS[principal]
    caps = ROLE_CAPABILITIES[role]
    if rule.casework and not ({C.VIEW_CASES, C.VIEW_SHARED_CASES} & caps):
        return 403
    if any(need not in caps for need in rule.needs):
        return 403
    if standing == "other_municipality":
        return 404 if rule.case else 200
    if C.VIEW_CASES in caps or not rule.case:
        return 200
    if rule.owner_only:
        return 403
    if standing not in CATEGORIES:
        return 404
    if rule.category and rule.category not in CATEGORIES[standing]:
        return rule.category_status
    if rule.recipient_only and standing != "nla":
        return 404
    if rule.recorder_only and standing != "municipal":
        return 403
    return 200


PAGES: list[tuple[str, Callable[[Casework], str], Rule]] = [
    ("case board", lambda c: reverse("cases:case_board"), Rule(case=False)),
    ("case list", lambda c: reverse("cases:case_list"), Rule(case=False)),
    ("case export", lambda c: reverse("cases:case_list") + "?export=csv", Rule(case=False)),
    ("case detail", lambda c: reverse("cases:case_detail", args=[c.case.pk]), Rule()),
    ("case timeline", lambda c: reverse("cases:case_timeline", args=[c.case.pk]), Rule()),
    ("planning", lambda c: reverse("cases:planning", args=[c.case.pk]), Rule()),
    ("route list", lambda c: reverse("cases:route_list", args=[c.case.pk]), Rule()),
    ("case create", lambda c: reverse("cases:case_create"), Rule(needs=(C.MANAGE_CASES,), case=False)),
    (
        "case edit",
        lambda c: reverse("cases:case_edit", args=[c.case.pk]),
        Rule(needs=(C.MANAGE_CASES,), owner_only=True),
    ),
    (
        "case close",
        lambda c: reverse("cases:case_close", args=[c.case.pk]),
        Rule(needs=(C.MANAGE_CASES,), owner_only=True),
    ),
    (
        "case reopen",
        lambda c: reverse("cases:case_reopen", args=[c.case.pk]),
        Rule(needs=(C.MANAGE_CASES,), owner_only=True),
    ),
    (
        "participants",
        lambda c: reverse("cases:participants", args=[c.case.pk]),
        Rule(needs=(C.MANAGE_CASES,), owner_only=True),
    ),
    (
        "planning team",
        lambda c: reverse("cases:planning_team", args=[c.case.pk]),
        Rule(needs=(C.MANAGE_CASES,), owner_only=True),
    ),
    (
        "measure create",
        lambda c: reverse("cases:measure_create", args=[c.case.pk]),
        Rule(needs=(C.MANAGE_CASES,), owner_only=True),
    ),
    (
        "measure status",
        lambda c: reverse("cases:measure_status", args=[c.case.pk, c.measure.pk]),
        Rule(needs=(C.MANAGE_CASES,), owner_only=True),
    ),
    (
        "hand over",
        lambda c: reverse("cases:handover_create", args=[c.case.pk]),
        Rule(needs=(C.HAND_OVER_CASES,), owner_only=True),
    ),
    (
        "case reporters",
        lambda c: reverse("cases:case_reporters", args=[c.case.pk]),
        Rule(needs=(C.VIEW_SIGNAL_REPORTERS,)),
    ),
    ("case zgw export", lambda c: reverse("cases:case_zgw", args=[c.case.pk]), Rule(needs=(C.VIEW_CASES,))),
    (
        "case zgw push",
        lambda c: reverse("cases:case_zgw_push", args=[c.case.pk]),
        Rule(needs=(C.MANAGE_CASES,), owner_only=True),
    ),
    (
        "finding create",
        lambda c: reverse("cases:finding_create", args=[c.case.pk]) + f"?address={c.finding.address_id}",
        Rule(needs=(C.RECORD_FINDINGS,), category="findings"),
    ),
    (
        "finding edit",
        lambda c: reverse("cases:finding_edit", args=[c.case.pk, c.finding.pk]),
        Rule(needs=(C.RECORD_FINDINGS,), category="findings", recorder_only=True),
    ),
    (
        "first-registration form",
        lambda c: reverse("cases:registration_add", args=[c.case.pk, c.finding.pk]),
        Rule(needs=(C.RECORD_FINDINGS,), category="persons"),
    ),
    (
        "attachment upload",
        lambda c: reverse("cases:attachment_create", args=[c.case.pk]),
        Rule(needs=(C.RECORD_FINDINGS,), category="attachments"),
    ),
    (
        "attachment download",
        lambda c: reverse("cases:attachment_download", args=[c.case.pk, c.attachment.pk]),
        Rule(category="attachments", category_status=404),
    ),
    (
        "dossier download",
        lambda c: reverse("cases:handover_download", args=[c.case.pk, c.handover.pk]),
        Rule(recipient_only=True),
    ),
    (
        "first-registration forms list",
        lambda c: reverse("cases:registration_list"),
        Rule(needs=(C.PROCESS_FIRST_REGISTRATIONS, C.VIEW_PERSONAL_DATA), case=False, casework=False),
    ),
    (
        "agreements",
        lambda c: reverse("cases:agreement_list"),
        Rule(needs=(C.VIEW_AGREEMENTS,), case=False, casework=False),
    ),
    (
        "signal queue",
        lambda c: reverse("signals:signal_list"),
        Rule(needs=(C.VIEW_SIGNALS,), case=False, casework=False),
    ),
    (
        "signal create",
        lambda c: reverse("signals:signal_create"),
        Rule(needs=(C.SUBMIT_SIGNALS,), case=False, casework=False),
    ),
    (
        "signal detail",
        lambda c: reverse("signals:signal_detail", args=[c.signal.pk]),
        Rule(needs=(C.VIEW_SIGNALS,), casework=False),
    ),
    (
        "signal triage",
        lambda c: reverse("signals:signal_triage", args=[c.signal.pk]),
        Rule(needs=(C.HANDLE_SIGNALS,), casework=False),
    ),
    (
        "signal address",
        lambda c: reverse("signals:signal_address", args=[c.signal.pk]),
        Rule(needs=(C.HANDLE_SIGNALS,), casework=False),
    ),
    (
        "signal close",
        lambda c: reverse("signals:signal_close", args=[c.signal.pk]),
        Rule(needs=(C.HANDLE_SIGNALS,), casework=False),
    ),
    (
        "signal reporter",
        lambda c: reverse("signals:signal_reporter", args=[c.signal.pk]),
        Rule(needs=(C.VIEW_SIGNAL_REPORTERS,), casework=False),
    ),
    (
        "signal attachment",
        lambda c: reverse("signals:signal_attachment", args=[c.signal.pk, c.signal_attachment.pk]),
        Rule(needs=(C.VIEW_SIGNALS,), casework=False),
    ),
]
# Signal pages are about one record of the municipality: another municipality's officer gets a 404.
for _name, _url, _rule in PAGES:
    if _name.startswith("signal ") and _name not in ("signal queue", "signal create"):
        assert _rule.case

API_READS: list[tuple[str, Callable[[Casework], str], Rule]] = [
    ("GET cases", lambda c: "/api/v1/cases/", Rule(case=False)),
    ("GET case", lambda c: f"/api/v1/cases/{c.case.pk}/", Rule()),
    ("GET case zgw", lambda c: f"/api/v1/cases/{c.case.pk}/zgw/", Rule(needs=(C.VIEW_CASES,))),
    ("GET signals", lambda c: "/api/v1/signals/", Rule(needs=(C.VIEW_SIGNALS,), case=False, casework=False)),
    (
        "GET signal",
        lambda c: f"/api/v1/signals/{c.signal.pk}/",
        Rule(needs=(C.VIEW_SIGNALS,), casework=False),
    ),
    (
        "GET signal reporter",
        lambda c: f"/api/v1/signals/{c.signal.pk}/reporter/",
        Rule(needs=(C.VIEW_SIGNAL_REPORTERS,), casework=False),
    ),
]


@pytest.fixture
def principal_client(casework: Casework, outsider: Any) -> Callable[[str], Client]:
    from ketenregie.core.models import Organisation
    from tests import factories as f

    municipality = casework.case.municipality
    uwv = Organisation.objects.create(municipality=municipality, name="UWV Rotterdam", kind="uwv")
    f.AgreementFactory(municipality=municipality, name="Convenant UWV", parties=[uwv])
    casework.personas["uwv_partner"] = f.UserFactory(username="uwv_partner")
    f.MembershipFactory(user=casework.personas["uwv_partner"], organisation=uwv, role=Role.PARTNER)
    casework.personas["outsider"] = outsider

    def make(principal: str) -> Client:
        client = english_client()
        client.force_login(casework.personas[principal])
        return client

    return make


def api_client(casework: Casework, principal: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=casework.personas[principal])[1]}")
    return client


@pytest.mark.parametrize("principal", list(PRINCIPALS))
def test_every_casework_page_answers_each_role_of_each_organisation_as_the_rules_say(
    principal: str, casework: Casework, principal_client: Callable[[str], Client]
) -> None:
    client = principal_client(principal)
    wrong = []
    for name, url, rule in PAGES:
        status = client.get(url(casework)).status_code
        if status != expected(principal, rule):
            wrong.append(f"{name}: got {status}, expected {expected(principal, rule)}")
    assert not wrong, f"{principal}: {wrong}"


@pytest.mark.parametrize("principal", list(PRINCIPALS))
def test_every_casework_endpoint_answers_each_role_of_each_organisation_as_the_rules_say(
    principal: str, casework: Casework, principal_client: Callable[[str], Client]
) -> None:
    client = api_client(casework, principal)
    wrong = []
    for name, url, rule in API_READS:
        response = client.get(url(casework))
        if response.status_code != expected(principal, rule):
            wrong.append(f"{name}: got {response.status_code}, expected {expected(principal, rule)}")
        elif response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json"
    assert not wrong, f"{principal}: {wrong}"


WRITES: list[tuple[str, str, Callable[[Casework], str], dict[str, Any], Rule]] = [
    (
        "PATCH case",
        "patch",
        lambda c: f"/api/v1/cases/{c.case.pk}/",
        {"title": "Nieuw"},
        Rule(needs=(C.MANAGE_CASES,), owner_only=True),
    ),
    (
        "POST finding",
        "post",
        lambda c: f"/api/v1/cases/{c.case.pk}/findings/",
        {"personsFound": 3},
        Rule(needs=(C.RECORD_FINDINGS,), category="findings"),
    ),
    (
        "POST measure",
        "post",
        lambda c: f"/api/v1/cases/{c.case.pk}/measures/",
        {"kind": "warning", "addressee": "Eigenaar"},
        Rule(needs=(C.MANAGE_CASES,), owner_only=True),
    ),
    (
        "POST case",
        "post",
        lambda c: "/api/v1/cases/",
        {"kind": "house_visit", "title": "Nieuw"},
        Rule(needs=(C.MANAGE_CASES,), case=False),
    ),
    (
        "PATCH signal",
        "patch",
        lambda c: f"/api/v1/signals/{c.signal.pk}/",
        {"category": "nuisance"},
        Rule(needs=(C.HANDLE_SIGNALS,), casework=False),
    ),
]


@pytest.mark.parametrize("principal", list(PRINCIPALS))
@pytest.mark.parametrize(("name", "method", "url", "body", "rule"), WRITES, ids=[w[0] for w in WRITES])
def test_changes_through_the_api_follow_the_same_rules(
    principal: str,
    name: str,
    method: str,
    url: Callable[[Casework], str],
    body: dict[str, Any],
    rule: Rule,
    casework: Casework,
    principal_client: Callable[[str], Client],
) -> None:
    if "findings" in url(casework):
        body = {**body, "addressId": casework.finding.address_id}
    from ketenregie.cases.models import Case
    from ketenregie.signals.models import Signal

    model, pk = (Signal, casework.signal.pk) if name.endswith("signal") else (Case, casework.case.pk)
    version = model.objects.get(pk=pk).version
    response = getattr(api_client(casework, principal), method)(
        url(casework), body, format="json", HTTP_IF_MATCH=f'"{version}"'
    )
    want = expected(principal, rule)
    assert response.status_code == (201 if want == 200 and method == "post" else want), (
        f"{principal} {name}: {response.content[:300]!r}"
    )


def test_a_police_partner_sees_the_findings_but_no_names_measures_or_meldingen(
    casework: Casework, principal_client: Callable[[str], Client]
) -> None:
    page = (
        principal_client("police_partner")
        .get(reverse("cases:case_detail", args=[casework.case.pk]))
        .content.decode()
    )
    assert "Zieliński" not in page
    assert "Verhuurder B.V." not in page
    assert "minstens twaalf arbeidsmigranten" not in page
    assert "Not shared with your organisation" in page
    detail = api_client(casework, "police_partner").get(f"/api/v1/cases/{casework.case.pk}/").json()
    assert detail["findings"][0]["unregisteredPersons"] == 8
    assert detail["registrationForms"] is None
    assert detail["measures"] is None
    assert detail["signals"] is None
    assert detail["hiddenCategories"] == ["attachments", "measures", "persons", "reporter", "signals"]
    assert all(line["kind"] not in ("measure", "registration") for line in detail["timeline"])


def test_the_nla_sees_names_and_measures_but_never_the_reporter(
    casework: Casework, principal_client: Callable[[str], Client]
) -> None:
    page = (
        principal_client("partner")
        .get(reverse("cases:case_detail", args=[casework.case.pk]))
        .content.decode()
    )
    assert "Zieliński" in page
    assert "Verhuurder B.V." in page
    assert "jan.buurman@example.nl" not in page
    assert "Jan Buurman" not in page
    from ketenregie.core.models import AuditEvent

    assert AuditEvent.objects.filter(
        username="partner", object_type="cases.firstregistrationform", object_id=str(casework.registration.pk)
    ).exists()


def test_a_partner_outside_the_case_finds_an_empty_board(
    casework: Casework, principal_client: Callable[[str], Client]
) -> None:
    board = principal_client("uwv_partner").get(reverse("cases:case_board")).content.decode()
    assert casework.case.reference not in board
    listed = api_client(casework, "uwv_partner").get("/api/v1/cases/").json()
    assert listed["count"] == 0


def test_the_anonymous_public_may_submit_a_melding_but_see_nothing(casework: Casework) -> None:
    client = APIClient()
    created = client.post(
        "/api/v1/signals/",
        {
            "municipality": "0599",
            "description": "Veel busjes en matrassen bij dit adres.",
            "category": "overcrowding",
        },
        format="json",
    )
    assert created.status_code == 201
    assert set(created.json()) == {"id", "reference", "receivedAt", "status", "needsAddress"}
    assert client.get("/api/v1/signals/").status_code == 401
    assert client.get(f"/api/v1/signals/{created.json()['id']}/").status_code == 401
    assert client.get("/api/v1/cases/").status_code == 401
