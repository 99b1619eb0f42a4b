"""A real worker against the real Redis (127.0.0.1:6379, database 15) and PostgreSQL: a risk run queued
by the application is taken by the worker, done, and seen in /health/.

The quick test runs the worker in a thread of this process; the slow one runs ``ketenregie worker`` as
its own process, as a deployment does. Both skip only when Redis is not reachable.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.test import Client

from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality, Role
from ketenregie.operations import services
from ketenregie.operations.models import TaskRun, TaskStatus, WorkerHeartbeat
from ketenregie.risk.models import RiskRun
from tests import factories as f
from tests.test_tasks import broker

REDIS_URL = "redis://127.0.0.1:6379/15"
ROOT = Path(__file__).resolve().parent.parent


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 (.ci/run starts it)")
    return client


@pytest.fixture
def queue() -> Iterator[Any]:
    _redis_or_skip().flushdb()
    with broker(REDIS_URL) as app:
        yield app


@pytest.fixture
def town(municipality: Municipality) -> None:
    crowded = f.AddressFactory(municipality=municipality, floor_area_m2=40)
    for _ in range(6):
        f.ResidenceFactory(municipality=municipality, address=crowded, starts_on=dt.date(2026, 1, 1))
    f.AddressFactory(municipality=municipality, floor_area_m2=90)


def _wait_until_finished(task: TaskRun, seconds: float) -> TaskRun:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        task.refresh_from_db()
        if not task.is_active:
            return task
        time.sleep(0.2)
    raise AssertionError(f"task {task.pk} still {task.status} after {seconds} s")


@pytest.mark.django_db(transaction=True)
def test_a_worker_in_a_thread_takes_a_queued_risk_run_from_redis(
    queue: Any, town: None, actor_for: Callable[[str], Actor]
) -> None:
    with start_worker(
        queue, pool="solo", perform_ping_check=False, without_heartbeat=False, loglevel="WARNING"
    ):
        task = services.task_start(actor_for(Role.ENFORCEMENT), "risk_run")
        # Queued, not run: start_task returned before any worker took it (or while it works).
        assert task.status in (TaskStatus.QUEUED, TaskStatus.RUNNING)
        done = _wait_until_finished(task, 30)
        assert Client().get("/health/").json()["worker"] == "ok"
    assert (done.status, done.error) == (TaskStatus.DONE, "")
    assert done.result["run_id"] == RiskRun.objects.get().pk
    assert (done.progress_done, done.progress_total) == (3, 3)
    connection.close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_worker_command_takes_a_queued_risk_run_and_says_it_is_alive(
    queue: Any, town: None, actor_for: Callable[[str], Actor]
) -> None:
    database = connection.settings_dict
    environment = {
        **os.environ,
        "CELERY_BROKER_URL": REDIS_URL,
        # The test database, not the one DATABASE_URL names.
        "DATABASE_URL": f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}",
        "PYTHONPATH": str(ROOT / "src"),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ketenregie.cli",
            "worker",
            "--concurrency=1",
            "--loglevel=warning",
            "--hostname=test-worker@%h",
        ],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not WorkerHeartbeat.objects.exists():
            assert worker.poll() is None, worker.stdout.read() if worker.stdout else ""
            assert time.monotonic() < deadline, "the worker did not say it was ready within 60 s"
            time.sleep(0.2)
        health = Client().get("/health/").json()
        assert health["worker"] == "ok"
        assert health["workerSeenAt"] is not None
        task = services.task_start(actor_for(Role.ENFORCEMENT), "risk_run")
        done = _wait_until_finished(task, 60)
        assert (done.status, done.error) == (TaskStatus.DONE, "")
        assert done.result["run_id"] == RiskRun.objects.get().pk
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert worker.returncode == 0, output
    # A worker that stops cleanly takes its heartbeat with it.
    assert Client().get("/health/").json()["worker"] == "none"
    connection.close()
