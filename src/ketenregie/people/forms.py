from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.core.countries import country_choices
from ketenregie.core.validators import normalise_postcode
from ketenregie.people.models import (
    Person,
    RegistrationStatus,
    ResidenceSource,
    Sector,
    VerificationMethod,
    VerificationStatus,
)
from ketenregie.people.selectors import PersonFilter
from ketenregie.people.verification import next_statuses

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or BSN"), required=False, max_length=100)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, choices=country_choices)
    registration_status = forms.ChoiceField(
        label=_("Registration"), required=False, choices=[("", _("all")), *RegistrationStatus.choices]
    )
    labour_migrant = forms.ChoiceField(
        label=_("Labour migrant"), required=False, choices=[("", _("all")), ("1", _("yes")), ("0", _("no"))]
    )

    def to_filter(self) -> PersonFilter:
        if not self.is_valid():
            return PersonFilter()
        data = self.cleaned_data
        return PersonFilter(
            search=data["q"],
            nationality=data["nationality"],
            registration_status=data["registration_status"],
            labour_migrant={"1": True, "0": False}.get(data["labour_migrant"]),
        )


class PersonForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    languages_text = forms.CharField(
        label=_("Languages"), required=False, help_text=_("ISO 639-1 codes separated by commas, e.g. pl, en.")
    )

    class Meta:
        model = Person
        fields = [
            "bsn",
            "given_names",
            "surname_prefix",
            "surname",
            "birth_date",
            "nationality",
            "registration_status",
            "phone",
            "email",
            "is_secret",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].input_formats = DATE_INPUT_FORMATS  # type: ignore[attr-defined]
        # A selection from the maintained list, never free text: "Polen" cannot be typed.
        self.fields["nationality"] = forms.ChoiceField(
            label=_("Nationality"), required=False, choices=country_choices
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["languages_text"].initial = ", ".join(self.instance.languages or [])
        else:
            self.fields["version"].required = False

    def clean_birth_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data["birth_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("A date of birth cannot lie in the future."))
        if value and value.year < 1900:
            raise forms.ValidationError(_("A date of birth before 1900 is not plausible."))
        return value

    def clean_languages_text(self) -> list[str]:
        codes = [
            code.strip().lower() for code in self.cleaned_data["languages_text"].split(",") if code.strip()
        ]
        bad = [code for code in codes if len(code) != 2 or not code.isalpha()]
        if bad:
            raise forms.ValidationError(
                _("Not a two-letter language code: %(codes)s") % {"codes": ", ".join(bad)}
            )
        return codes

    def changes(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["languages"] = self.cleaned_data["languages_text"]
        return data


class MoveForm(forms.Form):
    """Register a new living address for a person."""

    postcode = forms.CharField(label=_("Postcode"), max_length=7)
    house_number = forms.IntegerField(label=_("House number"), min_value=1, max_value=99999)
    house_letter = forms.CharField(label=_("House letter"), max_length=1, required=False)
    house_number_addition = forms.CharField(label=_("Addition"), max_length=4, required=False)
    starts_on = forms.DateField(
        label=_("Living there since"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=ResidenceSource.choices, initial=ResidenceSource.BRP
    )
    verification_status = forms.ChoiceField(
        label=_("Verification"), choices=VerificationStatus.choices, initial=VerificationStatus.UNVERIFIED
    )

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean_starts_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["starts_on"]
        if value > timezone.localdate() + dt.timedelta(days=31):
            raise forms.ValidationError(_("A move can be registered at most a month ahead."))
        return value


class VerificationForm(forms.Form):
    """One verification step for a residence: only the statuses allowed from its current one are offered."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    status = forms.ChoiceField(label=_("New status"))
    method = forms.ChoiceField(label=_("Established how"), choices=VerificationMethod.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting or disputing: say why."),
    )

    def __init__(self, *args: Any, current_status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(VerificationStatus.choices)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, labels[value]) for value in next_statuses(current_status)]


def _date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class EmploymentForm(forms.Form):
    """Add an employment on the person page; the employer and hirer come from this municipality only."""

    # The querysets are the caller's (employers' selectors): this app does not touch employers' models.
    employer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Employer"), queryset=None)
    hirer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Works at (hirer)"),
        required=False,
        queryset=None,
        help_text=_("For a temp agency: the company the worker is placed at."),
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[("", _("the employer's sector")), *Sector.choices],
    )
    starts_on = _date_field(_("From"))
    ends_on = _date_field(_("Until"), required=False)

    def __init__(self, *args: Any, employers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]
        self.fields["hirer"].queryset = employers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("An employment cannot end before it starts."))
        employer, hirer = data.get("employer"), data.get("hirer")
        if employer and hirer and employer.pk == hirer.pk:
            self.add_error(
                "hirer", _("The hirer is the company the agency places the worker at: another employer.")
            )
        return data


class EmploymentEndForm(forms.Form):
    ends_on = _date_field(_("Until"))


class LabourMigrantForm(forms.Form):
    """Record or change a labour-migrant profile; the country is chosen, never typed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    country_of_origin = forms.ChoiceField(label=_("Country of origin"), choices=country_choices)
    arrival_date = _date_field(_("Arrived in the Netherlands"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, initial=Sector.OTHER)
    confirm = forms.BooleanField(
        label=_("I checked these details"),
        required=False,
        help_text=_("Marks the profile as confirmed by you, now."),
    )

    def clean_arrival_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data["arrival_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("An arrival date cannot lie in the future."))
        return value


class ConfirmForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
