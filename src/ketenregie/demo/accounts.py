"""Organisations and the demo accounts: one account per role, password 'demo'.

Only the demo and seed commands call this; production refuses to start while these accounts exist.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from ketenregie.core import audit
from ketenregie.core.actor import actor_for_user
from ketenregie.core.models import (
    AuditAction,
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    Role,
    User,
)

MUNICIPAL_DEPARTMENTS: dict[str, str] = {
    Role.POLICY: "Beleid Arbeidsmigratie",
    Role.ENFORCEMENT: "Toezicht en Handhaving (pandbrigade)",
    Role.CIVIL_AFFAIRS: "Burgerzaken",
    Role.INFOPOINT: "Informatiepunt EU-arbeidsmigranten (WIN-punt)",
    Role.PRIVACY_OFFICER: "Functionaris Gegevensbescherming",
    Role.COUNCIL: "Gemeenteraad",
    Role.ADMIN: "Functioneel Beheer",
}
PARTNERS: tuple[tuple[str, str], ...] = (
    (OrganisationKind.NLA, "Nederlandse Arbeidsinspectie"),
    (OrganisationKind.POLICE, "Politie"),
    (OrganisationKind.TAX_OFFICE, "Belastingdienst"),
    (OrganisationKind.UWV, "UWV"),
    (OrganisationKind.SVB, "SVB"),
    (OrganisationKind.HOUSING_CORPORATION, "Woningcorporatie"),
    (OrganisationKind.RIEC, "RIEC"),
)
DEMO_ROLES: tuple[str, ...] = tuple(Role.values)


@transaction.atomic
def ensure_organisations(municipality: Municipality) -> dict[str, Organisation]:
    """Municipal departments keyed by role, and partner agencies keyed by kind."""
    organisations: dict[str, Organisation] = {}
    for role, name in MUNICIPAL_DEPARTMENTS.items():
        organisations[role], _ = Organisation.objects.get_or_create(
            municipality=municipality,
            name=f"Gemeente {municipality.name} – {name}",
            defaults={"kind": OrganisationKind.MUNICIPAL_DEPARTMENT},
        )
    for kind, name in PARTNERS:
        suffix = municipality.riec_region if kind == OrganisationKind.RIEC else municipality.name
        organisations[kind], _ = Organisation.objects.get_or_create(
            municipality=municipality,
            name=f"{name} ({suffix})",
            defaults={"kind": kind},
        )
    return organisations


@transaction.atomic
def ensure_demo_accounts(municipality: Municipality) -> list[tuple[str, str, str]]:
    """Create (or re-point) one account per role; returns (username, role, organisation) rows."""
    organisations = ensure_organisations(municipality)
    password: str = settings.DEMO_PASSWORD
    rows: list[tuple[str, str, str]] = []
    granted: list[Membership] = []
    for role in DEMO_ROLES:
        organisation = organisations[OrganisationKind.NLA] if role == Role.PARTNER else organisations[role]
        user, created = User.objects.get_or_create(
            username=role,
            defaults={"is_demo_account": True, "first_name": "Demo", "last_name": role},
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.is_demo_account = True
            user.save()
        # A demo account works in exactly one municipality: the one seeded last.
        Membership.objects.filter(user=user).exclude(organisation=organisation).delete()
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
        if created:
            granted.append(membership)
        rows.append((user.username, role, organisation.name))
    # The grants go in the trail as the functional administrator's, as they would in a real set-up, so
    # the privacy officer's review of grants of roles that read personal data has its first entries.
    administrator = actor_for_user(User.objects.get(username=Role.ADMIN))
    for membership in granted:
        if administrator is not None:
            audit.record_membership_change(
                administrator,
                membership=membership,
                action=AuditAction.CREATE,
                changed_fields=["organisation", "role", "user"],
            )
    return rows
