from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportRejected, run_import
from ketenregie.core.selectors import municipality_by_code
from ketenregie.web.import_kinds import IMPORT_KINDS, importer_for


class Command(BaseCommand):
    help = "Import addresses, people or employers from a CSV file; all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, choices=sorted(IMPORT_KINDS))
        parser.add_argument("--municipality", required=True, help="CBS municipality code, e.g. 0599")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            municipality = municipality_by_code(options["municipality"])
        except Http404:
            raise CommandError(f"Unknown municipality code {options['municipality']}") from None
        actor = Actor.system(municipality, name=f"import-csv {options['kind']}")
        try:
            result = run_import(actor=actor, importer=importer_for(options["kind"]), data=path.read_bytes())
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(rejected.errors)} problem(s) in {path}.") from None
        self.stdout.write(
            f"Imported {path}: {result.created} new, {result.updated} changed, {result.unchanged} unchanged."
        )
        for note in result.notes:
            self.stdout.write(note)
