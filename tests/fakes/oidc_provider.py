"""A stand-in OpenID Connect provider for tests: a threaded HTTP server on 127.0.0.1 at a random port with
the endpoints of the authorization code flow (OpenID Connect Core 1.0, Discovery 1.0, RP-Initiated
Logout 1.0): discovery, authorize (approves at once for the configured user and sends the browser back
with a code), token (checks the client's secret, the redirect URI and the PKCE verifier, and issues an
RS256 id_token signed with a key made at start-up), userinfo and JWKS.

Tests set the user with ``login_as``; ``tamper`` makes the next id_tokens wrong in one way (another key,
another audience, another nonce, another issuer, expired) to see them refused.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "ketenregie-test"
CLIENT_SECRET = "test-client-secret-of-at-least-32-bytes"


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeOidcProvider:
    def __init__(self) -> None:
        self.key = _new_key()
        self.kid = "fake-key-1"
        self.subject = "user-1"
        self.claims: dict[str, Any] = {}
        # One of: "", "key", "audience", "nonce", "issuer", "expired", "alg".
        self.tamper = ""
        self.codes: dict[str, dict[str, Any]] = {}
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.requests: list[dict[str, Any]] = []
        self.logouts: list[dict[str, list[str]]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def issuer(self) -> str:
        return self.url

    def endpoint(self, name: str) -> str:
        return f"{self.url}/{name}"

    def login_as(self, subject: str, **claims: Any) -> None:
        """The user the next authorization approves, with the claims of their id_token and userinfo."""
        self.subject = subject
        self.claims = claims

    def __enter__(self) -> FakeOidcProvider:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    # The endpoints, each answering (status, headers, body).

    def discovery(self) -> tuple[int, dict[str, str], Any]:
        return (
            200,
            {},
            {
                "issuer": self.issuer,
                "authorization_endpoint": self.endpoint("authorize"),
                "token_endpoint": self.endpoint("token"),
                "userinfo_endpoint": self.endpoint("userinfo"),
                "jwks_uri": self.endpoint("jwks"),
                "end_session_endpoint": self.endpoint("logout"),
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            },
        )

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, {}, {"error": "unauthorized_client"}
        if "openid" not in query.get("scope", "").split() or not query.get("redirect_uri"):
            return 400, {}, {"error": "invalid_request"}
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce"),
            "code_challenge": query.get("code_challenge"),
            "subject": self.subject,
            "claims": dict(self.claims),
        }
        back = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        return 302, {"Location": back}, None

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, str], Any]:
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if client_id != CLIENT_ID or client_secret != CLIENT_SECRET:
            return 401, {}, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if form.get("grant_type") != "authorization_code" or grant is None:
            return 400, {}, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {}, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        if grant["code_challenge"]:
            verifier = form.get("code_verifier", "")
            digest = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            )
            if digest != grant["code_challenge"]:
                return 400, {}, {"error": "invalid_grant", "error_description": "PKCE verifier"}
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant
        return (
            200,
            {},
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant),
            },
        )

    def id_token(self, grant: dict[str, Any]) -> str:
        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "sub": grant["subject"],
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **grant["claims"],
        }
        key: Any = self.key
        algorithm = "RS256"
        if self.tamper == "key":
            key = _new_key()
        elif self.tamper == "audience":
            payload["aud"] = "another-client"
        elif self.tamper == "nonce":
            payload["nonce"] = "not-the-nonce-of-this-login"
        elif self.tamper == "issuer":
            payload["iss"] = "https://impostor.example"
        elif self.tamper == "expired":
            payload["iat"], payload["exp"] = now - 3600, now - 1800
        elif self.tamper == "alg":
            # A token "signed" with the client's secret, as if the provider's public key were one.
            key, algorithm = CLIENT_SECRET, "HS256"
        return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": self.kid})

    def userinfo(self, authorization: str) -> tuple[int, dict[str, str], Any]:
        grant = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if grant is None:
            return 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'}, {"error": "invalid_token"}
        return 200, {}, {"sub": grant["subject"], **grant["claims"]}

    def jwks(self) -> tuple[int, dict[str, str], Any]:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return 200, {}, {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {key: values[0] for key, values in parse_qs(parts.query).items()}
                fake.requests.append({"method": "GET", "path": parts.path, "query": query})
                authorization = self.headers.get("Authorization", "")
                if parts.path == "/.well-known/openid-configuration":
                    self._send(*fake.discovery())
                elif parts.path == "/authorize":
                    self._send(*fake.authorize(query))
                elif parts.path == "/userinfo":
                    self._send(*fake.userinfo(authorization))
                elif parts.path == "/jwks":
                    self._send(*fake.jwks())
                elif parts.path == "/logout":
                    fake.logouts.append(parse_qs(parts.query))
                    self._send(200, {}, {"logged_out": True})
                else:
                    self._send(404, {}, {"error": "not_found"})

            def do_POST(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
                fake.requests.append({"method": "POST", "path": parts.path, "form": form})
                if parts.path == "/token":
                    self._send(*fake.token(form, self.headers.get("Authorization", "")))
                else:
                    self._send(404, {}, {"error": "not_found"})

            def _send(self, status: int, headers: dict[str, str], body: Any) -> None:
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
