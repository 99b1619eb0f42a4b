"""Deliveries of employments (issue 12 part 1) and who delivered what (part 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportRejected, run_import
from ketenregie.core.models import AuditEvent, Organisation, Role
from ketenregie.deliveries import selectors
from ketenregie.deliveries.employments import EmploymentImporter
from ketenregie.deliveries.models import Delivery, DeliveryChannel, DeliveryKind, DeliveryObligation
from ketenregie.deliveries.services import DeliveryContext
from ketenregie.employers.models import Employment
from tests import factories as f

HEADER = "bsn;employer_kvk;hirer_kvk;starts_on;ends_on\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def _context(employer: Any = None) -> DeliveryContext:
    return DeliveryContext(kind=DeliveryKind.EMPLOYMENTS, source="agency", employer=employer)


def _run(actor: Actor, data: bytes, employer: Any = None) -> Any:
    return run_import(actor=actor, importer=EmploymentImporter(_context(employer)), data=data)


@pytest.fixture
def setup(municipality: Any) -> dict[str, Any]:
    return {
        "agency": f.EmployerFactory(municipality=municipality, kvk_number="12345678"),
        "hirer": f.EmployerFactory(municipality=municipality, kvk_number="87654321", kind="hirer"),
        "person": f.PersonFactory(municipality=municipality),
        "other": f.PersonFactory(municipality=municipality),
    }


@pytest.fixture
def system(municipality: Any) -> Actor:
    return Actor.system(municipality, name="test")


def test_a_delivery_creates_employments_and_records_itself(system: Actor, setup: dict[str, Any]) -> None:
    data = _csv(
        f"{setup['person'].bsn};12345678;87654321;2025-03-01;",
        f"{setup['other'].bsn};12345678;;01-04-2025;2025-06-30",
    )
    result = _run(system, data, employer=setup["agency"])
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    placed = Employment.objects.get(person=setup["person"])
    assert placed.hirer == setup["hirer"]
    assert placed.employer == setup["agency"]
    assert placed.ends_on is None
    assert Employment.objects.get(person=setup["other"]).starts_on == dt.date(2025, 4, 1)
    delivery = Delivery.objects.get()
    assert (delivery.employer, delivery.row_count, delivery.created_count) == (setup["agency"], 2, 2)
    assert AuditEvent.objects.filter(object_type__endswith="delivery", action="import").exists()


def test_a_later_delivery_closes_the_employment_instead_of_adding_one(
    system: Actor, setup: dict[str, Any]
) -> None:
    bsn = setup["person"].bsn
    _run(system, _csv(f"{bsn};12345678;87654321;2025-03-01;"))
    result = _run(system, _csv(f"{bsn};12345678;87654321;2025-03-01;2025-09-30"))
    assert (result.created, result.updated) == (0, 1)
    employment = Employment.objects.get(person=setup["person"])
    assert employment.ends_on == dt.date(2025, 9, 30)


def test_an_empty_end_never_reopens_an_ended_employment(system: Actor, setup: dict[str, Any]) -> None:
    bsn = setup["person"].bsn
    _run(system, _csv(f"{bsn};12345678;;2025-03-01;2025-05-01"))
    result = _run(system, _csv(f"{bsn};12345678;;2025-03-01;"))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert Employment.objects.get(person=setup["person"]).ends_on == dt.date(2025, 5, 1)


def test_the_same_file_twice_changes_nothing(system: Actor, setup: dict[str, Any]) -> None:
    data = _csv(f"{setup['person'].bsn};12345678;87654321;2025-03-01;2025-04-01")
    _run(system, data)
    result = _run(system, data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert Employment.objects.count() == 1
    # Both are recorded as deliveries: delivering the same list again is still delivering.
    assert Delivery.objects.count() == 2


def test_bad_rows_refuse_the_whole_file_naming_row_and_column(system: Actor, setup: dict[str, Any]) -> None:
    bsn = setup["person"].bsn
    data = _csv(
        f"{bsn};12345678;;2025-03-01;",  # good, but the file is refused
        "111222333;12345678;;2025-03-01;",  # 11-test fails
        f"{bsn};99999999;;2025-03-01;",  # unknown employer
        f"{setup['other'].bsn};12345678;11111111;2025-02-30;",  # unknown hirer, impossible date
        f"{setup['other'].bsn};12345678;;2025-03-01;2025-02-01",  # end before start
        "999999990;12345678;;2025-03-01;",  # valid BSN, not in the register
    )
    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        _run(system, data)
    found = {(e.row, e.column) for e in rejected.value.errors}
    assert found == {(3, "bsn"), (4, "employer_kvk"), (5, "starts_on"), (6, "ends_on"), (7, "bsn")}
    messages = " ".join(e.message for e in rejected.value.errors)
    assert "99999999 is not an employer known" in messages
    assert "2025-02-30" in messages
    assert "999999990" not in messages  # a BSN is not echoed
    assert Employment.objects.count() == 0
    assert Delivery.objects.count() == 0


def test_an_unknown_hirer_is_named_once_the_date_is_right(system: Actor, setup: dict[str, Any]) -> None:
    with pytest.raises(ImportRejected) as rejected:
        _run(system, _csv(f"{setup['person'].bsn};12345678;11111111;2025-03-01;"))
    assert [(e.row, e.column) for e in rejected.value.errors] == [(2, "hirer_kvk")]


def test_the_same_employment_twice_in_one_file_is_refused(system: Actor, setup: dict[str, Any]) -> None:
    row = f"{setup['person'].bsn};12345678;;2025-03-01;"
    with pytest.raises(ImportRejected) as rejected:
        _run(system, _csv(row, row))
    assert {e.row for e in rejected.value.errors} == {2, 3}


def test_a_deliverer_delivers_only_its_own_employments(system: Actor, setup: dict[str, Any]) -> None:
    stranger = f.EmployerFactory(municipality=setup["agency"].municipality, kvk_number="55555555")
    data = _csv(f"{setup['person'].bsn};55555555;;2025-03-01;", f"{setup['other'].bsn};12345678;;2025-03-01;")
    with pytest.raises(ImportRejected) as rejected:
        _run(system, data, employer=setup["agency"])
    assert [(e.row, e.column) for e in rejected.value.errors] == [(2, "employer_kvk")]
    assert stranger.employments.count() == 0


def test_another_municipalitys_people_and_employers_are_unknown(
    system: Actor, setup: dict[str, Any], other_municipality: Any
) -> None:
    foreigner = f.PersonFactory(municipality=other_municipality)
    f.EmployerFactory(municipality=other_municipality, kvk_number="44444444")
    with pytest.raises(ImportRejected) as rejected:
        _run(system, _csv(f"{foreigner.bsn};44444444;;2025-03-01;"))
    assert {e.column for e in rejected.value.errors} == {"bsn", "employer_kvk"}


# The command and the staff import page


def test_the_command_imports_a_delivery_for_a_named_employer(
    tmp_path: Path, setup: dict[str, Any], municipality: Any
) -> None:
    path = tmp_path / "werk.csv"
    path.write_bytes(_csv(f"{setup['person'].bsn};12345678;;2025-03-01;"))
    call_command(
        "import_csv", str(path), "--kind", "employments", "--municipality", "0599", "--employer", "12345678"
    )
    delivery = Delivery.objects.get()
    assert delivery.employer == setup["agency"]
    assert delivery.channel == DeliveryChannel.FILE
    assert delivery.file_name == "werk.csv"
    assert len(delivery.checksum) == 64
    with translation.override("en"), pytest.raises(CommandError, match="not an employer known"):
        call_command(
            "import_csv",
            str(path),
            "--kind",
            "employments",
            "--municipality",
            "0599",
            "--employer",
            "99999999",
        )


def test_the_command_refuses_a_bad_file(tmp_path: Path, setup: dict[str, Any], municipality: Any) -> None:
    path = tmp_path / "werk.csv"
    path.write_bytes(_csv(f"{setup['person'].bsn};12345678;;2025-13-01;"))
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_csv", str(path), "--kind", "employments", "--municipality", "0599")
    assert Employment.objects.count() == 0


def test_civil_affairs_uploads_a_delivery_on_the_import_page(
    client_as: Callable[[str], Any], setup: dict[str, Any]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(Role.CIVIL_AFFAIRS)
    upload = SimpleUploadedFile("lijst.csv", _csv(f"{setup['person'].bsn};12345678;;2025-03-01;"))
    response = client.post(reverse("web:import"), {"kind": "employments", "file": upload})
    assert "Name the employer" in response.content.decode()
    upload.seek(0)
    response = client.post(
        reverse("web:import"), {"kind": "employments", "file": upload, "employer": setup["agency"].pk}
    )
    assert response.status_code == 200, response.content
    assert Delivery.objects.get().channel == DeliveryChannel.UPLOAD
    assert Employment.objects.filter(employer=setup["agency"]).count() == 1


# The API


def _body(setup: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "rows": [
            {
                "bsn": setup["person"].bsn,
                "employerKvk": "12345678",
                "hirerKvk": "87654321",
                "startsOn": "2025-03-01",
            },
        ],
        **extra,
    }


def _partner_of(setup: dict[str, Any], personas: dict[str, Any], kvk: str = "12345678") -> None:
    organisation = Organisation.objects.get(memberships__user=personas[Role.PARTNER])
    organisation.kvk_number = kvk
    organisation.save()


def test_a_partner_delivers_for_its_own_employer_through_the_api(
    api_as: Callable[[str], Any], setup: dict[str, Any], personas: dict[str, Any]
) -> None:
    _partner_of(setup, personas)
    response = api_as(Role.PARTNER).post("/api/v1/employments/", _body(setup), format="json")
    assert response.status_code == 201, response.content
    delivery = Delivery.objects.get(pk=response.json()["id"])
    assert delivery.employer == setup["agency"]
    assert delivery.channel == DeliveryChannel.API
    # A partner learns the delivery and its size, not what the register already held.
    assert response.json() == {"id": delivery.pk, "rowCount": 1}
    assert delivery.created_count == 1


def test_a_partner_cannot_deliver_for_another_employer(
    api_as: Callable[[str], Any], setup: dict[str, Any], personas: dict[str, Any]
) -> None:
    _partner_of(setup, personas)
    response = api_as(Role.PARTNER).post(
        "/api/v1/employments/", _body(setup, employerKvk="87654321"), format="json"
    )
    assert response.status_code == 403
    assert Employment.objects.count() == 0


def test_a_partner_whose_organisation_is_no_employer_cannot_deliver(
    api_as: Callable[[str], Any], setup: dict[str, Any]
) -> None:
    response = api_as(Role.PARTNER).post("/api/v1/employments/", _body(setup), format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("role", [Role.ENFORCEMENT, Role.POLICY, Role.PRIVACY_OFFICER])
def test_roles_without_the_capability_cannot_deliver(
    api_as: Callable[[str], Any], setup: dict[str, Any], role: str
) -> None:
    response = api_as(role).post("/api/v1/employments/", _body(setup, employerKvk="12345678"), format="json")
    assert response.status_code == 403


def test_bad_rows_are_a_400_naming_each_row_and_field(
    api_as: Callable[[str], Any], setup: dict[str, Any]
) -> None:
    body = _body(setup, employerKvk="12345678")
    body["rows"].append({"bsn": setup["other"].bsn, "employerKvk": "12345678", "startsOn": "2025-02-30"})
    body["rows"].append(
        {
            "bsn": setup["other"].bsn,
            "employerKvk": "12345678",
            "hirerKvk": "22222222",
            "startsOn": "2025-03-01",
        }
    )
    response = api_as(Role.CIVIL_AFFAIRS).post("/api/v1/employments/", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert names == {"rows[1].startsOn", "rows[2].hirerKvk"}
    assert Employment.objects.count() == 0
    assert Delivery.objects.count() == 0


def test_civil_affairs_must_name_the_employer(api_as: Callable[[str], Any], setup: dict[str, Any]) -> None:
    response = api_as(Role.CIVIL_AFFAIRS).post("/api/v1/employments/", _body(setup), format="json")
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["employerKvk"]


def test_the_api_knows_only_the_callers_municipality(
    api_as: Callable[[str], Any], setup: dict[str, Any], other_municipality: Any
) -> None:
    """The outsider is of another municipality, where this employer and person do not exist."""
    f.persona(Role.CIVIL_AFFAIRS, other_municipality, username="ca-other")
    from rest_framework.test import APIClient

    from ketenregie.core.models import User
    from ketenregie.core.tokens import token_create

    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {token_create(user=User.objects.get(username='ca-other'), name='t')[1]}"
    )
    response = client.post("/api/v1/employments/", _body(setup, employerKvk="12345678"), format="json")
    assert response.status_code == 400
    assert Employment.objects.count() == 0


# Who delivered what: the monthly rule


@pytest.mark.parametrize(
    ("on", "grace", "due_since"),
    [
        (dt.date(2026, 3, 10), 10, dt.date(2026, 1, 1)),  # still within the grace of February
        (dt.date(2026, 3, 11), 10, dt.date(2026, 2, 1)),
        (dt.date(2026, 1, 5), 10, dt.date(2025, 11, 1)),  # across the new year
        (dt.date(2026, 1, 31), 10, dt.date(2025, 12, 1)),
        (dt.date(2026, 3, 1), 0, dt.date(2026, 2, 1)),
    ],
)
def test_the_due_date_follows_the_calendar_month_and_the_grace(
    on: dt.date, grace: int, due_since: dt.date
) -> None:
    assert selectors.delivery_due_since(on, grace) == due_since


def _deliver(employer: Any, when: dt.datetime) -> Delivery:
    delivery = Delivery.objects.create(
        municipality=employer.municipality,
        kind=DeliveryKind.EMPLOYMENTS,
        source="agency",
        employer=employer,
        channel=DeliveryChannel.API,
    )
    Delivery.objects.filter(pk=delivery.pk).update(delivered_at=when)
    return delivery


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))


@override_settings(DELIVERY_GRACE_DAYS=10)
def test_a_member_is_overdue_exactly_after_the_grace(municipality: Any) -> None:
    membership = f.CovenantMembershipFactory(municipality=municipality, joined_on=dt.date(2025, 1, 1))
    # Delivered at midnight on 1 February: covers February.
    assert not selectors.is_overdue(membership, _at(dt.date(2026, 2, 1)), on=dt.date(2026, 3, 31))
    assert not selectors.is_overdue(membership, _at(dt.date(2026, 2, 1)), on=dt.date(2026, 4, 10))
    assert selectors.is_overdue(membership, _at(dt.date(2026, 2, 1)), on=dt.date(2026, 4, 11))
    # One second before February is January's.
    late_january = _at(dt.date(2026, 2, 1)) - dt.timedelta(seconds=1)
    assert selectors.is_overdue(membership, late_january, on=dt.date(2026, 3, 11))
    assert selectors.is_overdue(membership, None, on=dt.date(2026, 3, 11))


def test_a_new_member_owes_from_its_first_full_month(municipality: Any) -> None:
    membership = f.CovenantMembershipFactory(municipality=municipality, joined_on=dt.date(2026, 2, 2))
    assert not selectors.is_overdue(membership, None, on=dt.date(2026, 3, 20))  # February was not full
    assert selectors.is_overdue(membership, None, on=dt.date(2026, 4, 20))
    membership.status = "terminated"
    assert not selectors.is_overdue(membership, None, on=dt.date(2026, 4, 20))


def test_the_policy_officer_sees_which_members_are_behind(
    municipality: Any, actor_for: Callable[[str], Actor]
) -> None:
    covenant = f.CovenantFactory(municipality=municipality)
    on_time = f.CovenantMembershipFactory(
        municipality=municipality, covenant=covenant, employer__name="A-flex"
    )
    behind = f.CovenantMembershipFactory(
        municipality=municipality, covenant=covenant, employer__name="B-flex"
    )
    never = f.CovenantMembershipFactory(municipality=municipality, covenant=covenant, employer__name="C-flex")
    today = timezone.localdate()
    _deliver(on_time.employer, timezone.now())
    _deliver(behind.employer, _at(today - dt.timedelta(days=120)))
    actor = actor_for(Role.POLICY)
    rows = selectors.covenant_delivery_overview(actor=actor, covenant=covenant, status="overdue", sort="last")
    assert [row.membership for row in rows] == [never, behind]
    on_time_rows = selectors.covenant_delivery_overview(actor=actor, covenant=covenant, status="on_time")
    assert [row.membership for row in on_time_rows] == [on_time]


def test_the_overview_page_filters_sorts_and_exports(
    client_as: Callable[[str], Any], municipality: Any
) -> None:
    covenant = f.CovenantFactory(municipality=municipality)
    f.CovenantMembershipFactory(municipality=municipality, covenant=covenant, employer__name="Zeta Flex")
    url = reverse("employers:covenant_deliveries", args=[covenant.pk])
    page = client_as(Role.POLICY).get(url, {"status": "overdue", "sort": "last"})
    assert page.status_code == 200
    assert "Zeta Flex" in page.content.decode()
    export = client_as(Role.POLICY).get(url, {"export": "csv"})
    assert export.status_code == 200
    assert "Zeta Flex" in b"".join(export.streaming_content).decode()
    assert client_as(Role.ENFORCEMENT).get(url).status_code == 403


def test_the_employer_page_shows_deliveries_and_overdue(
    client_as: Callable[[str], Any], municipality: Any
) -> None:
    membership = f.CovenantMembershipFactory(municipality=municipality, joined_on=dt.date(2024, 1, 1))
    delivery = _deliver(membership.employer, _at(dt.date(2024, 6, 3)))
    Delivery.objects.filter(pk=delivery.pk).update(
        row_count=321, delivered_by_name="api-flex", obligation=DeliveryObligation.COVENANT
    )
    html = (
        client_as(Role.POLICY)
        .get(reverse("employers:employer_detail", args=[membership.employer.pk]))
        .content.decode()
    )
    assert "321" in html
    assert "api-flex" in html
    assert "overdue" in html


# One design for both delivery kinds (the merge of labour migrants and employments)


def test_a_missing_required_field_is_named_as_the_request_named_it_for_both_kinds(
    api_as: Callable[[str], Any], setup: dict[str, Any]
) -> None:
    body = _body(setup, employerKvk="12345678")
    body["rows"].append({"employerKvk": "12345678", "startsOn": "2025-03-01"})  # no bsn
    response = api_as(Role.CIVIL_AFFAIRS).post("/api/v1/employments/", body, format="json")
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["rows[1].bsn"]
    migrant = {"givenNames": "Jan", "nationality": "PL", "postcode": "3077AW", "houseNumber": 2}
    response = api_as(Role.CIVIL_AFFAIRS).post(
        "/api/v1/labour-migrants/", {"employerKvk": "12345678", "rows": [migrant]}, format="json"
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["rows[0].surname"]
    assert Delivery.objects.count() == 0


def test_a_covenant_member_delivers_under_its_covenant(
    api_as: Callable[[str], Any], setup: dict[str, Any], municipality: Any
) -> None:
    membership = f.CovenantMembershipFactory(municipality=municipality, employer=setup["agency"])
    response = api_as(Role.CIVIL_AFFAIRS).post(
        "/api/v1/employments/", _body(setup, employerKvk="12345678"), format="json"
    )
    assert response.status_code == 201, response.content
    delivery = Delivery.objects.get()
    assert (delivery.obligation, delivery.covenant) == (DeliveryObligation.COVENANT, membership.covenant)


def test_a_delivery_by_an_employer_looks_it_up_in_the_kvk_after_it_commits(
    settings: Any,
    api_as: Callable[[str], Any],
    setup: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from ketenregie.employers.models import EmployerRegistryCheck
    from tests.fakes.kvk import API_KEY, FakeKvk

    with FakeKvk() as kvk:
        settings.KVK_API_URL, settings.KVK_API_KEY, settings.KVK_API_TIMEOUT = kvk.url, API_KEY, 2
        kvk.add("12345678", setup["agency"].name)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = api_as(Role.CIVIL_AFFAIRS).post(
                "/api/v1/employments/", _body(setup, employerKvk="12345678"), format="json"
            )
        assert response.status_code == 201, response.content
        assert kvk.requests == []  # nothing looked up inside the delivery's transaction
        for callback in callbacks:
            callback()
        assert len(kvk.requests) == 1
    check = EmployerRegistryCheck.objects.get(employer=setup["agency"])
    assert check.name_matches is True
