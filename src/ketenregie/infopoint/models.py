"""The information point's contact log and activities.

The log holds no identity: a visitor is a pseudonymous key (a keyed HMAC of name and date of birth, see
``pseudonyms.py``), enough to count unique visitors, not to find out who they are.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel


class InformationPoint(TenantModel):
    """A desk where labour migrants get information in their own language (WIN-punt)."""

    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("information point")
        verbose_name_plural = _("information points")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="information_point_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    DESK = "desk", _("desk")
    PHONE = "phone", _("phone")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("e-mail")


class Topic(models.TextChoices):
    HOUSING = "housing", _("housing")
    WORK = "work", _("work")
    HEALTH = "health", _("health")
    MONEY = "money", _("money")
    LEGAL = "legal", _("legal")
    BRP_REGISTRATION = "brp_registration", _("BRP registration")
    DIGID = "digid", _("DigiD")
    RETURN_HOME = "return_home", _("return home")


class VisitorLanguage(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")
    POLISH = "pl", _("Polish")
    ROMANIAN = "ro", _("Romanian")
    BULGARIAN = "bg", _("Bulgarian")
    LITHUANIAN = "lt", _("Lithuanian")
    HUNGARIAN = "hu", _("Hungarian")
    UKRAINIAN = "uk", _("Ukrainian")
    PORTUGUESE = "pt", _("Portuguese")
    SPANISH = "es", _("Spanish")
    RUSSIAN = "ru", _("Russian")
    LATVIAN = "lv", _("Latvian")
    SLOVAK = "sk", _("Slovak")
    CZECH = "cs", _("Czech")
    OTHER = "other", _("other language")


class Referral(models.TextChoices):
    NONE = "", _("no referral")
    CIVIL_AFFAIRS = "civil_affairs", _("municipality: civil affairs (BRP)")
    MUNICIPALITY_OTHER = "municipality", _("municipality: other department")
    UWV = "uwv", _("UWV")
    SVB = "svb", _("SVB")
    TAX_OFFICE = "tax_office", _("Tax Administration (Belastingdienst)")
    NLA = "nla", _("Netherlands Labour Authority (NLA)")
    FAIRWORK = "fairwork", _("FairWork")
    LEGAL_AID = "legal_aid", _("Legal Aid Desk (Juridisch Loket)")
    POLICE = "police", _("police")
    HOUSING_CORPORATION = "housing_corporation", _("housing corporation")
    SOCIAL_TEAM = "social_team", _("neighbourhood social team")
    HEALTH = "health", _("GP or public health service (GGD)")
    RETURN_SUPPORT = "return_support", _("return support (e.g. Barka)")
    OTHER = "other", _("other organisation")


class Contact(TenantModel, VersionedModel):
    """One conversation with a visitor at the desk, by phone, WhatsApp or e-mail."""

    point = models.ForeignKey(
        InformationPoint,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("information point"),
    )
    contacted_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, choices=VisitorLanguage.choices)
    visitor_key = models.CharField(
        _("visitor key"),
        max_length=64,
        blank=True,
        help_text=_(
            "Pseudonymous: a keyed hash of name and date of birth. Empty when the visitor gave none."
        ),
    )
    referral = models.CharField(_("referred to"), max_length=20, choices=Referral.choices, blank=True)
    referral_note = models.CharField(_("referral detail"), max_length=200, blank=True)
    digid_activated = models.BooleanField(_("helped to an active DigiD"), default=False)
    follow_up = models.CharField(_("follow-up"), max_length=300, blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-contacted_on", "-pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["municipality", "contacted_on"], name="contact_date"),
            models.Index(fields=["municipality", "visitor_key"], name="contact_visitor"),
        ]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.channel} #{self.pk}"

    @property
    def has_open_follow_up(self) -> bool:
        return bool(self.follow_up) and not self.follow_up_done


class ContactTopic(TenantModel):
    """A topic of a contact: a row per topic, so topics can be filtered and counted in the database."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)

    class Meta:
        verbose_name = _("contact topic")
        verbose_name_plural = _("contact topics")
        constraints = [models.UniqueConstraint(fields=["contact", "topic"], name="contact_topic_unique")]
        indexes = [models.Index(fields=["municipality", "topic"], name="contact_topic_topic")]


class ActivityKind(models.TextChoices):
    INFORMATION_MEETING = "information_meeting", _("information meeting")
    GROUP_REGISTRATION = "group_registration", _("group registration moment")
    COURSE_FORMAL = "course_formal", _("course (formal)")
    COURSE_NON_FORMAL = "course_non_formal", _("course (non-formal)")
    KEY_FIGURE_NETWORK = "key_figure_network", _("key-figure network meeting")
    OTHER = "other", _("other activity")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Activity(TenantModel, VersionedModel):
    """An information meeting, a group registration moment, a course or a key-figure network meeting."""

    kind = models.CharField(_("kind"), max_length=24, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    point = models.ForeignKey(
        InformationPoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("information point"),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    attendance = models.PositiveIntegerField(
        _("attendance"),
        null=True,
        blank=True,
        help_text=_("Number of participants (for a course: enrolled)."),
    )
    is_public = models.BooleanField(
        _("shown on the portal"),
        default=False,
        help_text=_("Date, title and place appear on the public portal."),
    )
    notes = models.TextField(_("notes"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["municipality", "kind", "held_on"], name="activity_kind_date")]

    def __str__(self) -> str:
        return f"{self.held_on:%d-%m-%Y} {self.title}"


class PseudonymSalt(models.Model):
    """A random salt per municipality for visitor keys, so keys cannot be compared across municipalities."""

    municipality = models.OneToOneField(
        "core.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    salt = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("pseudonym salt")
        verbose_name_plural = _("pseudonym salts")

    def __str__(self) -> str:
        return f"salt {self.municipality_id}"
