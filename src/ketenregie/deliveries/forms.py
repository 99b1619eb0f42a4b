from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketenregie.deliveries.models import DeliveryKind, DeliverySource, ReviewStatus
from ketenregie.deliveries.selectors import DeliveryFilter, ReviewFilter
from ketenregie.deliveries.services import ReviewDecision
from ketenregie.employers.models import Employer
from ketenregie.people.models import Person


class DeliveryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *DeliveryKind.choices])
    source = forms.ChoiceField(
        label=_("Delivered by (kind)"), required=False, choices=[("", _("all")), *DeliverySource.choices]
    )
    employer = forms.ModelChoiceField(label=_("Deliverer"), required=False, queryset=Employer.objects.none())
    delivered_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    delivered_until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, employers: QuerySet[Employer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]

    def to_filter(self) -> DeliveryFilter:
        if not self.is_valid():
            return DeliveryFilter()
        data = self.cleaned_data
        return DeliveryFilter(
            kind=data["kind"],
            source=data["source"],
            employer_id=data["employer"].pk if data["employer"] else None,
            delivered_from=data["delivered_from"],
            delivered_until=data["delivered_until"],
        )


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *ReviewStatus.choices], initial="open"
    )
    source = forms.ChoiceField(
        label=_("Delivered by (kind)"), required=False, choices=[("", _("all")), *DeliverySource.choices]
    )
    employer = forms.ModelChoiceField(label=_("Deliverer"), required=False, queryset=Employer.objects.none())
    delivery = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, employers: QuerySet[Employer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]

    def to_filter(self) -> ReviewFilter:
        if not self.is_bound:
            return ReviewFilter()
        if not self.is_valid():
            return ReviewFilter()
        data = self.cleaned_data
        return ReviewFilter(
            status=data["status"],
            source=data["source"],
            employer_id=data["employer"].pk if data["employer"] else None,
            delivery_id=data["delivery"],
        )


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    person = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, choices=[])
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, candidates: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {person.pk: person for person in candidates}
        self.fields["person"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (person.pk, person.full_name) for person in candidates
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == ReviewDecision.LINK and not data.get("person"):
            self.add_error("person", _("Choose the person to link the row to."))
        return data

    def chosen(self) -> Person | None:
        person_id = self.cleaned_data.get("person")
        return self.candidates.get(person_id) if person_id else None
