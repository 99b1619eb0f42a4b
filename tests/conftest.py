from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ketenregie.core.actor import Actor, actor_for_user
from ketenregie.core.models import Municipality, Role, User
from tests import factories as f


def english_client() -> Client:
    """A browser that chose English: assertions read the English source strings.

    The staff application is Dutch by default (test_translations checks every string is translated).
    """
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def municipality(db: None) -> Municipality:
    return f.MunicipalityFactory(code="0599", name="Rotterdam")


@pytest.fixture
def other_municipality(db: None) -> Municipality:
    return f.MunicipalityFactory(code="0637", name="Zoetermeer")


@pytest.fixture
def personas(municipality: Municipality) -> dict[str, User]:
    """One user per role in the municipality: the enforcement officer, the partner inspector, …"""
    return {role: f.persona(role, municipality, username=role) for role in Role.values}


@pytest.fixture
def outsider(other_municipality: Municipality) -> User:
    """An enforcement officer of another municipality."""
    return f.persona(Role.ENFORCEMENT, other_municipality, username="outsider")


@pytest.fixture
def actor_for(personas: dict[str, User]) -> Callable[[str], Actor]:
    def make(role: str) -> Actor:
        actor = actor_for_user(personas[role])
        assert actor is not None
        return actor

    return make


@pytest.fixture
def client_as(personas: dict[str, User], outsider: User) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        client = english_client()
        client.force_login(outsider if role == "outsider" else personas[role])
        return client

    return make


@pytest.fixture
def api_as(personas: dict[str, User], outsider: User) -> Callable[[str], APIClient]:
    def make(role: str) -> APIClient:
        user = outsider if role == "outsider" else personas[role]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return client

    return make


@dataclass
class World:
    """A small municipality with one of everything, for permission and page tests."""

    address: Any
    person: Any
    employer: Any
    location: Any
    covenant: Any
    step: Any
    # Information point and portal (issue 6).
    contact: Any = None
    activity: Any = None
    info_page: Any = None
    report: Any = None


@pytest.fixture
def world(municipality: Municipality) -> World:
    neighbourhood = f.NeighbourhoodFactory(municipality=municipality, name="Carnisse", is_priority=True)
    address = f.AddressFactory(municipality=municipality, neighbourhood=neighbourhood, floor_area_m2=48)
    person = f.PersonFactory(municipality=municipality, migrant=True)
    f.ResidenceFactory(
        municipality=municipality, person=person, address=address, starts_on=dt.date(2024, 2, 1)
    )
    employer = f.EmployerFactory(municipality=municipality)
    f.EmploymentFactory(municipality=municipality, person=person, employer=employer)
    location = f.HousingLocationFactory(municipality=municipality)
    location.addresses.add(address)
    f.QualityMarkFactory(municipality=municipality, location=location)
    membership = f.CovenantMembershipFactory(municipality=municipality, employer=employer)
    violation = f.ViolationFactory(municipality=municipality, employer=employer)
    from ketenregie.employers.models import EscalationStep, EscalationStepKind
    from ketenregie.monitoring.services import sync_catalogue

    sync_catalogue(municipality=municipality)
    step = EscalationStep.objects.create(
        municipality=municipality,
        membership=membership,
        violation=violation,
        kind=EscalationStepKind.TALK,
        started_on=dt.date(2025, 6, 2),
    )
    from ketenregie.infopoint.models import Contact
    from ketenregie.portal.models import SelfServiceReport

    point = f.InformationPointFactory(municipality=municipality)
    contact = Contact.objects.create(
        municipality=municipality,
        point=point,
        contacted_on=dt.date(2025, 3, 3),
        channel="desk",
        language="pl",
    )
    info_page = f.InfoPageTranslationFactory(page__municipality=municipality).page
    report = SelfServiceReport.objects.create(
        municipality=municipality,
        reference="WORLD00001",
        reporter="self",
        language="pl",
        verified_by="email",
        person=person,
        address=address,
        starts_on=dt.date(2025, 3, 1),
        flags=["over_norm"],
        for_enforcement=True,
        review_status="open",
    )
    return World(
        address=address,
        person=person,
        employer=employer,
        location=location,
        covenant=membership.covenant,
        step=step,
        contact=contact,
        activity=f.ActivityFactory(municipality=municipality),
        info_page=info_page,
        report=report,
    )


@pytest.fixture
def portal_settings(settings: Any, municipality: Municipality) -> Municipality:
    """The portal serves Rotterdam; codes go to the outbox; forms may be sent at once; fresh rate limits."""
    from django.core.cache import cache

    settings.PORTAL_MUNICIPALITY = municipality.code
    settings.PORTAL_MESSAGE_SENDER = "ketenregie.portal.senders.OutboxSender"
    settings.PORTAL_MIN_FILL_SECONDS = 0
    cache.clear()
    return municipality
