from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from ketenregie.core.models import AuditAction, AuditEvent
from ketenregie.employers.models import Employer
from tests.conftest import World

SCHEMA = Path(__file__).resolve().parent.parent / "src" / "ketenregie" / "api" / "openapi.yaml"


def test_a_token_is_exchanged_for_username_and_password(personas: dict[str, object]) -> None:
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "enforcement", "password": "correct horse battery staple"},
        format="json",
    )
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/addresses/").status_code == 200


def test_a_wrong_password_gets_a_problem_not_a_token(personas: dict[str, object]) -> None:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "enforcement", "password": "nope"}, format="json"
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert "token" not in response.json()


def test_field_errors_come_back_as_invalid_params(world: World, api_as: Callable[[str], APIClient]) -> None:
    response = api_as("enforcement").post("/api/v1/people/search/", {"bsn": "123456789"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["invalidParams"][0]["name"] == "bsn"
    assert body["invalidParams"][0]["code"] == "bsn_checksum"


def test_a_bad_boolean_filter_names_the_parameter(world: World, api_as: Callable[[str], APIClient]) -> None:
    response = api_as("policy").get("/api/v1/addresses/?habitable=misschien")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "habitable"


def test_people_are_searched_by_post_and_every_hit_is_audited(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    response = api_as("enforcement").post("/api/v1/people/search/", {"bsn": world.person.bsn}, format="json")
    assert [p["id"] for p in response.json()["results"]] == [world.person.pk]
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(world.person.pk)).exists()


def test_a_person_comes_with_the_residence_history(world: World, api_as: Callable[[str], APIClient]) -> None:
    body = api_as("civil_affairs").get(f"/api/v1/people/{world.person.pk}/").json()
    assert body["residences"][0]["addressId"] == world.address.pk
    assert body["residences"][0]["endsOn"] is None
    assert body["labourMigrant"]["countryOfOrigin"] == "PL"


def test_an_address_reports_its_registered_people(world: World, api_as: Callable[[str], APIClient]) -> None:
    body = api_as("policy").get("/api/v1/addresses/?q=3077AW").json()
    assert body["count"] == 1
    assert body["results"][0]["registeredPersons"] == 1
    assert body["results"][0]["bagObjectId"] == world.address.bag_object_id


def test_changing_an_employer_needs_the_etag_and_refuses_a_stale_one(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    client = api_as("enforcement")
    url = f"/api/v1/employers/{world.employer.pk}/"
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"name": "Zonder ETag B.V."}, format="json").status_code == 428
    first = client.patch(url, {"name": "Eerste B.V."}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    stale = client.patch(url, {"name": "Tweede B.V."}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Employer.objects.get(pk=world.employer.pk).name == "Eerste B.V."


def test_creating_an_employer_validates_the_kvk_number(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    response = api_as("enforcement").post(
        "/api/v1/employers/", {"kvkNumber": "123", "name": "X", "kind": "hirer"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "kvkNumber"


def test_the_committed_schema_is_the_generated_one(tmp_path: Path, db: None) -> None:
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    assert SCHEMA.exists(), "run `make schema` and commit src/ketenregie/api/openapi.yaml"
    assert yaml.safe_load(generated.read_text()) == yaml.safe_load(SCHEMA.read_text()), (
        "the API changed: run `make schema` and commit the new schema"
    )


@pytest.mark.parametrize("path", ["/addresses", "/people", "/employers", "/housing-locations"])
def test_the_schema_documents_the_four_registers(path: str) -> None:
    assert path in yaml.safe_load(SCHEMA.read_text())["paths"]


def _resolve(document: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    if "$ref" not in item:
        return item
    node: Any = document
    for part in item["$ref"].removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_every_error_the_schema_documents_is_problem_json() -> None:
    document = yaml.safe_load(SCHEMA.read_text())
    for path, path_item in document["paths"].items():
        for method, operation in path_item.items():
            responses = operation["responses"]
            assert {"401", "406", "429", "500"} <= responses.keys(), f"{method} {path}"
            for status, response in responses.items():
                if int(status) >= 400:
                    content = _resolve(document, response)["content"]
                    assert list(content) == ["application/problem+json"], f"{method} {path} {status}"


def test_the_people_list_and_search_are_documented_as_the_pages_they_return() -> None:
    paths = yaml.safe_load(SCHEMA.read_text())["paths"]
    for path, method in (("/people", "get"), ("/people/search", "post")):
        body = paths[path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/PaginatedPersonList"}
        assert {p["name"] for p in paths[path][method]["parameters"]} >= {"page", "pageSize"}
