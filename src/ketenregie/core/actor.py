"""Who is acting, for which organisation, in which municipality, and for what purpose.

Every selector and service takes an ``actor``: it carries the tenant and the roles, so a query
cannot forget either, and the audit trail can say who did what on whose behalf.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ketenregie.core.models import Membership, Municipality, Organisation, Role, User
from ketenregie.core.permissions import Capability, capabilities_for

if TYPE_CHECKING:
    from django.http import HttpRequest

ACTIVE_ORGANISATION_SESSION_KEY = "ketenregie.active_organisation"

# The purpose recorded in the audit trail when a role reads personal data.
ROLE_PURPOSES: dict[str, str] = {
    Role.ENFORCEMENT: "toezicht en handhaving",
    Role.CIVIL_AFFAIRS: "bijhouding basisregistratie personen",
    Role.POLICY: "beleid en verantwoording",
    Role.INFOPOINT: "informatie en dienstverlening",
    Role.PARTNER: "ketensamenwerking",
    Role.PRIVACY_OFFICER: "toezicht gegevensbescherming",
    Role.COUNCIL: "kaderstelling en controle",
    Role.ADMIN: "functioneel beheer",
}


@dataclass(frozen=True)
class Actor:
    municipality: Municipality
    user: User | None
    organisation: Organisation | None
    roles: frozenset[str]
    username: str
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @classmethod
    def system(cls, municipality: Municipality, *, name: str, roles: frozenset[str] | None = None) -> Actor:
        """An actor for commands and background jobs, recorded in the audit trail as ``system:<name>``."""
        return cls(
            municipality=municipality,
            user=None,
            organisation=None,
            roles=roles if roles is not None else frozenset(Role.values),
            username=f"system:{name}",
        )

    @property
    def capabilities(self) -> frozenset[Capability]:
        return capabilities_for(self.roles)

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def require(self, capability: Capability) -> None:
        if not self.can(capability):
            raise PermissionDenied(_("Your role does not allow this."))

    @property
    def purpose(self) -> str:
        for role in sorted(self.roles):
            if role in ROLE_PURPOSES:
                return ROLE_PURPOSES[role]
        return ""

    @property
    def primary_role(self) -> str:
        return sorted(self.roles)[0] if self.roles else ""


def organisations_of(user: User) -> list[Organisation]:
    return list(
        Organisation.objects.filter(memberships__user=user, memberships__is_active=True, is_active=True)
        .select_related("municipality")
        .distinct()
        .order_by("municipality__name", "name")
    )


def actor_for_user(user: User, *, organisation_id: int | None = None) -> Actor | None:
    """The actor for a logged-in user, in the chosen organisation (or their first one)."""
    memberships = list(
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation__municipality")
        .order_by("organisation__municipality__name", "organisation__name", "role")
    )
    if not memberships:
        return None
    chosen = next((m for m in memberships if m.organisation_id == organisation_id), memberships[0])
    organisation = chosen.organisation
    roles = frozenset(m.role for m in memberships if m.organisation_id == organisation.pk)
    return Actor(
        municipality=organisation.municipality,
        user=user,
        organisation=organisation,
        roles=roles,
        username=user.get_username(),
    )


class _WithUser(Protocol):
    @property
    def user(self) -> object: ...


def request_user(request: _WithUser) -> User:
    """The account behind a request (Django's or DRF's) that a login check let through; anything else,
    which such a view never sees, is refused rather than handed on as an anonymous user."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied(_("Log in first."))
    return user


def actor_for_request(request: HttpRequest) -> Actor | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    organisation_id = (
        request.session.get(ACTIVE_ORGANISATION_SESSION_KEY) if hasattr(request, "session") else None
    )
    return actor_for_user(user, organisation_id=organisation_id)
