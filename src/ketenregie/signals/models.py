"""Meldingen: reports from the public, partners and staff, with their category, deadline and outcome."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel
from ketenregie.core.workflow import Workflow, WorkflowModel


class CategoryCode(models.TextChoices):
    """The top-level categories other apps (risk, monitoring) count by. Administrators add sub-categories."""

    OVERCROWDING = "overcrowding", _("overcrowding")
    HOUSING_FRAUD = "housing_fraud", _("housing fraud")
    NUISANCE = "nuisance", _("nuisance")
    UNSAFE_HOUSING = "unsafe_housing", _("unsafe housing")
    LABOUR_EXPLOITATION = "labour_exploitation", _("labour exploitation")
    HOMELESSNESS = "homelessness", _("homelessness")
    OTHER = "other", _("other")


class SignalCategory(TenantModel):
    """A category or (with a parent) a sub-category of meldingen, managed by the functional administrator."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("Top-level categories use the fixed codes (overcrowding, housing_fraud, …)."),
    )
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("main category"),
    )
    deadline_days = models.PositiveIntegerField(
        _("deadline (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("A melding in this category must be closed within this many days of receipt."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("melding category")
        verbose_name_plural = _("melding categories")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"],
                name="signal_category_unique_code",
                violation_error_message=_("A category with this code already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} – {self.name}" if self.parent_id and self.parent else self.name

    def clean(self) -> None:
        if self.parent_id is None and self.code and self.code not in CategoryCode.values:
            raise ValidationError(
                {
                    "code": _("A main category uses one of the fixed codes: %(codes)s.")
                    % {"codes": ", ".join(CategoryCode.values)}
                }
            )
        if self.parent is not None:
            if self.parent.parent_id is not None:
                raise ValidationError({"parent": _("A sub-category cannot have sub-categories of its own.")})
            if self.municipality_id and self.parent.municipality_id != self.municipality_id:
                raise ValidationError({"parent": _("The main category belongs to another municipality.")})

    @property
    def top(self) -> SignalCategory:
        return self.parent if self.parent_id and self.parent else self

    @property
    def top_code(self) -> str:
        return self.top.code


class SignalChannel(models.TextChoices):
    PORTAL = "portal", _("website or portal")
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    DESK = "desk", _("counter or information point")
    PARTNER = "partner", _("chain partner")
    STAFF = "staff", _("own observation")


class SignalStatus(models.TextChoices):
    NEW = "new", _("new")
    TRIAGED = "triaged", _("triaged")
    INVESTIGATING = "investigating", _("in investigation")
    CLOSED = "closed", _("closed")


OPEN_STATUSES = (SignalStatus.NEW, SignalStatus.TRIAGED, SignalStatus.INVESTIGATING)
# Which status may follow which (checked on every write, core/workflow.py). A melding is triaged, or a
# case is opened for it (in investigation, from new or triaged), and it is closed with a result, from
# any open status (closing a case, or closing the melding it is linked to, closes it too). A closed
# melding stays closed: reopening a case does not reopen its meldingen, their reporters were informed.
SIGNAL_WORKFLOW = Workflow(
    name="melding",
    choices=SignalStatus,
    table={
        SignalStatus.NEW: frozenset({SignalStatus.TRIAGED, SignalStatus.INVESTIGATING, SignalStatus.CLOSED}),
        SignalStatus.TRIAGED: frozenset({SignalStatus.INVESTIGATING, SignalStatus.CLOSED}),
        SignalStatus.INVESTIGATING: frozenset({SignalStatus.CLOSED}),
        SignalStatus.CLOSED: frozenset(),
    },
    start=frozenset({SignalStatus.NEW}),
    refused=_(
        "A melding cannot go from ‘%(current)s’ to ‘%(status)s’; "
        "from ‘%(current)s’ it can go to: %(allowed)s."
    ),
    refused_from={
        SignalStatus.CLOSED: _(
            "This melding is closed; it cannot go to ‘%(status)s’: a closed melding stays closed."
        ),
    },
    start_refused=_("A new melding cannot start as ‘%(status)s’; it starts as: %(allowed)s."),
)


class SignalResult(models.TextChoices):
    PENDING = "", _("not yet known")
    CONFIRMED = "confirmed", _("confirmed: a violation was established")
    NOT_CONFIRMED = "not_confirmed", _("not confirmed")
    REFERRED = "referred", _("referred to another organisation")
    INSUFFICIENT = "insufficient_information", _("insufficient information to act on")


class Signal(TenantModel, VersionedModel, WorkflowModel):
    """One melding. The reporter's contact details are personal data: shown only through an audited read."""

    workflow = SIGNAL_WORKFLOW

    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=10, choices=SignalChannel.choices)
    category = models.ForeignKey(
        SignalCategory, on_delete=models.PROTECT, related_name="signals", verbose_name=_("category")
    )
    description = models.TextField(_("description"), max_length=5000)
    address = models.ForeignKey(
        "places.Address",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("address"),
    )
    location_text = models.CharField(
        _("location as reported"),
        max_length=200,
        blank=True,
        help_text=_("What the reporter gave as the address or location, kept as typed."),
    )
    needs_address = models.BooleanField(
        _("address to be resolved"),
        default=False,
        help_text=_("The reported location could not be matched to an address in the register."),
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=150, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    reporter_language = models.CharField(_("reporter's language"), max_length=5, default="nl")
    reporter_organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reporting organisation"),
    )
    submitted_by = models.ForeignKey(
        "core.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    suggested_category = models.ForeignKey(
        SignalCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested category"),
    )
    suggestion_confidence = models.FloatField(_("confidence of the suggestion"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=SignalStatus.choices, default=SignalStatus.NEW
    )
    result = models.CharField(
        _("result"), max_length=30, choices=SignalResult.choices, blank=True, default=SignalResult.PENDING
    )
    result_note = models.TextField(_("explanation of the result"), blank=True, max_length=2000)
    due_on = models.DateField(_("deadline"))
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("linked to"),
        help_text=_("An earlier open melding of the same category at the same address."),
    )
    assigned_to = models.ForeignKey(
        "core.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    reporter_informed_at = models.DateTimeField(_("reporter informed at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        indexes = [
            # The triage queue: open meldingen by deadline; the trailing columns let the queue's counts
            # and filters run on the index alone (key columns: SQLite has no INCLUDE).
            models.Index(
                fields=["municipality", "due_on", "id", "status", "needs_address", "category"],
                condition=~Q(status="closed"),
                name="signal_open_due",
            ),
            models.Index(fields=["municipality", "status", "due_on", "id"], name="signal_status_due"),
            models.Index(fields=["municipality", "-received_at", "-id"], name="signal_received"),
            # Duplicates: an open melding at the same address.
            models.Index(
                fields=["address", "category"], condition=~Q(status="closed"), name="signal_open_address"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False) | ~Q(status="closed"),
                name="signal_closed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(result=""), name="signal_closed_has_result"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The number a reporter quotes: M-<year>-<id>."""
        year = timezone.localtime(self.received_at).year if self.received_at else timezone.now().year
        return f"M-{year}-{self.pk or 0:06d}"

    @property
    def is_open(self) -> bool:
        return self.status != SignalStatus.CLOSED

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    @property
    def has_contact(self) -> bool:
        return bool(self.reporter_email or self.reporter_phone)

    def can_become(self, status: str) -> bool:
        return self.workflow.allows(self.status, status)


def attachment_path(instance: models.Model, filename: str) -> str:
    # The stored name is random (see core.uploads); the date directory keeps folders small.
    return f"attachments/signals/{timezone.now():%Y/%m}/{filename}"


class SignalAttachment(TenantModel):
    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("melding")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment of a melding")
        verbose_name_plural = _("attachments of meldingen")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class SignalClassifier(TenantModel):
    """A category classifier trained on the municipality's own triaged meldingen.

    Stored as plain numbers (vocabulary, idf weights, coefficients) rather than a pickle, so loading
    a model never executes code from the database.
    """

    trained_at = models.DateTimeField(_("trained at"), default=timezone.now)
    samples = models.PositiveIntegerField(_("training examples"))
    held_out = models.PositiveIntegerField(_("held-out examples"), default=0)
    accuracy = models.FloatField(_("accuracy on held-out meldingen"), null=True, blank=True)
    labels = models.JSONField(_("category codes"), default=list)
    model = models.JSONField(_("model parameters"), default=dict)

    class Meta:
        ordering = ["-trained_at", "-id"]
        verbose_name = _("category classifier")
        verbose_name_plural = _("category classifiers")

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} ({self.samples})"
