"""The portal's public forms. Every message is the portal's own (in its ten-language catalogue): messages
of the staff catalogue, such as the postcode validator's, are mapped by their error code."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.core.validators import normalise_postcode, validate_kvk_number
from ketenregie.portal.models import CodeChannel, ReporterKind
from ketenregie.portal.protection import PortalForm, ProtectedForm

# Countries named in their own language, so everyone finds their own on any language's page.
COUNTRIES: list[tuple[str, str]] = [
    ("PL", "Polska"),
    ("RO", "România"),
    ("BG", "България"),
    ("LT", "Lietuva"),
    ("HU", "Magyarország"),
    ("UA", "Україна"),
    ("PT", "Portugal"),
    ("ES", "España"),
    ("LV", "Latvija"),
    ("SK", "Slovensko"),
    ("CZ", "Česko"),
    ("EE", "Eesti"),
    ("HR", "Hrvatska"),
    ("SI", "Slovenija"),
    ("GR", "Ελλάδα"),
    ("IT", "Italia"),
    ("FR", "France"),
    ("DE", "Deutschland"),
    ("AT", "Österreich"),
    ("BE", "België / Belgique"),
    ("LU", "Lëtzebuerg"),
    ("NL", "Nederland"),
    ("DK", "Danmark"),
    ("SE", "Sverige"),
    ("FI", "Suomi / Finland"),
    ("IE", "Éire / Ireland"),
    ("CY", "Κύπρος / Kıbrıs"),
    ("MT", "Malta"),
    ("NO", "Norge"),
    ("IS", "Ísland"),
    ("LI", "Liechtenstein"),
    ("CH", "Schweiz / Suisse / Svizzera"),
    ("GB", "United Kingdom"),
    ("MD", "Moldova"),
]
OTHER_COUNTRY = "--"

_PHONE = re.compile(r"^\+?[0-9 ()-]{8,20}$")

REQUIRED = _("Please fill in this field.")


def _required(**messages: Any) -> dict[str, Any]:
    return {"required": REQUIRED, **messages}


def _date(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text or _("For example 17-05-1990."),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=_required(
            invalid=_("This is not a real date. Use day-month-year, for example 17-05-1990.")
        ),
    )


def clean_postcode(value: str) -> str:
    try:
        return normalise_postcode(value)
    except ValidationError as error:
        if error.code == "postcode_letters":
            raise ValidationError(
                _("This postcode does not exist. Check the letters."), code="postcode"
            ) from None
        raise ValidationError(
            _("A Dutch postcode has four numbers and two letters, for example 3077 AW."), code="postcode"
        ) from None


def clean_phone(value: str) -> str:
    value = value.strip()
    if value and not _PHONE.match(value):
        raise ValidationError(_("Write the phone number with numbers only, for example +31 6 12345678."))
    return value


def check_birth_date(value: dt.date) -> dt.date:
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("A date of birth cannot be in the future."))
    if value.year < 1900 or value > dt.date(today.year - 14, today.month, min(today.day, 28)):
        raise ValidationError(_("This date of birth is not possible. Check the year."))
    return value


def check_starts_on(value: dt.date) -> dt.date:
    today = timezone.localdate()
    if value > today + dt.timedelta(days=31):
        raise ValidationError(_("You can report a new address at most one month ahead."))
    if value < today - dt.timedelta(days=5 * 365):
        raise ValidationError(_("This date is more than five years ago. Check the year."))
    return value


class AddressFieldsMixin(forms.Form):
    postcode = forms.CharField(label=_("Postcode"), max_length=8, error_messages=_required())
    house_number = forms.IntegerField(
        label=_("House number"),
        min_value=1,
        max_value=99999,
        error_messages=_required(
            invalid=_("Write the house number with numbers only."),
            min_value=_("Write the house number with numbers only."),
            max_value=_("This house number is too high."),
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    house_letter = forms.CharField(
        label=_("House letter (if any)"),
        max_length=1,
        required=False,
        widget=forms.TextInput(attrs={"size": 2}),
    )
    house_number_addition = forms.CharField(
        label=_("Addition (if any)"), max_length=4, required=False, widget=forms.TextInput(attrs={"size": 4})
    )

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data["postcode"])

    def clean_house_letter(self) -> str:
        value: str = self.cleaned_data["house_letter"].strip()
        if value and not value.isalpha():
            raise ValidationError(_("A house letter is one letter, for example A."))
        return value.upper()


class AddressUpdateForm(ProtectedForm, AddressFieldsMixin):
    """A stay address and contact details, reported by the migrant or by the employer with consent."""

    field_order = [
        "reporter",
        "given_names",
        "surname",
        "birth_date",
        "nationality",
        "postcode",
        "house_number",
        "house_letter",
        "house_number_addition",
        "starts_on",
        "email",
        "phone",
        "channel",
        "employer_name",
        "employer_kvk",
        "employer_email",
        "consent",
    ]

    reporter = forms.ChoiceField(
        label=_("Who fills in this form?"),
        choices=[
            (ReporterKind.SELF, _("I do, about myself")),
            (ReporterKind.EMPLOYER, _("I am the employer and fill it in for my worker")),
        ],
        initial=ReporterKind.SELF,
        widget=forms.RadioSelect,
        error_messages=_required(invalid_choice=REQUIRED),
    )
    given_names = forms.CharField(
        label=_("First name(s)"),
        max_length=200,
        error_messages=_required(),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    surname = forms.CharField(
        label=_("Last name"),
        max_length=200,
        error_messages=_required(),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    birth_date = _date(_("Date of birth"))
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        choices=[("", _("Choose a country")), *COUNTRIES, (OTHER_COUNTRY, _("Another country"))],
        error_messages=_required(invalid_choice=REQUIRED),
    )
    starts_on = _date(_("Since when do you live at this address?"))
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("This is not a valid e-mail address. Example: name@example.com")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone number"),
        required=False,
        max_length=20,
        help_text=_("With the country code, for example +48 601 234 567."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    channel = forms.ChoiceField(
        label=_("How do you want to get the code?"),
        choices=[(CodeChannel.EMAIL, _("By e-mail")), (CodeChannel.SMS, _("By text message (SMS)"))],
        initial=CodeChannel.EMAIL,
        widget=forms.RadioSelect,
        error_messages=_required(invalid_choice=REQUIRED),
        help_text=_("Employers always get the code by e-mail."),
    )
    employer_name = forms.CharField(label=_("Name of the company"), max_length=200, required=False)
    employer_kvk = forms.CharField(label=_("KvK number of the company"), max_length=8, required=False)
    employer_email = forms.EmailField(
        label=_("E-mail address of the employer"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("This is not a valid e-mail address. Example: name@example.com")},
    )
    consent = forms.BooleanField(
        label=_("My worker agrees that I report this address and these contact details."), required=False
    )

    def clean_birth_date(self) -> dt.date:
        return check_birth_date(self.cleaned_data["birth_date"])

    def clean_starts_on(self) -> dt.date:
        return check_starts_on(self.cleaned_data["starts_on"])

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_employer_kvk(self) -> str:
        value: str = self.cleaned_data["employer_kvk"].strip()
        if value:
            try:
                validate_kvk_number(value)
            except ValidationError:
                raise ValidationError(_("A KvK number has 8 numbers.")) from None
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("reporter") == ReporterKind.EMPLOYER:
            for name in ("employer_name", "employer_kvk", "employer_email"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Employers must fill in this field."))
            if not data.get("consent"):
                self.add_error("consent", _("Only report for a worker who agrees to it."))
        elif data.get("channel") == CodeChannel.SMS and not data.get("phone") and "phone" not in self.errors:
            self.add_error(
                "phone", _("Fill in your mobile phone number, or choose to get the code by e-mail.")
            )
        elif (
            data.get("channel") == CodeChannel.EMAIL and not data.get("email") and "email" not in self.errors
        ):
            self.add_error(
                "email", _("Fill in your e-mail address, or choose to get the code by text message.")
            )
        birth_date, starts_on = data.get("birth_date"), data.get("starts_on")
        if birth_date and starts_on and starts_on < birth_date:
            self.add_error("starts_on", _("This date is before the date of birth."))
        return data


class CodeForm(ProtectedForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=6,
        min_length=6,
        help_text=_("The 6 numbers from the message we sent you."),
        error_messages=_required(
            min_length=_("The code has 6 numbers."), max_length=_("The code has 6 numbers.")
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}),
    )

    def clean_code(self) -> str:
        value: str = self.cleaned_data["code"].strip()
        if not value.isdigit():
            raise ValidationError(_("The code has 6 numbers."))
        return value


class ResendForm(ProtectedForm):
    """Only the bot checks: asking for a new code needs no input."""


class GroupStartForm(ProtectedForm):
    kvk_number = forms.CharField(
        label=_("KvK number of the company"), max_length=8, error_messages=_required()
    )
    email = forms.EmailField(
        label=_("Your e-mail address at the company"),
        max_length=254,
        help_text=_("We send a code to this address."),
        error_messages=_required(invalid=_("This is not a valid e-mail address. Example: name@example.com")),
    )

    def clean_kvk_number(self) -> str:
        value: str = self.cleaned_data["kvk_number"].strip()
        try:
            validate_kvk_number(value)
        except ValidationError:
            raise ValidationError(_("A KvK number has 8 numbers.")) from None
        return value


class GroupUploadForm(ProtectedForm):
    activity = forms.ChoiceField(
        label=_("Registration moment"), error_messages=_required(invalid_choice=REQUIRED)
    )
    file = forms.FileField(
        label=_("List of workers (CSV file)"),
        help_text=_("At most 1 MB and 1,000 workers. See the columns below."),
        error_messages=_required(empty=_("The file is empty."), invalid=_("Choose a CSV file.")),
    )
    consent = forms.BooleanField(
        label=_("Every worker on this list agrees that we report their address."),
        error_messages=_required(required=_("Only report workers who agree to it.")),
    )

    def __init__(self, *args: Any, moments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", _("Choose a registration moment")), *moments]  # type: ignore[attr-defined]

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.PORTAL_GROUP_UPLOAD_MAX_BYTES
        if (upload.size or 0) > limit:
            raise ValidationError(
                _("The file is too big (%(size)s KB). The limit is %(limit)s KB.")
                % {"size": (upload.size or 0) // 1024, "limit": limit // 1024}
            )
        if not (upload.name or "").lower().endswith((".csv", ".txt")):
            raise ValidationError(_("Choose a CSV file (ending in .csv)."))
        return upload


class GroupRowForm(PortalForm, AddressFieldsMixin):
    """One row of an employer's list: the same checks and messages as the single form."""

    given_names = forms.CharField(max_length=200, error_messages=_required())
    surname = forms.CharField(max_length=200, error_messages=_required())
    birth_date = AddressUpdateForm.base_fields["birth_date"]
    nationality = forms.CharField(max_length=2, required=False)
    living_since = AddressUpdateForm.base_fields["starts_on"]
    email = AddressUpdateForm.base_fields["email"]
    phone = forms.CharField(max_length=20, required=False)

    def clean_birth_date(self) -> dt.date:
        return check_birth_date(self.cleaned_data["birth_date"])

    def clean_living_since(self) -> dt.date:
        return check_starts_on(self.cleaned_data["living_since"])

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_nationality(self) -> str:
        value: str = self.cleaned_data["nationality"].strip().upper()
        if value and value not in dict(COUNTRIES):
            raise ValidationError(
                _(
                    "Use a two-letter country code such as PL, RO or BG, "
                    "or leave it empty for another country."
                )
            )
        return value


class SignalCategory:
    CHOICES: list[tuple[str, Any]] = [
        ("overcrowding", _("Too many people live in one house")),
        (
            "housing_fraud",
            _("Someone is registered at an address but does not live there, or the other way round"),
        ),
        ("nuisance", _("Nuisance from a house (noise, rubbish, parking)")),
        ("unsafe_housing", _("Unsafe housing (fire, electricity, mould)")),
        ("labour_exploitation", _("Bad working conditions or exploitation")),
        ("homelessness", _("Someone has no place to sleep")),
        ("other", _("Something else")),
    ]


PHOTO_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}


def sniff_image(head: bytes) -> str | None:
    """The image type by its first bytes (not by its name or the browser's word for it)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


class SignalForm(ProtectedForm):
    category = forms.ChoiceField(
        label=_("What is it about?"),
        choices=SignalCategory.CHOICES,
        widget=forms.RadioSelect,
        error_messages=_required(invalid_choice=REQUIRED),
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=8, required=False)
    house_number = forms.CharField(label=_("House number and letter"), max_length=10, required=False)
    location = forms.CharField(
        label=_("Street and place, or describe the place"),
        max_length=200,
        required=False,
        help_text=_("Fill in a postcode and house number, or describe where it is."),
    )
    description = forms.CharField(
        label=_("What is going on?"),
        max_length=2000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Write what you saw and when. At most 2,000 characters."),
        error_messages=_required(
            min_length=_("Please write a bit more (at least 10 characters)."),
            max_length=_("Please write less (at most 2,000 characters)."),
        ),
    )
    photo = forms.FileField(
        label=_("Photo (if you want)"),
        required=False,
        help_text=_("A JPEG, PNG or WebP photo of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={"invalid": _("Choose a photo file."), "empty": _("The photo file is empty.")},
    )
    contact_name = forms.CharField(label=_("Your name (if you want)"), max_length=200, required=False)
    contact_email = forms.EmailField(
        label=_("Your e-mail address (if you want)"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("This is not a valid e-mail address. Example: name@example.com")},
    )
    contact_phone = forms.CharField(label=_("Your phone number (if you want)"), max_length=20, required=False)

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"].strip()
        return clean_postcode(value) if value else ""

    def clean_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data["contact_phone"])

    def clean_photo(self) -> UploadedFile | None:
        photo: UploadedFile | None = self.cleaned_data.get("photo")
        if not photo:
            return None
        limit = settings.PORTAL_PHOTO_MAX_BYTES
        if (photo.size or 0) > limit:
            raise ValidationError(
                _("The photo is too big (%(size)s MB). The limit is %(limit)s MB.")
                % {"size": round((photo.size or 0) / 2**20, 1), "limit": limit // 2**20}
            )
        head = photo.read(16)
        photo.seek(0)
        if sniff_image(head) is None:
            raise ValidationError(_("This file is not a JPEG, PNG or WebP photo."))
        return photo

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        has_address = bool(data.get("postcode") and data.get("house_number"))
        if not has_address and not (data.get("location") or "").strip() and "postcode" not in self.errors:
            self.add_error("location", _("Fill in a postcode and house number, or describe where it is."))
        if data.get("postcode") and not data.get("house_number") and not data.get("location"):
            self.add_error("house_number", _("Fill in the house number as well."))
        return data
