"""Records of the synthetic generator, kept apart from the product apps.

The planted ground truth says what is really going on at an address (people living there who are
not registered, overcrowding, exploitation) so risk selection can be scored against it later.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel


class SeedRun(TenantModel):
    profile = models.CharField(_("profile"), max_length=30)
    seed = models.IntegerField(_("seed"))
    scale = models.FloatField(_("scale"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("seed run")
        verbose_name_plural = _("seed runs")


class PlantedConditionKind(models.TextChoices):
    OVERCROWDING = "overcrowding", _("overcrowding")
    UNREGISTERED_OCCUPANTS = "unregistered", _("people living there unregistered")
    REGISTERED_ELSEWHERE = "registered_not_living", _("registered but not living there")
    EXPLOITATION = "exploitation", _("labour exploitation signals")
    NON_RESIDENTIAL_USE = "non_residential", _("living in a non-residential building")


class PlantedCondition(TenantModel):
    address = models.ForeignKey("places.Address", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, choices=PlantedConditionKind.choices)
    actual_occupants = models.PositiveIntegerField(_("people actually living there"))
    since = models.DateField(_("since"))

    class Meta:
        verbose_name = _("planted condition")
        verbose_name_plural = _("planted conditions")
        indexes = [models.Index(fields=["municipality", "kind"], name="planted_kind")]
