from __future__ import annotations

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client

from ketenregie import cli
from ketenregie.core.checks import DemoAccountsInProductionError, assert_safe_to_serve
from ketenregie.core.models import ApiToken, AuditEvent, User
from ketenregie.core.tokens import token_create
from ketenregie.demo.accounts import ensure_demo_accounts
from tests import factories as f


def test_health_reports_ok_with_a_database(db: None) -> None:
    response = Client().get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"]) == ("ok", "ok")
    # Without a broker tasks run in the web process itself (the worker's states: tests/test_tasks.py).
    assert (body["worker"], body["workerSeenAt"]) == ("eager", None)


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


def test_removing_the_demo_accounts_lets_production_start_and_keeps_real_accounts(
    municipality: object, settings: object
) -> None:
    # The demo accounts as `make demo` leaves them: with memberships, and named in the audit trail.
    ensure_demo_accounts(municipality)  # type: ignore[arg-type]
    demo = User.objects.filter(is_demo_account=True)
    assert demo.exists()
    assert AuditEvent.objects.filter(user__in=demo).exists()
    token_create(user=demo.first(), name="demo")
    real = f.UserFactory()
    out = StringIO()
    call_command("remove_demo_accounts", stdout=out)
    assert out.getvalue().strip() == f"Switched off {demo.count()} demo account(s)."
    assert not demo.filter(is_active=True).exists()
    assert not any(user.has_usable_password() for user in demo)
    assert not ApiToken.objects.filter(user__in=demo).exists()
    assert User.objects.get(pk=real.pk).is_active
    settings.IS_PRODUCTION = True  # type: ignore[attr-defined]
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


def test_cache_url_chooses_a_shared_cache_or_fails_loudly() -> None:
    from ketenregie.env import EnvironmentError_, cache_config

    assert cache_config("")["default"]["BACKEND"].endswith("LocMemCache")  # type: ignore[union-attr]
    redis = cache_config("redis://127.0.0.1:6379/3")["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/3"
    with pytest.raises(EnvironmentError_, match="'memcached' is not supported"):
        cache_config("memcached://127.0.0.1:11211")


def test_production_warns_while_rate_limits_count_per_process(settings: object) -> None:
    from ketenregie.core.checks import check_shared_cache

    settings.IS_PRODUCTION = True  # type: ignore[attr-defined]
    assert [m.id for m in check_shared_cache(None)] == ["ketenregie.W001"]
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
    }
    assert check_shared_cache(None) == []


def _redis_answers() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis server on 127.0.0.1:6379")
def test_two_server_processes_share_one_rate_limit_count_through_redis() -> None:
    """Two cache connections stand in for two server processes: the fourth request over both is refused."""
    import uuid

    from django.core.cache.backends.redis import RedisCache

    from ketenregie.core import ratelimit

    location = "redis://127.0.0.1:6379/15"
    prefix = f"test-{uuid.uuid4().hex}"
    workers = [RedisCache(location, {"KEY_PREFIX": prefix}) for _ in range(2)]
    rate = ratelimit.Rate.parse("3/h")
    allowed = []
    for attempt in range(4):
        with mock.patch.object(ratelimit, "cache", workers[attempt % 2]):
            allowed.append(ratelimit.hit(scope="signal", key="client", rate=rate, now=1_800_000_000).allowed)
    workers[0].clear()
    assert allowed == [True, True, True, False]
