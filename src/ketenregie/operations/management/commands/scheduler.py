"""``ketenregie scheduler``: Celery beat, which starts the scheduled tasks (operations.schedules) on time.

Run exactly one scheduler per deployment: two would start every job twice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.operations.management.commands.worker import LOG_LEVELS


class Command(BaseCommand):
    help = "Run the scheduler: it queues the nightly jobs of operations.schedules for the worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loglevel", default="info", choices=LOG_LEVELS)
        parser.add_argument(
            "--schedule-file",
            default=str(settings.VAR_DIR / "scheduler-state"),
            help="where the scheduler keeps when each job last ran (default %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from ketenregie.celery_app import app

        if app.conf.task_always_eager:
            raise CommandError(
                "CELERY_BROKER_URL is not set: there is no queue to put scheduled tasks in. "
                "Set CELERY_BROKER_URL=redis://host:6379/0 and run `ketenregie worker` too."
            )
        app.start(["beat", f"--loglevel={options['loglevel']}", f"--schedule={options['schedule_file']}"])
