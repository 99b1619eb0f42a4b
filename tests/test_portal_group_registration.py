"""Group registration: an employer, identified by KvK number and a verified e-mail address, uploads its
workers' stay addresses for a registration moment; a file with any bad row writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ketenregie.core.models import Municipality
from ketenregie.infopoint.models import ActivityKind, ActivityStatus
from ketenregie.people.models import Person, Residence
from ketenregie.portal.models import SelfServiceReport
from ketenregie.portal.protection import new_form_token
from tests import factories as f
from tests.portal_helpers import code_form, last_code

pytestmark = pytest.mark.usefixtures("portal_settings")

HEADER = (
    "given_names;surname;birth_date;nationality;postcode;house_number;house_letter;living_since;email;phone"
)


@pytest.fixture
def setting(municipality: Municipality) -> dict[str, Any]:
    employer = f.EmployerFactory(municipality=municipality, kvk_number="24555666", name="Flexwerk Zuid B.V.")
    moment = f.ActivityFactory(
        municipality=municipality,
        kind=ActivityKind.GROUP_REGISTRATION,
        title="Groepsregistratie Waalhaven",
        held_on=dt.date.today() + dt.timedelta(days=7),
        status=ActivityStatus.PLANNED,
        attendance=None,
    )
    addresses = [
        f.AddressFactory(municipality=municipality, postcode="3089KA", house_number=number, floor_area_m2=90)
        for number in (10, 12)
    ]
    return {"employer": employer, "moment": moment, "addresses": addresses}


def _verified_employer(lang: str = "en") -> Client:
    client = Client()
    start = client.post(
        f"/{lang}/employers/",
        {
            "kvk_number": "24555666",
            "email": "hr@flexwerk.example",
            "website": "",
            "started": new_form_token(),
        },
    )
    assert start.status_code == 302, start.content.decode()[:2000]
    done = client.post(f"/{lang}/employers/code/", code_form(last_code("hr@flexwerk.example")))
    assert done["Location"] == f"/{lang}/employers/list/"
    return client


def _upload(client: Client, moment: Any, rows: list[str], lang: str = "en") -> str:
    content = "\n".join([HEADER, *rows]).encode()
    response = client.post(
        f"/{lang}/employers/list/",
        {
            "activity": str(moment.pk),
            "consent": "on",
            "file": SimpleUploadedFile("workers.csv", content, content_type="text/csv"),
            "website": "",
            "started": new_form_token(),
        },
    )
    assert response.status_code == 200
    return response.content.decode()


def test_an_unknown_kvk_number_is_refused(setting: dict[str, Any]) -> None:
    response = Client().post(
        "/en/employers/",
        {"kvk_number": "24000001", "email": "x@example.com", "website": "", "started": new_form_token()},
    )
    assert "We do not know this KvK number." in response.content.decode()


def test_the_list_page_needs_a_verified_employer(setting: dict[str, Any]) -> None:
    response = Client().get("/en/employers/list/")
    assert response.status_code == 302
    assert response["Location"] == "/en/employers/"


def test_a_clean_list_is_recorded_for_the_registration_moment(setting: dict[str, Any]) -> None:
    client = _verified_employer()
    today = dt.date.today().strftime("%d-%m-%Y")
    body = _upload(
        client,
        setting["moment"],
        [
            f"Ion;Popescu;12-04-1990;RO;3089 KA;10;;{today};ion@example.com;",
            f"Maria;Ivanova;01-01-1985;BG;3089KA;12;;{today};;+359888123456",
        ],
    )
    assert "We have recorded 2 workers." in body
    reports = SelfServiceReport.objects.order_by("pk")
    assert [r.reporter for r in reports] == ["group", "group"]
    assert {r.activity_id for r in reports} == {setting["moment"].pk}
    assert {r.employer_kvk for r in reports} == {"24555666"}
    assert Residence.objects.filter(source="employer").count() == 2


def test_every_bad_row_is_reported_and_nothing_is_written(setting: dict[str, Any]) -> None:
    client = _verified_employer("pl")
    today = dt.date.today().strftime("%d-%m-%Y")
    body = _upload(
        client,
        setting["moment"],
        [
            f"Ion;Popescu;12-04-1990;RO;3089KA;10;;{today};;",
            f"Maria;Ivanova;31-02-1985;BG;3089KA;12;;{today};;",
            f"Jan;Nowak;01-01-1980;PL;3089KA;999;;{today};;",
            f"Ion;Popescu;12-04-1990;RO;3089KA;12;;{today};;",
            f"Ana;Silva;01-01-1980;XX;3089KA;12;;{today};;",
        ],
        lang="pl",
    )
    assert 'lang="pl"' in body
    for row in ("<td>3</td>", "<td>4</td>", "<td>5</td>", "<td>6</td>"):
        assert row in body
    assert "<td>2</td>" not in body
    assert not SelfServiceReport.objects.exists()
    assert not Person.objects.filter(surname__in=["Popescu", "Ivanova", "Nowak", "Silva"]).exists()


def test_a_file_with_wrong_columns_is_refused_in_the_chosen_language(setting: dict[str, Any]) -> None:
    client = _verified_employer("ro")
    content = b"name;address\nIon;Somewhere\n"
    response = client.post(
        "/ro/employers/list/",
        {
            "activity": str(setting["moment"].pk),
            "consent": "on",
            "file": SimpleUploadedFile("workers.csv", content, content_type="text/csv"),
            "website": "",
            "started": new_form_token(),
        },
    )
    body = response.content.decode()
    assert "given_names" in body
    assert "Missing columns" not in body
    assert "Ontbrekende kolommen" not in body
    assert not SelfServiceReport.objects.exists()


def test_an_oversized_list_is_refused(setting: dict[str, Any], settings: Any) -> None:
    settings.PORTAL_GROUP_UPLOAD_MAX_BYTES = 2048
    client = _verified_employer()
    body = _upload(client, setting["moment"], ["Ion;Popescu;12-04-1990;RO;3089KA;10;;01-01-2026;;"] * 100)
    assert "The file is too big" in body
    assert not SelfServiceReport.objects.exists()
