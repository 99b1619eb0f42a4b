from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.core.actor import Actor
from ketenregie.core.commands import municipality_option
from ketenregie.signals.services import train_classifier


class Command(BaseCommand):
    help = (
        "Train the category suggestion for meldingen on one municipality's own triaged meldingen, and "
        "report its accuracy on a held-out fifth."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="CBS municipality code, e.g. 0599")
        parser.add_argument("--limit", type=int, default=20_000, help="at most this many recent meldingen")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_option(options["municipality"])
        actor = Actor.system(municipality, name="train-signal-classifier")
        try:
            stored = train_classifier(actor=actor, limit=options["limit"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        accuracy = "unknown" if stored.accuracy is None else f"{100 * stored.accuracy:.1f}%"
        self.stdout.write(
            f"Trained on {stored.samples:,} triaged meldingen of {municipality.name}; "
            f"accuracy on {stored.held_out:,} held out: {accuracy}."
        )
        per_label = stored.model.get("per_label_accuracy", {})
        for label, value in sorted(per_label.items()):
            self.stdout.write(f"  {label:<22} {100 * value:5.1f}%")
