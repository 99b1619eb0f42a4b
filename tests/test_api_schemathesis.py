"""Schemathesis against the served OpenAPI document (/api/v1/schema/), in process: whatever a client
sends, no server error, and every answer is one the document describes (status code, content type,
headers, body).

Every operation is a test of its own with a bounded number of generated requests, all against one
small world built once for the module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from ketenregie.core.models import Role
from ketenregie.core.tokens import token_create
from ketenregie.wsgi import application
from tests import conftest

# Bounded so the default run stays fast: a few valid and invalid requests per operation, the same ones
# every run. The coverage phase is off: it sends every boundary and invalid value the document allows,
# which is minutes of requests rather than seconds.
SCHEMA = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/",
    application,
    config=SchemathesisConfig.from_dict(
        {
            "generation": {"mode": "all", "max-examples": 4, "deterministic": True, "database": "none"},
            "phases": {"coverage": {"enabled": False}},
        }
    ),
)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]

BOUNDED = settings(deadline=None, suppress_health_check=list(HealthCheck))

# Path ids the token run can name, by the path's first segment: generated ids almost never exist, so
# each id is also replaced by one of these half of the time, to reach the answers about real objects.
KNOWN_IDS: dict[str, int] = {}


@SCHEMA.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    resource = context.operation.path.removeprefix("/").split("/{")[0]
    known = KNOWN_IDS.get(resource)
    if known is None or "id" not in (path_parameters or {}):
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {**path_parameters, "id": known}])


@dataclass
class Callers:
    enforcement_token: str


@pytest.fixture(scope="module")
def shared_world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callers]:
    """The world and casework of conftest, built once for the whole module in a transaction that is rolled
    back at its end; each test runs in a savepoint inside it, so what one test changes the next never sees.
    Building them for each of the many operations would take minutes."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        municipality = conftest.municipality.__wrapped__(None)
        personas = conftest.personas.__wrapped__(municipality)
        world = conftest.world.__wrapped__(municipality)
        actor_for = conftest.actor_for.__wrapped__(personas)
        casework = conftest.casework.__wrapped__(
            world, personas, actor_for, SimpleNamespace(), tmp_path_factory.mktemp("casework")
        )
        # A planned visit time, so the cases' stops show one (it has a format of its own).
        casework.case.case_addresses.update(planned_time=dt.time(8, 15))
        KNOWN_IDS.update(
            {
                "addresses": world.address.pk,
                "people": world.person.pk,
                "employers": world.employer.pk,
                "housing-locations": world.location.pk,
                "signals": casework.signal.pk,
                "cases": casework.case.pk,
                "risk/runs": world.control_list.run_id,
            }
        )
        yield Callers(enforcement_token=token_create(user=personas[Role.ENFORCEMENT])[1])
        KNOWN_IDS.clear()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _in_process_requests() -> Iterator[None]:
    """The WSGI handler closes the database connection around each request, which would end the test's
    transaction; Django's own test client stops that in the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _call_and_validate(case: Any, headers: dict[str, str] | None = None) -> None:
    # Every request counts towards the rate limits; a run is far more requests than a minute allows.
    cache.clear()
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS)


@SCHEMA.parametrize()
@BOUNDED
def test_anonymous_callers_get_documented_answers(case: Any, shared_world: Callers, db: None) -> None:
    _call_and_validate(case)


@SCHEMA.parametrize()
@BOUNDED
def test_an_enforcement_token_gets_documented_answers(case: Any, shared_world: Callers, db: None) -> None:
    _call_and_validate(case, headers={"Authorization": f"Token {shared_world.enforcement_token}"})
