from __future__ import annotations

import re
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ketenregie.core.actor import Actor
from ketenregie.core.models import Role, User
from ketenregie.signals import selectors
from ketenregie.signals.intake import ReportedAddress, Reporter, SignalIntake
from ketenregie.signals.models import SignalCategory, SignalChannel, SignalResult
from ketenregie.signals.selectors import SignalFilter
from ketenregie.web.uploads import AttachmentsField

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
_POSTCODE = re.compile(r"^\s*([1-9]\d{3})\s?([A-Za-z]{2})\s*$")
STAFF_CHANNELS = [
    (SignalChannel.PHONE, SignalChannel.PHONE.label),
    (SignalChannel.EMAIL, SignalChannel.EMAIL.label),
    (SignalChannel.DESK, SignalChannel.DESK.label),
    (SignalChannel.STAFF, SignalChannel.STAFF.label),
    (SignalChannel.PORTAL, SignalChannel.PORTAL.label),
]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def category_choices(categories: list[SignalCategory], *, blank: str | None = None) -> list[Any]:
    """Main categories as option groups, each with itself ('in general') and its sub-categories."""
    groups: list[Any] = [("", blank)] if blank is not None else []
    for main in (c for c in categories if c.parent_id is None):
        options = [(main.pk, _("%(name)s (in general)") % {"name": main.name})]
        options += [(c.pk, c.name) for c in categories if c.parent_id == main.pk]
        groups.append((main.name, options))
    return groups


class CategoryField(forms.TypedChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


def _categories_by_pk(categories: list[SignalCategory]) -> dict[int, SignalCategory]:
    return {c.pk: c for c in categories}


class SignalFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Melding number (M-2026-000123) or street."),
    )
    category = CategoryField(label=_("Category"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("all")), *SignalChannel.choices]
    )
    received_from = forms.DateField(
        label=_("Received from"), required=False, input_formats=DATE_INPUT_FORMATS, widget=_date_widget()
    )
    received_until = forms.DateField(
        label=_("Received until"), required=False, input_formats=DATE_INPUT_FORMATS, widget=_date_widget()
    )
    queue = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = [c for c in selectors.signal_categories(actor=actor) if c.parent_id is None]
        self.fields["category"].choices = [("", _("all"))] + [  # type: ignore[attr-defined]
            (c.pk, c.name) for c in categories
        ]

    def to_filter(self, queue: str) -> SignalFilter:
        if not self.is_valid():
            return SignalFilter(queue=queue)
        data = self.cleaned_data
        return SignalFilter(
            queue=queue,
            category_id=data["category"],
            channel=data["channel"],
            search=data["q"],
            received_from=data["received_from"],
            received_until=data["received_until"],
        )


class AddressFieldsMixin(forms.Form):
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7)
    house_number = forms.IntegerField(label=_("House number"), required=False, min_value=1, max_value=99999)
    house_letter = forms.CharField(label=_("House letter"), required=False, max_length=1)
    house_number_addition = forms.CharField(label=_("Addition"), required=False, max_length=4)

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"] or ""
        if not value.strip():
            return ""
        match = _POSTCODE.match(value)
        if not match:
            raise forms.ValidationError(_("A postcode looks like 3077 AW: four digits and two letters."))
        return match.group(1) + match.group(2).upper()

    def reported_address(self) -> ReportedAddress:
        data = self.cleaned_data
        return ReportedAddress(
            postcode=data.get("postcode") or "",
            house_number=data.get("house_number"),
            house_letter=data.get("house_letter") or "",
            house_number_addition=data.get("house_number_addition") or "",
            text=(data.get("location_text") or "").strip(),
        )


class SignalIntakeForm(AddressFieldsMixin):
    category = CategoryField(label=_("Category"), required=True)
    description = forms.CharField(
        label=_("What is going on?"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Describe what was seen or heard, when, and how often. Dutch or English."),
    )
    location_text = forms.CharField(
        label=_("Location in words"),
        required=False,
        max_length=200,
        help_text=_("If the postcode is unknown: the street and number or a description of the place."),
    )
    channel = forms.ChoiceField(label=_("Received by"), choices=STAFF_CHANNELS, initial=SignalChannel.PHONE)
    reporter_name = forms.CharField(label=_("Reporter's name"), required=False, max_length=150)
    reporter_email = forms.EmailField(label=_("Reporter's e-mail"), required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), required=False, max_length=30)
    attachments = AttachmentsField(label=_("Photos or documents"))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.categories = selectors.signal_categories(actor=actor)
        self.fields["category"].choices = category_choices(  # type: ignore[attr-defined]
            self.categories, blank=str(_("choose a category"))
        )
        self.fields["description"].widget.attrs.update(
            {
                "hx-post": reverse("signals:suggest"),
                "hx-trigger": "input changed delay:600ms",
                "hx-target": "#kr-suggestion",
                "hx-swap": "innerHTML",
                "aria-describedby": "id_description_helptext kr-suggestion",
            }
        )
        if actor.organisation is not None and not actor.organisation.is_municipal:
            # A partner's melding comes in through the partner channel; the field would only confuse.
            del self.fields["channel"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category_id = data.get("category")
        if category_id is not None:
            category = _categories_by_pk(self.categories).get(category_id)
            if category is None:
                self.add_error("category", _("Choose one of the categories in the list."))
            data["category_object"] = category
        if data.get("postcode") and not data.get("house_number"):
            self.add_error("house_number", _("Give the house number with the postcode."))
        if data.get("house_number") and not data.get("postcode"):
            self.add_error("postcode", _("Give the postcode with the house number."))
        return data

    def intake(self) -> SignalIntake:
        """The cleaned form as the one intake record; a partner's has no channel field."""
        data = self.cleaned_data
        return SignalIntake(
            municipality=self.actor.municipality,
            description=data["description"],
            channel=data.get("channel") or "",
            category=data["category_object"],
            reported_address=self.reported_address(),
            reporter=Reporter(
                name=data.get("reporter_name") or "",
                email=data.get("reporter_email") or "",
                phone=data.get("reporter_phone") or "",
            ),
            attachments=tuple(data["attachments"]),
        )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class TriageForm(VersionForm):
    category = CategoryField(label=_("Category"))
    assigned_to = forms.TypedChoiceField(label=_("Assigned to"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = selectors.signal_categories(actor=actor)
        self.fields["category"].choices = category_choices(self.categories)  # type: ignore[attr-defined]
        self.users = {
            u.pk: u
            for u in User.objects.filter(
                memberships__organisation__municipality=actor.municipality,
                memberships__role=Role.ENFORCEMENT,
                memberships__is_active=True,
                is_active=True,
            )
            .distinct()
            .order_by("username")
        }
        self.fields["assigned_to"].choices = [("", _("nobody yet"))] + [  # type: ignore[attr-defined]
            (pk, user.get_full_name() or user.get_username()) for pk, user in self.users.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("category") is not None:
            category = _categories_by_pk(self.categories).get(data["category"])
            if category is None:
                self.add_error("category", _("Choose one of the categories in the list."))
            data["category_object"] = category
        data["assigned_user"] = self.users.get(data.get("assigned_to") or 0)
        return data


class ResolveAddressForm(VersionForm, AddressFieldsMixin):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("postcode"):
            self.add_error("postcode", _("Give the postcode."))
        if not data.get("house_number"):
            self.add_error("house_number", _("Give the house number."))
        return data


class CloseForm(VersionForm):
    result = forms.ChoiceField(
        label=_("Result"), choices=[c for c in SignalResult.choices if c[0] != SignalResult.PENDING]
    )
    note = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the file; the reporter is told only the result."),
    )
