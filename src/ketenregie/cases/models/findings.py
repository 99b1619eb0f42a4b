"""What an inspection found per address, the first-registration forms drawn up there, the measures taken,
the files attached, and the dossiers handed over to other organisations."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.cases.models.history import OwnedRecord
from ketenregie.core.countries import validate_country_code
from ketenregie.core.models import TenantModel, VersionedModel
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import validate_bsn

if TYPE_CHECKING:
    from ketenregie.core.actor import Actor


def _recorded_by() -> models.ForeignKey:
    return models.ForeignKey(
        "core.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )


class Finding(OwnedRecord, TenantModel, VersionedModel):
    """The findings (constateringen) at one address on one day.

    ``violation_found`` is derived, never typed in: it is true when any violation was established
    (overcrowding against the norm, fire safety, unregistered occupants, exploitation signals,
    people registered who do not live there, or another violation).
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="findings", verbose_name=_("case")
    )
    address = models.ForeignKey(
        "places.Address", on_delete=models.PROTECT, related_name="findings", verbose_name=_("address")
    )
    found_on = models.DateField(_("date of the visit"))
    recorded_by_organisation = _recorded_by()
    no_access = models.BooleanField(_("no access"), default=False)
    inhabited = models.BooleanField(_("inhabited"), null=True, blank=True)
    persons_found = models.PositiveIntegerField(_("persons found living there"), null=True, blank=True)
    persons_registered = models.PositiveIntegerField(
        _("persons registered (BRP) on the day"), null=True, blank=True
    )
    floor_area_m2 = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    norm_m2_per_person = models.DecimalField(
        _("norm (m² per person)"), max_digits=5, decimal_places=1, default=Decimal("12.0")
    )
    overcrowded = models.BooleanField(_("overcrowded"), default=False, editable=False)
    fire_safety_issue = models.BooleanField(_("fire-safety defects"), default=False)
    fire_safety_notes = models.CharField(_("fire safety: what"), max_length=500, blank=True)
    unregistered_persons = models.PositiveIntegerField(_("persons living there unregistered"), default=0)
    registered_not_living = models.PositiveIntegerField(
        _("persons registered but not living there"), default=0
    )
    exploitation_signals = models.BooleanField(_("signals of labour exploitation"), default=False)
    exploitation_notes = models.CharField(_("exploitation: what"), max_length=500, blank=True)
    other_violation = models.BooleanField(
        _("other violation"),
        default=False,
        help_text=_("For example living in a non-residential building, or illegal work at a site."),
    )
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    violation_found = models.BooleanField(_("violation established"), default=False, editable=False)

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        indexes = [
            models.Index(fields=["municipality", "found_on"], name="finding_date"),
            models.Index(fields=["address", "found_on"], name="finding_address"),
        ]

    def __str__(self) -> str:
        return f"{self.address_id} {self.found_on}"

    def evaluate(self) -> None:
        """Derive overcrowding (persons × norm above the floor area) and whether any violation was found."""
        self.overcrowded = bool(
            self.persons_found
            and self.floor_area_m2
            and Decimal(self.persons_found) * Decimal(self.norm_m2_per_person) > Decimal(self.floor_area_m2)
        )
        self.violation_found = bool(
            self.overcrowded
            or self.fire_safety_issue
            or self.unregistered_persons
            or self.registered_not_living
            or self.exploitation_signals
            or self.other_violation
        )

    def clean(self) -> None:
        if self.no_access and (self.persons_found or self.unregistered_persons):
            raise ValidationError(_("With no access, nobody can have been counted inside."))
        if (
            self.persons_found is not None
            and self.unregistered_persons
            and self.unregistered_persons > self.persons_found
        ):
            raise ValidationError(
                {"unregistered_persons": _("More unregistered persons than persons found is not possible.")}
            )
        if self.found_on and self.found_on > timezone.localdate():
            raise ValidationError({"found_on": _("A visit cannot be dated in the future.")})

    def save(self, *args: object, **kwargs: object) -> None:
        self.evaluate()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def floor_area_per_person(self) -> Decimal | None:
        if not self.persons_found or not self.floor_area_m2:
            return None
        return (Decimal(self.floor_area_m2) / self.persons_found).quantize(Decimal("0.1"))


class RegistrationFormStatus(models.TextChoices):
    DRAWN_UP = "drawn_up", _("drawn up on the spot")
    SENT = "sent", _("sent to civil affairs")
    PROCESSED = "processed", _("processed in the BRP")
    REJECTED = "rejected", _("rejected")


class RegistrationOutcome(models.TextChoices):
    """What civil affairs made of a first-registration form."""

    RNI = "rni", _("registered in the RNI (non-resident)")
    BRP_REQUEST = "brp_request", _("BRP registration requested")


class FirstRegistrationForm(OwnedRecord, TenantModel, VersionedModel):
    """An eerste vestigingsformulier: a person found living unregistered, to be registered in the BRP."""

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="registration_forms", verbose_name=_("finding")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="registration_forms", verbose_name=_("case")
    )
    address = models.ForeignKey(
        "places.Address", on_delete=models.PROTECT, related_name="+", verbose_name=_("address")
    )
    given_names = models.CharField(_("given names"), max_length=200)
    surname_prefix = models.CharField(_("surname prefix"), max_length=10, blank=True)
    surname = models.CharField(_("surname"), max_length=200)
    birth_date = models.DateField(_("date of birth"))
    nationality = models.CharField(
        _("nationality"),
        max_length=2,
        validators=[validate_country_code],
        help_text=_("ISO 3166-1 alpha-2, e.g. PL."),
    )
    bsn = models.CharField(
        _("BSN (if already given by the RNI)"), max_length=9, blank=True, validators=[validate_bsn]
    )
    previous_country = models.CharField(
        _("country of previous residence"), max_length=2, blank=True, validators=[validate_country_code]
    )
    arrival_date = models.DateField(_("arrival in the Netherlands"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RegistrationFormStatus.choices,
        default=RegistrationFormStatus.DRAWN_UP,
    )
    drawn_up_on = models.DateField(_("drawn up on"), default=timezone.localdate)
    processed_on = models.DateField(_("processed on"), null=True, blank=True)
    recorded_by_organisation = _recorded_by()
    # Processing (civil affairs): the person in the register it led to, and who did it when.
    outcome = models.CharField(_("outcome"), max_length=12, choices=RegistrationOutcome.choices, blank=True)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person in the register"),
    )
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    processed_by = models.ForeignKey(
        "core.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("processed by"),
    )
    processed_by_name = models.CharField(_("processed by"), max_length=150, blank=True)

    class Meta:
        ordering = ["-drawn_up_on", "-id"]
        verbose_name = _("first-registration form")
        verbose_name_plural = _("first-registration forms")
        indexes = [
            models.Index(fields=["municipality", "status", "drawn_up_on"], name="registration_form_status")
        ]

    def __str__(self) -> str:
        return f"{self.given_names} {self.surname}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.surname_prefix, self.surname) if part)

    def may_change(self, actor: Actor) -> bool:
        """The form is drawn up for the BRP: besides its author, the municipality's civil affairs, who
        process it there, set its status."""
        if super().may_change(actor):
            return True
        return bool(
            actor.can(Capability.PROCESS_FIRST_REGISTRATIONS)
            and actor.organisation is not None
            and actor.organisation.is_municipal
            and actor.municipality.pk == self.municipality_id
        )


class MeasureKind(models.TextChoices):
    WARNING = "warning", _("warning")
    INTENTION = "intention", _("intention to enforce (voornemen)")
    PENALTY_ORDER = "penalty_order", _("penalty order (last onder dwangsom)")
    FINE = "fine", _("administrative fine (bestuurlijke boete)")
    CARE_REFERRAL = "care_referral", _("referral to care")
    HANDOVER = "handover", _("hand-over to another organisation")


class MeasureStatus(models.TextChoices):
    ISSUED = "issued", _("issued")
    COMPLIED = "complied", _("complied with")
    FORFEITED = "forfeited", _("forfeited (verbeurd)")
    PAID = "paid", _("paid")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Measure(OwnedRecord, TenantModel, VersionedModel):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="measures", verbose_name=_("case")
    )
    address = models.ForeignKey(
        "places.Address",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("address"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    addressee = models.CharField(
        _("addressed to"),
        max_length=200,
        blank=True,
        help_text=_("The owner, landlord, employer or person concerned."),
    )
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The fine, or the penalty per violation or per day of a penalty order."),
    )
    max_amount = models.DecimalField(
        _("maximum forfeitable (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    deadline = models.DateField(_("deadline to comply (begunstigingstermijn)"), null=True, blank=True)
    handed_to = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred or handed to"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.ISSUED
    )
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    recorded_by_organisation = _recorded_by()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        indexes = [models.Index(fields=["municipality", "kind", "issued_on"], name="measure_kind_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.issued_on}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == MeasureKind.PENALTY_ORDER:
            if not self.amount:
                errors["amount"] = str(_("A penalty order needs the amount of the penalty."))
            if not self.deadline:
                errors["deadline"] = str(_("A penalty order needs a deadline to comply."))
            elif self.issued_on and self.deadline <= self.issued_on:
                errors["deadline"] = str(_("The deadline must fall after the day the order is issued."))
            if self.amount and self.max_amount and self.max_amount < self.amount:
                errors["max_amount"] = str(_("The maximum cannot be lower than the penalty itself."))
        if self.kind == MeasureKind.FINE and not self.amount:
            errors["amount"] = str(_("An administrative fine needs an amount."))
        if (
            self.kind == MeasureKind.INTENTION
            and self.deadline
            and self.issued_on
            and self.deadline <= self.issued_on
        ):
            errors["deadline"] = str(_("The deadline must fall after the day the intention is sent."))
        if self.kind in (MeasureKind.HANDOVER, MeasureKind.CARE_REFERRAL) and self.handed_to_id is None:
            errors["handed_to"] = str(_("Choose the organisation it is handed or referred to."))
        if (
            self.kind in (MeasureKind.WARNING, MeasureKind.CARE_REFERRAL, MeasureKind.HANDOVER)
            and self.amount
        ):
            errors["amount"] = str(_("This kind of measure has no amount."))
        if errors:
            raise ValidationError(errors)


def case_file_path(instance: models.Model, filename: str) -> str:
    return f"attachments/cases/{timezone.now():%Y/%m}/{filename}"


def dossier_path(instance: models.Model, filename: str) -> str:
    return f"dossiers/{timezone.now():%Y/%m}/{filename}"


class CaseAttachment(OwnedRecord, TenantModel):
    owner_field = "uploaded_by_organisation"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case")
    )
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("finding"),
    )
    file = models.FileField(_("file"), upload_to=case_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    description = models.CharField(_("description"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by_organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment of a case")
        verbose_name_plural = _("attachments of cases")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Handover(TenantModel):
    """A dossier handed over to another organisation (NLA, police): what, to whom, on which basis."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="handovers", verbose_name=_("case")
    )
    to_organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("handed to")
    )
    agreement = models.ForeignKey(
        "cases.DataSharingAgreement", on_delete=models.PROTECT, related_name="+", verbose_name=_("agreement")
    )
    measure = models.OneToOneField(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handover",
        verbose_name=_("measure"),
    )
    handed_over_at = models.DateTimeField(_("handed over at"), default=timezone.now)
    handed_over_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    legal_basis = models.TextField(_("legal basis"))
    purpose = models.TextField(_("purpose"))
    data_categories = models.JSONField(_("data categories shared"), default=list)
    note = models.TextField(_("note to the recipient"), blank=True, max_length=2000)
    dossier = models.FileField(_("dossier (ZIP)"), upload_to=dossier_path, max_length=200, blank=True)
    dossier_sha256 = models.CharField(_("SHA-256 of the dossier"), max_length=64, blank=True)
    attachment_count = models.PositiveIntegerField(_("attachments included"), default=0)
    # Which version of each finding the dossier carried ({finding id: version}); a later change of a
    # finding does not change what was handed over.
    finding_versions = models.JSONField(_("versions of the findings handed over"), default=dict, blank=True)

    class Meta:
        ordering = ["-handed_over_at", "-id"]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        indexes = [models.Index(fields=["municipality", "handed_over_at"], name="handover_date")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_organisation_id}"
