"""The Celery application: long work runs as tasks on ``ketenregie worker``, schedules on ``ketenregie
scheduler``.

Its configuration is Django's settings under ``CELERY_`` (settings.py); the schedules are declared in
``operations.schedules``. Tasks are found in each installed app's ``tasks`` module. Without a broker
(``CELERY_BROKER_URL`` empty) every task runs at once in the calling process.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenregie.settings")

app = Celery("ketenregie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _declare_schedules(sender: Celery, **kwargs: Any) -> None:
    from ketenregie.operations.schedules import BEAT_SCHEDULE

    sender.conf.beat_schedule = BEAT_SCHEDULE


# The worker says it is alive: /health/ reads the last heartbeat (operations.services.worker_seen).
_hostname: list[str] = []


@signals.worker_ready.connect
def _worker_ready(sender: Any = None, **kwargs: Any) -> None:
    from ketenregie.operations.services import worker_seen

    hostname = str(getattr(sender, "hostname", "") or "worker")
    _hostname[:] = [hostname]
    worker_seen(hostname, force=True)


@signals.heartbeat_sent.connect
def _heartbeat(sender: Any = None, **kwargs: Any) -> None:
    from ketenregie.operations.services import worker_seen

    hostname = str(getattr(getattr(sender, "eventer", None), "hostname", "") or "")
    if hostname:
        _hostname[:] = [hostname]
        worker_seen(hostname)


@signals.worker_shutdown.connect
def _worker_shutdown(sender: Any = None, **kwargs: Any) -> None:
    from ketenregie.operations.services import worker_gone

    if _hostname:
        worker_gone(_hostname[0])
