"""The API's one edge (api.concurrency, api.fields, api.problems): If-Match answered the same on every
resource, ids in bodies resolved only to what the caller may use, and a change applied whole or not at all."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from ketenregie.cases.models import Case, Measure
from ketenregie.core.models import Municipality, Role, User
from ketenregie.signals.models import Signal
from tests import factories as f
from tests.conftest import Casework

pytestmark = pytest.mark.django_db


def _resources(casework: Casework) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"/api/v1/cases/{casework.case.pk}", {"title": "Nieuwe titel"}),
        (f"/api/v1/signals/{casework.signal.pk}", {"category": "nuisance"}),
        (f"/api/v1/cases/{casework.case.pk}/findings/{casework.finding.pk}", {"personsFound": 4}),
    ]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_every_versioned_resource_answers_if_match_alike(
    casework: Casework, api_as: Callable[[str], APIClient], index: int
) -> None:
    client = api_as(Role.ENFORCEMENT)
    url, change = _resources(casework)[index]
    missing = client.patch(url, change, format="json")
    assert (missing.status_code, missing.json()["code"]) == (428, "preconditionRequired")
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["title"] == "Voorwaarde vereist: stuur If-Match."
    malformed = client.patch(url, change, format="json", HTTP_IF_MATCH='"drie"')
    assert (malformed.status_code, malformed.json()["code"]) == (400, "invalidIfMatch")
    stale = client.patch(url, change, format="json", HTTP_IF_MATCH='"999"')
    assert (stale.status_code, stale.json()["code"]) == (412, "preconditionFailed")
    assert stale.json()["title"].startswith("Niet voldaan aan de voorwaarde")


def _invalid(response: Any) -> dict[str, str]:
    assert response.status_code == 400, response.content
    return {param["name"]: param["reason"] for param in response.json()["invalidParams"]}


def test_ids_in_bodies_name_only_what_the_caller_may_use(
    casework: Casework, api_as: Callable[[str], APIClient], other_municipality: Municipality, outsider: User
) -> None:
    client = api_as(Role.ENFORCEMENT)
    case_url = f"/api/v1/cases/{casework.case.pk}"
    elsewhere = f.OrganisationFactory(municipality=other_municipality)
    foreign_signal = f.SignalFactory(municipality=other_municipality)
    not_on_route = f.AddressFactory(municipality=casework.case.municipality)
    etag = client.get(case_url)["ETag"]
    measures = Measure.objects.filter(case=casework.case).count()

    assert _invalid(
        client.patch(case_url, {"assignedTo": outsider.pk}, format="json", HTTP_IF_MATCH=etag)
    ) == {"assignedTo": "Onbekende of niet toegestane medewerker."}
    assert _invalid(
        client.post(f"{case_url}/measures", {"kind": "warning", "handedToId": elsewhere.pk}, format="json")
    ) == {"handedToId": "Onbekende organisatie."}
    assert _invalid(client.post(f"{case_url}/findings", {"addressId": not_on_route.pk}, format="json")) == {
        "addressId": "Onbekend adres."
    }
    assert _invalid(
        client.post(f"{case_url}/participants", {"organisationId": elsewhere.pk}, format="json")
    ) == {"organisationId": "Onbekende organisatie."}
    opened = client.post(
        "/api/v1/cases",
        {"kind": "house_visit", "title": "Poging", "signalIds": [foreign_signal.pk]},
        format="json",
    )
    assert _invalid(opened) == {"signalIds": "Een of meer meldingen bestaan niet."}
    assert Case.objects.filter(title="Poging").count() == 0
    assert Measure.objects.filter(case=casework.case).count() == measures


def test_a_change_of_a_melding_is_applied_whole_or_not_at_all(
    casework: Casework, api_as: Callable[[str], APIClient]
) -> None:
    client = api_as(Role.ENFORCEMENT)
    url = f"/api/v1/signals/{casework.signal.pk}"
    elsewhere = f.AddressFactory(municipality=casework.signal.municipality)
    closed = client.patch(
        url, {"status": "closed", "result": "referred"}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"]
    )
    assert closed.status_code == 200
    before = Signal.objects.get(pk=casework.signal.pk)
    # The address would be resolved, then the second close refused: neither may stay.
    again = client.patch(
        url,
        {"addressId": elsewhere.pk, "status": "closed", "result": "referred"},
        format="json",
        HTTP_IF_MATCH=closed["ETag"],
    )
    assert again.status_code == 400
    after = Signal.objects.get(pk=casework.signal.pk)
    assert (after.address_id, after.version) == (before.address_id, before.version)


def test_closing_a_melding_without_a_result_is_refused_before_anything_changes(
    casework: Casework, api_as: Callable[[str], APIClient]
) -> None:
    client = api_as(Role.ENFORCEMENT)
    url = f"/api/v1/signals/{casework.signal.pk}"
    version = Signal.objects.get(pk=casework.signal.pk).version
    refused = client.patch(
        url, {"category": "nuisance", "status": "closed"}, format="json", HTTP_IF_MATCH=f'"{version}"'
    )
    assert _invalid(refused) == {"result": "Sluiten vraagt om een resultaat."}
    assert Signal.objects.get(pk=casework.signal.pk).version == version


def test_a_services_field_error_is_named_as_the_api_names_the_field(
    casework: Casework, api_as: Callable[[str], APIClient]
) -> None:
    client = api_as(Role.ENFORCEMENT)
    url = f"/api/v1/cases/{casework.case.pk}"
    before_opening = casework.case.opened_on.replace(year=casework.case.opened_on.year - 1).isoformat()
    refused = client.post(
        f"{url}/close",
        {"result": "no_violation", "closedOn": before_opening},
        format="json",
        HTTP_IF_MATCH=client.get(url)["ETag"],
    )
    assert set(_invalid(refused)) == {"closedOn"}


# The edge's rules, checked over every module of the API (see api.viewsets and api.problems).
SRC = Path(__file__).resolve().parent.parent / "src" / "ketenregie"
API_MODULES = sorted(
    path
    for path in SRC.rglob("*.py")
    if (path.stem == "api" or path.stem.startswith("api_") or path == SRC / "api" / "views.py")
    and "migrations" not in path.parts
)
# Errors the exception handler answers; a viewset that catches them answers differently from the rest.
HANDLED_ERRORS = {"ValidationError", "DjangoValidationError", "ConcurrentEditError", "PermissionDenied"}
MAX_VIEWSET_LINES = 150


def _caught(handler: ast.ExceptHandler) -> set[str]:
    if handler.type is None:
        return {"(everything)"}
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {ast.unparse(name).rsplit(".", 1)[-1] for name in names}


def edge_violations(source: str, name: str) -> list[str]:
    """What breaks the edge's rules in one module: caught errors that belong to the handler, and API
    classes (views and viewsets) of ``MAX_VIEWSET_LINES`` lines or more."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ExceptHandler) and _caught(node) & HANDLED_ERRORS:
            found.append(f"{name}:{node.lineno} catches {', '.join(sorted(_caught(node) & HANDLED_ERRORS))}")
        if isinstance(node, ast.ClassDef) and any(
            ast.unparse(base).endswith(("ViewSet", "APIView", "View")) for base in node.bases
        ):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines >= MAX_VIEWSET_LINES:
                found.append(f"{name}:{node.lineno} {node.name} has {lines} lines")
    return found


def test_the_edge_rules_can_fail() -> None:
    bad = (
        "class Big(ApiViewSet):\n"
        + "    x = 1\n" * 200
        + ("def f():\n    try:\n        pass\n    except DjangoValidationError:\n        pass\n")
    )
    assert len(edge_violations(bad, "bad.py")) == 2


def test_no_viewset_catches_what_the_handler_answers_and_each_stays_thin() -> None:
    assert API_MODULES, "no API modules found"
    violations = [
        problem
        for path in API_MODULES
        for problem in edge_violations(path.read_text(), str(path.relative_to(SRC)))
    ]
    assert violations == []


def test_a_services_error_on_a_resolved_record_is_named_as_the_body_named_it(
    casework: Casework, api_as: Callable[[str], APIClient]
) -> None:
    # A care referral names whom it goes to: the model refuses ``handed_to``, the body's field is handedToId.
    refused = api_as(Role.ENFORCEMENT).post(
        f"/api/v1/cases/{casework.case.pk}/measures", {"kind": "care_referral"}, format="json"
    )
    assert set(_invalid(refused)) == {"handedToId"}


def test_a_list_of_ids_is_bounded(casework: Casework, api_as: Callable[[str], APIClient]) -> None:
    response = api_as(Role.ENFORCEMENT).post(
        "/api/v1/cases",
        {"kind": "house_visit", "title": "Veel", "signalIds": list(range(1, 502))},
        format="json",
    )
    assert set(_invalid(response)) == {"signalIds"}
