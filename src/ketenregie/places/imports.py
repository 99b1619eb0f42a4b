"""CSV import of addresses, keyed on the BAG addressable object id (insert or update)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportResult, ParsedRow, RowError, chunked, form_errors
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import normalise_postcode, validate_bag_address_id, validate_bag_object_id
from ketenregie.places.models import Address, BagStatus, Neighbourhood, UsePurpose, is_habitable

FIELDS = (
    "street",
    "house_number",
    "house_letter",
    "house_number_addition",
    "postcode",
    "town",
    "floor_area_m2",
    "use_purposes",
    "bag_status",
    "latitude",
    "longitude",
    "bag_address_id",
    "neighbourhood",
    "is_complete",
)


class AddressRowForm(forms.Form):
    bag_object_id = forms.CharField(validators=[validate_bag_object_id])
    bag_address_id = forms.CharField(required=False, validators=[validate_bag_address_id])
    street = forms.CharField(max_length=80)
    house_number = forms.IntegerField(min_value=1, max_value=99999)
    house_letter = forms.CharField(required=False, max_length=1)
    house_number_addition = forms.CharField(required=False, max_length=4)
    postcode = forms.CharField(required=False)
    town = forms.CharField(max_length=80)
    floor_area_m2 = forms.IntegerField(required=False, min_value=1, max_value=1_000_000)
    use_purposes = forms.CharField(
        required=False, help_text=gettext_lazy("Separate several use purposes with |")
    )
    bag_status = forms.CharField(required=False)
    latitude = forms.FloatField(required=False, min_value=50.5, max_value=53.7)
    longitude = forms.FloatField(required=False, min_value=3.2, max_value=7.3)
    neighbourhood_code = forms.CharField(required=False, max_length=10)

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        return normalise_postcode(value) if value else ""

    def clean_use_purposes(self) -> list[str]:
        values = [v.strip().lower() for v in self.cleaned_data["use_purposes"].split("|") if v.strip()]
        unknown = [v for v in values if v not in UsePurpose.values]
        if unknown:
            raise forms.ValidationError(
                _("Unknown use purpose: %(values)s. Use BAG terms such as woonfunctie.")
                % {"values": ", ".join(unknown)}
            )
        return values

    def clean_bag_status(self) -> str:
        value: str = self.cleaned_data["bag_status"]
        if value and value not in BagStatus.values:
            raise forms.ValidationError(_("Unknown BAG status %(value)s.") % {"value": value})
        return value


class AddressImporter:
    label = gettext_lazy("addresses")
    model = Address
    required_columns = ("bag_object_id", "street", "house_number", "town")
    optional_columns = (
        "bag_address_id",
        "house_letter",
        "house_number_addition",
        "postcode",
        "floor_area_m2",
        "use_purposes",
        "bag_status",
        "latitude",
        "longitude",
        "neighbourhood_code",
    )

    def __init__(self) -> None:
        self._neighbourhoods: dict[str, Neighbourhood] | None = None

    def _neighbourhood(self, actor: Actor, code: str) -> Neighbourhood | None:
        if self._neighbourhoods is None:
            self._neighbourhoods = {
                n.code: n for n in Neighbourhood.objects.filter(municipality=actor.municipality)
            }
        return self._neighbourhoods.get(code)

    def parse(
        self, actor: Actor, row: dict[str, str], number: int
    ) -> tuple[dict[str, Any] | None, list[RowError]]:
        actor.require(Capability.IMPORT_REGISTERS)
        form = AddressRowForm(row)
        if not form.is_valid():
            return None, form_errors(form, number)
        data = dict(form.cleaned_data)
        code = data.pop("neighbourhood_code")
        data["neighbourhood"] = None
        if code:
            data["neighbourhood"] = self._neighbourhood(actor, code)
            if data["neighbourhood"] is None:
                return None, [
                    RowError(
                        number,
                        "neighbourhood_code",
                        _("No neighbourhood with code %(code)s in this municipality.") % {"code": code},
                    )
                ]
        # Kept as typed: the BAG has lower-case house letters too; lookups compare case-insensitively.
        data["is_complete"] = True
        return data, []

    def check_together(self, actor: Actor, rows: list[ParsedRow[dict[str, Any]]]) -> list[RowError]:
        errors: list[RowError] = []
        for key in ("bag_object_id", "bag_address_id"):
            counts = Counter(r.value[key] for r in rows if r.value[key])
            errors += [
                RowError(
                    r.number,
                    key,
                    _("%(value)s appears more than once in the file.") % {"value": r.value[key]},
                )
                for r in rows
                if counts.get(r.value[key], 0) > 1
            ]
        # A secondary address's (nevenadres) nummeraanduiding cannot become a main address here.
        taken = {
            address_id: object_id if main_id is None else f"{object_id} (nevenadres)"
            for ids in chunked([r.value["bag_address_id"] for r in rows if r.value["bag_address_id"]], 5000)
            for address_id, object_id, main_id in Address.objects.filter(
                municipality=actor.municipality, bag_address_id__in=ids
            ).values_list("bag_address_id", "bag_object_id", "main_address_id")
        }
        errors += [
            RowError(
                r.number,
                "bag_address_id",
                _("Nummeraanduiding %(id)s already belongs to addressable object %(other)s.")
                % {"id": r.value["bag_address_id"], "other": taken[r.value["bag_address_id"]]},
            )
            for r in rows
            if r.value["bag_address_id"] in taken
            and taken[r.value["bag_address_id"]] != r.value["bag_object_id"]
        ]
        return errors

    def write(self, actor: Actor, rows: list[ParsedRow[dict[str, Any]]]) -> ImportResult:
        existing = {
            address.bag_object_id: address
            for ids in chunked([r.value["bag_object_id"] for r in rows], 5000)
            for address in Address.objects.filter(
                municipality=actor.municipality, main_address__isnull=True, bag_object_id__in=ids
            )
        }
        to_create, to_update = [], []
        for row in rows:
            values = {**row.value, "is_habitable_use": is_habitable(row.value["use_purposes"])}
            address = existing.get(values["bag_object_id"])
            if address is None:
                to_create.append(Address(municipality=actor.municipality, **values))
                continue
            if any(getattr(address, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(address, name, value)
                address.version += 1
                to_update.append(address)
        Address.objects.bulk_create(to_create, batch_size=2000)
        Address.objects.bulk_update(to_update, [*FIELDS, "is_habitable_use", "version"], batch_size=2000)
        return ImportResult(
            created=len(to_create),
            updated=len(to_update),
            unchanged=len(rows) - len(to_create) - len(to_update),
        )
