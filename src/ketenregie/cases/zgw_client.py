"""Talking to a Zaken API and a Catalogi API (ZGW): configuration, the JWT, retries, catalogue look-ups.

Authorisation as the ZGW standard describes it (and Open Zaak documents, docs/zgw.md): every request
carries ``Authorization: Bearer <JWT>``, a JWT signed with HS256 and the client's secret, with the claims
``iss`` and ``client_id`` (the client id), ``iat`` (when it was made), ``user_id`` and
``user_representation`` (who acts, for the Zaken API's audit trail). PyJWT signs it.

Failures become a ``ZgwError`` with a readable reason and, for a 400 in the ZGW problem format, its
``invalidParams``. Busy or unreachable services are retried a bounded number of times with exponential
backoff: every method on 429/503 and when the connection could not be made (nothing reached the server),
the idempotent ones (GET, PUT, DELETE) also on a time-out or 502/504. A POST that timed out is not
repeated blindly; the push reconciles with what the Zaken API holds first, so running it again is safe.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
from django.conf import settings

from ketenregie.cases.models import Case
from ketenregie.cases.zgw import (
    RESULTAATTYPEN,
    ROL_GENERIEK,
    STATUSTYPEN,
    ZgwRefs,
    placeholder_refs,
    placeholder_zaak_url,
    zaaktype_identificatie,
)

logger = logging.getLogger(__name__)

RETRY_ALWAYS = {429, 503}
RETRY_IDEMPOTENT = {502, 504}
IDEMPOTENT = {"GET", "PUT", "DELETE", "HEAD"}
MAX_PAGES = 50


def rsin_problem(value: str) -> str | None:
    """Why this is not an RSIN (9 digits passing the 11-test), or None when it is one."""
    if not re.fullmatch(r"\d{9}", value or ""):
        return f"ZGW_RSIN must be 9 digits; {value!r} is not."
    digits = [int(c) for c in value]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    if total % 11 or value == "000000000":
        return f"ZGW_RSIN {value} does not pass the 11-test (elfproef)."
    return None


@dataclass(frozen=True)
class ZgwConfig:
    rsin: str
    zaken_url: str
    catalogi_url: str
    catalogus_url: str
    client_id: str
    secret: str
    zaaktypen: Mapping[str, str] = field(default_factory=dict)
    timeout: float = 10
    retries: int = 3
    backoff_ms: int = 500

    @classmethod
    def from_settings(cls) -> ZgwConfig:
        return cls(
            rsin=settings.ZGW_RSIN,
            zaken_url=settings.ZGW_ZAKEN_API_URL.rstrip("/"),
            catalogi_url=settings.ZGW_CATALOGI_API_URL.rstrip("/"),
            catalogus_url=settings.ZGW_CATALOGUS_URL,
            client_id=settings.ZGW_CLIENT_ID,
            secret=settings.ZGW_SECRET,
            zaaktypen=dict(settings.ZGW_ZAAKTYPEN),
            timeout=float(settings.ZGW_TIMEOUT_SECONDS),
            retries=settings.ZGW_RETRIES,
            backoff_ms=settings.ZGW_BACKOFF_MS,
        )

    @property
    def can_resolve(self) -> bool:
        return bool(self.catalogi_url and self.client_id and self.secret)

    @property
    def can_push(self) -> bool:
        return bool(self.zaken_url and self.can_resolve)

    def missing_for_push(self) -> list[str]:
        wanted = {
            "ZGW_RSIN": self.rsin,
            "ZGW_ZAKEN_API_URL": self.zaken_url,
            "ZGW_CATALOGI_API_URL": self.catalogi_url,
            "ZGW_CLIENT_ID": self.client_id,
            "ZGW_SECRET": self.secret,
        }
        return [name for name, value in wanted.items() if not value]


class ZgwError(Exception):
    """A push or look-up that failed; ``reason`` is safe to show and to store (no personal data)."""

    def __init__(
        self, reason: str, *, status: int | None = None, invalid_params: list[dict[str, Any]] | None = None
    ):
        self.reason = reason
        self.status = status
        self.invalid_params = invalid_params or []
        super().__init__(self.describe())

    def describe(self) -> str:
        details = "; ".join(
            f"{item.get('name', '?')}: {item.get('reason', item.get('code', ''))}"
            for item in self.invalid_params[:10]
        )
        return f"{self.reason} ({details})" if details else self.reason


def make_jwt(config: ZgwConfig, *, user_id: str, user_representation: str, now: float | None = None) -> str:
    claims = {
        "iss": config.client_id,
        "iat": int(now if now is not None else time.time()),
        "client_id": config.client_id,
        "user_id": user_id[:255],
        "user_representation": user_representation[:255],
    }
    return jwt.encode(claims, config.secret, algorithm="HS256")


def _problem(response: httpx.Response) -> ZgwError:
    """The ZGW problem format (Fout / ValidatieFout): title, detail and for a 400 invalidParams."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        title = str(body.get("title") or "")
        detail = str(body.get("detail") or "")
        params = body.get("invalidParams")
        invalid = [p for p in params if isinstance(p, dict)] if isinstance(params, list) else []
        text = " – ".join(part for part in (title, detail) if part) or response.reason_phrase
        return ZgwError(
            f"HTTP {response.status_code}: {text}", status=response.status_code, invalid_params=invalid
        )
    return ZgwError(f"HTTP {response.status_code}: {response.reason_phrase}", status=response.status_code)


class ZgwClient:
    def __init__(
        self,
        config: ZgwConfig,
        *,
        user_id: str,
        user_representation: str,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.user_id = user_id
        self.user_representation = user_representation
        self.sleep = sleep
        self.http = httpx.Client(timeout=config.timeout, transport=transport)
        self.requests = 0

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ZgwClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _headers(self, method: str, url: str) -> dict[str, str]:
        token = make_jwt(self.config, user_id=self.user_id, user_representation=self.user_representation)
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if self.config.zaken_url and url.startswith(f"{self.config.zaken_url}/zaken"):
            # The Zaken API requires the coordinate system named on every zaak request (zaakgeometrie).
            headers["Accept-Crs"] = "EPSG:4326"
            headers["Content-Crs"] = "EPSG:4326"
        return headers

    def request(
        self, method: str, url: str, *, json: Any = None, params: Mapping[str, str] | None = None
    ) -> Any:
        attempts = 1 + max(self.config.retries, 0)
        last: ZgwError | None = None
        for attempt in range(attempts):
            if attempt:
                self.sleep(self.config.backoff_ms / 1000 * 2 ** (attempt - 1))
            self.requests += 1
            try:
                response = self.http.request(
                    method, url, json=json, params=params, headers=self._headers(method, url)
                )
            except httpx.ConnectError as error:
                last = ZgwError(f"{method} {_where(url)}: no connection ({type(error).__name__})")
                continue
            except httpx.TimeoutException:
                last = ZgwError(f"{method} {_where(url)}: no answer within {self.config.timeout:g} s")
                if method in IDEMPOTENT:
                    continue
                raise last from None
            except httpx.HTTPError as error:
                raise ZgwError(f"{method} {_where(url)}: {type(error).__name__}") from None
            if response.status_code < 400:
                logger.info("zgw %s %s: %s", method, _where(url), response.status_code)
                if response.status_code == 204 or not response.content:
                    return None
                try:
                    return response.json()
                except ValueError:
                    raise ZgwError(f"{method} {_where(url)}: the answer is not JSON") from None
            last = _problem(response)
            logger.warning("zgw %s %s: %s", method, _where(url), response.status_code)
            if response.status_code in RETRY_ALWAYS or (
                response.status_code in RETRY_IDEMPOTENT and method in IDEMPOTENT
            ):
                continue
            raise last
        assert last is not None
        raise ZgwError(
            f"{last.describe()} (after {attempts} attempts)",
            status=last.status,
            invalid_params=last.invalid_params,
        )

    def get(self, url: str, params: Mapping[str, str] | None = None) -> Any:
        return self.request("GET", url, params=params)

    def post(self, url: str, body: Any) -> Any:
        return self.request("POST", url, json=body)

    def put(self, url: str, body: Any) -> Any:
        return self.request("PUT", url, json=body)

    def delete(self, url: str) -> None:
        self.request("DELETE", url)

    def list(self, url: str, params: Mapping[str, str]) -> list[dict[str, Any]]:
        """Every item of a paginated list ({count, next, previous, results}), following ``next``."""
        items: list[dict[str, Any]] = []
        page: Any = self.get(url, params)
        for _ in range(MAX_PAGES):
            if isinstance(page, list):  # the Catalogi API of some versions answers a plain list
                return items + [i for i in page if isinstance(i, dict)]
            if not isinstance(page, dict) or not isinstance(page.get("results"), list):
                raise ZgwError(f"GET {_where(url)}: not a list")
            items.extend(i for i in page["results"] if isinstance(i, dict))
            if not page.get("next"):
                return items
            page = self.get(str(page["next"]))
        return items


def _where(url: str) -> str:
    """The path of a URL without its query: enough to tell what failed, never a filter value."""
    return httpx.URL(url).path


class CatalogueResolver:
    """The catalogue's URLs for a case, looked up once per zaaktype and kept for this resolver's life."""

    def __init__(self, client: ZgwClient) -> None:
        self.client = client
        self.config = client.config
        self._zaaktypen: dict[str, dict[str, Any]] = {}
        self._children: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def zaaktype(self, kind: str) -> dict[str, Any]:
        identificatie = zaaktype_identificatie(kind, self.config.zaaktypen)
        if identificatie not in self._zaaktypen:
            params = {"identificatie": identificatie, "status": "definitief"}
            if self.config.catalogus_url:
                params["catalogus"] = self.config.catalogus_url
            found = self.client.list(f"{self.config.catalogi_url}/zaaktypen", params)
            current = [z for z in found if _valid_today(z)] or found
            if not current:
                raise ZgwError(
                    f"The Catalogi API has no published zaaktype with identificatie {identificatie}."
                )
            # The newest version of the zaaktype that is valid today.
            self._zaaktypen[identificatie] = max(current, key=lambda z: str(z.get("versiedatum") or ""))
        return self._zaaktypen[identificatie]

    def _list(self, resource: str, zaaktype_url: str, **extra: str) -> list[dict[str, Any]]:
        key = (resource, zaaktype_url + repr(sorted(extra.items())))
        if key not in self._children:
            params = {"zaaktype": zaaktype_url, "status": "definitief", **extra}
            self._children[key] = self.client.list(f"{self.config.catalogi_url}/{resource}", params)
        return self._children[key]

    def refs(self, case: Case) -> ZgwRefs:
        zaaktype = self.zaaktype(case.kind)
        zaaktype_url = str(zaaktype["url"])
        identificatie = zaaktype.get("identificatie", "")
        volgnummer, label = STATUSTYPEN[case.status]
        statustypen = [
            s for s in self._list("statustypen", zaaktype_url) if s.get("volgnummer") == volgnummer
        ]
        if not statustypen:
            raise ZgwError(
                f"Zaaktype {identificatie} has no statustype with volgnummer {volgnummer} ({label})."
            )
        resultaattype = None
        if case.result:
            wanted = RESULTAATTYPEN[case.result].omschrijving.casefold()
            matches = [
                r
                for r in self._list("resultaattypen", zaaktype_url)
                if str(r.get("omschrijving", "")).casefold() == wanted
            ]
            if not matches:
                label = RESULTAATTYPEN[case.result].omschrijving
                raise ZgwError(f"Zaaktype {identificatie} has no resultaattype “{label}”.")
            resultaattype = str(matches[0]["url"])
        roltypen = {}
        for generic in sorted(set(ROL_GENERIEK.values())):
            found = self._list("roltypen", zaaktype_url, omschrijvingGeneriek=generic)
            found = [r for r in found if r.get("omschrijvingGeneriek", generic) == generic]
            if found:
                roltypen[generic] = str(found[0]["url"])
        needed = {ROL_GENERIEK[p.role] for p in case.participants.all()}
        if needed - roltypen.keys():
            missing = ", ".join(sorted(needed - roltypen.keys()))
            raise ZgwError(f"Zaaktype {identificatie} has no roltype with omschrijvingGeneriek {missing}.")
        return ZgwRefs(
            zaak=case.zgw_zaak_url or placeholder_zaak_url(case),
            zaaktype=zaaktype_url,
            statustype=str(statustypen[0]["url"]),
            resultaattype=resultaattype,
            roltypen=roltypen,
        )


def _valid_today(zaaktype: dict[str, Any]) -> bool:
    today = dt.date.today().isoformat()
    begin = str(zaaktype.get("beginGeldigheid") or "0000-00-00")
    end = zaaktype.get("eindeGeldigheid")
    return begin <= today and (not end or str(end) >= today)


def export_refs(case: Case, config: ZgwConfig, *, user_id: str, user_representation: str) -> ZgwRefs:
    """For an export: the catalogue's URLs when a Catalogi API is configured, else the placeholders."""
    if not config.can_resolve:
        refs = placeholder_refs(case, identificatie=zaaktype_identificatie(case.kind, config.zaaktypen))
        return refs.with_zaak(case.zgw_zaak_url or refs.zaak)
    with ZgwClient(config, user_id=user_id, user_representation=user_representation) as client:
        return CatalogueResolver(client).refs(case)
