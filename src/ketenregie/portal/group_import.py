"""Group registration: an employer's CSV of workers' stay addresses for a registration moment.

It runs through core.imports, so the file is all-or-nothing: every bad row is reported with its number
and reason, and nothing is written until the whole file is clean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportResult, ParsedRow, RowError, form_errors
from ketenregie.places.selectors import address_find
from ketenregie.portal.forms import GroupRowForm
from ketenregie.portal.models import CodeChannel, Flag, ReporterKind, SelfServiceReport
from ketenregie.portal.services import AddressUpdate, address_update_apply

MAX_ROWS = 1000

# The file-level messages of core.imports appear on the portal too: listed here so the portal's own
# catalogue carries them in all ten languages (the staff catalogue has Dutch only).
CORE_IMPORT_MESSAGES = (
    gettext_noop("The file is not UTF-8 text (byte %(pos)d). Save it as CSV UTF-8."),
    gettext_noop("The file is empty."),
    gettext_noop("Missing columns: %(columns)s."),
    gettext_noop("Unknown columns: %(columns)s. Allowed: %(allowed)s."),
    gettext_noop("Columns named twice: %(columns)s."),
    gettext_noop("This row has %(found)d fields; the header has %(expected)d."),
    gettext_noop("The file has a header but no rows."),
)


@dataclass(frozen=True)
class Employer:
    """Who uploads: identified by KvK number and an e-mail address that received a code."""

    kvk_number: str
    name: str
    email: str


class GroupRegistrationImporter:
    label = "group registration"
    required_columns: Sequence[str] = (
        "given_names",
        "surname",
        "birth_date",
        "nationality",
        "postcode",
        "house_number",
        "living_since",
    )
    optional_columns: Sequence[str] = ("house_letter", "house_number_addition", "email", "phone")
    model = SelfServiceReport

    def __init__(self, *, employer: Employer, activity: Any, language: str) -> None:
        self.employer = employer
        self.activity = activity
        self.language = language
        self.flagged = 0

    def parse(
        self, actor: Actor, row: dict[str, str], number: int
    ) -> tuple[AddressUpdate | None, list[RowError]]:
        if number > MAX_ROWS + 1:
            return None, [
                RowError(number, "", _("A list can have at most %(max)d workers.") % {"max": MAX_ROWS})
            ]
        form = GroupRowForm(row)
        if not form.is_valid():
            return None, form_errors(form, number)
        data = form.cleaned_data
        address = address_find(
            actor=actor,
            postcode=data["postcode"],
            house_number=data["house_number"],
            house_letter=data["house_letter"],
            house_number_addition=data["house_number_addition"],
        )
        if address is None:
            return None, [
                RowError(
                    number,
                    "postcode",
                    _("We cannot find this address in the address register of %(municipality)s.")
                    % {"municipality": actor.municipality.name},
                )
            ]
        if data["birth_date"] > data["living_since"]:
            return None, [RowError(number, "living_since", _("This date is before the date of birth."))]
        return AddressUpdate(
            reporter=ReporterKind.GROUP,
            given_names=data["given_names"],
            surname=data["surname"],
            birth_date=data["birth_date"],
            nationality=data["nationality"],
            address_id=address.pk,
            starts_on=data["living_since"],
            language=self.language,
            email=data["email"],
            phone=data["phone"],
            employer_kvk=self.employer.kvk_number,
            employer_name=self.employer.name,
            employer_email=self.employer.email,
            consent=True,
        ), []

    def check_together(self, actor: Actor, rows: list[ParsedRow[AddressUpdate]]) -> list[RowError]:
        errors = []
        seen: dict[str, int] = {}
        for row in rows:
            key = row.value.identity_key
            if key in seen:
                errors.append(
                    RowError(row.number, "", _("This worker is also in row %(row)d.") % {"row": seen[key]})
                )
            else:
                seen[key] = row.number
        return errors

    def write(self, actor: Actor, rows: list[ParsedRow[AddressUpdate]]) -> ImportResult:
        result = ImportResult()
        for row in rows:
            report = address_update_apply(
                actor=actor,
                update=row.value,
                verified_by=CodeChannel.EMAIL,
                reporter=ReporterKind.GROUP,
                activity=self.activity,
            )
            if report.person_created:
                result.created += 1
            else:
                result.updated += 1
            if set(report.flags) - {Flag.NOT_REGISTERED}:
                self.flagged += 1
        return result
