"""Issue 11: a record of a case belongs to the organisation that recorded it, and every change keeps the
earlier values (item 3); every id a user sends is checked against tenant and capability (item 10)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ketenregie.cases import selectors, services
from ketenregie.cases.dossier import findings_handed_over
from ketenregie.cases.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    Finding,
    Measure,
    RecordKind,
    RecordVersion,
)
from ketenregie.core.actor import Actor, actor_for_user
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.models import Role, User
from ketenregie.core.uploads import check_upload
from tests import factories as f
from tests.conftest import Casework, World

pytestmark = pytest.mark.django_db


def _actor(user: User) -> Actor:
    actor = actor_for_user(user)
    assert actor is not None
    return actor


def _finding_form(finding: Finding, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": finding.version,
        "found_on": finding.found_on.isoformat(),
        "persons_found": finding.persons_found,
        "unregistered_persons": finding.unregistered_persons,
        "registered_not_living": finding.registered_not_living,
        "fire_safety_issue": "on" if finding.fire_safety_issue else "",
        "notes": finding.notes,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value not in ("", None)}


# Item 3: ownership -----------------------------------------------------------------------------------


def test_the_partner_cannot_change_a_finding_the_municipality_recorded(casework: Casework) -> None:
    finding = casework.finding
    partner = _actor(casework.personas[Role.PARTNER])
    with pytest.raises(PermissionDenied):
        services.finding_update(
            actor=partner, finding=finding, expected_version=finding.version, persons_found=7
        )
    stored = Finding.objects.get(pk=finding.pk)
    assert (stored.persons_found, stored.version) == (9, finding.version)
    assert not RecordVersion.objects.exists()
    assert not CaseEvent.objects.filter(case=casework.case, summary__icontains="changed").exists()


def test_the_web_answers_a_partner_changing_a_municipal_finding_with_403_and_changes_nothing(
    casework: Casework, client_as: Callable[[str], Client]
) -> None:
    finding = casework.finding
    url = reverse("cases:finding_edit", args=[casework.case.pk, finding.pk])
    response = client_as(Role.PARTNER).post(url, _finding_form(finding, persons_found=7))
    assert response.status_code == 403
    assert Finding.objects.get(pk=finding.pk).persons_found == 9
    assert not RecordVersion.objects.exists()


def test_the_api_answers_a_partner_changing_a_municipal_finding_with_a_403_problem(
    casework: Casework, api_as: Callable[[str], APIClient]
) -> None:
    finding = casework.finding
    response = api_as(Role.PARTNER).patch(
        f"/api/v1/cases/{casework.case.pk}/findings/{finding.pk}/",
        {"personsFound": 7},
        format="json",
        HTTP_IF_MATCH=f'"{finding.version}"',
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert Finding.objects.get(pk=finding.pk).persons_found == 9


def test_the_recording_organisation_changes_its_finding_through_the_api_with_if_match(
    casework: Casework, api_as: Callable[[str], APIClient]
) -> None:
    finding = casework.finding
    url = f"/api/v1/cases/{casework.case.pk}/findings/{finding.pk}/"
    client = api_as(Role.ENFORCEMENT)
    changed = client.patch(url, {"personsFound": 12}, format="json", HTTP_IF_MATCH=f'"{finding.version}"')
    assert changed.status_code == 200
    assert changed.json()["personsFound"] == 12
    assert changed["ETag"] == f'"{finding.version + 1}"'
    stale = client.patch(url, {"personsFound": 11}, format="json", HTTP_IF_MATCH=f'"{finding.version}"')
    assert stale.status_code == 412
    assert client.patch(url, {"personsFound": 11}, format="json").status_code == 428
    assert Finding.objects.get(pk=finding.pk).persons_found == 12


def test_another_municipal_department_cannot_change_what_enforcement_recorded(
    casework: Casework, municipality: Any
) -> None:
    other_department = f.persona(Role.ENFORCEMENT, municipality, username="wonen", organisation_kind="other")
    # A second municipal department of the same municipality, with the same role.
    organisation = other_department.memberships.get().organisation
    organisation.kind = "municipal_department"
    organisation.name = "Afdeling Wonen"
    organisation.save()
    actor = _actor(other_department)
    with pytest.raises(PermissionDenied):
        services.finding_update(
            actor=actor, finding=casework.finding, expected_version=casework.finding.version, persons_found=7
        )
    with pytest.raises(PermissionDenied):
        services.measure_set_status(
            actor=actor,
            measure=casework.measure,
            expected_version=casework.measure.version,
            status="complied",
        )
    assert Finding.objects.get(pk=casework.finding.pk).persons_found == 9
    assert Measure.objects.get(pk=casework.measure.pk).status == "issued"


def test_the_partner_cannot_attach_a_photo_to_a_finding_the_municipality_recorded(casework: Casework) -> None:
    partner = _actor(casework.personas[Role.PARTNER])
    before = CaseAttachment.objects.count()
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=partner,
            case=casework.case,
            finding=casework.finding,
            upload=check_upload(SimpleUploadedFile("keuken.png", f.PNG_BYTES)),
        )
    assert CaseAttachment.objects.count() == before


def test_measures_and_forms_record_their_organisation(casework: Casework) -> None:
    lead = casework.case.owner_id
    assert casework.measure.recorded_by_organisation_id == lead
    assert casework.registration.recorded_by_organisation_id == lead
    assert casework.handover.measure.recorded_by_organisation_id == lead
    assert casework.attachment.owner_organisation_id == lead


def test_the_change_links_are_shown_only_to_the_recording_organisation(
    casework: Casework, client_as: Callable[[str], Client]
) -> None:
    case = casework.case
    edit = 'href="{}"'.format(reverse("cases:finding_edit", args=[case.pk, casework.finding.pk]))
    measure = 'href="{}"'.format(reverse("cases:measure_status", args=[case.pk, casework.measure.pk]))
    detail = reverse("cases:case_detail", args=[casework.case.pk])
    own = client_as(Role.ENFORCEMENT).get(detail).content.decode()
    assert edit in own
    assert measure in own
    partner = client_as(Role.PARTNER).get(detail).content.decode()
    assert edit not in partner
    assert measure not in partner


# Item 3: history -------------------------------------------------------------------------------------


def test_a_change_keeps_the_earlier_values_and_the_case_page_shows_them(
    casework: Casework, client_as: Callable[[str], Client], actor_for: Callable[[str], Actor]
) -> None:
    finding = casework.finding
    services.finding_update(
        actor=actor_for(Role.ENFORCEMENT), finding=finding, expected_version=finding.version, persons_found=14
    )
    kept = RecordVersion.objects.get(record_kind=RecordKind.FINDING, record_id=finding.pk)
    assert (kept.version, kept.values["persons_found"], kept.changed_fields) == (1, 9, ["persons_found"])
    assert kept.changed_by_name == Role.ENFORCEMENT
    event = CaseEvent.objects.filter(case=casework.case, fields=["persons_found"]).get()
    # Written outside a request, the event's summary is in the default language (Dutch).
    assert "aangetroffen bewoners: 9" in event.summary
    page = client_as(Role.ENFORCEMENT).get(reverse("cases:case_detail", args=[casework.case.pk]))
    assert "version 1 said: persons found living there: 9" in page.content.decode()


def test_a_partner_sees_the_history_only_of_what_its_agreement_shares(
    casework: Casework, client_as: Callable[[str], Client], actor_for: Callable[[str], Actor]
) -> None:
    measure = casework.measure
    services.measure_set_status(
        actor=actor_for(Role.ENFORCEMENT),
        measure=measure,
        expected_version=measure.version,
        status="forfeited",
    )
    detail = reverse("cases:case_detail", args=[casework.case.pk])
    said = "version 1 said: status: issued"
    assert said in client_as(Role.PARTNER).get(detail).content.decode()  # NLA: measures shared
    assert said not in client_as("police_partner").get(detail).content.decode()  # police: findings only


def test_processing_a_first_registration_form_keeps_its_earlier_status(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    form = casework.registration
    services.registration_form_process(
        actor=actor_for(Role.CIVIL_AFFAIRS),
        form=form,
        expected_version=form.version,
        outcome="brp_request",
        create_new=True,
    )
    kept = RecordVersion.objects.get(record_kind=RecordKind.REGISTRATION_FORM, record_id=form.pk)
    assert (kept.version, kept.values["status"], kept.data_category) == (1, "drawn_up", "persons")


def test_a_stale_version_still_conflicts_and_keeps_no_history(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    finding = casework.finding
    enforcement = actor_for(Role.ENFORCEMENT)
    services.finding_update(
        actor=enforcement, finding=finding, expected_version=finding.version, persons_found=14
    )
    with pytest.raises(ConcurrentEditError):
        services.finding_update(actor=enforcement, finding=finding, expected_version=1, persons_found=12)
    assert Finding.objects.get(pk=finding.pk).persons_found == 14
    assert RecordVersion.objects.count() == 1


def test_the_handover_dossier_keeps_the_version_of_the_findings_it_carried(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    handover, finding = casework.handover, casework.finding
    assert handover.finding_versions == {str(finding.pk): 1}
    with handover.dossier.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["findings"] == [{"id": finding.pk, "version": 1}]
    services.finding_update(
        actor=actor_for(Role.ENFORCEMENT), finding=finding, expected_version=finding.version, persons_found=12
    )
    assert Finding.objects.get(pk=finding.pk).persons_found == 12
    [carried] = findings_handed_over(handover)
    assert (carried.persons_found, carried.version) == (9, 1)


# Item 10: every id checked against tenant and capability -------------------------------------------


@pytest.fixture
def foreign_officer(outsider: User) -> User:
    outsider.first_name, outsider.last_name = "Zoë", "Zoetermeerder"
    outsider.save()
    return outsider


def _api_assign(client: APIClient, case: Case, user_id: Any) -> Any:
    etag = client.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    return client.patch(
        f"/api/v1/cases/{case.pk}/", {"assignedTo": user_id}, format="json", HTTP_IF_MATCH=etag
    )


def _web_assign(client: Client, case: Case, user_id: Any) -> Any:
    case.refresh_from_db()
    return client.post(
        reverse("cases:case_edit", args=[case.pk]),
        {"version": case.version, "title": case.title, "status": case.status, "assigned_to": user_id},
    )


@pytest.mark.parametrize("role", [Role.PARTNER, Role.COUNCIL, Role.PRIVACY_OFFICER])
def test_a_case_cannot_be_assigned_to_someone_who_may_not_work_on_cases(
    role: str,
    casework: Casework,
    api_as: Callable[[str], APIClient],
    client_as: Callable[[str], Client],
) -> None:
    case = casework.case
    user = casework.personas[role]
    api = _api_assign(api_as(Role.ENFORCEMENT), case, user.pk)
    assert api.status_code == 400
    assert "Onbekende of niet toegestane medewerker" in api.content.decode()
    web = _web_assign(client_as(Role.ENFORCEMENT), case, user.pk)
    assert web.status_code == 400
    assert Case.objects.get(pk=case.pk).assigned_to_id is None


def test_assigning_to_an_officer_of_another_municipality_never_names_them(
    casework: Casework,
    foreign_officer: User,
    api_as: Callable[[str], APIClient],
    client_as: Callable[[str], Client],
) -> None:
    case = casework.case
    names = ("outsider", "Zoë", "Zoetermeerder")
    api = _api_assign(api_as(Role.ENFORCEMENT), case, foreign_officer.pk)
    assert api.status_code == 400
    assert not any(name in api.content.decode() for name in names)
    web = _web_assign(client_as(Role.ENFORCEMENT), case, foreign_officer.pk)
    assert web.status_code == 400
    assert not any(name in web.content.decode() for name in names)
    # Past the form, the service gives the same answer.
    with pytest.raises(ValidationError) as refused:
        services.case_update(
            actor=_actor(casework.personas[Role.ENFORCEMENT]),
            case=case,
            expected_version=Case.objects.get(pk=case.pk).version,
            assigned_to=foreign_officer,
        )
    assert not any(name in str(refused.value) for name in names)
    assert Case.objects.get(pk=case.pk).assigned_to_id is None


def test_an_enforcement_officer_of_the_municipality_can_be_assigned(
    casework: Casework, api_as: Callable[[str], APIClient], client_as: Callable[[str], Client]
) -> None:
    case = casework.case
    officer = casework.personas[Role.ENFORCEMENT]
    assert _api_assign(api_as(Role.ENFORCEMENT), case, officer.pk).status_code == 200
    assert Case.objects.get(pk=case.pk).assigned_to_id == officer.pk
    assert _api_assign(api_as(Role.ENFORCEMENT), case, None).status_code == 200
    assert _web_assign(client_as(Role.ENFORCEMENT), case, officer.pk).status_code == 302
    assert Case.objects.get(pk=case.pk).assigned_to_id == officer.pk


def test_the_case_officer_choices_list_only_people_who_manage_cases_here(
    casework: Casework, foreign_officer: User, client_as: Callable[[str], Client]
) -> None:
    page = client_as(Role.ENFORCEMENT).get(reverse("cases:case_edit", args=[casework.case.pk]))
    choices = {value for value, _label in page.context["form"].fields["assigned_to"].choices if value}
    assert choices == {casework.personas[Role.ENFORCEMENT].pk}


@pytest.mark.parametrize("field", ["signalIds", "addressIds"])
def test_an_id_beyond_64_bits_in_a_new_case_is_a_400(
    field: str, world: World, api_as: Callable[[str], APIClient]
) -> None:
    before = Case.objects.count()
    response = api_as(Role.ENFORCEMENT).post(
        "/api/v1/cases/",
        {"kind": "house_visit", "title": "Te groot", field: [2**64 + 1]},
        format="json",
    )
    assert response.status_code == 400
    assert Case.objects.count() == before


def test_a_new_case_refuses_meldingen_and_addresses_of_another_municipality(
    world: World, other_municipality: Any, api_as: Callable[[str], APIClient]
) -> None:
    foreign = f.AddressFactory(municipality=other_municipality, street="Zoetermeerlaan")
    response = api_as(Role.ENFORCEMENT).post(
        "/api/v1/cases/",
        {"kind": "house_visit", "title": "Elders", "addressIds": [foreign.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert foreign.street not in response.content.decode()
    assert not Case.objects.filter(title="Elders").exists()


def test_a_measure_refuses_an_organisation_or_address_of_another_municipality(
    casework: Casework, other_municipality: Any, api_as: Callable[[str], APIClient]
) -> None:
    foreign = f.persona(Role.PARTNER, other_municipality, username="zoetermeer_nla").memberships.get()
    foreign_address = f.AddressFactory(municipality=other_municipality)
    url = f"/api/v1/cases/{casework.case.pk}/measures/"
    client = api_as(Role.ENFORCEMENT)
    before = Measure.objects.count()
    referral = client.post(
        url, {"kind": "care_referral", "handedToId": foreign.organisation_id}, format="json"
    )
    assert referral.status_code == 400
    assert foreign.organisation.name not in referral.content.decode()
    warning = client.post(url, {"kind": "warning", "addressId": foreign_address.pk}, format="json")
    assert warning.status_code == 400
    assert Measure.objects.count() == before


def test_only_those_who_record_findings_can_go_on_the_team(casework: Casework) -> None:
    lead = casework.case.participants.first()
    assert lead is not None
    # A council member of a participating organisation: a member of it, but not someone who visits.
    council_member = f.UserFactory(username="raadslid")
    council_member.memberships.create(organisation=lead.organisation, role=Role.COUNCIL)
    officer = _actor(casework.personas[Role.ENFORCEMENT])
    candidates = set(selectors.team_candidates(case=casework.case))
    assert casework.personas[Role.ENFORCEMENT] in candidates
    assert council_member not in candidates
    with pytest.raises(ValidationError) as refused:
        services.team_set(
            actor=officer,
            case=casework.case,
            expected_version=casework.case.version,
            members=[council_member],
        )
    assert "raadslid" not in str(refused.value)
    assert not casework.case.team.exists()
