"""The public portal's records: information pages in ten languages, pending verifications, the outbox of
one-time codes, and the self-service reports of a stay address and contact details.

Labels here are plain English, not gettext: everything under portal/ but its staff pages is extracted
into the portal's ten-language catalogue, and these labels are only ever shown to staff, who get them in
Dutch from the staff catalogue (see portal/staff/labels.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ketenregie.core.models import TenantModel, VersionedModel

ORIGINAL_LANGUAGE = "nl"


class InfoTopic(models.TextChoices):
    REGISTRATION = "registration", "registration in the BRP and RNI"
    DIGID = "digid", "DigiD"
    HOUSING = "housing", "housing rights and rental contracts"
    WORK = "work", "work and pay"
    HEALTH = "health", "health insurance"
    HELP = "help", "where to get help"
    INFORMATION_POINT = "information_point", "the information point: address and opening hours"
    OTHER = "other", "other"


class InfoPage(TenantModel, VersionedModel):
    """An information page of the portal. Its Dutch translation is the original; the others follow it."""

    slug = models.SlugField("address on the portal", max_length=60)
    topic = models.CharField("topic", max_length=20, choices=InfoTopic.choices)
    position = models.PositiveSmallIntegerField("position", default=0)
    is_published = models.BooleanField("published", default=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = "information page"
        verbose_name_plural = "information pages"
        constraints = [models.UniqueConstraint(fields=["municipality", "slug"], name="info_page_unique_slug")]

    def __str__(self) -> str:
        return self.slug


class InfoPageTranslation(TenantModel, VersionedModel):
    """The text of a page in one language, in Markdown (rendered without HTML).

    ``source_version`` is the version of the Dutch original this translation matches: when the Dutch
    text changes after it, the translation is marked as outdated, in the staff app and on the portal.
    """

    page = models.ForeignKey(InfoPage, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField("language", max_length=5, choices=settings.LANGUAGES)
    title = models.CharField("title", max_length=200)
    summary = models.CharField("summary", max_length=300, blank=True)
    body = models.TextField("text (Markdown)", max_length=20000)
    source_version = models.PositiveIntegerField("matches Dutch version", null=True, blank=True)

    class Meta:
        ordering = ["page", "language"]
        verbose_name = "information page translation"
        verbose_name_plural = "information page translations"
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="info_translation_unique_language")
        ]

    def __str__(self) -> str:
        return f"{self.page_id}/{self.language}"

    def is_outdated(self, original: InfoPageTranslation | None) -> bool:
        if self.language == ORIGINAL_LANGUAGE or original is None:
            return False
        return self.source_version is None or self.source_version < original.version


class VerificationPurpose(models.TextChoices):
    ADDRESS = "address", "stay address and contact details"
    GROUP = "group", "group registration by an employer"


class CodeChannel(models.TextChoices):
    EMAIL = "email", "e-mail"
    SMS = "sms", "text message (SMS)"


class PendingVerification(TenantModel):
    """A submission waiting for its one-time code. The browser holds only the random token (in its
    session), never the data; the code is stored as a keyed hash; the payload is emptied once used."""

    token = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=10, choices=VerificationPurpose.choices)
    language = models.CharField(max_length=5)
    channel = models.CharField(max_length=5, choices=CodeChannel.choices)
    recipient = models.CharField(max_length=254)
    payload = models.JSONField(default=dict)
    code_hash = models.CharField(max_length=64)
    code_expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    codes_sent = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "pending verification"
        verbose_name_plural = "pending verifications"


class OutboxMessage(TenantModel):
    """A message the outbox sender 'sent': the demo, the tests and the load benchmark read codes here."""

    created_at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField(max_length=5, choices=CodeChannel.choices)
    recipient = models.CharField(max_length=254, db_index=True)
    language = models.CharField(max_length=5)
    subject = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outbox message"
        verbose_name_plural = "outbox messages"


class ReporterKind(models.TextChoices):
    SELF = "self", "the labour migrant"
    EMPLOYER = "employer", "the employer, with the worker's consent"
    GROUP = "group", "the employer, in a group registration"


class ReviewStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", "no check needed"
    OPEN = "open", "to be checked"
    HANDLED = "handled", "checked"


class Flag(models.TextChoices):
    """Why a report needs a check. The first three matter to enforcement as well as civil affairs."""

    OVER_FLOOR_AREA_NORM = "over_norm", "more people than the floor-area norm allows"
    OVER_CAPACITY = "over_capacity", "more people than the housing location's capacity"
    NON_RESIDENTIAL = "non_residential", "address has no residential or lodging use"
    DATE_CONFLICT = "date_conflict", "moving date before the current registered address"
    CONTACT_REPLACED = "contact_replaced", "earlier contact details replaced"
    NOT_REGISTERED = "not_registered", "new person, not registered in the BRP or RNI"


ENFORCEMENT_FLAGS = frozenset({Flag.OVER_FLOOR_AREA_NORM, Flag.OVER_CAPACITY, Flag.NON_RESIDENTIAL})


class SelfServiceReport(TenantModel, VersionedModel):
    """One verified self-service update: what was reported, what the register held before, what changed.

    Together with the residence history and the audit trail this is the history of a person's stay
    address and contact details: nothing is overwritten without a record of the earlier value.
    """

    reference = models.CharField("reference", max_length=12, unique=True)
    submitted_at = models.DateTimeField("submitted at", auto_now_add=True, db_index=True)
    reporter = models.CharField("reported by", max_length=10, choices=ReporterKind.choices)
    language = models.CharField("language", max_length=5)
    verified_by = models.CharField("verified by", max_length=5, choices=CodeChannel.choices)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="self_service_reports", verbose_name="person"
    )
    person_created = models.BooleanField("new person", default=False)
    address = models.ForeignKey(
        "places.Address", on_delete=models.PROTECT, related_name="+", verbose_name="reported address"
    )
    starts_on = models.DateField("living there since")
    residence = models.ForeignKey(
        "people.Residence",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="residence recorded",
    )
    address_changed = models.BooleanField("address changed", default=False)
    email = models.EmailField("e-mail reported", blank=True)
    phone = models.CharField("phone reported", max_length=30, blank=True)
    previous_email = models.EmailField("e-mail before", blank=True)
    previous_phone = models.CharField("phone before", max_length=30, blank=True)
    employer_kvk = models.CharField("employer's KvK number", max_length=8, blank=True)
    employer_name = models.CharField("employer", max_length=200, blank=True)
    employer_email = models.EmailField("employer's e-mail", blank=True)
    consent_recorded = models.BooleanField(
        "worker's consent recorded",
        default=False,
        help_text="The employer confirmed that the worker agreed to this report.",
    )
    activity = models.ForeignKey(
        "infopoint.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="registration moment",
    )
    # What the checks found, kept as they were on the day: later changes do not rewrite the finding.
    registered_after = models.PositiveIntegerField("registered there after the update", default=0)
    floor_area_m2 = models.PositiveIntegerField("floor area (m²)", null=True, blank=True)
    max_by_norm = models.PositiveIntegerField("maximum by the floor-area norm", null=True, blank=True)
    location_capacity = models.PositiveIntegerField("housing location capacity", null=True, blank=True)
    location_registered = models.PositiveIntegerField(
        "registered at the housing location", null=True, blank=True
    )
    flags = models.JSONField("flags", default=list, blank=True)
    for_enforcement = models.BooleanField("relevant to enforcement", default=False)
    review_status = models.CharField(
        "check", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.NOT_NEEDED
    )
    review_note = models.TextField("note on the check", blank=True, max_length=2000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="checked by",
    )
    reviewed_at = models.DateTimeField("checked at", null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "self-service report"
        verbose_name_plural = "self-service reports"
        indexes = [
            models.Index(fields=["municipality", "review_status", "submitted_at"], name="report_review"),
            models.Index(
                fields=["municipality", "submitted_at"],
                name="report_enforcement",
                condition=Q(for_enforcement=True),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def flag_labels(self) -> list[str]:
        labels = dict(Flag.choices)
        return [str(labels.get(flag, flag)) for flag in self.flags]
