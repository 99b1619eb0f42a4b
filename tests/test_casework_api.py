"""/api/v1/signals/ and /api/v1/cases/: the open melding endpoint, triage and closing, nested cases,
optimistic locking with ETag and If-Match, and problem+json errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from ketenregie.cases.models import Case, Finding
from ketenregie.signals.models import Signal, SignalStatus
from tests.conftest import Casework, World

pytestmark = pytest.mark.django_db


def public_melding(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "municipality": "0599",
        "category": "overcrowding",
        "description": "Minstens tien mannen wonen in deze kleine woning, elke ochtend busjes.",
        "address": {"postcode": "3077 AW", "houseNumber": 1},
        "reporter": {"email": "buur@example.nl", "language": "nl"},
    }
    body.update(overrides)
    return body


def test_the_public_submits_a_melding_without_logging_in(world: World) -> None:
    response = APIClient().post(
        "/api/v1/signals/",
        public_melding(address={"postcode": "3077AW", "houseNumber": world.address.house_number}),
        format="json",
    )
    assert response.status_code == 201
    signal = Signal.objects.get(pk=response.json()["id"])
    assert signal.address == world.address
    assert signal.channel == "portal"
    assert response.json()["needsAddress"] is False


def test_a_public_melding_with_an_unknown_address_is_accepted_and_flagged(world: World) -> None:
    response = APIClient().post(
        "/api/v1/signals/", public_melding(address={"postcode": "9999ZZ", "houseNumber": 3}), format="json"
    )
    assert response.status_code == 201
    assert response.json()["needsAddress"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (public_melding(description="kort"), "description"),
        (public_melding(municipality="1234"), "municipality"),
        (public_melding(category="aliens"), "category"),
        (public_melding(address={"postcode": "ABCD", "houseNumber": 1}), "address.postcode"),
        (public_melding(reporter={"email": "geen-adres"}), "reporter.email"),
        ({k: v for k, v in public_melding().items() if k != "municipality"}, "municipality"),
    ],
)
def test_bad_public_meldingen_get_a_problem_naming_the_field_and_nothing_is_saved(
    world: World, body: dict[str, Any], field: str
) -> None:
    response = APIClient().post("/api/v1/signals/", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in {param["name"] for param in response.json()["invalidParams"]}
    assert not Signal.objects.exists()


def test_the_open_endpoint_is_rate_limited_per_client(world: World, settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "signal_submit": "3/hour",
        },
    }
    client = APIClient()
    statuses = [
        client.post("/api/v1/signals/", public_melding(), format="json").status_code for _ in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    assert Signal.objects.count() == 3


def test_triage_and_close_through_the_api_with_if_match(
    casework: Casework, api_as: Callable[[str], APIClient], django_capture_on_commit_callbacks: Any
) -> None:
    client = api_as("enforcement")
    url = f"/api/v1/signals/{casework.signal.pk}/"
    read = client.get(url)
    etag = read["ETag"]
    assert "reporterName" not in read.json()
    assert client.patch(url, {"category": "nuisance"}, format="json").status_code == 428
    changed = client.patch(url, {"category": "nuisance"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["mainCategory"] == "nuisance"
    stale = client.patch(url, {"status": "closed", "result": "referred"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    with django_capture_on_commit_callbacks(execute=True):
        closed = client.patch(
            url, {"status": "closed", "result": "referred"}, format="json", HTTP_IF_MATCH=changed["ETag"]
        )
    assert closed.json()["status"] == SignalStatus.CLOSED
    assert Signal.objects.get(pk=casework.signal.pk).reporter_informed_at is not None


def test_the_reporter_endpoint_returns_contact_details_and_records_the_read(
    casework: Casework, api_as: Callable[[str], APIClient]
) -> None:
    from ketenregie.core.models import AuditEvent

    response = api_as("enforcement").get(f"/api/v1/signals/{casework.signal.pk}/reporter/")
    assert response.json()["email"] == "jan.buurman@example.nl"
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(detail__context="api_signal_reporter").exists()


def test_a_case_comes_with_its_participants_findings_measures_and_timeline(
    casework: Casework, api_as: Callable[[str], APIClient]
) -> None:
    body = api_as("enforcement").get(f"/api/v1/cases/{casework.case.pk}/").json()
    assert body["case"]["reference"] == casework.case.reference
    assert {p["organisation"] for p in body["participants"]} >= {casework.nla.name, casework.police.name}
    assert body["findings"][0]["violationFound"] is True
    assert body["findings"][0]["unregisteredPersons"] == 8
    assert body["registrationForms"][0]["surname"] == "Zieliński"
    assert {m["kind"] for m in body["measures"]} == {"penalty_order", "handover"}
    assert body["handovers"][0]["toOrganisation"] == casework.nla.name
    assert body["timeline"][0]["kind"] == "handover"
    assert body["hiddenCategories"] == []


def test_opening_recording_and_closing_a_case_through_the_api(
    world: World, api_as: Callable[[str], APIClient], actor_for: Callable[[str], Any]
) -> None:
    from ketenregie.signals.intake import SignalIntake, signal_create_initial

    signal = signal_create_initial(
        SignalIntake(
            municipality=world.address.municipality,
            description="Er wonen heel veel mensen in deze kleine woning.",
            address=world.address,
        ),
        actor=actor_for("enforcement"),
    )
    client = api_as("enforcement")
    created = client.post(
        "/api/v1/cases/",
        {"kind": "house_visit", "title": "Huisbezoek", "signalIds": [signal.pk]},
        format="json",
    )
    assert created.status_code == 201
    case_id = created.json()["case"]["id"]
    assert created.json()["addresses"][0]["addressId"] == world.address.pk
    finding = client.post(
        f"/api/v1/cases/{case_id}/findings/",
        {"addressId": world.address.pk, "personsFound": 6, "unregisteredPersons": 2},
        format="json",
    )
    assert finding.status_code == 201
    assert finding.json()["overcrowded"] is True
    etag = client.get(f"/api/v1/cases/{case_id}/")["ETag"]
    closed = client.post(
        f"/api/v1/cases/{case_id}/close/", {"result": "violation"}, format="json", HTTP_IF_MATCH=etag
    )
    assert closed.status_code == 200
    assert closed.json()["case"]["status"] == "closed"
    assert Signal.objects.get(pk=signal.pk).result == "confirmed"
    again = client.post(
        f"/api/v1/cases/{case_id}/close/", {"result": "violation"}, format="json", HTTP_IF_MATCH=etag
    )
    assert again.status_code == 412
    etag = client.get(f"/api/v1/cases/{case_id}/")["ETag"]
    no_reason = client.post(f"/api/v1/cases/{case_id}/reopen/", {}, format="json", HTTP_IF_MATCH=etag)
    assert no_reason.status_code == 400
    reopened = client.post(
        f"/api/v1/cases/{case_id}/reopen/", {"reason": "Nieuwe feiten"}, format="json", HTTP_IF_MATCH=etag
    )
    assert reopened.status_code == 200
    assert (reopened.json()["case"]["status"], reopened.json()["case"]["result"]) == ("investigating", "")
    assert api_as("partner").post(
        f"/api/v1/cases/{case_id}/reopen/", {"reason": "x"}, format="json", HTTP_IF_MATCH=etag
    ).status_code in (403, 404)


def test_an_impossible_finding_through_the_api_is_a_problem_and_saves_nothing(
    casework: Casework, api_as: Callable[[str], APIClient]
) -> None:
    before = Finding.objects.count()
    response = api_as("enforcement").post(
        f"/api/v1/cases/{casework.case.pk}/findings/",
        {"addressId": casework.finding.address_id, "personsFound": 1, "unregisteredPersons": 4},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "unregisteredPersons"
    assert Finding.objects.count() == before


def test_a_penalty_order_without_a_deadline_is_refused_through_the_api(
    casework: Casework, api_as: Callable[[str], APIClient]
) -> None:
    response = api_as("enforcement").post(
        f"/api/v1/cases/{casework.case.pk}/measures/",
        {"kind": "penalty_order", "amount": "500.00"},
        format="json",
    )
    assert response.status_code == 400
    assert "deadline" in {p["name"] for p in response.json()["invalidParams"]}


def test_the_zgw_export_is_zgw_shaped(
    casework: Casework, api_as: Callable[[str], APIClient], settings: Any
) -> None:
    settings.ZGW_RSIN = "002220647"
    body = api_as("enforcement").get(f"/api/v1/cases/{casework.case.pk}/zgw/").json()
    assert set(body) == {"zaak", "status", "resultaat", "zaakobjecten", "rollen"}
    assert body["zaak"]["identificatie"] == Case.objects.get(pk=casework.case.pk).reference
