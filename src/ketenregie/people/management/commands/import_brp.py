from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.core.imports import ImportRejected
from ketenregie.core.validators import validate_municipality_code
from ketenregie.people.gbav.importer import import_gbav
from ketenregie.people.gbav.report import report_lines


class Command(BaseCommand):
    help = (
        "Import person records and their residence history from a GBA-V extract (LO GBA element columns); "
        "all records or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=["gbav"], help="The extract's format.")
        parser.add_argument(
            "--municipality",
            help="Import only the people registered in this municipality (CBS code, e.g. 0599).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        code = options["municipality"]
        if code:
            try:
                validate_municipality_code(code)
            except Exception as error:
                raise CommandError(f"--municipality {code}: {error}") from None
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stderr.write(f"  {message} ({time.monotonic() - started:.0f} s)")

        try:
            report = import_gbav(path, municipality_code=code, progress=progress)
        except ImportRejected as rejected:
            for problem in rejected.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing imported: {len(rejected.errors)} problem(s) in {path}.") from None
        for line in report_lines(report):
            self.stdout.write(line)
        self.stdout.write(f"Imported {path} in {time.monotonic() - started:.1f} s.")
