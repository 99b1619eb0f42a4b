from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import AuditAction
from ketenregie.core.selectors import AuditFilter

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("all")), *AuditAction.choices]
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=60,
        help_text=_("For example people.person or places.address."),
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_until = forms.DateField(
        label=_("Until"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_until") and data["date_until"] < data["date_from"]:
            self.add_error("date_until", _("The end date lies before the start date."))
        return data

    def to_filter(self) -> AuditFilter:
        if not self.is_valid():
            return AuditFilter()
        return AuditFilter(**{name: self.cleaned_data[name] for name in self.fields})
