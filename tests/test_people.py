from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.people import selectors, services
from ketenregie.people.models import Person, Residence
from tests import factories as f
from tests.conftest import World


def test_a_bad_bsn_gets_a_field_error_and_nothing_is_saved(
    world: World, client_as: Callable[[str], Client]
) -> None:
    url = reverse("people:person_edit", args=[world.person.pk])
    response = client_as("civil_affairs").post(
        url,
        {
            "bsn": "123456789",
            "surname": "Nowak",
            "given_names": "Anna",
            "registration_status": "brp",
            "version": world.person.version,
        },
    )
    assert response.status_code == 200
    assert "11-test" in " ".join(response.context["form"].errors["bsn"]) or "elfproef" in " ".join(
        response.context["form"].errors["bsn"]
    )
    assert Person.objects.get(pk=world.person.pk).bsn == world.person.bsn


def test_the_second_of_two_concurrent_edits_gets_a_conflict(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("civil_affairs")
    read_by_first = world.person.version
    services.person_update(
        actor=actor, person=world.person, expected_version=read_by_first, phone="+31 6 11111111"
    )
    with pytest.raises(ConcurrentEditError):
        services.person_update(
            actor=actor, person=world.person, expected_version=read_by_first, phone="+31 6 22222222"
        )
    assert Person.objects.get(pk=world.person.pk).phone == "+31 6 11111111"


def test_the_edit_page_shows_the_conflict_and_keeps_what_was_typed(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("civil_affairs")
    url = reverse("people:person_edit", args=[world.person.pk])
    form = {
        "bsn": world.person.bsn,
        "surname": "Nowak-Kowalska",
        "given_names": "Anna",
        "registration_status": "brp",
        "version": world.person.version,
    }
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "surname": "Kowalska"})
    assert response.status_code == 200
    assert "Someone else changed this record" in str(response.context["form"].non_field_errors())
    assert response.context["form"]["surname"].value() == "Kowalska"
    assert Person.objects.get(pk=world.person.pk).surname == "Nowak-Kowalska"


def test_a_move_ends_the_previous_living_address_and_keeps_it(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    new_address = f.AddressFactory(municipality=world.address.municipality, street="Vredesplein")
    services.residence_start(
        actor=actor_for("civil_affairs"),
        person=world.person,
        address=new_address,
        starts_on=dt.date(2025, 9, 1),
    )
    residences = Residence.objects.filter(person=world.person).order_by("starts_on")
    assert [(r.address_id, r.ends_on) for r in residences] == [
        (world.address.pk, dt.date(2025, 9, 1)),
        (new_address.pk, None),
    ]


def test_a_move_cannot_start_before_the_current_address(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    new_address = f.AddressFactory(municipality=world.address.municipality)
    with pytest.raises(ValidationError):
        services.residence_start(
            actor=actor_for("civil_affairs"),
            person=world.person,
            address=new_address,
            starts_on=dt.date(2024, 1, 1),
        )
    assert Residence.objects.filter(person=world.person).count() == 1


def test_the_move_form_refuses_an_unknown_address(world: World, client_as: Callable[[str], Client]) -> None:
    response = client_as("civil_affairs").post(
        reverse("people:person_move", args=[world.person.pk]),
        {
            "postcode": "9999 ZZ",
            "house_number": "1",
            "starts_on": "2025-10-01",
            "source": "brp",
            "verification_status": "unverified",
        },
    )
    assert "no address with this postcode" in " ".join(response.context["form"].errors["postcode"])
    assert Residence.objects.filter(person=world.person).count() == 1


def test_occupancy_compares_floor_area_per_person_with_the_norm(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    for _ in range(4):
        f.ResidenceFactory(municipality=world.address.municipality, address=world.address)
    occupancy = selectors.address_occupancy(
        actor=actor_for("enforcement"), address=world.address, on=dt.date(2025, 1, 1)
    )
    assert occupancy.registered_count == 5
    assert str(occupancy.floor_area_per_person) == "9.6"
    assert occupancy.max_persons_by_norm == 4
    assert occupancy.is_over_norm is True


def test_occupancy_uses_half_open_periods(world: World, actor_for: Callable[[str], Actor]) -> None:
    f.ResidenceFactory(
        municipality=world.address.municipality,
        address=world.address,
        starts_on=dt.date(2023, 1, 1),
        ends_on=dt.date(2024, 2, 1),
    )
    on_the_day = selectors.address_occupancy(
        actor=actor_for("enforcement"), address=world.address, on=dt.date(2024, 2, 1)
    )
    day_before = selectors.address_occupancy(
        actor=actor_for("enforcement"), address=world.address, on=dt.date(2024, 1, 31)
    )
    assert on_the_day.registered_count == 1
    assert len(on_the_day.former) == 1
    assert day_before.registered_count == 1
    assert day_before.current[0].residence.ends_on == dt.date(2024, 2, 1)


def test_unknown_floor_area_is_said_to_be_unknown(world: World, actor_for: Callable[[str], Actor]) -> None:
    world.address.floor_area_m2 = None
    world.address.save()
    occupancy = selectors.address_occupancy(actor=actor_for("enforcement"), address=world.address)
    assert occupancy.is_over_norm is None
    assert occupancy.max_persons_by_norm is None


def test_searching_people_by_name_keeps_the_name_out_of_the_url(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("enforcement")
    response = client.post(reverse("people:person_list"), {"q": world.person.surname})
    assert response.status_code == 302
    assert world.person.surname not in response["Location"]
    page = client.get(response["Location"])
    assert [row.person.pk for row in page.context["page"].object_list] == [world.person.pk]
