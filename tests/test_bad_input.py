"""Bad input is never a server error, and the API answers every error as application/problem+json."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from ketenregie.core.models import User
from tests.conftest import World

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
TOO_BIG = 2**70


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("path", ["/api/v1/signals/", "/api/v1/auth/token/"])
@pytest.mark.parametrize("depth", [65, 1100])
def test_deeply_nested_json_is_a_problem_not_a_crash(path: str, depth: int) -> None:
    response = APIClient().post(path, nested(depth), content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "tooDeep"


def test_json_nested_within_the_limit_reaches_the_view() -> None:
    body = json.dumps({"username": "a", "password": "b", "extra": json.loads(nested(60))})
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize("body", ["{bad", '{"a": NaN}', b"\xff\xfe{}"])
def test_malformed_json_is_a_problem_in_dutch(body: str | bytes) -> None:
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "invalidJson"
    assert response.json()["detail"] == "De body is geen geldige JSON."


@pytest.mark.parametrize("field", ["signalIds", "addressIds"])
@pytest.mark.parametrize("value", [TOO_BIG, -1, 0])
def test_an_id_outside_the_database_range_is_refused_by_name(
    world: World, api_as: Callable[[str], APIClient], field: str, value: int
) -> None:
    body = {"kind": "house_visit", "title": "Controle", field: [value]}
    response = api_as("enforcement").post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert any(param["name"].startswith(field) for param in response.json()["invalidParams"])


@pytest.mark.parametrize(
    "path", ["people", "cases", "addresses", "signals", "employers", "housing-locations", "risk/runs"]
)
def test_a_path_id_beyond_bigint_is_not_found(
    world: World, api_as: Callable[[str], APIClient], path: str
) -> None:
    response = api_as("enforcement").get(f"/api/v1/{path}/{TOO_BIG}/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("kind", [{}, [], 7, True])
def test_a_bewoning_request_with_a_type_of_the_wrong_shape_is_refused(
    world: World, api_as: Callable[[str], APIClient], kind: Any
) -> None:
    response = api_as("enforcement").post("/api/v1/brp/bewoningen", {"type": kind}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert [param["name"] for param in response.json()["invalidParams"]] == ["type"]


def test_a_body_over_the_size_limit_is_a_problem(settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"username": "a" * 2000, "password": "b"})
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "requestTooLarge"


def test_a_locked_out_token_login_is_a_problem(personas: dict[str, User]) -> None:
    client = APIClient()
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"username": "enforcement", "password": "wrong"}, format="json")
    response = client.post(
        "/api/v1/auth/token/", {"username": "enforcement", "password": "wrong"}, format="json"
    )
    assert response.status_code == 429
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "lockedOut"
    assert int(response["Retry-After"]) > 0


def test_an_unexpected_error_in_the_api_is_a_problem_without_details(
    personas: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret detail 123456782")

    monkeypatch.setattr("ketenregie.api.views.authenticate", explode)
    client = APIClient()
    client.raise_request_exception = False
    response = client.post("/api/v1/auth/token/", {"username": "a", "password": "b"}, format="json")
    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "serverError"
    assert "secret" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_an_unknown_api_path_is_a_problem() -> None:
    response = APIClient().get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


BAD_QUERIES = [
    "/api/v1/addresses/?q=%00",
    "/api/v1/addresses/?neighbourhood=%00",
    "/api/v1/addresses/?q=" + "x" * 5000,
    "/api/v1/addresses/?page=-1",
    "/api/v1/addresses/?page=abc",
    f"/api/v1/addresses/?page={TOO_BIG}",
    "/api/v1/addresses/?pageSize=abc",
    "/api/v1/addresses/?habitable=maybe",
    "/api/v1/people/?nationality=%00",
    "/api/v1/people/?registrationStatus=%00",
    "/api/v1/people/?page=abc",
    "/api/v1/people/?pageSize=abc",
    f"/api/v1/people/?page={TOO_BIG}",
    "/api/v1/employers/?q=%00",
    "/api/v1/housing-locations/?q=%00",
    "/api/v1/signals/?status=%00",
    "/api/v1/signals/?receivedFrom=2024-02-31",
    "/api/v1/signals/?ordering=nonsense",
    f"/api/v1/signals/?address={TOO_BIG}",
    "/api/v1/cases/?kind=%00",
    "/api/v1/cases/?page=abc",
    "/api/v1/risk/address-scores/?run=abc",
    f"/api/v1/risk/address-scores/?run={TOO_BIG}",
    "/api/v1/risk/address-scores/?neighbourhood=%00",
    "/api/v1/risk/address-scores/?minScore=abc",
    # '²' passes str.isdigit() but not int(): every number a user sends is read by core.validators.
    "/api/v1/risk/address-scores/?minScore=%C2%B2",
    "/api/v1/risk/address-scores/?run=%C2%B2",
    "/api/v1/addresses/%00/",
]


@pytest.mark.parametrize("url", BAD_QUERIES)
def test_bad_query_parameters_are_never_a_server_error(
    world: World, api_as: Callable[[str], APIClient], url: str
) -> None:
    client = api_as("enforcement")
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response["Content-Type"] == PROBLEM


def test_a_charset_that_is_no_text_encoding_is_a_problem_not_a_crash() -> None:
    response = APIClient().post(
        "/api/v1/signals/", b"{}", content_type="application/json; charset=zlib_codec"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("value", ['"\u00b2"', "\u00b2", '"1_0"'])
def test_an_if_match_that_only_looks_like_a_number_is_a_problem(
    world: World, api_as: Callable[[str], APIClient], value: str
) -> None:
    client = api_as("enforcement")
    client.raise_request_exception = False
    response = client.patch(
        f"/api/v1/employers/{world.employer.pk}/",
        {"name": "Nieuw"},
        format="json",
        HTTP_IF_MATCH=value.encode().decode("unicode_escape"),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalidIfMatch"


def test_a_case_search_for_a_superscript_digit_is_no_server_error(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("enforcement")
    client.raise_request_exception = False
    assert client.get("/app/cases/?search=%C2%B2").status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/app/addresses/?q=%00", "/app/people/?q=%00", "/app/employers/?q=%00", "/app/signals/?q=%00"],
)
def test_a_nul_character_in_a_staff_page_query_is_a_bad_request(
    world: World, client_as: Callable[[str], Client], url: str
) -> None:
    client = client_as("enforcement")
    client.raise_request_exception = False
    assert client.get(url).status_code == 400
