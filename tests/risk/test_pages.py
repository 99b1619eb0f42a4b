from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.cases.models import Case, CaseOrigin
from ketenregie.core.actor import Actor
from ketenregie.core.models import AuditEvent
from ketenregie.risk import engine, services
from ketenregie.risk.models import ControlList, EntryStatus, RiskRun, RiskSettings
from tests.risk.conftest import AS_OF, Town


@pytest.fixture
def run(town: Town, actor_for: Callable[[str], Actor]) -> RiskRun:
    for index, address in enumerate((town.crowded, town.office, town.lodging, town.quiet, town.unknown)):
        address.latitude, address.longitude = 51.89 + index / 100, 4.48 + index / 100
        address.save()
    return services.risk_run(actor=actor_for("enforcement"), as_of=AS_OF)


def rows(html: str) -> list[tuple[int, list[int]]]:
    """(score, points of each explanation line) for every row of a ranked table."""
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        score = re.search(r"<strong>(\d+)</strong>", row)
        if score:
            found.append((int(score.group(1)), [int(p) for p in re.findall(r'data-points="(\d+)"', row)]))
    return found


def test_the_ranked_list_explains_each_score_and_the_lines_add_up(
    run: RiskRun, client_as: Callable[[str], Client]
) -> None:
    response = client_as("enforcement").get(reverse("risk:score_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "6 persons on 48 m²: +" in html
    listed = rows(html)
    assert len(listed) == run.scored_address_count
    for score, points in listed:
        assert sum(points) == score


def test_the_list_filters_by_neighbourhood_rule_and_minimum_score(
    run: RiskRun, town: Town, client_as: Callable[[str], Client]
) -> None:
    client = client_as("enforcement")
    url = reverse("risk:score_list")
    only_overcrowding = client.get(url, {"rule": "overcrowding"}).content.decode()
    assert town.crowded.label in only_overcrowding
    assert town.lodging.label not in only_overcrowding
    in_neighbourhood = client.get(url, {"neighbourhood": town.neighbourhood.pk}).content.decode()
    assert town.unknown.label not in in_neighbourhood
    high = client.get(url, {"min_score": 1000}).content.decode()
    assert "No address matches these filters." in high


def test_the_list_exports_as_csv_and_the_export_is_audited(
    run: RiskRun, client_as: Callable[[str], Client]
) -> None:
    response = client_as("enforcement").get(reverse("risk:score_list"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "6 persons on 48 m²" in content
    assert AuditEvent.objects.filter(action="export", object_type="risk.addressriskscore").exists()


def test_the_map_draws_the_scored_addresses_with_a_table(
    run: RiskRun, client_as: Callable[[str], Client]
) -> None:
    html = client_as("enforcement").get(reverse("risk:score_map")).content.decode()
    assert html.count("<circle") >= run.scored_address_count
    assert "The highest scores on the map" in html


def test_the_address_page_shows_the_history_and_is_audited(
    run: RiskRun, town: Town, actor_for: Callable[[str], Actor], client_as: Callable[[str], Client]
) -> None:
    services.risk_run(actor=actor_for("enforcement"), as_of=AS_OF)
    response = client_as("enforcement").get(reverse("risk:address_scores", args=[town.crowded.pk]))
    html = response.content.decode()
    assert html.count("6 persons on 48 m²") == 2
    for score, total in re.findall(r'data-score="(\d+)" data-total="(\d+)"', html):
        assert score == total
    assert AuditEvent.objects.filter(
        object_type="places.address", object_id=str(town.crowded.pk), action="view"
    ).exists()


def test_employer_risk_and_runs_pages(run: RiskRun, client_as: Callable[[str], Client]) -> None:
    employers = client_as("enforcement").get(reverse("risk:employer_list")).content.decode()
    assert "proven violation" in employers
    runs = client_as("privacy_officer").get(reverse("risk:run_list")).content.decode()
    assert run.reference in runs
    assert "New run" not in runs


def test_a_new_run_is_started_with_a_post(town: Town, client_as: Callable[[str], Client]) -> None:
    assert client_as("policy").post(reverse("risk:run_create")).status_code == 403
    response = client_as("enforcement").post(reverse("risk:run_create"), follow=True)
    run = RiskRun.objects.get()
    # Without a broker the task ran at once; without JavaScript the browser lands on the task's page.
    html = response.content.decode()
    assert "Scored 5 addresses" in html
    assert f'href="{reverse("risk:score_list")}?run={run.pk}"' in html


def test_a_control_list_is_made_and_worked_through(
    run: RiskRun, town: Town, client_as: Callable[[str], Client]
) -> None:
    client = client_as("enforcement")
    response = client.post(
        reverse("risk:control_list_create"), {"run": run.pk, "top_n": 3, "exclude_visited_days": 180}
    )
    control_list = ControlList.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("risk:control_list_detail", args=[control_list.pk])).content.decode()
    assert "Plan an integral control for the selected addresses" in page
    first, second, *_rest = list(control_list.entries.order_by("rank"))
    opened = client.post(reverse("risk:entry_open_case", args=[first.pk]))
    case = Case.objects.get(origin=CaseOrigin.RISK_LIST)
    assert opened["Location"] == reverse("cases:case_detail", args=[case.pk])
    client.post(
        reverse("risk:entry_set_aside", args=[second.pk]), {"reason": "Sold last month", "version": 1}
    )
    second.refresh_from_db()
    assert second.status == EntryStatus.SET_ASIDE
    client.post(reverse("risk:entry_reopen", args=[second.pk]), {"version": second.version})
    second.refresh_from_db()
    assert second.status == EntryStatus.OPEN
    client.post(reverse("risk:plan_integral_control", args=[control_list.pk]), {"entries": [second.pk]})
    second.refresh_from_db()
    assert second.case is not None
    assert second.case.kind == "integral_control"
    # The administrator sees the list but opens no cases.
    assert client_as("admin").post(reverse("risk:entry_open_case", args=[first.pk])).status_code == 403


def test_the_administrator_edits_the_rules_and_conflicts_are_reported(
    town: Town, client_as: Callable[[str], Client]
) -> None:
    client = client_as("admin")
    url = reverse("risk:rules")
    form = {**engine.RuleSet().to_dict(), "version": 0, "note": "Meer gewicht voor overbewoning"}
    assert client.post(url, {**form, "overcrowding_points": 20}).status_code == 302
    assert RiskSettings.objects.get().rules["overcrowding_points"] == 20
    stale = client.post(url, {**form, "overcrowding_points": 25}).content.decode()
    assert "Someone else changed this record" in stale
    negative = client.post(url, {**form, "version": 1, "signals_points_each": -1}).content.decode()
    assert "greater than or equal to 0" in negative
    zero_norm = client.post(url, {**form, "version": 1, "norm_m2": 0}).content.decode()
    assert "greater than or equal to 0.1" in zero_norm
    settings = RiskSettings.objects.get()
    assert settings.version == 1
    assert settings.rules["overcrowding_points"] == 20
    assert "Meer gewicht voor overbewoning" in client.get(url).content.decode()


def test_the_privacy_officer_reads_the_rules_but_cannot_change_them(
    town: Town, client_as: Callable[[str], Client]
) -> None:
    client = client_as("privacy_officer")
    assert client.get(reverse("risk:rules")).status_code == 200
    assert client.post(reverse("risk:rules"), {"version": 0}).status_code == 403


def test_pages_render_in_dutch(run: RiskRun, personas: dict[str, object]) -> None:
    client = Client()
    client.force_login(personas["enforcement"])  # type: ignore[arg-type]
    html = client.get(reverse("risk:score_list")).content.decode()
    assert "Risicoselectie" in html
    assert "6 personen op 48 m²: +" in html


def test_the_address_page_links_to_its_risk_score_for_those_who_may_see_it(
    town: Town, client_as: Callable[[str], Client]
) -> None:
    url = reverse("places:address_detail", args=[town.crowded.pk])
    assert "Risk score and its explanation" in client_as("enforcement").get(url).content.decode()
    assert "Risk score and its explanation" not in client_as("policy").get(url).content.decode()
