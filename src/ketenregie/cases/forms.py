from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.cases.models import (
    CASE_WORKFLOW,
    OPEN_CASE_STATUSES,
    CaseKind,
    CaseResult,
    CaseStatus,
    MeasureKind,
    MeasureStatus,
    RegistrationFormStatus,
    RegistrationOutcome,
    VisitStatus,
)
from ketenregie.cases.selectors import UNKNOWN_ASSIGNEE, CaseFilter
from ketenregie.core.countries import country_choices
from ketenregie.core.models import Organisation, User
from ketenregie.core.validators import validate_bsn
from ketenregie.signals.forms import AddressFieldsMixin
from ketenregie.web.uploads import AttachmentsField

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=_date_widget()
    )


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Case number or title.")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *CaseKind.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *CaseStatus.choices]
    )
    opened_from = _date_field(_("Opened from"), required=False)
    opened_until = _date_field(_("Opened until"), required=False)

    def to_filter(self) -> CaseFilter:
        if not self.is_valid():
            return CaseFilter()
        data = self.cleaned_data
        return CaseFilter(
            kind=data["kind"],
            status=data["status"],
            search=data["q"],
            opened_from=data["opened_from"],
            opened_until=data["opened_until"],
        )


class BoardFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *CaseKind.choices])


class CaseOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of case"), choices=CaseKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    planned_on = _date_field(_("Planned for"), required=False)
    signal_ids = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_planned_on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data["planned_on"]
        if value and value < timezone.localdate() - dt.timedelta(days=365):
            raise forms.ValidationError(_("A planning date more than a year ago is probably a typing error."))
        return value

    def clean_signal_ids(self) -> list[int]:
        raw = self.cleaned_data["signal_ids"] or ""
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("The meldingen could not be read.")) from None


class CaseEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[(s.value, s.label) for s in CaseStatus if s.value in OPEN_CASE_STATUSES]
    )
    planned_on = _date_field(_("Planned for"), required=False)
    assigned_to = forms.TypedChoiceField(
        label=_("Case officer"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": UNKNOWN_ASSIGNEE},
    )

    def __init__(self, *args: Any, users: list[User], current_status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.users = {user.pk: user for user in users}
        # Offered: the status it has and the ones the workflow allows next (closing has its own page).
        # Any open status is still accepted, so a step the workflow refuses gets its explanation from
        # the service (on this field) rather than a bare "not a valid choice".
        offered = {current_status, *CASE_WORKFLOW.next(current_status)}
        self.fields["status"].widget.choices = [
            (s.value, s.label) for s in CaseStatus if s.value in OPEN_CASE_STATUSES and s.value in offered
        ]
        self.fields["assigned_to"].choices = [("", _("nobody yet"))] + [  # type: ignore[attr-defined]
            (user.pk, user.get_full_name() or user.get_username()) for user in users
        ]

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "status": data["status"],
            "planned_on": data["planned_on"],
            "assigned_to": self.users.get(data["assigned_to"] or 0),
        }


class CaseCloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    result = forms.ChoiceField(label=_("Result"), choices=[c for c in CaseResult.choices if c[0]])
    closed_on = _date_field(_("Closed on"))
    close_signals = forms.BooleanField(
        label=_("Close the meldingen of this case with the matching result (reporters are informed)"),
        required=False,
        initial=True,
    )

    def clean_closed_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["closed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A case cannot be closed in the future."))
        return value


class CaseReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(
        label=_("Why is the case opened again?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: closed by mistake, or new facts. The reason is kept in the timeline."),
    )


class ParticipantForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])  # type: ignore[attr-defined]


class AddressAddForm(AddressFieldsMixin):
    note = forms.CharField(label=_("Note for the team"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("postcode"):
            self.add_error("postcode", _("Give the postcode."))
        if not data.get("house_number"):
            self.add_error("house_number", _("Give the house number."))
        return data


class StopForm(forms.Form):
    visit_status = forms.ChoiceField(label=_("Visit"), choices=VisitStatus.choices)
    planned_time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class TeamForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    members = forms.ModelMultipleChoiceField(
        label=_("Team"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    planned_on = _date_field(_("Day of the control"), required=False)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["members"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.get_username()
        )


class FindingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    found_on = _date_field(_("Date of the visit"))
    no_access = forms.BooleanField(label=_("No access"), required=False)
    inhabited = forms.NullBooleanField(label=_("Inhabited"), required=False)
    persons_found = forms.IntegerField(
        label=_("Persons found living there"), required=False, min_value=0, max_value=500
    )
    persons_registered = forms.IntegerField(
        label=_("Persons registered (BRP)"),
        required=False,
        min_value=0,
        max_value=500,
        help_text=_("Leave empty to take the number from the register on the day of the visit."),
    )
    unregistered_persons = forms.IntegerField(
        label=_("Persons living there unregistered"), min_value=0, max_value=500, initial=0
    )
    registered_not_living = forms.IntegerField(
        label=_("Persons registered but not living there"), min_value=0, max_value=500, initial=0
    )
    fire_safety_issue = forms.BooleanField(label=_("Fire-safety defects"), required=False)
    fire_safety_notes = forms.CharField(label=_("Fire safety: what"), required=False, max_length=500)
    exploitation_signals = forms.BooleanField(label=_("Signals of labour exploitation"), required=False)
    exploitation_notes = forms.CharField(label=_("Exploitation: what"), required=False, max_length=500)
    other_violation = forms.BooleanField(label=_("Other violation"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = AttachmentsField(label=_("Photos"))

    def clean_found_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["found_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be dated in the future."))
        return value

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "no_access",
                "inhabited",
                "persons_found",
                "persons_registered",
                "unregistered_persons",
                "registered_not_living",
                "fire_safety_issue",
                "fire_safety_notes",
                "exploitation_signals",
                "exploitation_notes",
                "other_violation",
                "notes",
            )
        }


class RegistrationFormForm(forms.Form):
    given_names = forms.CharField(label=_("Given names"), max_length=200)
    surname_prefix = forms.CharField(label=_("Surname prefix"), required=False, max_length=10)
    surname = forms.CharField(label=_("Surname"), max_length=200)
    birth_date = _date_field(_("Date of birth"))
    # Selections from the maintained country list, never free text ("Polen" once became "PO").
    nationality = forms.ChoiceField(label=_("Nationality"), choices=country_choices)
    bsn = forms.CharField(label=_("BSN (if known from the RNI)"), required=False, max_length=9)
    previous_country = forms.ChoiceField(
        label=_("Country of previous residence"), required=False, choices=country_choices
    )
    arrival_date = _date_field(_("Arrival in the Netherlands"), required=False)


class RegistrationStatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # "processed" is reached by processing the form (RegistrationProcessForm), never set by hand.
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in RegistrationFormStatus.choices if c[0] != RegistrationFormStatus.PROCESSED],
    )


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Measure"), choices=[c for c in MeasureKind.choices if c[0] != MeasureKind.HANDOVER]
    )
    address = forms.TypedChoiceField(label=_("Address"), required=False, coerce=int, empty_value=None)
    addressee = forms.CharField(label=_("Addressed to"), required=False, max_length=200)
    issued_on = _date_field(_("Issued on"))
    amount = forms.DecimalField(
        label=_("Amount (EUR)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    max_amount = forms.DecimalField(
        label=_("Maximum forfeitable (EUR)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    deadline = _date_field(_("Deadline to comply"), required=False)
    handed_to = forms.ModelChoiceField(
        label=_("Referred to"), required=False, queryset=Organisation.objects.none()
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, addresses: list[Any], organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"].choices = [("", _("the case as a whole"))] + [  # type: ignore[attr-defined]
            (stop.address_id, stop.address.label) for stop in addresses
        ]
        self.addresses = {stop.address_id: stop.address for stop in addresses}
        self.fields["handed_to"].queryset = organisations  # type: ignore[attr-defined]


class MeasureStatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)


class HandoverForm(forms.Form):
    to_organisation = forms.ModelChoiceField(label=_("Hand over to"), queryset=Organisation.objects.none())
    note = forms.CharField(
        label=_("Note to the recipient"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = organisations  # type: ignore[attr-defined]


class AttachmentForm(forms.Form):
    attachments = AttachmentsField(label=_("Photos or documents"), required=True)
    description = forms.CharField(label=_("Description"), required=False, max_length=200)


class NoteForm(forms.Form):
    # An empty note field on a fresh page is not an error; browsers would colour it as one.
    use_required_attribute = False

    text = forms.CharField(label=_("Note"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class RegistrationProcessForm(forms.Form):
    """Processing a first-registration form: the outcome, and who in the register it is (if anyone)."""

    NEW = "new"

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=RegistrationOutcome.choices, widget=forms.RadioSelect
    )
    person = forms.ChoiceField(label=_("Person in the register"))
    bsn = forms.CharField(
        label=_("BSN given by the RNI"),
        required=False,
        max_length=9,
        help_text=_("Required for an RNI registration unless the form or the person already has it."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, candidate_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [*((str(pk), str(pk)) for pk in candidate_ids), (self.NEW, _("a new person"))]

    def clean_bsn(self) -> str:
        value = "".join(self.cleaned_data.get("bsn", "").split())
        if value:
            validate_bsn(value)
        return value
