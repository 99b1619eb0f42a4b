"""Deliveries after review (issue 12): surname prefixes, decided reviews that stay decided, versions and
confirmation of what a delivery changes, stay addresses beside the registers' residences, empty
deliveries and conflicts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework.test import APIClient

from ketenregie.cases import services as case_services
from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportConflict, ImportRejected, run_rows
from ketenregie.core.models import Municipality
from ketenregie.deliveries.imports import LabourMigrantImporter
from ketenregie.deliveries.models import DeliveredPerson, MatchReview, ReviewStatus
from ketenregie.deliveries.services import review_decide
from ketenregie.employers.models import Employer
from ketenregie.people.models import LabourMigrant, Person, Residence
from ketenregie.people.names import surname_key, surname_lookups
from ketenregie.people.registration import registration_candidates
from ketenregie.places.models import Address
from tests import factories as f
from tests.conftest import Casework
from tests.test_deliveries_labour_migrants import agency, api_rows, context, deliver, known, places

__all__ = ["agency", "places"]  # fixtures used by the tests below

ROW = "111222333;Nowak;Anna;1990-05-17;PL;;3077AW;2;;;\n"


# 1. Surnames with a prefix


def test_a_prefix_and_surname_compare_alike_however_they_are_split_or_spelled() -> None:
    assert surname_key("dos", "Santos") == surname_key("", "dos Santos") == surname_key("", "DOS-santos")
    assert surname_key("van der", "Berg") == surname_key("", "Van  der Berg")
    assert surname_key("van 't", "Hof") == surname_key("", "van t Hof")
    assert surname_key("", "Santos") != surname_key("", "dos Santos")
    assert "Santos" in surname_lookups("dos Santos")
    assert "Berg" in surname_lookups("van der Berg")


def test_a_delivered_surname_with_its_prefix_matches_the_register_by_bsn_without_a_review(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    person = known(
        municipality, places[0], surname="Santos", surname_prefix="dos", given_names="João", bsn="111222333"
    )
    _result, importer = deliver(
        actor_for("civil_affairs"), "111222333;dos Santos;João;1990-05-17;PT;;3077AW;2;;;\n"
    )
    assert importer.review_count == 0
    assert not MatchReview.objects.exists()
    assert DeliveredPerson.objects.get().person == person


def test_a_delivered_surname_with_its_prefix_finds_the_person_without_a_bsn(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    person = known(
        municipality, places[0], surname="Santos", surname_prefix="dos", given_names="João", bsn=""
    )
    result, importer = deliver(actor_for("civil_affairs"), ";Dos Santos;Joao;1990-05-17;PT;;3077AW;2;;;\n")
    assert (result.created, importer.review_count) == (0, 0)
    assert Person.objects.count() == 1
    assert DeliveredPerson.objects.get().person == person


def test_the_first_registration_matcher_uses_the_same_surname_rule(
    actor_for: Callable[[str], Actor], municipality: Municipality
) -> None:
    person = f.PersonFactory(
        municipality=municipality, surname="dos Santos", given_names="João", birth_date=dt.date(1990, 5, 17)
    )
    found = registration_candidates(
        actor=actor_for("civil_affairs"),
        bsn="",
        given_names="Joao",
        surname_prefix="Dos",
        surname="Santos",
        birth_date=dt.date(1990, 5, 17),
    )
    assert [c.person for c in found] == [person]


# 3. A decided review stays decided


def test_linking_fills_in_the_bsn_and_the_next_delivery_of_the_row_needs_no_review(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    actor = actor_for("civil_affairs")
    person = known(municipality, places[0], bsn="")
    deliver(actor, ROW)
    review = MatchReview.objects.get()
    review_decide(actor=actor, review=review, expected_version=review.version, decision="link", person=person)
    person.refresh_from_db()
    assert person.bsn == "111222333"
    for _delivery in range(2):
        _result, importer = deliver(actor, ROW)
        assert importer.review_count == 0
    assert MatchReview.objects.count() == 1
    assert not DeliveredPerson.objects.filter(person__isnull=True).exists()


def test_a_linked_row_with_another_surname_is_applied_to_the_decided_person_next_time(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    actor = actor_for("civil_affairs")
    person = known(municipality, places[0], bsn="111222333", surname="Nowak-Kowalska")
    deliver(actor, ROW)
    review = MatchReview.objects.get()
    assert review.status == ReviewStatus.OPEN
    review_decide(actor=actor, review=review, expected_version=review.version, decision="link", person=person)
    _result, importer = deliver(actor, ROW)
    assert importer.review_count == 0
    assert MatchReview.objects.count() == 1
    assert DeliveredPerson.objects.filter(delivery=importer.delivery).get().person == person


def test_a_dismissed_row_stays_dismissed_on_the_next_delivery(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    actor = actor_for("civil_affairs")
    known(municipality, places[0], bsn="")
    deliver(actor, ROW)
    review = MatchReview.objects.get()
    review_decide(actor=actor, review=review, expected_version=review.version, decision="dismiss")
    result, importer = deliver(actor, ROW)
    assert (importer.review_count, result.created, result.updated) == (0, 0, 0)
    assert MatchReview.objects.count() == 1
    assert Person.objects.count() == 1


# 4. What a delivery changes on a profile


def test_a_delivery_raises_versions_and_unconfirms_a_confirmed_profile_it_changes(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    actor = actor_for("civil_affairs")
    person = known(municipality, places[0], bsn="111222333")
    profile = LabourMigrant.objects.create(
        municipality=municipality,
        person=person,
        country_of_origin="PL",
        confirmed_at=timezone.now(),
        confirmed_by=actor.user,
    )
    deliver(actor, "111222333;Nowak;Anna;1990-05-17;PL;2025-03-01;3077AW;1;;anna@example.com;\n")
    profile.refresh_from_db()
    assert profile.arrival_date == dt.date(2025, 3, 1)
    assert (profile.version, profile.confirmed_at) == (2, None)
    person.refresh_from_db()
    assert person.version == 2


# 5. Stay addresses beside the registers' residences


def test_a_first_registration_keeps_the_brp_residence_and_a_later_stay_address(
    casework: Casework, actor_for: Callable[[str], Actor], municipality: Municipality
) -> None:
    form = casework.registration
    actor = actor_for("civil_affairs")
    person = f.PersonFactory(municipality=municipality, bsn="111222333", registration_status="none")
    brp = f.ResidenceFactory(
        municipality=municipality, person=person, starts_on=dt.date(2020, 1, 1), source="brp"
    )
    earlier = f.ResidenceFactory(
        municipality=municipality,
        person=person,
        starts_on=form.drawn_up_on - dt.timedelta(days=30),
        source="agency",
    )
    later = f.ResidenceFactory(
        municipality=municipality,
        person=person,
        starts_on=form.drawn_up_on + dt.timedelta(days=2),
        source="employer",
    )
    case_services.registration_form_process(
        actor=actor, form=form, expected_version=form.version, outcome="rni", person=person, bsn="111222333"
    )
    for residence in (brp, earlier, later):
        residence.refresh_from_db()
    assert (brp.ends_on, later.ends_on) == (None, None)
    assert earlier.ends_on == form.drawn_up_on
    seen = Residence.objects.get(person=person, source="inspection")
    assert (seen.address_id, seen.ends_on, seen.verification_status) == (form.address_id, None, "verified")


# 6. A delivery has rows


def test_a_delivery_without_rows_is_refused_in_every_channel(
    actor_for: Callable[[str], Actor], api_as: Callable[[str], APIClient], agency: Employer
) -> None:
    with pytest.raises(ImportRejected) as rejected:
        run_rows(actor=actor_for("civil_affairs"), importer=LabourMigrantImporter(context(agency)), rows=[])
    assert rejected.value.errors[0].message == _("There are no rows: give at least one.")
    with pytest.raises(ImportRejected):
        deliver(actor_for("civil_affairs"), "")
    response = api_as("civil_affairs").post(
        "/api/v1/labour-migrants/", {"employerKvk": agency.kvk_number, "rows": []}, format="json"
    )
    assert response.status_code == 400


# 2. Conflicts become a clear answer


def test_a_unique_clash_during_a_delivery_is_a_409_problem_not_a_500(
    api_as: Callable[[str], APIClient], places: list[Address], agency: Employer, monkeypatch: Any
) -> None:
    def clash(self: Any, actor: Any, rows: Any) -> Any:
        raise IntegrityError('duplicate key value violates unique constraint "person_unique_bsn"')

    monkeypatch.setattr(LabourMigrantImporter, "write", clash)
    response = api_as("civil_affairs").post(
        "/api/v1/labour-migrants/", {"employerKvk": agency.kvk_number, "rows": api_rows()}, format="json"
    )
    assert response.status_code == 409, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "conflict"
    with translation.override("nl"):
        assert response.json()["detail"] == str(ImportConflict.message)
