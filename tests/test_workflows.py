"""Status workflows (core/workflow.py): every status change of a melding or a case, whichever path
makes it, moves only along its table; a refused step names both statuses and changes nothing."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from ketenregie.cases import services as case_services
from ketenregie.cases.models import CASE_WORKFLOW, Case, CaseEvent, CaseEventKind, CaseStatus
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError, save_versioned
from ketenregie.core.models import Municipality
from ketenregie.people.models import VerificationStatus
from ketenregie.people.verification import VERIFICATION_WORKFLOW, check_transition
from ketenregie.signals.models import SIGNAL_WORKFLOW, Signal, SignalResult, SignalStatus
from tests import factories as f
from tests.conftest import Casework, World

pytestmark = pytest.mark.django_db

# The tables as the product decided them (docs/architecture.md, "Status workflows"), written out here
# so that a step added to or dropped from a table in the code fails a test.
C = CaseStatus
CASE_STEPS = {
    (C.OPEN, C.PLANNED),
    (C.OPEN, C.INVESTIGATING),
    (C.OPEN, C.ENFORCEMENT),
    (C.OPEN, C.CLOSED),
    (C.PLANNED, C.OPEN),
    (C.PLANNED, C.INVESTIGATING),
    (C.PLANNED, C.ENFORCEMENT),
    (C.PLANNED, C.CLOSED),
    (C.INVESTIGATING, C.PLANNED),
    (C.INVESTIGATING, C.ENFORCEMENT),
    (C.INVESTIGATING, C.CLOSED),
    (C.ENFORCEMENT, C.INVESTIGATING),
    (C.ENFORCEMENT, C.CLOSED),
    (C.CLOSED, C.INVESTIGATING),
}
CASE_STARTS = {C.OPEN, C.PLANNED}
S = SignalStatus
SIGNAL_STEPS = {
    (S.NEW, S.TRIAGED),
    (S.NEW, S.INVESTIGATING),
    (S.NEW, S.CLOSED),
    (S.TRIAGED, S.INVESTIGATING),
    (S.TRIAGED, S.CLOSED),
    (S.INVESTIGATING, S.CLOSED),
}
SIGNAL_STARTS = {S.NEW}
V = VerificationStatus
VERIFICATION_STEPS = {
    (V.UNVERIFIED, V.VERIFIED),
    (V.UNVERIFIED, V.REJECTED),
    (V.UNVERIFIED, V.DISPUTED),
    (V.DISPUTED, V.VERIFIED),
    (V.DISPUTED, V.REJECTED),
    (V.VERIFIED, V.DISPUTED),
    (V.REJECTED, V.DISPUTED),
}


def pairs(values: list[str]) -> list[tuple[str, str]]:
    """Every step between two different statuses: the complete set, not only the table's."""
    return [(a, b) for a, b in itertools.product(values, values) if a != b]


def steps_of(table: Any) -> set[tuple[str, str]]:
    return {(current, following) for current, targets in table.items() for following in targets}


def test_the_tables_in_the_code_are_the_documented_ones() -> None:
    assert steps_of(CASE_WORKFLOW.table) == CASE_STEPS
    assert CASE_WORKFLOW.start == CASE_STARTS
    assert steps_of(SIGNAL_WORKFLOW.table) == SIGNAL_STEPS
    assert SIGNAL_WORKFLOW.start == SIGNAL_STARTS
    assert steps_of(VERIFICATION_WORKFLOW.table) == VERIFICATION_STEPS


def test_a_table_that_forgets_a_status_or_leaves_a_dead_end_unexplained_is_refused() -> None:
    from ketenregie.core.workflow import Workflow

    common: dict[str, Any] = {"choices": CaseStatus, "refused": "x", "start_refused": "y"}
    with pytest.raises(ValueError, match="exactly"):
        Workflow(name="t", table={C.OPEN: frozenset()}, start=frozenset({C.OPEN}), **common)
    dead_end = {**CASE_WORKFLOW.table, C.CLOSED: frozenset()}
    with pytest.raises(ValueError, match="terminal"):
        Workflow(name="t", table=dead_end, start=frozenset({C.OPEN}), **common)


# Cases --------------------------------------------------------------------------------------------


def case_in(municipality: Municipality, status: str) -> Case:
    case: Case = f.CaseFactory(municipality=municipality, status=status, closed_on=dt.date(2026, 3, 9))
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize(("current", "status"), pairs(CaseStatus.values))
def test_every_case_step_is_allowed_exactly_when_the_table_has_it(
    municipality: Municipality, current: str, status: str
) -> None:
    case = case_in(municipality, current)
    assert case.status == current
    case.status = status
    if (current, status) in CASE_STEPS:
        case.save()
        assert Case.objects.get(pk=case.pk).status == status
    else:
        with pytest.raises(ValidationError) as refused:
            case.save()
        [message] = refused.value.message_dict["status"]
        assert f"‘{CaseStatus(current).label}’" in message
        assert f"‘{CaseStatus(status).label}’" in message
        assert Case.objects.get(pk=case.pk).status == current


@pytest.mark.parametrize("status", CaseStatus.values)
def test_a_new_case_starts_only_in_a_start_status(municipality: Municipality, status: str) -> None:
    case = Case(
        municipality=municipality,
        kind="house_visit",
        title="Huisbezoek",
        owner=f.OrganisationFactory(municipality=municipality),
        status=status,
        closed_on=dt.date(2026, 3, 9),
    )
    if status in CASE_STARTS:
        case.save()
        assert Case.objects.get(pk=case.pk).status == status
    else:
        with pytest.raises(ValidationError) as refused:
            case.save()
        assert f"‘{CaseStatus(status).label}’" in refused.value.message_dict["status"][0]
        assert not Case.objects.exists()


def test_the_refusal_names_both_statuses_and_says_what_to_do(municipality: Municipality) -> None:
    case = case_in(municipality, C.CLOSED)
    case.status = C.PLANNED
    with pytest.raises(ValidationError) as refused:
        case.save()
    assert refused.value.message_dict == {
        "status": ["Een zaak met status ‘gesloten’ kan niet naar ‘gepland’; heropen de zaak eerst."]
    }
    case = case_in(municipality, C.ENFORCEMENT)
    case.status = C.OPEN
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        case.save()
    assert refused.value.message_dict == {
        "status": [
            "A case cannot go from ‘enforcement’ to ‘opened’; from ‘enforcement’ it can go to: "
            "in investigation, closed."
        ]
    }


def test_saving_without_changing_the_status_is_not_checked(municipality: Municipality) -> None:
    case = case_in(municipality, C.CLOSED)
    case.title = "Nieuwe titel"
    case.save()
    case.full_clean()
    assert Case.objects.get(pk=case.pk).title == "Nieuwe titel"


def test_the_remembered_status_follows_saves_refreshes_and_deferred_reads(municipality: Municipality) -> None:
    case = case_in(municipality, C.OPEN)
    case.status = C.INVESTIGATING
    case.save(update_fields=["status"])
    case.status = C.OPEN  # checked from in investigation now, not from opened as loaded
    with pytest.raises(ValidationError):
        case.save()
    case.status = C.ENFORCEMENT
    case.save(update_fields=["title"])  # the status is not written, so not checked and not remembered
    assert Case.objects.get(pk=case.pk).status == C.INVESTIGATING
    case.status = C.PLANNED
    case.save()

    elsewhere = Case.objects.get(pk=case.pk)
    elsewhere.status = C.OPEN
    elsewhere.save()
    case.refresh_from_db()
    case.status = C.INVESTIGATING
    case.save()  # opened → in investigation: checked from what the refresh read, not planned

    deferred = Case.objects.only("id").get(pk=case.pk)
    deferred.status = C.OPEN
    with pytest.raises(ValidationError):
        deferred.save()


def test_full_clean_puts_a_refused_step_on_the_status_field(municipality: Municipality) -> None:
    case = case_in(municipality, C.CLOSED)
    case.status = C.OPEN
    with pytest.raises(ValidationError) as refused:
        case.full_clean()
    assert set(refused.value.message_dict) == {"status"}


def test_a_versioned_write_is_checked_and_cannot_be_outrun(municipality: Municipality) -> None:
    case = case_in(municipality, C.CLOSED)
    case.status = C.PLANNED
    with pytest.raises(ValidationError):
        save_versioned(case, expected_version=case.version, fields=["status"])
    assert Case.objects.get(pk=case.pk).version == case.version

    case = case_in(municipality, C.OPEN)
    # Someone moved the case on without a new version (a bulk write): the step checked from "opened"
    # must not land on a case that is no longer opened.
    Case.objects.filter(pk=case.pk).update(status=C.ENFORCEMENT)
    case.status = C.PLANNED
    with pytest.raises(ConcurrentEditError):
        save_versioned(case, expected_version=case.version, fields=["status"])
    assert Case.objects.get(pk=case.pk).status == C.ENFORCEMENT


def test_a_forbidden_status_through_the_api_is_a_400_on_status_and_changes_nothing(
    casework: Casework, api_as: Callable[[str], APIClient]
) -> None:
    case = Case.objects.get(pk=casework.case.pk)
    assert case.status == C.ENFORCEMENT  # the penalty order moved it on
    client = api_as("enforcement")
    url = f"/api/v1/cases/{case.pk}/"
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"status": "open", "title": "Anders"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in response.json()["invalidParams"]] == ["status"]
    assert "‘handhaving’" in response.json()["invalidParams"][0]["reason"]
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.title, stored.version) == (C.ENFORCEMENT, case.title, case.version)
    allowed = client.patch(url, {"status": "investigating"}, format="json", HTTP_IF_MATCH=etag)
    assert allowed.status_code == 200
    assert Case.objects.get(pk=case.pk).status == C.INVESTIGATING


def test_the_edit_form_offers_the_reachable_statuses_and_explains_a_refused_one(
    casework: Casework, client_as: Callable[[str], Client]
) -> None:
    case = Case.objects.get(pk=casework.case.pk)
    client = client_as("enforcement")
    url = reverse("cases:case_edit", args=[case.pk])
    offered = client.get(url).context["form"].fields["status"].widget.choices
    assert [value for value, _label in offered] == [C.INVESTIGATING, C.ENFORCEMENT]
    response = client.post(url, {"version": case.version, "title": case.title, "status": C.PLANNED})
    assert response.status_code == 400
    [message] = response.context["form"].errors["status"]
    # The page speaks the request's language (English here), the tests' own thread Dutch.
    assert message.startswith("A case cannot go from ‘enforcement’ to ‘planned’")
    assert Case.objects.get(pk=case.pk).version == case.version


def test_findings_and_measures_move_a_case_on_through_the_checked_path(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("enforcement")
    case = case_services.case_open(
        actor=actor,
        kind="house_visit",
        title="Bezoek",
        addresses=[world.address],
        planned_on=timezone.localdate() + dt.timedelta(days=2),
    )
    assert case.status == C.PLANNED
    version = Case.objects.get(pk=case.pk).version
    case_services.finding_record(actor=actor, case=case, address=world.address, persons_found=3)
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.version) == (C.INVESTIGATING, version + 1)
    assert (case.status, case.version) == (stored.status, stored.version)  # the caller's copy follows
    case_services.measure_take(actor=actor, case=case, kind="warning", address=world.address)
    assert Case.objects.get(pk=case.pk).status == C.ENFORCEMENT
    # A later finding does not send an enforcement case back to investigation.
    case_services.finding_record(actor=actor, case=case, address=world.address, persons_found=2)
    assert Case.objects.get(pk=case.pk).status == C.ENFORCEMENT
    statuses = CaseEvent.objects.filter(case=case, kind=CaseEventKind.STATUS).order_by("pk")
    assert [event.summary for event in statuses] == ["Status: in onderzoek.", "Status: handhaving."]
    # Closing and reopening remain possible; reopening lands in investigation.
    closed = case_services.case_close(
        actor=actor, case=case, expected_version=case.version, result="violation", close_signals=False
    )
    reopened = case_services.case_reopen(
        actor=actor, case=closed, expected_version=closed.version, reason="Nieuwe feiten"
    )
    assert reopened.status == C.INVESTIGATING


# Meldingen ----------------------------------------------------------------------------------------


def signal_in(municipality: Municipality, status: str) -> Signal:
    signal: Signal = f.SignalFactory(
        municipality=municipality,
        status=status,
        result=SignalResult.CONFIRMED,
        closed_at=timezone.now(),
    )
    return Signal.objects.get(pk=signal.pk)


@pytest.mark.parametrize(("current", "status"), pairs(SignalStatus.values))
def test_every_melding_step_is_allowed_exactly_when_the_table_has_it(
    municipality: Municipality, current: str, status: str
) -> None:
    signal = signal_in(municipality, current)
    assert signal.status == current
    signal.status = status
    if (current, status) in SIGNAL_STEPS:
        signal.save()
        assert Signal.objects.get(pk=signal.pk).status == status
    else:
        with pytest.raises(ValidationError) as refused:
            signal.save()
        [message] = refused.value.message_dict["status"]
        if current != S.CLOSED:
            assert f"‘{SignalStatus(current).label}’" in message
        assert f"‘{SignalStatus(status).label}’" in message
        assert Signal.objects.get(pk=signal.pk).status == current


@pytest.mark.parametrize("status", SignalStatus.values)
def test_a_new_melding_starts_only_as_new(municipality: Municipality, status: str) -> None:
    signal = Signal(
        municipality=municipality,
        channel="phone",
        category=f.signal_category(municipality),
        description="Te veel mensen in één woning.",
        due_on=timezone.localdate(),
        status=status,
        result=SignalResult.CONFIRMED,
        closed_at=timezone.now(),
    )
    if status in SIGNAL_STARTS:
        signal.save()
        assert Signal.objects.get(pk=signal.pk).status == status
    else:
        with pytest.raises(ValidationError) as refused:
            signal.save()
        assert f"‘{SignalStatus(status).label}’" in refused.value.message_dict["status"][0]
        assert not Signal.objects.exists()


def test_a_closed_melding_stays_closed(municipality: Municipality) -> None:
    signal = signal_in(municipality, S.CLOSED)
    signal.status = S.TRIAGED
    with pytest.raises(ValidationError) as refused:
        signal.save()
    assert refused.value.message_dict == {
        "status": [
            "Deze melding is gesloten; ze kan niet naar ‘beoordeeld’: een gesloten melding blijft gesloten."
        ]
    }


# Residence verification ---------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "status"), pairs(VerificationStatus.values))
def test_every_verification_step_is_allowed_exactly_when_the_table_has_it(current: str, status: str) -> None:
    if (current, status) in VERIFICATION_STEPS:
        check_transition(current, status, note="Reden")
    else:
        with pytest.raises(ValidationError) as refused:
            check_transition(current, status, note="Reden")
        assert set(refused.value.message_dict) == {"status"}
