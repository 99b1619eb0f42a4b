"""``ketenregie zgw export --case Z-2026-000123`` prints the bodies a push sends (one JSON object);
``ketenregie zgw push --case Z-2026-000123`` or ``--closed-since 2026-01-01 --municipality 0599`` registers
cases in the zaaksysteem (docs/zgw.md)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.cases.models import Case
from ketenregie.cases.zgw_client import ZgwConfig, ZgwError
from ketenregie.cases.zgw_push import case_export, closed_since, zgw_push
from ketenregie.core.actor import Actor
from ketenregie.core.commands import municipality_option

if TYPE_CHECKING:
    from ketenregie.core.models import Municipality

REFERENCE = re.compile(r"^Z-(?P<year>\d{4})-(?P<number>\d{6,})$")


def _case(reference: str, municipality_code: str | None) -> tuple[Case, Actor]:
    match = REFERENCE.match(reference.strip())
    if match is None:
        raise CommandError(f"{reference!r} is not a case number such as Z-2026-000123.")
    case = Case.objects.select_related("municipality").filter(pk=int(match["number"])).first()
    if case is None or case.reference != reference.strip():
        raise CommandError(f"There is no case {reference}.")
    if municipality_code and case.municipality.code != municipality_code:
        raise CommandError(f"Case {reference} is not a case of municipality {municipality_code}.")
    return case, Actor.system(case.municipality, name="zgw")


def _municipality(code: str | None) -> Municipality:
    if not code:
        raise CommandError("--closed-since needs --municipality (the CBS code, e.g. 0599).")
    return municipality_option(code)


class Command(BaseCommand):
    help = "Export cases as ZGW Zaken API bodies, or push them to the configured zaaksysteem."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="print the bodies a push sends for one case, as JSON")
        export.add_argument("--case", required=True, help="case number, e.g. Z-2026-000123")
        export.add_argument("--municipality", help="CBS code; when given, the case must belong to it")
        push = sub.add_parser("push", help="register cases in the zaaksysteem, or update them there")
        which = push.add_mutually_exclusive_group(required=True)
        which.add_argument("--case", help="case number, e.g. Z-2026-000123")
        which.add_argument("--closed-since", type=dt.date.fromisoformat, help="every case closed on or after")
        push.add_argument("--municipality", help="CBS code (needed with --closed-since)")

    def handle(self, *args: Any, **options: Any) -> None:
        config = ZgwConfig.from_settings()
        if options["action"] == "export":
            case, actor = _case(options["case"], options.get("municipality"))
            try:
                bodies = case_export(actor=actor, case=case, config=config)
            except ZgwError as error:
                raise CommandError(error.describe()) from None
            if not config.can_resolve:
                self.stderr.write(
                    "No Catalogi API is configured: zaaktype, statustype, resultaattype and roltype are "
                    "placeholders under https://catalogi.invalid/ (see docs/zgw.md)."
                )
            if not case.zgw_zaak_url:
                self.stderr.write(
                    "The case is not registered yet: its zaak URL is a placeholder under https://zaken.invalid/."
                )
            self.stdout.write(json.dumps(bodies, indent=2, ensure_ascii=False))
            return
        if options.get("case"):
            case, actor = _case(options["case"], options.get("municipality"))
            cases = [case]
        else:
            actor = Actor.system(_municipality(options.get("municipality")), name="zgw")
            cases = list(closed_since(actor=actor, since=options["closed_since"]))
        failed = 0
        for case in cases:
            try:
                result = zgw_push(actor=actor, case=case, config=config)
            except ZgwError as error:
                raise CommandError(error.describe()) from None
            if result.ok:
                what = "created" if result.created else ("updated" if result.changes else "unchanged")
                self.stdout.write(f"{case.reference}: {what} {result.zaak_url}")
            else:
                failed += 1
                self.stderr.write(f"{case.reference}: failed: {result.error}")
        self.stdout.write(f"Pushed {len(cases) - failed} of {len(cases)} case(s); {failed} failed.")
        if failed:
            raise CommandError(f"{failed} case(s) could not be pushed; run the push again to retry.")
