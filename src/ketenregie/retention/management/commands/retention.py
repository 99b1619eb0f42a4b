"""``ketenregie retention purge [--as-of DATE] [--dry-run] [--json]`` and ``ketenregie retention policy``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from ketenregie.core.commands import date_option, municipality_option
from ketenregie.core.selectors import municipalities
from ketenregie.retention import selectors, services
from ketenregie.retention.models import RecordType

if TYPE_CHECKING:
    from ketenregie.core.models import Municipality


def _municipalities(code: str | None) -> list[Municipality]:
    if code:
        return [municipality_option(code)]
    found = list(municipalities())
    if not found:
        raise CommandError("There is no municipality yet")
    return found


class Command(BaseCommand):
    help = (
        "Retention: remove what is due under each municipality's retention periods (purge), or print "
        "the periods (policy). The purge runs nightly; --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        purge = actions.add_parser("purge", help="remove the records whose retention period has passed")
        purge.add_argument("--municipality", help="CBS code; all municipalities when left out")
        purge.add_argument("--as-of", dest="as_of", help="the day to purge as of, YYYY-MM-DD (default today)")
        purge.add_argument(
            "--dry-run", dest="dry_run", action="store_true", help="count only; change nothing"
        )
        purge.add_argument("--json", action="store_true", help="print {recordType: {due, removed}}")
        policy = actions.add_parser("policy", help="print the retention period of every record type")
        policy.add_argument("--municipality", help="CBS code; all municipalities when left out")
        policy.add_argument("--json", action="store_true", help="print the periods as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):
            if options["action"] == "purge":
                self.purge(options)
            else:
                self.policy(options)

    def purge(self, options: dict[str, Any]) -> None:
        as_of = date_option(options.get("as_of"), "--as-of")
        municipalities = _municipalities(options.get("municipality"))
        totals = {key: {"due": 0, "removed": 0} for key in RecordType.values}
        try:
            results = services.purge_municipalities(municipalities, as_of=as_of, dry_run=options["dry_run"])
            # Events of no municipality belong to every run over all municipalities.
            unassigned = (
                None
                if options.get("municipality")
                else services.purge_unassigned_audit_events(as_of=as_of, dry_run=options["dry_run"])
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if unassigned is not None:
            totals[RecordType.AUDIT_TRAIL]["due"] += unassigned["due"]
            totals[RecordType.AUDIT_TRAIL]["removed"] += unassigned["removed"]
            if not options["json"]:
                shown = unassigned["due"] if options["dry_run"] else unassigned["removed"]
                self.stdout.write(f"Audit events of no municipality: {shown}")
        for municipality, result in results:
            for key, row in result.counts.items():
                totals[key]["due"] += row["due"]
                totals[key]["removed"] += row["removed"]
            if not options["json"]:
                self._report(municipality, result)
        if options["json"]:
            self.stdout.write(json.dumps(totals, indent=2))

    def _report(self, municipality: Municipality, result: services.PurgeResult) -> None:
        verb = "due (dry run, nothing removed)" if result.dry_run else "removed"
        self.stdout.write(f"{municipality.name} as of {result.as_of}: {verb}")
        for key, row in result.counts.items():
            shown = row["due"] if result.dry_run else row["removed"]
            self.stdout.write(f"  {key:<22} {shown:>8}")

    def policy(self, options: dict[str, Any]) -> None:
        out: dict[str, Any] = {}
        for municipality in _municipalities(options.get("municipality")):
            rows = selectors.policy(municipality)
            if options["json"]:
                out[municipality.code] = {
                    row.record_type: {
                        "amount": row.period.amount,
                        "unit": row.period.unit,
                        "default": row.is_default,
                        "countedFrom": row.counted_from,
                        "basis": row.basis,
                    }
                    for row in rows
                }
                continue
            self.stdout.write(f"{municipality.name} ({municipality.code})")
            for row in rows:
                marker = "" if row.is_default else "  (own period)"
                self.stdout.write(
                    f"  {row.record_type:<22} {row.period.label():<10} from {row.counted_from}{marker}"
                )
                self.stdout.write(f"  {'':<22} {row.basis}")
        if options["json"]:
            self.stdout.write(json.dumps(out, indent=2))
