"""Attachments are checked by their content: type, size and whether they open; every problem is named."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from ketenregie.cases.models import CaseAttachment
from ketenregie.core.models import Municipality
from ketenregie.core.uploads import check_upload, check_uploads, clean_name
from ketenregie.portal.protection import new_form_token
from ketenregie.signals.models import Signal
from tests import factories as f
from tests.conftest import Casework, World


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are read in the English source text; the application itself speaks Dutch by default."""
    with translation.override("en"):
        yield


def portal_signal() -> dict[str, Any]:
    return {
        "category": "overcrowding",
        "postcode": "",
        "house_number": "",
        "location": "Achter de loods aan de Waalhaven, de blauwe caravans",
        "description": "Er slapen elke nacht ongeveer twintig mensen in drie caravans.",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "website": "",
        "started": new_form_token(),
    }


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_photo_and_a_pdf_are_accepted_and_stored_under_a_random_name() -> None:
    photo = check_upload(upload("IMG 001.png", f.PNG_BYTES))
    document = check_upload(upload("brief.pdf", f.PDF_BYTES))
    assert (photo.content_type, document.content_type) == ("image/png", "application/pdf")
    assert photo.original_name == "IMG 001.png"
    assert photo.content.name.endswith(".png")
    assert "IMG" not in photo.content.name
    assert len(photo.sha256) == 64


def test_the_type_comes_from_the_content_not_from_the_name_or_the_browser() -> None:
    renamed = check_upload(upload("rapport.docx", f.PDF_BYTES, content_type="application/msword"))
    assert renamed.content_type == "application/pdf"
    with pytest.raises(ValidationError, match="is not a photo"):
        check_upload(upload("foto.jpg", b"MZ\x90\x00\x03 program", content_type="image/jpeg"))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("kapot.png", f.PNG_BYTES[:20] + b"\x00" * 40, "cannot be opened"),
        ("half.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "incomplete or damaged"),
        ("leeg.jpg", b"", "is empty"),
        ("script.svg", b"<svg onload='alert(1)'></svg>", "is not a photo"),
    ],
)
def test_damaged_empty_and_wrong_files_are_refused_with_a_specific_message(
    name: str, data: bytes, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        check_upload(upload(name, data))


def test_an_oversized_file_is_refused_before_it_is_read_in_full(settings: Any) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="the limit is 1"):
        check_upload(upload("groot.pdf", f.PDF_BYTES + b" " * 2048))


def test_every_bad_file_of_several_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as error:
        check_uploads([upload("a.exe", b"MZ..."), upload("ok.png", f.PNG_BYTES), upload("b.txt", b"hello")])
    assert len(error.value.messages) == 2
    assert "a.exe" in error.value.messages[0]
    assert "b.txt" in error.value.messages[1]


def test_too_many_files_are_refused() -> None:
    with pytest.raises(ValidationError, match="At most 2 files"):
        check_uploads([upload(f"{n}.png", f.PNG_BYTES) for n in range(3)], max_files=2)


def test_a_file_name_loses_its_directories_and_control_characters() -> None:
    assert clean_name("..\\..\\windows\\evil.png") == "evil.png"
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("a\x00b<c>.png") == "abc.png"
    assert clean_name("") == "bestand"


# Uploads are made harmless: photos are encoded anew, PDFs with active content are refused.


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side: to be turned upright before the orientation tag is dropped
    exif[0x8825] = {1: "N", 2: (51.0, 55.0, 12.0), 3: "E", 4: (4.0, 28.0, 45.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (180, 40, 40)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A few bytes that claim a huge image: a real header with the size changed and its checksum mended."""
    header = b"IHDR" + struct.pack(">II", width, height) + f.PNG_BYTES[24:29]
    return f.PNG_BYTES[:12] + header + struct.pack(">I", zlib.crc32(header)) + f.PNG_BYTES[33:]


def pdf(change: Callable[[PdfWriter], None] | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if change is not None:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def open_action(**entries: str) -> Callable[[PdfWriter], None]:
    def change(writer: PdfWriter) -> None:
        action = DictionaryObject({NameObject("/S"): NameObject(entries.pop("S"))})
        action.update({NameObject(f"/{key}"): TextStringObject(value) for key, value in entries.items()})
        writer._root_object[NameObject("/OpenAction")] = action

    return change


def test_a_jpeg_with_html_appended_is_stored_as_a_clean_jpeg_without_the_html() -> None:
    html = b"<html><script>alert(document.cookie)</script></html>"
    checked = check_upload(upload("foto.jpg", jpeg_with_gps() + html))
    stored = checked.content.read()
    assert html not in stored
    assert b"<script" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
    assert checked.size == len(stored)
    assert checked.sha256 == hashlib.sha256(stored).hexdigest()


def test_a_photo_loses_its_gps_position_and_other_metadata_but_is_turned_upright() -> None:
    checked = check_upload(upload("foto.jpg", jpeg_with_gps()))
    with Image.open(io.BytesIO(checked.content.read())) as image:
        assert not image.getexif()
        assert "exif" not in image.info
        assert image.size == (30, 40)


def test_a_png_loses_its_text_chunks() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    buffer = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(buffer, "PNG", pnginfo=info)
    stored = check_upload(upload("plaatje.png", buffer.getvalue())).content.read()
    assert b"<script>" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.mode) == ("PNG", "RGBA")


@pytest.mark.parametrize(("width", "height"), [(30000, 30000), (8000, 6000)])
def test_a_png_that_declares_too_many_pixels_is_refused_before_it_is_decoded(width: int, height: int) -> None:
    with pytest.raises(ValidationError, match="at most 40 megapixels") as error:
        check_upload(upload("bom.png", png_declaring(width, height)))
    assert error.value.code == "too_many_pixels"


@pytest.mark.parametrize(
    "change",
    [
        open_action(S="/JavaScript", JS="app.alert('hallo')"),
        open_action(S="/Launch", F="C:\\Windows\\System32\\calc.exe"),
        lambda writer: writer.add_attachment("factuur.exe", b"MZ\x90\x00"),
    ],
    ids=["javascript", "launch", "embedded-file"],
)
def test_a_pdf_with_active_content_is_refused_with_a_clear_message(
    change: Callable[[PdfWriter], None],
) -> None:
    with pytest.raises(ValidationError, match="contains JavaScript") as error:
        check_upload(upload("brief.pdf", pdf(change)))
    assert error.value.code == "active_content"


def test_a_pdf_with_javascript_behind_hex_escaped_names_is_refused_by_the_parse() -> None:
    data = pdf(open_action(S="/JavaScript", JS="app.alert(1)"))
    data = data.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    assert b"/JavaScript" not in data
    assert b"/JS" not in data
    with pytest.raises(ValidationError, match="contains JavaScript"):
        check_upload(upload("brief.pdf", data))


def test_a_pdf_with_javascript_in_a_page_action_is_refused() -> None:
    def page_action(writer: PdfWriter) -> None:
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")}
        )
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})

    data = pdf(page_action).replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    with pytest.raises(ValidationError, match="contains JavaScript"):
        check_upload(upload("brief.pdf", data))


def test_a_clean_pdf_is_accepted_unchanged() -> None:
    data = pdf()
    assert check_upload(upload("brief.pdf", data)).content.read() == data


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        (
            "brief.pdf",
            lambda: pdf(open_action(S="/JavaScript", JS="app.alert(1)")),
            "application/pdf",
            "contains JavaScript",
        ),
        ("bom.png", lambda: png_declaring(30000, 30000), "image/png", "at most 40 megapixels"),
    ],
    ids=["pdf-with-javascript", "pixel-bomb"],
)
def test_the_intake_page_refuses_a_harmful_attachment_and_stores_nothing(
    world: World,
    client_as: Callable[[str], Client],
    settings: Any,
    tmp_path: Any,
    name: str,
    content: Callable[[], bytes],
    content_type: str,
    message: str,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    category = f.signal_category(world.address.municipality, "overcrowding")
    response = client_as("enforcement").post(
        reverse("signals:signal_create"),
        {
            "category": category.pk,
            "description": "Twaalf mensen in een bovenwoning van veertig vierkante meter.",
            "postcode": "1234 ZZ",
            "house_number": "7",
            "channel": "phone",
            "attachments": [upload(name, content(), content_type)],
        },
    )
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert not Signal.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_a_pixel_bomb_as_a_case_attachment_is_a_form_error_not_a_server_error(
    casework: Casework, client_as: Callable[[str], Client]
) -> None:
    before = CaseAttachment.objects.count()
    response = client_as("enforcement").post(
        reverse("cases:attachment_create", args=[casework.case.pk]),
        {"attachments": [upload("bom.png", png_declaring(30000, 30000), "image/png")], "description": ""},
    )
    assert response.status_code == 400
    assert "at most 40 megapixels" in response.content.decode()
    assert CaseAttachment.objects.count() == before


def test_a_case_attachment_is_stored_as_the_harmless_copy(
    casework: Casework, client_as: Callable[[str], Client]
) -> None:
    html = b"<html><body onload='alert(1)'></body></html>"
    response = client_as("enforcement").post(
        reverse("cases:attachment_create", args=[casework.case.pk]),
        {"attachments": [upload("foto.jpg", jpeg_with_gps() + html, "image/jpeg")], "description": ""},
    )
    assert response.status_code == 302
    attachment = CaseAttachment.objects.get(original_name="foto.jpg")
    with attachment.file.open("rb") as handle:
        assert html not in handle.read()


def test_a_pixel_bomb_as_the_portal_photo_is_a_form_error_and_nothing_is_stored(
    portal_settings: Municipality,
) -> None:
    bomb = upload("foto.png", png_declaring(30000, 30000), "image/png")
    response = Client().post("/nl/report/", {**portal_signal(), "photo": bomb})
    assert response.status_code == 200
    assert "Bedankt" not in response.content.decode()
    assert "photo" in response.context["form"].errors
    assert not Signal.objects.exists()


def test_a_hand_over_dossier_carries_files_stored_before_uploads_were_made_harmless(
    casework: Casework,
) -> None:
    """Older files were stored as sent: the dossier encodes their photos anew and leaves out active PDFs."""
    from ketenregie.cases.dossier import build_dossier
    from ketenregie.cases.models import DataSharingAgreement

    html = b"<html><script>alert(1)</script></html>"
    photo = casework.attachment
    photo.file.save("oud.jpg", ContentFile(jpeg_with_gps() + html), save=False)
    photo.content_type = "image/jpeg"
    photo.save()
    bad = CaseAttachment.objects.create(
        municipality=casework.case.municipality,
        case=casework.case,
        file=ContentFile(pdf(open_action(S="/JavaScript", JS="app.alert(1)")), name="oud.pdf"),
        original_name="brief-met-script.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    agreement = DataSharingAgreement.objects.get(name="Convenant NLA")
    dossier = build_dossier(
        case=casework.case,
        categories=agreement.categories,
        recipient=casework.nla,
        agreement=agreement,
        prepared_by="test",
    )
    archive = zipfile.ZipFile(io.BytesIO(dossier.zip))
    contents = b"".join(archive.read(name) for name in archive.namelist() if name.startswith("bijlagen/"))
    assert html not in contents
    assert not any(bad.original_name in name for name in archive.namelist())
    assert b"app.alert" not in contents
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(dossier.pdf)).pages)
    assert bad.original_name in text
