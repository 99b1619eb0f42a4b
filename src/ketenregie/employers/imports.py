"""CSV import of employers, keyed on the KvK number (insert or update)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportResult, ParsedRow, RowError, chunked, form_errors
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import validate_kvk_number
from ketenregie.employers.models import BranchMembership, Employer, EmployerKind, WttaStatus
from ketenregie.employers.registry import employers_check_kvk_after_commit
from ketenregie.people.models import Sector

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
FIELDS = (
    "kvk_number",
    "name",
    "kind",
    "sector",
    "sna_certified",
    "sna_certified_since",
    "branch_membership",
    "wtta_status",
)
_YES = {"ja", "j", "yes", "y", "1", "true", "waar"}
_NO = {"nee", "n", "no", "0", "false", "onwaar", ""}


class EmployerRowForm(forms.Form):
    kvk_number = forms.CharField(validators=[validate_kvk_number])
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=EmployerKind.choices)
    sector = forms.ChoiceField(required=False, choices=[("", ""), *Sector.choices])
    sna_certified = forms.CharField(required=False)
    sna_certified_since = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS)
    branch_membership = forms.ChoiceField(required=False, choices=BranchMembership.choices)
    wtta_status = forms.ChoiceField(required=False, choices=[("", ""), *WttaStatus.choices])

    def clean_sna_certified(self) -> bool:
        value = self.cleaned_data["sna_certified"].strip().lower()
        if value in _YES:
            return True
        if value in _NO:
            return False
        raise forms.ValidationError(_("Use ja or nee."))

    def clean_sna_certified_since(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data["sna_certified_since"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The certification date lies in the future."))
        return value


class EmployerImporter:
    label = gettext_lazy("employers")
    model = Employer
    required_columns = ("kvk_number", "name", "kind")
    optional_columns = ("sector", "sna_certified", "sna_certified_since", "branch_membership", "wtta_status")

    def parse(
        self, actor: Actor, row: dict[str, str], number: int
    ) -> tuple[dict[str, Any] | None, list[RowError]]:
        actor.require(Capability.IMPORT_REGISTERS)
        form = EmployerRowForm(row)
        if not form.is_valid():
            return None, form_errors(form, number)
        data = dict(form.cleaned_data)
        data["sector"] = data["sector"] or Sector.OTHER
        data["wtta_status"] = data["wtta_status"] or WttaStatus.NOT_APPLICABLE
        if data["sna_certified_since"] and not data["sna_certified"]:
            return None, [
                RowError(number, "sna_certified_since", _("A certification date needs sna_certified = ja."))
            ]
        return data, []

    def check_together(self, actor: Actor, rows: list[ParsedRow[dict[str, Any]]]) -> list[RowError]:
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
        existing = {
            employer.kvk_number: employer
            for numbers in chunked([r.value["kvk_number"] for r in rows], 5000)
            for employer in Employer.objects.filter(municipality=actor.municipality, kvk_number__in=numbers)
        }
        to_create, to_update = [], []
        for row in rows:
            employer = existing.get(row.value["kvk_number"])
            if employer is None:
                to_create.append(Employer(municipality=actor.municipality, **row.value))
            elif any(getattr(employer, name) != value for name, value in row.value.items()):
                for name, value in row.value.items():
                    setattr(employer, name, value)
                employer.version += 1
                to_update.append(employer)
        Employer.objects.bulk_create(to_create, batch_size=2000)
        Employer.objects.bulk_update(to_update, [*FIELDS, "version"], batch_size=2000)
        return ImportResult(
            created=len(to_create),
            updated=len(to_update),
            unchanged=len(rows) - len(to_create) - len(to_update),
            notes=_check_new_employers(actor, to_create),
        )


def _check_new_employers(actor: Actor, created: list[Employer]) -> list[str]:
    """Look the first few new employers up in the KvK once the import commits; the rest later.

    A thousand HTTP calls would hold the upload for minutes: the others are checked by the button on
    their page, their first delivery, or ``ketenregie check-kvk``.
    """
    if not settings.KVK_API_URL or not created:
        return []
    inline = created[: settings.KVK_IMPORT_INLINE_CHECKS]
    employers_check_kvk_after_commit(actor, inline)
    later = len(created) - len(inline)
    if not later:
        return [_("The new employers are looked up in the KvK.")]
    return [
        _("%(now)d new employers are looked up in the KvK now; %(later)d later.")
        % {"now": len(inline), "later": later}
    ]
