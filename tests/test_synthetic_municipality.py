from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from ketenregie.core.models import Municipality, Role, User
from ketenregie.demo.generator import seed_municipality
from ketenregie.demo.models import PlantedCondition, PlantedConditionKind, SeedRun
from ketenregie.employers.models import CovenantMembership, Employer, EscalationStep
from ketenregie.housing.models import HousingLocation
from ketenregie.people.models import LabourMigrant, Person, Residence
from ketenregie.places.models import Address


def fingerprint() -> str:
    """A digest of the content (not the database ids) of the seeded registers."""
    rows = [
        sorted(
            Address.objects.values_list(
                "bag_object_id", "street", "house_number", "postcode", "floor_area_m2"
            )
        ),
        sorted(Person.objects.values_list("bsn", "surname", "given_names", "birth_date", "nationality")),
        sorted(
            Residence.objects.values_list("person__bsn", "address__bag_object_id", "starts_on", "ends_on")
        ),
        sorted(Employer.objects.values_list("kvk_number", "name", "kind", "sna_certified")),
        sorted(PlantedCondition.objects.values_list("address__bag_object_id", "kind", "actual_occupants")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_same_seed_gives_the_same_municipality(db: None) -> None:
    seed_municipality(profile_key="zoetermeer", seed=7, scale=0.01)
    first = fingerprint()
    seed_municipality(profile_key="zoetermeer", seed=7, scale=0.01)
    assert fingerprint() == first
    seed_municipality(profile_key="zoetermeer", seed=8, scale=0.01)
    assert fingerprint() != first


@pytest.fixture
def rotterdam(db: None) -> Municipality:
    call_command("seed", "--profile", "rotterdam", "--seed", "3", "--scale", "0.01", stdout=StringIO())
    return Municipality.objects.get(code="0599")


def test_rotterdam_has_the_real_cbs_code_and_priority_neighbourhoods(rotterdam: Municipality) -> None:
    assert rotterdam.name == "Rotterdam"
    priority = set(
        Address.objects.filter(neighbourhood__is_priority=True)
        .values_list("neighbourhood__name", flat=True)
        .distinct()
    )
    assert priority == {"Carnisse", "Oud Mathenesse", "Tarwewijk", "Oud-Charlois"}
    assert Address.objects.count() == 3000


def test_labour_migrants_come_mostly_from_poland_and_romania(rotterdam: Municipality) -> None:
    counts = dict(LabourMigrant.objects.values_list("country_of_origin").annotate(n=Count("person_id")))
    ranked = sorted(counts, key=counts.get, reverse=True)  # type: ignore[arg-type]
    assert ranked[:2] == ["PL", "RO"]


def test_the_ground_truth_is_planted_and_overcrowding_exceeds_the_norm(rotterdam: Municipality) -> None:
    overcrowded = PlantedCondition.objects.filter(kind=PlantedConditionKind.OVERCROWDING).select_related(
        "address"
    )
    assert overcrowded.count() >= 10
    for condition in overcrowded:
        assert condition.actual_occupants * 12 > condition.address.floor_area_m2


def test_one_address_has_a_hundred_residence_records(rotterdam: Municipality) -> None:
    run = SeedRun.objects.get()
    assert Residence.objects.filter(address_id=run.counts["transit_address_id"]).count() == 100


def test_the_covenant_shows_its_rules_at_work(rotterdam: Municipality) -> None:
    assert CovenantMembership.objects.count() >= 2
    assert EscalationStep.objects.filter(outcome="").exists()
    assert HousingLocation.objects.exists()


def test_the_seed_command_creates_one_demo_account_per_role(rotterdam: Municipality) -> None:
    demo = User.objects.filter(is_demo_account=True)
    assert sorted(demo.values_list("username", flat=True)) == sorted(Role.values)
    assert all(user.check_password("demo") for user in demo)
    partner = User.objects.get(username="partner").memberships.get()
    assert partner.organisation.kind == "nla"


def test_bad_seed_arguments_are_refused(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="scale"):
        call_command("seed", "--profile", "rotterdam", "--scale", "0", stdout=StringIO())
    with pytest.raises(CommandError, match="reference-date"):
        call_command("seed", "--profile", "rotterdam", "--reference-date", "gisteren", stdout=StringIO())


def test_the_information_point_is_calibrated_on_rotterdam_2024(rotterdam: Municipality) -> None:
    import datetime as dt

    from ketenregie.core.actor import Actor
    from ketenregie.infopoint import selectors

    actor = Actor.system(rotterdam, name="test")
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    # Scale 0.01 of 715 visitors, 224 helped to DigiD, 596 + 491 course participants; at least one
    # meeting and one group registration moment.
    assert selectors.unique_visitors(actor=actor, start=start, end=end) == 7
    assert selectors.digid_helped(actor=actor, start=start, end=end) == 2
    participants = selectors.course_participants(actor=actor, start=start, end=end)
    assert (participants.formal, participants.non_formal) == (6, 5)
    assert selectors.meetings_held(actor=actor, start=start, end=end) >= 1
    assert selectors.group_registration_moments(actor=actor, start=start, end=end) >= 1


def test_the_demo_portal_has_pages_with_missing_and_outdated_translations(rotterdam: Municipality) -> None:
    from ketenregie.core.actor import Actor
    from ketenregie.portal import selectors
    from ketenregie.portal.models import SelfServiceReport

    actor = Actor.system(rotterdam, name="test")
    states = {row.page.slug: dict(row.states) for row in selectors.page_overview(actor=actor)}
    assert set(states) >= {"registration", "digid", "housing", "work", "health-insurance", "help"}
    assert states["digid"]["pl"] == "outdated"
    assert states["housing"]["ro"] == "outdated"
    assert states["work"]["bg"] == "missing"
    assert states["work"]["lt"] == "missing"
    assert states["registration"]["en"] == "current"
    reports = SelfServiceReport.objects.filter(municipality=rotterdam)
    assert reports.count() >= 8
    assert reports.filter(for_enforcement=True).exists()
    assert reports.filter(review_status="open").exists()
