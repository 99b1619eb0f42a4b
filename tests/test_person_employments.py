"""The person page's work and labour-migration actions (issue 12, part 4): add and end an employment,
record, change and confirm a labour-migrant profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.models import AuditEvent
from ketenregie.employers import services as employer_services
from ketenregie.employers.models import Employment
from ketenregie.people import services
from ketenregie.people.models import LabourMigrant
from tests import factories as f
from tests.conftest import World


def test_civil_affairs_adds_an_employment_with_a_hirer_on_the_person_page(
    world: World, client_as: Callable[[str], Client]
) -> None:
    hirer = f.EmployerFactory(municipality=world.person.municipality, kind="hirer", name="Kas B.V.")
    response = client_as("civil_affairs").post(
        reverse("people:employment_add", args=[world.person.pk]),
        {"employer": world.employer.pk, "hirer": hirer.pk, "sector": "", "starts_on": "2025-03-01"},
    )
    assert response.status_code == 302
    employment = Employment.objects.get(person=world.person, hirer=hirer)
    assert employment.employer == world.employer
    assert employment.starts_on == dt.date(2025, 3, 1)
    assert employment.ends_on is None
    page = client_as("civil_affairs").get(reverse("people:person_detail", args=[world.person.pk]))
    assert "Kas B.V." in page.content.decode()
    assert AuditEvent.objects.filter(
        object_type="employers.employment", object_id=str(employment.pk)
    ).exists()


def test_an_employment_that_ends_before_it_starts_is_refused_and_nothing_is_saved(
    world: World, client_as: Callable[[str], Client]
) -> None:
    before = Employment.objects.count()
    response = client_as("civil_affairs").post(
        reverse("people:employment_add", args=[world.person.pk]),
        {"employer": world.employer.pk, "starts_on": "2025-03-01", "ends_on": "2025-02-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]
    assert Employment.objects.count() == before


def test_the_hirer_must_be_another_employer(world: World, actor_for: Callable[[str], Actor]) -> None:
    with pytest.raises(ValidationError) as refused:
        employer_services.employment_start(
            actor=actor_for("civil_affairs"),
            person=world.person,
            employer=world.employer,
            hirer=world.employer,
            starts_on=dt.date(2025, 1, 1),
        )
    assert "hirer" in refused.value.message_dict


def test_an_employer_of_another_municipality_is_refused(
    world: World,
    other_municipality: object,
    actor_for: Callable[[str], Actor],
    client_as: Callable[[str], Client],
) -> None:
    elsewhere = f.EmployerFactory(municipality=other_municipality)
    response = client_as("civil_affairs").post(
        reverse("people:employment_add", args=[world.person.pk]),
        {"employer": elsewhere.pk, "starts_on": "2025-03-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["employer"]
    with pytest.raises(PermissionError):
        employer_services.employment_start(
            actor=actor_for("civil_affairs"),
            person=world.person,
            employer=elsewhere,
            starts_on=dt.date(2025, 1, 1),
        )
    assert not Employment.objects.filter(employer=elsewhere).exists()


def test_ending_an_employment_closes_it_and_a_second_end_is_refused(
    world: World, client_as: Callable[[str], Client]
) -> None:
    employment = Employment.objects.get(person=world.person)
    url = reverse("people:employment_end", args=[world.person.pk, employment.pk])
    assert client_as("civil_affairs").post(url, {"ends_on": "2025-06-30"}).status_code == 302
    employment.refresh_from_db()
    assert employment.ends_on == dt.date(2025, 6, 30)
    again = client_as("civil_affairs").post(url, {"ends_on": "2025-07-31"})
    assert again.status_code == 200
    assert "already ended" in str(again.context["form"].errors)
    employment.refresh_from_db()
    assert employment.ends_on == dt.date(2025, 6, 30)


def test_an_end_before_the_start_is_refused(world: World, actor_for: Callable[[str], Actor]) -> None:
    employment = Employment.objects.get(person=world.person)
    with pytest.raises(ValidationError):
        employer_services.employment_end(
            actor=actor_for("civil_affairs"),
            employment=employment,
            ends_on=employment.starts_on - dt.timedelta(days=1),
        )
    employment.refresh_from_db()
    assert employment.ends_on is None


def test_another_municipalitys_employment_is_not_found(
    world: World, other_municipality: object, client_as: Callable[[str], Client]
) -> None:
    stranger = f.PersonFactory(municipality=other_municipality)
    theirs = f.EmploymentFactory(
        municipality=other_municipality,
        person=stranger,
        employer=f.EmployerFactory(municipality=other_municipality),
    )
    # Their employment under our person, and their person: both unknown here.
    ours = reverse("people:employment_end", args=[world.person.pk, theirs.pk])
    assert client_as("civil_affairs").post(ours, {"ends_on": "2025-06-30"}).status_code == 404
    assert (
        client_as("civil_affairs").get(reverse("people:employment_add", args=[stranger.pk])).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.ends_on is None


def test_enforcement_may_see_but_not_change_employments(
    world: World, client_as: Callable[[str], Client]
) -> None:
    employment = Employment.objects.get(person=world.person)
    client = client_as("enforcement")
    url = reverse("people:employment_end", args=[world.person.pk, employment.pk])
    assert client.post(url, {"ends_on": "2025-06-30"}).status_code == 403
    employment.refresh_from_db()
    assert employment.ends_on is None


def test_staff_record_a_profile_with_a_country_chosen_from_the_list(
    municipality: object, client_as: Callable[[str], Client]
) -> None:
    person = f.PersonFactory(municipality=municipality)
    url = reverse("people:labour_migrant_edit", args=[person.pk])
    refused = client_as("civil_affairs").post(url, {"country_of_origin": "Polen", "sector": "logistics"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["country_of_origin"]
    assert not LabourMigrant.objects.filter(person=person).exists()
    saved = client_as("civil_affairs").post(
        url, {"country_of_origin": "RO", "sector": "logistics", "arrival_date": "2024-04-01", "confirm": "on"}
    )
    assert saved.status_code == 302
    migrant = LabourMigrant.objects.get(person=person)
    assert (migrant.country_of_origin, migrant.sector) == ("RO", "logistics")
    assert migrant.confirmed_at is not None
    assert migrant.confirmed_by is not None
    assert migrant.confirmed_by.username == "civil_affairs"


def test_confirming_a_delivered_profile_records_who_and_when(
    world: World, client_as: Callable[[str], Client]
) -> None:
    migrant = LabourMigrant.objects.get(person=world.person)
    assert migrant.confirmed_at is None
    page = client_as("civil_affairs").get(reverse("people:person_detail", args=[world.person.pk]))
    assert "not confirmed" in page.content.decode()
    response = client_as("civil_affairs").post(
        reverse("people:labour_migrant_confirm", args=[world.person.pk]), {"version": migrant.version}
    )
    assert response.status_code == 302
    migrant.refresh_from_db()
    assert migrant.confirmed_at is not None
    assert migrant.confirmed_by is not None
    assert migrant.version == 2
    assert AuditEvent.objects.filter(object_type="people.labourmigrant", action="update").exists()


def test_the_second_of_two_concurrent_profile_changes_gets_a_conflict(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("civil_affairs")
    migrant = LabourMigrant.objects.get(person=world.person)
    read = migrant.version
    services.labour_migrant_record(
        actor=actor, person=world.person, country_of_origin="BG", sector="agriculture", expected_version=read
    )
    with pytest.raises(ConcurrentEditError):
        services.labour_migrant_record(
            actor=actor,
            person=world.person,
            country_of_origin="LT",
            sector="agriculture",
            expected_version=read,
        )
    with pytest.raises(ConcurrentEditError):
        services.labour_migrant_confirm(actor=actor, migrant=migrant, expected_version=read)
    assert LabourMigrant.objects.get(person=world.person).country_of_origin == "BG"


def test_changing_a_confirmed_profile_makes_it_unconfirmed_again(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("civil_affairs")
    migrant = LabourMigrant.objects.get(person=world.person)
    migrant = services.labour_migrant_confirm(actor=actor, migrant=migrant, expected_version=migrant.version)
    changed = services.labour_migrant_record(
        actor=actor,
        person=world.person,
        country_of_origin="PL",
        sector="construction",
        arrival_date=migrant.arrival_date,
        expected_version=migrant.version,
    )
    assert changed.confirmed_at is None


def test_a_second_new_profile_is_refused(world: World, actor_for: Callable[[str], Actor]) -> None:
    with pytest.raises(ValidationError):
        services.labour_migrant_record(
            actor=actor_for("civil_affairs"), person=world.person, country_of_origin="PL"
        )
