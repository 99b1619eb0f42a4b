from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportRejected, run_import
from ketenregie.core.selectors import municipality_by_code
from ketenregie.deliveries import selectors as delivery_selectors
from ketenregie.deliveries.models import DeliveryChannel, DeliverySource
from ketenregie.deliveries.services import DeliveryContext
from ketenregie.web.import_kinds import DELIVERY_KINDS, IMPORT_KINDS, importer_for


class Command(BaseCommand):
    help = (
        "Import addresses, people, employers or a delivery of employments from a CSV file; all rows or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, choices=sorted(IMPORT_KINDS))
        parser.add_argument("--municipality", required=True, help="CBS municipality code, e.g. 0599")
        parser.add_argument(
            "--employer",
            default="",
            metavar="KVK",
            help="For a delivery: the KvK number of the employer, agency or provider that delivered it.",
        )

    def _context(self, actor: Actor, kind: str, path: Path, employer_kvk: str) -> DeliveryContext:
        if not employer_kvk:
            return DeliveryContext(
                kind=kind, source=DeliverySource.EMPLOYER, channel=DeliveryChannel.FILE, file_name=path.name
            )
        try:
            employer = delivery_selectors.delivering_employer(actor=actor, employer_kvk=employer_kvk)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        return delivery_selectors.employer_delivery_context(
            actor=actor, kind=kind, employer=employer, channel=DeliveryChannel.FILE, file_name=path.name
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            municipality = municipality_by_code(options["municipality"])
        except Http404:
            raise CommandError(f"Unknown municipality code {options['municipality']}") from None
        kind = options["kind"]
        actor = Actor.system(municipality, name=f"import-csv {kind}")
        data = path.read_bytes()
        context = (
            self._context(actor, kind, path, options["employer"]).with_data(data)
            if kind in DELIVERY_KINDS
            else None
        )
        try:
            result = run_import(actor=actor, importer=importer_for(kind, context), data=data)
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(rejected.errors)} problem(s) in {path}.") from None
        self.stdout.write(
            f"Imported {path}: {result.created} new, {result.updated} changed, {result.unchanged} unchanged."
        )
