"""The SNA register (NEN 4400-1) imported as a full snapshot: certified, lapsed, ignored, idempotent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportRejected, run_import
from ketenregie.employers.models import Employer, EmployerKind
from ketenregie.employers.sna_register import SnaRegisterImporter
from ketenregie.risk import export
from tests import factories as f

HEADER = "kvk_number;name;registration_number;status;certified_since;inspection_body\n"


def register(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


def sna_import(actor: Actor, data: bytes) -> Any:
    with translation.override("en"):
        return run_import(actor=actor, importer=SnaRegisterImporter(), data=data)


@pytest.fixture
def agencies(municipality: Any) -> dict[str, Employer]:
    return {
        "new": f.EmployerFactory(municipality=municipality, kvk_number="41000001"),
        "kept": f.EmployerFactory(
            municipality=municipality,
            kvk_number="41000002",
            sna_certified=True,
            sna_certified_since=dt.date(2020, 1, 1),
        ),
        "dropped": f.EmployerFactory(
            municipality=municipality,
            kvk_number="41000003",
            sna_certified=True,
            sna_certified_since=dt.date(2019, 5, 1),
        ),
        "suspended": f.EmployerFactory(
            municipality=municipality,
            kvk_number="41000004",
            sna_certified=True,
            sna_certified_since=dt.date(2018, 5, 1),
        ),
    }


SNAPSHOT = register(
    "41000001;Nieuw Flex B.V.;SNA-1001;gecertificeerd;2025-02-01;Normec",
    "41000002;Vast Flex B.V.;SNA-1002;Gecertificeerd;01-01-2020;Normec",
    "41000004;Geschorst B.V.;SNA-1004;opgeschort;;Normec",
    "59999999;Elders B.V.;SNA-9999;gecertificeerd;2021-03-03;Normec",
    "59999998;Ook Elders B.V.;SNA-9998;aangemeld;;Normec",
)


def test_the_snapshot_certifies_listed_employers_and_lapses_the_rest(
    agencies: dict[str, Employer], actor_for: Callable[[str], Actor]
) -> None:
    result = sna_import(actor_for("civil_affairs"), SNAPSHOT)
    today = timezone.localdate()
    fresh = {key: Employer.objects.get(pk=e.pk) for key, e in agencies.items()}
    assert (fresh["new"].sna_certified, fresh["new"].sna_certified_since) == (True, dt.date(2025, 2, 1))
    assert (fresh["kept"].sna_certified, fresh["kept"].sna_certified_until) == (True, None)
    for key in ("dropped", "suspended"):
        assert fresh[key].sna_certified is False
        assert fresh[key].sna_certified_since is None
        assert fresh[key].sna_certified_until == today
    assert fresh["new"].sna_checked_at is not None
    assert fresh["dropped"].sna_checked_at is None
    assert (result.updated, result.unchanged) == (3, 1)
    assert result.notes == [
        "2 certifications lapsed.",
        "2 KvK numbers in the register are not employers of this municipality and were ignored.",
    ]


def test_importing_the_same_register_twice_changes_nothing(
    agencies: dict[str, Employer], actor_for: Callable[[str], Actor]
) -> None:
    sna_import(actor_for("civil_affairs"), SNAPSHOT)
    before = {
        e.pk: (e.version, e.sna_certified, e.sna_certified_since, e.sna_certified_until)
        for e in Employer.objects.all()
    }
    again = sna_import(actor_for("civil_affairs"), SNAPSHOT)
    after = {
        e.pk: (e.version, e.sna_certified, e.sna_certified_since, e.sna_certified_until)
        for e in Employer.objects.all()
    }
    assert before == after
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert again.notes[0] == "0 certifications lapsed."


def test_a_lapsed_employer_that_returns_to_the_register_is_certified_again(
    agencies: dict[str, Employer], actor_for: Callable[[str], Actor]
) -> None:
    sna_import(actor_for("civil_affairs"), SNAPSHOT)
    sna_import(
        actor_for("civil_affairs"), register("41000003;Terug B.V.;SNA-1003;gecertificeerd;2026-01-05;Normec")
    )
    back = Employer.objects.get(pk=agencies["dropped"].pk)
    assert (back.sna_certified, back.sna_certified_since, back.sna_certified_until) == (
        True,
        dt.date(2026, 1, 5),
        None,
    )


def test_another_municipalitys_employers_are_untouched(
    agencies: dict[str, Employer], other_municipality: Any, actor_for: Callable[[str], Actor]
) -> None:
    foreign = f.EmployerFactory(municipality=other_municipality, kvk_number="41000001", sna_certified=True)
    sna_import(actor_for("civil_affairs"), register("41000002;Vast Flex B.V.;;gecertificeerd;2020-01-01;"))
    foreign.refresh_from_db()
    assert foreign.sna_certified is True
    assert foreign.sna_checked_at is None


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("4100000;X;;gecertificeerd;2020-01-01;", "kvk_number", "8 digits"),
        ("41000001;X;;gekeurd;2020-01-01;", "status", "Unknown status"),
        ("41000001;X;;gecertificeerd;;", "certified_since", "needs the date"),
        ("41000001;X;;gecertificeerd;2999-01-01;", "certified_since", "future"),
        ("41000001;X;;gecertificeerd;31-31-2020;", "certified_since", "valid date"),
    ],
)
def test_a_bad_row_refuses_the_whole_register_and_names_row_and_column(
    agencies: dict[str, Employer], actor_for: Callable[[str], Actor], row: str, column: str, message: str
) -> None:
    with pytest.raises(ImportRejected) as rejected:
        sna_import(actor_for("civil_affairs"), register("41000002;Vast;;gecertificeerd;2020-01-01;", row))
    error = rejected.value.errors[0]
    assert (error.row, error.column) == (3, column)
    assert message in error.message
    assert Employer.objects.get(pk=agencies["dropped"].pk).sna_certified is True


def test_a_company_listed_twice_and_an_empty_register_are_refused(
    agencies: dict[str, Employer], actor_for: Callable[[str], Actor]
) -> None:
    with pytest.raises(ImportRejected) as twice:
        sna_import(
            actor_for("civil_affairs"),
            register("41000002;A;;gecertificeerd;2020-01-01;", "41000002;A;;gecertificeerd;2020-01-01;"),
        )
    assert [e.row for e in twice.value.errors] == [2, 3]
    with pytest.raises(ImportRejected) as empty:
        sna_import(actor_for("civil_affairs"), register())
    assert any("empty register would end every certification" in e.message for e in empty.value.errors)
    assert Employer.objects.filter(sna_certified=True).count() == 3


def test_only_who_imports_registers_may_import_the_sna_register(
    agencies: dict[str, Employer], actor_for: Callable[[str], Actor]
) -> None:
    with pytest.raises(PermissionDenied):
        sna_import(actor_for("enforcement"), SNAPSHOT)


def test_a_lapsed_certification_reaches_the_risk_engine(
    agencies: dict[str, Employer], municipality: Any, actor_for: Callable[[str], Actor]
) -> None:
    """The risk engine reads ``Employer.sna_certified`` (risk/export.py): a temp agency that dropped out of
    the register scores as an uncertified agency from the next run."""
    dropped = agencies["dropped"]
    assert dropped.kind == EmployerKind.TEMP_AGENCY

    def certified() -> bool:
        frame = export.employers(municipality)
        return bool(frame.filter(frame["employer_id"] == dropped.pk)["sna_certified"][0])

    assert certified() is True
    sna_import(actor_for("civil_affairs"), SNAPSHOT)
    assert certified() is False


def test_the_staff_import_page_offers_the_sna_register(
    agencies: dict[str, Employer], client_as: Callable[[str], Client]
) -> None:
    upload = SimpleUploadedFile("sna.csv", SNAPSHOT, content_type="text/csv")
    response = client_as("civil_affairs").post(
        reverse("web:import"), {"kind": "sna-register", "file": upload}, follow=True
    )
    content = response.content.decode()
    assert "2 certifications lapsed." in content
    assert Employer.objects.get(pk=agencies["new"].pk).sna_certified is True
