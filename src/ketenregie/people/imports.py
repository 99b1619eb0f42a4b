"""CSV import of people, optionally with their current living address.

A row matches an existing person by BSN, or (without BSN) by name, date of birth and nationality,
so importing the same file twice creates nobody twice. A new address ends the previous living
address on the day the new one starts; nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.countries import CountryCodeField
from ketenregie.core.imports import ImportResult, ParsedRow, RowError, chunked, form_errors
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import normalise_postcode, validate_bsn
from ketenregie.people.models import (
    AddressFunction,
    Person,
    RegistrationStatus,
    Residence,
    ResidenceSource,
)
from ketenregie.people.verification import verify_stay_addresses_by_brp
from ketenregie.places.models import Address

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
PERSON_FIELDS = (
    "bsn",
    "given_names",
    "surname_prefix",
    "surname",
    "birth_date",
    "nationality",
    "registration_status",
    "phone",
    "email",
    "languages",
)


class PersonRowForm(forms.Form):
    bsn = forms.CharField(required=False, validators=[validate_bsn])
    given_names = forms.CharField(required=False, max_length=200)
    surname_prefix = forms.CharField(required=False, max_length=10)
    surname = forms.CharField(max_length=200)
    birth_date = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS)
    nationality = CountryCodeField(required=False)
    registration_status = forms.ChoiceField(required=False, choices=[("", ""), *RegistrationStatus.choices])
    phone = forms.CharField(required=False, max_length=30)
    email = forms.EmailField(required=False)
    languages = forms.CharField(required=False)
    postcode = forms.CharField(required=False)
    house_number = forms.IntegerField(required=False, min_value=1, max_value=99999)
    house_letter = forms.CharField(required=False, max_length=1)
    house_number_addition = forms.CharField(required=False, max_length=4)
    living_since = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS)
    residence_source = forms.ChoiceField(required=False, choices=[("", ""), *ResidenceSource.choices])

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        return normalise_postcode(value) if value else ""

    def clean_birth_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data["birth_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("A date of birth cannot lie in the future."))
        return value

    def clean_languages(self) -> list[str]:
        return [code.strip().lower() for code in self.cleaned_data["languages"].split("|") if code.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("postcode") and not data.get("house_number"):
            self.add_error("house_number", _("A postcode needs a house number."))
        if data.get("postcode") and not data.get("living_since"):
            self.add_error("living_since", _("Give the date the person lives at this address since."))
        if data.get("house_number") and not data.get("postcode"):
            self.add_error("postcode", _("A house number needs a postcode."))
        return data


def _identity(value: dict[str, Any]) -> tuple[str, ...]:
    if value["bsn"]:
        return ("bsn", value["bsn"])
    return (
        "name",
        value["surname"].lower(),
        value["given_names"].lower(),
        str(value["birth_date"]),
        value["nationality"],
    )


class PersonImporter:
    label = gettext_lazy("people")
    model = Person
    required_columns = ("surname",)
    optional_columns = (
        "bsn",
        "given_names",
        "surname_prefix",
        "birth_date",
        "nationality",
        "registration_status",
        "phone",
        "email",
        "languages",
        "postcode",
        "house_number",
        "house_letter",
        "house_number_addition",
        "living_since",
        "residence_source",
    )

    def parse(
        self, actor: Actor, row: dict[str, str], number: int
    ) -> tuple[dict[str, Any] | None, list[RowError]]:
        actor.require(Capability.IMPORT_REGISTERS)
        form = PersonRowForm(row)
        if not form.is_valid():
            return None, form_errors(form, number)
        data = dict(form.cleaned_data)
        data["registration_status"] = data["registration_status"] or RegistrationStatus.RESIDENT
        data["address"] = None
        if data["postcode"]:
            data["address"] = Address.objects.filter(
                municipality=actor.municipality,
                postcode=data["postcode"],
                house_number=data["house_number"],
                house_letter__iexact=data["house_letter"],
                house_number_addition__iexact=data["house_number_addition"],
            ).first()
            if data["address"] is None:
                return None, [
                    RowError(
                        number,
                        "postcode",
                        _(
                            "There is no address %(postcode)s %(number)s%(letter)s "
                            "in this municipality's register."
                        )
                        % {
                            "postcode": data["postcode"],
                            "number": data["house_number"],
                            "letter": data["house_letter"],
                        },
                    )
                ]
        return data, []

    def check_together(self, actor: Actor, rows: list[ParsedRow[dict[str, Any]]]) -> list[RowError]:
        counts = Counter(_identity(r.value) for r in rows)
        errors = [
            RowError(
                r.number,
                "bsn" if r.value["bsn"] else "surname",
                _("The same person appears more than once in the file."),
            )
            for r in rows
            if counts[_identity(r.value)] > 1
        ]
        existing = self._existing(actor, rows)
        current = {
            residence.person_id: residence
            for ids in chunked([p.pk for p in existing.values()], 5000)
            for residence in Residence.objects.filter(
                person_id__in=ids, address_function=AddressFunction.LIVING, ends_on__isnull=True
            )
        }
        for row in rows:
            person = existing.get(_identity(row.value))
            residence = current.get(person.pk) if person is not None else None
            if (
                residence is not None
                and row.value["address"] is not None
                and residence.address_id != row.value["address"].pk
                and residence.starts_on
                and residence.starts_on >= row.value["living_since"]
            ):
                errors.append(
                    RowError(
                        row.number,
                        "living_since",
                        _(
                            "The person lives at another address since %(date)s; "
                            "the new address must start later."
                        )
                        % {"date": residence.starts_on.isoformat()},
                    )
                )
        return errors

    def _existing(self, actor: Actor, rows: list[ParsedRow[dict[str, Any]]]) -> dict[tuple[str, ...], Person]:
        people = Person.objects.filter(municipality=actor.municipality)
        found: dict[tuple[str, ...], Person] = {}
        for bsns in chunked([r.value["bsn"] for r in rows if r.value["bsn"]], 5000):
            found.update({("bsn", p.bsn): p for p in people.filter(bsn__in=bsns)})
        for surnames in chunked(sorted({r.value["surname"] for r in rows if not r.value["bsn"]}), 2000):
            for person in people.filter(bsn="", surname__in=surnames):
                found.setdefault(_identity({f: getattr(person, f) for f in PERSON_FIELDS}), person)
        return found

    def write(self, actor: Actor, rows: list[ParsedRow[dict[str, Any]]]) -> ImportResult:
        existing = self._existing(actor, rows)
        result = ImportResult()
        new_people: list[tuple[Person, dict[str, Any]]] = []
        for row in rows:
            values = {name: row.value[name] for name in PERSON_FIELDS}
            person = existing.get(_identity(row.value))
            if person is None:
                person = Person(municipality=actor.municipality, **values)
                new_people.append((person, row.value))
                continue
            changed = [name for name, value in values.items() if getattr(person, name) != value]
            if changed:
                for name in changed:
                    setattr(person, name, values[name])
                person.version += 1
                person.save(update_fields=[*changed, "version", "updated_at"])
                result.updated += 1
            moved = self._move(actor, person, row.value)
            if not changed and not moved:
                result.unchanged += 1
            elif moved and not changed:
                result.updated += 1
        Person.objects.bulk_create([p for p, _ in new_people], batch_size=2000)
        Residence.objects.bulk_create(
            [
                Residence(
                    municipality=actor.municipality,
                    person=person,
                    address=value["address"],
                    starts_on=value["living_since"],
                    source=value["residence_source"] or ResidenceSource.BRP,
                )
                for person, value in new_people
                if value["address"] is not None
            ],
            batch_size=2000,
        )
        result.created = len(new_people)
        # A stay address reported by a partner that this BRP data confirms becomes verified by the BRP.
        touched = [p.pk for p in existing.values()] + [p.pk for p, _ in new_people]
        verify_stay_addresses_by_brp(actor=actor, person_ids=touched)
        return result

    def _move(self, actor: Actor, person: Person, value: dict[str, Any]) -> bool:
        address: Address | None = value["address"]
        if address is None:
            return False
        current = Residence.objects.filter(
            person=person, address_function=AddressFunction.LIVING, ends_on__isnull=True
        ).first()
        if current is not None and current.address_id == address.pk:
            return False
        if current is not None:
            current.ends_on = value["living_since"]
            current.version += 1
            current.save(update_fields=["ends_on", "version", "updated_at"])
        Residence.objects.create(
            municipality=actor.municipality,
            person=person,
            address=address,
            starts_on=value["living_since"],
            source=value["residence_source"] or ResidenceSource.BRP,
        )
        return True
