from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.core.actor import Actor
from ketenregie.places import selectors
from ketenregie.places.selectors import AddressFilter

TRISTATE = [("", _("all")), ("1", _("yes")), ("0", _("no"))]


def tristate(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


class AddressFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Street and number, postcode (and number) or a BAG id."),
    )
    district = forms.TypedChoiceField(label=_("District"), required=False, coerce=int, empty_value=None)
    neighbourhood = forms.TypedChoiceField(
        label=_("Neighbourhood"), required=False, coerce=int, empty_value=None
    )
    habitable = forms.ChoiceField(label=_("Residential or lodging use"), required=False, choices=TRISTATE)
    over_norm = forms.ChoiceField(label=_("More people than the norm"), required=False, choices=TRISTATE)
    incomplete = forms.ChoiceField(label=_("Incomplete (missing in BAG)"), required=False, choices=TRISTATE)
    order = forms.ChoiceField(
        label=_("Order by"),
        required=False,
        choices=[
            ("address", _("street and number")),
            ("postcode", _("postcode")),
            ("-floor_area", _("floor area, largest first")),
            ("floor_area", _("floor area, smallest first")),
        ],
    )

    def __init__(self, *args: object, actor: Actor, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["district"].choices = [("", _("all"))] + [  # type: ignore[attr-defined]
            (d.pk, d.name) for d in selectors.districts(actor=actor)
        ]
        self.fields["neighbourhood"].choices = [("", _("all"))] + [  # type: ignore[attr-defined]
            (n.pk, n.name) for n in selectors.neighbourhoods(actor=actor)
        ]

    def to_filter(self) -> AddressFilter:
        if not self.is_valid():
            return AddressFilter()
        data = self.cleaned_data
        return AddressFilter(
            search=data["q"],
            district_id=data["district"],
            neighbourhood_id=data["neighbourhood"],
            habitable=tristate(data["habitable"]),
            over_norm=tristate(data["over_norm"]),
            incomplete=tristate(data["incomplete"]),
            order=data["order"] or "address",
        )
