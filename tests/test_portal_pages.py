"""The public portal: languages, information pages with translation markers, the melding form, errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ketenregie.core.models import Municipality
from ketenregie.portal.languages import PORTAL_LANGUAGES
from ketenregie.portal.markdown import render_markdown
from ketenregie.portal.protection import new_form_token
from ketenregie.signals.models import Signal
from tests import factories as f

pytestmark = pytest.mark.usefixtures("portal_settings")

PAGES = ["", "privacy/", "address/", "employers/", "report/"]


@pytest.fixture
def pages(municipality: Municipality) -> dict[str, Any]:
    """A page translated into English and Polish (the Polish one outdated), missing in the rest."""
    page = f.InfoPageFactory(municipality=municipality, slug="digid", topic="digid")
    original = f.InfoPageTranslationFactory(page=page, language="nl", title="DigiD aanvragen", version=2)
    f.InfoPageTranslationFactory(page=page, language="en", title="Apply for DigiD", source_version=2)
    f.InfoPageTranslationFactory(page=page, language="pl", title="Wniosek o DigiD", source_version=1)
    dutch_only = f.InfoPageFactory(municipality=municipality, slug="werk", topic="work")
    f.InfoPageTranslationFactory(page=dutch_only, language="nl", title="Werk en loon")
    return {"page": page, "original": original}


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("pl-PL,pl;q=0.9,en;q=0.5", "/pl/"),
        ("ro", "/ro/"),
        ("de-DE,de;q=0.9", "/nl/"),
        ("", "/nl/"),
        ("uk", "/uk/"),
    ],
)
def test_the_root_sends_the_browser_to_its_language(accept: str, expected: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=accept).get("/")
    assert response.status_code == 302
    assert response["Location"] == expected


def test_a_chosen_language_is_remembered_over_the_browsers() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="pl")
    response = client.get("/bg/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "bg"
    assert client.get("/")["Location"] == "/bg/"


@pytest.mark.parametrize("lang", PORTAL_LANGUAGES)
def test_every_page_speaks_the_language_of_its_address(lang: str, pages: dict[str, Any]) -> None:
    client = Client()
    for path in [*PAGES, "info/digid/"]:
        response = client.get(f"/{lang}/{path}")
        assert response.status_code == 200, path
        body = response.content.decode()
        assert f'<html lang="{lang}"' in body
        assert response["Content-Language"] == lang
        # The switcher: plain links to the same page in every language, the current one marked.
        for other in PORTAL_LANGUAGES:
            assert f'href="/{other}/{path}" lang="{other}" hreflang="{other}"' in body


def test_the_staff_application_stays_dutch_after_a_portal_visit(personas: dict[str, Any]) -> None:
    client = Client()
    client.get("/pl/")
    assert 'lang="nl"' in client.get("/app/login/").content.decode()


def test_a_missing_translation_falls_back_to_english_with_a_note(pages: dict[str, Any]) -> None:
    body = Client().get("/ro/info/digid/").content.decode()
    assert '<article lang="en"' in body
    assert "Apply for DigiD" in body
    assert 'class="pt-translation-note"' in body


def test_a_page_only_in_dutch_falls_back_to_dutch(pages: dict[str, Any]) -> None:
    body = Client().get("/es/info/werk/").content.decode()
    assert '<article lang="nl"' in body
    assert "Werk en loon" in body


def test_an_outdated_translation_is_shown_with_a_link_to_the_dutch_text(pages: dict[str, Any]) -> None:
    body = Client().get("/pl/info/digid/").content.decode()
    assert "Wniosek o DigiD" in body
    assert "<article class" in body
    assert 'href="/nl/info/digid/" hreflang="nl"' in body


def test_a_current_translation_has_no_marker(pages: dict[str, Any]) -> None:
    assert "pt-translation-note" not in Client().get("/en/info/digid/").content.decode()


def test_page_bodies_are_markdown_without_html() -> None:
    html = render_markdown(
        "# Title\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [ok](https://www.digid.nl)"
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://www.digid.nl">ok</a>' in html
    assert "<h2>Title</h2>" in html


def test_an_unpublished_or_unknown_page_is_a_404_in_the_visitors_language(pages: dict[str, Any]) -> None:
    pages["page"].is_published = False
    pages["page"].save()
    response = Client().get("/pl/info/digid/")
    assert response.status_code == 404
    assert 'lang="pl"' in response.content.decode()
    response = Client().get("/hu/nothing-here/")
    assert response.status_code == 404
    assert 'lang="hu"' in response.content.decode()


def test_an_expired_form_gets_a_page_in_the_visitors_language() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/lt/report/", {"category": "other"})
    assert response.status_code == 403
    assert 'lang="lt"' in response.content.decode()


def test_counts_below_the_threshold_are_suppressed_on_the_portal(municipality: Municipality) -> None:
    point = f.InformationPointFactory(municipality=municipality)
    last_year = dt.date.today().year - 1
    for index in range(3):
        from ketenregie.infopoint.models import Contact

        Contact.objects.create(
            municipality=municipality,
            point=point,
            contacted_on=dt.date(last_year, 3, 1),
            channel="desk",
            language="pl",
            visitor_key=f"k{index}",
        )
    body = Client().get("/en/").content.decode()
    assert "helped &lt;5 people" in body


def _signal(**overrides: Any) -> dict[str, Any]:
    data = {
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
    data.update(overrides)
    return data


def _png(size: int = 200) -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * size, content_type="image/png")


def test_a_melding_reaches_the_intake_with_its_photo_and_shows_its_reference(
    portal_settings: Municipality, settings: Any, tmp_path: Any
) -> None:
    municipality = portal_settings
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("foto.png", f.PNG_BYTES, content_type="image/png")
    response = Client().post("/pl/report/", {**_signal(contact_email="ktos@example.pl"), "photo": photo})
    assert response.status_code == 200
    signal = Signal.objects.get()
    assert (signal.channel, signal.category.code, signal.reporter_language) == (
        "portal",
        "overcrowding",
        "pl",
    )
    assert signal.municipality == municipality
    assert signal.attachments.get().content_type == "image/png"
    assert signal.reference in response.content.decode()


def test_a_photo_that_only_looks_like_one_is_refused_by_the_intake_and_nothing_is_stored(
    portal_settings: Municipality,
) -> None:
    response = Client().post("/en/report/", {**_signal(), "photo": _png()})
    assert response.status_code == 200
    body = response.content.decode()
    assert "This photo cannot be opened." in body
    assert "Thank you for your report" not in body
    assert not Signal.objects.exists()


def test_a_melding_needs_a_place(municipality: Municipality) -> None:
    response = Client().post("/en/report/", _signal(location=""))
    assert "Fill in a postcode and house number, or describe where it is." in response.content.decode()


def test_a_melding_about_an_unknown_address_is_refused(municipality: Municipality) -> None:
    response = Client().post("/en/report/", _signal(postcode="3083 AB", house_number="999"))
    assert "We cannot find this address." in response.content.decode()


def test_a_photo_is_checked_by_its_content_not_its_name() -> None:
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is a program", content_type="image/jpeg")
    response = Client().post("/en/report/", {**_signal(), "photo": fake})
    assert response.status_code == 200
    assert "This file is not a JPEG, PNG or WebP photo." in response.content.decode()
    assert not Signal.objects.exists()


def test_an_oversized_photo_is_refused_with_its_size(settings: Any) -> None:
    settings.PORTAL_PHOTO_MAX_BYTES = 1024 * 1024
    response = Client().post("/en/report/", {**_signal(), "photo": _png(2 * 1024 * 1024)})
    assert "The photo is too big (2.0 MB). The limit is 1 MB." in response.content.decode()


def test_the_melding_form_is_translated() -> None:
    body = Client().post("/es/report/", _signal(description="corto")).content.decode()
    assert 'lang="es"' in body
    assert "Please write a bit more" not in body


def test_the_privacy_statement_is_translated_into_every_language() -> None:
    assert "Who can see your data?" in Client().get("/en/privacy/").content.decode()
    for lang in PORTAL_LANGUAGES:
        if lang == "en":
            continue
        body = Client().get(f"/{lang}/privacy/").content.decode()
        assert "Who can see your data?" not in body, lang


def test_an_unconfigured_portal_says_so(settings: Any, other_municipality: Municipality) -> None:
    settings.PORTAL_MUNICIPALITY = ""
    response = Client().get("/en/")
    assert response.status_code == 503


def test_no_page_contains_an_inline_script_or_style(pages: dict[str, Any]) -> None:
    for path in [*PAGES, "info/digid/"]:
        body = Client().get(f"/en/{path}").content.decode()
        assert "<script" not in body
        assert " style=" not in body
