from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.retention.models import PeriodUnit


class PolicyForm(forms.Form):
    amount = forms.IntegerField(label=_("Period"), min_value=1)
    unit = forms.ChoiceField(label=_("Unit"), choices=PeriodUnit.choices)
    basis = forms.CharField(
        label=_("Basis"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The source or reasoning of this period, e.g. the Selectielijst category."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm = forms.BooleanField(
        label=_("I confirm: records older than this period are removed at the next nightly purge."),
        required=True,
        error_messages={"required": _("Confirm the change of the period.")},
    )


class HoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the hold"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example an objection, appeal, WOO request or criminal investigation."),
    )


class HoldByReferenceForm(HoldForm):
    case_reference = forms.CharField(
        label=_("Case"), max_length=30, help_text=_("For example Z-2024-000123.")
    )

    field_order = ["case_reference", "reason"]


class LiftForm(forms.Form):
    lift_reason = forms.CharField(
        label=_("Reason for lifting the hold"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
