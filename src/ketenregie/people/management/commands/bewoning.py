from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.core.actor import Actor
from ketenregie.core.commands import municipality_option
from ketenregie.people.occupancy.queries import bewoningen
from ketenregie.people.occupancy.request import PEILDATUM, PERIODE, parse_request
from ketenregie.places.selectors import municipalities_knowing

if TYPE_CHECKING:
    from ketenregie.core.models import Municipality


class Command(BaseCommand):
    help = (
        "Who lived at an addressable object on a date (--peildatum) or in a period (--van/--tot), "
        "as JSON in the shape of the BRP Bewoning API."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--object", required=True, help="Adresseerbaar object identificatie (16 digits).")
        parser.add_argument("--peildatum", help="YYYY-MM-DD")
        parser.add_argument("--van", help="YYYY-MM-DD, first day of the period")
        parser.add_argument("--tot", help="YYYY-MM-DD, first day after the period")
        parser.add_argument(
            "--municipality",
            help="CBS code of the register to ask; needed only when several municipalities know the object.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["peildatum"] and (options["van"] or options["tot"]):
            raise CommandError("Give either --peildatum or --van and --tot, not both.")
        if options["peildatum"]:
            body = {"type": PEILDATUM, "peildatum": options["peildatum"]}
        else:
            body = {"type": PERIODE, "datumVan": options["van"], "datumTot": options["tot"]}
        body["adresseerbaarObjectIdentificatie"] = options["object"]
        parsed, problems = parse_request({k: v for k, v in body.items() if v is not None})
        if parsed is None:
            raise CommandError("; ".join(f"{p.name}: {p.reason}" for p in problems))
        municipality = self._municipality(parsed.object_id, options["municipality"])
        if municipality is None:
            self.stdout.write(json.dumps({"bewoningen": []}, indent=2))
            return
        actor = Actor.system(municipality, name="bewoning")
        answer = bewoningen(actor=actor, object_id=parsed.object_id, van=parsed.van, tot=parsed.tot)
        self.stdout.write(json.dumps(answer.to_api(), indent=2, ensure_ascii=False))

    def _municipality(self, object_id: str, code: str | None) -> Municipality | None:
        if code:
            return municipality_option(code)
        knowing = municipalities_knowing(object_id)
        if len(knowing) > 1:
            raise CommandError("Several municipalities know this object; choose one with --municipality.")
        return knowing[0] if knowing else None
