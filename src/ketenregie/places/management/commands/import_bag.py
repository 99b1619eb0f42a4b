from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.core.imports import ImportRejected
from ketenregie.places.bag.importer import import_bag


class Command(BaseCommand):
    help = (
        "Import BAG addresses and units from a CSV export or from the BAG 2.0 extract (XML, a zip of "
        "them, or a directory); all units or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--municipality",
            help="CBS code of the register to import into; default: the extract's municipality, "
            "else the first four digits of each object id.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file or directory")
        started = time.monotonic()
        try:
            report = import_bag(
                path,
                municipality_code=options["municipality"],
                progress=lambda message: self.stderr.write(
                    f"  {message} ({time.monotonic() - started:.0f} s)"
                ),
            )
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(rejected.errors)} problem(s) in {path}.") from None
        self.stdout.write(
            f"Imported {path}: {report.read:,} units read; "
            f"{report.created:,} new, {report.updated:,} changed "
            f"({report.completed:,} incomplete addresses completed), {report.unchanged:,} unchanged; "
            f"{', '.join(report.municipalities)}."
        )
