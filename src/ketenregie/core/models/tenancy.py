from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.core.validators import validate_municipality_code


class Municipality(models.Model):
    """The tenant. Every record belongs to one municipality; no query crosses tenants."""

    code = models.CharField(
        _("CBS municipality code"),
        max_length=4,
        unique=True,
        validators=[validate_municipality_code],
        help_text=_("Four digits, as in the CBS code list (gemeentecode), e.g. 0599."),
    )
    name = models.CharField(_("name"), max_length=100)
    labour_market_region = models.CharField(_("labour-market region"), max_length=100, blank=True)
    riec_region = models.CharField(_("RIEC region"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Norms(models.Model):
    """Norms and thresholds a functional administrator can change per municipality.

    Defaults follow DOMAIN.md: Bouwbesluit 2012 art. 7.18 (12 m² per person, 6 m² in a caravan),
    the VNG's wish that a housing permit requires a quality mark, and small-count suppression at 5.
    """

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="norms", verbose_name=_("municipality")
    )
    floor_area_per_person_m2 = models.DecimalField(
        _("minimum floor area per person (m²)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("12.0"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    caravan_floor_area_per_person_m2 = models.DecimalField(
        _("minimum floor area per person in a caravan (m²)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("6.0"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    permit_requires_quality_mark = models.BooleanField(
        _("a housing permit requires a valid quality mark (SNF/AKF)"), default=True
    )
    quality_mark_expiry_warning_days = models.PositiveIntegerField(
        _("warn this many days before a quality mark expires"), default=90
    )
    suppression_threshold = models.PositiveIntegerField(
        _("suppress counts below"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Counts below this number are shown as '<N' in anything that leaves the staff application."
        ),
    )
    # Municipalities differ: some count everyone in the RNI who stays here as a labour migrant, others
    # only those an employer or the person says came to work. Off unless the administrator says so.
    rni_stay_makes_labour_migrant = models.BooleanField(
        _("treat RNI registrants with a stay address here as labour migrants"),
        default=False,
        help_text=_(
            "When on, the GBA-V import gives a person registered in the RNI (non-resident) who has a "
            "current stay address in this municipality a labour-migrant profile, to be confirmed by staff."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("norms")
        verbose_name_plural = _("norms")

    def __str__(self) -> str:
        return str(_("Norms for %(municipality)s") % {"municipality": self.municipality})
