from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.housing.models import HousingPermit, LocationKind, PermitStatus, QualityMark
from ketenregie.housing.selectors import LocationFilter, QualityMarkState

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LocationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Name, provider or street.")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *LocationKind.choices])
    quality_mark = forms.ChoiceField(
        label=_("Quality mark"),
        required=False,
        choices=[
            ("", _("all")),
            (QualityMarkState.VALID, _("valid")),
            (QualityMarkState.EXPIRING, _("expiring soon")),
            (QualityMarkState.NONE, _("none valid")),
        ],
    )
    permit = forms.ChoiceField(
        label=_("Valid permit"), required=False, choices=[("", _("all")), ("1", _("yes")), ("0", _("no"))]
    )

    def to_filter(self) -> LocationFilter:
        if not self.is_valid():
            return LocationFilter()
        data = self.cleaned_data
        return LocationFilter(
            search=data["q"],
            kind=data["kind"],
            quality_mark=data["quality_mark"],
            has_valid_permit={"1": True, "0": False}.get(data["permit"]),
        )


class QualityMarkForm(forms.ModelForm):
    class Meta:
        model = QualityMark
        fields = ["scheme", "certificate_number", "valid_from", "valid_until", "last_inspected_on"]
        widgets = {
            "valid_from": _date_widget(),
            "valid_until": _date_widget(),
            "last_inspected_on": _date_widget(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("valid_from", "valid_until", "last_inspected_on"):
            self.fields[name].input_formats = DATE_INPUT_FORMATS  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The end of validity lies before its start."))
        return data


class PermitForm(forms.ModelForm):
    class Meta:
        model = HousingPermit
        fields = ["number", "status", "decided_on", "valid_from", "valid_until", "max_persons"]
        widgets = {"decided_on": _date_widget(), "valid_from": _date_widget(), "valid_until": _date_widget()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("decided_on", "valid_from", "valid_until"):
            self.fields[name].input_formats = DATE_INPUT_FORMATS  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == PermitStatus.GRANTED and not data.get("valid_from"):
            self.add_error("valid_from", _("A granted permit needs a start date."))
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The end of validity lies before its start."))
        return data

    def validate_unique(self) -> None:
        # The permit number is unique per municipality; the service checks it with the tenant known.
        pass
