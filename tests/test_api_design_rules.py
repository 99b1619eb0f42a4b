"""The NL API Design Rules: the version on every answer, paths without a trailing slash (the old ones
answer for one release, marked deprecated), and Logius' own linter finds no error in the document."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from ketenregie.core.models import User
from ketenregie.core.tokens import token_create

ROOT = Path(__file__).resolve().parent.parent
# Spectral from npm (package.json); SPECTRAL names another installation.
SPECTRAL = Path(os.environ.get("SPECTRAL", ROOT / "node_modules" / ".bin" / "spectral"))


@pytest.fixture
def api(personas: dict[str, User]) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=personas['enforcement'])[1]}")
    return client


def test_a_successful_answer_carries_the_full_api_version(api: APIClient, world: Any) -> None:
    response = api.get("/api/v1/addresses")
    assert response.status_code == 200
    assert response["API-Version"] == settings.API_VERSION == "1.0.0"


def test_a_not_found_answer_carries_the_api_version(api: APIClient, world: Any) -> None:
    response = api.get("/api/v1/addresses/999999999")
    assert response.status_code == 404
    assert response["API-Version"] == "1.0.0"


def test_an_unknown_path_under_the_api_carries_the_api_version(api: APIClient) -> None:
    response = api.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["API-Version"] == "1.0.0"


def test_an_unauthenticated_answer_carries_the_api_version(db: None) -> None:
    response = APIClient().get("/api/v1/addresses")
    assert response.status_code == 401
    assert response["API-Version"] == "1.0.0"


def test_the_brp_bewoning_endpoint_carries_the_api_version(db: None) -> None:
    response = APIClient().post("/api/v1/brp/bewoningen", {}, format="json")
    assert response.status_code == 401
    assert response["API-Version"] == "1.0.0"


def test_pages_outside_the_api_carry_no_api_version(client: Any) -> None:
    assert "API-Version" not in client.get("/")


def test_the_path_without_a_slash_answers_and_is_not_deprecated(api: APIClient, world: Any) -> None:
    response = api.get(f"/api/v1/addresses/{world.address.pk}")
    assert response.status_code == 200
    assert "Deprecation" not in response


def test_the_old_path_with_a_slash_still_answers_and_names_its_successor(api: APIClient, world: Any) -> None:
    response = api.get(f"/api/v1/addresses/{world.address.pk}/")
    assert response.status_code == 200
    assert response.json()["id"] == world.address.pk
    assert response["Deprecation"].startswith("@")
    assert response["Link"] == f'</api/v1/addresses/{world.address.pk}>; rel="successor-version"'
    assert response["API-Version"] == "1.0.0"


def test_the_old_token_path_with_a_slash_still_accepts_a_post(personas: dict[str, User]) -> None:
    response = APIClient().post("/api/v1/auth/token/", {"username": "nobody", "password": "x"}, format="json")
    assert response.status_code in (400, 401)
    assert response["Content-Type"] == "application/problem+json"
    assert "Deprecation" in response


def test_the_brp_path_has_no_slash_form(api: APIClient) -> None:
    response = api.post("/api/v1/brp/bewoningen/", {}, format="json")
    assert response.status_code == 404


@pytest.mark.skipif(not SPECTRAL.exists(), reason="Spectral is not installed: run `npm ci` (make install)")
def test_logius_linter_finds_no_error_in_the_committed_schema() -> None:
    result = subprocess.run(
        [
            shutil.which("node") or "node",
            str(SPECTRAL),
            "lint",
            "src/ketenregie/api/openapi.yaml",
            "--ruleset",
            "tests/data/adr/linter.yaml",
            "--fail-severity",
            "error",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
