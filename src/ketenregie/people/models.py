from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel
from ketenregie.core.validators import validate_bsn


class RegistrationStatus(models.TextChoices):
    RESIDENT = "brp", _("registered resident (BRP)")
    NON_RESIDENT = "rni", _("non-resident (RNI)")
    NOT_REGISTERED = "none", _("not registered")
    EMIGRATED = "emigrated", _("emigrated")
    DECEASED = "deceased", _("deceased")


class Person(TenantModel, VersionedModel):
    bsn = models.CharField(
        _("BSN"),
        max_length=9,
        blank=True,
        validators=[validate_bsn],
        help_text=_("Burgerservicenummer: 9 digits that pass the 11-test. Optional."),
    )
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    surname_prefix = models.CharField(_("surname prefix (voorvoegsel)"), max_length=10, blank=True)
    surname = models.CharField(_("surname"), max_length=200)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(
        _("nationality"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 country code, e.g. PL.")
    )
    registration_status = models.CharField(
        _("registration status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.RESIDENT,
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("ISO 639-1 codes of the languages the person reads."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_secret = models.BooleanField(
        _("secret (geheimhouding)"),
        default=False,
        help_text=_("The person asked the BRP not to hand out their data to third parties."),
    )

    class Meta:
        ordering = ["surname", "given_names", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "bsn"],
                condition=~Q(bsn=""),
                name="person_unique_bsn",
                violation_error_message=_("A person with this BSN is already registered."),
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "surname", "birth_date"], name="person_name_birth"),
            models.Index(fields=["municipality", "nationality"], name="person_nationality"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.surname_prefix, self.surname) if part)


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("agriculture and horticulture")
    LOGISTICS = "logistics", _("logistics and distribution")
    FOOD = "food", _("food processing")
    MANUFACTURING = "manufacturing", _("manufacturing")
    CONSTRUCTION = "construction", _("construction")
    HOSPITALITY = "hospitality", _("hospitality")
    CLEANING = "cleaning", _("cleaning")
    PORT = "port", _("port and shipping")
    CARE = "care", _("care")
    OTHER = "other", _("other")


class LabourMigrant(TenantModel):
    """A person who came here to work: the labour-migration profile of a Person."""

    person = models.OneToOneField(
        Person,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="labour_migrant",
        verbose_name=_("person"),
    )
    country_of_origin = models.CharField(_("country of origin"), max_length=2)
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER)

    class Meta:
        verbose_name = _("labour migrant")
        verbose_name_plural = _("labour migrants")

    def __str__(self) -> str:
        return str(self.person)


class ResidenceSource(models.TextChoices):
    BRP = "brp", _("BRP")
    RNI = "rni", _("RNI")
    EMPLOYER = "employer", _("employer")
    SELF_SERVICE = "self_service", _("self-service")
    INSPECTION = "inspection", _("inspection")


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("not verified")
    VERIFIED = "verified", _("verified")
    DISPUTED = "disputed", _("disputed")
    REJECTED = "rejected", _("rejected")


class AddressFunction(models.TextChoices):
    LIVING = "W", _("living address (woonadres)")
    POSTAL = "B", _("postal address (briefadres)")


class Residence(TenantModel, VersionedModel):
    """A person's stay at an address for a period [starts_on, ends_on): the end date is exclusive."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="residences", verbose_name=_("person")
    )
    address = models.ForeignKey(
        "places.Address", on_delete=models.PROTECT, related_name="residences", verbose_name=_("address")
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("The first day the person no longer stays here; empty while current."),
    )
    source = models.CharField(_("source"), max_length=20, choices=ResidenceSource.choices)
    verification_status = models.CharField(
        _("verification"),
        max_length=12,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
    )
    address_function = models.CharField(
        _("address function"), max_length=1, choices=AddressFunction.choices, default=AddressFunction.LIVING
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("residence")
        verbose_name_plural = _("residences")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gt=models.F("starts_on")),
                name="residence_ends_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["address", "ends_on"], name="residence_address_end"),
            models.Index(fields=["person", "starts_on"], name="residence_person_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.address_id} [{self.starts_on}–{self.ends_on or ''})"

    def is_living_on(self, day: dt.date) -> bool:
        """The Python twin of ``people.selectors.living_on``; both use the half-open period."""
        return (
            self.address_function == AddressFunction.LIVING
            and (self.starts_on is None or self.starts_on <= day)
            and (self.ends_on is None or self.ends_on > day)
        )
