"""Council motions, promises of the executive and audit-office recommendations, and how they are settled."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel


class CommitmentKind(models.TextChoices):
    MOTION = "motion", _("council motion (motie)")
    PROMISE = "promise", _("promise of the executive (toezegging)")
    AUDIT_RECOMMENDATION = "audit", _("audit-office recommendation (rekenkameraanbeveling)")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    PROPOSED_SETTLED = "proposed", _("proposed as settled")
    SETTLED = "settled", _("settled (afgedaan)")


class Commitment(TenantModel, VersionedModel):
    kind = models.CharField(_("kind"), max_length=10, choices=CommitmentKind.choices)
    number = models.CharField(
        _("number"), max_length=40, help_text=_("As registered by the council, e.g. 24bb006037.")
    )
    title = models.CharField(_("title"), max_length=300)
    adopted_on = models.DateField(_("date"))
    text = models.TextField(_("text"), blank=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    response = models.TextField(_("response of the executive"), blank=True)
    settlement_text = models.TextField(_("proposed settlement"), blank=True)
    settlement_proposed_on = models.DateField(_("settlement proposed on"), null=True, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)

    class Meta:
        ordering = ["-adopted_on", "number"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="commitment_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def is_overdue(self, on: dt.date) -> bool:
        return (
            self.due_on is not None
            and self.due_on < on
            and self.status not in (CommitmentStatus.SETTLED, CommitmentStatus.PROPOSED_SETTLED)
        )


class EvidenceKind(models.TextChoices):
    INDICATOR = "indicator", _("indicator")
    CASE = "case", _("case")
    DOCUMENT = "document", _("document")


class CommitmentEvidence(TenantModel):
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("commitment")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    indicator = models.ForeignKey(
        "monitoring.Indicator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_for",
        verbose_name=_("indicator"),
    )
    reference = models.CharField(
        _("reference"),
        max_length=300,
        blank=True,
        help_text=_("A case number, or a document's title and registration number."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["commitment", "kind"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
