"""Each computed indicator on a small literal data set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from ketenregie.core.actor import Actor
from ketenregie.core.kpi import Period
from ketenregie.core.models import Municipality
from ketenregie.employers import kpis as employer_kpis
from ketenregie.employers.models import MembershipStatus, ViolationStatus
from ketenregie.housing import kpis as housing_kpis
from ketenregie.people import kpis as people_kpis
from ketenregie.people.models import RegistrationStatus
from tests import factories as f

YEAR = Period.year(2025)


@pytest.fixture
def neighbourhoods(municipality: Municipality) -> tuple[object, object]:
    return (
        f.NeighbourhoodFactory(municipality=municipality, name="Carnisse"),
        f.NeighbourhoodFactory(municipality=municipality, name="Ommoord"),
    )


def test_labour_migrants_living_here_counts_who_lives_here_on_the_last_day(
    municipality: Municipality, neighbourhoods: tuple[object, object], actor_for: Callable[[str], Actor]
) -> None:
    carnisse, ommoord = neighbourhoods
    home = f.AddressFactory(municipality=municipality, neighbourhood=carnisse)
    other = f.AddressFactory(municipality=municipality, neighbourhood=ommoord)
    stays = f.PersonFactory(municipality=municipality, migrant=True)
    f.ResidenceFactory(municipality=municipality, person=stays, address=home, starts_on=dt.date(2024, 3, 1))
    left = f.PersonFactory(municipality=municipality, migrant=True)
    f.ResidenceFactory(
        municipality=municipality,
        person=left,
        address=home,
        starts_on=dt.date(2024, 3, 1),
        ends_on=dt.date(2025, 12, 31),
    )
    rni = f.PersonFactory(
        municipality=municipality, migrant=True, registration_status=RegistrationStatus.NON_RESIDENT
    )
    f.ResidenceFactory(municipality=municipality, person=rni, address=other, starts_on=dt.date(2025, 12, 31))
    native = f.PersonFactory(municipality=municipality)
    f.ResidenceFactory(municipality=municipality, person=native, address=home, starts_on=dt.date(2020, 1, 1))
    result = people_kpis.labour_migrants_living_here(actor=actor_for("policy"), period=YEAR)
    assert result.value == 2
    assert result.by_neighbourhood == {carnisse.pk: 1, ommoord.pk: 1}  # type: ignore[attr-defined]
    assert people_kpis.labour_migrants_non_resident(actor=actor_for("policy"), period=YEAR).value == 1


def test_addresses_over_norm_compares_floor_area_with_the_people_registered(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    small = f.AddressFactory(municipality=municipality, floor_area_m2=30)
    large = f.AddressFactory(municipality=municipality, floor_area_m2=200)
    unknown = f.AddressFactory(municipality=municipality, floor_area_m2=None)
    for address, people in ((small, 3), (large, 3), (unknown, 9)):
        for _ in range(people):
            f.ResidenceFactory(municipality=municipality, address=address, starts_on=dt.date(2025, 1, 1))
    assert people_kpis.addresses_over_norm(actor=actor_for("policy"), period=YEAR).value == 1


def test_housing_locations_without_a_mark_valid_on_the_last_day(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    f.QualityMarkFactory(
        municipality=municipality, valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2026, 6, 1)
    )
    f.QualityMarkFactory(
        municipality=municipality, valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2025, 6, 1)
    )
    f.HousingLocationFactory(municipality=municipality)
    assert housing_kpis.locations_without_quality_mark(actor=actor_for("policy"), period=YEAR).value == 2


def test_proven_violations_are_counted_in_the_period_they_are_dated(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    f.ViolationFactory(municipality=municipality, occurred_on=dt.date(2025, 3, 1))
    f.ViolationFactory(municipality=municipality, occurred_on=dt.date(2024, 12, 31))
    f.ViolationFactory(
        municipality=municipality, occurred_on=dt.date(2025, 3, 1), status=ViolationStatus.ALLEGED
    )
    assert employer_kpis.proven_violations(actor=actor_for("policy"), period=YEAR).value == 1


def test_covenant_members_on_the_last_day_exclude_those_who_left(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    f.CovenantMembershipFactory(municipality=municipality, joined_on=dt.date(2024, 4, 1))
    f.CovenantMembershipFactory(
        municipality=municipality,
        joined_on=dt.date(2024, 4, 1),
        status=MembershipStatus.TERMINATED,
        ended_on=dt.date(2025, 10, 1),
    )
    f.CovenantMembershipFactory(municipality=municipality, joined_on=dt.date(2026, 1, 5))
    assert employer_kpis.covenant_members(actor=actor_for("policy"), period=YEAR).value == 1


def test_a_period_is_half_open_like_residence_periods() -> None:
    assert Period.year(2025).last_day == dt.date(2025, 12, 31)


def test_information_point_figures_count_visitors_meetings_and_course_participants(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    from ketenregie.infopoint import kpis as infopoint_kpis
    from ketenregie.infopoint.models import ActivityKind, ActivityStatus, Contact

    point = f.InformationPointFactory(municipality=municipality)

    def contact(day: dt.date, key: str, *, digid: bool = False) -> None:
        Contact.objects.create(
            municipality=municipality,
            point=point,
            contacted_on=day,
            channel="desk",
            language="pl",
            visitor_key=key,
            digid_activated=digid,
        )

    contact(dt.date(2025, 2, 1), "a", digid=True)
    contact(dt.date(2025, 3, 1), "a")
    contact(dt.date(2025, 4, 1), "b")
    contact(dt.date(2025, 5, 1), "")
    contact(dt.date(2024, 12, 31), "c")
    f.ActivityFactory(
        municipality=municipality, kind=ActivityKind.INFORMATION_MEETING, held_on=dt.date(2025, 6, 1)
    )
    f.ActivityFactory(
        municipality=municipality,
        kind=ActivityKind.INFORMATION_MEETING,
        held_on=dt.date(2025, 7, 1),
        status=ActivityStatus.CANCELLED,
    )
    f.ActivityFactory(
        municipality=municipality, kind=ActivityKind.COURSE_FORMAL, held_on=dt.date(2025, 9, 1), attendance=12
    )
    f.ActivityFactory(
        municipality=municipality,
        kind=ActivityKind.COURSE_NON_FORMAL,
        held_on=dt.date(2025, 9, 2),
        attendance=7,
    )
    actor = actor_for("policy")
    assert infopoint_kpis.unique_visitors(actor=actor, period=YEAR).value == 3
    assert infopoint_kpis.digid_helped(actor=actor, period=YEAR).value == 1
    assert infopoint_kpis.information_meetings(actor=actor, period=YEAR).value == 1
    assert infopoint_kpis.course_participants_formal(actor=actor, period=YEAR).value == 12
    assert infopoint_kpis.course_participants_non_formal(actor=actor, period=YEAR).value == 7
