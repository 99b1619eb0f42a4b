"""What ``ketenregie scheduler`` starts, and when (Celery beat; times in settings.TIME_ZONE).

Each entry starts a task kind for every municipality through ``operations.start_scheduled``, so each
scheduled run is a TaskRun with its progress and outcome like any other. Add a nightly or daily job here.
"""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab


def nightly(kind: str, *, hour: int, minute: int = 0) -> dict[str, Any]:
    return {
        "task": "operations.start_scheduled",
        "schedule": crontab(hour=hour, minute=minute),
        "args": (kind,),
    }


BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # The key figures of the dashboard and the monitoring pages, computed again from the registers.
    "monitoring-refresh": nightly("monitoring_refresh", hour=2),
    # Risk runs are removed by the retention purge, under each municipality's own period; `risk prune`
    # (a fixed year) stays a command and a task kind, not a schedule.
    # What has passed its retention period (docs/retention.md), after the figures are refreshed: a
    # purge settles reported years first, so it never changes a figure already shown.
    "retention-purge": nightly("retention_purge", hour=3),
    # Runs whose worker stopped without a word fail after TASK_RUNNING_LIMIT_HOURS (not per municipality).
    "tasks-sweep-stopped": {"task": "operations.sweep_stopped", "schedule": crontab(minute=15)},
}
