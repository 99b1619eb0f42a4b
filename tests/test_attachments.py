"""Attachments are checked by their content: type, size and whether they open; every problem is named."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ketenregie.core.uploads import check_upload, check_uploads, clean_name
from tests import factories as f


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are read in the English source text; the application itself speaks Dutch by default."""
    with translation.override("en"):
        yield


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
