"""Civil affairs processes a first-registration form into an RNI registration or a BRP registration request:
the person, the residence verified by inspection, the link on the form, and the trail of every step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.cases import services
from ketenregie.cases.models import FirstRegistrationForm, RecordKind, RecordVersion
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.models import AuditEvent, Role
from ketenregie.people.models import Person, Residence, ResidenceVerification
from tests import factories as f
from tests.conftest import Casework

RNI_BSN = "111222333"


def fresh(form: FirstRegistrationForm) -> FirstRegistrationForm:
    return FirstRegistrationForm.objects.select_related("address", "case").get(pk=form.pk)


def test_a_form_processed_into_an_rni_registration_registers_the_person_where_they_were_seen(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    form = casework.registration
    actor = actor_for(Role.CIVIL_AFFAIRS)
    processed = services.registration_form_process(
        actor=actor, form=form, expected_version=form.version, outcome="rni", create_new=True, bsn=RNI_BSN
    )
    person = Person.objects.get(bsn=RNI_BSN)
    assert (person.surname, person.registration_status, person.nationality) == ("Zieliński", "rni", "PL")
    residence = Residence.objects.get(person=person)
    assert (residence.address_id, residence.starts_on, residence.source) == (
        form.address_id,
        dt.date(2026, 3, 10),
        "inspection",
    )
    assert (residence.verification_status, residence.verification_method) == ("verified", "inspection")
    step = ResidenceVerification.objects.get(residence=residence)
    assert step.by_name == "civil_affairs"
    # Written outside a request, the note is in the default language (Dutch).
    assert f"Eerste vestigingsformulier {form.pk}" in step.note
    assert (processed.status, processed.outcome, processed.person_id) == ("processed", "rni", person.pk)
    assert processed.processed_by == actor.user
    assert processed.processed_at is not None
    assert processed.processed_on == timezone.localdate()
    kept = RecordVersion.objects.get(record_kind=RecordKind.REGISTRATION_FORM, record_id=form.pk)
    assert kept.values["status"] == "drawn_up"
    trail = set(
        AuditEvent.objects.filter(username="civil_affairs", action__in=["create", "update"]).values_list(
            "object_type", "action"
        )
    )
    assert {
        ("people.person", "create"),
        ("people.residence", "create"),
        ("people.residence", "update"),
        ("cases.firstregistrationform", "update"),
    } <= trail


def test_an_rni_registration_needs_the_bsn_the_rni_gave(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    form = casework.registration
    with pytest.raises(ValidationError) as refused:
        services.registration_form_process(
            actor=actor_for(Role.CIVIL_AFFAIRS),
            form=form,
            expected_version=form.version,
            outcome="rni",
            create_new=True,
        )
    assert "bsn" in refused.value.message_dict
    assert fresh(form).status == "drawn_up"
    assert not Person.objects.filter(surname="Zieliński").exists()


def test_a_brp_registration_request_records_the_request_and_leaves_the_person_unregistered(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    form = casework.registration
    processed = services.registration_form_process(
        actor=actor_for(Role.CIVIL_AFFAIRS),
        form=form,
        expected_version=form.version,
        outcome="brp_request",
        create_new=True,
    )
    person = Person.objects.get(pk=processed.person_id)
    assert person.registration_status == "none"
    assert person.brp_registration_requested_on == timezone.localdate()
    assert processed.outcome == "brp_request"
    assert Residence.objects.get(person=person).verification_status == "verified"


def test_an_uncertain_match_is_never_merged_silently(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    municipality = casework.case.municipality
    namesake = f.PersonFactory(
        municipality=municipality,
        bsn="",
        given_names="Piotr",
        surname="Zielinski",  # without the accent: the same name to the matcher
        birth_date=dt.date(1994, 4, 12),
        registration_status="none",
    )
    form = casework.registration
    actor = actor_for(Role.CIVIL_AFFAIRS)
    with pytest.raises(ValidationError) as refused:
        services.registration_form_process(
            actor=actor, form=form, expected_version=form.version, outcome="brp_request"
        )
    assert "person" in refused.value.message_dict
    processed = services.registration_form_process(
        actor=actor, form=form, expected_version=form.version, outcome="rni", person=namesake, bsn=RNI_BSN
    )
    namesake.refresh_from_db()
    assert processed.person_id == namesake.pk
    assert (namesake.bsn, namesake.registration_status) == (RNI_BSN, "rni")
    assert Person.objects.filter(birth_date=dt.date(1994, 4, 12)).count() == 1


def test_choosing_a_new_person_despite_a_namesake_creates_one(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    f.PersonFactory(
        municipality=casework.case.municipality,
        given_names="Pawel",
        surname="Zieliński",
        birth_date=dt.date(1994, 4, 12),
    )
    form = casework.registration
    services.registration_form_process(
        actor=actor_for(Role.CIVIL_AFFAIRS),
        form=form,
        expected_version=form.version,
        outcome="brp_request",
        create_new=True,
    )
    assert Person.objects.filter(birth_date=dt.date(1994, 4, 12)).count() == 2


def test_the_page_lists_the_candidates_and_the_choice_is_the_users(
    casework: Casework, client_as: Callable[[str], Client]
) -> None:
    namesake = f.PersonFactory(
        municipality=casework.case.municipality,
        bsn="",
        given_names="Piotr",
        surname="Zieliński",
        birth_date=dt.date(1994, 4, 12),
        registration_status="none",
    )
    form = casework.registration
    url = reverse("cases:registration_process", args=[form.pk])
    client = client_as(Role.CIVIL_AFFAIRS)
    page = client.get(url).content.decode()
    assert f'id="person-{namesake.pk}"' in page
    assert f'value="{namesake.pk}" checked' not in page  # an uncertain match is not preselected
    unchosen = client.post(url, {"version": form.version, "outcome": "brp_request"})
    assert unchosen.status_code == 400
    chosen = client.post(url, {"version": form.version, "outcome": "brp_request", "person": str(namesake.pk)})
    assert chosen.status_code == 302
    assert fresh(form).person_id == namesake.pk
    stale = client.post(url, {"version": form.version, "outcome": "rni", "person": "new", "bsn": RNI_BSN})
    assert stale.status_code == 409  # processed already: the page no longer processes
    assert not Person.objects.filter(bsn=RNI_BSN).exists()


def test_a_person_with_the_same_bsn_is_proposed(
    casework: Casework, client_as: Callable[[str], Client]
) -> None:
    form = casework.registration
    FirstRegistrationForm.objects.filter(pk=form.pk).update(bsn=RNI_BSN)
    known = f.PersonFactory(municipality=casework.case.municipality, bsn=RNI_BSN, registration_status="rni")
    page = client_as(Role.CIVIL_AFFAIRS).get(reverse("cases:registration_process", args=[form.pk]))
    assert f'value="{known.pk}" checked' in page.content.decode()


def test_a_stale_version_processes_nothing(casework: Casework, actor_for: Callable[[str], Actor]) -> None:
    form = casework.registration
    actor = actor_for(Role.CIVIL_AFFAIRS)
    services.registration_form_set_status(
        actor=actor, form=form, expected_version=form.version, status="sent"
    )
    with pytest.raises(ConcurrentEditError):
        services.registration_form_process(
            actor=actor, form=form, expected_version=1, outcome="rni", create_new=True, bsn=RNI_BSN
        )
    assert not Person.objects.filter(bsn=RNI_BSN).exists()


def test_processed_is_not_a_status_to_set_by_hand(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    form = casework.registration
    with pytest.raises(ValidationError):
        services.registration_form_set_status(
            actor=actor_for(Role.CIVIL_AFFAIRS), form=form, expected_version=form.version, status="processed"
        )
    assert fresh(form).status == "drawn_up"


@pytest.mark.parametrize("role", list(Role.values))
def test_only_civil_affairs_opens_the_processing_page(
    role: str, casework: Casework, client_as: Callable[[str], Client]
) -> None:
    response = client_as(role).get(reverse("cases:registration_process", args=[casework.registration.pk]))
    assert response.status_code == (200 if role == Role.CIVIL_AFFAIRS else 403)


def test_another_municipality_cannot_find_the_form(
    casework: Casework, client_as: Callable[[str], Client]
) -> None:
    from ketenregie.core.models import Municipality

    other = Municipality.objects.get(code="0637")
    outsider = f.persona(Role.CIVIL_AFFAIRS, other, username="outsider_civil")
    client = Client()
    client.force_login(outsider)
    url = reverse("cases:registration_process", args=[casework.registration.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"version": 1, "outcome": "rni", "person": "new", "bsn": RNI_BSN}).status_code == 404
    )
    assert fresh(casework.registration).status == "drawn_up"
