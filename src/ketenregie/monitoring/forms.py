from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.monitoring.models import Commitment, CommitmentKind, CommitmentStatus

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ManualValueForm(forms.Form):
    period_start = forms.DateField(label=_("From"), input_formats=DATE_INPUT_FORMATS, widget=_date_widget())
    period_end = forms.DateField(
        label=_("Until (last day)"), input_formats=DATE_INPUT_FORMATS, widget=_date_widget()
    )
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    source_note = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("For example the letter or report the figure comes from."),
    )
    confirm_outside_range = forms.BooleanField(
        label=_("I have checked this figure: it is right although it lies outside the plausible range"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, last = data.get("period_start"), data.get("period_end")
        if start and last and last < start:
            self.add_error("period_end", _("The last day lies before the first day."))
        if last and last > dt.date.today() + dt.timedelta(days=366):
            self.add_error("period_end", _("A figure cannot cover a period that far in the future."))
        return data


class CommitmentForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Commitment
        fields = [
            "kind",
            "number",
            "title",
            "adopted_on",
            "text",
            "owner",
            "due_on",
            "status",
            "response",
            "settlement_text",
            "settlement_proposed_on",
            "settled_on",
        ]
        widgets: dict[str, forms.Widget] = {
            name: _date_widget() for name in ("adopted_on", "due_on", "settlement_proposed_on", "settled_on")
        }
        widgets |= {
            name: forms.Textarea(attrs={"rows": 4}) for name in ("text", "response", "settlement_text")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("adopted_on", "due_on", "settlement_proposed_on", "settled_on"):
            self.fields[name].input_formats = DATE_INPUT_FORMATS  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def validate_unique(self) -> None:
        # The number is unique per municipality; the service knows the tenant and checks it.
        pass

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CommitmentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *CommitmentStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all")), *CommitmentKind.choices]
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
