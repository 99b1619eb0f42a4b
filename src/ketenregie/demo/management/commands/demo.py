from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ketenregie.demo.accounts import ensure_demo_accounts
from ketenregie.demo.generator import DEFAULT_REFERENCE_DATE, seed_municipality
from ketenregie.demo.management.commands.seed import _scale, print_accounts
from ketenregie.demo.models import SeedRun
from ketenregie.demo.profiles import PROFILES

DEFAULT_DEMO_SCALE = 0.05


class Command(BaseCommand):
    help = "Migrate, seed a synthetic municipality (once), print the demo accounts and serve the application."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", default="rotterdam", choices=sorted(PROFILES))
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--scale",
            type=_scale,
            default=DEFAULT_DEMO_SCALE,
            help="fraction of the full profile (default %(default)s; 1 is full size)",
        )
        parser.add_argument("--reseed", action="store_true", help="seed again even if the data is there")
        parser.add_argument("--no-serve", action="store_true", help="stop after seeding")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        profile = PROFILES[options["profile"]]
        latest = SeedRun.objects.filter(
            municipality__code=profile.cbs_code, finished_at__isnull=False
        ).first()
        if (
            options["reseed"]
            or latest is None
            or latest.seed != options["seed"]
            or latest.scale != options["scale"]
        ):
            self.stdout.write(
                f"Building the synthetic municipality {profile.name} "
                f"(seed {options['seed']}, scale {options['scale']})…"
            )
            latest = seed_municipality(
                profile_key=profile.key,
                seed=options["seed"],
                scale=options["scale"],
                reference_date=DEFAULT_REFERENCE_DATE,
                progress=self.stdout.write,
            )
        else:
            self.stdout.write(f"{profile.name} is already seeded (seed {latest.seed}, scale {latest.scale}).")
        print_accounts(self, ensure_demo_accounts(latest.municipality))
        if options["no_serve"]:
            return
        self.stdout.write(f"\nStaff application: http://127.0.0.1:{options['port']}/app/  (Ctrl-C stops)")
        call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False, skip_checks=False)
