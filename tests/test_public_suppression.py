"""One suppression rule for everything public or for the council (issue 11, item 8).

A small municipality where several counts lie between 1 and 4: three employers with a proven violation,
two housing locations without a valid quality mark, labour migrants in four priority neighbourhoods
4, 3, 3 and 2, three refugees housed, two fines. Every page, chart and export the council or the public
can reach is rendered, and none of those small numbers may appear as a figure in any of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from ketenregie.core.kpi import Period
from ketenregie.core.models import Municipality
from ketenregie.infopoint.models import Contact
from ketenregie.monitoring import charts, services
from ketenregie.monitoring.models import (
    Commitment,
    CommitmentStatus,
    LineBudget,
    LineTarget,
    ManualValue,
    MigrationFigure,
    ProgrammeLine,
)
from tests import factories as f

YEAR = 2024
THRESHOLD = 5
SMALL = {str(n) for n in range(THRESHOLD)}
PRIORITY = {"Tarwewijk": 4, "Hillesluis": 3, "Bloemhof": 3, "Carnisse": 2}


def _live_in(municipality: Municipality, neighbourhood: Any, count: int, lat: float) -> None:
    for index in range(count):
        address = f.AddressFactory(
            municipality=municipality, neighbourhood=neighbourhood, latitude=lat, longitude=4.45 + index / 100
        )
        person = f.PersonFactory(
            municipality=municipality, migrant=True, nationality="RO" if count == 2 else "PL"
        )
        f.ResidenceFactory(
            municipality=municipality, person=person, address=address, starts_on=dt.date(2023, 6, 1)
        )


@pytest.fixture
def small_town(municipality: Municipality, personas: Any) -> Municipality:
    for index, (name, count) in enumerate(PRIORITY.items()):
        neighbourhood = f.NeighbourhoodFactory(municipality=municipality, name=name, is_priority=True)
        _live_in(municipality, neighbourhood, count, lat=51.88 + index / 100)
    # One other neighbourhood: its single resident must not show through the "average of the others".
    _live_in(
        municipality, f.NeighbourhoodFactory(municipality=municipality, name="Kop van Zuid"), 1, lat=51.9
    )
    for _ in range(3):
        f.ViolationFactory(municipality=municipality, occurred_on=dt.date(YEAR, 5, 1))
    for _ in range(6):
        f.QualityMarkFactory(
            municipality=municipality,
            location=f.HousingLocationFactory(municipality=municipality),
            valid_from=dt.date(2020, 1, 1),
            valid_until=dt.date(2099, 1, 1),
        )
    f.HousingLocationFactory.create_batch(2, municipality=municipality)
    services.refresh_values(municipality=municipality, years=[YEAR - 1, YEAR])
    # The catalogue keeps indicator names in the language it is synchronised in; the report read
    # below is the English edition.
    with translation.override("en"):
        catalogue = {i.code: i for i in services.sync_catalogue(municipality=municipality)}
    period = Period.year(YEAR)
    ManualValue.objects.create(
        municipality=municipality,
        indicator=catalogue["nla_fines"],
        period_start=period.start,
        period_end=period.end,
        value=Decimal(2),
        source_note="brief NLA",
        entered_by=personas["policy"],
    )
    line = ProgrammeLine.objects.create(
        municipality=municipality, programme="P", number=1, name="Goed werkgeverschap", goal="G"
    )
    LineTarget.objects.create(
        municipality=municipality,
        line=line,
        indicator=catalogue["employer_violations_proven"],
        year=YEAR,
        target=Decimal(10),
        counts_for_efficiency=True,
    )
    LineBudget.objects.create(
        municipality=municipality, line=line, year=YEAR, budget=Decimal(10_000), spent=Decimal(9_000)
    )
    MigrationFigure.objects.create(
        municipality=municipality,
        motive="asylum",
        measure="statusholders_housed",
        period_start=period.start,
        period_end=period.end,
        realised=Decimal(3),
        target=Decimal(12),
        source="COA",
    )
    Commitment.objects.create(
        municipality=municipality,
        kind="motion",
        number="M1",
        title="Zicht op arbeidsmigratie",
        adopted_on=dt.date(2023, 9, 12),
        status=CommitmentStatus.OPEN,
    )
    point = f.InformationPointFactory(municipality=municipality)
    for index in range(3):
        Contact.objects.create(
            municipality=municipality,
            point=point,
            contacted_on=dt.date(dt.date.today().year - 1, 3, 1),
            channel="desk",
            language="pl",
            visitor_key=f"k{index}",
        )
    return municipality


_CELL = re.compile(
    r'<(td|span|strong|dd)[^>]*class="[^"]*(?:kr-num|kr-figure__value)[^"]*"[^>]*>(.*?)</\1>|<strong>(.*?)</strong>',
    re.S,
)
_TITLE = re.compile(r"<title>[^<:]*: ([^<]*)</title>")
_CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)


def figures_in(page: str) -> list[str]:
    """Every text the page shows as a figure: table cells, key-figure cards, map labels, chart captions."""
    found = [m.group(2) if m.group(2) is not None else m.group(3) for m in _CELL.finditer(page)]
    found += _TITLE.findall(page)
    for caption in _CAPTION.findall(page):
        found += [part.split(": ", 1)[1] for part in caption.split(" · ") if ": " in part]
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for text in found]


def assert_no_small_figure(page: str, where: str) -> None:
    shown = figures_in(page)
    leaked = [text for text in shown if text in SMALL]
    assert not leaked, f"{where} shows small counts {leaked}"
    assert f"<{THRESHOLD}" in shown, f"{where} shows no suppressed figure at all"


def chart_values(spec: Any) -> Iterator[Any]:
    """The data of every layer of a Vega-Lite spec: what a chart draws and labels."""
    if isinstance(spec, dict):
        if isinstance(spec.get("data"), dict):
            yield from spec["data"].get("values", [])
        for value in spec.values():
            yield from chart_values(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from chart_values(value)


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every chart specification handed to the renderer while the pages are built."""
    specs: list[dict[str, Any]] = []
    real = charts.to_data_uri

    def spy(spec: dict[str, Any]) -> str:
        specs.append(spec)
        return real(spec)

    monkeypatch.setattr(charts, "to_data_uri", spy)
    return specs


def assert_charts_hide_small_counts(drawn: list[dict[str, Any]]) -> None:
    """No chart receives a small count: not as a bar, not as a label."""
    assert drawn, "no chart was drawn"
    for spec in drawn:
        for datum in chart_values(spec):
            numbers = [v for k, v in datum.items() if isinstance(v, int | float) and k != "x"]
            assert not any(0 < number < THRESHOLD for number in numbers), (spec["title"], datum)
            assert not any(str(v) in SMALL for k, v in datum.items() if k in {"label", "shown"}), datum


def test_the_councils_home_shows_no_small_count(
    small_town: Municipality, client_as: Callable[[str], Client]
) -> None:
    home = client_as("council").get(reverse("web:home")).content.decode()
    assert_no_small_figure(home, "home")
    cards = {
        label.strip(): html.unescape(value)
        for value, label in re.findall(
            r'kr-figure__value">([^<]*)</span><span class="kr-figure__label">([^<]*)<', home
        )
    }
    assert cards["employers with a proven violation"] == "<5"
    assert cards["housing locations without a valid quality mark"] == "<5"
    assert cards["labour migrants known"] == "13"


def test_the_monitoring_pages_show_no_small_count(
    small_town: Municipality, client_as: Callable[[str], Client], drawn: list[dict[str, Any]]
) -> None:
    council = client_as("council")
    pages = {
        "monitoring": reverse("monitoring:overview") + f"?year={YEAR}",
        "programme": reverse("monitoring:programme") + f"?year={YEAR}",
        "migration monitor": reverse("monitoring:migration"),
        **{
            f"trace of {code}": reverse("monitoring:indicator_trace", args=[code]) + f"?year={YEAR}"
            for code in ("employer_violations_proven", "housing_locations_without_quality_mark", "nla_fines")
        },
    }
    for where, url in pages.items():
        response = council.get(url)
        assert response.status_code == 200, where
        assert_no_small_figure(response.content.decode(), where)
    assert_charts_hide_small_counts(drawn)


def test_the_yearly_report_page_and_its_charts_show_no_small_count(
    small_town: Municipality, client_as: Callable[[str], Client], drawn: list[dict[str, Any]]
) -> None:
    response = client_as("council").get(reverse("monitoring:report", args=[YEAR]))
    assert response.status_code == 200
    assert_charts_hide_small_counts(drawn)
    neighbourhood_chart = next(s for s in drawn if {d.get("label") for d in chart_values(s)} >= set(PRIORITY))
    assert "<5" in neighbourhood_chart["title"].get("subtitle", "")
    assert not [d for d in chart_values(neighbourhood_chart) if d.get("value")]
    report = response.content.decode()
    assert_no_small_figure(report, "report")
    for name in PRIORITY:
        assert re.search(rf"<td>{name}</td><td class=\"kr-num\">&lt;5</td>", report), name
    assert re.search(r"average of the other neighbourhoods</td><td class=\"kr-num\">–</td>", report)


def test_the_staff_who_may_see_the_people_get_the_exact_key_figures(
    small_town: Municipality, client_as: Callable[[str], Client]
) -> None:
    home = client_as("enforcement").get(reverse("web:home")).content.decode()
    assert '<span class="kr-figure__value">3</span><span class="kr-figure__label">' in home
    policy = client_as("policy").get(reverse("web:home")).content.decode()
    assert_no_small_figure(policy, "the policy officer's home")


def test_the_yearly_report_pdf_shows_no_small_count(
    small_town: Municipality, client_as: Callable[[str], Client]
) -> None:
    response = client_as("council").get(reverse("monitoring:report_pdf", args=[YEAR]))
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    lines = [line.strip() for line in text.splitlines()]
    for name in PRIORITY:
        row = next(line for line in lines if line.startswith(name))
        assert row == f"{name} <5", row
    violations = next(line for line in lines if line.startswith("Proven violations by employers"))
    assert not set(violations.split()) & SMALL, violations
    assert "<5" in violations


@pytest.mark.parametrize("lang", ["nl", "en", "pl"])
def test_the_public_dashboard_shows_no_small_count(small_town: Municipality, lang: str) -> None:
    public = Client()
    page = public.get(f"/{lang}/dashboard/0599/?jaar={YEAR}")
    assert page.status_code == 200
    assert_no_small_figure(page.content.decode(), f"dashboard ({lang})")
    regional = public.get(f"/{lang}/dashboard/0599/regio/?jaar={YEAR}")
    assert regional.status_code == 200
    assert not set(figures_in(regional.content.decode())) & SMALL
    export = public.get(f"/{lang}/dashboard/0599/export.csv?jaar={YEAR}").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(export), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row[2:]]
    assert not set(cells) & SMALL, rows
    violations = next(row for row in rows if row[1] == "employer_violations_proven")
    assert violations[-1] == "<5"


def test_the_portal_and_the_council_exports_show_no_small_count(
    small_town: Municipality, portal_settings: Municipality, client_as: Callable[[str], Client]
) -> None:
    assert "helped &lt;5 people" in Client().get("/en/").content.decode()
    council = client_as("council")
    url = reverse("monitoring:commitment_list")
    exported = council.get(url + "?export=csv")
    assert exported.status_code == 200
    exported_text = _body(exported).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(exported_text), delimiter=";") for cell in row]
    assert not set(cells) & SMALL
    workbook = openpyxl.load_workbook(io.BytesIO(_body(council.get(url + "?export=xlsx"))))
    values = [str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not set(values) & SMALL
