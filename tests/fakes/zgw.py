"""A stand-in for a Zaken API 1.5 and a Catalogi API, for tests: a threaded HTTP server on 127.0.0.1 at a
random port, the Zaken API under ``/zaken/api/v1`` and the Catalogi API under ``/catalogi/api/v1``.

Like Open Zaak it
- checks the JWT of every request (HS256 with the client's secret; ``iss`` and ``client_id`` the client id,
  ``iat``, ``user_id``, ``user_representation``): 403 in the problem format otherwise;
- validates EVERY request body against the official schema (tests/fakes/zgw_schema.py: request mode, the
  discriminators, formats, lengths, no unknown or read-only fields) and answers 400 with a ValidatieFout
  (``invalidParams``) when it is not valid; it also refuses catalogue URLs it does not know;
- needs ``Content-Crs``/``Accept-Crs: EPSG:4326`` on /zaken;
- keeps the zaak's status (the newest datumStatusGezet), resultaat and einddatum (set by the end status).

``script`` makes the next answers a given status (for 503 and retries); ``requests`` records every call.
"""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt

from ketenregie.cases.zgw import RESULTAATTYPEN, ROL_GENERIEK, STATUSTYPEN, ZAAKTYPEN
from tests.fakes import zgw_schema

CLIENT_ID = "ketenregie-test"
SECRET = "zgw-test-secret-of-at-least-32-bytes!"
CATALOGUS = "catalogus-1"
REQUIRED_CLAIMS = ("iss", "iat", "client_id", "user_id", "user_representation")
COLLECTIONS = {
    "zaken": "zaak",
    "statussen": "status",
    "resultaten": "resultaat",
    "rollen": "rol",
    "zaakobjecten": "zaakobject",
}


def problem(
    status: int, code: str, title: str, detail: str = "", invalid: list[Any] | None = None
) -> dict[str, Any]:
    body = {
        "type": f"https://zaken.example/ref/fouten/{code}/",
        "code": code,
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": f"urn:uuid:{uuid.uuid4()}",
    }
    if invalid is not None:
        body["invalidParams"] = invalid
    return body


class FakeZgw:
    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.lock = threading.Lock()
        self.script: deque[int] = deque()
        self.requests: list[dict[str, Any]] = []
        self.invalid: list[dict[str, Any]] = []  # bodies refused by the schema, with their problems
        self.store: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in COLLECTIONS}
        self.catalogue: dict[str, list[dict[str, Any]]] = {}
        self._build_catalogue()

    # --- addresses -------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def zaken_url(self) -> str:
        return f"{self.url}/zaken/api/v1"

    @property
    def catalogi_url(self) -> str:
        return f"{self.url}/catalogi/api/v1"

    @property
    def catalogus_url(self) -> str:
        return f"{self.catalogi_url}/catalogussen/{CATALOGUS}"

    def settings(self, settings: Any, *, rsin: str = "002220647") -> None:
        settings.ZGW_RSIN = rsin
        settings.ZGW_ZAKEN_API_URL = self.zaken_url
        settings.ZGW_CATALOGI_API_URL = self.catalogi_url
        settings.ZGW_CATALOGUS_URL = self.catalogus_url
        settings.ZGW_CLIENT_ID = CLIENT_ID
        settings.ZGW_SECRET = SECRET
        settings.ZGW_BACKOFF_MS = 0
        settings.ZGW_TIMEOUT_SECONDS = 5

    def __enter__(self) -> FakeZgw:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    # --- the catalogue ---------------------------------------------------------------------------------
    def _build_catalogue(self) -> None:
        base = "{catalogi}"  # filled in when answered: the port is known only then
        zaaktypen, statustypen, resultaattypen, roltypen = [], [], [], []
        for zaaktype in ZAAKTYPEN.values():
            zt_url = f"{base}/zaaktypen/{uuid.uuid4()}"
            zaaktypen.append(
                {
                    "url": zt_url,
                    "identificatie": zaaktype.identificatie,
                    "omschrijving": zaaktype.omschrijving,
                    "catalogus": f"{base}/catalogussen/{CATALOGUS}",
                    "beginGeldigheid": "2024-01-01",
                    "eindeGeldigheid": None,
                    "versiedatum": "2024-01-01",
                    "concept": False,
                }
            )
            for volgnummer, omschrijving in STATUSTYPEN.values():
                statustypen.append(
                    {
                        "url": f"{base}/statustypen/{uuid.uuid4()}",
                        "zaaktype": zt_url,
                        "volgnummer": volgnummer,
                        "omschrijving": omschrijving,
                        "isEindstatus": volgnummer == len(STATUSTYPEN),
                    }
                )
            for resultaattype in RESULTAATTYPEN.values():
                resultaattypen.append(
                    {
                        "url": f"{base}/resultaattypen/{uuid.uuid4()}",
                        "zaaktype": zt_url,
                        "omschrijving": resultaattype.omschrijving,
                    }
                )
            for generic in sorted(set(ROL_GENERIEK.values())):
                roltypen.append(
                    {
                        "url": f"{base}/roltypen/{uuid.uuid4()}",
                        "zaaktype": zt_url,
                        "omschrijving": generic.title(),
                        "omschrijvingGeneriek": generic,
                    }
                )
        self.catalogue = {
            "zaaktypen": zaaktypen,
            "statustypen": statustypen,
            "resultaattypen": resultaattypen,
            "roltypen": roltypen,
        }

    def _catalogue_item(self, resource: str, url: str) -> dict[str, Any] | None:
        return next((i for i in self._resolved(resource) if i["url"] == url), None)

    def _resolved(self, resource: str) -> list[dict[str, Any]]:
        text = json.dumps(self.catalogue[resource]).replace("{catalogi}", self.catalogi_url)
        return json.loads(text)

    # --- answering -------------------------------------------------------------------------------------
    def authorised(self, header: str | None) -> str | None:
        """None when the JWT is right, else why not."""
        if not header or not header.startswith("Bearer "):
            return "no Bearer token"
        try:
            claims = jwt.decode(header[7:], SECRET, algorithms=["HS256"], options={"require": ["iat"]})
        except jwt.PyJWTError as error:
            return f"invalid JWT: {error}"
        missing = [c for c in REQUIRED_CLAIMS if c not in claims]
        if missing:
            return "claims missing: " + ", ".join(missing)
        if claims["client_id"] != CLIENT_ID or claims["iss"] != CLIENT_ID:
            return "unknown client"
        return None

    def answer(self, method: str, raw_path: str, headers: Any, body: Any) -> tuple[int, Any]:
        why = self.authorised(headers.get("Authorization"))
        if why:
            return 403, problem(
                403, "permission_denied", "Je hebt geen toestemming om deze actie uit te voeren.", why
            )
        parts = urlsplit(raw_path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path.rstrip("/")
        if path.startswith("/catalogi/api/v1/") and method == "GET":
            return self._catalogi(path.removeprefix("/catalogi/api/v1/"), query)
        if not path.startswith("/zaken/api/v1/"):
            return 404, problem(404, "not_found", "Niet gevonden.")
        segments = path.removeprefix("/zaken/api/v1/").split("/")
        collection = segments[0]
        if collection not in COLLECTIONS:
            return 404, problem(404, "not_found", "Niet gevonden.")
        if collection == "zaken" and (
            headers.get("Accept-Crs") != "EPSG:4326" or headers.get("Content-Crs") != "EPSG:4326"
        ):
            return 412, problem(
                412, "precondition_failed", "Accept-Crs en Content-Crs moeten EPSG:4326 zijn."
            )
        with self.lock:
            if len(segments) == 1:
                if method == "GET":
                    return 200, self._page(collection, query)
                if method == "POST":
                    return self._write(collection, None, body)
            elif len(segments) == 2:
                item = self.store[collection].get(segments[1])
                if item is None:
                    return 404, problem(404, "not_found", "Niet gevonden.")
                if method == "GET":
                    return 200, item
                if method == "PUT" and collection in ("zaken", "resultaten", "zaakobjecten"):
                    return self._write(collection, segments[1], body)
                if method == "DELETE" and collection != "zaken":
                    del self.store[collection][segments[1]]
                    self._derive(item.get("zaak"))
                    return 204, None
        return 405, problem(405, "method_not_allowed", "Methode niet toegestaan.")

    def _catalogi(self, resource: str, query: dict[str, str]) -> tuple[int, Any]:
        if resource not in self.catalogue:
            return 404, problem(404, "not_found", "Niet gevonden.")
        items = self._resolved(resource)
        if resource == "zaaktypen":
            if query.get("catalogus") and query["catalogus"] != self.catalogus_url:
                items = []
            items = [i for i in items if i["identificatie"] == query.get("identificatie", i["identificatie"])]
        else:
            items = [i for i in items if i["zaaktype"] == query.get("zaaktype")]
            if "omschrijvingGeneriek" in query:
                items = [i for i in items if i.get("omschrijvingGeneriek") == query["omschrijvingGeneriek"]]
        return 200, {"count": len(items), "next": None, "previous": None, "results": items}

    def _page(self, collection: str, query: dict[str, str]) -> dict[str, Any]:
        items = list(self.store[collection].values())
        for key in ("zaak", "identificatie", "bronorganisatie"):
            if key in query:
                items = [i for i in items if i.get(key) == query[key]]
        return {"count": len(items), "next": None, "previous": None, "results": items}

    def _write(self, collection: str, item_uuid: str | None, body: Any) -> tuple[int, Any]:
        kind = COLLECTIONS[collection]
        invalid = zgw_schema.invalid_params(kind, body)
        if not invalid:
            invalid = self._references(kind, body)
        if invalid:
            self.invalid.append({"kind": kind, "body": body, "invalidParams": invalid})
            return 400, problem(400, "invalid", "Invalid input.", "De invoer is niet geldig.", invalid)
        created = item_uuid is None
        item_uuid = item_uuid or str(uuid.uuid4())
        item = {"url": f"{self.zaken_url}/{collection}/{item_uuid}", "uuid": item_uuid, **body}
        if collection == "zaken":
            previous = self.store["zaken"].get(item_uuid, {})
            item.update({k: previous.get(k) for k in ("status", "resultaat", "einddatum")})
        self.store[collection][item_uuid] = item
        self._derive(item["url"] if collection == "zaken" else body.get("zaak"))
        return (201 if created else 200), item

    def _references(self, kind: str, body: dict[str, Any]) -> list[dict[str, str]]:
        """Like a Zaken API: the zaak must exist, the catalogue URLs must be known."""
        wrong: list[dict[str, str]] = []
        if kind != "zaak" and not any(z["url"] == body.get("zaak") for z in self.store["zaken"].values()):
            wrong.append({"name": "zaak", "code": "bad-url", "reason": "De zaak bestaat niet."})
        for field, resource in (
            ("zaaktype", "zaaktypen"),
            ("statustype", "statustypen"),
            ("resultaattype", "resultaattypen"),
            ("roltype", "roltypen"),
        ):
            if field in body and self._catalogue_item(resource, body[field]) is None:
                wrong.append({"name": field, "code": "bad-url", "reason": "Onbekend in de catalogus."})
        return wrong

    def _derive(self, zaak_url: Any) -> None:
        """The zaak's status, resultaat and einddatum, as a Zaken API derives them."""
        zaak = next((z for z in self.store["zaken"].values() if z["url"] == zaak_url), None)
        if zaak is None:
            return
        statussen = sorted(
            (s for s in self.store["statussen"].values() if s["zaak"] == zaak_url),
            key=lambda s: s["datumStatusGezet"],
        )
        zaak["status"] = statussen[-1]["url"] if statussen else None
        last = self._catalogue_item("statustypen", statussen[-1]["statustype"]) if statussen else None
        zaak["einddatum"] = statussen[-1]["datumStatusGezet"][:10] if last and last["isEindstatus"] else None
        resultaten = [r for r in self.store["resultaten"].values() if r["zaak"] == zaak_url]
        zaak["resultaat"] = resultaten[0]["url"] if resultaten else None

    def count(self, collection: str) -> int:
        return len(self.store[collection])

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = "not json"
                fake.requests.append({"method": method, "path": self.path, "body": body})
                if fake.script:
                    status = fake.script.popleft()
                    self._send(status, problem(status, "unavailable", "Tijdelijk niet beschikbaar."))
                    return
                if method == "POST" and self.path.rstrip("/").endswith("/zaken/api/v1/zaken"):
                    duplicate = isinstance(body, dict) and any(
                        z["identificatie"] == body.get("identificatie")
                        and z["bronorganisatie"] == body.get("bronorganisatie")
                        for z in fake.store["zaken"].values()
                    )
                    if duplicate:
                        self._send(
                            400,
                            problem(
                                400,
                                "invalid",
                                "Invalid input.",
                                "",
                                [
                                    {
                                        "name": "identificatie",
                                        "code": "identificatie-niet-uniek",
                                        "reason": "Bestaat al.",
                                    }
                                ],
                            ),
                        )
                        return
                status, answer = fake.answer(method, self.path, self.headers, body)
                self._send(status, answer)

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_PUT(self) -> None:
                self._handle("PUT")

            def do_DELETE(self) -> None:
                self._handle("DELETE")

            def _send(self, status: int, payload: Any) -> None:
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                content_type = "application/problem+json" if status >= 400 else "application/json"
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
