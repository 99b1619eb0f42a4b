from __future__ import annotations

from collections.abc import Callable

from rest_framework.test import APIClient

from ketenregie.core.actor import Actor
from ketenregie.risk import services
from tests.risk.conftest import AS_OF, Town


def test_the_api_lists_a_runs_addresses_with_contributions_that_add_up(
    town: Town, actor_for: Callable[[str], Actor], api_as: Callable[[str], APIClient]
) -> None:
    run = services.risk_run(actor=actor_for("enforcement"), as_of=AS_OF)
    client = api_as("enforcement")
    body = client.get("/api/v1/risk/address-scores/").json()
    assert body["count"] == run.scored_address_count
    first = body["results"][0]
    assert first["addressId"] == town.crowded.pk
    assert first["runId"] == run.pk
    assert sum(c["points"] for c in first["contributions"]) == first["score"]
    only = client.get("/api/v1/risk/address-scores/", {"rule": "non_residential", "run": run.pk}).json()
    assert [r["addressId"] for r in only["results"]] == [town.office.pk]
    in_neighbourhood = client.get("/api/v1/risk/address-scores/", {"neighbourhood": "BU05990101"}).json()
    assert town.unknown.pk not in [r["addressId"] for r in in_neighbourhood["results"]]
    runs = api_as("privacy_officer").get("/api/v1/risk/runs/").json()
    assert runs["results"][0]["rules"]["norm_m2"] == 12.0


def test_the_api_refuses_bad_filters(town: Town, api_as: Callable[[str], APIClient]) -> None:
    client = api_as("enforcement")
    assert client.get("/api/v1/risk/address-scores/", {"rule": "nationality"}).status_code == 400
    assert client.get("/api/v1/risk/address-scores/", {"minScore": "-3"}).status_code == 400
    assert client.get("/api/v1/risk/address-scores/", {"run": "999999"}).status_code == 404
    assert client.get("/api/v1/risk/address-scores/", {"neighbourhood": "BU00000000"}).status_code == 400
