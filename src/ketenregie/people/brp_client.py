"""A client for the national BRP APIs: BRP Bewoning (who lived at an addressable object) and BRP
Personen (a person by BSN).

Configured by URL and credentials from the environment (settings.BRP_API): an API key header, or
OAuth 2.0 client credentials, and optionally a client certificate (PKIoverheid over Diginetwerk).
Every request has a timeout; connection failures, time-outs and the answers 429, 502, 503 and 504
are retried with exponential backoff (honouring Retry-After); what still fails raises a
``BrpApiError`` whose message says what went wrong and what to check. No personal data goes into
log lines or error messages: only the status and the API's problem code.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({429, 502, 503, 504})
PERSON_FIELDS = ("burgerservicenummer", "naam", "geboorte", "verblijfplaats", "adressering")


class BrpApiError(Exception):
    """A request to a BRP API failed; ``status`` and ``problem`` hold what the API answered."""

    def __init__(self, message: str, *, status: int | None = None, problem: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.problem = dict(problem or {})


class BrpApiNotConfigured(BrpApiError):
    pass


class BrpApiUnavailable(BrpApiError):
    """No answer after the retries: the API is down, overloaded or unreachable."""


class BrpApiRefused(BrpApiError):
    """401 or 403: the credentials or the authorisation (autorisatiebesluit) do not allow this."""


class BrpApiBadRequest(BrpApiError):
    """400: the API found the question itself wrong; ``problem['invalidParams']`` says why."""


@dataclass(frozen=True)
class BrpApiConfig:
    bewoning_url: str = ""
    personen_url: str = ""
    api_key: str = ""
    oauth_token_url: str = ""
    oauth_client_id: str = ""
    oauth_client_secret: str = ""
    client_cert: str = ""
    client_key: str = ""
    timeout_seconds: float = 10
    retries: int = 3
    backoff_seconds: float = 0.5

    @classmethod
    def from_settings(cls) -> BrpApiConfig:
        values: dict[str, Any] = settings.BRP_API
        return cls(
            bewoning_url=values["BEWONING_URL"],
            personen_url=values["PERSONEN_URL"],
            api_key=values["API_KEY"],
            oauth_token_url=values["OAUTH_TOKEN_URL"],
            oauth_client_id=values["OAUTH_CLIENT_ID"],
            oauth_client_secret=values["OAUTH_CLIENT_SECRET"],
            client_cert=values["CLIENT_CERT"],
            client_key=values["CLIENT_KEY"],
            timeout_seconds=values["TIMEOUT_SECONDS"],
            retries=values["RETRIES"],
            backoff_seconds=values["BACKOFF_MS"] / 1000,
        )


class BrpClient:
    def __init__(
        self,
        config: BrpApiConfig | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config or BrpApiConfig.from_settings()
        cert = (self.config.client_cert, self.config.client_key or None) if self.config.client_cert else None
        self._http = httpx.Client(timeout=self.config.timeout_seconds, transport=transport, cert=cert)  # type: ignore[arg-type]
        self._sleep = sleep
        self._token: tuple[str, float] | None = None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BrpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # BRP Bewoning

    def bewoning_op_peildatum(self, object_id: str, peildatum: dt.date) -> dict[str, Any]:
        return self._post(
            self._url(self.config.bewoning_url, "BRP_BEWONING_URL", "bewoningen"),
            {
                "type": "BewoningMetPeildatum",
                "peildatum": peildatum.isoformat(),
                "adresseerbaarObjectIdentificatie": object_id,
            },
        )

    def bewoning_in_periode(self, object_id: str, van: dt.date, tot: dt.date) -> dict[str, Any]:
        return self._post(
            self._url(self.config.bewoning_url, "BRP_BEWONING_URL", "bewoningen"),
            {
                "type": "BewoningMetPeriode",
                "datumVan": van.isoformat(),
                "datumTot": tot.isoformat(),
                "adresseerbaarObjectIdentificatie": object_id,
            },
        )

    # BRP Personen

    def persoon(self, bsn: str, *, fields: tuple[str, ...] = PERSON_FIELDS) -> dict[str, Any] | None:
        """The person with this BSN, or None when the BRP has no such person."""
        body = self._post(
            self._url(self.config.personen_url, "BRP_PERSONEN_URL", "personen"),
            {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn], "fields": list(fields)},
        )
        people = body.get("personen") or []
        return people[0] if people else None

    # Plumbing

    @staticmethod
    def _url(base: str, variable: str, resource: str) -> str:
        if not base:
            raise BrpApiNotConfigured(
                _("The BRP API is not configured: set %(variable)s to its base URL.") % {"variable": variable}
            )
        return base.rstrip("/") + "/" + resource

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json", "Content-Type": "application/json; charset=utf-8"}
        if self.config.api_key:
            headers["X-API-KEY"] = self.config.api_key
        if self.config.oauth_token_url:
            headers["Authorization"] = f"Bearer {self._access_token()}"
        return headers

    def _access_token(self) -> str:
        if self._token and self._token[1] > time.monotonic() + 30:
            return self._token[0]
        response = self._send(
            "POST",
            self.config.oauth_token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": self.config.oauth_client_id,
                "client_secret": self.config.oauth_client_secret,
            },
            headers={"Accept": "application/json"},
        )
        body = response.json()
        self._token = (body["access_token"], time.monotonic() + float(body.get("expires_in", 300)))
        return self._token[0]

    def _post(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self._send("POST", url, json=body, headers=self._headers())
        try:
            answer = response.json()
        except ValueError:
            raise BrpApiError(
                _("The BRP API answered %(status)d without JSON.") % {"status": response.status_code},
                status=response.status_code,
            ) from None
        if not isinstance(answer, dict):
            raise BrpApiError(_("The BRP API answered with something other than a JSON object."))
        return answer

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        attempts = self.config.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._http.request(method, url, **kwargs)
            except (httpx.TimeoutException, httpx.TransportError) as error:
                logger.warning(
                    "BRP API %s %s failed (attempt %d): %s", method, url, attempt + 1, type(error).__name__
                )
                if last:
                    raise BrpApiUnavailable(
                        _("The BRP API at %(url)s did not answer after %(attempts)d attempts (%(error)s).")
                        % {"url": url, "attempts": attempts, "error": type(error).__name__}
                    ) from error
                self._sleep(self._delay(attempt, None))
                continue
            if response.status_code in RETRY_STATUSES and not last:
                logger.warning(
                    "BRP API %s %s answered %d (attempt %d)", method, url, response.status_code, attempt + 1
                )
                self._sleep(self._delay(attempt, response.headers.get("Retry-After")))
                continue
            if response.is_success:
                return response
            raise self._error(response)
        raise AssertionError("unreachable")  # pragma: no cover

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after and retry_after.isdigit():
            return min(float(retry_after), 60.0)
        base = self.config.backoff_seconds * (2**attempt)
        return base + random.uniform(0, base / 2)

    @staticmethod
    def _error(response: httpx.Response) -> BrpApiError:
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        if not isinstance(problem, dict):
            problem = {}
        status = response.status_code
        code = problem.get("code", "")
        if status == 400:
            names = ", ".join(p.get("name", "") for p in problem.get("invalidParams", []))
            return BrpApiBadRequest(
                _("The BRP API refused the question (%(code)s): %(names)s.")
                % {"code": code, "names": names or "-"},
                status=status,
                problem=problem,
            )
        if status in (401, 403):
            return BrpApiRefused(
                _(
                    "The BRP API refused access (%(status)d %(code)s): "
                    "check the credentials and the authorisation."
                )
                % {"status": status, "code": code},
                status=status,
                problem=problem,
            )
        if status in RETRY_STATUSES or status >= 500:
            return BrpApiUnavailable(
                _("The BRP API is not available (%(status)d %(code)s); try again later.")
                % {"status": status, "code": code},
                status=status,
                problem=problem,
            )
        return BrpApiError(
            _("The BRP API answered %(status)d %(code)s.") % {"status": status, "code": code},
            status=status,
            problem=problem,
        )
