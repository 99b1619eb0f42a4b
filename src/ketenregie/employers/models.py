from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel, VersionedModel
from ketenregie.core.validators import validate_kvk_number
from ketenregie.people.models import Sector


class EmployerKind(models.TextChoices):
    TEMP_AGENCY = "temp_agency", _("temp agency (uitzendbureau)")
    HIRER = "hirer", _("hirer (inlener)")
    OTHER = "other", _("other employer")


class BranchMembership(models.TextChoices):
    NONE = "", _("none")
    ABU = "ABU", _("ABU")
    NBBU = "NBBU", _("NBBU")


class WttaStatus(models.TextChoices):
    """Admission under the Wet toelating terbeschikkingstelling van arbeidskrachten (in force 1-1-2027)."""

    NOT_APPLICABLE = "not_applicable", _("not applicable")
    NOT_APPLIED = "not_applied", _("not applied")
    APPLIED = "applied", _("applied")
    ADMITTED = "admitted", _("admitted")
    REFUSED = "refused", _("refused")
    REVOKED = "revoked", _("revoked")


class Employer(TenantModel, VersionedModel):
    kvk_number = models.CharField(_("KvK number"), max_length=8, validators=[validate_kvk_number])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EmployerKind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    address = models.ForeignKey(
        "places.Address",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employers",
        verbose_name=_("establishment address"),
    )
    sna_certified = models.BooleanField(_("SNA certified (NEN 4400-1)"), default=False)
    sna_certified_since = models.DateField(_("SNA certified since"), null=True, blank=True)
    # Set by the SNA register import (employers/sna_register.py): the register's last snapshot that
    # listed this employer, and the date a certification lapsed because a later snapshot no longer did.
    sna_checked_at = models.DateTimeField(_("checked against the SNA register"), null=True, blank=True)
    sna_certified_until = models.DateField(_("SNA certification lapsed on"), null=True, blank=True)
    branch_membership = models.CharField(
        _("branch organisation"), max_length=4, blank=True, choices=BranchMembership.choices
    )
    wtta_status = models.CharField(
        _("WTTA admission"), max_length=20, choices=WttaStatus.choices, default=WttaStatus.NOT_APPLICABLE
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kvk_number"],
                name="employer_unique_kvk",
                violation_error_message=_("An employer with this KvK number is already registered."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Employment(TenantModel):
    """A person works for an employer; when the employer is a temp agency, ``hirer`` is where they work."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="employments", verbose_name=_("person")
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="employments", verbose_name=_("employer")
    )
    hirer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hired_employments",
        verbose_name=_("hirer (inlener)"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        indexes = [models.Index(fields=["employer", "ends_on"], name="employment_employer_end")]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.employer_id}"


class ViolationKind(models.TextChoices):
    UNDERPAYMENT = "underpayment", _("underpayment (WML)")
    WORKING_HOURS = "working_hours", _("working hours")
    SAFETY = "safety", _("health and safety")
    HOUSING = "housing", _("housing conditions")
    ILLEGAL_EMPLOYMENT = "illegal_employment", _("illegal employment (Wav)")
    EXPLOITATION = "exploitation", _("labour exploitation")
    FALSE_CONSTRUCTION = "false_construction", _("bogus construction (schijnconstructie)")
    OTHER = "other", _("other")


class ViolationStatus(models.TextChoices):
    ALLEGED = "alleged", _("alleged")
    PROVEN = "proven", _("proven")
    DISMISSED = "dismissed", _("dismissed")


class Violation(TenantModel, VersionedModel):
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="violations", verbose_name=_("employer")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ViolationKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ViolationStatus.choices)
    source = models.CharField(
        _("source"),
        max_length=120,
        help_text=_("Who established or reported it, e.g. Nederlandse Arbeidsinspectie."),
    )
    occurred_on = models.DateField(_("date"))
    fine_amount = models.DecimalField(_("fine (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-occurred_on"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class Covenant(TenantModel):
    """A municipality's coalition of employers, such as Rotterdam's 'Goed Werkgeverschap'."""

    name = models.CharField(_("name"), max_length=200)
    started_on = models.DateField(_("started on"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")

    def __str__(self) -> str:
        return self.name


class MembershipStatus(models.TextChoices):
    MEMBER = "member", _("member")
    IN_ESCALATION = "in_escalation", _("in escalation")
    TERMINATED = "terminated", _("terminated")


class CovenantMembership(TenantModel, VersionedModel):
    covenant = models.ForeignKey(
        Covenant, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("covenant")
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="covenant_memberships", verbose_name=_("employer")
    )
    joined_on = models.DateField(_("joined on"))
    status = models.CharField(
        _("status"), max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.MEMBER
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["employer__name"]
        verbose_name = _("covenant membership")
        verbose_name_plural = _("covenant memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "employer"],
                condition=~Q(status="terminated"),
                name="covenant_one_active_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer} in {self.covenant}"


class EscalationStepKind(models.TextChoices):
    """The ladder of the Rotterdam covenant: talk, then arbitration, then termination."""

    TALK = "talk", _("talk (in gesprek)")
    ARBITRATION = "arbitration", _("arbitration")
    TERMINATION = "termination", _("termination (opzegging)")


ESCALATION_LADDER = [EscalationStepKind.TALK, EscalationStepKind.ARBITRATION, EscalationStepKind.TERMINATION]


class EscalationOutcome(models.TextChoices):
    PENDING = "", _("pending")
    RESOLVED = "resolved", _("resolved")
    ESCALATED = "escalated", _("escalated to next step")
    TERMINATED = "terminated", _("membership terminated")


class EscalationStep(TenantModel):
    membership = models.ForeignKey(
        CovenantMembership,
        on_delete=models.CASCADE,
        related_name="escalation_steps",
        verbose_name=_("membership"),
    )
    violation = models.ForeignKey(
        Violation, on_delete=models.PROTECT, related_name="escalation_steps", verbose_name=_("violation")
    )
    kind = models.CharField(_("step"), max_length=20, choices=EscalationStepKind.choices)
    started_on = models.DateField(_("started on"))
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True, choices=EscalationOutcome.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.started_on})"


class RegistryCheckStatus(models.TextChoices):
    FOUND = "found", _("found in the trade register")
    NOT_FOUND = "not_found", _("unknown to the KvK")
    ENDED = "ended", _("registration ended")
    ERROR = "error", _("check failed")


class EmployerRegistryCheck(TenantModel):
    """The latest outcome of looking the employer up in the KvK trade register (Basisprofiel API).

    One row per employer, replaced at every check; the audit trail keeps when each check happened.
    ``registered_name`` can be a person's name (an eenmanszaak): it is shown on the employer page like
    the employer's own name, and never written to a log.
    """

    employer = models.OneToOneField(
        Employer, on_delete=models.CASCADE, related_name="registry_check", verbose_name=_("employer")
    )
    checked_at = models.DateTimeField(_("checked at"))
    status = models.CharField(_("outcome"), max_length=20, choices=RegistryCheckStatus.choices)
    error = models.CharField(
        _("error"), max_length=20, blank=True, help_text=_("Why the check failed, when it did.")
    )
    registered_name = models.CharField(_("registered name"), max_length=500, blank=True)
    registered_sbi_codes = models.JSONField(_("registered SBI codes"), default=list, blank=True)
    name_matches = models.BooleanField(_("name matches"), null=True, blank=True)
    registered_since = models.DateField(_("registered since"), null=True, blank=True)
    ended_on = models.DateField(_("registration ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("KvK check")
        verbose_name_plural = _("KvK checks")
        indexes = [models.Index(fields=["municipality", "status"], name="registry_check_status")]

    def __str__(self) -> str:
        return f"{self.employer_id}: {self.status}"
