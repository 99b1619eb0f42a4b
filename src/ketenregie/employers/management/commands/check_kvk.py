from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.core.actor import Actor
from ketenregie.core.commands import municipality_option
from ketenregie.employers.kvk_client import configured_client
from ketenregie.employers.registry import employers_check_kvk_unchecked


class Command(BaseCommand):
    help = "Look up employers never checked against the KvK (e.g. the rest of a large import)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="CBS municipality code, e.g. 0599")
        parser.add_argument("--limit", type=int, default=500, help="at most this many lookups (default 500)")

    def handle(self, *args: Any, **options: Any) -> None:
        if configured_client() is None:
            raise CommandError("No KvK connection is configured: set KVK_API_URL and KVK_API_KEY.")
        municipality = municipality_option(options["municipality"])
        actor = Actor.system(municipality, name="check-kvk")
        checked = employers_check_kvk_unchecked(actor=actor, limit=options["limit"])
        self.stdout.write(f"Checked {checked} employer(s) against the KvK.")
