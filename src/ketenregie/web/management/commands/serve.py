"""``ketenregie serve``: the application behind gunicorn, static files served by itself (whitenoise).

One of a deployment's three processes, with ``ketenregie worker`` and ``ketenregie scheduler``.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from gunicorn.app.base import BaseApplication


class Command(BaseCommand):
    help = "Serve the application with gunicorn; static files come from whitenoise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port (default %(default)s)")
        parser.add_argument("--workers", type=int, default=2, help="server processes (default %(default)s)")
        parser.add_argument("--timeout", type=int, default=60, help="seconds a request may take (default 60)")
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="do not gather the static files first (they are already in STATIC_ROOT)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        if options["timeout"] < 1:
            raise CommandError("--timeout must be at least 1 second")
        if not options["no_collectstatic"]:
            # whitenoise serves STATIC_ROOT; in production it does not look in the apps' folders.
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving on http://{options['bind']}/ with {options['workers']} workers")
        application_options = {
            "bind": options["bind"],
            "workers": options["workers"],
            "timeout": options["timeout"],
            "accesslog": "-",
            # The access log names method, path and status; query strings may hold what someone typed.
            "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
        }
        Server(application_options).run()


class Server(BaseApplication):
    """gunicorn with its settings from the command line instead of a config file."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from ketenregie.wsgi import application

        return application
