"""A stand-in for the KvK Handelsregister Basisprofiel API, for tests: a threaded HTTP server on 127.0.0.1
at a random port that answers ``GET /v1/basisprofielen/{kvkNummer}`` the way the KvK does
(developers.kvk.nl/documentation/basisprofiel-api): the key in the ``apikey`` header, a Basisprofiel
with ``_embedded`` hoofdvestiging and eigenaar, and errors as ``{"fout": [{"code", "omschrijving"}]}``.

Tests register companies with ``add``; ``delay`` makes every answer slower (for time-outs), ``script``
makes the next answers a given status or a raw body (for rate limits and garbage).
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "kvk-test-key"
PATH = re.compile(r"^/v1/basisprofielen/(?P<number>[^/?]+)(\?.*)?$")


def basisprofiel(
    kvk_number: str,
    name: str,
    *,
    sbi: tuple[str, ...] = ("7820",),
    started: str = "20150622",
    ended: str | None = None,
    legal_form: str = "BeslotenVennootschap",
    trade_names: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A Basisprofiel as the KvK returns it (fields and nesting per the API reference)."""
    address = {
        "type": "bezoekadres",
        "indAfgeschermd": "Nee",
        "volledigAdres": "Watermolenlaan 1 3447GT Woerden",
        "straatnaam": "Watermolenlaan",
        "huisnummer": 1,
        "postcode": "3447GT",
        "plaats": "Woerden",
        "land": "Nederland",
    }
    activities = [
        {
            "sbiCode": code,
            "sbiOmschrijving": "Uitzendbureaus",
            "indHoofdactiviteit": "Ja" if i == 0 else "Nee",
        }
        for i, code in enumerate(sbi)
    ]
    names = [{"naam": n, "volgorde": i} for i, n in enumerate((name, *trade_names))]
    return {
        "kvkNummer": kvk_number,
        "indNonMailing": "Nee",
        "naam": name,
        "formeleRegistratiedatum": started,
        "materieleRegistratie": {"datumAanvang": started, **({"datumEinde": ended} if ended else {})},
        "totaalWerkzamePersonen": 12,
        "statutaireNaam": name,
        "handelsnamen": names,
        "sbiActiviteiten": activities,
        "links": [{"rel": "self", "href": f"https://api.kvk.nl/api/v1/basisprofielen/{kvk_number}"}],
        "_embedded": {
            "hoofdvestiging": {
                "vestigingsnummer": "000037178598",
                "kvkNummer": kvk_number,
                "formeleRegistratiedatum": started,
                "materieleRegistratie": {"datumAanvang": started},
                "eersteHandelsnaam": name,
                "indHoofdvestiging": "Ja",
                "indCommercieleVestiging": "Ja",
                "totaalWerkzamePersonen": 12,
                "adressen": [address],
                "websites": [],
                "sbiActiviteiten": activities,
                "links": [],
            },
            "eigenaar": {"rechtsvorm": legal_form, "uitgebreideRechtsvorm": legal_form, "links": []},
        },
    }


class FakeKvk:
    def __init__(self) -> None:
        self.profiles: dict[str, dict[str, Any]] = {}
        self.delay = 0.0
        self.script: deque[tuple[int, bytes]] = deque()
        self.requests: list[dict[str, Any]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, kvk_number: str, name: str, **kwargs: Any) -> None:
        self.profiles[kvk_number] = basisprofiel(kvk_number, name, **kwargs)

    def __enter__(self) -> FakeKvk:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def answer(self, path: str, api_key: str | None) -> tuple[int, Any]:
        if api_key != API_KEY:
            # The gateway refuses a missing or wrong key before the API sees the request; the client
            # goes by the status alone, so the body here is no more than a plausible one.
            return 401, {"message": "Unauthorized"}
        match = PATH.match(path)
        if match is None:
            return 404, {"fout": [{"code": "IPD0001", "omschrijving": "Het gevraagde product bestaat niet"}]}
        number = match["number"]
        if not re.fullmatch(r"\d{8}", number):
            return 400, {"fout": [{"code": "IPD0004", "omschrijving": "Het KVK-nummer is niet valide"}]}
        if number not in self.profiles:
            return 404, {
                "fout": [
                    {
                        "code": "IPD0005",
                        "omschrijving": f"Het product is niet leverbaar voor KVK-nummer {number}",
                    }
                ]
            }
        return 200, self.profiles[number]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append({"path": self.path, "api_key": self.headers.get("apikey")})
                if fake.delay:
                    time.sleep(fake.delay)
                if fake.script:
                    status, raw = fake.script.popleft()
                    self._send(status, raw)
                    return
                status, body = fake.answer(self.path, self.headers.get("apikey"))
                self._send(status, json.dumps(body).encode())

            def _send(self, status: int, data: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                # The client may have given up already (a time-out).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
