from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel


class LocationKind(models.TextChoices):
    REGULAR_DWELLING = "dwelling", _("regular dwelling")
    LODGING_BUILDING = "lodging", _("lodging building (logiesgebouw)")
    HOLIDAY_PARK = "holiday_park", _("holiday park or chalets")
    ON_SITE = "on_site", _("housing on the employer's premises")
    HOTEL = "hotel", _("hotel or pension")


class HousingLocation(TenantModel, VersionedModel):
    """A location where employers or providers house labour migrants (logies)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=LocationKind.choices)
    provider = models.ForeignKey(
        "employers.Employer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="housing_locations",
        verbose_name=_("provider"),
    )
    provider_name = models.CharField(_("provider (when not an employer)"), max_length=200, blank=True)
    addresses = models.ManyToManyField(
        "places.Address", related_name="housing_locations", verbose_name=_("addresses")
    )
    capacity_persons = models.PositiveIntegerField(_("capacity (persons)"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("housing location")
        verbose_name_plural = _("housing locations")

    def __str__(self) -> str:
        return self.name


class QualityMarkScheme(models.TextChoices):
    SNF = "SNF", _("SNF (Stichting Normering Flexwonen)")
    AKF = "AKF", _("AKF (Agrarisch Keurmerk Flexwonen)")


class QualityMark(TenantModel):
    location = models.ForeignKey(
        HousingLocation,
        on_delete=models.CASCADE,
        related_name="quality_marks",
        verbose_name=_("housing location"),
    )
    scheme = models.CharField(_("scheme"), max_length=3, choices=QualityMarkScheme.choices)
    certificate_number = models.CharField(_("certificate number"), max_length=40)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    last_inspected_on = models.DateField(_("last inspected on"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_until"]
        verbose_name = _("quality mark")
        verbose_name_plural = _("quality marks")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="quality_mark_valid_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.certificate_number}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until


class PermitStatus(models.TextChoices):
    APPLIED = "applied", _("applied for")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")
    REVOKED = "revoked", _("revoked")


class HousingPermit(TenantModel, VersionedModel):
    """A permit under the municipal policy rule for lodging (beleidsregel logies)."""

    location = models.ForeignKey(
        HousingLocation, on_delete=models.CASCADE, related_name="permits", verbose_name=_("housing location")
    )
    number = models.CharField(_("permit number"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=PermitStatus.choices)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    max_persons = models.PositiveIntegerField(_("maximum persons"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("housing permit")
        verbose_name_plural = _("housing permits")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="permit_unique_number"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="permit_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: dt.date) -> bool:
        return (
            self.status == PermitStatus.GRANTED
            and self.valid_from is not None
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )
