"""Which municipality the portal serves, and the actor that writes on behalf of its visitors."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality, Role


class PortalNotConfigured(Exception):
    """PORTAL_MUNICIPALITY names no municipality, or is empty while there is not exactly one."""


def portal_municipality() -> Municipality:
    code = settings.PORTAL_MUNICIPALITY
    if code:
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise PortalNotConfigured(f"PORTAL_MUNICIPALITY={code!r}: no such municipality")
        return municipality
    municipalities = list(Municipality.objects.order_by("pk")[:2])
    if len(municipalities) != 1:
        raise PortalNotConfigured("set PORTAL_MUNICIPALITY to the CBS code of the municipality to serve")
    return municipalities[0]


def portal_actor(municipality: Municipality) -> Actor:
    """Self-service writes into the people register as civil affairs would, recorded in the audit trail
    as ``system:portal``: the visitor proved control of an e-mail address or phone, not an identity."""
    return Actor.system(municipality, name="portal", roles=frozenset({Role.CIVIL_AFFAIRS}))


@dataclass(frozen=True)
class Portal:
    municipality: Municipality
    actor: Actor
    language: str
