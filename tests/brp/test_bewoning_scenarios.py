"""Every scenario of the BRP Bewoning API 2.1.0 (tests/data/brp/features), run against this system.

Each scenario's persons are written as a GBA-V extract, imported with the GBA-V importer into the
municipality 0800 the scenarios use, and the question is asked through POST /api/v1/brp/bewoningen
as a civil-affairs officer of that municipality. The answer must be what the scenario says:
the same compositions (periods), the same residents and possible residents with the same
secrecy and investigation markers, the many-residents indicator, or the same problem+json.

Deviation, by design: a problem's ``instance`` is this system's path, not the national one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from ketenregie.core.models import Role
from ketenregie.core.tokens import token_create
from ketenregie.people.gbav.importer import import_gbav
from tests import factories as f
from tests.brp.gherkin import Step, parse
from tests.brp.scenario_world import Expected, World, actual_bewoningen

FEATURES = Path(__file__).resolve().parent.parent / "data" / "brp" / "features"
URL = "/api/v1/brp/bewoningen"


def _cases() -> list[Any]:
    cases = []
    for path in sorted(FEATURES.glob("*/*.feature")):
        for scenario in parse(path):
            folder = path.parent.name.removeprefix("raadpleeg-bewoning-")
            for index, (_name, steps) in enumerate(scenario.expand()):
                cases.append(pytest.param(steps, id=f"{folder}/{path.stem}:{scenario.line}:{index}"))
    return cases


CASES = _cases()


def test_every_feature_file_yields_scenarios() -> None:
    files = {p.stem for p in FEATURES.glob("*/*.feature")}
    assert len(list(FEATURES.glob("*/*.feature"))) == 14
    assert files >= {"overzicht", "mogelijke-bewoner", "geheimhouding", "in-onderzoek", "fout-cases"}
    assert len(CASES) > 250


@pytest.fixture
def api(db: None) -> APIClient:
    municipality = f.MunicipalityFactory(code="0800", name="Testgemeente")
    officer = f.persona(Role.CIVIL_AFFAIRS, municipality, username="burgerzaken-0800")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=officer)[1]}")
    return client


@pytest.mark.parametrize("steps", CASES)
def test_the_scenario_holds(steps: list[Step], api: APIClient) -> None:
    world, expected = World(), Expected()
    for step in steps:
        (world.given if step.keyword in ("Gegeven", "Als") else expected.then)(step)
    if world.people:
        import_gbav(world.extract())
    assert world.request is not None
    response = api.post(URL, world.request, format="json")
    if expected.problem is not None:
        body = response.json()
        assert response.status_code == int(expected.problem["status"])
        assert response["Content-Type"] == "application/problem+json"
        for name in ("type", "title", "detail", "code"):
            assert body[name] == expected.problem[name], name
        assert body["instance"] == URL
        assert body["invalidParams"] == expected.invalid_params
        return
    assert response.status_code == 200, response.content
    body = response.json()
    if expected.counts is not None:
        assert len(body["bewoningen"]) == 1
        bewoning = body["bewoningen"][0]
        assert (len(bewoning["bewoners"]), len(bewoning["mogelijkeBewoners"])) == expected.counts
        return
    assert expected.bewoningen is not None
    wanted = [
        {**b, "bewoners": sorted(b["bewoners"]), "mogelijkeBewoners": sorted(b["mogelijkeBewoners"])}
        for b in expected.bewoningen
    ]
    assert actual_bewoningen(body) == sorted(wanted, key=lambda b: b["periode"])
