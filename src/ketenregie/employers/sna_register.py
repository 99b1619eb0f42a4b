"""Import of the SNA register (Stichting Normering Arbeid, NEN 4400-1) as a full snapshot.

The register lists every certified and registered company in the country. The file is the whole register
on the day it was taken, so:

- an employer of the municipality listed as certified is certified since the listed date;
- an employer listed with another status (registered but not yet inspected, suspended) is not certified;
- an employer that was certified and is no longer listed as certified lost its certification: it lapses on
  the day of the import (``sna_certified_until``), and ``sna_certified_since`` is cleared;
- KvK numbers that are not employers of the municipality are ignored, and counted in the result.

Importing the same file twice changes nothing the second time. An empty file is refused: it would end
every certification at once, which is far more likely a broken export than the truth.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportResult, ParsedRow, RowError, chunked, form_errors
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import validate_kvk_number
from ketenregie.employers.models import Employer

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
CERTIFIED = "certified"
# The register's own words (normeringarbeid.nl) and English ones; only "certified" counts as certified.
STATUSES = {
    "gecertificeerd": CERTIFIED,
    "certified": CERTIFIED,
    "aangemeld": "registered",
    "registered": "registered",
    "opgeschort": "suspended",
    "suspended": "suspended",
}
SNA_FIELDS = ["sna_certified", "sna_certified_since", "sna_certified_until"]


class SnaRowForm(forms.Form):
    kvk_number = forms.CharField(validators=[validate_kvk_number])
    name = forms.CharField(required=False, max_length=500)
    registration_number = forms.CharField(required=False, max_length=40)
    status = forms.CharField()
    certified_since = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS)
    inspection_body = forms.CharField(required=False, max_length=200)

    def clean_status(self) -> str:
        value = self.cleaned_data["status"].strip().lower()
        if value not in STATUSES:
            raise forms.ValidationError(
                _("Unknown status “%(value)s”: use gecertificeerd, aangemeld or opgeschort.")
                % {"value": value}
            )
        return STATUSES[value]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since = data.get("certified_since")
        if data.get("status") == CERTIFIED and since is None and "certified_since" not in self.errors:
            self.add_error("certified_since", _("A certified company needs the date it was certified."))
        if since and since > timezone.localdate():
            self.add_error("certified_since", _("The certification date lies in the future."))
        return data


class SnaRegisterImporter:
    label = gettext_lazy("SNA register (NEN 4400-1)")
    model = Employer
    required_columns = ("kvk_number", "status", "certified_since")
    optional_columns = ("name", "registration_number", "inspection_body")

    def parse(
        self, actor: Actor, row: dict[str, str], number: int
    ) -> tuple[dict[str, Any] | None, list[RowError]]:
        actor.require(Capability.IMPORT_REGISTERS)
        form = SnaRowForm(row)
        if not form.is_valid():
            return None, form_errors(form, number)
        data = form.cleaned_data
        return {
            "kvk_number": data["kvk_number"],
            "certified": data["status"] == CERTIFIED,
            "since": data["certified_since"],
        }, []

    def check_together(self, actor: Actor, rows: list[ParsedRow[dict[str, Any]]]) -> list[RowError]:
        if not rows:
            return [
                RowError(
                    0, "", _("The register has no rows; an empty register would end every certification.")
                )
            ]
        counts = Counter(r.value["kvk_number"] for r in rows)
        return [
            RowError(
                r.number,
                "kvk_number",
                _("%(value)s appears more than once in the file.") % {"value": r.value["kvk_number"]},
            )
            for r in rows
            if counts[r.value["kvk_number"]] > 1
        ]

    def write(self, actor: Actor, rows: list[ParsedRow[dict[str, Any]]]) -> ImportResult:
        today, now = timezone.localdate(), timezone.now()
        listed = {r.value["kvk_number"]: r.value for r in rows}
        employers = {
            employer.kvk_number: employer
            for numbers in chunked(list(listed), 5000)
            for employer in Employer.objects.filter(municipality=actor.municipality, kvk_number__in=numbers)
        }
        changed: list[Employer] = []
        lapsed = 0
        for number, employer in employers.items():
            row = listed[number]
            if row["certified"]:
                target: tuple[bool, dt.date | None, dt.date | None] = (True, row["since"], None)
            elif employer.sna_certified:
                target = (False, None, today)
                lapsed += 1
            else:
                target = (False, None, employer.sna_certified_until)
            if _apply(employer, target):
                changed.append(employer)
        changed_listed = len(changed)
        # Certified employers the register no longer lists at all lost their certification.
        for employer in Employer.objects.filter(municipality=actor.municipality, sna_certified=True).exclude(
            pk__in=[e.pk for e in employers.values()]
        ):
            _apply(employer, (False, None, today))
            changed.append(employer)
            lapsed += 1
        Employer.objects.bulk_update(changed, [*SNA_FIELDS, "version"], batch_size=2000)
        Employer.objects.filter(pk__in=[e.pk for e in employers.values()]).update(sna_checked_at=now)
        ignored = len(listed) - len(employers)
        return ImportResult(
            updated=len(changed),
            unchanged=len(employers) - changed_listed,
            notes=[
                ngettext("%(count)d certification lapsed.", "%(count)d certifications lapsed.", lapsed)
                % {"count": lapsed},
                ngettext(
                    "%(count)d KvK number in the register is not an employer of this municipality "
                    "and was ignored.",
                    "%(count)d KvK numbers in the register are not employers of this municipality "
                    "and were ignored.",
                    ignored,
                )
                % {"count": ignored},
            ],
        )


def _apply(employer: Employer, target: tuple[bool, dt.date | None, dt.date | None]) -> bool:
    current = (employer.sna_certified, employer.sna_certified_since, employer.sna_certified_until)
    if current == target:
        return False
    employer.sna_certified, employer.sna_certified_since, employer.sna_certified_until = target
    employer.version += 1
    return True
