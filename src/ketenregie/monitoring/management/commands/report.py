from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ketenregie.core.commands import municipality_option
from ketenregie.monitoring import services
from ketenregie.monitoring.report import build_annual_report, render_report_html, render_report_pdf


class Command(BaseCommand):
    help = (
        "Reports for the council. `ketenregie report annual --municipality CODE --year YYYY --out FILE.pdf`"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        annual = sub.add_parser(
            "annual", help="the yearly progress report (PDF, or HTML when FILE ends in .html)"
        )
        annual.add_argument("--municipality", required=True, help="CBS municipality code, e.g. 0599")
        annual.add_argument("--year", type=int, required=True)
        annual.add_argument("--out", type=Path, required=True)
        annual.add_argument(
            "--no-refresh",
            action="store_true",
            help="use the stored figures instead of computing the years again",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_option(options["municipality"])
        year = options["year"]
        if not 2000 <= year <= timezone.localdate().year:
            raise CommandError(f"--year {year} is not a year with figures")
        out: Path = options["out"]
        if out.suffix.lower() not in {".pdf", ".html"}:
            raise CommandError("--out must end in .pdf or .html")
        if not out.parent.exists():
            raise CommandError(f"{out.parent} does not exist")
        started = time.monotonic()
        if not options["no_refresh"]:
            # The report compares the year with the one before; older years come from the stored figures.
            services.refresh_values(
                municipality=municipality, years=[year - 1, year], progress=self.stdout.write
            )
        report = build_annual_report(actor=services.monitoring_actor(municipality), year=year)
        if out.suffix.lower() == ".pdf":
            out.write_bytes(render_report_pdf(report))
        else:
            out.write_text(render_report_html(report, for_pdf=True), encoding="utf-8")
        self.stdout.write(f"Wrote {out} in {time.monotonic() - started:.1f} s")
