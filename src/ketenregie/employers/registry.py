"""Looking employers up in the KvK trade register (Handelsregister, Basisprofiel API): when they are
registered, when they deliver, or on demand. Each outcome is stored and audited (docs/registry-checks.md).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.models import AuditAction
from ketenregie.core.permissions import Capability
from ketenregie.core.services import ensure_same_municipality
from ketenregie.employers.kvk_client import KvkClient, KvkLookup, configured_client
from ketenregie.employers.models import Employer, EmployerRegistryCheck, RegistryCheckStatus

# Who may have an employer looked up: who registers employers, imports them, or delivers on their behalf.
KVK_CHECK_CAPABILITIES = (Capability.EDIT_EMPLOYERS, Capability.IMPORT_REGISTERS, Capability.DELIVER_DATA)
# A check that failed (time-out, KvK down) is tried again by the next delivery after this long.
KVK_ERROR_RETRY = dt.timedelta(minutes=15)
_LEGAL_FORMS = re.compile(r"\b(b\.?\s?v|n\.?\s?v|v\.?\s?o\.?\s?f|c\.?\s?v|u\.?\s?a)\b\.?")


def normalised_name(name: str) -> str:
    """A name without accents, case, legal form (B.V., N.V., V.O.F., C.V., U.A.) and punctuation."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]", "", _LEGAL_FORMS.sub(" ", plain))


def _names_match(ours: str, theirs: Iterable[str]) -> bool:
    wanted = normalised_name(ours)
    return any(normalised_name(name) == wanted for name in theirs)


def _check_fields(employer: Employer, lookup: KvkLookup) -> dict[str, Any]:
    empty: dict[str, Any] = {
        "error": "",
        "registered_name": "",
        "registered_sbi_codes": [],
        "name_matches": None,
        "registered_since": None,
        "ended_on": None,
    }
    if lookup.profile is not None:
        profile = lookup.profile
        ended = profile.ended(timezone.localdate())
        return {
            **empty,
            "status": RegistryCheckStatus.ENDED if ended else RegistryCheckStatus.FOUND,
            "registered_name": profile.name or profile.statutory_name,
            "registered_sbi_codes": list(profile.sbi_codes),
            "name_matches": _names_match(employer.name, profile.names),
            "registered_since": profile.started_on,
            "ended_on": profile.ended_on,
        }
    if lookup.not_found:
        return {**empty, "status": RegistryCheckStatus.NOT_FOUND}
    return {**empty, "status": RegistryCheckStatus.ERROR, "error": str(lookup.error or "")}


def employer_check_kvk(
    *, actor: Actor, employer: Employer, client: KvkClient | None = None
) -> EmployerRegistryCheck | None:
    """Look the employer up in the KvK trade register and store the outcome (audited).

    Returns None when no KvK connection is configured. Never raises for what the KvK answers: a refusal,
    a time-out or garbage is stored as an outcome with status ``error``. The HTTP call happens outside
    any transaction of this function, so a slow KvK holds no locks. ``client`` replaces the configured
    one (the demo answers from memory).
    """
    if not any(actor.can(capability) for capability in KVK_CHECK_CAPABILITIES):
        raise PermissionDenied(_("Your role does not allow this."))
    ensure_same_municipality(actor, employer)
    client = client or configured_client()
    if client is None:
        return None
    lookup = client.lookup(employer.kvk_number)
    fields = {**_check_fields(employer, lookup), "checked_at": timezone.now()}
    with transaction.atomic():
        check, created = EmployerRegistryCheck.objects.update_or_create(
            employer=employer, defaults={**fields, "municipality": actor.municipality}
        )
        audit.record_change(
            actor,
            instance=check,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            changed_fields=sorted(fields),
        )
    return check


def kvk_check_is_stale(check: EmployerRegistryCheck | None, *, max_age: dt.timedelta) -> bool:
    if check is None:
        return True
    age = timezone.now() - check.checked_at
    if check.status == RegistryCheckStatus.ERROR:
        return age >= min(max_age, KVK_ERROR_RETRY)
    return age >= max_age


def employer_check_kvk_if_stale(
    *, actor: Actor, employer: Employer, max_age: dt.timedelta | None = None
) -> EmployerRegistryCheck | None:
    """For a delivery: look the employer up again when it never was, or longer ago than ``max_age``
    (settings.KVK_CHECK_MAX_AGE_DAYS), or when the last check failed more than 15 minutes ago.

    Call it after the delivery's transaction (transaction.on_commit), not inside it. Returns the stored
    outcome, fresh or not, or None when the KvK is not configured and the employer was never checked.
    """
    max_age = max_age or dt.timedelta(days=settings.KVK_CHECK_MAX_AGE_DAYS)
    check = EmployerRegistryCheck.objects.filter(employer=employer, municipality=actor.municipality).first()
    if not kvk_check_is_stale(check, max_age=max_age):
        return check
    return employer_check_kvk(actor=actor, employer=employer) or check


def employers_check_kvk_after_commit(actor: Actor, employers: Iterable[Employer]) -> None:
    """Once the surrounding transaction commits, look these employers up (nothing when KvK is off)."""
    if not settings.KVK_API_URL:
        return
    pending = list(employers)

    def check_all() -> None:
        for employer in pending:
            employer_check_kvk(actor=actor, employer=employer)

    transaction.on_commit(check_all, robust=True)


def employers_check_kvk_unchecked(*, actor: Actor, limit: int) -> int:
    """Look up employers never checked (e.g. the rest of a large import), at most ``limit``; the count."""
    employers = Employer.objects.filter(
        municipality=actor.municipality, registry_check__isnull=True
    ).order_by("pk")[:limit]
    checked = 0
    for employer in employers:
        if employer_check_kvk(actor=actor, employer=employer) is None:
            break
        checked += 1
    return checked
