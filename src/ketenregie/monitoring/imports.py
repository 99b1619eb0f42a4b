"""CSV imports for monitoring, all-or-nothing: council commitments as registers export them, and
benchmark figures as CBS and Divosa publish them."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportResult, ParsedRow, RowError, form_errors
from ketenregie.core.permissions import Capability
from ketenregie.monitoring.models import BenchmarkFigure, Commitment, CommitmentKind, CommitmentStatus

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
# Council registers export Dutch labels; accept them and the code names.
KIND_LABELS = {
    "motie": CommitmentKind.MOTION,
    "toezegging": CommitmentKind.PROMISE,
    "rekenkameraanbeveling": CommitmentKind.AUDIT_RECOMMENDATION,
    "aanbeveling": CommitmentKind.AUDIT_RECOMMENDATION,
    **{k: k for k in CommitmentKind.values},
}
STATUS_LABELS = {
    "open": CommitmentStatus.OPEN,
    "in behandeling": CommitmentStatus.IN_PROGRESS,
    "voorstel afdoening": CommitmentStatus.PROPOSED_SETTLED,
    "afgedaan": CommitmentStatus.SETTLED,
    **{k: k for k in CommitmentStatus.values},
}
COMMITMENT_COLUMNS = {
    "nummer": "number",
    "titel": "title",
    "soort": "kind",
    "datum": "adopted_on",
    "tekst": "text",
    "eigenaar": "owner",
    "streefdatum": "due_on",
    "status": "status",
    "reactie": "response",
    "afdoeningsvoorstel": "settlement_text",
    "datum_afdoeningsvoorstel": "settlement_proposed_on",
    "afgedaan_op": "settled_on",
}


class CommitmentRowForm(forms.Form):
    number = forms.CharField(max_length=40)
    title = forms.CharField(max_length=300)
    kind = forms.CharField()
    adopted_on = forms.DateField(input_formats=DATE_INPUT_FORMATS)
    text = forms.CharField(required=False)
    owner = forms.CharField(required=False, max_length=200)
    due_on = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS)
    status = forms.CharField(required=False)
    response = forms.CharField(required=False)
    settlement_text = forms.CharField(required=False)
    settlement_proposed_on = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS)
    settled_on = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS)

    def clean_kind(self) -> str:
        value = self.cleaned_data["kind"].strip().lower()
        if value not in KIND_LABELS:
            raise forms.ValidationError(
                _("Unknown kind %(value)s; use motie, toezegging or rekenkameraanbeveling.")
                % {"value": value}
            )
        return str(KIND_LABELS[value])

    def clean_status(self) -> str:
        value = (self.cleaned_data["status"] or "open").strip().lower()
        if value not in STATUS_LABELS:
            raise forms.ValidationError(
                _("Unknown status %(value)s; use open, in behandeling, voorstel afdoening or afgedaan.")
                % {"value": value}
            )
        return str(STATUS_LABELS[value])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        adopted = data.get("adopted_on")
        for name in ("due_on", "settlement_proposed_on", "settled_on"):
            if adopted and data.get(name) and data[name] < adopted:
                self.add_error(name, _("This date lies before the date the commitment was made."))
        if data.get("status") == CommitmentStatus.SETTLED and not data.get("settled_on"):
            self.add_error("settled_on", _("A settled commitment needs the date the council settled it."))
        return data


class CommitmentImporter:
    label = gettext_lazy("commitments")
    model = Commitment
    required_columns = ("nummer", "titel", "soort", "datum")
    optional_columns = tuple(c for c in COMMITMENT_COLUMNS if c not in ("nummer", "titel", "soort", "datum"))

    def parse(
        self, actor: Actor, row: dict[str, str], number: int
    ) -> tuple[dict[str, Any] | None, list[RowError]]:
        actor.require(Capability.EDIT_MONITORING)
        form = CommitmentRowForm({COMMITMENT_COLUMNS[k]: v for k, v in row.items()})
        if not form.is_valid():
            reverse = {v: k for k, v in COMMITMENT_COLUMNS.items()}
            return None, [
                RowError(e.row, reverse.get(e.column, e.column), e.message) for e in form_errors(form, number)
            ]
        return dict(form.cleaned_data), []

    def check_together(self, actor: Actor, rows: list[ParsedRow[dict[str, Any]]]) -> list[RowError]:
        counts = Counter(r.value["number"] for r in rows)
        return [
            RowError(
                r.number,
                "nummer",
                _("%(value)s appears more than once in the file.") % {"value": r.value["number"]},
            )
            for r in rows
            if counts[r.value["number"]] > 1
        ]

    def write(self, actor: Actor, rows: list[ParsedRow[dict[str, Any]]]) -> ImportResult:
        existing = {
            c.number: c
            for c in Commitment.objects.filter(
                municipality=actor.municipality, number__in=[r.value["number"] for r in rows]
            )
        }
        result = ImportResult()
        for row in rows:
            commitment = existing.get(row.value["number"])
            if commitment is None:
                Commitment.objects.create(municipality=actor.municipality, **row.value)
                result.created += 1
            elif any(getattr(commitment, k) != v for k, v in row.value.items()):
                for key, value in row.value.items():
                    setattr(commitment, key, value)
                commitment.version += 1
                commitment.save()
                result.updated += 1
            else:
                result.unchanged += 1
        return result


class BenchmarkRowForm(forms.Form):
    bron = forms.CharField(max_length=60)
    indicator = forms.CharField(max_length=200)
    code = forms.CharField(required=False, max_length=10)
    naam = forms.CharField(max_length=200)
    periode = forms.RegexField(
        regex=r"^\d{4}(-(Q[1-4]|\d{2}|H[12]))?$",
        max_length=20,
        error_messages={"invalid": gettext_lazy("Use a period such as 2024, 2024-Q3, 2024-H1 or 2024-06.")},
    )
    waarde = forms.DecimalField(max_digits=14, decimal_places=2)
    eenheid = forms.CharField(required=False, max_length=20)


class BenchmarkImporter:
    label = gettext_lazy("benchmark figures")
    model = BenchmarkFigure
    required_columns = ("bron", "indicator", "naam", "periode", "waarde")
    optional_columns = ("code", "eenheid")

    def parse(
        self, actor: Actor, row: dict[str, str], number: int
    ) -> tuple[dict[str, Any] | None, list[RowError]]:
        actor.require(Capability.EDIT_MONITORING)
        form = BenchmarkRowForm({k: v.replace(",", ".") if k == "waarde" else v for k, v in row.items()})
        if not form.is_valid():
            return None, form_errors(form, number)
        data = form.cleaned_data
        return {
            "source": data["bron"],
            "indicator": data["indicator"],
            "subject_code": data["code"],
            "subject_name": data["naam"],
            "period": data["periode"],
            "value": data["waarde"],
            "unit": data["eenheid"],
        }, []

    def check_together(self, actor: Actor, rows: list[ParsedRow[dict[str, Any]]]) -> list[RowError]:
        def key(value: dict[str, Any]) -> tuple[str, ...]:
            return (value["source"], value["indicator"], value["subject_name"], value["period"])

        counts = Counter(key(r.value) for r in rows)
        return [
            RowError(
                r.number, "", _("The same figure (source, indicator, name, period) appears more than once.")
            )
            for r in rows
            if counts[key(r.value)] > 1
        ]

    def write(self, actor: Actor, rows: list[ParsedRow[dict[str, Any]]]) -> ImportResult:
        result = ImportResult()
        for row in rows:
            value = row.value
            _figure, created = BenchmarkFigure.objects.update_or_create(
                municipality=actor.municipality,
                source=value["source"],
                indicator=value["indicator"],
                subject_name=value["subject_name"],
                period=value["period"],
                defaults={
                    "subject_code": value["subject_code"],
                    "value": value["value"],
                    "unit": value["unit"],
                },
            )
            if created:
                result.created += 1
            else:
                result.updated += 1
        return result
