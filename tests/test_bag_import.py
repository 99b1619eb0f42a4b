"""import-bag: a BAG CSV export and the BAG 2.0 extract (XML, zipped), all units or none."""

from __future__ import annotations

import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from ketenregie.core.imports import ImportRejected
from ketenregie.people.gbav.importer import import_gbav
from ketenregie.places.bag.importer import import_bag
from ketenregie.places.bag.rd import OutsideRd, rd_to_wgs84
from ketenregie.places.models import Address, BagStatus, UsePurpose

CSV_HEADER = (
    "openbareruimte;huisnummer;huisletter;huisnummertoevoeging;postcode;woonplaats;gemeente;provincie;"
    "nummeraanduiding;verblijfsobjectgebruiksdoel;oppervlakteverblijfsobject;verblijfsobjectstatus;"
    "object_id;object_type;nevenadres;pandid;pandstatus;pandbouwjaar;x;y;lon;lat"
)
NS = (
    'xmlns:Objecten="www.kadaster.nl/schemas/lvbag/imbag/objecten/v20200601" '
    'xmlns:Objecten-ref="www.kadaster.nl/schemas/lvbag/imbag/objecten-ref/v20200601" '
    'xmlns:Historie="www.kadaster.nl/schemas/lvbag/imbag/historie/v20200601" '
    'xmlns:gml="http://www.opengis.net/gml/3.2" '
    'xmlns:sl="http://www.kadaster.nl/schemas/standlevering-generiek/1.0" '
    'xmlns:sl-bag-extract="http://www.kadaster.nl/schemas/lvbag/extract-deelbestand-lvc/v20200601" '
    'xmlns:selecties-extract="http://www.kadaster.nl/schemas/lvbag/extract-selecties/v20200601"'
)


def csv_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "bagadres.csv"
    path.write_text(CSV_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def deelbestand(*objects: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sl-bag-extract:bagStand {NS}>'
        "<sl-bag-extract:bagInfo><selecties-extract:Gebied-Registratief><selecties-extract:Gebied-GEM>"
        "<selecties-extract:GemeenteCollectie><selecties-extract:Gemeente>"
        "<selecties-extract:GemeenteIdentificatie>0599</selecties-extract:GemeenteIdentificatie>"
        "</selecties-extract:Gemeente></selecties-extract:GemeenteCollectie></selecties-extract:Gebied-GEM>"
        "</selecties-extract:Gebied-Registratief></sl-bag-extract:bagInfo>"
        "<sl:standBestand><sl:stand>"
        + "".join(f"<sl-bag-extract:bagObject>{o}</sl-bag-extract:bagObject>" for o in objects)
        + "</sl:stand></sl:standBestand></sl-bag-extract:bagStand>"
    )


def voorkomen(end: str = "") -> str:
    ended = f"<Historie:eindGeldigheid>{end}</Historie:eindGeldigheid>" if end else ""
    return (
        "<Objecten:voorkomen><Historie:Voorkomen>"
        "<Historie:voorkomenidentificatie>1</Historie:voorkomenidentificatie>"
        f"<Historie:beginGeldigheid>2010-01-01</Historie:beginGeldigheid>{ended}"
        "</Historie:Voorkomen></Objecten:voorkomen>"
    )


def extract_zip(tmp_path: Path) -> Path:
    wpl = deelbestand(
        f"<Objecten:Woonplaats>{voorkomen()}<Objecten:identificatie>3086</Objecten:identificatie>"
        "<Objecten:naam>Rotterdam</Objecten:naam></Objecten:Woonplaats>"
    )
    opr = deelbestand(
        f"<Objecten:OpenbareRuimte>{voorkomen()}"
        "<Objecten:identificatie>0599300000000001</Objecten:identificatie>"
        "<Objecten:naam>Boterdiep</Objecten:naam><Objecten:ligtIn><Objecten-ref:WoonplaatsRef>3086"
        "</Objecten-ref:WoonplaatsRef></Objecten:ligtIn></Objecten:OpenbareRuimte>"
    )
    num = deelbestand(
        *(
            f"<Objecten:Nummeraanduiding>{voorkomen()}<Objecten:identificatie>05992000000000{n:02d}"
            f"</Objecten:identificatie><Objecten:huisnummer>{n}</Objecten:huisnummer>"
            + ("<Objecten:huisletter>a</Objecten:huisletter>" if n == 2 else "")
            + "<Objecten:postcode>3077AW</Objecten:postcode>"
            "<Objecten:ligtAan><Objecten-ref:OpenbareRuimteRef>"
            "0599300000000001</Objecten-ref:OpenbareRuimteRef></Objecten:ligtAan></Objecten:Nummeraanduiding>"
            for n in (1, 2, 3)
        )
    )
    vbo = deelbestand(
        f"<Objecten:Verblijfsobject><Objecten:heeftAlsHoofdadres><Objecten-ref:NummeraanduidingRef>0599200000000001"
        f"</Objecten-ref:NummeraanduidingRef></Objecten:heeftAlsHoofdadres>{voorkomen('2015-01-01')}"
        "<Objecten:identificatie>0599010000000001</Objecten:identificatie>"
        "<Objecten:gebruiksdoel>kantoorfunctie</Objecten:gebruiksdoel>"
        "<Objecten:oppervlakte>10</Objecten:oppervlakte>"
        "<Objecten:status>Verblijfsobject gevormd</Objecten:status></Objecten:Verblijfsobject>",
        f"<Objecten:Verblijfsobject><Objecten:heeftAlsHoofdadres><Objecten-ref:NummeraanduidingRef>0599200000000001"
        f"</Objecten-ref:NummeraanduidingRef></Objecten:heeftAlsHoofdadres>{voorkomen()}"
        "<Objecten:identificatie>0599010000000001</Objecten:identificatie>"
        '<Objecten:geometrie><Objecten:punt><gml:Point srsDimension="3">'
        "<gml:pos>92565.0 437468.0 0.0</gml:pos>"
        "</gml:Point></Objecten:punt></Objecten:geometrie>"
        "<Objecten:gebruiksdoel>woonfunctie</Objecten:gebruiksdoel>"
        "<Objecten:gebruiksdoel>kantoorfunctie</Objecten:gebruiksdoel>"
        "<Objecten:oppervlakte>64</Objecten:oppervlakte>"
        "<Objecten:status>Verblijfsobject in gebruik</Objecten:status>"
        "</Objecten:Verblijfsobject>",
        f"<Objecten:Verblijfsobject><Objecten:heeftAlsHoofdadres><Objecten-ref:NummeraanduidingRef>0599200000000002"
        f"</Objecten-ref:NummeraanduidingRef></Objecten:heeftAlsHoofdadres>{voorkomen()}"
        "<Objecten:identificatie>0599010000000002</Objecten:identificatie>"
        "<Objecten:gebruiksdoel>logiesfunctie</Objecten:gebruiksdoel>"
        "<Objecten:oppervlakte>120</Objecten:oppervlakte>"
        "<Objecten:status>Verblijfsobject in gebruik</Objecten:status></Objecten:Verblijfsobject>",
    )
    sta = deelbestand(
        f"<Objecten:Standplaats><Objecten:heeftAlsHoofdadres><Objecten-ref:NummeraanduidingRef>0599200000000003"
        f"</Objecten-ref:NummeraanduidingRef></Objecten:heeftAlsHoofdadres>{voorkomen()}"
        "<Objecten:identificatie>0599030000000003</Objecten:identificatie>"
        "<Objecten:status>Plaats aangewezen</Objecten:status><Objecten:geometrie><gml:Polygon><gml:exterior>"
        '<gml:LinearRing><gml:posList srsDimension="2">92560 437460 92570 437460 92570 437470 92560 437470'
        "</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></Objecten:geometrie></Objecten:Standplaats>"
    )
    inner = tmp_path / "0599VBO.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("0599VBO01012025-000001.xml", vbo)
    path = tmp_path / "BAGGEM0599L-01012025.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("0599WPL01012025-000001.xml", wpl)
        archive.writestr("0599OPR01012025-000001.xml", opr)
        archive.writestr("0599NUM01012025-000001.xml", num)
        archive.writestr("0599STA01012025-000001.xml", sta)
        archive.write(inner, "0599VBO01012025.zip")
    return path


def test_rd_coordinates_become_wgs84() -> None:
    assert rd_to_wgs84(155_000, 463_000) == pytest.approx((52.1551744, 5.3872062))
    # The Martinitoren in Groningen: RD (233 883, 582 065), WGS84 about 53.2193 N, 6.5682 E.
    assert rd_to_wgs84(233_883, 582_065) == pytest.approx((53.2193, 6.5682), abs=2e-4)
    with pytest.raises(OutsideRd):
        rd_to_wgs84(0, 0)


def test_the_csv_export_is_imported_with_units_and_coordinates(db: None, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "Boterdiep;31;;;3077AW;Rotterdam;Rotterdam;Zuid-Holland;0599200000219678;woonfunctie;48;"
        "Verblijfsobject in gebruik;0599010000208579;VBO;f;;;;92565;437468;;",
        "Boterdiep;31;;;3077AW;Rotterdam;Rotterdam;Zuid-Holland;0599200000219999;woonfunctie;48;"
        "Verblijfsobject in gebruik;0599010000208579;VBO;t;;;;92565;437468;;",
        "Kade;2;;;3077AB;Rotterdam;Rotterdam;Zuid-Holland;0599200000000777;;;Plaats aangewezen;"
        "0599030000000777;STA;f;;;;;;4.5;51.9",
    )
    report = import_bag(path)
    assert (report.read, report.created, report.secondary_created) == (2, 2, 1)
    side = Address.objects.get(bag_address_id="0599200000219999")
    assert side.main_address == Address.objects.get(bag_address_id="0599200000219678")
    home = Address.objects.get(bag_object_id="0599010000208579", main_address__isnull=True)
    assert home.municipality.code == "0599"
    assert (home.street, home.house_number, home.postcode, home.floor_area_m2) == (
        "Boterdiep",
        31,
        "3077AW",
        48,
    )
    assert home.use_purposes == [UsePurpose.RESIDENTIAL]
    assert home.is_habitable_use
    assert home.bag_status == BagStatus.IN_USE
    assert (home.latitude, home.longitude) == pytest.approx((51.92219, 4.47959), abs=1e-4)
    pitch = Address.objects.get(bag_object_id="0599030000000777")
    assert pitch.is_caravan
    assert (pitch.latitude, pitch.longitude) == (51.9, 4.5)


def test_the_bag_extract_is_streamed_from_nested_zips(db: None, tmp_path: Path) -> None:
    report = import_bag(extract_zip(tmp_path))
    assert report.created == 3
    home = Address.objects.get(bag_object_id="0599010000000001")
    # The current version, not the one that ended in 2015.
    assert home.floor_area_m2 == 64
    assert sorted(home.use_purposes) == ["kantoorfunctie", "woonfunctie"]
    assert (home.street, home.house_number, home.town, home.bag_address_id) == (
        "Boterdiep",
        1,
        "Rotterdam",
        "0599200000000001",
    )
    assert home.latitude == pytest.approx(51.92219, abs=1e-4)
    lodging = Address.objects.get(bag_object_id="0599010000000002")
    assert lodging.house_letter == "a"  # as delivered
    assert lodging.is_habitable_use
    pitch = Address.objects.get(bag_object_id="0599030000000003")
    assert pitch.is_caravan
    assert pitch.bag_status == BagStatus.PLACE_DESIGNATED
    assert pitch.latitude == pytest.approx(rd_to_wgs84(92565, 437465)[0])
    again = import_bag(extract_zip(tmp_path))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_addresses_the_brp_named_become_complete(db: None, tmp_path: Path) -> None:
    import_gbav(
        (
            "\ufeff;01.01.10;01.01.20;01.02.40;08.09.10;08.10.30;08.11.10;08.11.20;08.11.60;08.11.80;08.11.90\n"
            "P1;1234567890;999993653;Jansen;0599;20150808;Boterdiep;31;3077AW;0599010000208579;0599200000219678\n"
        ).encode()
    )
    assert not Address.objects.get().is_complete
    report = import_bag(
        csv_file(
            tmp_path,
            "Boterdiep;31;;;3077AW;Rotterdam;Rotterdam;Zuid-Holland;0599200000219678;woonfunctie;48;"
            "Verblijfsobject in gebruik;0599010000208579;VBO;f;;;;92565;437468;;",
        )
    )
    assert (report.created, report.updated, report.completed) == (0, 1, 1)
    address = Address.objects.get()
    assert address.is_complete
    assert address.floor_area_m2 == 48
    assert address.residences.count() == 1


def test_a_bad_export_is_refused_whole_with_every_row(db: None, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "Boterdiep;31;;;3077AW;Rotterdam;;;;woonfunctie;48;;0599010000208579;VBO;f;;;;;;;",
        "Boterdiep;x;;;3077AW;Rotterdam;;;;zwemfunctie;-3;;0599990000208579;VBO;f;;;;;;;",
        "Boterdiep;33;;;30770W;Rotterdam;;;;;;;0599010000208579;VBO;f;;;;;;;",
    )
    with pytest.raises(ImportRejected) as rejected, translation.override("en"):
        import_bag(path)
    with translation.override("en"):
        messages = [str(e) for e in rejected.value.errors]
    assert "row 3, huisnummer: x is not a house number." in messages
    assert "row 3, gebruiksdoel: Unknown use purpose: zwemfunctie." in messages
    assert "row 3, oppervlakte: -3 is not a floor area in m²." in messages
    assert any(m.startswith("row 3, object_id: 0599990000208579: Digits 5 and 6") for m in messages)
    assert any(m.startswith("row 4, postcode: 30770W") for m in messages)
    assert not Address.objects.exists()


def test_the_command_reports_what_it_did(db: None, tmp_path: Path) -> None:
    out = StringIO()
    call_command("import_bag", str(extract_zip(tmp_path)), stdout=out, stderr=StringIO())
    assert "3 units read; 3 new" in out.getvalue()
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_bag", str(tmp_path / "missing.zip"), stdout=StringIO())
