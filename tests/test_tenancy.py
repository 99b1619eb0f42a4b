from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories as f
from tests.conftest import World


def test_lists_show_only_the_users_own_municipality(
    world: World, other_municipality: object, client_as: Callable[[str], Client]
) -> None:
    f.AddressFactory(municipality=other_municipality, street="Dorpsstraat")
    mine = client_as("enforcement").get(reverse("places:address_list"))
    theirs = client_as("outsider").get(reverse("places:address_list"))
    assert [a.street for a in mine.context["page"].object_list] == ["Boterdiep"]
    assert [a.street for a in theirs.context["page"].object_list] == ["Dorpsstraat"]


def test_the_api_lists_only_the_callers_municipality(
    world: World, other_municipality: object, api_as: Callable[[str], APIClient]
) -> None:
    f.PersonFactory(municipality=other_municipality, surname="Anders")
    surnames = [p["surname"] for p in api_as("outsider").get("/api/v1/people/").json()["results"]]
    assert surnames == ["Anders"]


def test_the_same_bsn_may_exist_in_two_municipalities(world: World, other_municipality: object) -> None:
    twin = f.PersonFactory(municipality=other_municipality, bsn=world.person.bsn)
    assert twin.pk != world.person.pk
