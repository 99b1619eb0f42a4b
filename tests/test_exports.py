from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ketenregie.places.views import ADDRESS_COLUMNS
from tests import factories as f
from tests.conftest import World


def test_the_address_list_exports_to_csv_for_excel(world: World, client_as: Callable[[str], Client]) -> None:
    response = client_as("policy").get(reverse("places:address_list") + "?export=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    header, row = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    assert len(header) == len(ADDRESS_COLUMNS)
    assert row[0] == world.address.bag_object_id


def test_spreadsheet_formulas_in_data_are_neutralised(
    municipality: object, client_as: Callable[[str], Client]
) -> None:
    f.EmployerFactory(municipality=municipality, name='=HYPERLINK("http://evil")')
    response = client_as("policy").get(reverse("employers:employer_list") + "?export=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    [_header, row] = csv.reader(io.StringIO(text), delimiter=";")
    assert row[1] == '\'=HYPERLINK("http://evil")'


def test_the_people_list_exports_to_excel(world: World, client_as: Callable[[str], Client]) -> None:
    response = client_as("civil_affairs").get(reverse("people:person_list") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == world.person.bsn
    assert len(rows) == 2
