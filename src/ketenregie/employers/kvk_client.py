"""A client for the KvK Handelsregister Basisprofiel API: look up one registration by KvK number.

Protocol (developers.kvk.nl/documentation/basisprofiel-api): ``GET {base}/v1/basisprofielen/{kvkNummer}``
with the key in the ``apikey`` header. The answer has ``kvkNummer``, ``naam``, ``statutaireNaam``,
``handelsnamen`` ([{naam, volgorde}]), ``formeleRegistratiedatum`` and ``materieleRegistratie``
({datumAanvang, datumEinde}, dates as YYYYMMDD with 00 for an unknown part), ``sbiActiviteiten``
([{sbiCode, sbiOmschrijving, indHoofdactiviteit}]) and ``_embedded`` with ``hoofdvestiging`` and
``eigenaar``. Errors carry ``{"fout": [{"code": "IPD0005", "omschrijving": "..."}]}``.

Every failure becomes a ``KvkLookup`` with a typed ``error``, never an exception: a slow or refusing
KvK must not break an employer form or a delivery. Log lines carry the KvK number and the outcome only:
the registered name of an eenmanszaak is a person's name.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)


class KvkError(StrEnum):
    NOT_CONFIGURED = "not_configured"
    UNAUTHORISED = "unauthorised"
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"
    MALFORMED = "malformed"
    INVALID_NUMBER = "invalid_number"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class KvkProfile:
    kvk_number: str
    name: str
    statutory_name: str = ""
    trade_names: tuple[str, ...] = ()
    sbi_codes: tuple[str, ...] = ()
    started_on: dt.date | None = None
    ended_on: dt.date | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.name, self.statutory_name, *self.trade_names) if n)

    def ended(self, today: dt.date) -> bool:
        return self.ended_on is not None and self.ended_on <= today


@dataclass(frozen=True)
class KvkLookup:
    """``found`` with a profile, ``not_found``, or an ``error`` (and then the KvK's own ``fout`` codes)."""

    kvk_number: str
    profile: KvkProfile | None = None
    not_found: bool = False
    error: KvkError | None = None
    codes: tuple[str, ...] = field(default=())


def kvk_date(value: Any) -> dt.date | None:
    """A KvK date, YYYYMMDD; an unknown day or month (00) is read as the first, an unknown year as none."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{8}", value):
        return None
    year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
    if year == 0:
        return None
    try:
        return dt.date(year, month or 1, day or 1)
    except ValueError:
        return None


def parse_profile(kvk_number: str, body: Any) -> KvkProfile:
    """Raises ValueError when the body is not a Basisprofiel (the caller reports it as malformed)."""
    if not isinstance(body, dict) or not isinstance(body.get("naam", body.get("statutaireNaam")), str):
        raise ValueError("not a basisprofiel")
    if str(body.get("kvkNummer", kvk_number)) != kvk_number:
        raise ValueError("another kvkNummer")
    registration = body.get("materieleRegistratie") or {}
    if not isinstance(registration, dict):
        raise ValueError("materieleRegistratie")
    trade_names = tuple(
        str(item["naam"])
        for item in sorted(
            (i for i in body.get("handelsnamen") or [] if isinstance(i, dict) and i.get("naam")),
            key=lambda i: i.get("volgorde") or 0,
        )
    )
    sbi_codes = tuple(
        str(item["sbiCode"])
        for item in body.get("sbiActiviteiten") or []
        if isinstance(item, dict) and item.get("sbiCode")
    )
    return KvkProfile(
        kvk_number=kvk_number,
        name=str(body.get("naam") or ""),
        statutory_name=str(body.get("statutaireNaam") or ""),
        trade_names=trade_names,
        sbi_codes=sbi_codes,
        started_on=kvk_date(registration.get("datumAanvang")),
        ended_on=kvk_date(registration.get("datumEinde")),
    )


def _fout_codes(response: httpx.Response) -> tuple[str, ...]:
    try:
        body = response.json()
    except ValueError:
        return ()
    fout = body.get("fout") if isinstance(body, dict) else None
    if not isinstance(fout, list):
        return ()
    return tuple(str(item.get("code")) for item in fout if isinstance(item, dict) and item.get("code"))


class KvkClient:
    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        timeout: float = 10,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.transport = transport

    def lookup(self, kvk_number: str) -> KvkLookup:
        outcome = self._lookup(kvk_number)
        status = "found" if outcome.profile else ("not_found" if outcome.not_found else str(outcome.error))
        logger.info("kvk basisprofiel %s: %s %s", kvk_number, status, ",".join(outcome.codes))
        return outcome

    def _lookup(self, kvk_number: str) -> KvkLookup:
        if not re.fullmatch(r"\d{8}", kvk_number):
            return KvkLookup(kvk_number, error=KvkError.INVALID_NUMBER)
        try:
            with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
                response = client.get(
                    f"{self.base_url}/v1/basisprofielen/{kvk_number}",
                    headers={"apikey": self.api_key, "Accept": "application/json"},
                )
        except httpx.TimeoutException:
            return KvkLookup(kvk_number, error=KvkError.TIMEOUT)
        except httpx.HTTPError:
            return KvkLookup(kvk_number, error=KvkError.UNAVAILABLE)
        codes = _fout_codes(response) if response.status_code >= 400 else ()
        if response.status_code == 404:
            return KvkLookup(kvk_number, not_found=True, codes=codes)
        if response.status_code in (401, 403):
            return KvkLookup(kvk_number, error=KvkError.UNAUTHORISED, codes=codes)
        if response.status_code == 429:
            return KvkLookup(kvk_number, error=KvkError.RATE_LIMITED, codes=codes)
        if response.status_code == 400:
            return KvkLookup(kvk_number, error=KvkError.INVALID_NUMBER, codes=codes)
        if response.status_code != 200:
            return KvkLookup(kvk_number, error=KvkError.UNAVAILABLE, codes=codes)
        try:
            return KvkLookup(kvk_number, profile=parse_profile(kvk_number, response.json()))
        except ValueError:
            return KvkLookup(kvk_number, error=KvkError.MALFORMED)


def configured_client() -> KvkClient | None:
    """The client from settings, or None when no KvK connection is configured (lookups are off)."""
    url, key = settings.KVK_API_URL, settings.KVK_API_KEY
    if not url or not key:
        return None
    return KvkClient(base_url=url, api_key=key, timeout=float(settings.KVK_API_TIMEOUT))
