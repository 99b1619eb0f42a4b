from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ketenregie.core.commands import municipality_option
from ketenregie.core.selectors import municipalities
from ketenregie.monitoring import services


class Command(BaseCommand):
    help = "Monitoring upkeep. `ketenregie monitoring refresh [--municipality CODE] [--years 2023 2024]`"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="compute the key figures again and store them")
        refresh.add_argument("--municipality", help="CBS code; all municipalities when left out")
        refresh.add_argument("--years", type=int, nargs="*")

    def handle(self, *args: Any, **options: Any) -> None:
        this_year = timezone.localdate().year
        years = options["years"] or list(range(this_year - 3, this_year + 1))
        if any(not 2000 <= y <= this_year for y in years):
            raise CommandError(f"--years must lie between 2000 and {this_year}")
        if options["municipality"]:
            chosen = [municipality_option(options["municipality"])]
        else:
            chosen = list(municipalities())
        for municipality in chosen:
            stored = services.refresh_values(
                municipality=municipality, years=years, progress=self.stdout.write
            )
            self.stdout.write(f"{municipality.name}: {stored} values stored")
