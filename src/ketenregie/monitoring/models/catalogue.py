"""The KPI catalogue: indicators, the values computed from the registers, and figures entered by hand."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel


class Unit(models.TextChoices):
    COUNT = "count", _("number")
    PERSONS = "persons", _("persons")
    PERCENTAGE = "percentage", _("percentage")
    EURO = "euro", _("euro")
    ADDRESSES = "addresses", _("addresses")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("higher is better")
    LOWER_IS_BETTER = "lower", _("lower is better")
    NEUTRAL = "neutral", _("neither: context")


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("computed from the registers")
    MANUAL = "manual", _("entered by hand")


class Indicator(TenantModel, VersionedModel):
    """One figure the municipality accounts for. Computed ones name the selector that computes them."""

    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices, default=Unit.COUNT)
    source = models.CharField(_("source"), max_length=10, choices=IndicatorSource.choices)
    selector = models.CharField(
        _("computed by"),
        max_length=200,
        blank=True,
        help_text=_("The named selector that computes the figure (computed indicators)."),
    )
    source_organisation = models.CharField(
        _("source organisation"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who supplies the figure (indicators entered by hand), e.g. Nederlandse Arbeidsinspectie."
        ),
    )
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.NEUTRAL
    )
    plausible_min = models.DecimalField(
        _("plausible minimum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    plausible_max = models.DecimalField(
        _("plausible maximum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    is_public = models.BooleanField(_("on the public dashboard"), default=True)
    shared_regionally = models.BooleanField(
        _("shared with the region"),
        default=False,
        help_text=_("Other municipalities of the labour-market or RIEC region may add this figure up."),
    )
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return self.name

    def is_plausible(self, value: Decimal) -> bool:
        if self.plausible_min is not None and value < self.plausible_min:
            return False
        return not (self.plausible_max is not None and value > self.plausible_max)


class IndicatorValue(TenantModel):
    """A computed value for one period (and optionally one neighbourhood), kept so dashboards are fast
    and a report can say when its figures were computed."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), help_text=_("Exclusive: the first day after the period."))
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("computed value")
        verbose_name_plural = _("computed values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end", "neighbourhood"],
                name="indicator_value_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"],
                condition=Q(neighbourhood__isnull=True),
                name="indicator_value_unique_total",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "indicator", "period_start"], name="indicator_value_lookup")
        ]


class ManualValue(TenantModel, VersionedModel):
    """A figure entered by hand, with where it comes from. Implausible values need a confirmation."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="manual_values", verbose_name=_("indicator")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), help_text=_("Exclusive: the first day after the period."))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    confirmed_outside_range = models.BooleanField(
        _("confirmed although outside the plausible range"), default=False
    )
    entered_by = models.CharField(_("entered by"), max_length=150, blank=True)

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("figure entered by hand")
        verbose_name_plural = _("figures entered by hand")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"], name="manual_value_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")), name="manual_value_period"
            ),
        ]
