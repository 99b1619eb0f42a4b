"""Retention: how long each kind of record is kept per municipality, legal holds on cases, and the purges.

The records themselves belong to their apps; this app holds only the policy, the holds and the history
of purges, none of which contains personal data (a hold names a case by its reference).
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel


class RecordType(models.TextChoices):
    SIGNALS = "signals", _("meldingen")
    CASES_SANCTIONED = "cases_sanctioned", _("cases with a sanction, with their findings, measures and files")
    CASES = "cases", _("other cases, with their findings, measures and files")
    HANDOVER_DOSSIERS = "handover_dossiers", _("hand-over dossiers")
    REGISTRATION_FORMS = "registration_forms", _("first-registration forms")
    PORTAL_VERIFICATIONS = "portal_verifications", _("portal verifications and the codes sent")
    SELF_SERVICE_REPORTS = "self_service_reports", _("self-service reports")
    INFOPOINT_CONTACTS = "infopoint_contacts", _("information-point contacts")
    RISK_RUNS = "risk_runs", _("risk runs with their scores and control lists")
    AUDIT_TRAIL = "audit_trail", _("audit trail")


class PeriodUnit(models.TextChoices):
    DAYS = "days", _("days")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")


class RetentionPolicy(TenantModel, VersionedModel):
    """The municipality's own period for one record type, when it differs from the default or was
    confirmed; without a row the default of ``defaults.DEFAULTS`` applies."""

    record_type = models.CharField(_("record type"), max_length=30, choices=RecordType.choices)
    amount = models.PositiveIntegerField(_("period"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=6, choices=PeriodUnit.choices)
    basis = models.TextField(
        _("basis"),
        max_length=2000,
        help_text=_("The source or reasoning of this period, e.g. the Selectielijst category."),
    )
    changed_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    changed_by_name = models.CharField(_("changed by"), max_length=150, blank=True)

    class Meta:
        ordering = ["record_type"]
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "record_type"], name="retention_policy_unique")
        ]

    def __str__(self) -> str:
        return f"{self.record_type}: {self.amount} {self.unit}"


class LegalHold(TenantModel):
    """A hold on a case: while it is not lifted, the purge keeps the case and everything of it.

    The case is named by its reference as well, so the history of holds still reads after the case
    itself is removed, once the hold was lifted and its period had passed.
    """

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    case_reference = models.CharField(_("case"), max_length=30)
    reason = models.TextField(_("reason"), max_length=2000)
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    placed_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    placed_by_name = models.CharField(_("placed by"), max_length=150)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    lifted_by_name = models.CharField(_("lifted by"), max_length=150, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(lifted_at__isnull=True),
                name="legal_hold_one_active_per_case",
                violation_error_message=_("This case is already under a legal hold."),
            )
        ]

    def __str__(self) -> str:
        return self.case_reference

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class PurgeRun(TenantModel):
    """One purge (or dry run): per record type how many were due and how many were removed."""

    as_of = models.DateField(_("as of"))
    dry_run = models.BooleanField(_("dry run"), default=False)
    ran_at = models.DateTimeField(_("ran at"), default=timezone.now)
    ran_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    ran_by_name = models.CharField(_("by"), max_length=150)
    counts = models.JSONField(_("counts per record type"), default=dict)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        ordering = ["-ran_at", "-id"]
        verbose_name = _("purge")
        verbose_name_plural = _("purges")
        indexes = [models.Index(fields=["municipality", "-ran_at"], name="retention_purge_latest")]

    def __str__(self) -> str:
        return f"{self.as_of} {'dry run' if self.dry_run else 'purge'}"

    @property
    def total_due(self) -> int:
        return sum(int(row.get("due", 0)) for row in self.counts.values())

    @property
    def total_removed(self) -> int:
        return sum(int(row.get("removed", 0)) for row in self.counts.values())
