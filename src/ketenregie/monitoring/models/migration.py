"""The broader migration monitor: the four motives, Ukrainian displaced persons, reception and benchmarks."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel


class MigrationMotive(models.TextChoices):
    ASYLUM = "asylum", _("asylum")
    LABOUR = "labour", _("labour")
    FAMILY = "family", _("family")
    STUDY = "study", _("study")
    UKRAINE = "ukraine", _("displaced persons from Ukraine")


class MigrationMeasure(models.TextChoices):
    """What is counted. Each pairs a realised figure with an optional target."""

    STATUSHOLDERS_HOUSED = "statusholders_housed", _("refugees with a residence permit housed (taakstelling)")
    UKRAINE_PLACES = "ukraine_places", _("reception places for displaced Ukrainians")
    INTEGRATION_PARTICIPANTS = "integration_participants", _("people in civic integration (Wi2021)")
    INTEGRATION_COMPLETED = "integration_completed", _("civic integration completed")
    INTEGRATION_ON_ASSISTANCE = (
        "integration_on_assistance",
        _("share of statusholders obliged to integrate on social assistance (%)"),
    )
    ASYLUM_SEEKERS_IN_WORK = "asylum_in_work", _("share of reception residents able to work in paid work (%)")
    RESIDENTS = "residents", _("residents with this migration motive")


class MigrationFigure(TenantModel, VersionedModel):
    motive = models.CharField(_("motive"), max_length=10, choices=MigrationMotive.choices)
    measure = models.CharField(_("measure"), max_length=30, choices=MigrationMeasure.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), help_text=_("Exclusive: the first day after the period."))
    realised = models.DecimalField(_("realised"), max_digits=12, decimal_places=2)
    target = models.DecimalField(
        _("target or requirement"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["motive", "measure", "period_start"]
        verbose_name = _("migration figure")
        verbose_name_plural = _("migration figures")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "motive", "measure", "period_start", "period_end"],
                name="migration_figure_unique",
            ),
        ]


class ReceptionKind(models.TextChoices):
    LASTING = "lasting", _("lasting (at least 5 years)")
    EMERGENCY = "emergency", _("emergency")


class ReceptionLocation(TenantModel, VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    motive = models.CharField(_("for"), max_length=10, choices=MigrationMotive.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=ReceptionKind.choices)
    operator = models.CharField(_("operator"), max_length=200, blank=True, help_text=_("For example COA."))
    capacity = models.PositiveIntegerField(_("capacity"))
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["motive", "name"]
        verbose_name = _("reception location")
        verbose_name_plural = _("reception locations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(ends_on__gt=models.F("opened_on")),
                name="reception_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BenchmarkFigure(TenantModel):
    """A published comparison figure (CBS, Divosa), imported from CSV."""

    source = models.CharField(_("source"), max_length=60)
    indicator = models.CharField(_("indicator"), max_length=200)
    subject_code = models.CharField(_("municipality or group code"), max_length=10, blank=True)
    subject_name = models.CharField(_("municipality or group"), max_length=200)
    period = models.CharField(_("period"), max_length=20)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, blank=True)

    class Meta:
        ordering = ["indicator", "period", "subject_name"]
        verbose_name = _("benchmark figure")
        verbose_name_plural = _("benchmark figures")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "source", "indicator", "subject_name", "period"],
                name="benchmark_unique",
            ),
        ]
