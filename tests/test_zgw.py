"""Cases in the zaaksysteem (ZGW): the export validates against the official Zaken API 1.5.1 request schemas,
the RSIN is checked, and a push to a fake Zaken + Catalogi API (tests/fakes/zgw.py, which validates every
request body against the same schemas and checks the JWT) creates, updates without duplicates, retries and
shows its failures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.cases import services
from ketenregie.cases.models import (
    Case,
    CaseAddress,
    CaseEvent,
    CaseKind,
    CaseParticipant,
    CaseResult,
    CaseStatus,
    ParticipantRole,
    ZgwPushState,
)
from ketenregie.cases.zgw import placeholder_refs
from ketenregie.cases.zgw_client import ZgwConfig, make_jwt, rsin_problem
from ketenregie.cases.zgw_push import case_export, zgw_push
from ketenregie.core.actor import Actor
from ketenregie.core.checks import check_zgw_settings
from ketenregie.core.models import AuditEvent, Organisation, OrganisationKind, Role
from tests import factories as f
from tests.conftest import Casework, World, english_client
from tests.fakes import zgw_schema
from tests.fakes.zgw import FakeZgw

pytestmark = pytest.mark.django_db
RSIN = "002220647"  # the 11-test holds: 9*0+8*0+7*2+6*2+5*2+4*0+3*6+2*4-7 = 55


@pytest.fixture
def fake(settings: Any) -> Iterator[FakeZgw]:
    with FakeZgw() as server:
        server.settings(settings, rsin=RSIN)
        yield server


def _case_of_every_kind_and_status(world: World) -> list[Case]:
    """Every kind in every status (closed with every result), with a municipal lead whose name is longer
    than the standard's 50 characters, a partner agency, an address with and one without BAG ids."""
    municipality = world.address.municipality
    lead = f.OrganisationFactory(
        municipality=municipality,
        name="Directie Veiligheid, Toezicht en Handhaving van de gemeente Rotterdam, team Arbeidsmigratie",
    )
    partner = Organisation.objects.create(
        municipality=municipality, name="Nederlandse Arbeidsinspectie", kind=OrganisationKind.NLA
    )
    bare = f.AddressFactory(municipality=municipality, bag_object_id="", bag_address_id="", house_letter="a")
    world.address.latitude, world.address.longitude = Decimal("51.88"), Decimal("4.49")
    world.address.save()
    cases = []
    statuses = [(s, "") for s in CaseStatus.values if s != CaseStatus.CLOSED]
    statuses += [(CaseStatus.CLOSED, r) for r in CaseResult.values if r]
    for kind in CaseKind.values:
        for status, result in statuses:
            case = f.CaseFactory(
                municipality=municipality,
                kind=kind,
                owner=lead,
                status=status,
                result=result,
                title="Controle " + "zeer lange omschrijving " * 5,
                description="Toelichting " * 120,
                opened_on=dt.date(2026, 3, 2),
                planned_on=dt.date(2026, 3, 20) if status != CaseStatus.OPEN else None,
                closed_on=dt.date(2026, 4, 1) if status == CaseStatus.CLOSED else None,
            )
            CaseParticipant.objects.create(
                municipality=municipality, case=case, organisation=lead, role=ParticipantRole.LEAD
            )
            CaseParticipant.objects.create(municipality=municipality, case=case, organisation=partner)
            CaseAddress.objects.create(
                municipality=municipality, case=case, address=world.address, position=0
            )
            CaseAddress.objects.create(municipality=municipality, case=case, address=bare, position=1)
            CaseEvent.objects.create(municipality=municipality, case=case, kind="status", summary="status")
            cases.append(case)
    return cases


def test_the_export_of_every_kind_and_status_validates_against_the_official_request_schemas(
    world: World, actor_for: Callable[[str], Actor], settings: Any
) -> None:
    settings.ZGW_RSIN = RSIN
    cases = _case_of_every_kind_and_status(world)
    actor = actor_for(Role.ENFORCEMENT)
    total, problems = 0, []
    for case in cases:
        count, found = zgw_schema.export_errors(case_export(actor=actor, case=case))
        total += count
        problems += [f"{case.reference} {p}" for p in found]
    assert len(cases) == len(CaseKind.values) * 9
    assert total == len(cases) * 6 + sum(1 for c in cases if c.result)  # zaak, status, 2 objects, 2 rollen
    assert problems == []


def test_the_export_keeps_to_the_standard_where_the_old_one_did_not(
    world: World, actor_for: Callable[[str], Actor], settings: Any
) -> None:
    settings.ZGW_RSIN = RSIN
    case = next(c for c in _case_of_every_kind_and_status(world) if c.result == CaseResult.VIOLATION)
    bodies = case_export(actor=actor_for(Role.ENFORCEMENT), case=case)
    zaak = bodies["zaak"]
    assert not {"url", "uuid", "einddatum", "status", "resultaat", "zaaktypeOmschrijving"} & set(zaak)
    assert zaak["registratiedatum"] <= zaak["startdatum"]
    assert zaak["bronorganisatie"] == zaak["verantwoordelijkeOrganisatie"] == RSIN
    assert len(zaak["omschrijving"]) <= 80
    assert zaak["omschrijving"].endswith("…")
    assert dt.datetime.fromisoformat(bodies["status"]["datumStatusGezet"]).tzinfo is not None
    assert bodies["status"]["datumStatusGezet"].startswith("2026-04-01T")  # the closing date
    lead, partner = bodies["rollen"]
    assert lead["betrokkeneType"] == "organisatorische_eenheid"
    assert len(lead["betrokkeneIdentificatie"]["naam"]) == 50
    assert "omschrijvingGeneriek" not in lead
    assert partner["betrokkeneType"] == "niet_natuurlijk_persoon"
    assert partner["betrokkeneIdentificatie"]["statutaireNaam"] == "Nederlandse Arbeidsinspectie"
    assert "naam" not in partner["betrokkeneIdentificatie"]
    bare = bodies["zaakobjecten"][1]
    assert "object" not in bare
    assert bare["objectIdentificatie"]["identificatie"].startswith("KR-ADRES-")


def test_the_validator_refuses_what_the_old_export_sent() -> None:
    """The validator can fail: each shortcoming of the old export is an error."""
    status = {
        "zaak": "https://z.example/zaken/1",
        "statustype": "https://c.example/st/1",
        "datumStatusGezet": "2026-04-01",
    }
    assert any("datumStatusGezet" in e for e in zgw_schema.errors("status", status))
    assert any(
        "url" in e
        for e in zgw_schema.errors(
            "status",
            {**status, "datumStatusGezet": "2026-04-01T12:00:00+02:00", "url": "https://z.example/s/1"},
        )
    )
    rol = {
        "zaak": "https://z.example/zaken/1",
        "roltype": "https://c.example/rt/1",
        "roltoelichting": "x",
        "betrokkeneType": "niet_natuurlijk_persoon",
        "betrokkeneIdentificatie": {"naam": "Politie"},
    }
    assert any("naam" in e for e in zgw_schema.errors("rol", rol))
    rol_oe = {
        **rol,
        "betrokkeneType": "organisatorische_eenheid",
        "betrokkeneIdentificatie": {"naam": "x" * 51},
    }
    assert any("too long" in e for e in zgw_schema.errors("rol", rol_oe))
    assert any(
        "omschrijvingGeneriek" in e
        for e in zgw_schema.errors("rol", {**rol_oe, "omschrijvingGeneriek": "behandelaar"})
    )
    zaak = {
        "zaaktype": "https://c.example/zt/1",
        "startdatum": "2026-03-02",
        "bronorganisatie": "",
        "verantwoordelijkeOrganisatie": RSIN,
    }
    assert zgw_schema.errors("zaak", zaak) == []
    assert any("volgnummer" in e for e in zgw_schema.errors("zaak", {**zaak, "volgnummer": 1}))
    adres = {
        "zaak": "https://z.example/zaken/1",
        "objectType": "adres",
        "objectIdentificatie": {"identificatie": "1", "huisnummer": 1},
    }
    assert any("wplWoonplaatsNaam" in e for e in zgw_schema.errors("zaakobject", adres))


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (RSIN, True),
        ("123456782", True),
        ("123456789", False),
        ("12345678", False),
        ("00222064A", False),
        ("000000000", False),
    ],
)
def test_an_rsin_has_nine_digits_and_passes_the_11_test(value: str, ok: bool) -> None:
    assert (rsin_problem(value) is None) == ok


def test_a_wrong_rsin_stops_the_start_and_the_export(settings: Any, casework: Casework) -> None:
    settings.ZGW_RSIN = "123456789"
    assert [m.id for m in check_zgw_settings(None) if m.level == checks.ERROR] == ["ketenregie.E010"]
    with pytest.raises(CommandError, match="11-test"):
        call_command("zgw", "export", "--case", casework.case.reference, stdout=StringIO())
    settings.ZGW_RSIN = ""
    with pytest.raises(CommandError, match="ZGW_RSIN is not set"):
        call_command("zgw", "export", "--case", casework.case.reference, stdout=StringIO())
    settings.ZGW_RSIN = RSIN
    settings.ZGW_ZAAKTYPEN = {"house_visits": "X"}
    assert [m.id for m in check_zgw_settings(None)] == ["ketenregie.E011"]


def test_the_export_command_prints_the_bodies_with_placeholders_when_no_catalogue_is_configured(
    settings: Any, casework: Casework
) -> None:
    settings.ZGW_RSIN = RSIN
    out, err = StringIO(), StringIO()
    call_command("zgw", "export", "--case", casework.case.reference, stdout=out, stderr=err)
    bodies = json.loads(out.getvalue())
    assert set(bodies) == {"zaak", "status", "resultaat", "zaakobjecten", "rollen"}
    assert bodies["zaak"]["zaaktype"].startswith("https://catalogi.invalid/")
    assert "placeholders" in err.getvalue()
    assert zgw_schema.export_errors(bodies)[1] == []
    with pytest.raises(CommandError, match="no case"):
        call_command("zgw", "export", "--case", "Z-2026-999999", stdout=StringIO())


def test_the_export_uses_the_catalogues_urls_when_it_is_configured(fake: FakeZgw, casework: Casework) -> None:
    out = StringIO()
    call_command("zgw", "export", "--case", casework.case.reference, stdout=out, stderr=StringIO())
    bodies = json.loads(out.getvalue())
    assert bodies["zaak"]["zaaktype"].startswith(fake.catalogi_url + "/zaaktypen/")
    assert zgw_schema.export_errors(bodies)[1] == []


def test_the_jwt_carries_the_claims_of_the_zgw_authorisation() -> None:
    import jwt

    config = ZgwConfig(
        rsin=RSIN, zaken_url="", catalogi_url="", catalogus_url="", client_id="kr", secret="s" * 32
    )
    token = make_jwt(config, user_id="hv", user_representation="H. Visser (Gemeente)", now=1_700_000_000)
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, "s" * 32, algorithms=["HS256"])
    assert claims == {
        "iss": "kr",
        "client_id": "kr",
        "iat": 1_700_000_000,
        "user_id": "hv",
        "user_representation": "H. Visser (Gemeente)",
    }


def _close(case: Case, actor: Actor, result: str = "violation") -> Case:
    case = Case.objects.get(pk=case.pk)
    services.case_close(
        actor=actor, case=case, expected_version=case.version, result=result, close_signals=False
    )
    return Case.objects.get(pk=case.pk)


def test_a_push_creates_the_zaak_and_a_second_push_updates_it_without_duplicates(
    fake: FakeZgw, casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for(Role.ENFORCEMENT)
    case = Case.objects.get(pk=casework.case.pk)
    first = zgw_push(actor=actor, case=case)
    assert first.ok, first.error
    assert first.created
    participants = case.participants.count()
    assert (fake.count("zaken"), fake.count("statussen"), fake.count("rollen")) == (1, 1, participants)
    assert fake.count("zaakobjecten") == case.case_addresses.count()
    case.refresh_from_db()
    assert case.zgw_zaak_url == first.zaak_url
    assert case.zgw_push_state == ZgwPushState.PUSHED

    unchanged = zgw_push(actor=actor, case=case)
    assert unchanged.ok
    assert not unchanged.created
    assert unchanged.changes == ()

    closed = _close(case, actor)
    second = zgw_push(actor=actor, case=closed)
    assert second.ok
    assert second.zaak_url == first.zaak_url
    assert set(second.changes) == {"status", "resultaat"}
    assert (fake.count("zaken"), fake.count("statussen"), fake.count("resultaten")) == (1, 2, 1)
    assert fake.count("rollen") == participants
    zaak = fake.store["zaken"][first.zaak_url.rsplit("/", 1)[1]]
    assert zaak["einddatum"] == closed.closed_on.isoformat()
    assert fake.invalid == []
    # Every body the fake received was valid, and the writes were authorised with the JWT.
    writes = [r for r in fake.requests if r["method"] in ("POST", "PUT")]
    assert writes
    assert len(writes) == 1 + participants + case.case_addresses.count() + 2 + 1


def test_a_lost_zaak_url_is_found_again_by_its_identificatie(
    fake: FakeZgw, casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for(Role.ENFORCEMENT)
    zgw_push(actor=actor, case=Case.objects.get(pk=casework.case.pk))
    Case.objects.filter(pk=casework.case.pk).update(zgw_zaak_url="")
    again = zgw_push(actor=actor, case=Case.objects.get(pk=casework.case.pk))
    assert again.ok
    assert not again.created
    assert fake.count("zaken") == 1


def test_a_busy_zaken_api_is_retried_with_backoff_until_it_answers(
    fake: FakeZgw, casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    fake.script.extend([503, 503])
    waits: list[float] = []
    result = zgw_push(actor=actor_for(Role.ENFORCEMENT), case=casework.case, sleep=waits.append)
    assert result.ok, result.error
    assert len(waits) == 2
    assert fake.count("zaken") == 1


def test_a_failed_push_is_shown_on_the_case_page_and_can_be_retried(
    fake: FakeZgw, casework: Casework, client_as: Callable[[str], Client], settings: Any
) -> None:
    settings.ZGW_RETRIES = 1
    fake.script.extend([503, 503])
    client = client_as(Role.ENFORCEMENT)
    url = reverse("cases:case_zgw_push", args=[casework.case.pk])
    response = client.post(url)
    assert response.status_code == 302
    case = Case.objects.get(pk=casework.case.pk)
    assert case.zgw_push_state == ZgwPushState.FAILED
    assert "HTTP 503" in case.zgw_push_error
    assert "after 2 attempts" in case.zgw_push_error
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "HTTP 503" in page
    assert url in page
    assert client.post(url).status_code == 302
    case.refresh_from_db()
    assert case.zgw_push_state == ZgwPushState.PUSHED
    assert case.zgw_push_error == ""
    assert fake.count("zaken") == 1
    assert AuditEvent.objects.filter(
        object_type__endswith="case", object_id=str(case.pk), action="create"
    ).exists()


def test_a_validation_error_of_the_zaken_api_is_kept_with_its_invalid_params(
    fake: FakeZgw, casework: Casework, actor_for: Callable[[str], Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketenregie.cases import zgw_push as module

    original = module.case_bodies

    def wrong(*args: Any, **kwargs: Any) -> dict[str, Any]:
        bodies = original(*args, **kwargs)
        bodies["zaak"]["omschrijving"] = "x" * 81
        return bodies

    monkeypatch.setattr(module, "case_bodies", wrong)
    result = zgw_push(actor=actor_for(Role.ENFORCEMENT), case=casework.case)
    assert not result.ok
    assert result.error.startswith("HTTP 400")
    assert "omschrijving" in result.error
    assert fake.count("zaken") == 0
    assert len(fake.invalid) == 1


def test_a_wrong_secret_is_refused_by_the_zaken_api_and_reported(
    fake: FakeZgw, casework: Casework, actor_for: Callable[[str], Actor], settings: Any
) -> None:
    settings.ZGW_SECRET = "another-secret-of-at-least-32-bytes"
    result = zgw_push(actor=actor_for(Role.ENFORCEMENT), case=casework.case)
    assert not result.ok
    assert "HTTP 403" in result.error
    assert fake.count("zaken") == 0


def test_the_push_command_pushes_the_cases_closed_since_a_date(
    fake: FakeZgw, casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    _close(casework.case, actor_for(Role.ENFORCEMENT))
    out = StringIO()
    code = casework.case.municipality.code
    call_command(
        "zgw", "push", "--closed-since", timezone.localdate().isoformat(), "--municipality", code, stdout=out
    )
    assert "Pushed 1 of 1" in out.getvalue()
    assert fake.count("zaken") == 1
    call_command("zgw", "push", "--case", casework.case.reference, stdout=out)
    assert fake.count("zaken") == 1
    assert fake.count("statussen") == 1
    with pytest.raises(CommandError, match="needs --municipality"):
        call_command("zgw", "push", "--closed-since", "2026-01-01", stdout=StringIO())
    with pytest.raises(CommandError, match="not a case of municipality"):
        call_command(
            "zgw", "push", "--case", casework.case.reference, "--municipality", "0637", stdout=StringIO()
        )


def test_without_a_zaaksysteem_the_button_says_so_and_changes_nothing(
    settings: Any, casework: Casework, personas: Any
) -> None:
    settings.ZGW_RSIN = RSIN
    client = english_client()
    client.force_login(personas[Role.ENFORCEMENT])
    response = client.post(reverse("cases:case_zgw_push", args=[casework.case.pk]), follow=True)
    assert "No zaaksysteem is configured" in response.content.decode()
    assert Case.objects.get(pk=casework.case.pk).zgw_push_state == ZgwPushState.NEVER


@pytest.mark.parametrize("role", list(Role.values))
def test_only_the_case_managers_may_push(
    role: str, fake: FakeZgw, casework: Casework, client_as: Callable[[str], Client]
) -> None:
    from ketenregie.core.permissions import ROLE_CAPABILITIES, Capability

    response = client_as(role).post(reverse("cases:case_zgw_push", args=[casework.case.pk]))
    caps = ROLE_CAPABILITIES[role]
    allowed = Capability.MANAGE_CASES in caps and Capability.VIEW_CASES in caps
    assert response.status_code == (302 if allowed else 403)
    assert fake.count("zaken") == (1 if allowed else 0)


def test_another_municipalitys_case_cannot_be_pushed(
    fake: FakeZgw, casework: Casework, other_municipality: Any, client_as: Callable[[str], Client]
) -> None:
    other_case = f.CaseFactory(municipality=other_municipality)
    response = client_as(Role.ENFORCEMENT).post(reverse("cases:case_zgw_push", args=[other_case.pk]))
    assert response.status_code == 404
    assert fake.count("zaken") == 0


def test_placeholders_are_valid_uris_that_never_resolve(casework: Casework) -> None:
    refs = placeholder_refs(casework.case, identificatie="KR-HUISBEZOEK")
    assert all(
        ".invalid/" in url for url in (refs.zaak, refs.zaaktype, refs.statustype, *refs.roltypen.values())
    )


def test_the_export_of_every_case_of_a_seeded_demo_municipality_validates(
    settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole demo at small scale: every case's bodies against the official schemas, counted."""
    from django.test import override_settings

    from ketenregie.core.models import Municipality

    settings.ZGW_RSIN = RSIN
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("seed", "--profile", "zoetermeer", "--seed", "3", "--scale", "0.01", stdout=StringIO())
    municipality = Municipality.objects.get(code="0637")
    actor = Actor.system(municipality, name="zgw-test")
    cases = list(Case.objects.filter(municipality=municipality))
    total, problems = 0, []
    for case in cases:
        count, found = zgw_schema.export_errors(case_export(actor=actor, case=case))
        total += count
        problems += [f"{case.reference} {p}" for p in found]
    with capsys.disabled():
        print(f"\nZGW demo export: {len(cases)} cases, {total} objects, {len(problems)} problems")
    assert cases
    assert problems == []
