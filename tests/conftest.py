from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from ketenregie.core.actor import Actor, actor_for_user
from ketenregie.core.models import Municipality, Role, User
from ketenregie.core.tokens import token_create
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


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language (Dutch): a language one test activated outside a
    request would otherwise hold for the tests after it, and their outcome would depend on order."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Every test starts with empty rate-limit counters: they count per client address, and in tests
    every client is 127.0.0.1, so one test's requests would otherwise use up the next one's limit."""
    cache.clear()


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
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=user, name='test')[1]}")
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
    # Risk selection (issue 5).
    control_list: Any = None


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
        control_list=_risk_list(municipality, address),
    )


def _risk_list(municipality: Municipality, address: Any) -> Any:
    """A stored run with one score and a control list of that address (no engine needed)."""
    from ketenregie.risk.models import AddressRiskScore, ControlList, ControlListEntry, RiskRun

    contributions = [{"key": "overcrowding", "points": 30, "values": {"persons": 6, "floor_area_m2": 48}}]
    run = RiskRun.objects.create(
        municipality=municipality, as_of=dt.date(2026, 11, 1), rules={}, address_count=1
    )
    AddressRiskScore.objects.create(
        municipality=municipality,
        run=run,
        address=address,
        score=30,
        rank=1,
        neighbourhood=address.neighbourhood,
        contributions=contributions,
        rule_keys=",overcrowding,",
    )
    control_list = ControlList.objects.create(
        municipality=municipality, run=run, top_n=10, exclude_visited_days=180
    )
    ControlListEntry.objects.create(
        municipality=municipality,
        control_list=control_list,
        address=address,
        rank=1,
        score=30,
        contributions=contributions,
    )
    return control_list


@pytest.fixture
def portal_settings(settings: Any, municipality: Municipality) -> Municipality:
    """The portal serves Rotterdam; codes go to the outbox; forms may be sent at once."""
    settings.PORTAL_MUNICIPALITY = municipality.code
    settings.PORTAL_MESSAGE_SENDER = "ketenregie.portal.senders.OutboxSender"
    settings.PORTAL_MIN_FILL_SECONDS = 0
    return municipality


@dataclass
class Casework:
    """Meldingen and a case shared with partners under different agreements, for casework tests.

    Organisations: the municipal department of the personas (lead), the NLA (partner persona; agreement
    without reporters' contact details), the police (findings only), the Tax Administration (agreement
    expired). ``other_case`` is one no partner takes part in.
    """

    signal: Any
    signal_attachment: Any
    case: Any
    other_case: Any
    finding: Any
    registration: Any
    measure: Any
    attachment: Any
    handover: Any
    nla: Any
    police: Any
    tax: Any
    personas: dict[str, User]


@pytest.fixture
def casework(
    world: World, personas: dict[str, User], actor_for: Callable[[str], Actor], settings: Any, tmp_path: Any
) -> Casework:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ketenregie.cases import services as case_services
    from ketenregie.cases.models import CaseParticipant
    from ketenregie.core.models import Organisation, OrganisationKind
    from ketenregie.core.uploads import check_upload
    from ketenregie.signals.intake import Reporter, SignalIntake, signal_create_initial

    settings.MEDIA_ROOT = tmp_path / "media"
    municipality = world.address.municipality
    enforcement = actor_for(Role.ENFORCEMENT)
    nla = personas[Role.PARTNER].memberships.get().organisation
    police = Organisation.objects.create(
        municipality=municipality, name="Politie Rotterdam", kind=OrganisationKind.POLICE
    )
    tax = Organisation.objects.create(
        municipality=municipality, name="Belastingdienst", kind=OrganisationKind.TAX_OFFICE
    )
    for name, organisation in (("police_partner", police), ("tax_partner", tax)):
        personas[name] = f.UserFactory(username=name)
        f.MembershipFactory(user=personas[name], organisation=organisation, role=Role.PARTNER)
    f.AgreementFactory(municipality=municipality, name="Convenant NLA", parties=[nla])
    f.AgreementFactory(
        municipality=municipality, name="Convenant politie", parties=[police], data_categories=["findings"]
    )
    expired = f.AgreementFactory(
        municipality=municipality,
        name="Convenant Belastingdienst",
        parties=[tax],
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2021, 12, 31),
    )
    signal = signal_create_initial(
        SignalIntake(
            municipality=municipality,
            description="Elke nacht slapen hier minstens twaalf arbeidsmigranten op matrassen.",
            category=f.signal_category(municipality, "overcrowding"),
            address=world.address,
            reporter=Reporter(name="Jan Buurman", email="jan.buurman@example.nl", phone="0612345678"),
            attachments=(check_upload(SimpleUploadedFile("gevel.png", f.PNG_BYTES)),),
        ),
        actor=enforcement,
    )
    case = case_services.case_open(
        actor=enforcement, kind="house_visit", title="Huisbezoek Boterdiep", signals=[signal]
    )
    case_services.participant_add(actor=enforcement, case=case, organisation=nla)
    case_services.participant_add(actor=enforcement, case=case, organisation=police)
    # The expired agreement was valid when the tax office joined; it no longer gives access.
    CaseParticipant.objects.create(municipality=municipality, case=case, organisation=tax, agreement=expired)
    finding = case_services.finding_record(
        actor=enforcement,
        case=case,
        address=world.address,
        found_on=dt.date(2026, 3, 10),
        persons_found=9,
        unregistered_persons=8,
        fire_safety_issue=True,
        notes="Matrassen in de woonkamer",
    )
    registration = case_services.registration_form_add(
        actor=enforcement,
        finding=finding,
        given_names="Piotr",
        surname="Zieliński",
        birth_date=dt.date(1994, 4, 12),
        nationality="PL",
    )
    measure = case_services.measure_take(
        actor=enforcement,
        case=case,
        kind="penalty_order",
        address=world.address,
        addressee="Verhuurder B.V.",
        issued_on=dt.date(2026, 3, 12),
        amount=Decimal("2500.00"),
        max_amount=Decimal("25000.00"),
        deadline=dt.date(2026, 4, 12),
    )
    attachment = case_services.attachment_add(
        actor=enforcement,
        case=case,
        finding=finding,
        upload=check_upload(SimpleUploadedFile("woonkamer.png", f.PNG_BYTES)),
        description="Woonkamer met matrassen",
    )
    handover = case_services.handover_create(
        actor=enforcement, case=case, to_organisation=nla, note="Signalen van uitbuiting"
    )
    other_case = case_services.case_open(
        actor=enforcement, kind="vacancy_check", title="Leegstandcontrole", addresses=[world.address]
    )
    return Casework(
        signal=signal,
        signal_attachment=signal.attachments.get(),
        case=case,
        other_case=other_case,
        finding=finding,
        registration=registration,
        measure=measure,
        attachment=attachment,
        handover=handover,
        nla=nla,
        police=police,
        tax=tax,
        personas=personas,
    )
