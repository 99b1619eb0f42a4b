"""The Celery tasks of the queue. There are few: every kind of work runs through ``execute_task_run``,
which finds the kind on the run (operations.registry); schedules start kinds through
``start_scheduled``."""

from __future__ import annotations

from ketenregie.celery_app import app
from ketenregie.operations import services


@app.task(name="operations.execute_task_run")
def execute_task_run(task_run_id: int) -> None:
    services.task_execute(task_run_id)


@app.task(name="operations.start_scheduled")
def start_scheduled(kind: str) -> list[int]:
    """One run of ``kind`` per municipality (a scheduled job, see operations.schedules)."""
    return [run.pk for run in services.scheduled_start(kind)]


@app.task(name="operations.sweep_stopped")
def sweep_stopped() -> int:
    """Runs whose worker stopped without a word are failed, so they can be tried again."""
    return services.tasks_sweep_stopped()
