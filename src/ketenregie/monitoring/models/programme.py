"""Programme lines (actielijnen) with their goals, yearly targets and budgets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel


class ProgrammeLine(TenantModel, VersionedModel):
    programme = models.CharField(
        _("programme"),
        max_length=200,
        help_text=_("For example: Actieprogramma Meer grip op arbeidsmigratie 2023–2026."),
    )
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    goal = models.TextField(_("goal"))
    indicators = models.ManyToManyField(
        "monitoring.Indicator", through="LineTarget", related_name="lines", verbose_name=_("indicators")
    )

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("programme line")
        verbose_name_plural = _("programme lines")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "programme", "number"], name="programme_line_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class LineTarget(TenantModel):
    """What a line aims for on one indicator in one year: effectiveness is the outcome against this."""

    line = models.ForeignKey(
        ProgrammeLine, on_delete=models.CASCADE, related_name="targets", verbose_name=_("programme line")
    )
    indicator = models.ForeignKey(
        "monitoring.Indicator", on_delete=models.PROTECT, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveIntegerField(_("year"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    counts_for_efficiency = models.BooleanField(
        _("measures the line's output"),
        default=False,
        help_text=_("Efficiency is the line's spending divided by this indicator's outcome."),
    )

    class Meta:
        ordering = ["line", "year", "indicator"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["line", "indicator", "year"], name="line_target_unique")
        ]


class LineBudget(TenantModel, VersionedModel):
    line = models.ForeignKey(
        ProgrammeLine, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("programme line")
    )
    year = models.PositiveIntegerField(_("year"))
    budget = models.DecimalField(_("budget (EUR)"), max_digits=14, decimal_places=2)
    spent = models.DecimalField(_("spent (EUR)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["line", "year"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [models.UniqueConstraint(fields=["line", "year"], name="line_budget_unique")]
