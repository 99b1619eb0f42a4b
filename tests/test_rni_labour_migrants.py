"""BRP and RNI (issue 12, part 5): the GBA-V import keeps what the extract says about the RNI
(RNI-deelnemer 88.10 and omschrijving verdrag 88.20 of categories 01, 04, 06, 07 and 08), and a
person registered in the RNI with a stay address in a municipality whose rule is on becomes a labour
migrant there, with an unconfirmed profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ketenregie.core.models import AuditEvent, Municipality, Norms
from ketenregie.people.gbav.importer import import_gbav
from ketenregie.people.models import LabourMigrant, Person, RegistrationStatus, Residence, ResidenceSource
from tests import factories as f

TEST_SET = Path(__file__).resolve().parent / "data" / "brp" / "gbav-testset-2022-05-02.csv"
# Lg01_282 of the official test set: in the RNI (1999), Indonesian (0313), address in Indonesia,
# RNI participant 0001 on categories 01, 04, 07 and 08.
RNI_BSN = "999993410"
HEADER = (
    "01.01.10;01.01.20;01.02.40;01.88.10;01.88.20;04.05.10;04.88.10;08.09.10;08.10.30;08.11.10;08.11.20;"
    "08.11.60;08.11.80;08.13.10;08.13.20;08.13.30;08.88.10;08.88.20"
)


def extract(*rows: str) -> bytes:
    return ("\ufeff;" + HEADER + "\n" + "\n".join(rows) + "\n").encode("utf-8")


# A Polish worker in the RNI (SVB, under the EU treaty), and a Dutch resident of Rotterdam.
POLISH_RNI = (
    "R1;1234567890;999990457;Kowalski;0201;Artikel 45 VWEU;0072;0201;1999;;;;;;6014;20230101;Ul. Długa 1;"
    "0201;Artikel 45 VWEU"
)
RESIDENT = "R2;1234567891;999993653;Jansen;;;0001;;0599;20200101;Kade;3;3011AA;0599010000400001;;;;;"


@pytest.fixture
def rotterdam(municipality: Municipality) -> Municipality:
    return municipality  # 0599 Rotterdam, the personas' municipality


def _rule(municipality: Municipality, on: bool) -> None:
    Norms.objects.filter(municipality=municipality).update(rni_stay_makes_labour_migrant=on)


def _staying(municipality: Municipality, bsn: str, source: str = ResidenceSource.EMPLOYER) -> Person:
    """Someone an employer delivered with a stay address here, matched to the BRP later by BSN."""
    person = f.PersonFactory(municipality=municipality, bsn=bsn, nationality="", surname="Delivered")
    f.ResidenceFactory(municipality=municipality, person=person, starts_on=dt.date(2024, 5, 1), source=source)
    return person


def test_the_rni_data_of_every_category_is_kept_on_the_brp_record(db: None) -> None:
    import_gbav(extract(POLISH_RNI))
    person = Person.objects.get(bsn="999990457", municipality__code="1999")
    assert person.registration_status == RegistrationStatus.NON_RESIDENT
    assert person.rni == [
        {"category": "01", "participant": "0201", "treaty": "Artikel 45 VWEU"},
        {"category": "04", "participant": "0201", "treaty": ""},
        {"category": "08", "participant": "0201", "treaty": "Artikel 45 VWEU"},
    ]
    residence = Residence.objects.get(person=person)
    assert (residence.rni_participant, residence.rni_treaty) == ("0201", "Artikel 45 VWEU")


def test_the_rule_on_makes_an_rni_registrant_with_a_stay_address_a_labour_migrant(
    rotterdam: Municipality,
) -> None:
    _rule(rotterdam, True)
    worker = _staying(rotterdam, "999990457")
    resident = _staying(rotterdam, "999993653")
    report = import_gbav(extract(POLISH_RNI, RESIDENT))
    migrant = LabourMigrant.objects.get(person=worker)
    assert (migrant.country_of_origin, migrant.confirmed_at, migrant.municipality) == ("PL", None, rotterdam)
    worker.refresh_from_db()
    assert worker.registration_status == RegistrationStatus.NON_RESIDENT
    assert worker.rni[0] == {"category": "01", "participant": "0201", "treaty": "Artikel 45 VWEU"}
    # A resident in the BRP is no non-resident: the rule does not touch them.
    assert not LabourMigrant.objects.filter(person=resident).exists()
    assert report.rni_labour_migrants_created == 1
    assert AuditEvent.objects.filter(
        municipality=rotterdam, object_type="people.labourmigrant", action="import"
    ).exists()


def test_the_rule_off_leaves_the_municipalitys_people_alone(rotterdam: Municipality) -> None:
    _rule(rotterdam, False)
    worker = _staying(rotterdam, "999990457")
    import_gbav(extract(POLISH_RNI))
    assert not LabourMigrant.objects.filter(person=worker).exists()
    worker.refresh_from_db()
    assert worker.rni == []


def test_only_a_current_stay_address_counts(rotterdam: Municipality) -> None:
    _rule(rotterdam, True)
    left = _staying(rotterdam, "999990457")
    Residence.objects.filter(person=left).update(ends_on=dt.date(2024, 9, 1))
    import_gbav(extract(POLISH_RNI))
    assert not LabourMigrant.objects.filter(person=left).exists()


def test_importing_again_changes_nothing_and_keeps_what_staff_confirmed(
    rotterdam: Municipality, personas: dict[str, object]
) -> None:
    _rule(rotterdam, True)
    worker = _staying(rotterdam, "999990457")
    import_gbav(extract(POLISH_RNI))
    LabourMigrant.objects.filter(person=worker).update(
        sector="agriculture", confirmed_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    version = Person.objects.get(pk=worker.pk).version
    report = import_gbav(extract(POLISH_RNI))
    assert report.rni_labour_migrants_created == 0
    migrant = LabourMigrant.objects.get(person=worker)
    assert migrant.sector == "agriculture"
    assert migrant.confirmed_at is not None
    assert Person.objects.get(pk=worker.pk).version == version
    assert LabourMigrant.objects.count() == 1


def test_a_nationality_that_names_no_country_gives_no_profile_and_is_reported(
    rotterdam: Municipality,
) -> None:
    _rule(rotterdam, True)
    stateless = POLISH_RNI.replace(";0072;", ";0499;")
    worker = _staying(rotterdam, "999990457")
    with translation.override("en"):
        report = import_gbav(extract(stateless))
    assert not LabourMigrant.objects.filter(person=worker).exists()
    assert any("no one country" in note for note in report.notes)


def test_the_rule_works_on_the_official_test_set(rotterdam: Municipality) -> None:
    _rule(rotterdam, True)
    worker = _staying(rotterdam, RNI_BSN, source=ResidenceSource.HOUSING_PROVIDER)
    report = import_gbav(TEST_SET)
    # Lg01_803 has a date in 04.88.10: left out with a warning, the extract is not refused.
    assert [w for w in report.warnings if "04.88.10" in w] != []
    assert len(report.warnings) == 20
    assert LabourMigrant.objects.get(person=worker).country_of_origin == "ID"
    worker.refresh_from_db()
    assert {row["category"] for row in worker.rni} == {"01", "04", "07", "08"}
    assert {row["participant"] for row in worker.rni} == {"0001"}
    # Every RNI registrant of the set keeps the participant of its categories.
    kept = Person.objects.filter(municipality__code="1999").exclude(rni=[]).count()
    assert kept == 10


def test_with_one_municipality_named_the_rule_still_reads_the_rni_records(rotterdam: Municipality) -> None:
    _rule(rotterdam, True)
    worker = _staying(rotterdam, "999990457")
    report = import_gbav(extract(POLISH_RNI, RESIDENT), municipality_code="0599")
    assert report.persons_elsewhere == 1
    assert LabourMigrant.objects.filter(person=worker).exists()


def test_the_person_page_shows_the_rni_participant_and_treaty(
    rotterdam: Municipality, client_as: Callable[[str], Client], personas: dict[str, object]
) -> None:
    _rule(rotterdam, True)
    worker = _staying(rotterdam, "999990457")
    import_gbav(extract(POLISH_RNI))
    page = client_as("civil_affairs").get(reverse("people:person_detail", args=[worker.pk])).content.decode()
    assert "Sociale Verzekeringsbank" in page
    assert "Artikel 45 VWEU" in page
    assert "not confirmed" in page


def test_the_rule_costs_the_same_few_queries_for_one_or_many_people(
    rotterdam: Municipality, django_assert_max_num_queries: Any
) -> None:
    from ketenregie.people.gbav.report import GbavReport
    from ketenregie.people.gbav.rni import RniFacts, mark_rni_stays

    _rule(rotterdam, True)
    people = [_staying(rotterdam, f"{100000000 + n:09d}") for n in range(40)]
    found = {
        p.bsn: RniFacts(
            nationality_code="0072", rni=[{"category": "01", "participant": "0201", "treaty": ""}]
        )
        for p in people
    }
    # Norms, stays, municipalities, existing profiles, insert, people, update, audit (+ savepoints).
    with django_assert_max_num_queries(12):
        mark_rni_stays(found, GbavReport(), municipality_code=None)
    assert LabourMigrant.objects.filter(person__in=people).count() == 40
