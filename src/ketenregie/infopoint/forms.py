from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.core.actor import Actor
from ketenregie.infopoint import selectors
from ketenregie.infopoint.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Channel,
    Contact,
    Referral,
    Topic,
    VisitorLanguage,
)
from ketenregie.infopoint.selectors import ActivityFilter, ContactFilter

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


def _date_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _yes_no_all(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False, choices=[("", _("all")), ("1", _("yes")), ("0", _("no"))]
    )


class ContactFilterForm(forms.Form):
    date_from = _date_field(_("From"))
    date_until = _date_field(_("Until"))
    point = forms.ChoiceField(label=_("Information point"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("all")), *Channel.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("all")), *VisitorLanguage.choices]
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False, choices=[("", _("all")), *Topic.choices])
    referral = forms.ChoiceField(
        label=_("Referred to"),
        required=False,
        choices=[("", _("all")), *[(v, label) for v, label in Referral.choices if v]],
    )
    open_follow_up = _yes_no_all(_("Open follow-up"))
    digid = _yes_no_all(_("Active DigiD"))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [  # type: ignore[attr-defined]
            ("", _("all")),
            *[(str(p.pk), p.name) for p in selectors.information_points(actor=actor, active_only=False)],
        ]

    def to_filter(self) -> ContactFilter:
        if not self.is_valid():
            return ContactFilter()
        data = self.cleaned_data
        return ContactFilter(
            date_from=data["date_from"],
            date_until=data["date_until"],
            point_id=int(data["point"]) if data["point"] else None,
            channel=data["channel"],
            language=data["language"],
            topic=data["topic"],
            referral=data["referral"],
            open_follow_up={"1": True, "0": False}.get(data["open_follow_up"]),
            digid_activated={"1": True, "0": False}.get(data["digid"]),
        )


class ContactForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple, required=True
    )
    visitor_name = forms.CharField(
        label=_("Visitor's name"),
        required=False,
        max_length=200,
        help_text=_(
            "Not stored: with the date of birth it becomes a pseudonymous key, so unique visitors can be "
            "counted. Leave both empty when the visitor prefers not to say "
            "(or, when editing, to keep the key)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    visitor_birth_date = _date_field(_("Visitor's date of birth"), help_text=_("Not stored either."))

    class Meta:
        model = Contact
        fields = [
            "point",
            "contacted_on",
            "channel",
            "language",
            "referral",
            "referral_note",
            "digid_activated",
            "follow_up",
            "follow_up_due",
            "follow_up_done",
            "notes",
        ]
        widgets = {
            "contacted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "follow_up_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"notes": _("No names, BSNs or other details that identify the visitor.")}

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = selectors.information_points(actor=actor)  # type: ignore[attr-defined]
        for name in ("contacted_on", "follow_up_due"):
            self.fields[name].input_formats = DATE_INPUT_FORMATS  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["topics"].initial = [t.topic for t in self.instance.topics.all()]
        else:
            self.fields["contacted_on"].initial = timezone.localdate()

    def clean_contacted_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["contacted_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A contact cannot take place in the future."))
        return value

    def clean_visitor_birth_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data["visitor_birth_date"]
        if value and (value > timezone.localdate() or value.year < 1900):
            raise forms.ValidationError(_("This date of birth is not possible."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool((data.get("visitor_name") or "").strip()) != bool(data.get("visitor_birth_date")):
            raise forms.ValidationError(
                _("Give both the visitor's name and date of birth, or neither: the visitor key needs both.")
            )
        return data

    def service_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["topics"] = self.cleaned_data["topics"]
        data["visitor_name"] = self.cleaned_data["visitor_name"]
        data["visitor_birth_date"] = self.cleaned_data["visitor_birth_date"]
        return data


class ActivityFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *ActivityKind.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *ActivityStatus.choices]
    )
    date_from = _date_field(_("From"))
    date_until = _date_field(_("Until"))

    def to_filter(self) -> ActivityFilter:
        if not self.is_valid():
            return ActivityFilter()
        data = self.cleaned_data
        return ActivityFilter(
            kind=data["kind"],
            status=data["status"],
            date_from=data["date_from"],
            date_until=data["date_until"],
        )


class ActivityForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    languages_text = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=60,
        help_text=_("ISO 639-1 codes separated by commas, e.g. pl, ro, bg."),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "held_on",
            "start_time",
            "location",
            "point",
            "status",
            "attendance",
            "is_public",
            "notes",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = selectors.information_points(actor=actor)  # type: ignore[attr-defined]
        self.fields["held_on"].input_formats = DATE_INPUT_FORMATS  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["languages_text"].initial = ", ".join(self.instance.languages or [])

    def clean_languages_text(self) -> list[str]:
        codes = [c.strip().lower() for c in self.cleaned_data["languages_text"].split(",") if c.strip()]
        bad = [c for c in codes if len(c) != 2 or not c.isalpha()]
        if bad:
            raise forms.ValidationError(
                _("Not a two-letter language code: %(codes)s") % {"codes": ", ".join(bad)}
            )
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        held_on = data.get("held_on")
        if data.get("status") == ActivityStatus.HELD and held_on and held_on > timezone.localdate():
            self.add_error("status", _("An activity in the future cannot have been held yet."))
        if data.get("status") == ActivityStatus.HELD and data.get("attendance") is None:
            self.add_error("attendance", _("Give the number of participants of an activity that was held."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["languages"] = self.cleaned_data["languages_text"]
        return data
