"""The edges of deliveries: what a refusal tells a partner, the trace and the price of refusals, the
upload page's obligation, the size of an API body, and who delivers whose employments."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from ketenregie.api.parsers import JSONBodyParser, PayloadTooLarge
from ketenregie.core.models import AuditEvent, Municipality, Organisation, Role
from ketenregie.deliveries import selectors
from ketenregie.deliveries.models import Delivery, DeliveryObligation, RefusedDelivery
from ketenregie.employers.models import Employer, Employment
from ketenregie.people.models import Person
from tests import factories as f

PROBLEM = "application/problem+json"


@pytest.fixture
def agency(municipality: Municipality) -> Employer:
    return f.EmployerFactory(municipality=municipality, kvk_number="12345678", name="Flex B.V.")


@pytest.fixture
def hirer(municipality: Municipality) -> Employer:
    return f.EmployerFactory(municipality=municipality, kvk_number="87654321", kind="hirer", name="Kas B.V.")


def _partner_is(personas: dict[str, Any], employer: Employer) -> None:
    Organisation.objects.filter(memberships__user=personas[Role.PARTNER]).update(
        kvk_number=employer.kvk_number
    )


def _employment(bsn: str, employer: str = "12345678", hirer: str = "") -> dict[str, str]:
    row = {"bsn": bsn, "employerKvk": employer, "startsOn": "2025-03-01"}
    if hirer:
        row["hirerKvk"] = hirer
    return row


def _said(message: str, **values: Any) -> set[str]:
    """The message as the API may answer it: in English or Dutch (the account's language)."""
    said = set()
    for language in ("en", "nl"):
        with translation.override(language):
            said.add(translation.gettext(message) % values if values else translation.gettext(message))
    return said


def _reasons(response: Any) -> dict[str, str]:
    return {p["name"]: p["reason"] for p in response.json()["invalidParams"]}


# 1. Refusals: worded without confirming the register to a partner, kept, and throttled


def test_a_partners_refusal_does_not_say_whether_a_bsn_is_in_the_register(
    api_as: Callable[[str], APIClient], personas: dict[str, Any], agency: Employer
) -> None:
    _partner_is(personas, agency)
    unknown = "111222333"  # passes the 11-test, nobody has it
    response = api_as(Role.PARTNER).post(
        "/api/v1/employments/", {"rows": [_employment(unknown)]}, format="json"
    )
    assert response.status_code == 400
    reason = _reasons(response)["rows[0].bsn"]
    assert reason in _said("This row cannot be accepted: check the BSN.")
    staff = api_as(Role.CIVIL_AFFAIRS).post(
        "/api/v1/employments/",
        {"employerKvk": agency.kvk_number, "rows": [_employment(unknown)]},
        format="json",
    )
    assert _reasons(staff)["rows[0].bsn"] in _said("No person with this BSN is in the register.")


def test_a_partners_refusal_does_not_confirm_two_rows_are_one_registered_person(
    api_as: Callable[[str], APIClient], personas: dict[str, Any], municipality: Municipality
) -> None:
    provider = f.EmployerFactory(municipality=municipality, kvk_number="24000001")
    _partner_is(personas, provider)
    f.AddressFactory(municipality=municipality, postcode="3077AW", house_number=1, house_letter="")
    person = f.PersonFactory(
        municipality=municipality, surname="Nowak", given_names="Anna", birth_date=dt.date(1990, 5, 17)
    )
    common = {"nationality": "PL", "postcode": "3077AW", "houseNumber": 1}
    rows = [
        {"bsn": person.bsn, "surname": "Nowak", "givenNames": "Anna", "birthDate": "1990-05-17", **common},
        {"surname": "Nowak", "givenNames": "Anna", "birthDate": "1990-05-17", **common},
    ]
    response = api_as(Role.PARTNER).post("/api/v1/labour-migrants/", {"rows": rows}, format="json")
    assert response.status_code == 400, response.content
    reasons = _reasons(response)
    assert set(reasons) == {"rows[0].surname", "rows[1].surname"}
    assert set(reasons.values()) <= _said(
        "Rows %(rows)s cannot be accepted together: check their BSN, names and dates of birth.", rows="2, 3"
    )


def test_a_refused_delivery_is_kept_with_counts_only_and_listed_for_staff(
    api_as: Callable[[str], APIClient],
    client_as: Callable[[str], Any],
    personas: dict[str, Any],
    agency: Employer,
) -> None:
    _partner_is(personas, agency)
    bsn = "111222333"
    response = api_as(Role.PARTNER).post("/api/v1/employments/", {"rows": [_employment(bsn)]}, format="json")
    assert response.status_code == 400
    assert not Delivery.objects.exists()
    refused = RefusedDelivery.objects.get()
    assert (refused.employer, refused.kind, refused.row_count, refused.error_count) == (
        agency,
        "employments",
        1,
        1,
    )
    assert refused.delivered_by == personas[Role.PARTNER]
    event = AuditEvent.objects.get(object_type__endswith="refuseddelivery")
    assert bsn not in json.dumps(event.detail or {})
    page = client_as(Role.CIVIL_AFFAIRS).get(reverse("deliveries:delivery_list")).content.decode()
    assert "Refused deliveries" in page
    assert "Flex B.V." in page
    assert bsn not in page


def test_a_refused_upload_is_kept_too(client_as: Callable[[str], Any], agency: Employer) -> None:
    upload = SimpleUploadedFile("lijst.csv", b"bsn;employer_kvk;starts_on\n111222333;12345678;2025-03-01\n")
    client_as(Role.CIVIL_AFFAIRS).post(
        reverse("web:import"),
        {"kind": "employments", "file": upload, "employer": agency.pk, "obligation": ""},
    )
    refused = RefusedDelivery.objects.get()
    assert (refused.channel, refused.row_count, refused.error_count) == ("upload", 1, 1)


def test_a_partner_that_delivers_too_often_gets_a_429_and_staff_do_not(
    api_as: Callable[[str], APIClient], personas: dict[str, Any], agency: Employer, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "delivery": "2/hour"},
    }
    cache.clear()
    _partner_is(personas, agency)
    partner = api_as(Role.PARTNER)
    body = {"rows": [_employment("111222333")]}
    assert [partner.post("/api/v1/employments/", body, format="json").status_code for _ in range(2)] == [
        400,
        400,
    ]
    third = partner.post("/api/v1/employments/", body, format="json")
    assert third.status_code == 429
    assert third["Content-Type"] == PROBLEM
    assert "Retry-After" in third
    staff = api_as(Role.CIVIL_AFFAIRS)
    staff_body = {**body, "employerKvk": agency.kvk_number}
    codes = {staff.post("/api/v1/employments/", staff_body, format="json").status_code for _ in range(3)}
    assert codes == {400}


# 2. The upload page's obligation as a browser sends it


def test_an_untouched_obligation_on_the_upload_page_follows_the_membership(
    client_as: Callable[[str], Any], agency: Employer, municipality: Municipality
) -> None:
    person = f.PersonFactory(municipality=municipality)
    client = client_as(Role.CIVIL_AFFAIRS)
    page = client.get(reverse("web:import")).content.decode()
    select = re.search(r'<select name="obligation"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    first = re.search(r'<option value="([^"]*)"', select.group(1))
    assert first is not None
    upload = SimpleUploadedFile(
        "lijst.csv", f"bsn;employer_kvk;starts_on\n{person.bsn};12345678;2025-03-01\n".encode()
    )
    response = client.post(
        reverse("web:import"),
        {"kind": "employments", "file": upload, "employer": agency.pk, "obligation": first.group(1)},
    )
    assert response.status_code == 200
    # The agency is no covenant member: its delivery is voluntary, not a covenant delivery.
    assert Delivery.objects.get().obligation == DeliveryObligation.VOLUNTARY


# 3. The size of an API body


def test_a_body_over_the_apis_limit_is_a_413_before_it_is_read(
    api_as: Callable[[str], APIClient], settings: Any, agency: Employer
) -> None:
    settings.IMPORT_MAX_BYTES = 1024
    rows = [_employment("111222333") for _ in range(40)]
    body = json.dumps({"employerKvk": agency.kvk_number, "rows": rows})
    assert len(body) > 1024
    response = api_as(Role.CIVIL_AFFAIRS).post("/api/v1/employments/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "requestTooLarge"
    assert not RefusedDelivery.objects.exists()


def test_a_chunked_body_is_cut_off_at_the_limit(settings: Any) -> None:
    settings.API_MAX_BODY_BYTES = 1024

    class Request:
        META: dict[str, str] = {}  # no Content-Length, as with chunked transfer encoding

    stream = io.BytesIO(b'{"x": "' + b"a" * 5000 + b'"}')
    with pytest.raises(PayloadTooLarge):
        JSONBodyParser().parse(stream, parser_context={"request": Request(), "view": None})
    assert stream.tell() == 1025
    small = io.BytesIO(b'{"x": 1}')
    assert JSONBodyParser().parse(small, parser_context={"request": Request(), "view": None}) == {"x": 1}


def test_a_bewoning_body_over_the_apis_limit_is_a_foutbericht(
    api_as: Callable[[str], APIClient], settings: Any
) -> None:
    settings.API_MAX_BODY_BYTES = 1024
    body = '{"type": "BewoningMetPeildatum", "x": "%s"}' % ("a" * 2000)
    response = api_as(Role.ENFORCEMENT).post("/api/v1/brp/bewoningen", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "payloadTooLarge"


# 4. A hirer does not write its agency's employments


def test_a_partner_that_is_the_hirer_cannot_deliver_the_agencys_employments(
    api_as: Callable[[str], APIClient],
    personas: dict[str, Any],
    agency: Employer,
    hirer: Employer,
    municipality: Municipality,
) -> None:
    person: Person = f.PersonFactory(municipality=municipality)
    _partner_is(personas, hirer)
    rows = [_employment(person.bsn, employer=agency.kvk_number, hirer=hirer.kvk_number)]
    response = api_as(Role.PARTNER).post("/api/v1/employments/", {"rows": rows}, format="json")
    assert response.status_code == 400
    reason = _reasons(response)["rows[0].employerKvk"]
    assert "employer_kvk" in reason
    assert hirer.kvk_number in reason
    assert not Employment.objects.exists()
    # The agency delivers the same row itself.
    _partner_is(personas, agency)
    assert api_as(Role.PARTNER).post("/api/v1/employments/", {"rows": rows}, format="json").status_code == 201


# 5. A repeated delivery is shown; the covenant overview's export is audited


def _delivered(employer: Employer, day: int, checksum: str) -> Delivery:
    delivery = Delivery.objects.create(
        municipality=employer.municipality,
        kind="employments",
        source="agency",
        employer=employer,
        channel="api",
        checksum=checksum,
    )
    when = timezone.make_aware(dt.datetime(2025, 3, day, 9, 0))
    Delivery.objects.filter(pk=delivery.pk).update(delivered_at=when)
    return delivery


def test_a_delivery_identical_to_the_deliverers_previous_one_is_shown_as_a_repeat(
    client_as: Callable[[str], Any], actor_for: Callable[[str], Any], agency: Employer, hirer: Employer
) -> None:
    _delivered(agency, 1, "a" * 64)
    repeat = _delivered(agency, 2, "a" * 64)
    changed = _delivered(agency, 3, "b" * 64)
    _delivered(hirer, 4, "b" * 64)  # another deliverer's identical data is no repeat
    client = client_as(Role.CIVIL_AFFAIRS)
    page = client.get(reverse("deliveries:delivery_list")).content.decode()
    assert page.count("same file as the delivery of") == 1
    assert "same file as the delivery of 01-03-2025 09:00" in page
    employer_page = client.get(reverse("employers:employer_detail", args=[agency.pk])).content.decode()
    assert employer_page.count("same file as the delivery of") == 1
    assert "<title>Flex B.V." in employer_page.replace("\n", "")
    repeats = {
        d.pk: d.repeats_delivered_at
        for d in selectors.employer_deliveries(actor=actor_for(Role.POLICY), employer=agency)
    }
    assert repeats[repeat.pk] is not None
    assert repeats[changed.pk] is None


def test_the_covenant_overview_export_is_recorded_in_the_audit_trail(
    client_as: Callable[[str], Any], municipality: Municipality
) -> None:
    covenant = f.CovenantFactory(municipality=municipality)
    f.CovenantMembershipFactory(municipality=municipality, covenant=covenant, employer__name="Zeta Flex")
    url = reverse("employers:covenant_deliveries", args=[covenant.pk])
    export = client_as(Role.POLICY).get(url, {"export": "xlsx", "status": "overdue"})
    assert export.status_code == 200
    event = AuditEvent.objects.get(action="export")
    assert event.detail is not None
    assert (event.detail["rows"], event.detail["format"]) == (1, "xlsx")
    assert event.detail["filters"]["status"] == "overdue"
    client_as(Role.POLICY).get(url)
    assert AuditEvent.objects.filter(action="export").count() == 1


def test_a_delivery_refused_for_the_shape_of_its_rows_is_kept_too(
    api_as: Callable[[str], APIClient], personas: dict[str, Any], agency: Employer
) -> None:
    """Refused before the runner (a row without its BSN), but the deliverer is known: a trace all the same."""
    _partner_is(personas, agency)
    row = {k: v for k, v in _employment("111222333").items() if k != "bsn"}
    response = api_as(Role.PARTNER).post("/api/v1/employments/", {"rows": [row]}, format="json")
    assert response.status_code == 400
    refused = RefusedDelivery.objects.get()
    assert (refused.employer, refused.row_count, refused.error_count) == (agency, 1, 1)
