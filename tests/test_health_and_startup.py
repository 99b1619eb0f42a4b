from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from ketenregie import cli
from ketenregie.core.checks import DemoAccountsInProductionError, assert_safe_to_serve
from ketenregie.demo.accounts import ensure_demo_accounts


def test_health_reports_ok_with_a_database(db: None) -> None:
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_answers_503_when_the_database_is_unreachable(db: None) -> None:
    with mock.patch("ketenregie.web.views.connection.cursor", side_effect=OperationalError("down")):
        response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_production_refuses_to_start_while_demo_accounts_exist(
    municipality: object, settings: object
) -> None:
    ensure_demo_accounts(municipality)  # type: ignore[arg-type]
    settings.IS_PRODUCTION = True  # type: ignore[attr-defined]
    with pytest.raises(DemoAccountsInProductionError):
        assert_safe_to_serve()


def test_development_starts_with_demo_accounts(municipality: object, settings: object) -> None:
    ensure_demo_accounts(municipality)  # type: ignore[arg-type]
    settings.IS_PRODUCTION = False  # type: ignore[attr-defined]
    assert_safe_to_serve()


def test_the_console_script_spells_commands_with_hyphens(capsys: pytest.CaptureFixture[str]) -> None:
    with mock.patch("django.core.management.execute_from_command_line") as execute:
        cli.main(["ketenregie", "import-csv", "--help"])
    assert execute.call_args.args[0][1] == "import_csv"


def test_every_page_sends_security_headers(db: None) -> None:
    response = Client().get("/app/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
