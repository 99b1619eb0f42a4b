from __future__ import annotations

import hashlib
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

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


@pytest.fixture(scope="module")
def _seeded_rotterdam(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Seeding takes seconds and the tests below only read: they share one seed. It is written in a
    transaction around the module (each test runs in a savepoint inside it) and rolled back after."""
    fast_passwords = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast_passwords:
        call_command("seed", "--profile", "rotterdam", "--seed", "3", "--scale", "0.01", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def rotterdam(_seeded_rotterdam: None, db: None) -> Municipality:
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


def test_meldingen_and_cases_cover_several_years_for_back_tests(rotterdam: Municipality) -> None:
    from ketenregie.cases.models import Case
    from ketenregie.signals.models import Signal, SignalClassifier

    years = set(Signal.objects.values_list("received_at__year", flat=True))
    assert len(years) >= 4
    assert Case.objects.filter(kind="integral_control").values("opened_on__year").distinct().count() >= 3
    assert SignalClassifier.objects.filter(municipality=rotterdam).exists()


def test_findings_at_planted_addresses_find_the_violation_and_elsewhere_not(rotterdam: Municipality) -> None:
    """A visit to a planted address finds its violation. Elsewhere a violation is a one-off from before the
    planted conditions began, remedied afterwards: a later visit there finds nothing."""
    from ketenregie.cases.models import Finding

    since: dict[int, Any] = {}
    for address_id, started in PlantedCondition.objects.values_list("address_id", "since"):
        since[address_id] = min(started, since.get(address_id, started))
    findings = list(Finding.objects.exclude(case__kind="site_control").order_by("found_on", "pk"))
    at_planted = [f for f in findings if f.address_id in since and since[f.address_id] <= f.found_on]
    assert at_planted
    assert all(f.violation_found for f in at_planted)
    elsewhere = [f for f in findings if f.address_id not in since]
    assert any(not f.violation_found for f in elsewhere)
    first_violation: dict[int, Any] = {}
    for finding in elsewhere:
        if finding.address_id in first_violation:
            assert not finding.violation_found, f"address {finding.address_id} in violation twice"
        elif finding.violation_found:
            first_violation[finding.address_id] = finding.found_on
    assert first_violation


def test_the_nla_demo_partner_sees_only_the_cases_it_takes_part_in(rotterdam: Municipality) -> None:
    from ketenregie.cases.access import visible_cases
    from ketenregie.cases.models import Case
    from ketenregie.core.actor import actor_for_user

    actor = actor_for_user(User.objects.get(username="partner"))
    assert actor is not None
    shared = visible_cases(actor)
    assert 0 < shared.count() < Case.objects.count()
    assert all(case.participants.filter(organisation=actor.organisation).exists() for case in shared)


def test_the_privacy_officer_finds_the_retention_policy_holds_and_a_dry_run(rotterdam: Municipality) -> None:
    from ketenregie.retention.models import LegalHold, PurgeRun, RecordType, RetentionPolicy

    policies = RetentionPolicy.objects.filter(municipality=rotterdam)
    assert set(policies.values_list("record_type", flat=True)) == set(RecordType.values)
    assert all(policy.basis for policy in policies)
    holds = LegalHold.objects.filter(municipality=rotterdam, lifted_at__isnull=True)
    assert holds.count() == 2
    assert all(len(hold.reason) > 40 and hold.case_id for hold in holds)
    run = PurgeRun.objects.get(municipality=rotterdam)
    assert run.dry_run
    assert set(run.counts) == set(RecordType.values)


@pytest.mark.slow
def test_enforcement_figures_follow_the_rotterdam_calibration(db: None) -> None:
    """At scale 0.25: per year about 387/4 overcrowding meldingen with about 6.5% confirmed, integral
    controls with about 30% of visited homes in violation, and site controls mostly without."""
    from ketenregie.cases.models import Finding, FirstRegistrationForm, Handover
    from ketenregie.signals.models import Signal

    seed_municipality(profile_key="rotterdam", seed=5, scale=0.25)
    year = 2025
    overcrowding = Signal.objects.filter(category__code__startswith="overcrowding", received_at__year=year)
    closed = overcrowding.filter(status="closed")
    assert 70 <= overcrowding.count() <= 125
    assert 0.02 <= closed.filter(result="confirmed").count() / closed.count() <= 0.12
    visits = Finding.objects.filter(case__kind="integral_control", found_on__year=year)
    assert 35 <= visits.count() <= 70
    assert 0.2 <= visits.filter(violation_found=True).count() / visits.count() <= 0.4
    sites = Finding.objects.filter(case__kind="site_control", found_on__year=year)
    assert sites.filter(violation_found=True).count() < sites.count()
    vacancy = Finding.objects.filter(case__kind="vacancy_check", found_on__year=year)
    assert 5 <= vacancy.count() <= 12
    assert vacancy.filter(inhabited=True).count() >= vacancy.count() - 2
    assert set(vacancy.values_list("address__neighbourhood__name", flat=True)) == {"Oud Mathenesse"}
    assert 15 <= FirstRegistrationForm.objects.filter(drawn_up_on__year=year).count() <= 45
    assert 2 <= Handover.objects.filter(handed_over_at__year=year).count() <= 10
