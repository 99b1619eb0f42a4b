"""Countries and nationalities are ISO codes everywhere (issue 12, part 4): chosen from a list in staff
forms, typed codes read by ``core.countries.country_code`` in files and the API, and refused by the
model itself. "Polen" once became "PO"; every entry point now refuses it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ketenregie.core.actor import Actor
from ketenregie.core.countries import country_choices, country_name
from ketenregie.core.imports import ImportRejected, run_import
from ketenregie.people.brp_tables import NATIONALITY_TO_ISO, iso_country
from ketenregie.people.imports import PersonImporter
from ketenregie.people.models import LabourMigrant, Person
from tests import factories as f
from tests.conftest import Casework, World


def _staff_form(world: World, client_as: Callable[[str], Client], casework: Casework, actor_for: Any) -> str:
    response = client_as("civil_affairs").post(
        reverse("people:person_edit", args=[world.person.pk]),
        {
            "bsn": world.person.bsn,
            "surname": world.person.surname,
            "given_names": "Anna",
            "registration_status": "resident",
            "nationality": "Polen",
            "version": world.person.version,
        },
    )
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["nationality"])


def _csv_import(world: World, client_as: Callable[[str], Client], casework: Casework, actor_for: Any) -> str:
    data = "bsn;surname;given_names;nationality\n999993653;Moulin;Suzanne;Polen\n"
    with pytest.raises(ImportRejected) as refused:
        run_import(actor=actor_for("civil_affairs"), importer=PersonImporter(), data=data.encode())
    (error,) = refused.value.errors
    assert (error.row, error.column) == (2, "nationality")
    return error.message


def _api_search(world: World, client_as: Callable[[str], Client], casework: Casework, actor_for: Any) -> str:
    from rest_framework.test import APIClient

    from ketenregie.core.tokens import token_create

    user = world.person.municipality and f.persona(
        "civil_affairs", world.person.municipality, username="api-ca"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=user, name='t')[1]}")
    response = client.post(
        "/api/v1/people/search/", {"surname": "Nowak", "nationality": "Polen"}, format="json"
    )
    assert response.status_code == 400
    listed = client.get("/api/v1/people/", {"nationality": "Polen"})
    assert listed.status_code == 400
    return str(response.json())


def _first_registration(
    world: World, client_as: Callable[[str], Client], casework: Casework, actor_for: Any
) -> str:
    response = client_as("enforcement").post(
        reverse("cases:registration_add", args=[casework.case.pk, casework.finding.pk]),
        {
            "given_names": "Jan",
            "surname": "Kowalski",
            "birth_date": "1990-01-01",
            "nationality": "Polen",
            "previous_country": "PO",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["previous_country"]
    return " ".join(errors["nationality"])


ENTRY_POINTS = {
    "staff person form": _staff_form,
    "CSV import of people": _csv_import,
    "API people search and list": _api_search,
    "first-registration form": _first_registration,
}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS), ids=list(ENTRY_POINTS))
def test_polen_is_refused_at_every_entry_point_and_nothing_is_stored(
    entry: str,
    world: World,
    casework: Casework,
    client_as: Callable[[str], Client],
    actor_for: Callable[[str], Actor],
) -> None:
    before = set(Person.objects.values_list("nationality", flat=True))
    message = ENTRY_POINTS[entry](world, client_as, casework, actor_for)
    assert message
    assert "PO" not in set(Person.objects.values_list("nationality", flat=True)) - before
    assert not Person.objects.filter(nationality__in=["PO", "POLEN", "Polen"]).exists()
    from ketenregie.cases.models import FirstRegistrationForm

    assert not FirstRegistrationForm.objects.filter(nationality__in=["PO", "Polen"]).exists()


def test_a_typed_name_is_refused_with_the_code_it_means(actor_for: Callable[[str], Actor], db: None) -> None:
    data = "bsn;surname;given_names;nationality\n999993653;Moulin;Suzanne;Polen\n"
    with pytest.raises(ImportRejected) as refused:
        run_import(actor=actor_for("civil_affairs"), importer=PersonImporter(), data=data.encode())
    assert "PL" in refused.value.errors[0].message


def test_the_model_itself_refuses_a_code_that_is_no_country(world: World) -> None:
    world.person.nationality = "PO"
    with pytest.raises(ValidationError) as refused:
        world.person.full_clean()
    assert "nationality" in refused.value.message_dict
    migrant = LabourMigrant.objects.get(person=world.person)
    migrant.country_of_origin = "XX"
    with pytest.raises(ValidationError):
        migrant.full_clean()


def test_staff_forms_offer_the_countries_by_name_in_the_active_language(db: None) -> None:
    with translation.override("nl"):
        names = dict(country_choices())
    assert names["PL"] == "Polen"
    assert names["DE"] == "Duitsland"
    assert names[""] == "—"


def test_a_stored_code_is_shown_as_the_countrys_name_and_an_old_bad_value_stands_out(db: None) -> None:
    with translation.override("nl"):
        assert country_name("PL") == "Polen (PL)"
        assert "PO" in country_name("PO")
        assert "ISO" in country_name("PO")
    assert country_name("") == ""


def test_the_person_page_shows_the_nationality_by_name(
    world: World, client_as: Callable[[str], Client]
) -> None:
    page = client_as("civil_affairs").get(reverse("people:person_detail", args=[world.person.pk]))
    assert "Poland (PL)" in page.content.decode()


def test_every_mapped_brp_nationality_is_a_current_iso_country() -> None:
    from django_countries import countries

    assert all(countries.alpha2(code) for code in NATIONALITY_TO_ISO.values())
    assert (iso_country("0072"), iso_country("0074"), iso_country("0053")) == ("PL", "RO", "BG")
    # Unknown, stateless and former states name no one country: no guess.
    assert (iso_country("0000"), iso_country("0499"), iso_country("0075")) == ("", "", "")
