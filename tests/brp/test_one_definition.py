"""One definition of who lived where: the address list counts (SQL), the address page and the
BRP Bewoning answer agree, including partly unknown dates, suspension and postal addresses."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality, Role
from ketenregie.demo.models import SeedRun
from ketenregie.people import occupancy
from ketenregie.people.gbav.importer import import_gbav
from ketenregie.people.models import Residence
from ketenregie.people.selectors import address_occupancy
from ketenregie.places.models import Address
from ketenregie.places.selectors import with_registered_count
from tests import factories as f
from tests.conftest import english_client

TEST_SET = Path(__file__).resolve().parent.parent / "data" / "brp" / "gbav-testset-2022-05-02.csv"
DAYS = [
    dt.date(1970, 1, 1),
    dt.date(1995, 6, 30),
    dt.date(2000, 6, 10),
    dt.date(2011, 2, 5),
    dt.date(2022, 5, 1),
]


def test_the_list_counts_are_the_residents_of_the_rules_on_the_test_set(db: None) -> None:
    import_gbav(TEST_SET)
    address_ids = sorted(set(Residence.objects.exclude(address=None).values_list("address_id", flat=True)))
    checked = 0
    for day in DAYS:
        counted = dict(
            with_registered_count(Address.objects.filter(pk__in=address_ids), day).values_list(
                "pk", "registered_persons"
            )
        )
        for address in Address.objects.filter(pk__in=address_ids):
            stays = occupancy.address_stays(municipality_id=address.municipality_id, address_ids=[address.pk])
            residents = [o for o in occupancy.occupants_on(stays, day) if o.state == occupancy.State.CERTAIN]
            assert counted[address.pk] == len(residents), (address.pk, day)
            checked += len(residents)
    assert checked > 300


@pytest.fixture
def showcase(db: None) -> tuple[Municipality, Address]:
    call_command("seed", "--profile", "zoetermeer", "--seed", "5", "--scale", "0.01", stdout=StringIO())
    run = SeedRun.objects.get()
    return run.municipality, Address.objects.get(pk=run.counts["brp_showcase_address_id"])


def test_the_demo_shows_the_brp_cases_on_one_address_page(showcase: tuple[Municipality, Address]) -> None:
    municipality, address = showcase
    officer = f.persona(Role.ENFORCEMENT, municipality, username="handhaver")
    client: Client = english_client()
    client.force_login(officer)
    page = client.get(reverse("places:address_detail", args=[address.pk])).content.decode()
    assert "Who possibly lives here now" in page
    assert "Registered here as postal address" in page
    assert "secret" in page
    assert "under investigation" in page
    assert "record suspended: deceased (overlijden)" in page
    actor = Actor.system(municipality, name="test")
    result = address_occupancy(actor=actor, address=address, on=dt.date(2026, 11, 1))
    assert len(result.possible) == 1
    assert result.possible[0].residence.starts_on_raw == "00000000"
    assert len(result.postal) == 1
    listed = with_registered_count(Address.objects.filter(pk=address.pk), dt.date(2026, 11, 1)).get()
    assert listed.registered_persons == result.registered_count


def test_the_address_page_hides_names_from_roles_without_personal_data(
    showcase: tuple[Municipality, Address],
) -> None:
    municipality, address = showcase
    actor = Actor.system(municipality, name="test", roles=frozenset({Role.POLICY}))
    result = address_occupancy(actor=actor, address=address, on=dt.date(2026, 11, 1))
    assert result.registered_count >= 2
    assert result.possible_count == 1
    assert result.current == result.possible == result.postal == []
