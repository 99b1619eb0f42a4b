"""``ketenregie worker``: the Celery worker that runs the queued tasks (one of a deployment's processes)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

LOG_LEVELS = ["debug", "info", "warning", "error"]


class Command(BaseCommand):
    help = "Run the task worker: it takes tasks from the queue (CELERY_BROKER_URL) and runs them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--concurrency",
            type=int,
            default=settings.CELERY_WORKER_CONCURRENCY,
            help="tasks run at once, each in its own process (default %(default)s, WORKER_CONCURRENCY)",
        )
        parser.add_argument("--loglevel", default="info", choices=LOG_LEVELS)
        parser.add_argument("--hostname", help="the worker's name (default: celery@<host>)")

    def handle(self, *args: Any, **options: Any) -> None:
        from ketenregie.celery_app import app

        if app.conf.task_always_eager:
            raise CommandError(
                "CELERY_BROKER_URL is not set: tasks run in the process that starts them, so a worker "
                "would have nothing to do. Set CELERY_BROKER_URL=redis://host:6379/0 for a deployment."
            )
        if options["concurrency"] < 1:
            raise CommandError("--concurrency must be at least 1")
        argv = ["worker", f"--concurrency={options['concurrency']}", f"--loglevel={options['loglevel']}"]
        if options.get("hostname"):
            argv.append(f"--hostname={options['hostname']}")
        app.worker_main(argv)
