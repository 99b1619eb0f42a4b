"""The task queue: starting, following, failing and retrying tasks; who may start and see them; the API's
202 with a Location; the staff pages' polling partial; the worker's heartbeat in /health/.

Without a broker (the tests' default) tasks run at once in the calling process; the tests against a real
worker and Redis are in test_task_worker.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from celery import Celery
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from kombu import pools
from rest_framework.test import APIClient

from ketenregie.celery_app import app
from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality, Role, User
from ketenregie.core.permissions import ROLE_CAPABILITIES, Capability
from ketenregie.operations import selectors, services
from ketenregie.operations.models import TaskRun, TaskStatus, WorkerHeartbeat
from ketenregie.operations.schedules import BEAT_SCHEDULE
from ketenregie.operations.tasks import start_scheduled
from ketenregie.risk.models import RiskRun
from tests import factories as f

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 1)
RISK_STARTERS = {role for role, caps in ROLE_CAPABILITIES.items() if Capability.RUN_RISK in caps}


@contextmanager
def broker(url: str) -> Iterator[Celery]:
    """The queue with a broker instead of running tasks in the caller, for the length of the block."""
    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.update(task_always_eager=False, broker_url=url)
    _forget_connections()
    try:
        yield app
    finally:
        app.conf.update(task_always_eager=saved[0], broker_url=saved[1])
        _forget_connections()


def _forget_connections() -> None:
    # The app and kombu keep pools of connections to the broker first used.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def town(municipality: Municipality) -> list[Any]:
    """Three addresses; one with six people on 40 m², so the run has a score to keep."""
    crowded = f.AddressFactory(municipality=municipality, floor_area_m2=40)
    for _ in range(6):
        f.ResidenceFactory(municipality=municipality, address=crowded, starts_on=dt.date(2026, 1, 1))
    return [crowded, *(f.AddressFactory(municipality=municipality, floor_area_m2=90) for _ in range(2))]


# --- the service ---------------------------------------------------------------------------------------


def test_a_task_started_without_a_broker_has_run_when_start_returns(
    town: list[Any], actor_for: Callable[[str], Actor]
) -> None:
    with translation.override("en"):
        task = services.task_start(actor_for(Role.ENFORCEMENT), "risk_run", as_of=AS_OF)
    run = RiskRun.objects.get()
    assert task.status == TaskStatus.DONE
    assert task.result == {"run_id": run.pk, "reference": run.reference}
    assert (task.progress_done, task.progress_total) == (3, 3)
    assert task.progress_message == "Scored 3 addresses"
    assert task.params == {"as_of": "2026-11-01"}
    assert run.as_of == AS_OF
    assert (task.started_by_name, task.attempts, task.error) == (Role.ENFORCEMENT, 1, "")
    assert task.created_at <= task.started_at <= task.finished_at  # type: ignore[operator]


def test_bad_parameters_and_unknown_kinds_are_refused_before_anything_is_recorded(
    town: list[Any], actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for(Role.ENFORCEMENT)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with translation.override("en"):
        with pytest.raises(ValidationError, match="cannot lie in the future"):
            services.task_start(actor, "risk_run", as_of=tomorrow)
        with pytest.raises(ValidationError, match="YYYY-MM-DD"):
            services.task_start(actor, "risk_run", as_of="1 november")
        with pytest.raises(ValidationError, match="only a reference date, not neighbourhood"):
            services.task_start(actor, "risk_run", neighbourhood="BU05990101")
        with pytest.raises(ValidationError, match="no task of the kind brp_import"):
            services.task_start(actor, "brp_import")
        with pytest.raises(ValidationError, match="takes no parameters"):
            services.task_start(actor, "risk_prune", keep_days=1)
    assert TaskRun.objects.count() == 0


@pytest.mark.parametrize("role", Role.values)
def test_only_roles_that_may_run_risk_start_a_risk_task_and_see_its_runs(
    role: str, town: list[Any], actor_for: Callable[[str], Actor]
) -> None:
    started = services.task_start(actor_for(Role.ENFORCEMENT), "risk_run", as_of=AS_OF)
    actor = actor_for(role)
    if role in RISK_STARTERS:
        assert services.task_start(actor, "risk_run", as_of=AS_OF).status == TaskStatus.DONE
        assert started in selectors.task_runs(actor=actor)
    else:
        with pytest.raises(PermissionDenied):
            services.task_start(actor, "risk_run", as_of=AS_OF)
        assert started not in selectors.task_runs(actor=actor)
    assert RiskRun.objects.count() == (2 if role in RISK_STARTERS else 1)


def test_another_municipality_sees_none_of_the_tasks(
    town: list[Any], actor_for: Callable[[str], Actor], outsider: User, api_as: Callable[[str], APIClient]
) -> None:
    task = services.task_start(actor_for(Role.ENFORCEMENT), "risk_run", as_of=AS_OF)
    elsewhere = Actor.system(outsider.municipality, name="test")  # type: ignore[arg-type]
    assert list(selectors.task_runs(actor=elsewhere)) == []
    client = api_as("outsider")
    assert client.get(f"/api/v1/tasks/{task.pk}").status_code == 404
    assert client.get("/api/v1/tasks").json()["count"] == 0
    assert client.post(f"/api/v1/tasks/{task.pk}/retry").status_code == 404


def test_a_failed_task_says_why_keeps_no_detail_of_the_fault_and_can_be_retried(
    town: list[Any], actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for(Role.ENFORCEMENT)
    refusal = ValidationError("The registers are being imported; try again in an hour.")
    with (
        translation.override("en"),
        mock.patch("ketenregie.risk.tasks.services.risk_run", side_effect=refusal),
    ):
        refused = services.task_start(actor, "risk_run", as_of=AS_OF)
    assert (refused.status, refused.error) == (
        TaskStatus.FAILED,
        "The registers are being imported; try again in an hour.",
    )
    fault = RuntimeError("address Boterdiep 31 of J. Jansen has no floor area")
    with translation.override("en"), mock.patch("ketenregie.risk.tasks.services.risk_run", side_effect=fault):
        crashed = services.task_start(actor, "risk_run", as_of=AS_OF)
    assert crashed.status == TaskStatus.FAILED
    assert "Jansen" not in crashed.error
    assert crashed.error.startswith("The task stopped on an unexpected error (RuntimeError)")
    assert RiskRun.objects.count() == 0

    retried = services.task_retry(actor_for(Role.ADMIN), refused)
    assert (retried.status, retried.attempts, retried.error) == (TaskStatus.DONE, 2, "")
    assert retried.started_by_name == Role.ADMIN
    assert retried.result["run_id"] == RiskRun.objects.get().pk
    with translation.override("en"), pytest.raises(ValidationError, match="Only a failed task"):
        services.task_retry(actor, retried)
    with pytest.raises(PermissionDenied):
        services.task_retry(actor_for(Role.POLICY), crashed)


def test_a_starter_who_lost_the_role_before_the_worker_ran_it_gets_a_reason(
    town: list[Any], actor_for: Callable[[str], Actor], personas: dict[str, User]
) -> None:
    actor = actor_for(Role.ENFORCEMENT)
    task = TaskRun.objects.create(
        municipality=actor.municipality,
        kind="risk_run",
        started_by=actor.user,
        started_by_name=actor.username,
        organisation=actor.organisation,
        language="en",
    )
    personas[Role.ENFORCEMENT].memberships.update(is_active=False)
    finished = services.task_execute(task.pk)
    assert finished is not None
    assert (finished.status, finished.error) == (
        TaskStatus.FAILED,
        "The account that started this task no longer has a role here.",
    )
    # A second delivery of the same message does nothing to a finished run.
    assert services.task_execute(task.pk) == finished
    assert RiskRun.objects.count() == 0


def test_a_task_that_cannot_be_queued_fails_with_that_reason(
    town: list[Any], actor_for: Callable[[str], Actor], django_capture_on_commit_callbacks: Any
) -> None:
    # Nothing listens on port 1: the broker cannot be reached.
    with broker("redis://127.0.0.1:1/15"), translation.override("en"):
        with django_capture_on_commit_callbacks(execute=True):
            task = services.task_start(actor_for(Role.ENFORCEMENT), "risk_run")
        task.refresh_from_db()
    assert task.status == TaskStatus.FAILED
    assert task.error == "The task queue cannot be reached, so the task did not start. Try again later."
    assert RiskRun.objects.count() == 0


def test_with_a_broker_a_task_waits_queued_until_the_transaction_is_committed(
    town: list[Any], actor_for: Callable[[str], Actor]
) -> None:
    with (
        broker("redis://127.0.0.1:1/15"),
        mock.patch("ketenregie.operations.tasks.execute_task_run.delay") as delay,
    ):
        task = services.task_start(actor_for(Role.ENFORCEMENT), "risk_run")
        # The test's transaction is never committed, so the worker would not find the row yet.
        delay.assert_not_called()
    assert task.status == TaskStatus.QUEUED


# --- schedules -----------------------------------------------------------------------------------------


def test_the_nightly_schedules_start_a_run_per_municipality_of_kinds_that_exist(
    municipality: Municipality, other_municipality: Municipality
) -> None:
    per_municipality = [e for e in BEAT_SCHEDULE.values() if e["task"] == "operations.start_scheduled"]
    assert {entry["args"][0] for entry in per_municipality} == {
        "monitoring_refresh",
        "retention_purge",
    }
    assert {e["task"] for e in BEAT_SCHEDULE.values()} == {
        "operations.start_scheduled",
        "operations.sweep_stopped",
    }
    assert app.conf.beat_schedule == BEAT_SCHEDULE
    ids = start_scheduled.delay("risk_prune").get()
    runs = TaskRun.objects.filter(pk__in=ids)
    assert sorted(r.municipality.code for r in runs) == ["0599", "0637"]
    assert {(r.status, r.started_by_name, r.result["removed"]) for r in runs} == {
        (TaskStatus.DONE, "system:scheduler", 0)
    }
    refreshed = services.scheduled_start("monitoring_refresh")
    assert {r.status for r in refreshed} == {TaskStatus.DONE}
    assert all(r.result["values"] > 0 and r.progress_done == r.progress_total == 4 for r in refreshed)
    purged = services.scheduled_start("retention_purge")
    assert {(r.status, r.result["removed"]) for r in purged} == {(TaskStatus.DONE, 0)}
    assert all(r.result["purge_run_id"] for r in purged)


def test_a_run_whose_worker_stopped_is_failed_by_the_sweep_and_can_be_retried(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for(Role.ENFORCEMENT)
    now = timezone.now()
    stuck = TaskRun.objects.create(
        municipality=municipality, kind="risk_prune", status=TaskStatus.RUNNING,
        started_at=now - dt.timedelta(hours=7), started_by=actor.user, started_by_name=actor.username,
    )  # fmt: skip
    busy = TaskRun.objects.create(
        municipality=municipality, kind="risk_prune", status=TaskStatus.RUNNING,
        started_at=now - dt.timedelta(hours=5), started_by=actor.user, started_by_name=actor.username,
    )  # fmt: skip
    assert services.tasks_sweep_stopped(now=now) == 1
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert (stuck.status, busy.status) == (TaskStatus.FAILED, TaskStatus.RUNNING)
    assert "meer dan 6 uur" in stuck.error
    assert services.task_retry(actor, stuck).status == TaskStatus.DONE


# --- the API -------------------------------------------------------------------------------------------


def test_starting_a_risk_run_answers_202_with_a_location_that_shows_the_run(
    town: list[Any], api_as: Callable[[str], APIClient]
) -> None:
    client = api_as(Role.ENFORCEMENT)
    response = client.post("/api/v1/risk/runs", {"asOf": "2026-11-01"}, format="json")
    assert response.status_code == 202, response.content
    task = TaskRun.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/tasks/{task.pk}"
    assert response.json()["id"] == task.pk
    body = client.get(response["Location"]).json()
    run = RiskRun.objects.get()
    assert body["status"] == "done"
    assert body["kind"] == "risk_run"
    assert body["progress"]["done"] == body["progress"]["total"] == 3
    assert body["result"] == {"runId": run.pk, "reference": run.reference}
    assert body["resultUrl"] == f"http://testserver/api/v1/risk/runs/{run.pk}"
    assert body["error"] == ""
    assert client.get(body["resultUrl"]).json()["asOf"] == "2026-11-01"
    listed = client.get("/api/v1/tasks", {"kind": "risk_run"}).json()
    assert [t["id"] for t in listed["results"]] == [task.pk]


def test_a_task_shows_no_result_until_it_is_done(town: list[Any], api_as: Callable[[str], APIClient]) -> None:
    with broker("redis://127.0.0.1:1/15"), mock.patch("ketenregie.operations.tasks.execute_task_run.delay"):
        location = api_as(Role.ENFORCEMENT).post("/api/v1/risk/runs", {}, format="json")["Location"]
    body = api_as(Role.ADMIN).get(location).json()
    assert (body["status"], body["result"], body["resultUrl"], body["startedAt"]) == (
        "queued",
        None,
        None,
        None,
    )


@pytest.mark.parametrize("role", Role.values)
def test_who_may_start_a_risk_run_and_follow_it_through_the_api(
    role: str, town: list[Any], api_as: Callable[[str], APIClient]
) -> None:
    location = api_as(Role.ENFORCEMENT).post("/api/v1/risk/runs", {}, format="json")["Location"]
    client = api_as(role)
    started = client.post("/api/v1/risk/runs", {}, format="json")
    assert started.status_code == (202 if role in RISK_STARTERS else 403)
    assert client.get(location).status_code == (200 if role in RISK_STARTERS else 404)


def test_bad_bodies_are_refused_with_the_field_named(
    town: list[Any], api_as: Callable[[str], APIClient]
) -> None:
    client = api_as(Role.ENFORCEMENT)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for body, reason in [
        ({"asOf": "gisteren"}, "Date heeft het verkeerde formaat"),
        ({"asOf": tomorrow}, "De peildatum kan niet in de toekomst liggen."),
    ]:
        response = client.post("/api/v1/risk/runs", body, format="json")
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        [param] = response.json()["invalidParams"]
        assert param["name"] == "asOf"
        assert param["reason"].startswith(reason)
    assert TaskRun.objects.count() == 0


def test_a_failed_task_is_retried_through_the_api(
    town: list[Any], api_as: Callable[[str], APIClient]
) -> None:
    client = api_as(Role.ENFORCEMENT)
    with mock.patch("ketenregie.risk.tasks.services.risk_run", side_effect=ValidationError("Even geduld.")):
        location = client.post("/api/v1/risk/runs", {}, format="json")["Location"]
    failed = client.get(location).json()
    assert (failed["status"], failed["error"]) == ("failed", "Even geduld.")
    retried = client.post(f"{location}/retry")
    assert retried.status_code == 202
    assert retried["Location"] == location
    assert (retried.json()["status"], retried.json()["attempts"]) == ("done", 2)
    again = client.post(f"{location}/retry")
    assert again.status_code == 400
    assert again.json()["invalidParams"][0]["reason"].startswith("Alleen een mislukte taak")


# --- the staff pages ------------------------------------------------------------------------------------


def test_the_risk_page_starts_a_run_and_htmx_gets_the_status_block(
    town: list[Any], client_as: Callable[[str], Client]
) -> None:
    client = client_as(Role.ENFORCEMENT)
    response = client.post(reverse("risk:run_create"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    run = RiskRun.objects.get()
    assert 'data-status="done"' in html
    assert "hx-trigger" not in html
    assert f'href="{reverse("risk:score_list")}?run={run.pk}"' in html
    assert f"Show {run.reference}" in html
    page = client.get(reverse("risk:run_list")).content.decode()
    assert 'hx-post="/app/risk/runs/new/"' in page
    assert 'hx-target="#kr-run-tasks"' in page


def test_the_status_block_polls_while_the_task_works(
    municipality: Municipality, client_as: Callable[[str], Client]
) -> None:
    task = TaskRun.objects.create(
        municipality=municipality,
        kind="risk_run",
        status=TaskStatus.RUNNING,
        started_by_name="enforcement",
        progress_done=1,
        progress_total=3,
        progress_message="Scoring addresses and employers",
    )
    client = client_as(Role.ENFORCEMENT)
    html = client.get(reverse("operations:task_status", args=[task.pk])).content.decode()
    assert f'hx-get="/app/tasks/{task.pk}/status/" hx-trigger="every 2s" hx-swap="outerHTML"' in html
    assert '<progress max="100" value="33">' in html
    assert "Scoring addresses and employers (step 1 of 3)" in html
    # The risk page follows a run that is still being made.
    assert f'id="kr-task-{task.pk}"' in client.get(reverse("risk:run_list")).content.decode()
    assert client_as(Role.POLICY).get(reverse("operations:task_status", args=[task.pk])).status_code == 404
    assert client_as("outsider").get(reverse("operations:task_detail", args=[task.pk])).status_code == 404


def test_a_failed_task_shows_why_and_its_retry_button_works(
    town: list[Any], client_as: Callable[[str], Client]
) -> None:
    client = client_as(Role.ENFORCEMENT)
    with mock.patch(
        "ketenregie.risk.tasks.services.risk_run", side_effect=ValidationError("Try again later.")
    ):
        client.post(reverse("risk:run_create"))
    task = TaskRun.objects.get()
    html = client.get(reverse("operations:task_detail", args=[task.pk])).content.decode()
    assert "The task failed: Try again later." in html
    assert f'hx-post="/app/tasks/{task.pk}/retry/"' in html
    assert "hx-trigger" not in html
    retried = client.post(reverse("operations:task_retry", args=[task.pk]), HTTP_HX_REQUEST="true")
    assert 'data-status="done"' in retried.content.decode()
    assert "attempt 2" in retried.content.decode()
    # Without JavaScript the retry lands on the task's page.
    again = client.post(reverse("operations:task_retry", args=[task.pk]))
    assert again.status_code == 302
    assert client_as(Role.POLICY).post(reverse("operations:task_retry", args=[task.pk])).status_code == 404


def test_the_task_list_pages_through_the_runs_a_role_may_see(
    municipality: Municipality, client_as: Callable[[str], Client]
) -> None:
    TaskRun.objects.bulk_create(
        TaskRun(
            municipality=municipality, kind="risk_run", status=TaskStatus.DONE, started_by_name="enforcement"
        )
        for _ in range(30)
    )
    TaskRun.objects.create(
        municipality=municipality,
        kind="monitoring_refresh",
        status=TaskStatus.FAILED,
        started_by_name="policy",
    )
    first = client_as(Role.ENFORCEMENT).get(reverse("operations:task_list")).content.decode()
    assert first.count('data-status="done"') == 25
    assert "Page 1 of 2" in first
    second = client_as(Role.ENFORCEMENT).get(reverse("operations:task_list"), {"page": 2}).content.decode()
    assert second.count('data-status="done"') == 5
    assert 'data-status="failed"' not in first + second
    policy = client_as(Role.POLICY).get(reverse("operations:task_list")).content.decode()
    assert policy.count("<tr>") == 2  # the header and the monitoring refresh
    assert "Refreshing the key figures" in policy


# --- health, commands -----------------------------------------------------------------------------------


def test_health_says_eager_without_a_broker(db: None) -> None:
    body = Client().get("/health/").json()
    assert body == {"status": "ok", "database": "ok", "worker": "eager", "workerSeenAt": None}


def test_health_says_whether_a_worker_answered_recently(db: None, settings: Any) -> None:
    with broker("redis://127.0.0.1:1/15"):
        assert Client().get("/health/").json()["worker"] == "none"
        services.worker_seen("celery@a", force=True)
        body = Client().get("/health/").json()
        seen = WorkerHeartbeat.objects.get().seen_at
        assert (body["worker"], body["workerSeenAt"]) == ("ok", seen.isoformat())
        WorkerHeartbeat.objects.update(
            seen_at=timezone.now() - dt.timedelta(seconds=settings.WORKER_STALE_SECONDS + 1)
        )
        assert Client().get("/health/").json()["worker"] == "stale"
        services.worker_gone("celery@a")
        assert Client().get("/health/").json()["worker"] == "none"


def test_a_heartbeat_is_written_at_most_every_half_minute(db: None) -> None:
    services.worker_seen("celery@b", force=True)
    first = WorkerHeartbeat.objects.get().seen_at
    services.worker_seen("celery@b")
    assert WorkerHeartbeat.objects.get().seen_at == first
    services.worker_seen("celery@b", force=True)
    assert WorkerHeartbeat.objects.get().seen_at > first


def test_worker_and_scheduler_refuse_to_start_without_a_broker(db: None) -> None:
    with pytest.raises(CommandError, match="CELERY_BROKER_URL is not set"):
        call_command("worker")
    with pytest.raises(CommandError, match="CELERY_BROKER_URL is not set"):
        call_command("scheduler")
    with pytest.raises(CommandError, match="--workers must be at least 1"):
        call_command("serve", workers=0)
