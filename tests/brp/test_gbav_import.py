"""The GBA-V importer on the official test set and on small extracts made for one rule each."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportRejected
from ketenregie.core.models import AuditEvent, Municipality
from ketenregie.people.gbav.importer import import_gbav
from ketenregie.people.models import Person, RegistrationStatus, Residence
from ketenregie.people.occupancy import bewoning_op_peildatum, bewoningen
from ketenregie.places.models import Address
from tests import factories as f

TEST_SET = Path(__file__).resolve().parent.parent / "data" / "brp" / "gbav-testset-2022-05-02.csv"
MANY_RESIDENTS = "1810010010001001"  # Van Wijngaerdenstraat 1, Toetsoog: 21 people, the most of the set
HEADER = (
    "01.01.10;01.01.20;01.02.40;07.67.10;07.67.20;08.09.10;08.10.30;08.11.10;08.11.20;08.11.60;08.11.80;"
    "08.13.10;08.13.20;08.84.10"
)


def extract(*rows: str) -> bytes:
    return ("\ufeff;" + HEADER + "\n" + "\n".join(rows) + "\n").encode("utf-8")


@pytest.fixture
def test_set(db: None) -> None:
    import_gbav(TEST_SET)


def test_the_official_test_set_imports_completely(test_set: None) -> None:
    assert Person.objects.count() == 687
    assert Residence.objects.count() == 1712
    assert Address.objects.count() == 518
    assert Address.objects.exclude(bag_object_id="").count() == 213
    # Everything named in the BRP but absent from the (empty) BAG register is incomplete.
    assert not Address.objects.filter(is_complete=True).exists()
    # People abroad keep their foreign address on the residence, without a register address.
    assert Residence.objects.exclude(country_code="").filter(address__isnull=True).count() == 108
    rotterdam = Municipality.objects.get(code="0599")
    assert rotterdam.name == "Rotterdam"
    assert Person.objects.filter(municipality=rotterdam).count() == 141
    # 72 are registered in the RNI (1999); four of them have died.
    assert Person.objects.filter(municipality__code="1999").count() == 72
    assert Person.objects.filter(registration_status=RegistrationStatus.NON_RESIDENT).count() == 68
    assert Municipality.objects.get(code="1810").name == "Gemeentecode 1810"


def test_importing_the_test_set_twice_changes_nothing(test_set: None) -> None:
    before = list(Residence.objects.order_by("pk").values_list("pk", "starts_on", "ends_on", "version"))
    report = import_gbav(TEST_SET)
    assert (report.persons_created, report.persons_updated, report.persons_unchanged) == (0, 0, 687)
    assert (report.residences_created, report.residences_updated, report.residences_removed) == (0, 0, 0)
    assert report.incomplete_addresses == []
    assert (
        list(Residence.objects.order_by("pk").values_list("pk", "starts_on", "ends_on", "version")) == before
    )


def test_values_the_brp_delivered_against_its_rules_are_read_with_a_warning(db: None) -> None:
    with translation.override("en"):
        report = import_gbav(TEST_SET)
    assert "row 899, 07.67.10: 00002014 has a month or day but no year; read as unknown." in report.warnings
    assert any("1569, 08.10.30: 19660013 has a day but no month" in w for w in report.warnings)
    assert any(
        "363010012067062 lost its leading zeros; read as 0363010012067062" in w for w in report.warnings
    )
    residence = Residence.objects.get(bag_object_id="0363010012067062")
    assert residence.address is not None


def test_the_many_resident_address_has_the_residents_checked_by_hand(test_set: None) -> None:
    """Checked by reading the CSV by hand (rows 14-1658): 21 records have 1810010010001001 as their
    current address and none a later one; none is suspended, secret or under investigation.
    Eight (Lg01_392, 395, 396, 399, 400, 404, 405, 408) got the BAG id by a technical change (72.10 T)
    with the original start 1998-05-02; twelve got it by a T occurrence starting 2000-06-10 after a
    holding without BAG id (so before that day the BRP cannot tie them to this object: 'bewoning
    onbekend'); Lg01_789 moved in on 2019-08-17. Hence 8, 20 and 21 residents in the three periods."""
    actor = Actor.system(Municipality.objects.get(code="1810"), name="test")
    answer = bewoningen(
        actor=actor, object_id=MANY_RESIDENTS, van=dt.date(1990, 1, 1), tot=dt.date(2022, 5, 2)
    )
    periods = [
        (c.van.isoformat(), c.tot.isoformat(), len(c.residents), len(c.possible_residents))
        for c in answer.compositions
    ]
    assert periods == [
        ("1998-05-02", "2000-06-10", 8, 0),
        ("2000-06-10", "2019-08-17", 20, 0),
        ("2019-08-17", "2022-05-02", 21, 0),
    ]
    first = bewoning_op_peildatum(
        actor=actor, object_id=MANY_RESIDENTS, peildatum=dt.date(1999, 1, 1)
    ).to_api()
    assert sorted(b["burgerservicenummer"] for b in first["bewoningen"][0]["bewoners"]) == sorted(
        [
            "000009933",
            "000009970",
            "999995054",
            "999994207",
            "999994165",
            "999992788",
            "999992430",
            "999995042",
        ]
    )
    assert (
        AuditEvent.objects.filter(detail__context="bewoning", object_type="people.person").count() == 21 + 8
    )


def test_the_municipality_option_restricts_the_import(db: None) -> None:
    report = import_gbav(TEST_SET, municipality_code="0599")
    assert Person.objects.count() == 141
    assert report.persons_elsewhere == 687 - 141
    assert set(Municipality.objects.values_list("code", flat=True)) == {"0599"}


def test_a_malformed_extract_is_refused_with_every_row_and_reason_and_writes_nothing(db: None) -> None:
    data = extract(
        "P1;1234567890;999993653;Jansen;;;0599;20200101;Boterdiep;31;3077AW;;;;",
        "P2;12345678AB;;Pietersen;;;0599;20231301;Boterdiep;33;3077AW;;;;",
        ";;;;;;0599;20200230;Boterdiep;35;3077AW;;;;",
        "P3;1234567891;;Klaassen;;;0599;20200101;Boterdiep;x1;3077AW;;;;",
        "P1;1234567890;999993653;Jansen;;;0599;20200101;Boterdiep;31;3077AW;;;;",
        "P4;1234567892;;Smit;;;0599;2023-01-01;Boterdiep;31;3077AW;0599010000208579;;;",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_gbav(data)
    with translation.override("en"):
        messages = [str(e) for e in rejected.value.errors]
    assert "row 7, 08.10.30: 2023-01-01 is not a date of the form YYYYMMDD." in messages
    assert "row 3, 01.01.10: 12345678AB is not a code of 10 digits." in messages
    assert "row 3, 08.10.30: 20231301 has month 13." in messages
    assert "row 4, 08.10.30: 20200230 is not a day in the calendar." in messages
    assert "row 5, 08.11.20: x1 is not a house number." in messages
    assert "row 6, 01.01.10: The same person (1234567890) already appears on row 2." in messages
    assert not Person.objects.exists()
    assert not Address.objects.exists()
    assert not Municipality.objects.exists()


def test_a_newer_extract_updates_the_person_and_keeps_the_history(db: None) -> None:
    first = extract(
        "P1;1234567890;999993653;Jansen;;;0599;20150808;Boterdiep;31;3077AW;0599010000208579;;;",
        ";;;;;;0599;20131102;Vredesplein;7;3074SN;0599010000476795;;;",
    )
    import_gbav(first)
    person = Person.objects.get()
    old = {r.bag_object_id: r for r in person.residences.all()}
    assert old["0599010000208579"].ends_on is None
    newer = extract(
        "P1;1234567890;999993653;Jansen-de Vries;;;0599;20240301;Lange Hilleweg;2;3073BJ;0599010000111111;;;",
        ";;;;;;0599;20150808;Boterdiep;31;3077AW;0599010000208579;;;",
        ";;;;;;0599;20131102;Vredesplein;7;3074SN;0599010000476795;;;",
    )
    report = import_gbav(newer)
    assert (report.persons_updated, report.residences_created) == (1, 1)
    person.refresh_from_db()
    assert person.surname == "Jansen-de Vries"
    now = {r.bag_object_id: r for r in person.residences.all()}
    assert now["0599010000208579"].pk == old["0599010000208579"].pk
    assert now["0599010000208579"].ends_on == dt.date(2024, 3, 1)
    assert now["0599010000476795"].ends_on == dt.date(2015, 8, 8)
    assert [r.sequence for r in person.residences.order_by("starts_on")] == [1, 2, 3]


def test_a_holding_the_newer_extract_marks_incorrect_is_removed(db: None) -> None:
    import_gbav(
        extract(
            "P1;1234567890;999993653;Jansen;;;0599;20150808;Boterdiep;31;3077AW;0599010000208579;;;",
            ";;;;;;0599;20131102;Vredesplein;7;3074SN;0599010000476795;;;",
        )
    )
    report = import_gbav(
        extract(
            "P1;1234567890;999993653;Jansen;;;0599;20150808;Boterdiep;31;3077AW;0599010000208579;;;",
            ";;;;;;0599;20131102;Vredesplein;7;3074SN;0599010000476795;;;O",
            ";;;;;;0599;20131102;Vredesplein;9;3074SN;0599010000476799;;;",
        )
    )
    assert report.residences_removed == 1
    assert sorted(Residence.objects.values_list("bag_object_id", flat=True)) == [
        "0599010000208579",
        "0599010000476799",
    ]


def test_a_suspended_record_stops_counting_on_the_suspension_date(db: None) -> None:
    import_gbav(
        extract(
            "P1;1234567890;999993653;Jansen;20220829;O;0599;20100818;Boterdiep;31;3077AW;0599010000208579;;;"
        )
    )
    person = Person.objects.get()
    assert person.registration_status == RegistrationStatus.DECEASED
    residence = person.residences.get()
    assert residence.ends_on == dt.date(2022, 8, 29)
    assert residence.is_living_on(dt.date(2022, 8, 28))
    assert not residence.is_living_on(dt.date(2022, 8, 29))


def test_the_command_imports_and_reports(db: None, tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    path.write_bytes(
        extract("P1;1234567890;999993653;Jansen;;;0599;201508;Boterdiep;31;3077AW;0599010000208579;;;")
    )
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_brp", str(path), format="gbav", stdout=StringIO(), stderr=StringIO())
    path.write_bytes(
        extract("P1;1234567890;999993653;Jansen;;;0599;20150800;Boterdiep;31;3077AW;0599010000208579;;;")
    )
    out = StringIO()
    call_command("import_brp", str(path), format="gbav", stdout=out, stderr=StringIO())
    assert "1 person records read; 1 new" in out.getvalue()
    assert "0599 0599010000208579 Boterdiep 31, 3077 AW" in out.getvalue()


def test_the_bewoning_command_prints_the_api_shape(db: None) -> None:
    import_gbav(
        extract("P1;1234567890;999993653;Jansen;;;0599;20150800;Boterdiep;31;3077AW;0599010000208579;;;")
    )
    out = StringIO()
    call_command("bewoning", object="0599010000208579", peildatum="2015-08-10", stdout=out)
    assert json.loads(out.getvalue()) == {
        "bewoningen": [
            {
                "adresseerbaarObjectIdentificatie": "0599010000208579",
                "periode": {"datumVan": "2015-08-10", "datumTot": "2015-08-11"},
                "bewoners": [],
                "mogelijkeBewoners": [
                    {"burgerservicenummer": "999993653", "naam": {"volledigeNaam": "Jansen"}}
                ],
            }
        ]
    }
    out = StringIO()
    call_command("bewoning", object="0599010000208579", van="2015-01-01", tot="2016-01-01", stdout=out)
    periods = [b["periode"] for b in json.loads(out.getvalue())["bewoningen"]]
    assert periods == [
        {"datumVan": "2015-08-01", "datumTot": "2015-09-01"},
        {"datumVan": "2015-09-01", "datumTot": "2016-01-01"},
    ]
    with pytest.raises(CommandError, match="peildatum: Waarde is geen geldige datum"):
        call_command("bewoning", object="0599010000208579", peildatum="2023-02-29", stdout=StringIO())


def test_the_bewoning_command_asks_which_municipality_when_several_know_the_object(db: None) -> None:
    import_gbav(
        extract("P1;1234567890;999993653;Jansen;;;0599;20150800;Boterdiep;31;3077AW;0599010000208579;;;")
    )
    other = f.MunicipalityFactory(code="0637", name="Zoetermeer")
    f.AddressFactory(municipality=other, bag_object_id="0599010000208579")

    def ask(**options: str) -> str:
        out = StringIO()
        call_command("bewoning", object="0599010000208579", peildatum="2015-08-10", stdout=out, **options)
        return out.getvalue()

    with pytest.raises(CommandError, match="Several municipalities know this object"):
        ask()
    with pytest.raises(CommandError, match="Unknown municipality code 9999"):
        ask(municipality="9999")
    assert "999993653" in ask(municipality="0599")
    assert "999993653" not in ask(municipality="0637")


def _schema(table_names: tuple[str, ...]) -> set[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) UNION ALL "
            "SELECT conname, pg_get_constraintdef(oid) || ' valid=' || convalidated FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[])",
            [list(table_names), list(table_names)],
        )
        return set(cursor.fetchall())


@pytest.fixture
def bulk_load(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, ...]]:
    """Every import takes the large-extract path (indexes and foreign keys built afterwards)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the large-extract path is PostgreSQL's")
    from ketenregie.people.gbav import importer

    monkeypatch.setattr(importer, "BULK_FROM", 1)
    monkeypatch.setattr(importer, "_stored_people", lambda: 0)
    used = []
    rebuilt = importer.rebuilt_afterwards

    def spy(*args: Any, **kwargs: Any) -> Any:
        used.append(args)
        return rebuilt(*args, **kwargs)

    monkeypatch.setattr(importer, "rebuilt_afterwards", spy)
    yield ("people_person", "people_residence")
    assert used, "the large-extract path was not taken"


def test_a_large_extract_imports_the_same_and_keeps_every_index_and_key(bulk_load: tuple[str, ...]) -> None:
    schema = _schema(bulk_load)
    assert any("gin_trgm_ops" in definition for _name, definition in schema)
    import_gbav(TEST_SET)
    assert _schema(bulk_load) == schema
    assert Person.objects.count() == 687
    assert Residence.objects.count() == 1712
    assert Residence.objects.exclude(country_code="").filter(address__isnull=True).count() == 108
    report = import_gbav(TEST_SET)
    assert (report.persons_created, report.persons_updated, report.persons_unchanged) == (0, 0, 687)
    assert _schema(bulk_load) == schema


def test_a_large_malformed_extract_writes_nothing_and_keeps_the_schema(bulk_load: tuple[str, ...]) -> None:
    schema = _schema(bulk_load)
    data = extract(
        "P1;1234567890;999993653;Jansen;;;0599;20200101;Boterdiep;31;3077AW;;;;",
        "P2;12345678AB;;Pietersen;;;0599;20231301;Boterdiep;33;3077AW;;;;",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_gbav(data)
    with translation.override("en"):
        messages = [str(e) for e in rejected.value.errors]
    assert "row 3, 01.01.10: 12345678AB is not a code of 10 digits." in messages
    assert not Person.objects.exists()
    assert _schema(bulk_load) == schema
