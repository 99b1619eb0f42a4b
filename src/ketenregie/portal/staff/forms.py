"""Staff forms for the portal's information pages and self-service reports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.people.selectors import VerificationMethod, VerificationStatus
from ketenregie.portal.models import ReviewStatus
from ketenregie.portal.selectors import ReportFilter
from ketenregie.portal.staff.labels import FLAG_LABELS, REVIEW_LABELS, TOPIC_LABELS


class PageForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    slug = forms.SlugField(
        label=_("Address on the portal"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens; the same in every language, e.g. digid."),
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=list(TOPIC_LABELS.items()))
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=999, initial=10)
    is_published = forms.BooleanField(label=_("Published on the portal"), required=False, initial=True)


class NewPageForm(PageForm):
    title = forms.CharField(label=_("Dutch title"), max_length=200)
    summary = forms.CharField(label=_("Dutch summary"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Dutch text (Markdown)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: ## for a heading, - for a list, [text](https://…) for a link. No HTML."),
    )


class TranslationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Text (Markdown)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: ## for a heading, - for a list, [text](https://…) for a link. No HTML."),
    )
    matches_original = forms.BooleanField(
        label=_("This translation matches the current Dutch text"),
        required=False,
        initial=True,
        help_text=_(
            "Untick it for a small fix when the Dutch text has changed since: the page stays marked."
        ),
    )


class ReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Check"),
        required=False,
        choices=[("", _("all")), *[(k, v) for k, v in REVIEW_LABELS.items()]],
        initial=ReviewStatus.OPEN,
    )
    flag = forms.ChoiceField(label=_("Flag"), required=False, choices=[("", _("all")), *FLAG_LABELS.items()])

    def to_filter(self) -> ReportFilter:
        if not self.is_bound:
            return ReportFilter()
        if not self.is_valid():
            return ReportFilter()
        return ReportFilter(review_status=self.cleaned_data["status"], flag=self.cleaned_data["flag"])


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("What did you check or do?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: address investigation started, person invited to register, no problem."),
    )
    # Only when the report recorded a stay address that can still be verified or rejected.
    address_status = forms.ChoiceField(
        label=_("The reported stay address"),
        required=False,
        choices=[
            ("", _("leave as it is")),
            (VerificationStatus.VERIFIED, _("verified")),
            (VerificationStatus.REJECTED, _("rejected: the person does not live there")),
        ],
    )
    method = forms.ChoiceField(
        label=_("Established how"), required=False, choices=[("", "–"), *VerificationMethod.choices]
    )
    residence_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, verifiable: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not verifiable:
            for name in ("address_status", "method", "residence_version"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("address_status") and not data.get("method"):
            self.add_error("method", _("Say how the address was verified or rejected."))
        if data.get("address_status") and data.get("residence_version") is None:
            self.add_error(None, _("Reload the page: the address's version is missing."))
        return data
