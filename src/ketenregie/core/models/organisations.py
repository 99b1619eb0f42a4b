from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.core.validators import validate_kvk_number


class OrganisationKind(models.TextChoices):
    MUNICIPAL_DEPARTMENT = "municipal_department", _("municipal department")
    NLA = "nla", _("Netherlands Labour Authority (NLA)")
    POLICE = "police", _("police")
    TAX_OFFICE = "tax_office", _("Tax Administration (Belastingdienst)")
    UWV = "uwv", _("UWV")
    SVB = "svb", _("SVB")
    HOUSING_CORPORATION = "housing_corporation", _("housing corporation")
    RIEC = "riec", _("RIEC")
    EMPLOYER = "employer", _("employer")
    OTHER = "other", _("other")


class Role(models.TextChoices):
    POLICY = "policy", _("policy officer")
    ENFORCEMENT = "enforcement", _("enforcement officer")
    CIVIL_AFFAIRS = "civil_affairs", _("civil affairs (BRP)")
    INFOPOINT = "infopoint", _("information point staff")
    PARTNER = "partner", _("chain partner")
    PRIVACY_OFFICER = "privacy_officer", _("data protection officer")
    COUNCIL = "council", _("council member")
    ADMIN = "admin", _("functional administrator")


class Organisation(models.Model):
    """A municipal department or a partner agency, as it takes part in one municipality's chain."""

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.CASCADE,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True, validators=[validate_kvk_number])
    is_active = models.BooleanField(_("active"), default=True)
    # How the municipality's identity provider names this organisation in the roles claim of single
    # sign-on ("<code>:<role>", see core/sso.py and docs/sso.md). One installation may serve several
    # municipalities behind one provider, so the code is unique across the installation.
    sso_code = models.CharField(
        _("single sign-on code"),
        max_length=64,
        blank=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9._-]*$",
                _("Use lower-case letters, digits, dots, hyphens and underscores only."),
            )
        ],
        help_text=_(
            "The code of this organisation in the roles your identity provider gives, as in code:role. "
            "Empty: nobody gets a role here through single sign-on."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="organisation_unique_name_per_municipality"
            ),
            models.UniqueConstraint(
                fields=["sso_code"], condition=~models.Q(sso_code=""), name="organisation_unique_sso_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_municipal(self) -> bool:
        return self.kind == OrganisationKind.MUNICIPAL_DEPARTMENT


class User(AbstractUser):
    # Roles come from memberships, but an account needs an owner before its first membership: the
    # municipality whose administrators created it and may reset its password or switch it off.
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("The municipality whose functional administrators manage this account."),
    )
    is_demo_account = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Created by the demo and seed commands; production refuses to start while one exists."),
    )
    # An account of single sign-on is found by its identity provider's issuer and subject, never by
    # its e-mail address: whoever controls an address at the provider must not get a local account.
    oidc_issuer = models.CharField(_("identity provider"), max_length=255, blank=True, editable=False)
    oidc_subject = models.CharField(
        _("subject at the identity provider"), max_length=255, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_issuer", "oidc_subject"],
                condition=~models.Q(oidc_subject=""),
                name="user_unique_oidc_identity",
            )
        ]

    @property
    def signs_on_externally(self) -> bool:
        return bool(self.oidc_subject)


class Membership(models.Model):
    """A user works for an organisation in a role. Roles are granted per membership, never per user."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # Granted from the identity provider's roles claim: each single sign-on adds and ends these, and
    # only these; a membership an administrator granted here stays as it is.
    via_sso = models.BooleanField(_("granted through single sign-on"), default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["user__username", "organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"
