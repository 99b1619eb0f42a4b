"""Data-sharing agreements (convenanten): who may receive which categories of case data, why, until when."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel


class DataCategory(models.TextChoices):
    """What a participant may see beyond the case itself (kind, status, dates, addresses, planning)."""

    SIGNALS = "signals", _("content of the meldingen")
    REPORTER = "reporter", _("contact details of reporters")
    FINDINGS = "findings", _("findings per address")
    PERSONS = "persons", _("identities of persons found")
    MEASURES = "measures", _("enforcement measures")
    ATTACHMENTS = "attachments", _("photos and documents")


ALL_CATEGORIES: frozenset[str] = frozenset(DataCategory.values)


class DataSharingAgreement(TenantModel, VersionedModel):
    """An agreement between the municipality and partner organisations to share case data.

    A partner organisation takes part in a case only under an agreement valid on that day; its users then
    see the data categories the agreement lists, and nothing else.
    """

    name = models.CharField(_("name"), max_length=200)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    parties = models.ManyToManyField(
        "core.Organisation", related_name="data_sharing_agreements", verbose_name=_("parties")
    )
    purpose = models.TextField(
        _("purpose"), help_text=_("Why the data is shared: the task the parties carry out together.")
    )
    legal_basis = models.TextField(
        _("legal basis"),
        help_text=_(
            "The statutory basis for sharing, e.g. art. 5:20 Awb, art. 64 Wet SUWI, a RIEC covenant."
        ),
    )
    data_categories = models.JSONField(
        _("data categories"),
        default=list,
        help_text=_(
            "Which categories of case data the partners may see: signals, reporter, findings, persons, "
            "measures, attachments."
        ),
    )
    case_kinds = models.JSONField(
        _("case kinds"),
        default=list,
        blank=True,
        help_text=_("Empty: the agreement covers every kind of case."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("data-sharing agreement")
        verbose_name_plural = _("data-sharing agreements")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from ketenregie.cases.models.cases import CaseKind

        unknown = set(self.data_categories or []) - ALL_CATEGORIES
        if unknown:
            raise ValidationError(
                {
                    "data_categories": _("Unknown data categories: %(unknown)s. Use: %(known)s.")
                    % {"unknown": ", ".join(sorted(unknown)), "known": ", ".join(DataCategory.values)}
                }
            )
        unknown_kinds = set(self.case_kinds or []) - set(CaseKind.values)
        if unknown_kinds:
            raise ValidationError(
                {
                    "case_kinds": _("Unknown case kinds: %(unknown)s.")
                    % {"unknown": ", ".join(sorted(unknown_kinds))}
                }
            )
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The agreement cannot end before it starts.")})

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def covers_kind(self, kind: str) -> bool:
        return not self.case_kinds or kind in self.case_kinds

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(self.data_categories or []) & ALL_CATEGORIES

    def category_labels(self) -> list[str]:
        return [str(label) for value, label in DataCategory.choices if value in self.categories]
