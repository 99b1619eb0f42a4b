from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.demo.accounts import ensure_demo_accounts
from ketenregie.demo.generator import DEFAULT_REFERENCE_DATE, seed_municipality
from ketenregie.demo.profiles import PROFILES


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--reference-date {value!r} is not a date like 2026-11-01") from None


def _scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError:
        raise CommandError(f"--scale {value!r} is not a number") from None
    if not 0 < scale <= 2:
        raise CommandError("--scale must be above 0 and at most 2 (1 is full size)")
    return scale


class Command(BaseCommand):
    help = (
        "Build a deterministic synthetic municipality (replacing its earlier data) and the demo accounts. "
        "Same profile, seed, scale and reference date give the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", required=True, choices=sorted(PROFILES))
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--scale", type=_scale, default=1.0, help="1 is full size; 0.01 is a small test set"
        )
        parser.add_argument(
            "--reference-date",
            type=_date,
            default=DEFAULT_REFERENCE_DATE,
            help="the 'today' of the synthetic data (default %(default)s)",
        )
        parser.add_argument("--no-accounts", action="store_true", help="do not create the demo accounts")

    def handle(self, *args: Any, **options: Any) -> None:
        run = seed_municipality(
            profile_key=options["profile"],
            seed=options["seed"],
            scale=options["scale"],
            reference_date=options["reference_date"],
            progress=self.stdout.write,
        )
        counts = ", ".join(
            f"{key} {value:,}"
            for key, value in run.counts.items()
            if isinstance(value, int) and key != "transit_address_id"
        )
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {run.municipality.name} in {run.counts['seconds']} s: {counts}")
        )
        if not options["no_accounts"]:
            print_accounts(self, ensure_demo_accounts(run.municipality))


def print_accounts(command: BaseCommand, rows: list[tuple[str, str, str]]) -> None:
    command.stdout.write("\nDemo accounts (password: demo)")
    width = max(len(username) for username, _role, _org in rows)
    for username, _role, organisation in rows:
        command.stdout.write(f"  {username.ljust(width)}  demo  {organisation}")
