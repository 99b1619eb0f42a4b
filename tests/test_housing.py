from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.core.actor import Actor
from ketenregie.core.models import Norms
from ketenregie.housing import services
from ketenregie.housing.models import HousingPermit, PermitStatus
from tests import factories as f
from tests.conftest import World


def grant(actor: Actor, location: object, valid_from: dt.date) -> HousingPermit:
    return services.permit_decide(
        actor=actor,
        location=location,
        number=f"P-{valid_from}",  # type: ignore[arg-type]
        status=PermitStatus.GRANTED,
        decided_on=valid_from,
        valid_from=valid_from,
        valid_until=None,
        max_persons=None,
    )


def test_a_permit_needs_a_quality_mark_valid_on_its_start_date(
    actor_for: Callable[[str], Actor], municipality: object
) -> None:
    location = f.HousingLocationFactory(municipality=municipality)
    with pytest.raises(ValidationError) as error:
        grant(actor_for("enforcement"), location, dt.date(2025, 3, 1))
    assert error.value.code == "quality_mark_required"
    f.QualityMarkFactory(
        municipality=municipality,
        location=location,
        valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2025, 12, 31),
    )
    with pytest.raises(ValidationError):
        grant(actor_for("enforcement"), location, dt.date(2026, 1, 15))
    assert grant(actor_for("enforcement"), location, dt.date(2025, 3, 1)).status == PermitStatus.GRANTED


def test_the_rule_is_a_setting(actor_for: Callable[[str], Actor], municipality: object) -> None:
    Norms.objects.filter(municipality=municipality).update(permit_requires_quality_mark=False)
    location = f.HousingLocationFactory(municipality=municipality)
    assert grant(actor_for("enforcement"), location, dt.date(2025, 3, 1)).status == PermitStatus.GRANTED


def test_the_permit_form_says_why_it_cannot_be_granted(
    municipality: object, client_as: Callable[[str], Client]
) -> None:
    location = f.HousingLocationFactory(municipality=municipality)
    response = client_as("enforcement").post(
        reverse("housing:permit_create", args=[location.pk]),
        {
            "number": "LOG-1",
            "status": "granted",
            "decided_on": "2025-03-01",
            "valid_from": "2025-03-01",
        },
    )
    assert response.status_code == 200
    assert "quality mark" in str(response.context["form"].non_field_errors())
    assert not HousingPermit.objects.exists()


def test_a_permit_cannot_allow_more_people_than_the_capacity(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    with pytest.raises(ValidationError):
        services.permit_decide(
            actor=actor_for("enforcement"),
            location=world.location,
            number="X",
            status=PermitStatus.GRANTED,
            decided_on=None,
            valid_from=dt.date(2025, 2, 1),
            valid_until=None,
            max_persons=world.location.capacity_persons + 1,
        )


def test_a_quality_mark_cannot_end_before_it_starts(world: World, client_as: Callable[[str], Client]) -> None:
    response = client_as("enforcement").post(
        reverse("housing:quality_mark_create", args=[world.location.pk]),
        {
            "scheme": "SNF",
            "certificate_number": "SNF-1",
            "valid_from": "2025-05-01",
            "valid_until": "2025-04-01",
        },
    )
    assert "before its start" in " ".join(response.context["form"].errors["valid_until"])


def test_the_location_list_filters_on_quality_mark(world: World, client_as: Callable[[str], Client]) -> None:
    bare = f.HousingLocationFactory(municipality=world.location.municipality, name="Zonder keurmerk")
    response = client_as("policy").get(reverse("housing:location_list") + "?quality_mark=none")
    assert [loc.pk for loc in response.context["page"].object_list] == [bare.pk]
