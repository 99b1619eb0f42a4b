"""Factories for the registers. Identifiers are valid by construction (BSN 11-test, BAG ids, KvK)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import factory
from factory.django import DjangoModelFactory

from ketenregie.core.models import Membership, Municipality, Norms, Organisation, OrganisationKind, Role, User
from ketenregie.core.validators import bsn_is_valid
from ketenregie.employers.models import (
    Covenant,
    CovenantMembership,
    Employer,
    EmployerKind,
    Employment,
    Violation,
    ViolationKind,
    ViolationStatus,
)
from ketenregie.housing.models import HousingLocation, HousingPermit, LocationKind, PermitStatus, QualityMark
from ketenregie.people.models import LabourMigrant, Person, RegistrationStatus, Residence, ResidenceSource
from ketenregie.places.models import Address, District, Neighbourhood, UsePurpose

PASSWORD = "correct horse battery staple"


def _valid_bsns() -> Iterator[str]:
    number = 111_222_000
    while True:
        number += 1
        if bsn_is_valid(str(number)):
            yield str(number)


_BSNS = _valid_bsns()


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"{(n % 9000) + 100:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    labour_market_region = "Rijnmond"
    riec_region = "Rotterdam"

    @factory.post_generation
    def norms(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            Norms.objects.get_or_create(municipality=self)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Afdeling {n}")
    kind = OrganisationKind.MUNICIPAL_DEPARTMENT


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.ENFORCEMENT


def persona(
    role: str,
    municipality: Municipality,
    *,
    username: str | None = None,
    organisation_kind: str | None = None,
) -> User:
    """A user with one role in one organisation of ``municipality``."""
    kind = organisation_kind or (
        OrganisationKind.NLA if role == Role.PARTNER else OrganisationKind.MUNICIPAL_DEPARTMENT
    )
    organisation, _ = Organisation.objects.get_or_create(
        municipality=municipality, name=f"{kind} {municipality.code}", defaults={"kind": kind}
    )
    user = UserFactory(username=username or f"{role}-{municipality.code}")
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return user


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"WK{n:06d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")


class NeighbourhoodFactory(DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    municipality = factory.SubFactory(MunicipalityFactory)
    district = factory.SubFactory(DistrictFactory, municipality=factory.SelfAttribute("..municipality"))
    code = factory.Sequence(lambda n: f"BU{n:08d}")
    name = factory.Sequence(lambda n: f"Buurt {n}")


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = Address

    municipality = factory.SubFactory(MunicipalityFactory)
    bag_object_id = factory.LazyAttributeSequence(lambda o, n: f"{o.municipality.code}01{n + 1:010d}")
    bag_address_id = factory.LazyAttributeSequence(lambda o, n: f"{o.municipality.code}20{n + 1:010d}")
    street = "Boterdiep"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "3077AW"
    town = "Rotterdam"
    floor_area_m2 = 60
    use_purposes = factory.LazyFunction(lambda: [UsePurpose.RESIDENTIAL])


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    bsn = factory.LazyFunction(lambda: next(_BSNS))
    given_names = "Anna"
    surname = factory.Sequence(lambda n: f"Nowak{n}")
    birth_date = dt.date(1990, 5, 17)
    nationality = "PL"
    registration_status = RegistrationStatus.RESIDENT

    class Params:
        migrant = factory.Trait(
            labour_migrant=factory.RelatedFactory(
                "tests.factories.LabourMigrantFactory",
                factory_related_name="person",
                municipality=factory.SelfAttribute("..municipality"),
            )
        )


class LabourMigrantFactory(DjangoModelFactory):
    class Meta:
        model = LabourMigrant

    person = factory.SubFactory(PersonFactory)
    municipality = factory.SelfAttribute("person.municipality")
    country_of_origin = "PL"
    arrival_date = dt.date(2023, 3, 1)
    sector = "logistics"


class ResidenceFactory(DjangoModelFactory):
    class Meta:
        model = Residence

    municipality = factory.SubFactory(MunicipalityFactory)
    person = factory.SubFactory(PersonFactory, municipality=factory.SelfAttribute("..municipality"))
    address = factory.SubFactory(AddressFactory, municipality=factory.SelfAttribute("..municipality"))
    starts_on = dt.date(2024, 1, 1)
    ends_on = None
    source = ResidenceSource.BRP


class EmployerFactory(DjangoModelFactory):
    class Meta:
        model = Employer

    municipality = factory.SubFactory(MunicipalityFactory)
    kvk_number = factory.Sequence(lambda n: f"{24_000_000 + n:08d}")
    name = factory.Sequence(lambda n: f"Flexwerk {n} B.V.")
    kind = EmployerKind.TEMP_AGENCY


class EmploymentFactory(DjangoModelFactory):
    class Meta:
        model = Employment

    municipality = factory.SubFactory(MunicipalityFactory)
    person = factory.SubFactory(PersonFactory, municipality=factory.SelfAttribute("..municipality"))
    employer = factory.SubFactory(EmployerFactory, municipality=factory.SelfAttribute("..municipality"))
    starts_on = dt.date(2024, 1, 1)


class ViolationFactory(DjangoModelFactory):
    class Meta:
        model = Violation

    municipality = factory.SubFactory(MunicipalityFactory)
    employer = factory.SubFactory(EmployerFactory, municipality=factory.SelfAttribute("..municipality"))
    kind = ViolationKind.UNDERPAYMENT
    status = ViolationStatus.PROVEN
    source = "Nederlandse Arbeidsinspectie"
    occurred_on = dt.date(2025, 6, 1)


class CovenantFactory(DjangoModelFactory):
    class Meta:
        model = Covenant

    municipality = factory.SubFactory(MunicipalityFactory)
    name = "Coalitie Goed Werkgeverschap"
    started_on = dt.date(2024, 3, 1)


class CovenantMembershipFactory(DjangoModelFactory):
    class Meta:
        model = CovenantMembership

    municipality = factory.SubFactory(MunicipalityFactory)
    covenant = factory.SubFactory(CovenantFactory, municipality=factory.SelfAttribute("..municipality"))
    employer = factory.SubFactory(EmployerFactory, municipality=factory.SelfAttribute("..municipality"))
    joined_on = dt.date(2024, 4, 1)


class HousingLocationFactory(DjangoModelFactory):
    class Meta:
        model = HousingLocation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Logies {n}")
    kind = LocationKind.LODGING_BUILDING
    capacity_persons = 40


class QualityMarkFactory(DjangoModelFactory):
    class Meta:
        model = QualityMark

    municipality = factory.SubFactory(MunicipalityFactory)
    location = factory.SubFactory(
        HousingLocationFactory, municipality=factory.SelfAttribute("..municipality")
    )
    scheme = "SNF"
    certificate_number = factory.Sequence(lambda n: f"SNF-{n:05d}")
    valid_from = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=300))
    valid_until = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=700))


class HousingPermitFactory(DjangoModelFactory):
    class Meta:
        model = HousingPermit

    municipality = factory.SubFactory(MunicipalityFactory)
    location = factory.SubFactory(
        HousingLocationFactory, municipality=factory.SelfAttribute("..municipality")
    )
    number = factory.Sequence(lambda n: f"LOG-{n:05d}")
    status = PermitStatus.GRANTED
    valid_from = dt.date(2025, 2, 1)


# Information point and portal (issue 6).

from ketenregie.infopoint.models import Activity, ActivityKind, ActivityStatus, InformationPoint  # noqa: E402
from ketenregie.portal.models import InfoPage, InfoPageTranslation  # noqa: E402


class InformationPointFactory(DjangoModelFactory):
    class Meta:
        model = InformationPoint
        django_get_or_create = ("municipality", "name")

    municipality = factory.SubFactory(MunicipalityFactory)
    name = "Informatiepunt Zuid"
    address = "Voorbeeldstraat 1, Rotterdam"


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = ActivityKind.INFORMATION_MEETING
    title = factory.Sequence(lambda n: f"Informatiebijeenkomst {n}")
    held_on = dt.date(2024, 5, 14)
    status = ActivityStatus.HELD
    attendance = 20
    location = "Wijkgebouw Carnisse"


class InfoPageFactory(DjangoModelFactory):
    class Meta:
        model = InfoPage

    municipality = factory.SubFactory(MunicipalityFactory)
    slug = factory.Sequence(lambda n: f"page-{n}")
    topic = "registration"
    position = factory.Sequence(lambda n: n)


class InfoPageTranslationFactory(DjangoModelFactory):
    class Meta:
        model = InfoPageTranslation

    page = factory.SubFactory(InfoPageFactory)
    municipality = factory.SelfAttribute("page.municipality")
    language = "nl"
    title = factory.Sequence(lambda n: f"Titel {n}")
    summary = "Korte samenvatting."
    body = "## Kop\n\nTekst met een [link](https://www.rijksoverheid.nl)."
    source_version = 1


# Meldingen and casework ------------------------------------------------------------------------------

# A 1×1 PNG and a minimal PDF: real files for attachment tests (their content is what is checked).
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND"
    b"\xaeB`\x82"
)
# A blank page as pypdf writes it: a PDF must parse (with its xref table) to be accepted.
PDF_BYTES = (
    b"%PDF-1.3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n/Count 1\n"
    b"/Kids [ 4 0 R ]\n>>\nendobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n4 0 obj\n<<\n"
    b"/Type /Page\n/Resources <<\n>>\n/MediaBox [ 0.0 0.0 100 100 ]\n/Parent 2 0 R\n>>\nendobj\nxref\n"
    b"0 5\n0000000000 65535 f \n0000000009 00000 n \n0000000048 00000 n \n0000000107 00000 n \n"
    b"0000000156 00000 n \ntrailer\n<<\n/Size 5\n/Root 3 0 R\n/Info 1 0 R\n>>\nstartxref\n250\n%%EOF\n"
)


def signal_category(municipality: Municipality, code: str = "overcrowding") -> Any:
    from ketenregie.signals.services import ensure_default_categories

    return ensure_default_categories(municipality)[code]


class WorkflowFactory(DjangoModelFactory):
    """A record asked for in a later status is made the way the product gets it there: saved in a start
    status, then moved along its workflow's table step by step (core/workflow.py refuses any shortcut)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        name = model_class.workflow.field
        steps = model_class.workflow.path(kwargs[name]) if name in kwargs else []
        if steps:
            kwargs[name] = steps[0]
        instance = super()._create(model_class, *args, **kwargs)
        for step in steps[1:]:
            setattr(instance, name, step)
            instance.save(update_fields=[name])
        return instance


class SignalFactory(WorkflowFactory):
    class Meta:
        model = "signals.Signal"

    municipality = factory.SubFactory(MunicipalityFactory)
    channel = "phone"
    category = factory.LazyAttribute(lambda o: signal_category(o.municipality))
    description = "Er wonen veel te veel mensen in deze woning, elke avond komen busjes."
    address = factory.SubFactory(AddressFactory, municipality=factory.SelfAttribute("..municipality"))
    received_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))
    due_on = factory.LazyAttribute(lambda o: o.received_at.date() + dt.timedelta(days=14))
    reporter_name = "Jan Buurman"
    reporter_email = "jan.buurman@example.nl"


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = "cases.DataSharingAgreement"
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Convenant {n}")
    purpose = "Gezamenlijke aanpak van overbewoning en arbeidsuitbuiting"
    legal_basis = "Art. 5:20 Awb; art. 64 Wet SUWI; RIEC-convenant 2024"
    data_categories = factory.LazyFunction(
        lambda: ["signals", "findings", "persons", "measures", "attachments"]
    )
    valid_from = dt.date(2024, 1, 1)

    @factory.post_generation
    def parties(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.parties.set(extracted)


class CaseFactory(WorkflowFactory):
    class Meta:
        model = "cases.Case"

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = "house_visit"
    title = factory.Sequence(lambda n: f"Huisbezoek {n}")
    owner = factory.SubFactory(OrganisationFactory, municipality=factory.SelfAttribute("..municipality"))
    opened_on = dt.date(2026, 3, 2)
