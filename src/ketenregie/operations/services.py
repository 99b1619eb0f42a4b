"""Writes of operations: starting, running and retrying tasks, and the workers' heartbeats.

``task_start`` records a run and hands it to the queue; the worker (or, without a broker, the calling
process) runs ``task_execute``, which does the kind's work as the person who started it and keeps the
outcome on the run. A failure is kept as a sentence for staff, never as a traceback; ``task_retry``
puts a failed run back in the queue.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ketenregie.core.actor import Actor, actor_for_user
from ketenregie.core.models import Municipality
from ketenregie.core.services import ensure_same_municipality
from ketenregie.operations import registry
from ketenregie.operations.models import ACTIVE_STATUSES, TaskRun, TaskStatus, WorkerHeartbeat

log = logging.getLogger(__name__)

# A worker's heartbeat (every few seconds) is written at most this often.
HEARTBEAT_WRITE_SECONDS = 30
MESSAGE_LENGTH = TaskRun._meta.get_field("progress_message").max_length or 200


def _queue_is_eager() -> bool:
    from ketenregie.celery_app import app

    return bool(app.conf.task_always_eager)


def _publish(task_run_id: int) -> None:
    """Hand the run to the broker; when the broker cannot be reached the run fails with that reason."""
    from kombu.exceptions import OperationalError

    from ketenregie.operations.tasks import execute_task_run

    try:
        execute_task_run.delay(task_run_id)
    except OperationalError:
        log.exception("task run %s could not be queued", task_run_id)
        run = TaskRun.objects.get(pk=task_run_id)
        with translation.override(run.language or None):
            TaskRun.objects.filter(pk=task_run_id, status=TaskStatus.QUEUED).update(
                status=TaskStatus.FAILED,
                finished_at=timezone.now(),
                error=_("The task queue cannot be reached, so the task did not start. Try again later."),
            )


def _enqueue(run: TaskRun) -> None:
    if _queue_is_eager():
        # No broker: the work runs now, in this process, and the run is finished when this returns.
        _publish(run.pk)
    else:
        # The worker must find the row: publish once the caller's transaction (if any) is committed.
        transaction.on_commit(lambda: _publish(run.pk))


def task_start(actor: Actor, kind: str, **params: Any) -> TaskRun:
    """Record a run of ``kind`` and queue it (or, without a broker, run it now)."""
    task_kind = registry.kind_get(kind)
    actor.require(task_kind.capability)
    cleaned = task_kind.clean_params(params)
    run = TaskRun.objects.create(
        municipality=actor.municipality,
        kind=task_kind.name,
        params=cleaned,
        status=TaskStatus.QUEUED,
        started_by=actor.user,
        started_by_name=actor.username,
        organisation=actor.organisation,
        language=translation.get_language() or "",
    )
    _enqueue(run)
    run.refresh_from_db()
    return run


def task_run_here(actor: Actor, kind: str, **params: Any) -> TaskRun:
    """Record a run of ``kind`` and do it in this process now, broker or not: for commands and the demo
    generator, which wait for the outcome anyway but should leave the same record as a queued run."""
    task_kind = registry.kind_get(kind)
    actor.require(task_kind.capability)
    run = TaskRun.objects.create(
        municipality=actor.municipality,
        kind=task_kind.name,
        params=task_kind.clean_params(params),
        started_by=actor.user,
        started_by_name=actor.username,
        organisation=actor.organisation,
        language=translation.get_language() or "",
    )
    finished = task_execute(run.pk)
    assert finished is not None
    return finished


def task_retry(actor: Actor, task_run: TaskRun) -> TaskRun:
    """Put a failed run back in the queue, as the person who asks; only a failed run can be retried."""
    ensure_same_municipality(actor, task_run)
    actor.require(registry.kind_get(task_run.kind).capability)
    with transaction.atomic():
        run = TaskRun.objects.select_for_update().get(pk=task_run.pk)
        if run.status != TaskStatus.FAILED:
            raise ValidationError(_("Only a failed task can be tried again; this one is %(status)s.")
                                  % {"status": run.get_status_display()})  # fmt: skip
        run.status = TaskStatus.QUEUED
        run.attempts += 1
        run.error = ""
        run.result = {}
        run.progress_done = run.progress_total = 0
        run.progress_message = ""
        run.started_at = run.finished_at = None
        run.started_by = actor.user
        run.started_by_name = actor.username
        run.organisation = actor.organisation
        run.language = translation.get_language() or ""
        run.save()
    _enqueue(run)
    run.refresh_from_db()
    return run


def scheduled_start(kind: str) -> list[TaskRun]:
    """A scheduled start: one run of ``kind`` per municipality, as the system."""
    return [
        task_start(Actor.system(municipality, name="scheduler"), kind)
        for municipality in Municipality.objects.order_by("code")
    ]


# --- running -----------------------------------------------------------------------------------------


class RunProgress:
    """The callback the work reports to; each call is written at once, so a page polling the run sees it."""

    def __init__(self, run: TaskRun) -> None:
        self.run_id = run.pk

    def __call__(self, done: int, total: int, message: str = "") -> None:
        TaskRun.objects.filter(pk=self.run_id).update(
            progress_done=max(0, done),
            progress_total=max(0, total),
            progress_message=str(message)[:MESSAGE_LENGTH],
        )


def _actor_of(run: TaskRun) -> Actor:
    """The actor the work runs as: the starter in the organisation they acted for, with their roles now."""
    if run.started_by_id is None:
        name = run.started_by_name.removeprefix("system:") or "task"
        return Actor.system(run.municipality, name=name)
    actor = actor_for_user(run.started_by, organisation_id=run.organisation_id)  # type: ignore[arg-type]
    if actor is None or actor.organisation != run.organisation or actor.municipality != run.municipality:
        raise PermissionDenied(_("The account that started this task no longer has a role here."))
    return actor


def _failure_reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, PermissionDenied):
        return str(error) or _("Your role does not allow this.")
    # Anything else is a fault, not something staff can act on; its detail (which may quote data) goes
    # to the worker's log only.
    return _("The task stopped on an unexpected error (%(error)s). The details are in the worker's log.") % {
        "error": type(error).__name__
    }


def task_execute(task_run_id: int) -> TaskRun | None:
    """Do the work of one run and keep its outcome. Runs on the worker (or in the caller, eagerly)."""
    with transaction.atomic():
        run = (
            TaskRun.objects.select_for_update().select_related("municipality").filter(pk=task_run_id).first()
        )
        if run is None or run.status not in ACTIVE_STATUSES:
            # Removed, or finished by an earlier delivery of the same message.
            log.info("task run %s is gone or finished; nothing to do", task_run_id)
            return run
        if run.status == TaskStatus.RUNNING:
            # Handed out again after its worker was lost: it runs again, but keeps its first start, so
            # a run that keeps killing its worker is failed by the sweep (tasks_sweep_stopped).
            log.warning("task run %s is delivered again after its worker was lost", task_run_id)
        else:
            run.status = TaskStatus.RUNNING
            run.started_at = timezone.now()
            run.save(update_fields=["status", "started_at"])
    started = time.perf_counter()
    with translation.override(run.language or None):
        try:
            task_kind = registry.kind_get(run.kind)
            actor = _actor_of(run)
            actor.require(task_kind.capability)
            result: Mapping[str, Any] = task_kind.work(actor, RunProgress(run), **run.params)
        except Exception as error:
            if not isinstance(error, (ValidationError, PermissionDenied)):
                log.exception("task run %s (%s) failed", run.pk, run.kind)
            TaskRun.objects.filter(pk=run.pk).update(
                status=TaskStatus.FAILED, finished_at=timezone.now(), error=_failure_reason(error)
            )
        else:
            TaskRun.objects.filter(pk=run.pk).update(
                status=TaskStatus.DONE, finished_at=timezone.now(), result=dict(result), error=""
            )
    log.info("task run %s (%s) finished in %.2f s", run.pk, run.kind, time.perf_counter() - started)
    run.refresh_from_db()
    return run


def tasks_sweep_stopped(*, now: dt.datetime | None = None) -> int:
    """Fail the runs that have been running longer than any task takes: their worker stopped without
    a word (killed, or its message lost), and without this they would show "running" for ever. They
    can be tried again. Returns how many were failed."""
    now = now or timezone.now()
    limit = dt.timedelta(hours=settings.TASK_RUNNING_LIMIT_HOURS)
    stopped = TaskRun.objects.filter(status=TaskStatus.RUNNING, started_at__lt=now - limit)
    failed = 0
    for run in stopped.only("pk", "language"):
        with translation.override(run.language or settings.LANGUAGE_CODE):
            failed += TaskRun.objects.filter(pk=run.pk, status=TaskStatus.RUNNING).update(
                status=TaskStatus.FAILED,
                finished_at=now,
                error=_(
                    "The task ran for more than %(hours)s hours, so its worker probably stopped. "
                    "Try it again."
                )
                % {"hours": settings.TASK_RUNNING_LIMIT_HOURS},
            )
    return failed


# --- workers -----------------------------------------------------------------------------------------

_last_written: dict[str, float] = {}


def worker_seen(hostname: str, *, force: bool = False) -> None:
    """Record that a worker is alive; called on every heartbeat, written every HEARTBEAT_WRITE_SECONDS."""
    now = time.monotonic()
    if not force and now - _last_written.get(hostname, -HEARTBEAT_WRITE_SECONDS) < HEARTBEAT_WRITE_SECONDS:
        return
    WorkerHeartbeat.objects.update_or_create(hostname=hostname[:200], defaults={"seen_at": timezone.now()})
    _last_written[hostname] = now


def worker_gone(hostname: str) -> None:
    """A worker that stops cleanly says so, so /health/ does not count it until it turns stale."""
    WorkerHeartbeat.objects.filter(hostname=hostname[:200]).delete()
    _last_written.pop(hostname, None)
