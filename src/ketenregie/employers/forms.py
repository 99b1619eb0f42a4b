from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.employers.models import (
    Employer,
    EmployerKind,
    EscalationOutcome,
    RegistryCheckStatus,
    Violation,
    ViolationStatus,
)
from ketenregie.employers.selectors import EmployerFilter

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
TRISTATE = [("", _("all")), ("1", _("yes")), ("0", _("no"))]


def _tristate(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EmployerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or KvK number"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *EmployerKind.choices])
    sna_certified = forms.ChoiceField(label=_("SNA certified"), required=False, choices=TRISTATE)
    has_proven_violation = forms.ChoiceField(label=_("Proven violation"), required=False, choices=TRISTATE)
    covenant_member = forms.ChoiceField(label=_("Covenant member"), required=False, choices=TRISTATE)
    kvk_check = forms.ChoiceField(
        label=_("KvK check"),
        required=False,
        choices=[
            ("", _("all")),
            (RegistryCheckStatus.NOT_FOUND, _("unknown to the KvK")),
            (RegistryCheckStatus.ENDED, _("registration ended")),
            ("name_differs", _("name differs")),
            (RegistryCheckStatus.ERROR, _("check failed")),
            ("unchecked", _("not checked")),
        ],
    )
    order = forms.ChoiceField(
        label=_("Order by"),
        required=False,
        choices=[
            ("name", _("name")),
            ("-workers", _("most workers first")),
            ("-violations", _("most violations first")),
        ],
    )

    def to_filter(self) -> EmployerFilter:
        if not self.is_valid():
            return EmployerFilter()
        data = self.cleaned_data
        return EmployerFilter(
            search=data["q"],
            kind=data["kind"],
            sna_certified=_tristate(data["sna_certified"]),
            has_proven_violation=_tristate(data["has_proven_violation"]),
            covenant_member=_tristate(data["covenant_member"]),
            kvk_check=data["kvk_check"],
            order=data["order"] or "name",
        )


class EmployerForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Employer
        fields = [
            "kvk_number",
            "name",
            "kind",
            "sector",
            "sna_certified",
            "sna_certified_since",
            "branch_membership",
            "wtta_status",
        ]
        widgets = {"sna_certified_since": _date_widget()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sna_certified_since"].input_formats = DATE_INPUT_FORMATS  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sna_certified_since") and not data.get("sna_certified"):
            self.add_error(
                "sna_certified_since", _("A certification date needs the SNA certification ticked.")
            )
        since = data.get("sna_certified_since")
        if since and since > timezone.localdate():
            self.add_error("sna_certified_since", _("The certification date lies in the future."))
        return data

    def validate_unique(self) -> None:
        # Uniqueness per municipality is checked by the service, which knows the tenant.
        pass

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ViolationForm(forms.ModelForm):
    class Meta:
        model = Violation
        fields = ["kind", "status", "source", "occurred_on", "fine_amount", "description"]
        widgets = {"occurred_on": _date_widget(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].input_formats = DATE_INPUT_FORMATS  # type: ignore[attr-defined]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            c for c in ViolationStatus.choices if c[0] != ViolationStatus.DISMISSED
        ]

    def clean_occurred_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A violation cannot be dated in the future."))
        return value

    def clean_fine_amount(self) -> Any:
        value = self.cleaned_data["fine_amount"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("A fine cannot be negative."))
        return value


class CovenantJoinForm(forms.Form):
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Employer.objects.none())
    joined_on = forms.DateField(label=_("Joins on"), input_formats=DATE_INPUT_FORMATS, widget=_date_widget())

    def __init__(self, *args: Any, employers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]


class EscalationConcludeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[c for c in EscalationOutcome.choices if c[0]])
    concluded_on = forms.DateField(
        label=_("Concluded on"), input_formats=DATE_INPUT_FORMATS, widget=_date_widget()
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
