from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketenregie.cases.models import Case, CaseAddress, CaseKind, CaseOrigin
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.models import AuditEvent
from ketenregie.risk import engine, services
from ketenregie.risk.explain import explain, total
from ketenregie.risk.models import AddressRiskScore, EntryStatus, RiskSettings, RiskSettingsChange
from tests.risk.conftest import AS_OF, Town


@pytest.fixture
def enforcement(actor_for: Callable[[str], Actor]) -> Actor:
    return actor_for("enforcement")


def test_a_run_keeps_every_score_with_its_contributions_and_the_rules_used(
    town: Town, enforcement: Actor
) -> None:
    run = services.risk_run(actor=enforcement, as_of=AS_OF)
    assert run.address_count == 5
    assert run.as_of == AS_OF
    assert run.rules == engine.RuleSet().to_dict()
    assert run.duration_ms >= 0
    assert set(run.timings) == {"export", "engine", "save"}
    scores = list(AddressRiskScore.objects.filter(run=run).order_by("rank"))
    assert scores[0].address_id == town.crowded.pk
    assert run.scored_address_count == len(scores)
    for score in scores:
        assert sum(c["points"] for c in score.contributions) == score.score
        assert total(explain(score.contributions)) == score.score
    crowded = scores[0]
    assert ",overcrowding," in crowded.rule_keys
    assert crowded.neighbourhood_id == town.neighbourhood.pk
    assert crowded.features["persons"] == 6
    assert run.scored_employer_count == 1
    assert AuditEvent.objects.filter(object_type="risk.riskrun", object_id=str(run.pk)).exists()


def test_only_roles_that_run_risk_selection_may_start_a_run(
    town: Town, actor_for: Callable[[str], Actor]
) -> None:
    with pytest.raises(PermissionDenied):
        services.risk_run(actor=actor_for("policy"), as_of=AS_OF)


def test_a_control_list_leaves_out_recently_visited_addresses(town: Town, enforcement: Actor) -> None:
    run = services.risk_run(actor=enforcement, as_of=AS_OF)
    assert AddressRiskScore.objects.filter(run=run, address=town.office).exists()
    control_list = services.control_list_create(actor=enforcement, run=run, top_n=10, on=AS_OF)
    addresses = list(control_list.entries.values_list("address_id", flat=True))
    assert town.office.pk not in addresses
    assert addresses[0] == town.crowded.pk
    assert control_list.excluded_count == 1
    # Visited more than 5 days ago: with a 5-day window it comes back.
    again = services.control_list_create(
        actor=enforcement, run=run, top_n=10, exclude_visited_days=5, on=AS_OF
    )
    assert town.office.pk in again.entries.values_list("address_id", flat=True)


def test_a_control_list_for_one_neighbourhood(town: Town, enforcement: Actor) -> None:
    run = services.risk_run(actor=enforcement, as_of=AS_OF)
    control_list = services.control_list_create(
        actor=enforcement,
        run=run,
        top_n=1,
        neighbourhood=town.neighbourhood,
        exclude_visited_days=0,
        on=AS_OF,
    )
    assert [e.address_id for e in control_list.entries.all()] == [town.crowded.pk]
    assert control_list.entries.get().rank == 1


def test_opening_a_case_from_a_list_entry_links_them(town: Town, enforcement: Actor) -> None:
    run = services.risk_run(actor=enforcement, as_of=AS_OF)
    entry = services.control_list_create(actor=enforcement, run=run, top_n=5, on=AS_OF).entries.get(
        address=town.crowded
    )
    case = services.control_list_open_case(actor=enforcement, entry=entry)
    assert case.origin == CaseOrigin.RISK_LIST
    assert case.kind == CaseKind.HOUSE_VISIT
    assert list(CaseAddress.objects.filter(case=case).values_list("address_id", flat=True)) == [
        town.crowded.pk
    ]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.CASE_OPENED
    assert entry.case_id == case.pk
    assert "6 persons on 48 m²: +" in case.description  # the explanation, not rule keys
    with pytest.raises(ValidationError):
        services.control_list_open_case(actor=enforcement, entry=entry)
    assert Case.objects.count() == 2  # the fixture's case and this one


def test_planning_an_integral_control_makes_one_case_for_the_selection(
    town: Town, enforcement: Actor
) -> None:
    run = services.risk_run(actor=enforcement, as_of=AS_OF)
    entries = list(services.control_list_create(actor=enforcement, run=run, top_n=3, on=AS_OF).entries.all())
    assert len(entries) >= 2
    case = services.control_list_plan_integral_control(actor=enforcement, entries=entries[:2])
    assert case.kind == CaseKind.INTEGRAL_CONTROL
    assert case.origin == CaseOrigin.RISK_LIST
    assert CaseAddress.objects.filter(case=case).count() == 2
    for entry in entries[:2]:
        entry.refresh_from_db()
        assert entry.case_id == case.pk


def test_only_case_managers_open_cases_from_a_list(
    town: Town, enforcement: Actor, actor_for: Callable[[str], Actor]
) -> None:
    run = services.risk_run(actor=enforcement, as_of=AS_OF)
    entry = services.control_list_create(actor=enforcement, run=run, top_n=1, on=AS_OF).entries.get()
    with pytest.raises(PermissionDenied):
        services.control_list_open_case(actor=actor_for("admin"), entry=entry)


def test_setting_aside_needs_a_reason_and_can_be_undone(town: Town, enforcement: Actor) -> None:
    run = services.risk_run(actor=enforcement, as_of=AS_OF)
    entry = services.control_list_create(actor=enforcement, run=run, top_n=1, on=AS_OF).entries.get()
    with pytest.raises(ValidationError):
        services.control_list_entry_set_aside(actor=enforcement, entry=entry, reason=" ", expected_version=1)
    aside = services.control_list_entry_set_aside(
        actor=enforcement, entry=entry, reason="Recently renovated", expected_version=1
    )
    assert aside.status == EntryStatus.SET_ASIDE
    assert aside.set_aside_reason == "Recently renovated"
    with pytest.raises(ConcurrentEditError):
        services.control_list_entry_reopen(actor=enforcement, entry=entry, expected_version=1)
    back = services.control_list_entry_reopen(actor=enforcement, entry=entry, expected_version=2)
    assert back.status == EntryStatus.OPEN
    assert back.set_aside_reason == ""


def test_rules_are_versioned_and_concurrent_edits_are_rejected(
    town: Town, actor_for: Callable[[str], Actor]
) -> None:
    admin = actor_for("admin")
    rules = engine.RuleSet().to_dict()
    saved = services.risk_settings_update(
        actor=admin, rules={**rules, "overcrowding_points": 20}, expected_version=0, note="test"
    )
    assert saved.version == 1
    # A second administrator who opened the form before the first saved.
    with pytest.raises(ConcurrentEditError):
        services.risk_settings_update(
            actor=admin, rules={**rules, "signals_points_each": 1}, expected_version=0
        )
    stored = RiskSettings.objects.get()
    assert stored.rules["overcrowding_points"] == 20
    assert stored.rules["signals_points_each"] == 5
    change = RiskSettingsChange.objects.get()
    assert change.changed_keys == ["overcrowding_points"]
    assert change.changed_by_name == "admin"
    # The next run uses them and records their version.
    run = services.risk_run(actor=actor_for("enforcement"), as_of=AS_OF)
    assert run.rules_version == 1
    assert run.rules["overcrowding_points"] == 20


@pytest.mark.parametrize(
    "change",
    [{"overcrowding_points": -5}, {"no_such_rule": 3}, {"norm_m2": 0}, {"signals_points_each": "many"}],
)
def test_invalid_rules_are_rejected_and_nothing_changes(
    town: Town, actor_for: Callable[[str], Actor], change: dict[str, object]
) -> None:
    admin = actor_for("admin")
    with pytest.raises(ValidationError):
        services.risk_settings_update(
            actor=admin, rules={**engine.RuleSet().to_dict(), **change}, expected_version=0
        )
    assert not RiskSettings.objects.exists()
    assert not RiskSettingsChange.objects.exists()


def test_only_the_administrator_changes_the_rules(town: Town, actor_for: Callable[[str], Actor]) -> None:
    with pytest.raises(PermissionDenied):
        services.risk_settings_update(actor=actor_for("enforcement"), rules={}, expected_version=0)


def test_unknown_inputs_are_explained_but_not_scored(town: Town, enforcement: Actor) -> None:
    from ketenregie.risk.scoring import contributions_of, score_municipality

    scored = score_municipality(town.crowded.municipality, as_of=AS_OF).addresses
    row = next(r for r in scored.iter_rows(named=True) if r["address_id"] == town.unknown.pk)
    lines = explain(contributions_of(row))
    assert {line.key for line in lines} >= {"unknown_floor_area", "unknown_bag_id"}
    assert all(line.points == 0 for line in lines)
    assert "Floor area unknown: not scored" in [line.label for line in lines]


def test_the_default_norms_come_from_the_municipalitys_norms(town: Town, enforcement: Actor) -> None:
    from decimal import Decimal

    from ketenregie.core.selectors import norms_for

    norms = norms_for(enforcement.municipality)
    norms.floor_area_per_person_m2 = Decimal("10.0")
    norms.save()
    run = services.risk_run(actor=enforcement, as_of=AS_OF)
    assert run.rules["norm_m2"] == 10.0
    assert run.rules_version == 0
