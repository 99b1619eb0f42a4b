"""Risk-driven selection: the rules per municipality, every run with its scores, and the control lists.

Runs, scores and lists are kept with their date and the rules (weights) they were made with, so an
audit can later see why an address was chosen. A list is a selection for a visit, never a decision.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel


class RiskSettings(TenantModel, VersionedModel):
    """The municipality's risk rules: the engine's RuleSet as JSON. Edited by the functional administrator."""

    municipality = models.OneToOneField(
        "core.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    rules = models.JSONField(_("rules"), default=dict)
    changed_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    changed_by_name = models.CharField(_("by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("risk rules")
        verbose_name_plural = _("risk rules")

    def __str__(self) -> str:
        return f"{self.municipality_id} v{self.version}"


class RiskSettingsChange(TenantModel):
    """One saved version of the rules: who changed what, when and why. Append-only."""

    settings = models.ForeignKey(
        RiskSettings, on_delete=models.CASCADE, related_name="changes", verbose_name=_("risk rules")
    )
    version = models.PositiveIntegerField(_("version"))
    rules = models.JSONField(_("rules"))
    changed_keys = models.JSONField(_("changed rules"), default=list)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    changed_by_name = models.CharField(_("by"), max_length=150, blank=True)
    note = models.CharField(_("reason for the change"), max_length=300, blank=True)

    class Meta:
        ordering = ["-version", "-id"]
        verbose_name = _("change of the risk rules")
        verbose_name_plural = _("changes of the risk rules")
        constraints = [
            models.UniqueConstraint(fields=["settings", "version"], name="risk_settings_change_unique")
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.changed_by_name}"


class RiskRun(TenantModel):
    """One scoring of every address and employer of a municipality as of a date."""

    as_of = models.DateField(_("as of"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    created_by_name = models.CharField(_("by"), max_length=150, blank=True)
    rules = models.JSONField(_("rules used"))
    rules_version = models.PositiveIntegerField(_("version of the rules"), default=0)
    address_count = models.PositiveIntegerField(_("addresses scored"), default=0)
    scored_address_count = models.PositiveIntegerField(_("addresses with a score"), default=0)
    employer_count = models.PositiveIntegerField(_("employers scored"), default=0)
    scored_employer_count = models.PositiveIntegerField(_("employers with a score"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    timings = models.JSONField(_("timings (ms)"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("risk run")
        verbose_name_plural = _("risk runs")
        indexes = [models.Index(fields=["municipality", "-created_at", "-id"], name="risk_run_latest")]

    def __str__(self) -> str:
        return f"R-{self.pk or 0:05d} {self.as_of}"

    @property
    def reference(self) -> str:
        return f"R-{self.pk or 0:05d}"

    @property
    def duration_seconds(self) -> float:
        return self.duration_ms / 1000


class AddressRiskScore(TenantModel):
    """The score of one address in one run, with the contributions that make it up.

    Only addresses with a score above zero are stored; an address missing from a run scored zero.
    """

    run = models.ForeignKey(RiskRun, on_delete=models.CASCADE, related_name="address_scores")
    address = models.ForeignKey(
        "places.Address", on_delete=models.CASCADE, related_name="+", verbose_name=_("address")
    )
    score = models.PositiveIntegerField(_("score"))
    rank = models.PositiveIntegerField(_("rank"))
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    contributions = models.JSONField(_("contributions"), default=list)
    features = models.JSONField(_("features"), default=dict)
    # ",key1,key2," so a list can filter on a rule with a plain substring match on every database.
    rule_keys = models.CharField(_("rules that scored"), max_length=1000, blank=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("address risk score")
        verbose_name_plural = _("address risk scores")
        indexes = [
            models.Index(fields=["run", "rank"], name="risk_address_run_rank"),
            models.Index(fields=["run", "neighbourhood", "rank"], name="risk_address_run_nbh"),
            models.Index(fields=["address", "run"], name="risk_address_history"),
        ]
        constraints = [models.UniqueConstraint(fields=["run", "address"], name="risk_address_unique")]


class EmployerRiskScore(TenantModel):
    run = models.ForeignKey(RiskRun, on_delete=models.CASCADE, related_name="employer_scores")
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.CASCADE, related_name="+", verbose_name=_("employer")
    )
    score = models.PositiveIntegerField(_("score"))
    rank = models.PositiveIntegerField(_("rank"))
    contributions = models.JSONField(_("contributions"), default=list)
    features = models.JSONField(_("features"), default=dict)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("employer risk score")
        verbose_name_plural = _("employer risk scores")
        indexes = [
            models.Index(fields=["run", "rank"], name="risk_employer_run_rank"),
            models.Index(fields=["employer", "run"], name="risk_employer_history"),
        ]
        constraints = [models.UniqueConstraint(fields=["run", "employer"], name="risk_employer_unique")]


class ControlList(TenantModel):
    """A selection of addresses for visits, made from one run: the whole municipality or one neighbourhood."""

    run = models.ForeignKey(
        RiskRun, on_delete=models.PROTECT, related_name="control_lists", verbose_name=_("risk run")
    )
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
        help_text=_("Empty for the whole municipality."),
    )
    top_n = models.PositiveIntegerField(_("number of addresses"))
    exclude_visited_days = models.PositiveIntegerField(_("leave out addresses visited in the last (days)"))
    excluded_count = models.PositiveIntegerField(_("addresses left out as recently visited"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    created_by_name = models.CharField(_("by"), max_length=150, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("control list")
        verbose_name_plural = _("control lists")
        indexes = [models.Index(fields=["municipality", "-created_at"], name="risk_control_list_latest")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"L-{self.pk or 0:05d}"


class EntryStatus(models.TextChoices):
    OPEN = "open", _("open")
    CASE_OPENED = "case_opened", _("case opened")
    SET_ASIDE = "set_aside", _("set aside")


class ControlListEntry(TenantModel, VersionedModel):
    control_list = models.ForeignKey(
        ControlList, on_delete=models.CASCADE, related_name="entries", verbose_name=_("control list")
    )
    address = models.ForeignKey(
        "places.Address", on_delete=models.PROTECT, related_name="+", verbose_name=_("address")
    )
    rank = models.PositiveIntegerField(_("rank"))
    score = models.PositiveIntegerField(_("score"))
    contributions = models.JSONField(_("contributions"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.OPEN
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    set_aside_reason = models.CharField(_("reason for setting aside"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by_name = models.CharField(_("decided by"), max_length=150, blank=True)

    class Meta:
        ordering = ["rank", "id"]
        verbose_name = _("control list entry")
        verbose_name_plural = _("control list entries")
        constraints = [
            models.UniqueConstraint(fields=["control_list", "address"], name="risk_entry_unique_address")
        ]
        indexes = [models.Index(fields=["control_list", "rank"], name="risk_entry_list_rank")]

    def __str__(self) -> str:
        return f"{self.control_list_id}#{self.rank}"
