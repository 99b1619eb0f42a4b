"""Cases (zaken): inspections and enforcement, the organisations taking part, and the case's timeline."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel
from ketenregie.core.workflow import Workflow, WorkflowModel


class CaseKind(models.TextChoices):
    HOUSE_VISIT = "house_visit", _("house visit")
    INTEGRAL_CONTROL = "integral_control", _("integral control")
    VACANCY_CHECK = "vacancy_check", _("vacancy check")
    SITE_CONTROL = "site_control", _("construction-site or workplace control")
    ADDRESS_INVESTIGATION = "address_investigation", _("address investigation (BRP)")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("opened")
    PLANNED = "planned", _("planned")
    INVESTIGATING = "investigating", _("in investigation")
    ENFORCEMENT = "enforcement", _("enforcement")
    CLOSED = "closed", _("closed")


OPEN_CASE_STATUSES = (CaseStatus.OPEN, CaseStatus.PLANNED, CaseStatus.INVESTIGATING, CaseStatus.ENFORCEMENT)
_S = CaseStatus
# Which status may follow which (checked on every write, core/workflow.py; docs/architecture.md):
# - a case opens as opened, or planned when it has a visit date (case_open);
# - opened ⇄ planned: a visit is planned, or the planning is dropped;
# - findings move an opened or planned case to in investigation, a measure moves it to enforcement
#   (services/findings.py); the case officer may also set these by hand;
# - in investigation → planned: a follow-up visit; enforcement → in investigation: compliance is checked
#   again (a measure does not send a case back to the start);
# - every open status → closed, with a result (case_close); closed → in investigation only by reopening
#   (case_reopen, with a reason; the edit form and API never change a closed case).
CASE_WORKFLOW = Workflow(
    name="case",
    choices=CaseStatus,
    table={
        _S.OPEN: frozenset({_S.PLANNED, _S.INVESTIGATING, _S.ENFORCEMENT, _S.CLOSED}),
        _S.PLANNED: frozenset({_S.OPEN, _S.INVESTIGATING, _S.ENFORCEMENT, _S.CLOSED}),
        _S.INVESTIGATING: frozenset({_S.PLANNED, _S.ENFORCEMENT, _S.CLOSED}),
        _S.ENFORCEMENT: frozenset({_S.INVESTIGATING, _S.CLOSED}),
        _S.CLOSED: frozenset({_S.INVESTIGATING}),
    },
    start=frozenset({_S.OPEN, _S.PLANNED}),
    refused=_(
        "A case cannot go from ‘%(current)s’ to ‘%(status)s’; from ‘%(current)s’ it can go to: %(allowed)s."
    ),
    refused_from={
        _S.CLOSED: _("A case with status ‘%(current)s’ cannot go to ‘%(status)s’; reopen the case first."),
    },
    start_refused=_("A new case cannot start as ‘%(status)s’; it starts as: %(allowed)s."),
)


class CaseResult(models.TextChoices):
    PENDING = "", _("not yet known")
    VIOLATION = "violation", _("violation established")
    NO_VIOLATION = "no_violation", _("no violation")
    HANDED_OVER = "handed_over", _("handed over to another organisation")
    NO_ACCESS = "no_access", _("no access; not assessed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CaseOrigin(models.TextChoices):
    SIGNAL = "signal", _("from meldingen")
    RISK_LIST = "risk_list", _("from a risk list")
    DIRECT = "direct", _("opened directly")


class ZgwPushState(models.TextChoices):
    NEVER = "", _("not registered")
    PUSHED = "pushed", _("registered")
    FAILED = "failed", _("failed")


class Case(TenantModel, VersionedModel, WorkflowModel):
    workflow = CASE_WORKFLOW

    kind = models.CharField(_("kind"), max_length=30, choices=CaseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    result = models.CharField(
        _("result"), max_length=20, choices=CaseResult.choices, blank=True, default=CaseResult.PENDING
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=CaseOrigin.choices, default=CaseOrigin.DIRECT
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    owner = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead organisation"),
    )
    assigned_to = models.ForeignKey(
        "core.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case officer"),
    )
    signals = models.ManyToManyField(
        "signals.Signal", blank=True, related_name="cases", verbose_name=_("meldingen")
    )
    team = models.ManyToManyField("core.User", blank=True, related_name="+", verbose_name=_("team"))
    # The registration in the municipality's zaaksysteem (ZGW Zaken API, cases/zgw_push.py). Written with
    # a queryset update, outside the case's version: a push must not make a colleague's edit conflict.
    zgw_zaak_url = models.URLField(_("zaak in the zaaksysteem"), max_length=1000, blank=True)
    zgw_pushed_at = models.DateTimeField(_("last registration in the zaaksysteem"), null=True, blank=True)
    zgw_push_state = models.CharField(
        _("registration in the zaaksysteem"),
        max_length=10,
        choices=ZgwPushState.choices,
        blank=True,
        default=ZgwPushState.NEVER,
    )
    zgw_push_error = models.TextField(_("why the registration failed"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["municipality", "status", "-opened_on", "-id"], name="case_board"),
            models.Index(fields=["municipality", "kind", "status"], name="case_kind_status"),
            models.Index(fields=["municipality", "-opened_on", "-id"], name="case_opened"),
            models.Index(
                fields=["municipality", "-closed_on", "-id", "kind"],
                condition=Q(status="closed"),
                name="case_closed",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False), name="case_closed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        year = self.opened_on.year if self.opened_on else timezone.localdate().year
        return f"Z-{year}-{self.pk or 0:06d}"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("lead")
    PARTNER = "partner", _("partner")


class CaseParticipant(TenantModel):
    """An organisation taking part in a case. A partner agency needs a data-sharing agreement to join."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="participants", verbose_name=_("case")
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    role = models.CharField(
        _("role"), max_length=10, choices=ParticipantRole.choices, default=ParticipantRole.PARTNER
    )
    agreement = models.ForeignKey(
        "cases.DataSharingAgreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("data-sharing agreement"),
    )
    added_on = models.DateField(_("taking part since"), default=timezone.localdate)

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["case", "organisation"], name="case_participant_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "agreement", "case"], name="case_participant_org")]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.case_id}"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    VISITED = "visited", _("visited")
    NO_ACCESS = "no_access", _("no access")
    CANCELLED = "cancelled", _("cancelled")


class CaseAddress(TenantModel):
    """An address in a case, in route order: for an integral control, one stop of the day."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="case_addresses", verbose_name=_("case")
    )
    address = models.ForeignKey(
        "places.Address", on_delete=models.PROTECT, related_name="case_visits", verbose_name=_("address")
    )
    position = models.PositiveIntegerField(_("order in the route"), default=0)
    planned_time = models.TimeField(_("planned time"), null=True, blank=True)
    visit_status = models.CharField(
        _("visit"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    note = models.CharField(_("note for the team"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("address in a case")
        verbose_name_plural = _("addresses in cases")
        constraints = [models.UniqueConstraint(fields=["case", "address"], name="case_address_unique")]
        indexes = [models.Index(fields=["address", "case"], name="case_address_address")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.address_id}"


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("case opened")
    CHANGED = "changed", _("case changed")
    STATUS = "status", _("status changed")
    CLOSED = "closed", _("case closed")
    PARTICIPANT = "participant", _("participant")
    ADDRESS = "address", _("address")
    PLANNING = "planning", _("planning")
    SIGNAL = "signal", _("melding")
    FINDING = "finding", _("finding")
    REGISTRATION = "registration", _("first-registration form")
    MEASURE = "measure", _("measure")
    ATTACHMENT = "attachment", _("attachment")
    HANDOVER = "handover", _("hand-over")
    NOTE = "note", _("note")
    ZAAKSYSTEEM = "zaaksysteem", _("zaaksysteem (ZGW)")


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise RuntimeError("the case timeline is append-only")


class CaseEvent(TenantModel):
    """One line of a case's timeline. Append-only; tagged with the data category it reveals, so a partner
    sees only the lines its agreement allows ('' = the case itself, visible to every participant)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=20, choices=CaseEventKind.choices)
    data_category = models.CharField(_("data category"), max_length=20, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    username = models.CharField(_("by"), max_length=150, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    fields = models.JSONField(_("changed fields"), default=list, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        indexes = [models.Index(fields=["case", "-occurred_at", "-id"], name="case_event_case")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("the case timeline is append-only")
        super().save(*args, **kwargs)
