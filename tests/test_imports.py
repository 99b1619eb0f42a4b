from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportRejected, run_import
from ketenregie.employers.imports import EmployerImporter
from ketenregie.employers.models import Employer
from ketenregie.people.imports import PersonImporter
from ketenregie.people.models import Person, Residence
from ketenregie.places.imports import AddressImporter
from ketenregie.places.models import Address
from tests.conftest import World

ADDRESSES = (
    "bag_object_id;bag_address_id;street;house_number;postcode;town;floor_area_m2;use_purposes\n"
    "0599010000300001;0599200000300001;Dorpsweg;10;3083 AB;Rotterdam;64;woonfunctie\n"
    "0599010000300002;0599200000300002;Dorpsweg;12;3083AB;Rotterdam;;woonfunctie|kantoorfunctie\n"
)


def test_a_clean_address_file_is_imported_and_importing_it_again_changes_nothing(
    actor_for: Callable[[str], Actor],
) -> None:
    first = run_import(actor=actor_for("civil_affairs"), importer=AddressImporter(), data=ADDRESSES.encode())
    second = run_import(actor=actor_for("civil_affairs"), importer=AddressImporter(), data=ADDRESSES.encode())
    assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
    address = Address.objects.get(bag_object_id="0599010000300002")
    assert address.postcode == "3083AB"
    assert address.floor_area_m2 is None
    assert address.is_habitable_use


def test_a_file_with_bad_rows_writes_nothing_and_names_every_bad_row(
    actor_for: Callable[[str], Actor],
) -> None:
    data = ADDRESSES + (
        "0599010000300003;;Dorpsweg;x;3083AB;Rotterdam;;woonfunctie\n"
        "059901000030000;;Dorpsweg;14;3083AB;Rotterdam;;woonfunctie\n"
        "0599010000300005;;Dorpsweg;16;ABCD12;Rotterdam;;schuur\n"
        "0599010000300001;;Dorpsweg;18;3083AB;Rotterdam;;woonfunctie\n"
    )
    with pytest.raises(ImportRejected) as refused:
        run_import(actor=actor_for("civil_affairs"), importer=AddressImporter(), data=data.encode())
    rejected = refused.value
    problems = {(e.row, e.column) for e in rejected.errors}
    assert problems == {
        (4, "house_number"),
        (5, "bag_object_id"),
        (6, "postcode"),
        (6, "use_purposes"),
        (2, "bag_object_id"),
        (7, "bag_object_id"),
    }
    assert not Address.objects.exists()


def test_duplicates_within_a_file_are_reported(actor_for: Callable[[str], Actor]) -> None:
    data = ADDRESSES + "0599010000300001;;Dorpsweg;18;3083AB;Rotterdam;;woonfunctie\n"
    with pytest.raises(ImportRejected) as refused:
        run_import(actor=actor_for("civil_affairs"), importer=AddressImporter(), data=data.encode())
    rejected = refused.value
    assert {(e.row, e.column) for e in rejected.errors} == {(2, "bag_object_id"), (4, "bag_object_id")}


def test_missing_and_unknown_columns_are_reported_before_any_row(actor_for: Callable[[str], Actor]) -> None:
    with pytest.raises(ImportRejected) as refused, translation.override("en"):
        run_import(
            actor=actor_for("civil_affairs"),
            importer=EmployerImporter(),
            data=b"kvk_number;naam\n24123456;Foo\n",
        )
    rejected = refused.value
    messages = " ".join(e.message for e in rejected.errors)
    assert "Missing columns: name, kind" in messages
    assert "Unknown columns: naam" in messages


def test_a_file_that_is_not_utf8_is_refused(actor_for: Callable[[str], Actor]) -> None:
    with pytest.raises(ImportRejected) as refused:
        run_import(
            actor=actor_for("civil_affairs"),
            importer=EmployerImporter(),
            data="kvk_number;name;kind\n24123456;Café Ü;hirer\n".encode("cp1252"),
        )
    rejected = refused.value
    assert "UTF-8" in rejected.errors[0].message


def test_people_are_matched_by_bsn_and_a_move_keeps_the_history(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    new_home = Address.objects.create(
        municipality=world.address.municipality,
        street="Kade",
        house_number=3,
        postcode="3011AA",
        town="Rotterdam",
        bag_object_id="0599010000400001",
    )
    data = (
        "bsn;surname;given_names;birth_date;nationality;postcode;house_number;living_since\n"
        f"{world.person.bsn};{world.person.surname};Anna;17-05-1990;pl;3011 AA;3;2025-10-01\n"
        "999993653;Moulin;Suzanne;1985-12-01;FR;;;\n"
    )
    result = run_import(actor=actor_for("civil_affairs"), importer=PersonImporter(), data=data.encode())
    assert (result.created, result.updated) == (1, 1)
    history = list(
        Residence.objects.filter(person=world.person)
        .order_by("starts_on")
        .values_list("address_id", "ends_on")
    )
    assert history[-1] == (new_home.pk, None)
    assert history[0][1] is not None
    again = run_import(actor=actor_for("civil_affairs"), importer=PersonImporter(), data=data.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Person.objects.filter(bsn="999993653").count() == 1


def test_a_person_with_an_invalid_bsn_or_unknown_address_is_reported(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    data = (
        "bsn;surname;postcode;house_number;living_since\n"
        "123456789;Nowak;;;\n"
        ";Kowalski;9999ZZ;1;2025-01-01\n"
        ";Lewandowski;3011AA;;\n"
    )
    with pytest.raises(ImportRejected) as refused:
        run_import(actor=actor_for("civil_affairs"), importer=PersonImporter(), data=data.encode())
    rejected = refused.value
    problems = {(e.row, e.column) for e in rejected.errors}
    assert problems == {(2, "bsn"), (3, "postcode"), (4, "house_number"), (4, "living_since")}
    assert Person.objects.count() == 1


def test_the_import_page_lists_every_bad_row(
    municipality: object, client_as: Callable[[str], Client]
) -> None:
    upload = SimpleUploadedFile("werkgevers.csv", b"kvk_number;name;kind\n2412;A;hirer\n24123456;B;bakker\n")
    response = client_as("civil_affairs").post(reverse("web:import"), {"kind": "employers", "file": upload})
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "kvk_number"), (3, "kind")]
    assert not Employer.objects.exists()


def test_the_import_page_refuses_other_file_types(
    municipality: object, client_as: Callable[[str], Client]
) -> None:
    upload = SimpleUploadedFile("werkgevers.xlsx", b"PK...")
    response = client_as("civil_affairs").post(reverse("web:import"), {"kind": "employers", "file": upload})
    assert "Upload a .csv file." in response.context["form"].errors["file"]
