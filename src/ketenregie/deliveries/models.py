"""Who delivered what to the register: employers, temp agencies, housing providers, the information
point and inspections deliver lists of labour migrants and their employments.

A delivery is recorded whether it changed the register or not (a covenant member that delivers the
same list again has still delivered this month). Each delivered person is kept with the address the
deliverer gave, so a housing provider's occupant list can be compared with the BRP. A row that may be
a known person but cannot be matched with certainty waits in the review queue; it is never merged
silently.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel


class DeliveryKind(models.TextChoices):
    LABOUR_MIGRANTS = "labour-migrants", _("labour migrants")
    EMPLOYMENTS = "employments", _("employments")


class DeliverySource(models.TextChoices):
    """Who the deliverer is; also the source of the stay addresses a delivery records."""

    EMPLOYER = "employer", _("employer")
    AGENCY = "agency", _("temp agency")
    HOUSING_PROVIDER = "housing_provider", _("housing provider")
    INFOPOINT = "infopoint", _("information point")
    INSPECTION = "inspection", _("inspection")


class DeliveryChannel(models.TextChoices):
    FILE = "file", _("file (command line)")
    UPLOAD = "upload", _("upload in the staff application")
    API = "api", _("API")


class DeliveryObligation(models.TextChoices):
    """Why the deliverer delivers: what the delivery is accounted against."""

    COVENANT = "covenant", _("covenant obligation (monthly)")
    QUALITY_MARK = "quality_mark", _("occupant register of a certified location (SNF/AKF)")
    AGREEMENT = "agreement", _("data-sharing agreement")
    VOLUNTARY = "voluntary", _("voluntary")
    OWN_OBSERVATION = "own_observation", _("own observation (inspection, information point)")


class NamesItsDeliverer:
    """The deliverer as shown: the employer, else the organisation, else the account or command."""

    employer: Any
    employer_id: int | None
    organisation: Any
    organisation_id: int | None
    delivered_by_name: str

    @property
    def deliverer_name(self) -> str:
        if self.employer_id and self.employer is not None:
            return str(self.employer.name)
        if self.organisation_id and self.organisation is not None:
            return str(self.organisation.name)
        return self.delivered_by_name


class Delivery(NamesItsDeliverer, TenantModel):
    kind = models.CharField(_("kind"), max_length=20, choices=DeliveryKind.choices)
    source = models.CharField(_("delivered by (kind)"), max_length=20, choices=DeliverySource.choices)
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("delivering employer, agency or provider"),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("delivering organisation"),
        help_text=_("Set when the deliverer is a chain partner or department rather than an employer."),
    )
    obligation = models.CharField(
        _("delivered under"),
        max_length=20,
        choices=DeliveryObligation.choices,
        default=DeliveryObligation.VOLUNTARY,
    )
    covenant = models.ForeignKey(
        "employers.Covenant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("covenant"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    checksum = models.CharField(
        _("SHA-256 of the delivered data"),
        max_length=64,
        blank=True,
        help_text=_("Shows a repeated delivery."),
    )
    delivered_at = models.DateTimeField(_("delivered at"), auto_now_add=True, db_index=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivered by"),
        help_text=_("Empty for a delivery from the command line."),
    )
    delivered_by_name = models.CharField(
        _("delivered by (name)"),
        max_length=150,
        blank=True,
        help_text=_("The account or command, as recorded."),
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    review_count = models.PositiveIntegerField(_("to review"), default=0)

    class Meta:
        ordering = ["-delivered_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["municipality", "employer", "delivered_at"], name="delivery_employer_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(employer__isnull=False) | Q(organisation__isnull=False) | Q(channel="file"),
                name="delivery_has_deliverer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.delivered_at:%Y-%m-%d}"


class DeliveredPerson(TenantModel):
    """One row of a labour-migrant delivery as matched to the register: who, and where they stay."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="people", verbose_name=_("delivery")
    )
    row_number = models.PositiveIntegerField(_("row"))
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
        help_text=_("Empty while the row waits in the review queue."),
    )
    address = models.ForeignKey(
        "places.Address",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivered address"),
    )

    class Meta:
        ordering = ["delivery", "row_number"]
        verbose_name = _("delivered person")
        verbose_name_plural = _("delivered people")
        indexes = [
            models.Index(fields=["address", "delivery"], name="delivered_person_address"),
            models.Index(fields=["person"], name="delivered_person_person"),
        ]


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("to review")
    LINKED = "linked", _("linked to an existing person")
    CREATED = "created", _("registered as a new person")
    DISMISSED = "dismissed", _("dismissed")


class MatchReview(TenantModel, VersionedModel):
    """A delivered row that may be a known person: civil affairs decides, the import never guesses."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("delivery")
    )
    row_number = models.PositiveIntegerField(_("row"))
    values = models.JSONField(_("delivered values"), help_text=_("The row as delivered, after validation."))
    reason = models.CharField(_("why it needs a review"), max_length=200)
    # Who the row is about (deliveries.services.review_identity): a later delivery of the same worker
    # reuses the decision instead of asking again.
    identity = models.CharField(
        _("delivered identity"),
        max_length=500,
        blank=True,
        help_text=_("The BSN, or the normalised name and date of birth, as delivered."),
    )
    candidates = models.ManyToManyField(
        "people.Person", related_name="+", blank=True, verbose_name=_("possible matches")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided person"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-delivery__delivered_at", "row_number"]
        verbose_name = _("match to review")
        verbose_name_plural = _("matches to review")
        indexes = [
            models.Index(fields=["municipality", "status"], name="match_review_status"),
            models.Index(fields=["municipality", "identity"], name="match_review_identity"),
        ]


class RefusedDelivery(NamesItsDeliverer, TenantModel):
    """A delivery refused as a whole, kept so that refusals leave a trace: who tried, what kind, how
    many rows and how many problems. Never a value of a row: a refusal names a person's BSN or name,
    and the refused rows are not the register's to keep. A partner that probes the register with
    one-row deliveries shows up here (docs/deliveries.md, "Refused deliveries")."""

    kind = models.CharField(_("kind"), max_length=20, choices=DeliveryKind.choices)
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refused_deliveries",
        verbose_name=_("delivering employer, agency or provider"),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refused_deliveries",
        verbose_name=_("delivering organisation"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel.choices)
    refused_at = models.DateTimeField(_("refused at"), auto_now_add=True, db_index=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivered by"),
    )
    delivered_by_name = models.CharField(_("delivered by (name)"), max_length=150, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("problems"), default=0)

    class Meta:
        ordering = ["-refused_at", "-pk"]
        verbose_name = _("refused delivery")
        verbose_name_plural = _("refused deliveries")
