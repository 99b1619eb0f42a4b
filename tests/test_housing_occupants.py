"""Housing locations against their occupants (issue 12 part 7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from ketenregie.core.actor import Actor
from ketenregie.core.models import AuditEvent, Role
from ketenregie.deliveries.models import DeliveredPerson, Delivery, DeliveryKind
from ketenregie.housing.occupants import location_occupancy
from tests import factories as f


@pytest.fixture
def site(municipality: Any) -> dict[str, Any]:
    provider = f.EmployerFactory(municipality=municipality, name="Logies Provider B.V.")
    location = f.HousingLocationFactory(municipality=municipality, provider=provider, capacity_persons=10)
    a, b = (f.AddressFactory(municipality=municipality) for _ in range(2))
    location.addresses.add(a, b)
    permit = f.HousingPermitFactory(municipality=municipality, location=location, max_persons=2)
    both = f.PersonFactory(municipality=municipality, surname="Both")
    brp_only = f.PersonFactory(municipality=municipality, surname="Brponly")
    delivered_only = f.PersonFactory(municipality=municipality, surname="Deliveredonly")
    f.ResidenceFactory(municipality=municipality, person=both, address=a)
    f.ResidenceFactory(municipality=municipality, person=brp_only, address=b)
    # A provider's stay address: lives here by the register, not by the BRP.
    f.ResidenceFactory(municipality=municipality, person=delivered_only, address=b, source="housing_provider")
    # Moved out: not counted.
    gone = f.PersonFactory(municipality=municipality, surname="Gone")
    f.ResidenceFactory(municipality=municipality, person=gone, address=a, ends_on=dt.date(2025, 1, 1))
    old = _delivery(provider, [(both, a), (brp_only, b)])
    _delivery(provider, [(both, a), (delivered_only, b), (None, b)])
    Delivery.objects.filter(pk=old.pk).update(delivered_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    return {
        "location": location,
        "permit": permit,
        "both": both,
        "brp_only": brp_only,
        "delivered_only": delivered_only,
    }


def _delivery(provider: Any, rows: list[tuple[Any, Any]]) -> Delivery:
    delivery = Delivery.objects.create(
        municipality=provider.municipality,
        kind=DeliveryKind.LABOUR_MIGRANTS,
        source="housing_provider",
        employer=provider,
        channel="api",
    )
    for number, (person, address) in enumerate(rows, start=2):
        DeliveredPerson.objects.create(
            municipality=provider.municipality,
            delivery=delivery,
            row_number=number,
            person=person,
            address=address,
        )
    return delivery


def test_occupants_count_every_current_stay_against_the_permits_maximum(
    site: dict[str, Any], actor_for: Callable[[str], Actor]
) -> None:
    result = location_occupancy(
        actor=actor_for(Role.ENFORCEMENT), location=site["location"], permit=site["permit"]
    )
    assert result.living_count == 3
    assert result.brp_count == 2
    assert result.maximum == 2
    assert result.maximum_from_permit
    assert result.is_over
    assert result.over_by == 1


def test_without_a_maximum_in_the_permit_the_capacity_counts(
    site: dict[str, Any], actor_for: Callable[[str], Actor]
) -> None:
    result = location_occupancy(actor=actor_for(Role.ENFORCEMENT), location=site["location"], permit=None)
    assert result.maximum == 10
    assert not result.is_over


def test_the_latest_delivery_is_compared_with_the_brp(
    site: dict[str, Any], actor_for: Callable[[str], Actor]
) -> None:
    result = location_occupancy(
        actor=actor_for(Role.ENFORCEMENT), location=site["location"], permit=site["permit"]
    )
    assert result.delivered_count == 2
    assert result.delivered_not_registered == [site["delivered_only"]]
    assert result.registered_not_delivered == [site["brp_only"]]


def test_another_providers_delivery_is_not_this_locations_list(
    site: dict[str, Any], actor_for: Callable[[str], Actor], municipality: Any
) -> None:
    stranger = f.EmployerFactory(municipality=municipality)
    _delivery(stranger, [(site["brp_only"], site["location"].addresses.first())])
    result = location_occupancy(
        actor=actor_for(Role.ENFORCEMENT), location=site["location"], permit=site["permit"]
    )
    assert result.delivery is not None
    assert result.delivery.employer == site["location"].provider


def test_names_are_audited_and_hidden_from_roles_without_personal_data(
    site: dict[str, Any], actor_for: Callable[[str], Actor]
) -> None:
    before = AuditEvent.objects.filter(action="view").count()
    policy = location_occupancy(
        actor=actor_for(Role.POLICY), location=site["location"], permit=site["permit"]
    )
    assert policy.occupants == []
    assert policy.delivered_not_registered == []
    assert policy.delivered_not_registered_count == 1
    assert policy.registered_not_delivered_count == 1
    assert AuditEvent.objects.filter(action="view").count() == before
    location_occupancy(actor=actor_for(Role.ENFORCEMENT), location=site["location"], permit=site["permit"])
    viewed = set(
        AuditEvent.objects.filter(action="view", detail__context="housing_location_occupants").values_list(
            "object_id", flat=True
        )
    )
    assert viewed == {str(site[k].pk) for k in ("both", "brp_only", "delivered_only")}


def test_the_location_page_warns_and_lists_the_differences(
    site: dict[str, Any], client_as: Callable[[str], Any]
) -> None:
    url = reverse("housing:location_detail", args=[site["location"].pk])
    html = client_as(Role.ENFORCEMENT).get(url).content.decode()
    assert "Over the maximum by 1 person" in html
    assert "Deliveredonly" in html
    assert "Brponly" in html
    policy_html = client_as(Role.POLICY).get(url).content.decode()
    assert "Over the maximum by 1 person" in policy_html
    assert "Deliveredonly" not in policy_html


def test_a_location_without_a_delivery_says_so(municipality: Any, client_as: Callable[[str], Any]) -> None:
    location = f.HousingLocationFactory(municipality=municipality)
    html = (
        client_as(Role.ENFORCEMENT)
        .get(reverse("housing:location_detail", args=[location.pk]))
        .content.decode()
    )
    assert "has not delivered an occupant list" in html


def test_someone_the_brp_has_here_but_who_stays_elsewhere_fills_no_bed_here(
    site: dict[str, Any], municipality: Any, actor_for: Callable[[str], Actor]
) -> None:
    """One person is counted once (people.selectors.lives_on): an agency's stay address elsewhere takes
    precedence over the BRP's address here, while the comparison with the provider's list stays the BRP's."""
    elsewhere = f.AddressFactory(municipality=municipality)
    f.ResidenceFactory(
        municipality=municipality,
        person=site["brp_only"],
        address=elsewhere,
        source="agency",
        starts_on=dt.date(2026, 1, 1),
    )
    result = location_occupancy(
        actor=actor_for(Role.ENFORCEMENT), location=site["location"], permit=site["permit"]
    )
    assert result.living_count == 2
    assert result.brp_count == 2
    assert [p.surname for p in result.registered_not_delivered] == ["Brponly"]
    assert site["brp_only"].pk not in {o.person.pk for o in result.occupants if o.person}
