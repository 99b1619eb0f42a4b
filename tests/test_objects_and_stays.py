"""Counting by addressable object (a secondary address lives in its main address's object) and what a new
stay address ends when the person is already known at that address (review of issue 12)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client

from ketenregie.core.actor import Actor
from ketenregie.core.models import Role
from ketenregie.people import selectors
from ketenregie.people.models import Residence
from ketenregie.people.stays import stay_address_start
from tests import factories as f


def _object_with_a_secondary_address(municipality: Any) -> tuple[Any, Any]:
    main = f.AddressFactory(municipality=municipality, floor_area_m2=24)
    side = f.AddressFactory(
        municipality=municipality,
        main_address=main,
        bag_object_id=main.bag_object_id,
        floor_area_m2=None,
    )
    f.ResidenceFactory(municipality=municipality, address=main)
    f.ResidenceFactory.create_batch(2, municipality=municipality, address=side)
    return main, side


def test_the_address_page_counts_the_people_at_its_secondary_addresses_like_the_lists(
    municipality: Any, actor_for: Callable[[str], Actor]
) -> None:
    main, _side = _object_with_a_secondary_address(municipality)
    actor = actor_for(Role.ENFORCEMENT)
    page = selectors.address_occupancy(actor=actor, address=main)
    assert page.registered_count == 3
    assert selectors.registered_count(actor=actor, address=main, on=dt.date.today()) == 3


def test_an_object_over_the_norm_through_its_secondary_address_is_in_the_key_figures(
    municipality: Any, actor_for: Callable[[str], Actor]
) -> None:
    """24 m² for 3 people is 8 m² each, under the norm of 12: over the norm, although the main address
    alone holds one person."""
    _object_with_a_secondary_address(municipality)
    figures = selectors.people_key_figures(actor=actor_for(Role.POLICY))
    assert figures.addresses_over_norm == 1


def test_a_report_of_the_brp_address_ends_an_earlier_stay_address_elsewhere(
    municipality: Any, actor_for: Callable[[str], Actor]
) -> None:
    person = f.PersonFactory(municipality=municipality)
    brp = f.ResidenceFactory(municipality=municipality, person=person)
    agency = f.ResidenceFactory(
        municipality=municipality, person=person, source="agency", starts_on=dt.date(2025, 3, 1)
    )
    kept = stay_address_start(
        actor=actor_for(Role.CIVIL_AFFAIRS),
        person=person,
        address=brp.address,
        starts_on=dt.date(2025, 5, 1),
        source="self_service",
    )
    assert kept.pk == brp.pk
    agency.refresh_from_db()
    assert agency.ends_on == dt.date(2025, 5, 1)
    living = Residence.objects.filter(selectors.lives_on(dt.date(2025, 6, 1)), person=person).get()
    assert living.address_id == brp.address_id


def test_a_rejected_stay_address_at_the_reported_address_is_no_knowledge_of_the_person_being_there(
    municipality: Any, actor_for: Callable[[str], Actor]
) -> None:
    person = f.PersonFactory(municipality=municipality)
    rejected = f.ResidenceFactory(
        municipality=municipality, person=person, source="agency", verification_status="rejected"
    )
    new = stay_address_start(
        actor=actor_for(Role.CIVIL_AFFAIRS),
        person=person,
        address=rejected.address,
        starts_on=dt.date(2025, 5, 1),
        source="self_service",
    )
    assert new.pk != rejected.pk
    assert (new.source, new.verification_status) == ("self_service", "unverified")


def test_the_api_version_header_is_on_the_api_base_path_too(client: Client) -> None:
    assert client.get("/api/v1").headers.get("API-Version")
    assert "API-Version" not in client.get("/app/").headers
