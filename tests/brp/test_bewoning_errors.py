"""Every error of POST /api/v1/brp/bewoningen is the BRP Bewoning API 2.1.0's own Foutbericht.

A table of bad requests is sent and each answer validated with jsonschema against the schema the
specification (tests/data/brp/brp-bewoning-openapi-2.1.0.yaml) names for that status, $refs
resolved, with the specification's codes and titles.

Three texts the official fout-case scenarios prescribe do not fit the specification's own patterns:
the 400 ``detail`` "De foutieve parameter(s) zijn: …." (a colon), the reason "Waarde voldoet niet
aan patroon ^(?!0{16})[0-9]{16}$." (regex characters) and the parameter name
"adresseerbaarObjectIdentificatie" (32 characters; ``name`` allows 30). The scenarios win (clients
compare those texts); those three, and only those, are allowed to miss the pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.cache import cache
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from rest_framework.test import APIClient

from ketenregie.core.models import User
from ketenregie.core.tokens import token_create, token_revoke

pytestmark = pytest.mark.django_db

URL = "/api/v1/brp/bewoningen"
SPEC_PATH = Path(__file__).resolve().parent.parent / "data" / "brp" / "brp-bewoning-openapi-2.1.0.yaml"
SPEC = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
REGISTRY = Registry().with_resource("urn:brp-bewoning", Resource.from_contents(SPEC, DRAFT202012))
GOOD = {
    "type": "BewoningMetPeildatum",
    "peildatum": "2024-03-01",
    "adresseerbaarObjectIdentificatie": "0599010000000001",
}
SCENARIO_TEXTS = (
    re.compile(r"De foutieve parameter\(s\) zijn: [a-zA-Z0-9., ]+\."),
    re.compile("adresseerbaarObjectIdentificatie"),
    re.compile(re.escape("Waarde voldoet niet aan patroon ^(?!0{16})[0-9]{16}$.")),
)
SPEC_CODES = {
    400: "paramsValidation",
    401: "unauthorized",
    403: "forbidden",
    404: "notFound",
    405: "methodNotAllowed",
    406: "notAcceptable",
    413: "payloadTooLarge",
    415: "unsupportedMediaType",
    429: "tooManyRequests",
    500: "serverError",
}


def schema_for(status: int) -> dict[str, Any]:
    """The schema the specification gives the answer with this status (or its default)."""
    responses = SPEC["paths"]["/bewoningen"]["post"]["responses"]
    ref = responses.get(str(status), responses["default"])["$ref"]
    response = SPEC["components"]["responses"][ref.rsplit("/", 1)[-1]]
    target = response["content"]["application/problem+json"]["schema"]["$ref"]
    return {"$ref": "urn:brp-bewoning" + target}


def schema_errors(status: int, body: Any) -> list[str]:
    validator = Draft202012Validator(schema_for(status), registry=REGISTRY)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(body)
        if not (
            error.validator == "pattern"
            and isinstance(error.instance, str)
            and any(text.fullmatch(error.instance) for text in SCENARIO_TEXTS)
        )
    ]


def _officer(api_as: Callable[[str], APIClient]) -> APIClient:
    return api_as("civil_affairs")


# (name, how to send it, expected status, expected invalidParams names or None)
Send = Callable[[Callable[[str], APIClient], dict[str, User]], Any]
TABLE: list[tuple[str, Send, int, list[str] | None]] = [
    ("no credentials", lambda api, p: APIClient().post(URL, GOOD, format="json"), 401, None),
    (
        "an unknown token",
        lambda api, p: APIClient(HTTP_AUTHORIZATION="Token nietbestaand").post(URL, GOOD, format="json"),
        401,
        None,
    ),
    ("a role without personal data", lambda api, p: api("policy").post(URL, GOOD, format="json"), 403, None),
    ("GET", lambda api, p: _officer(api).get(URL), 405, None),
    ("PUT", lambda api, p: _officer(api).put(URL, GOOD, format="json"), 405, None),
    ("DELETE", lambda api, p: _officer(api).delete(URL), 405, None),
    (
        "Accept XML",
        lambda api, p: _officer(api).post(URL, GOOD, format="json", HTTP_ACCEPT="application/xml"),
        406,
        None,
    ),
    (
        "Accept JSON in cp1252",
        lambda api, p: _officer(api).post(
            URL, GOOD, format="json", HTTP_ACCEPT="application/json; charset=cp1252"
        ),
        406,
        None,
    ),
    (
        "an XML body",
        lambda api, p: _officer(api).post(URL, "<x/>", content_type="application/xml"),
        415,
        None,
    ),
    (
        "a form body",
        lambda api, p: _officer(api).post(URL, {"type": "BewoningMetPeildatum"}),
        415,
        None,
    ),
    (
        "JSON declared as cp1252",
        lambda api, p: _officer(api).post(URL, "{}", content_type="application/json; charset=cp1252"),
        415,
        None,
    ),
    (
        "a wildcard content type",
        lambda api, p: _officer(api).post(URL, "{}", content_type="*/*"),
        415,
        None,
    ),
    (
        "malformed JSON",
        lambda api, p: _officer(api).post(URL, '{"type": ', content_type="application/json"),
        400,
        ["body"],
    ),
    (
        "NaN is not JSON",
        lambda api, p: _officer(api).post(URL, '{"type": NaN}', content_type="application/json"),
        400,
        ["body"],
    ),
    (
        "JSON nested too deep",
        lambda api, p: _officer(api).post(URL, "[" * 70 + "]" * 70, content_type="application/json"),
        400,
        ["body"],
    ),
    ("a body that is a list", lambda api, p: _officer(api).post(URL, [GOOD], format="json"), 400, ["body"]),
    (
        "a body that is a string",
        lambda api, p: _officer(api).post(URL, '"BewoningMetPeildatum"', content_type="application/json"),
        400,
        ["body"],
    ),
    (
        "an empty body",
        lambda api, p: _officer(api).post(URL, "", content_type="application/json"),
        400,
        ["type"],
    ),
    (
        "an unknown field",
        lambda api, p: _officer(api).post(URL, {**GOOD, "burgerservicenummer": "999993653"}, format="json"),
        400,
        ["burgerservicenummer"],
    ),
    (
        "an unknown type",
        lambda api, p: _officer(api).post(URL, {**GOOD, "type": "Bewoning"}, format="json"),
        400,
        ["type"],
    ),
    (
        "a date that does not exist and an object id of 15 digits",
        lambda api, p: _officer(api).post(
            URL,
            {**GOOD, "peildatum": "2023-02-29", "adresseerbaarObjectIdentificatie": "059901000000001"},
            format="json",
        ),
        400,
        ["adresseerbaarObjectIdentificatie", "peildatum"],
    ),
    (
        "a period that ends before it starts",
        lambda api, p: _officer(api).post(
            URL,
            {
                "type": "BewoningMetPeriode",
                "datumVan": "2024-01-01",
                "datumTot": "2023-01-01",
                "adresseerbaarObjectIdentificatie": "0599010000000001",
            },
            format="json",
        ),
        400,
        ["datumTot"],
    ),
    ("a path under it", lambda api, p: _officer(api).post(URL + "/extra", GOOD, format="json"), 404, None),
    ("a trailing slash", lambda api, p: _officer(api).post(URL + "/", GOOD, format="json"), 404, None),
    ("another BRP path, anonymous", lambda api, p: APIClient().get("/api/v1/brp/personen"), 404, None),
]


def _check(response: Any, status: int, names: list[str] | None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert schema_errors(status, body) == []
    assert body["status"] == status
    assert body["code"] == SPEC_CODES[status]
    assert body["instance"].startswith("/api/v1/brp/")
    if names is None:
        assert "invalidParams" not in body
    else:
        assert body["title"] == "Een of meerdere parameters zijn niet correct."
        assert [p["name"] for p in body["invalidParams"]] == names
    return body


@pytest.mark.parametrize(("name", "send", "status", "names"), TABLE, ids=[row[0] for row in TABLE])
def test_every_error_is_a_foutbericht_of_the_specification(
    name: str,
    send: Send,
    status: int,
    names: list[str] | None,
    api_as: Callable[[str], APIClient],
    personas: dict[str, User],
) -> None:
    _check(send(api_as, personas), status, names)


def test_a_body_that_is_not_json_names_the_body_with_a_reason(api_as: Callable[[str], APIClient]) -> None:
    body = _check(_officer(api_as).post(URL, "{'type': 1}", content_type="application/json"), 400, ["body"])
    assert body["invalidParams"] == [
        {"name": "body", "code": "invalidJson", "reason": "De body is geen geldige JSON."}
    ]
    assert body["detail"] == "De foutieve parameter(s) zijn: body."
    assert "Expecting" not in str(body)  # no message of Python's parser


def test_a_revoked_token_says_so_in_a_detail_that_fits_the_pattern(personas: dict[str, User]) -> None:
    token, key = token_create(user=personas["civil_affairs"], name="test")
    token_revoke(user=personas["civil_affairs"], token_id=token.pk)
    response = APIClient(HTTP_AUTHORIZATION=f"Token {key}").post(URL, GOOD, format="json")
    body = _check(response, 401, None)
    assert body["detail"] == "Token ingetrokken."
    assert body["title"] == "Niet correct geauthenticeerd."
    assert response["WWW-Authenticate"] == "Token"


def test_method_not_allowed_names_the_allowed_method(api_as: Callable[[str], APIClient]) -> None:
    response = _officer(api_as).get(URL)
    _check(response, 405, None)
    assert "POST" in response["Allow"]


def test_a_body_over_the_size_limit_is_a_foutbericht(
    api_as: Callable[[str], APIClient], settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = '{"type": "BewoningMetPeildatum", "x": "%s"}' % ("a" * 2000)
    _check(_officer(api_as).post(URL, body, content_type="application/json"), 413, None)


def test_too_many_requests_is_a_foutbericht_with_retry_after(
    api_as: Callable[[str], APIClient], settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "1/minute"},
    }
    cache.clear()
    client = _officer(api_as)
    assert client.post(URL, GOOD, format="json").status_code == 200
    response = client.post(URL, GOOD, format="json")
    body = _check(response, 429, None)
    assert int(response["Retry-After"]) > 0
    assert body["detail"].startswith("Te veel verzoeken.")


def test_an_unexpected_error_is_a_foutbericht_without_details(
    api_as: Callable[[str], APIClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("Jansen, 999993653")

    monkeypatch.setattr("ketenregie.people.api_bewoning.bewoningen", broken)
    response = _officer(api_as).post(URL, GOOD, format="json")
    body = _check(response, 500, None)
    assert "Jansen" not in response.content.decode()
    assert body["title"] == "Interne server fout."


def test_a_good_question_without_content_type_headers_is_answered(api_as: Callable[[str], APIClient]) -> None:
    response = _officer(api_as).post(URL, GOOD, format="json", HTTP_ACCEPT="application/json; charset=utf-8")
    assert response.status_code == 200
    assert response.json() == {"bewoningen": []}


def test_the_rest_of_the_api_keeps_its_own_problem_shape(api_as: Callable[[str], APIClient]) -> None:
    response = APIClient().get("/api/v1/addresses/")
    assert response.status_code == 401
    assert response.json()["code"] != "unauthorized"
