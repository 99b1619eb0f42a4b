"""Functional administration of data-sharing agreements."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ketenregie.cases.models import CaseKind, DataCategory, DataSharingAgreement
from ketenregie.core.admin import TenantAdmin, site


class AgreementForm(forms.ModelForm):
    data_categories = forms.MultipleChoiceField(
        label=_("data categories"), choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    case_kinds = forms.MultipleChoiceField(
        label=_("case kinds"),
        choices=CaseKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: the agreement covers every kind of case."),
    )

    class Meta:
        model = DataSharingAgreement
        fields = [
            "name",
            "reference",
            "parties",
            "purpose",
            "legal_basis",
            "data_categories",
            "case_kinds",
            "valid_from",
            "valid_until",
        ]


@admin.register(DataSharingAgreement, site=site)
class DataSharingAgreementAdmin(TenantAdmin):
    form = AgreementForm
    list_display = ["name", "reference", "valid_from", "valid_until"]
    search_fields = ["name", "reference"]
    filter_horizontal = ["parties"]
