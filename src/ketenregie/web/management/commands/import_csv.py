from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.core.actor import Actor
from ketenregie.core.commands import municipality_option
from ketenregie.core.imports import ImportConflict, ImportRejected, run_import
from ketenregie.deliveries.models import DeliveryChannel, DeliveryObligation, DeliverySource
from ketenregie.deliveries.services import DeliveryContext, delivery_context_for, delivery_refused
from ketenregie.web.import_kinds import IMPORT_KINDS, importer_for, is_delivery


class Command(BaseCommand):
    help = (
        "Import addresses, people, employers or the SNA register, or a delivery (labour migrants, "
        "employments) from a CSV file; all rows or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, choices=sorted(IMPORT_KINDS))
        parser.add_argument("--municipality", required=True, help="CBS municipality code, e.g. 0599")
        delivery = parser.add_argument_group("deliveries (--kind labour-migrants or employments)")
        delivery.add_argument(
            "--employer", default="", help="KvK number of the delivering employer, agency or provider"
        )
        delivery.add_argument("--source", default="", choices=["", *DeliverySource.values])
        delivery.add_argument("--obligation", default="", choices=["", *DeliveryObligation.values])

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        municipality = municipality_option(options["municipality"])
        actor = Actor.system(municipality, name=f"import-csv {options['kind']}")
        data = path.read_bytes()
        context: DeliveryContext | None = None
        if is_delivery(options["kind"]):
            try:
                context = delivery_context_for(
                    actor=actor,
                    kind=options["kind"],
                    channel=DeliveryChannel.FILE,
                    employer_kvk=options["employer"],
                    source=options["source"],
                    obligation=options["obligation"],
                    file_name=path.name,
                ).with_data(data)
            except (PermissionDenied, ValidationError) as error:
                raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        importer = importer_for(options["kind"], context)
        try:
            result = run_import(actor=actor, importer=importer, data=data)
        except ImportConflict as conflict:
            raise CommandError(str(conflict)) from None
        except ImportRejected as rejected:
            delivery_refused(actor=actor, importer=importer, error_count=len(rejected.errors))
            for problem in rejected.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing imported: {len(rejected.errors)} problem(s) in {path}.") from None
        review = getattr(importer, "review_count", 0)
        self.stdout.write(
            f"Imported {path}: {result.created} new, {result.updated} changed, {result.unchanged} unchanged"
            + (f", {review} to review by civil affairs." if context is not None else ".")
        )
        for note in result.notes:
            self.stdout.write(note)
