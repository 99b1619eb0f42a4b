from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportRejected, run_import
from ketenregie.core.kpi import Period
from ketenregie.core.models import AuditAction, AuditEvent, Municipality
from ketenregie.monitoring import selectors, services
from ketenregie.monitoring.imports import BenchmarkImporter, CommitmentImporter
from ketenregie.monitoring.models import (
    Commitment,
    CommitmentStatus,
    Indicator,
    IndicatorValue,
    LineBudget,
    LineTarget,
    ManualValue,
    ProgrammeLine,
)
from ketenregie.monitoring.report import build_annual_report, render_report_html
from tests import factories as f


@pytest.fixture
def catalogue(municipality: Municipality) -> dict[str, Indicator]:
    return {i.code: i for i in services.sync_catalogue(municipality=municipality)}


def store(indicator: Indicator, year: int, value: int, neighbourhood: object = None) -> None:
    period = Period.year(year)
    IndicatorValue.objects.create(
        municipality=indicator.municipality,
        indicator=indicator,
        period_start=period.start,
        period_end=period.end,
        value=Decimal(value),
        neighbourhood=neighbourhood,
    )


def test_the_catalogue_names_the_selector_of_every_computed_figure(catalogue: dict[str, Indicator]) -> None:
    computed = catalogue["labour_migrants_living"]
    assert computed.selector == "ketenregie.people.kpis.labour_migrants_living_here"
    assert catalogue["nla_fines"].source_organisation == "Nederlandse Arbeidsinspectie"


def test_refreshing_stores_a_value_per_year_and_neighbourhood(municipality: Municipality) -> None:
    neighbourhood = f.NeighbourhoodFactory(municipality=municipality)
    address = f.AddressFactory(municipality=municipality, neighbourhood=neighbourhood)
    person = f.PersonFactory(municipality=municipality, migrant=True)
    f.ResidenceFactory(
        municipality=municipality, person=person, address=address, starts_on=dt.date(2024, 1, 1)
    )
    services.refresh_values(municipality=municipality, years=[2025])
    indicator = Indicator.objects.get(municipality=municipality, code="labour_migrants_living")
    assert selectors.value_of(indicator, Period.year(2025)) == 1
    assert selectors.values_by_neighbourhood(indicator, Period.year(2025)) == {neighbourhood.pk: Decimal(1)}
    services.refresh_values(municipality=municipality, years=[2025])
    assert IndicatorValue.objects.filter(indicator=indicator, neighbourhood__isnull=True).count() == 1


def test_an_implausible_manual_figure_needs_confirmation(
    catalogue: dict[str, Indicator], actor_for: Callable[[str], Actor]
) -> None:
    fines = catalogue["nla_fines"]
    with pytest.raises(ValidationError) as refused:
        services.manual_value_record(
            actor=actor_for("policy"),
            indicator=fines,
            period=Period.year(2025),
            value=Decimal(99999),
            source_note="brief NLA",
        )
    assert refused.value.code == "implausible"
    assert not ManualValue.objects.exists()
    services.manual_value_record(
        actor=actor_for("policy"),
        indicator=fines,
        period=Period.year(2025),
        value=Decimal(99999),
        source_note="brief NLA",
        confirm_outside_range=True,
    )
    assert ManualValue.objects.get().confirmed_outside_range


def test_a_computed_figure_cannot_be_entered_by_hand(
    catalogue: dict[str, Indicator], actor_for: Callable[[str], Actor]
) -> None:
    with pytest.raises(ValidationError):
        services.manual_value_record(
            actor=actor_for("policy"),
            indicator=catalogue["covenant_members"],
            period=Period.year(2025),
            value=Decimal(3),
            source_note="",
        )


def test_the_manual_form_asks_to_confirm_a_figure_outside_the_range(
    catalogue: dict[str, Indicator], client_as: Callable[[str], Client]
) -> None:
    url = reverse("monitoring:manual_value_enter", args=["nla_fines"])
    form = {"period_start": "2025-01-01", "period_end": "2025-12-31", "value": "99999", "source_note": "x"}
    response = client_as("policy").post(url, form)
    assert "plausible range" in " ".join(response.context["form"].errors["value"])
    assert client_as("policy").post(url, {**form, "confirm_outside_range": "on"}).status_code == 302


def test_effectiveness_and_efficiency_per_line(
    catalogue: dict[str, Indicator], actor_for: Callable[[str], Actor]
) -> None:
    municipality = catalogue["covenant_members"].municipality
    line = ProgrammeLine.objects.create(
        municipality=municipality, programme="P", number=1, name="L", goal="G"
    )
    LineTarget.objects.create(
        municipality=municipality,
        line=line,
        indicator=catalogue["covenant_members"],
        year=2025,
        target=Decimal(20),
        counts_for_efficiency=True,
    )
    LineTarget.objects.create(
        municipality=municipality,
        line=line,
        indicator=catalogue["addresses_over_norm"],
        year=2025,
        target=Decimal(40),
    )
    LineBudget.objects.create(
        municipality=municipality, line=line, year=2025, budget=Decimal(100_000), spent=Decimal(90_000)
    )
    store(catalogue["covenant_members"], 2025, 15)
    store(catalogue["addresses_over_norm"], 2025, 50)
    [result] = selectors.programme_results(actor=actor_for("policy"), year=2025)
    effectiveness = {row.target.indicator.code: row.effectiveness for row in result.targets}
    assert effectiveness == {"covenant_members": 75, "addresses_over_norm": 80}
    assert result.efficiency == Decimal("6000.00")
    assert result.spending_share == 90


def test_a_small_outcome_hides_its_share_of_the_target(
    catalogue: dict[str, Indicator], actor_for: Callable[[str], Actor]
) -> None:
    municipality = catalogue["covenant_members"].municipality
    line = ProgrammeLine.objects.create(
        municipality=municipality, programme="P", number=1, name="L", goal="G"
    )
    LineTarget.objects.create(
        municipality=municipality,
        line=line,
        indicator=catalogue["covenant_members"],
        year=2025,
        target=Decimal(10),
        counts_for_efficiency=True,
    )
    LineBudget.objects.create(
        municipality=municipality, line=line, year=2025, budget=Decimal(100), spent=Decimal(90)
    )
    store(catalogue["covenant_members"], 2025, 3)
    [result] = selectors.programme_results(actor=actor_for("policy"), year=2025)
    assert result.targets[0].outcome_shown.text == "<5"
    assert result.targets[0].effectiveness is None
    assert result.efficiency is None


COMMITMENTS_CSV = (
    "nummer;titel;soort;datum;streefdatum;status;afdoeningsvoorstel;datum_afdoeningsvoorstel\n"
    "24bb006037;Samenwerken voor EU-arbeidsmigranten;motie;12-09-2024;01-07-2025;voorstel afdoening;"
    "Ambtsreis Brussel;20-05-2025\n"
    "24bb006080;Voortgangsrapportage;toezegging;2024-09-12;;open;;\n"
)


def test_commitments_import_as_councils_export_them(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    result = run_import(
        actor=actor_for("policy"), importer=CommitmentImporter(), data=COMMITMENTS_CSV.encode()
    )
    assert result.created == 2
    motion = Commitment.objects.get(number="24bb006037")
    assert (motion.kind, motion.status) == ("motion", CommitmentStatus.PROPOSED_SETTLED)
    again = run_import(
        actor=actor_for("policy"), importer=CommitmentImporter(), data=COMMITMENTS_CSV.encode()
    )
    assert (again.created, again.unchanged) == (0, 2)


def test_a_commitments_file_with_bad_rows_writes_nothing(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    data = COMMITMENTS_CSV + (
        "24bb1;Zonder datum;motie;;;open;;\n"
        "24bb2;Vreemd;besluit;2024-01-01;;open;;\n"
        "24bb3;Terug in de tijd;motie;2024-05-01;2024-01-01;afgedaan;;\n"
        "24bb006037;Dubbel;motie;2024-09-12;;open;;\n"
    )
    with pytest.raises(ImportRejected) as refused:
        run_import(actor=actor_for("policy"), importer=CommitmentImporter(), data=data.encode())
    assert {(e.row, e.column) for e in refused.value.errors} == {
        (4, "datum"),
        (5, "soort"),
        (6, "streefdatum"),
        (6, "afgedaan_op"),
        (2, "nummer"),
        (7, "nummer"),
    }
    assert not Commitment.objects.exists()


def test_benchmark_figures_import_and_refuse_bad_periods(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    good = (
        "bron;indicator;naam;periode;waarde;eenheid\n"
        "Divosa;Bijstand statushouders;Haarlemmermeer;2025;76,0;%\n"
    )
    assert (
        run_import(actor=actor_for("policy"), importer=BenchmarkImporter(), data=good.encode()).created == 1
    )
    bad = good + "Divosa;Bijstand statushouders;Benchmark;vorig jaar;77;%\n"
    with pytest.raises(ImportRejected) as refused:
        run_import(actor=actor_for("policy"), importer=BenchmarkImporter(), data=bad.encode())
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "periode")]


def test_a_figure_traces_to_its_definition_period_and_records(
    catalogue: dict[str, Indicator], client_as: Callable[[str], Client]
) -> None:
    municipality = catalogue["labour_migrants_living"].municipality
    person = f.PersonFactory(municipality=municipality, migrant=True)
    f.ResidenceFactory(municipality=municipality, person=person, starts_on=dt.date(2024, 1, 1))
    services.refresh_values(municipality=municipality, years=[2025])
    url = reverse("monitoring:indicator_trace", args=["labour_migrants_living"]) + "?year=2025"
    page = client_as("enforcement").get(url + "&records=1")
    text = page.content.decode()
    assert "ketenregie.people.kpis.labour_migrants_living_here" in text
    assert person.surname in text
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(person.pk)).exists()
    council = client_as("council").get(url + "&records=1").content.decode()
    assert person.surname not in council
    assert "does not show the records" in council


def test_the_report_suppresses_small_counts_and_lists_settled_commitments(
    catalogue: dict[str, Indicator], actor_for: Callable[[str], Actor]
) -> None:
    store(catalogue["covenant_members"], 2025, 3)
    store(catalogue["covenant_members"], 2024, 12)
    municipality = catalogue["covenant_members"].municipality
    Commitment.objects.create(
        municipality=municipality,
        kind="motion",
        number="M1",
        title="Stop de dubbele uitbuiting",
        adopted_on=dt.date(2024, 9, 12),
        status=CommitmentStatus.PROPOSED_SETTLED,
        settlement_text="Het convenant voorziet in herziening.",
        settlement_proposed_on=dt.date(2025, 5, 20),
    )
    report = build_annual_report(actor=actor_for("council"), year=2025)
    row = next(r for r in report.figures if r.indicator.code == "covenant_members")
    assert (row.shown.text, row.shown_previous.text) == ("<5", "12")
    assert row.change.value is None
    html = render_report_html(report, for_pdf=True)
    assert "Het convenant voorziet in herziening." in html
    assert "&lt;5" in html


@pytest.mark.slow
def test_the_yearly_report_of_the_demo_municipality_is_a_readable_pdf(tmp_path: Path, db: None) -> None:
    call_command("seed", "--profile", "rotterdam", "--seed", "2", "--scale", "0.01", stdout=StringIO())
    out = tmp_path / "report.pdf"
    call_command(
        "report", "annual", "--municipality", "0599", "--year", "2025", "--out", str(out), stdout=StringIO()
    )
    assert out.read_bytes().startswith(b"%PDF")
    from weasyprint import HTML

    from ketenregie.monitoring.services import monitoring_actor

    report = build_annual_report(actor=monitoring_actor(Municipality.objects.get(code="0599")), year=2025)
    document = HTML(string=render_report_html(report, for_pdf=True)).render()
    assert len(document.pages) >= 4
    assert report.lines
    assert report.settled


def test_the_report_command_refuses_bad_arguments(municipality: Municipality, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Unknown municipality"):
        call_command(
            "report", "annual", "--municipality", "9999", "--year", "2025", "--out", str(tmp_path / "r.pdf")
        )
    with pytest.raises(CommandError, match="year"):
        call_command(
            "report", "annual", "--municipality", "0599", "--year", "1850", "--out", str(tmp_path / "r.pdf")
        )
    with pytest.raises(CommandError, match=r"\.pdf or \.html"):
        call_command(
            "report", "annual", "--municipality", "0599", "--year", "2025", "--out", str(tmp_path / "r.doc")
        )
