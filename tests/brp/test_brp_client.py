"""The client for the national BRP APIs, against a local fake server that answers from this system."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from ketenregie.core.models import Municipality
from ketenregie.people.brp_client import (
    BrpApiBadRequest,
    BrpApiConfig,
    BrpApiNotConfigured,
    BrpApiRefused,
    BrpApiUnavailable,
    BrpClient,
)
from ketenregie.people.gbav.importer import import_gbav
from tests.brp.fake_brp_server import API_KEY, FakeBrp

EXTRACT = (
    "\ufeff;01.01.10;01.01.20;01.02.10;01.02.40;01.03.10;08.09.10;08.10.30;08.11.10;08.11.20;08.11.60;08.11.80\n"
    "P1;1234567890;999993653;Anna;Jansen;19900517;0599;20150800;Boterdiep;31;3077AW;0599010000208579\n"
    "P2;1234567891;999990524;Piet;Vries;19840701;0599;20100101;Boterdiep;31;3077AW;0599010000208579\n"
)
OBJECT = "0599010000208579"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fake() -> Iterator[FakeBrp]:
    import_gbav(EXTRACT.encode())
    with FakeBrp(Municipality.objects.get(code="0599")) as server:
        yield server


def client_for(fake: FakeBrp, **overrides: object) -> BrpClient:
    config = BrpApiConfig(
        bewoning_url=fake.url,
        personen_url=fake.url,
        api_key=API_KEY,
        timeout_seconds=2,
        retries=2,
        backoff_seconds=0,
    )
    return BrpClient(BrpApiConfig(**{**config.__dict__, **overrides}), sleep=lambda seconds: None)


def test_it_asks_who_lived_at_an_object_on_a_date(fake: FakeBrp) -> None:
    with client_for(fake) as client:
        answer = client.bewoning_op_peildatum(OBJECT, dt.date(2015, 8, 10))
    (bewoning,) = answer["bewoningen"]
    assert bewoning["periode"] == {"datumVan": "2015-08-10", "datumTot": "2015-08-11"}
    assert [b["burgerservicenummer"] for b in bewoning["bewoners"]] == ["999990524"]
    assert [b["burgerservicenummer"] for b in bewoning["mogelijkeBewoners"]] == ["999993653"]
    assert fake.requests[0]["api_key"] == API_KEY


def test_it_asks_for_the_compositions_in_a_period(fake: FakeBrp) -> None:
    with client_for(fake) as client:
        answer = client.bewoning_in_periode(OBJECT, dt.date(2015, 1, 1), dt.date(2016, 1, 1))
    assert [b["periode"]["datumVan"] for b in answer["bewoningen"]] == [
        "2015-01-01",
        "2015-08-01",
        "2015-09-01",
    ]


def test_it_finds_a_person_by_bsn(fake: FakeBrp) -> None:
    with client_for(fake) as client:
        person = client.persoon("999993653")
        assert client.persoon("111222333") is None
    assert person is not None
    assert person["naam"] == {"volledigeNaam": "Anna Jansen"}
    assert fake.requests[0]["body"]["type"] == "RaadpleegMetBurgerservicenummer"


def test_it_retries_an_overloaded_api_and_then_succeeds(fake: FakeBrp) -> None:
    fake.script.extend([503, 429])
    with client_for(fake) as client:
        answer = client.bewoning_op_peildatum(OBJECT, dt.date(2020, 1, 1))
    assert len(answer["bewoningen"]) == 1
    assert len(fake.requests) == 3


def test_it_gives_up_with_a_clear_error_when_the_api_stays_down(fake: FakeBrp) -> None:
    fake.script.extend([503, 503, 503])
    with client_for(fake) as client, pytest.raises(BrpApiUnavailable, match="503") as raised:
        client.bewoning_op_peildatum(OBJECT, dt.date(2020, 1, 1))
    assert raised.value.status == 503
    assert len(fake.requests) == 3


def test_a_request_that_times_out_is_retried(fake: FakeBrp) -> None:
    fake.script.append(1.5)
    with client_for(fake, timeout_seconds=0.5) as client:
        answer = client.bewoning_op_peildatum(OBJECT, dt.date(2020, 1, 1))
    assert len(answer["bewoningen"]) == 1


def test_a_wrong_key_is_refused_without_retrying(fake: FakeBrp) -> None:
    with client_for(fake, api_key="wrong") as client, pytest.raises(BrpApiRefused, match="credentials"):
        client.bewoning_op_peildatum(OBJECT, dt.date(2020, 1, 1))
    assert len(fake.requests) == 1


def test_a_bad_question_names_the_parameters_the_api_refused(fake: FakeBrp) -> None:
    with (
        client_for(fake) as client,
        pytest.raises(BrpApiBadRequest, match="adresseerbaarObjectIdentificatie") as raised,
    ):
        client.bewoning_op_peildatum("0000000000000000", dt.date(2020, 1, 1))
    assert raised.value.problem["invalidParams"][0]["code"] == "pattern"


def test_an_unreachable_api_is_reported_after_the_retries() -> None:
    config = BrpApiConfig(bewoning_url="http://127.0.0.1:9", timeout_seconds=1, retries=1, backoff_seconds=0)
    with (
        BrpClient(config, sleep=lambda s: None) as client,
        pytest.raises(BrpApiUnavailable, match="2 attempts"),
    ):
        client.bewoning_op_peildatum(OBJECT, dt.date(2020, 1, 1))


def test_an_unconfigured_api_says_which_setting_to_set() -> None:
    with BrpClient(BrpApiConfig()) as client, pytest.raises(BrpApiNotConfigured, match="BRP_BEWONING_URL"):
        client.bewoning_op_peildatum(OBJECT, dt.date(2020, 1, 1))
