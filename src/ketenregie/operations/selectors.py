"""Reads of operations: the task runs a user may see, and whether a worker is alive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone

from ketenregie.core.actor import Actor
from ketenregie.operations.models import TaskRun, WorkerHeartbeat
from ketenregie.operations.registry import kinds_for


def task_runs(*, actor: Actor, kind: str = "") -> QuerySet[TaskRun]:
    """The municipality's runs of the kinds the actor's role may start, newest first."""
    allowed = kinds_for(actor)
    if kind:
        allowed = [k for k in allowed if k == kind]
    return TaskRun.objects.filter(municipality=actor.municipality, kind__in=allowed).order_by(
        "-created_at", "-id"
    )


def task_run_get(*, actor: Actor, task_id: int) -> TaskRun:
    run = task_runs(actor=actor).filter(pk=task_id).first()
    if run is None:
        raise Http404("no such task")
    return run


@dataclass(frozen=True)
class WorkerStatus:
    state: str  # "eager" (no broker: tasks run in the caller), "ok", "stale" or "none"
    seen_at: dt.datetime | None


def worker_status() -> WorkerStatus:
    """One indexed aggregate: cheap enough for every /health/ probe."""
    from ketenregie.celery_app import app

    if app.conf.task_always_eager:
        return WorkerStatus("eager", None)
    seen_at = WorkerHeartbeat.objects.aggregate(latest=Max("seen_at"))["latest"]
    if seen_at is None:
        return WorkerStatus("none", None)
    fresh = timezone.now() - seen_at <= dt.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    return WorkerStatus("ok" if fresh else "stale", seen_at)
