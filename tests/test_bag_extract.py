"""A BAG 2.0 extract as real deliveries come: nested zips per object type, macOS litter, nevenadressen.

The layout follows Kadaster's extract as NLExtract ships its small sample (an outer zip holding
9999NUM…zip, 9999VBO…zip, … each with 9999XXX…-000001.xml), zipped on a Mac: every zip also holds
``__MACOSX/._*`` AppleDouble files (binary, not XML) and a ``.DS_Store``.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportRejected
from ketenregie.people.gbav.importer import import_gbav
from ketenregie.people.models import Residence
from ketenregie.people.occupancy import bewoningen
from ketenregie.places.bag.importer import import_bag
from ketenregie.places.bag.readers import is_litter
from ketenregie.places.models import Address
from ketenregie.places.selectors import AddressFilter, address_find, address_keys, with_registered_count
from ketenregie.risk.export import addresses as risk_addresses
from ketenregie.risk.export import residences as risk_residences
from tests import factories as f
from tests.test_bag_import import deelbestand as deelbestand_0599
from tests.test_bag_import import voorkomen

pytestmark = pytest.mark.django_db

DAY = "08012021"
APPLE_DOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02\x00\x00\x00\x09\x00\x00\x002"
MAIN_1, MAIN_2, LETTER_L, SIDE, LIG_NUM, STA_NUM, VBO_3, VBO_4 = (
    f"99992000000000{n:02d}" for n in range(1, 9)
)


def deelbestand(*objects: str) -> str:
    """A part file of an extract of the test municipality 9999, as NLExtract's sample is."""
    return deelbestand_0599(*objects).replace(
        "<selecties-extract:GemeenteIdentificatie>0599<", "<selecties-extract:GemeenteIdentificatie>9999<"
    )


def _num(identification: str, number: int, street: str, letter: str = "") -> str:
    return (
        f"<Objecten:Nummeraanduiding>{voorkomen()}<Objecten:identificatie>{identification}"
        f"</Objecten:identificatie><Objecten:huisnummer>{number}</Objecten:huisnummer>"
        + (f"<Objecten:huisletter>{letter}</Objecten:huisletter>" if letter else "")
        + "<Objecten:postcode>9999AA</Objecten:postcode><Objecten:ligtAan><Objecten-ref:OpenbareRuimteRef>"
        f"{street}</Objecten-ref:OpenbareRuimteRef></Objecten:ligtAan></Objecten:Nummeraanduiding>"
    )


def _unit(kind: str, identification: str, main: str, *secondary: str, extra: str = "") -> str:
    side = "".join(
        f"<Objecten:heeftAlsNevenadres><Objecten-ref:NummeraanduidingRef>{n}"
        "</Objecten-ref:NummeraanduidingRef></Objecten:heeftAlsNevenadres>"
        for n in secondary
    )
    return (
        f"<Objecten:{kind}><Objecten:heeftAlsHoofdadres><Objecten-ref:NummeraanduidingRef>{main}"
        f"</Objecten-ref:NummeraanduidingRef></Objecten:heeftAlsHoofdadres>{side}{voorkomen()}"
        f"<Objecten:identificatie>{identification}</Objecten:identificatie>{extra}</Objecten:{kind}>"
    )


def _vbo(identification: str, main: str, *secondary: str, area: int = 60) -> str:
    return _unit(
        "Verblijfsobject",
        identification,
        main,
        *secondary,
        extra="<Objecten:gebruiksdoel>woonfunctie</Objecten:gebruiksdoel>"
        f"<Objecten:oppervlakte>{area}</Objecten:oppervlakte>"
        "<Objecten:status>Verblijfsobject in gebruik</Objecten:status>",
    )


def _members(vbo: str | None = None) -> dict[str, str]:
    streets = ("9999300000000001", "Dorpsstraat"), ("9999300000000002", "Kerkpad")
    return {
        "WPL": deelbestand(
            f"<Objecten:Woonplaats>{voorkomen()}<Objecten:identificatie>9999</Objecten:identificatie>"
            "<Objecten:naam>Proefdorp</Objecten:naam></Objecten:Woonplaats>"
        ),
        "OPR": deelbestand(
            *(
                f"<Objecten:OpenbareRuimte>{voorkomen()}<Objecten:identificatie>{i}</Objecten:identificatie>"
                f"<Objecten:naam>{name}</Objecten:naam><Objecten:ligtIn><Objecten-ref:WoonplaatsRef>9999"
                "</Objecten-ref:WoonplaatsRef></Objecten:ligtIn></Objecten:OpenbareRuimte>"
                for i, name in streets
            )
        ),
        "NUM": deelbestand(
            _num(MAIN_1, 1, "9999300000000001"),
            _num(MAIN_2, 2, "9999300000000001"),
            _num(LETTER_L, 3, "9999300000000001", letter="l"),
            _num(SIDE, 7, "9999300000000002"),
            _num(LIG_NUM, 10, "9999300000000002"),
            _num(STA_NUM, 11, "9999300000000002"),
            _num(VBO_3, 4, "9999300000000001"),
            _num(VBO_4, 5, "9999300000000001"),
        ),
        "VBO": vbo
        or deelbestand(
            _vbo("9999010000000001", MAIN_1, SIDE, area=80),
            _vbo("9999010000000002", MAIN_2),
            _vbo("9999010000000003", LETTER_L),
            _vbo("9999010000000004", VBO_3),
        ),
        "LIG": deelbestand(_unit("Ligplaats", "9999020000000001", LIG_NUM)),
        "STA": deelbestand(_unit("Standplaats", "9999030000000001", STA_NUM)),
    }


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def extract_with_litter(tmp_path: Path, vbo: str | None = None) -> Path:
    """BAGGEM9999L-08012021.zip as zipped on a Mac, nested zips and all."""
    outer: dict[str, bytes] = {}
    for kind, xml in _members(vbo).items():
        member = f"9999{kind}{DAY}-000001.xml"
        inner = f"9999{kind}{DAY}.zip"
        outer[inner] = _zip(
            {member: xml.encode(), f"__MACOSX/._{member}": APPLE_DOUBLE, ".DS_Store": b"\x00\x00\x00\x01Bud1"}
        )
        outer[f"__MACOSX/._{inner}"] = APPLE_DOUBLE
    outer[".DS_Store"] = b"\x00\x00\x00\x01Bud1"
    outer["__MACOSX/._.DS_Store"] = APPLE_DOUBLE
    path = tmp_path / f"BAGGEM9999L-{DAY}.zip"
    path.write_bytes(_zip(outer))
    return path


def test_operating_system_litter_is_recognised() -> None:
    assert is_litter("__MACOSX/._9999VBO08012021.zip")
    assert is_litter("9999VBO08012021.zip/__MACOSX/._9999VBO08012021-000001.xml")
    assert is_litter("._9999NUM08012021-000001.xml")
    assert is_litter("sub/.DS_Store")
    assert is_litter("Thumbs.db")
    assert not is_litter("9999VBO08012021-000001.xml")
    assert not is_litter("macosx/9999VBO08012021-000001.xml")


def test_an_extract_zipped_on_a_mac_imports_every_object_and_nevenadres(tmp_path: Path) -> None:
    report = import_bag(extract_with_litter(tmp_path))
    assert (report.read, report.created, report.secondary, report.secondary_created) == (6, 6, 1, 1)
    assert Address.objects.filter(main_address__isnull=True).count() == 6
    main = Address.objects.get(bag_address_id=MAIN_1)
    side = Address.objects.get(bag_address_id=SIDE)
    assert side.main_address == main
    assert side.bag_object_id == main.bag_object_id == "9999010000000001"
    assert (side.street, side.house_number, side.postcode, side.town) == ("Kerkpad", 7, "9999AA", "Proefdorp")
    # The object's data lives on the main address only.
    assert (main.floor_area_m2, side.floor_area_m2, side.use_purposes) == (80, None, [])
    again = import_bag(extract_with_litter(tmp_path))
    assert (
        again.created,
        again.updated,
        again.unchanged,
        again.secondary_created,
        again.secondary_updated,
    ) == (
        0,
        0,
        6,
        0,
        0,
    )


def test_the_house_letter_is_kept_as_delivered_and_found_whatever_the_case(tmp_path: Path) -> None:
    import_bag(extract_with_litter(tmp_path))
    address = Address.objects.get(bag_address_id=LETTER_L)
    assert address.house_letter == "l"
    assert address.house_number_full == "3l"
    actor = Actor.system(address.municipality, name="test")
    for typed in ("l", "L"):
        assert address_find(actor=actor, postcode="9999AA", house_number=3, house_letter=typed) == address


def test_a_malformed_member_is_named_with_its_zip_path_and_line(tmp_path: Path) -> None:
    broken = deelbestand(_vbo("9999010000000001", MAIN_1)).replace(
        "</Objecten:oppervlakte>", "</Objecten:opp>", 1
    )
    broken = broken.replace("><", ">\n<")  # one element a line, so the line number says something
    line = next(n for n, text in enumerate(broken.splitlines(), start=1) if "</Objecten:opp>" in text)
    with pytest.raises(ImportRejected) as rejected, translation.override("en"):
        import_bag(extract_with_litter(tmp_path, vbo=broken))
    with translation.override("en"):
        message = str(rejected.value.errors[0])
    assert message.startswith(f"file: 9999VBO{DAY}.zip/9999VBO{DAY}-000001.xml, line {line}: ")
    assert "mismatched tag" in message
    assert not Address.objects.exists()


def test_a_stay_address_can_be_a_nevenadres_and_the_object_counts_each_person_once(
    tmp_path: Path,
) -> None:
    import_bag(extract_with_litter(tmp_path))
    main = Address.objects.get(bag_address_id=MAIN_1)
    side = Address.objects.get(bag_address_id=SIDE)
    municipality = main.municipality
    f.ResidenceFactory(municipality=municipality, address=main, starts_on=dt.date(2020, 1, 1))
    at_side = f.ResidenceFactory(municipality=municipality, address=side, starts_on=dt.date(2020, 1, 1))
    assert at_side.address.main_address == main
    actor = Actor.system(municipality, name="test")
    listed = with_registered_count(address_keys(actor=actor, filters=AddressFilter()), dt.date(2024, 1, 1))
    counts = {a.bag_address_id: a.registered_persons for a in listed}
    assert SIDE not in counts  # the list shows objects under their main address …
    assert counts[MAIN_1] == 2  # … counting who is registered at the nevenadres as well
    # Searching for the nevenadres finds its object.
    found = address_keys(actor=actor, filters=AddressFilter(search="9999AA 7"))
    assert [a.bag_address_id for a in found] == [MAIN_1]
    # Risk selection sees one object with two residents.
    frame = risk_residences(municipality)
    assert set(frame["address_id"].to_list()) == {main.pk}
    assert side.pk not in set(risk_addresses(municipality)["address_id"].to_list())
    # The BRP Bewoning answer for the object names both.
    answer = bewoningen(
        actor=actor,
        object_id="9999010000000001",
        van=dt.date(2024, 1, 1),
        tot=dt.date(2024, 1, 2),
    )
    assert len(answer.to_api()["bewoningen"][0]["bewoners"]) == 2


def test_a_brp_holding_at_a_nevenadres_is_stored_at_that_address(tmp_path: Path) -> None:
    import_bag(extract_with_litter(tmp_path))
    import_gbav(
        (
            "\ufeff;01.01.10;01.01.20;01.02.40;08.09.10;08.10.30;08.11.10;08.11.20;08.11.60;08.11.80;08.11.90\n"
            f"P1;1234567890;999993653;Jansen;9999;20150808;Kerkpad;7;9999AA;9999010000000001;{SIDE}\n"
        ).encode()
    )
    residence = Residence.objects.get()
    assert residence.address.bag_address_id == SIDE
    assert residence.address.main_address.bag_address_id == MAIN_1
