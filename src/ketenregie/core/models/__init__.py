from ketenregie.core.models.audit import AuditAction, AuditEvent
from ketenregie.core.models.base import TenantModel, VersionedModel
from ketenregie.core.models.organisations import Membership, Organisation, OrganisationKind, Role, User
from ketenregie.core.models.tenancy import Municipality, Norms
from ketenregie.core.models.tokens import ApiToken, RevokedBecause

__all__ = [
    "ApiToken",
    "AuditAction",
    "AuditEvent",
    "Membership",
    "Municipality",
    "Norms",
    "Organisation",
    "OrganisationKind",
    "RevokedBecause",
    "Role",
    "TenantModel",
    "User",
    "VersionedModel",
]
