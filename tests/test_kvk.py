"""Employers checked against the KvK trade register (Basisprofiel API), against a local fake of it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from ketenregie.core.actor import Actor
from ketenregie.core.imports import run_import
from ketenregie.core.models import AuditEvent
from ketenregie.employers import registry
from ketenregie.employers.imports import EmployerImporter
from ketenregie.employers.kvk_client import KvkClient, KvkError, kvk_date
from ketenregie.employers.models import Employer, EmployerRegistryCheck, RegistryCheckStatus
from tests import factories as f
from tests.conftest import World
from tests.fakes.kvk import API_KEY, FakeKvk


@pytest.fixture
def kvk(settings: Any) -> Iterator[FakeKvk]:
    with FakeKvk() as fake:
        settings.KVK_API_URL = fake.url
        settings.KVK_API_KEY = API_KEY
        settings.KVK_API_TIMEOUT = 2
        yield fake


def client_for(fake: FakeKvk, **overrides: Any) -> KvkClient:
    return KvkClient(**{"base_url": fake.url, "api_key": API_KEY, "timeout": 2, **overrides})


# The client against the fake: every answer of the KvK becomes a typed outcome.


def test_the_client_reads_a_basisprofiel(kvk: FakeKvk) -> None:
    kvk.add(
        "68750110", "Test BV Donald", sbi=("7820", "7830"), started="20150600", trade_names=("Donald Flex",)
    )
    lookup = client_for(kvk).lookup("68750110")
    assert lookup.error is None
    assert lookup.profile is not None
    assert lookup.profile.name == "Test BV Donald"
    assert lookup.profile.sbi_codes == ("7820", "7830")
    assert lookup.profile.started_on == dt.date(2015, 6, 1)
    assert lookup.profile.ended_on is None
    assert "Donald Flex" in lookup.profile.names
    assert kvk.requests[-1] == {"path": "/v1/basisprofielen/68750110", "api_key": API_KEY}


def test_an_unknown_number_is_not_found_with_the_kvk_error_code(kvk: FakeKvk) -> None:
    lookup = client_for(kvk).lookup("12345678")
    assert lookup.not_found
    assert lookup.profile is None
    assert lookup.error is None
    assert lookup.codes == ("IPD0005",)


def test_a_wrong_key_is_reported_as_unauthorised(kvk: FakeKvk) -> None:
    kvk.add("68750110", "Test BV Donald")
    assert client_for(kvk, api_key="wrong").lookup("68750110").error == KvkError.UNAUTHORISED


def test_a_slow_kvk_is_a_timeout_not_a_hang(kvk: FakeKvk) -> None:
    kvk.add("68750110", "Test BV Donald")
    kvk.delay = 1.0
    started = timezone.now()
    lookup = client_for(kvk, timeout=0.2).lookup("68750110")
    assert lookup.error == KvkError.TIMEOUT
    assert (timezone.now() - started).total_seconds() < 1.0


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, b"<html>gateway</html>", KvkError.MALFORMED),
        (200, b'{"kvkNummer": "68750110"}', KvkError.MALFORMED),
        (200, b'{"kvkNummer": "99999999", "naam": "Another"}', KvkError.MALFORMED),
        (429, b'{"fout": []}', KvkError.RATE_LIMITED),
        (
            500,
            b'{"fout": [{"code": "IPD9999", "omschrijving": "Algemene technische fout"}]}',
            KvkError.UNAVAILABLE,
        ),
        (403, b"", KvkError.UNAUTHORISED),
    ],
)
def test_garbage_and_refusals_become_typed_errors(
    kvk: FakeKvk, status: int, body: bytes, error: KvkError
) -> None:
    kvk.script.append((status, body))
    assert client_for(kvk).lookup("68750110").error == error


def test_an_unreachable_kvk_is_unavailable() -> None:
    with FakeKvk() as fake:
        url = fake.url
    assert (
        KvkClient(base_url=url, api_key=API_KEY, timeout=1).lookup("68750110").error == KvkError.UNAVAILABLE
    )


def test_kvk_dates_with_unknown_parts_are_read_leniently() -> None:
    assert kvk_date("20150622") == dt.date(2015, 6, 22)
    assert kvk_date("20150000") == dt.date(2015, 1, 1)
    assert kvk_date("00000000") is None
    assert kvk_date("2015-06-22") is None
    assert kvk_date(None) is None


# The service: the outcome is stored per employer and audited.


def test_a_check_stores_the_outcome_and_matches_the_name_without_the_legal_form(
    kvk: FakeKvk, world: World, actor_for: Callable[[str], Actor]
) -> None:
    employer = world.employer
    kvk.add(employer.kvk_number, employer.name.replace(" B.V.", " BV").upper(), sbi=("7820",))
    check = registry.employer_check_kvk(actor=actor_for("enforcement"), employer=employer)
    assert check is not None
    assert check.status == RegistryCheckStatus.FOUND
    assert check.name_matches is True
    assert check.registered_sbi_codes == ["7820"]
    assert AuditEvent.objects.filter(
        object_type="employers.employerregistrycheck", object_id=str(check.pk)
    ).exists()


def test_a_second_check_replaces_the_first(
    kvk: FakeKvk, world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("enforcement")
    registry.employer_check_kvk(actor=actor, employer=world.employer)
    kvk.add(world.employer.kvk_number, "Heel Iets Anders B.V.")
    check = registry.employer_check_kvk(actor=actor, employer=world.employer)
    assert check is not None
    assert check.status == RegistryCheckStatus.FOUND
    assert check.name_matches is False
    assert EmployerRegistryCheck.objects.filter(employer=world.employer).count() == 1


def test_a_company_that_ended_is_stored_as_ended_and_the_page_warns(
    kvk: FakeKvk, world: World, actor_for: Callable[[str], Actor], client_as: Callable[[str], Client]
) -> None:
    kvk.add(world.employer.kvk_number, world.employer.name, ended="20240331")
    check = registry.employer_check_kvk(actor=actor_for("enforcement"), employer=world.employer)
    assert check is not None
    assert check.status == RegistryCheckStatus.ENDED
    assert check.ended_on == dt.date(2024, 3, 31)
    page = client_as("policy").get(reverse("employers:employer_detail", args=[world.employer.pk]))
    assert "According to the KvK this company ended on 31 March 2024." in page.content.decode()


def test_a_name_that_differs_is_warned_about_on_the_employer_page(
    kvk: FakeKvk, world: World, actor_for: Callable[[str], Actor], client_as: Callable[[str], Client]
) -> None:
    kvk.add(world.employer.kvk_number, "Uitzendbureau De Zon B.V.")
    registry.employer_check_kvk(actor=actor_for("enforcement"), employer=world.employer)
    page = client_as("enforcement").get(reverse("employers:employer_detail", args=[world.employer.pk]))
    assert "The name differs from the KvK" in page.content.decode()


def test_a_failed_check_is_stored_as_an_error_and_never_raises(
    kvk: FakeKvk, world: World, actor_for: Callable[[str], Actor], client_as: Callable[[str], Client]
) -> None:
    kvk.script.append((200, b"not json"))
    check = registry.employer_check_kvk(actor=actor_for("enforcement"), employer=world.employer)
    assert check is not None
    assert (check.status, check.error) == (RegistryCheckStatus.ERROR, "malformed")
    page = client_as("enforcement").get(reverse("employers:employer_detail", args=[world.employer.pk]))
    assert "the KvK&#x27;s answer could not be read" in page.content.decode()


def test_without_a_kvk_connection_nothing_is_checked_and_the_page_says_so(
    world: World, actor_for: Callable[[str], Actor], client_as: Callable[[str], Client]
) -> None:
    assert registry.employer_check_kvk(actor=actor_for("enforcement"), employer=world.employer) is None
    assert not EmployerRegistryCheck.objects.exists()
    page = client_as("enforcement").get(reverse("employers:employer_detail", args=[world.employer.pk]))
    assert "Not checked: no KvK connection is configured." in page.content.decode()
    assert "Check now" not in page.content.decode()


def test_a_role_that_cannot_edit_import_or_deliver_may_not_check(
    kvk: FakeKvk, world: World, actor_for: Callable[[str], Actor]
) -> None:
    with pytest.raises(PermissionDenied):
        registry.employer_check_kvk(actor=actor_for("policy"), employer=world.employer)
    assert kvk.requests == []


def test_an_employer_of_another_municipality_is_never_checked(
    kvk: FakeKvk, world: World, other_municipality: Any, actor_for: Callable[[str], Actor]
) -> None:
    foreign = f.EmployerFactory(municipality=other_municipality)
    with pytest.raises(PermissionError):
        registry.employer_check_kvk(actor=actor_for("enforcement"), employer=foreign)
    assert kvk.requests == []


def test_the_log_says_the_number_and_outcome_but_never_an_eenmanszaak_name(
    kvk: FakeKvk, world: World, actor_for: Callable[[str], Actor], caplog: pytest.LogCaptureFixture
) -> None:
    kvk.add(world.employer.kvk_number, "Jan Kowalski", legal_form="Eenmanszaak")
    with caplog.at_level(logging.DEBUG):
        registry.employer_check_kvk(actor=actor_for("enforcement"), employer=world.employer)
    assert world.employer.kvk_number in caplog.text
    assert "found" in caplog.text
    assert "Kowalski" not in caplog.text


# When: on creation (form, API, import) and on delivery.


def test_an_employer_registered_through_the_form_is_checked(
    kvk: FakeKvk,
    client_as: Callable[[str], Client],
    municipality: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    kvk.add("31000001", "Nieuw Flex B.V.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("enforcement").post(
            reverse("employers:employer_create"),
            {
                "kvk_number": "31000001",
                "name": "Nieuw Flex B.V.",
                "kind": "temp_agency",
                "sector": "other",
                "wtta_status": "not_applicable",
            },
        )
    assert response.status_code == 302, response.content[:500]
    employer = Employer.objects.get(kvk_number="31000001")
    assert employer.registry_check.status == RegistryCheckStatus.FOUND


def test_a_kvk_that_times_out_does_not_break_the_employer_form(
    kvk: FakeKvk,
    settings: Any,
    client_as: Callable[[str], Client],
    municipality: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.KVK_API_TIMEOUT = 0.2
    kvk.delay = 0.6
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("enforcement").post(
            reverse("employers:employer_create"),
            {
                "kvk_number": "31000002",
                "name": "Traag B.V.",
                "kind": "hirer",
                "sector": "other",
                "wtta_status": "not_applicable",
            },
        )
    assert response.status_code == 302
    check = Employer.objects.get(kvk_number="31000002").registry_check
    assert (check.status, check.error) == (RegistryCheckStatus.ERROR, "timeout")


def test_an_employer_registered_through_the_api_is_checked(
    kvk: FakeKvk,
    api_as: Callable[[str], APIClient],
    municipality: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("enforcement").post(
            "/api/v1/employers/",
            {"kvkNumber": "31000003", "name": "Spook B.V.", "kind": "hirer"},
            format="json",
        )
    assert response.status_code == 201
    assert Employer.objects.get(kvk_number="31000003").registry_check.status == RegistryCheckStatus.NOT_FOUND


def test_an_import_checks_a_few_new_employers_at_once_and_leaves_the_rest_for_later(
    kvk: FakeKvk,
    settings: Any,
    actor_for: Callable[[str], Actor],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.KVK_IMPORT_INLINE_CHECKS = 2
    rows = "".join(f"3200000{i};Import {i} B.V.;hirer\n" for i in range(5))
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        result = run_import(
            actor=actor_for("civil_affairs"),
            importer=EmployerImporter(),
            data=f"kvk_number;name;kind\n{rows}".encode(),
        )
    assert result.created == 5
    assert EmployerRegistryCheck.objects.count() == 2
    assert result.notes == ["2 new employers are looked up in the KvK now; 3 later."]
    # The rest: `ketenregie check-kvk` (or the button, or their first delivery).
    assert registry.employers_check_kvk_unchecked(actor=actor_for("civil_affairs"), limit=100) == 3
    assert EmployerRegistryCheck.objects.count() == 5


def test_a_delivering_employer_is_looked_up_only_when_its_check_is_stale(
    kvk: FakeKvk, world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("partner")
    first = registry.employer_check_kvk_if_stale(actor=actor, employer=world.employer)
    assert first is not None
    assert len(kvk.requests) == 1
    registry.employer_check_kvk_if_stale(actor=actor, employer=world.employer)
    assert len(kvk.requests) == 1
    EmployerRegistryCheck.objects.filter(pk=first.pk).update(
        checked_at=timezone.now() - dt.timedelta(days=31)
    )
    registry.employer_check_kvk_if_stale(actor=actor, employer=world.employer)
    assert len(kvk.requests) == 2


def test_a_failed_check_is_retried_by_a_delivery_after_a_quarter_of_an_hour(
    kvk: FakeKvk, world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("partner")
    kvk.script.append((429, b"{}"))
    check = registry.employer_check_kvk_if_stale(actor=actor, employer=world.employer)
    assert check is not None
    assert check.status == RegistryCheckStatus.ERROR
    registry.employer_check_kvk_if_stale(actor=actor, employer=world.employer)
    assert len(kvk.requests) == 1
    EmployerRegistryCheck.objects.filter(pk=check.pk).update(
        checked_at=timezone.now() - dt.timedelta(minutes=16)
    )
    again = registry.employer_check_kvk_if_stale(actor=actor, employer=world.employer)
    assert len(kvk.requests) == 2
    assert again is not None
    assert again.status == RegistryCheckStatus.NOT_FOUND


# The button and the list filter.


def test_check_now_looks_the_employer_up_and_shows_the_outcome(
    kvk: FakeKvk, world: World, client_as: Callable[[str], Client]
) -> None:
    kvk.add(world.employer.kvk_number, world.employer.name, sbi=("7810",))
    client = client_as("enforcement")
    page = client.get(reverse("employers:employer_detail", args=[world.employer.pk]))
    assert "Check now" in page.content.decode()
    assert "Not checked yet." in page.content.decode()
    response = client.post(reverse("employers:employer_check_kvk", args=[world.employer.pk]), follow=True)
    content = response.content.decode()
    assert "The employer is checked against the KvK." in content
    assert "7810" in content


def test_check_now_is_a_post_and_hides_other_municipalities(
    kvk: FakeKvk, world: World, client_as: Callable[[str], Client]
) -> None:
    url = reverse("employers:employer_check_kvk", args=[world.employer.pk])
    assert client_as("enforcement").get(url).status_code == 405
    assert client_as("outsider").post(url).status_code == 404
    assert kvk.requests == []


def test_the_list_filter_finds_employers_the_kvk_does_not_know(
    kvk: FakeKvk, world: World, actor_for: Callable[[str], Actor], client_as: Callable[[str], Client]
) -> None:
    known = f.EmployerFactory(municipality=world.employer.municipality, name="Bekend B.V.")
    kvk.add(known.kvk_number, known.name)
    actor = actor_for("enforcement")
    registry.employer_check_kvk(actor=actor, employer=known)
    registry.employer_check_kvk(actor=actor, employer=world.employer)
    response = client_as("policy").get(reverse("employers:employer_list"), {"kvk_check": "not_found"})
    names = [e.name for e in response.context["page"].object_list]
    assert names == [world.employer.name]
    assert "unknown to the KvK" in response.content.decode()
    unchecked = client_as("policy").get(reverse("employers:employer_list"), {"kvk_check": "unchecked"})
    assert known.name not in [e.name for e in unchecked.context["page"].object_list]
