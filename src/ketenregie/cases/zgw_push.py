"""Exporting a case as ZGW bodies, and registering it in the municipality's zaaksysteem (a Zaken API).

A push reconciles instead of replaying: it reads what the Zaken API holds first (the zaak by its stored
URL, or by identificatie and bronorganisatie when none is stored, then its zaakobjecten, rollen, status
and resultaat) and sends only what differs. So a second push updates the zaak (PUT only when a field
changed), sets a new status only when the status changed, and never duplicates a zaak, rol or zaakobject;
running a push again after a failure is always safe. The order is the one the Zaken API needs: zaak,
zaakobjecten, rollen, resultaat, then status (an end status needs the resultaat).

The outcome is kept on the case (zgw_zaak_url, zgw_pushed_at, zgw_push_state, zgw_push_error), with a
timeline line and an audit event. The reason of a failure holds HTTP status, title and invalidParams of
the API's problem answer: field names and codes, never personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.cases import timeline
from ketenregie.cases.access import case_access
from ketenregie.cases.models import Case, CaseEventKind, CaseStatus, ZgwPushState
from ketenregie.cases.zgw import (
    ADDRESS_RELATION,
    ORGANISATION_PREFIX,
    case_bodies,
    moment_text,
)
from ketenregie.cases.zgw_client import (
    CatalogueResolver,
    ZgwClient,
    ZgwConfig,
    ZgwError,
    export_refs,
    rsin_problem,
)
from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.models import AuditAction
from ketenregie.core.permissions import Capability


class ZgwNotConfigured(ZgwError):
    """The settings do not allow this (no RSIN, no API): nothing was tried, nothing is recorded."""


@dataclass(frozen=True)
class PushResult:
    case: Case
    ok: bool
    zaak_url: str
    created: bool = False
    changes: tuple[str, ...] = ()
    error: str = ""


def _checked_rsin(config: ZgwConfig) -> str:
    if not config.rsin:
        raise ZgwNotConfigured(
            "ZGW_RSIN is not set: the zaak needs the municipality's RSIN as bronorganisatie."
        )
    problem = rsin_problem(config.rsin)
    if problem:
        raise ZgwNotConfigured(problem)
    return config.rsin


def _user(actor: Actor) -> tuple[str, str]:
    """user_id and user_representation of the JWT: the account and organisation, for the API's trail."""
    organisation = actor.organisation.name if actor.organisation else ""
    return actor.username, f"{actor.username} ({organisation})" if organisation else actor.username


def case_export(*, actor: Actor, case: Case, config: ZgwConfig | None = None) -> dict[str, Any]:
    """The bodies a push sends for this case (docs/zgw.md); handing them out is an export in the trail."""
    actor.require(Capability.VIEW_CASES)
    case_access(actor, case)
    config = config or ZgwConfig.from_settings()
    rsin = _checked_rsin(config)
    user_id, representation = _user(actor)
    refs = export_refs(case, config, user_id=user_id, user_representation=representation)
    audit.record_export(actor, model=Case, count=1, file_format="zgw-json", filters={"case": case.pk})
    return case_bodies(case, refs, rsin=rsin)


def _same(remote: Any, ours: Any) -> bool:
    """Whether the Zaken API already holds what we would send (only the fields we send are compared)."""
    if isinstance(ours, dict):
        return isinstance(remote, dict) and all(_same(remote.get(k), v) for k, v in ours.items())
    if isinstance(ours, list):
        return (
            isinstance(remote, list)
            and len(remote) == len(ours)
            and all(_same(r, o) for r, o in zip(remote, ours, strict=True))
        )
    if isinstance(ours, float) or isinstance(remote, float):
        return isinstance(remote, (int, float)) and abs(float(remote) - float(ours)) < 1e-7
    if ours in (None, "") and remote in (None, ""):
        return True
    return bool(remote == ours)


def _rol_key(rol: dict[str, Any]) -> tuple[str, str, str]:
    ident = rol.get("betrokkeneIdentificatie") or {}
    return (
        str(rol.get("roltype", "")),
        str(rol.get("betrokkeneType", "")),
        str(ident.get("identificatie") or ident.get("annIdentificatie") or ""),
    )


def _object_key(obj: dict[str, Any]) -> tuple[str, str]:
    ident = obj.get("objectIdentificatie") or {}
    return str(obj.get("objectType", "")), str(ident.get("identificatie", ""))


class _Push:
    def __init__(self, case: Case, client: ZgwClient, config: ZgwConfig, rsin: str) -> None:
        self.case = case
        self.client = client
        self.config = config
        self.rsin = rsin
        self.changes: list[str] = []

    def run(self) -> tuple[str, bool]:
        case = self.case
        refs = CatalogueResolver(self.client).refs(case)
        zaak_url, remote = self._find_zaak()
        created = False
        if remote is None:
            bodies = case_bodies(case, refs, rsin=self.rsin)
            remote = self.client.post(f"{self.config.zaken_url}/zaken", bodies["zaak"])
            if not isinstance(remote, dict) or not remote.get("url"):
                raise ZgwError("POST /zaken: the answer has no url")
            zaak_url, created = str(remote["url"]), True
            self.changes.append("zaak")
            # Kept at once: should a later step fail, the next push finds this zaak instead of making one.
            Case.objects.filter(pk=case.pk).update(zgw_zaak_url=zaak_url)
            case.zgw_zaak_url = zaak_url
        bodies = case_bodies(case, refs.with_zaak(zaak_url), rsin=self.rsin)
        if not created and not _same(remote, bodies["zaak"]):
            self.client.put(zaak_url, bodies["zaak"])
            self.changes.append("zaak")
        self._zaakobjecten(zaak_url, bodies["zaakobjecten"])
        self._rollen(zaak_url, bodies["rollen"])
        if bodies["resultaat"] is not None:
            self._resultaat(remote, bodies["resultaat"])
            self._status(remote, bodies["status"])
        else:
            self._status(remote, bodies["status"])
            if remote.get("resultaat"):  # opened again: the old result no longer holds
                self.client.delete(str(remote["resultaat"]))
                self.changes.append("resultaat")
        return zaak_url, created

    def _find_zaak(self) -> tuple[str, dict[str, Any] | None]:
        if self.case.zgw_zaak_url:
            try:
                remote = self.client.get(self.case.zgw_zaak_url)
            except ZgwError as error:
                if error.status != 404:
                    raise
            else:
                if isinstance(remote, dict):
                    return self.case.zgw_zaak_url, remote
        found = self.client.list(
            f"{self.config.zaken_url}/zaken",
            {"identificatie": self.case.reference, "bronorganisatie": self.rsin},
        )
        if found:
            return str(found[0]["url"]), found[0]
        return "", None

    def _zaakobjecten(self, zaak_url: str, wanted: list[dict[str, Any]]) -> None:
        remote = self.client.list(f"{self.config.zaken_url}/zaakobjecten", {"zaak": zaak_url})
        ours = {_object_key(o): o for o in remote if o.get("relatieomschrijving") == ADDRESS_RELATION}
        for body in wanted:
            existing = ours.pop(_object_key(body), None)
            if existing is None:
                self.client.post(f"{self.config.zaken_url}/zaakobjecten", body)
                self.changes.append("zaakobject")
            elif not _same(existing, body):
                self.client.put(str(existing["url"]), body)
                self.changes.append("zaakobject")
        for gone in ours.values():  # an address taken out of the case
            self.client.delete(str(gone["url"]))
            self.changes.append("zaakobject")

    def _rollen(self, zaak_url: str, wanted: list[dict[str, Any]]) -> None:
        remote = self.client.list(f"{self.config.zaken_url}/rollen", {"zaak": zaak_url})
        ours = {_rol_key(r): r for r in remote if _rol_key(r)[2].startswith(ORGANISATION_PREFIX)}
        for body in wanted:
            existing = ours.pop(_rol_key(body), None)
            if existing is not None and _same(existing, body):
                continue
            if existing is not None:  # a rol cannot be changed in the Zaken API: replaced
                self.client.delete(str(existing["url"]))
            self.client.post(f"{self.config.zaken_url}/rollen", body)
            self.changes.append("rol")
        for gone in ours.values():  # an organisation no longer taking part
            self.client.delete(str(gone["url"]))
            self.changes.append("rol")

    def _resultaat(self, remote_zaak: dict[str, Any], body: dict[str, Any]) -> None:
        current = remote_zaak.get("resultaat")
        if not current:
            self.client.post(f"{self.config.zaken_url}/resultaten", body)
            self.changes.append("resultaat")
            return
        existing = self.client.get(str(current))
        if not _same(existing, body):
            self.client.put(str(current), body)
            self.changes.append("resultaat")

    def _status(self, remote_zaak: dict[str, Any], body: dict[str, Any]) -> None:
        current = remote_zaak.get("status")
        if current:
            existing = self.client.get(str(current))
            if isinstance(existing, dict) and existing.get("statustype") == body["statustype"]:
                return
            # The newest status is the zaak's status: a backdated change must still come after the last.
            previous = _parse_moment(existing.get("datumStatusGezet") if isinstance(existing, dict) else None)
            ours = _parse_moment(body["datumStatusGezet"])
            if previous and ours and ours <= previous:
                body = {**body, "datumStatusGezet": moment_text(previous + dt.timedelta(seconds=1))}
        self.client.post(f"{self.config.zaken_url}/statussen", body)
        self.changes.append("status")


def _parse_moment(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def zgw_push(
    *,
    actor: Actor,
    case: Case,
    config: ZgwConfig | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] | None = None,
) -> PushResult:
    """Register the case in the zaaksysteem, or bring the zaak there up to date. A failure is kept on the
    case (and returned), never raised; only missing settings raise ZgwNotConfigured."""
    actor.require(Capability.MANAGE_CASES)
    if not case_access(actor, case).manages:
        raise PermissionDenied(_("Only the lead organisation changes this case."))
    config = config or ZgwConfig.from_settings()
    rsin = _checked_rsin(config)
    missing = config.missing_for_push()
    if missing:
        raise ZgwNotConfigured("No zaaksysteem is configured: " + ", ".join(missing) + " not set.")
    user_id, representation = _user(actor)
    extra: dict[str, Any] = {"sleep": sleep} if sleep else {}
    push: _Push | None = None
    try:
        with ZgwClient(
            config, user_id=user_id, user_representation=representation, transport=transport, **extra
        ) as client:
            push = _Push(case, client, config, rsin)
            zaak_url, created = push.run()
    except ZgwError as error:
        reason = error.describe()[:2000]
        Case.objects.filter(pk=case.pk).update(
            zgw_push_state=ZgwPushState.FAILED, zgw_pushed_at=timezone.now(), zgw_push_error=reason
        )
        case.refresh_from_db(fields=["zgw_zaak_url", "zgw_push_state", "zgw_pushed_at", "zgw_push_error"])
        audit.record_change(
            actor, instance=case, action=AuditAction.UPDATE, changed_fields=["zgw_push_state"]
        )
        timeline.record(
            actor,
            case,
            kind=CaseEventKind.ZAAKSYSTEEM,
            summary=_("Registration in the zaaksysteem failed: %(reason)s") % {"reason": reason},
        )
        return PushResult(case, ok=False, zaak_url=case.zgw_zaak_url, error=reason)
    changes = tuple(push.changes)
    Case.objects.filter(pk=case.pk).update(
        zgw_zaak_url=zaak_url,
        zgw_push_state=ZgwPushState.PUSHED,
        zgw_pushed_at=timezone.now(),
        zgw_push_error="",
    )
    case.refresh_from_db(fields=["zgw_zaak_url", "zgw_push_state", "zgw_pushed_at", "zgw_push_error"])
    audit.record_change(
        actor,
        instance=case,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        changed_fields=["zgw_zaak_url", "zgw_push_state"],
    )
    if changes:
        timeline.record(
            actor,
            case,
            kind=CaseEventKind.ZAAKSYSTEEM,
            summary=(
                _("Registered in the zaaksysteem.")
                if created
                else _("Zaak in the zaaksysteem brought up to date.")
            )
            + " "
            + ", ".join(sorted(set(changes))),
        )
    return PushResult(case, ok=True, zaak_url=zaak_url, created=created, changes=changes)


def closed_since(*, actor: Actor, since: dt.date) -> QuerySet[Case]:
    """The municipality's cases closed on or after a date (for ``zgw push --closed-since``)."""
    actor.require(Capability.MANAGE_CASES)
    actor.require(Capability.VIEW_CASES)
    return Case.objects.filter(
        municipality=actor.municipality, status=CaseStatus.CLOSED, closed_on__gte=since
    ).order_by("closed_on", "id")
