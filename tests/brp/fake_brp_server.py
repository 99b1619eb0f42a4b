"""A stand-in for the national BRP APIs, for tests: a threaded HTTP server on 127.0.0.1 at a random
port that answers POST /bewoningen from this system's own occupancy module and POST /personen from
its people, so the client is tested end to end without anything leaving the machine.

``script`` lets a test make the next answers fail (a status, or a delay longer than the client's
timeout) to exercise retries and error handling.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.db import connection

from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality
from ketenregie.people.models import Person
from ketenregie.people.occupancy.queries import bewoner, bewoningen
from ketenregie.people.occupancy.request import parse_request, problem

API_KEY = "test-key"


class FakeBrp:
    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality
        self.script: deque[int | float] = deque()
        self.requests: list[dict[str, Any]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeBrp:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def answer(self, path: str, body: Any) -> tuple[int, dict[str, Any]]:
        actor = Actor.system(self.municipality, name="fake-brp")
        if path == "/bewoningen":
            parsed, problems = parse_request(body)
            if parsed is None:
                return 400, problem(problems, instance=path)
            return 200, bewoningen(
                actor=actor, object_id=parsed.object_id, van=parsed.van, tot=parsed.tot
            ).to_api()
        if path == "/personen":
            people = Person.objects.filter(
                municipality=self.municipality, bsn__in=body.get("burgerservicenummer", [])
            )
            return 200, {
                "type": body.get("type"),
                "personen": [bewoner(p, in_investigation=False) for p in people],
            }
        return 404, {"status": 404, "title": "Opgevraagde resource bestaat niet.", "code": "notFound"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                fake.requests.append(
                    {"path": self.path, "body": body, "api_key": self.headers.get("X-API-KEY")}
                )
                if fake.script:
                    step = fake.script.popleft()
                    if isinstance(step, float):
                        time.sleep(step)
                    else:
                        self._send(step, {"status": step, "code": "scripted"}, retry_after="0")
                        return
                if self.headers.get("X-API-KEY") != API_KEY:
                    self._send(
                        401,
                        {"status": 401, "title": "Niet correct geauthenticeerd.", "code": "authentication"},
                    )
                    return
                try:
                    status, answer = fake.answer(self.path, body)
                finally:
                    connection.close()
                self._send(status, answer)

            def _send(self, status: int, body: dict[str, Any], retry_after: str | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                content_type = "application/json" if status < 400 else "application/problem+json"
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                if retry_after is not None:
                    self.send_header("Retry-After", retry_after)
                self.end_headers()
                # The client may have given up already (a scripted time-out).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
