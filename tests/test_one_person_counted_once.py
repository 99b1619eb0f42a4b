"""One person is counted once: where a person lives on a day is decided by one rule
(``people.selectors.lives_on``; its Python twin ``people.models.where_lives``): among their running
living residences that are not rejected, a stay address beats the BRP/RNI address, and of several the
latest start (then the highest id) wins. Every count of where people live uses it; the BRP Bewoning
answer and an inspection's "registered in the BRP" keep the BRP's own facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketenregie.cases.services.findings import registered_on
from ketenregie.core.actor import Actor
from ketenregie.core.kpi import Period
from ketenregie.core.models import Municipality, Role
from ketenregie.people import kpis as people_kpis
from ketenregie.people import selectors
from ketenregie.people.models import (
    Person,
    Residence,
    ResidenceSource,
    VerificationStatus,
    living_periods,
    where_lives,
)
from ketenregie.people.occupancy import bewoning_op_peildatum
from ketenregie.places.models import Address
from ketenregie.places.selectors import with_registered_count
from ketenregie.risk.engine import address_features
from ketenregie.risk.export import export_tables
from tests import factories as f

DAY = dt.date(2025, 6, 1)
YEAR = Period.year(2025)


def counts_by_address(municipality: Municipality, on: dt.date = DAY) -> dict[int, int]:
    addresses = with_registered_count(Address.objects.filter(municipality=municipality), on)
    return {a.pk: a.registered_persons for a in addresses if a.registered_persons}  # type: ignore[attr-defined]


def residence(
    person: Person, address: Address | None, source: str, start: dt.date, **kw: object
) -> Residence:
    return f.ResidenceFactory(
        municipality=person.municipality, person=person, address=address, source=source, starts_on=start, **kw
    )


@pytest.fixture
def labour_migrant_at_two_addresses(municipality: Municipality) -> tuple[Person, Address, Address]:
    """Registered in the BRP at A, delivered by an agency at B (30 m² for one person: within norm)."""
    a = f.AddressFactory(municipality=municipality, floor_area_m2=100)
    b = f.AddressFactory(municipality=municipality, floor_area_m2=30)
    person = f.PersonFactory(municipality=municipality, migrant=True)
    residence(person, a, ResidenceSource.BRP, dt.date(2024, 1, 1))
    residence(person, b, ResidenceSource.AGENCY, dt.date(2025, 3, 1))
    return person, a, b


def test_a_person_in_the_brp_at_a_and_delivered_at_b_counts_once_at_b_in_the_address_counts(
    municipality: Municipality,
    labour_migrant_at_two_addresses: tuple[Person, Address, Address],
    actor_for: Callable[[str], Actor],
) -> None:
    _person, a, b = labour_migrant_at_two_addresses
    assert counts_by_address(municipality) == {b.pk: 1}
    actor = actor_for(Role.CIVIL_AFFAIRS)
    assert selectors.registered_count(actor=actor, address=a, on=DAY) == 0
    assert selectors.registered_count(actor=actor, address=b, on=DAY) == 1
    # Before the stay address began, the BRP's address was where they lived.
    assert counts_by_address(municipality, dt.date(2025, 2, 1)) == {a.pk: 1}


def test_the_address_page_counts_the_person_at_the_stay_address_and_lists_them_elsewhere_at_a(
    labour_migrant_at_two_addresses: tuple[Person, Address, Address], actor_for: Callable[[str], Actor]
) -> None:
    person, a, b = labour_migrant_at_two_addresses
    actor = actor_for(Role.CIVIL_AFFAIRS)
    at_a = selectors.address_occupancy(actor=actor, address=a, on=DAY)
    at_b = selectors.address_occupancy(actor=actor, address=b, on=DAY)
    assert (at_a.registered_count, at_a.brp_registered_count) == (0, 1)
    assert [row.person for row in at_a.counted_elsewhere] == [person]
    assert at_a.current == []
    assert (at_b.registered_count, at_b.brp_registered_count) == (1, 0)
    assert [row.person for row in at_b.current] == [person]


def test_the_key_figures_and_a_monitoring_figure_count_the_person_once_at_the_stay_address(
    municipality: Municipality,
    labour_migrant_at_two_addresses: tuple[Person, Address, Address],
    actor_for: Callable[[str], Actor],
) -> None:
    _person, a, b = labour_migrant_at_two_addresses
    ommoord = f.NeighbourhoodFactory(municipality=municipality)
    carnisse = f.NeighbourhoodFactory(municipality=municipality)
    Address.objects.filter(pk=a.pk).update(neighbourhood=ommoord)
    Address.objects.filter(pk=b.pk).update(neighbourhood=carnisse)
    # B: 30 m² for the migrant and two others is 10 m² each, under the norm of 12. A: 11 m² would be
    # under the norm too if the migrant also counted there.
    for _ in range(2):
        residence(f.PersonFactory(municipality=municipality), b, ResidenceSource.BRP, dt.date(2024, 1, 1))
    Address.objects.filter(pk=a.pk).update(floor_area_m2=11)
    policy = actor_for(Role.POLICY)
    migrants = people_kpis.labour_migrants_living_here(actor=policy, period=YEAR)
    assert (migrants.value, migrants.by_neighbourhood) == (1, {carnisse.pk: 1})
    assert people_kpis.addresses_over_norm(actor=policy, period=YEAR).value == 1
    assert selectors.people_key_figures(actor=policy).addresses_over_norm == 1


def test_the_risk_export_places_the_person_at_one_address_a_day(
    municipality: Municipality, labour_migrant_at_two_addresses: tuple[Person, Address, Address]
) -> None:
    _person, a, b = labour_migrant_at_two_addresses
    tables = export_tables(municipality, DAY)
    rows = sorted(tables["residences"].select("address_id", "starts_on", "ends_on").rows())
    assert sorted(rows) == sorted(
        [(a.pk, dt.date(2024, 1, 1), dt.date(2025, 3, 1)), (b.pk, dt.date(2025, 3, 1), None)]
    )
    persons = dict(address_features(tables, DAY).select("address_id", "persons").rows())
    assert (persons[a.pk] or 0, persons[b.pk]) == (0, 1)


def test_with_two_deliverers_the_person_counts_once_at_the_latest_stay_address(
    municipality: Municipality, labour_migrant_at_two_addresses: tuple[Person, Address, Address]
) -> None:
    person, _a, b = labour_migrant_at_two_addresses
    c = f.AddressFactory(municipality=municipality)
    residence(person, c, ResidenceSource.HOUSING_PROVIDER, dt.date(2025, 4, 1))
    assert counts_by_address(municipality) == {c.pk: 1}
    assert counts_by_address(municipality, dt.date(2025, 3, 15)) == {b.pk: 1}


def test_two_stay_addresses_from_the_same_day_count_once_at_the_newest_record(
    municipality: Municipality, labour_migrant_at_two_addresses: tuple[Person, Address, Address]
) -> None:
    person, _a, _b = labour_migrant_at_two_addresses
    c = f.AddressFactory(municipality=municipality)
    residence(person, c, ResidenceSource.EMPLOYER, dt.date(2025, 3, 1))
    assert counts_by_address(municipality) == {c.pk: 1}


def test_a_rejected_stay_address_counts_nowhere_and_the_person_is_back_at_the_brp_address(
    municipality: Municipality, labour_migrant_at_two_addresses: tuple[Person, Address, Address]
) -> None:
    person, a, b = labour_migrant_at_two_addresses
    Residence.objects.filter(person=person, address=b).update(verification_status=VerificationStatus.REJECTED)
    assert counts_by_address(municipality) == {a.pk: 1}
    tables = export_tables(municipality, DAY)
    assert tables["residences"].select("address_id", "ends_on").rows() == [(a.pk, None)]


def test_a_disputed_stay_address_still_counts(
    municipality: Municipality, labour_migrant_at_two_addresses: tuple[Person, Address, Address]
) -> None:
    person, _a, b = labour_migrant_at_two_addresses
    Residence.objects.filter(person=person, address=b).update(verification_status=VerificationStatus.DISPUTED)
    assert counts_by_address(municipality) == {b.pk: 1}


def test_two_current_residences_at_the_same_address_count_the_person_once(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    """The BRP registered the person at the stay address (which verification then verified)."""
    address = f.AddressFactory(municipality=municipality)
    person = f.PersonFactory(municipality=municipality)
    residence(person, address, ResidenceSource.AGENCY, dt.date(2025, 1, 1))
    residence(person, address, ResidenceSource.BRP, dt.date(2025, 2, 1))
    assert counts_by_address(municipality) == {address.pk: 1}
    occupancy = selectors.address_occupancy(actor=actor_for(Role.CIVIL_AFFAIRS), address=address, on=DAY)
    assert (occupancy.registered_count, occupancy.brp_registered_count, len(occupancy.current)) == (1, 1, 1)
    assert registered_on(address, DAY) == 1


def test_the_brp_bewoning_answer_lists_the_person_at_the_brp_address_and_not_at_the_stay_address(
    labour_migrant_at_two_addresses: tuple[Person, Address, Address], actor_for: Callable[[str], Actor]
) -> None:
    person, a, b = labour_migrant_at_two_addresses
    actor = actor_for(Role.CIVIL_AFFAIRS)
    at_a = bewoning_op_peildatum(actor=actor, object_id=a.bag_object_id, peildatum=DAY).to_api()
    at_b = bewoning_op_peildatum(actor=actor, object_id=b.bag_object_id, peildatum=DAY).to_api()
    assert [r["burgerservicenummer"] for bw in at_a["bewoningen"] for r in bw["bewoners"]] == [person.bsn]
    assert at_b == {"bewoningen": []}


def test_an_inspection_compares_with_the_brp_registration_not_with_a_stay_address(
    labour_migrant_at_two_addresses: tuple[Person, Address, Address],
) -> None:
    _person, a, b = labour_migrant_at_two_addresses
    assert (registered_on(a, DAY), registered_on(b, DAY)) == (1, 0)


def test_the_rule_is_an_index_lookup_per_residence_not_a_scan(municipality: Municipality) -> None:
    addresses = [f.AddressFactory(municipality=municipality) for _ in range(20)]
    people = Person.objects.bulk_create(
        Person(municipality=municipality, surname=f"P{i}", given_names="A", birth_date=DAY)
        for i in range(1500)
    )
    Residence.objects.bulk_create(
        Residence(
            municipality=municipality,
            person=person,
            address=addresses[(i + k) % 20],
            source=(ResidenceSource.BRP, ResidenceSource.AGENCY)[k],
            starts_on=dt.date(2024, 1 + k, 1),
        )
        for i, person in enumerate(people)
        for k in range(2)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_residence")
    query = Residence.objects.filter(selectors.lives_on(DAY)).values("address_id").annotate(n=Count("id"))
    plan = query.explain()
    assert "residence_person_start" in plan, plan
    assert sum(row["n"] for row in query) == 1500


# A property: whatever residences people have, the address counts add up to the people living here.

SOURCES = [s.value for s in ResidenceSource]
DAYS = [None, dt.date(2024, 1, 1), dt.date(2024, 6, 1), dt.date(2025, 1, 1), dt.date(2025, 6, 1)]
STATUSES = [s.value for s in VerificationStatus]


@st.composite
def residence_specs(draw: st.DrawFn) -> dict[str, object]:
    start = draw(st.sampled_from(DAYS))
    later = [d for d in DAYS if d is not None and (start is None or d >= start)]
    end = draw(st.one_of(st.none(), st.sampled_from(later))) if later else None
    return {
        "address": draw(st.integers(0, 3)),  # 3: abroad (no address in the register)
        "source": draw(st.sampled_from(SOURCES)),
        "starts_on": start,
        "ends_on": end,
        "verification_status": draw(st.sampled_from(STATUSES)),
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(st.lists(residence_specs(), min_size=0, max_size=4), min_size=1, max_size=5),
    day=st.sampled_from([d for d in DAYS if d is not None] + [dt.date(2024, 3, 15), dt.date(2026, 1, 1)]),
)
def test_the_address_counts_add_up_to_the_people_living_somewhere_here(
    municipality: Municipality, people: list[list[dict[str, object]]], day: dt.date
) -> None:
    with transaction.atomic():
        addresses = [f.AddressFactory(municipality=municipality) for _ in range(3)]
        held: dict[int, list[Residence]] = {}
        for specs in people:
            person = f.PersonFactory(municipality=municipality)
            held[person.pk] = [
                Residence.objects.create(
                    municipality=municipality,
                    person=person,
                    **{**spec, "address": addresses[spec["address"]] if spec["address"] < 3 else None},  # type: ignore[operator,index]
                )
                for spec in specs
            ]
        expected = {pk: where_lives(rs, day) for pk, rs in held.items()}
        living_here = [r for r in expected.values() if r is not None and r.address_id is not None]
        counts = counts_by_address(municipality, day)
        assert sum(counts.values()) == len(living_here)
        by_address: dict[int, int] = {}
        for r in living_here:
            by_address[r.address_id] = by_address.get(r.address_id, 0) + 1  # type: ignore[index]
        assert counts == by_address
        chosen = set(
            Residence.objects.filter(selectors.lives_on(day), municipality=municipality).values_list(
                "pk", flat=True
            )
        )
        assert chosen == {r.pk for r in expected.values() if r is not None}
        for rs in held.values():
            in_period = [
                r
                for r, start, end in living_periods(rs)
                if (start or dt.date.min) <= day and (end is None or day < end)
            ]
            assert in_period == [r for r in [where_lives(rs, day)] if r is not None]
        transaction.set_rollback(True)
