"""Every string the staff application shows has a Dutch translation, every string of the public portal
is translated into all ten portal languages, and both catalogues are current."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "ketenregie"
CATALOGUES = sorted(PACKAGE.glob("locale/*/LC_MESSAGES/django.po"))
# The portal (public, ten languages) keeps its own catalogue, so the staff one needs Dutch only.
PORTAL_CATALOGUES = sorted(PACKAGE.glob("portal/locale/*/LC_MESSAGES/django.po"))
PORTAL_LANGUAGES = ["nl", "en", "pl", "ro", "bg", "lt", "hu", "uk", "pt", "es"]
ALLOWED_APP_CATALOGUES = {PACKAGE / "portal" / "locale"}


@pytest.mark.parametrize(
    "path",
    [*CATALOGUES, *PORTAL_CATALOGUES],
    ids=[p.parts[-3] for p in CATALOGUES] + [f"portal-{p.parts[-3]}" for p in PORTAL_CATALOGUES],
)
def test_every_message_is_translated(path: Path) -> None:
    catalogue = polib.pofile(str(path))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in {path.parts[-3]}: {missing[:10]}"
    assert not fuzzy, f"fuzzy (unchecked) in {path.parts[-3]}: {fuzzy[:10]}"


def test_the_catalogue_holds_every_string_in_the_code(tmp_path: Path) -> None:
    """Run makemessages on a copy of the code: a new string must be added and translated.

    Without settings, makemessages writes to the copy's own locale directory, never to the real one;
    app-level locale directories would split the catalogue, so there must be none.
    """
    assert not [p for p in PACKAGE.glob("*/locale") if p.is_dir() and p not in ALLOWED_APP_CATALOGUES], (
        "keep one staff catalogue (src/ketenregie/locale) and the portal's own"
    )
    copy = tmp_path / "ketenregie"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "migrations"))
    (copy / "locale/nl/LC_MESSAGES/django.po").unlink()
    (copy / "portal/locale/nl/LC_MESSAGES/django.po").unlink()
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "nl", "-v", "0"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    fresh = {
        entry.msgid for entry in polib.pofile(str(copy / "locale/nl/LC_MESSAGES/django.po")) if entry.msgid
    }
    committed = {entry.msgid for entry in polib.pofile(str(CATALOGUES[0])) if not entry.obsolete}
    assert len(fresh) > 100
    assert not fresh - committed, f"run `make messages` and translate: {sorted(fresh - committed)[:10]}"
    # Strings under portal/ go to the portal's catalogue (makemessages picks the nearest locale folder).
    fresh_portal = {
        entry.msgid
        for entry in polib.pofile(str(copy / "portal/locale/nl/LC_MESSAGES/django.po"))
        if entry.msgid
    }
    assert len(fresh_portal) > 100
    for language in PORTAL_LANGUAGES:
        path = PACKAGE / "portal" / "locale" / language / "LC_MESSAGES" / "django.po"
        assert path.exists(), f"no portal catalogue for {language}"
        portal = {entry.msgid for entry in polib.pofile(str(path)) if not entry.obsolete}
        missing = fresh_portal - portal
        assert not missing, f"run `make messages` and translate ({language}): {sorted(missing)[:10]}"


@pytest.mark.parametrize("language", [code for code in PORTAL_LANGUAGES if code != "en"])
def test_portal_translations_keep_their_placeholders(language: str) -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    path = PACKAGE / "portal" / "locale" / language / "LC_MESSAGES" / "django.po"
    for entry in polib.pofile(str(path)):
        if entry.msgid_plural:
            for form in entry.msgstr_plural.values():
                assert set(placeholder.findall(form)) <= set(placeholder.findall(entry.msgid_plural)), form
        else:
            assert set(placeholder.findall(entry.msgstr)) == set(placeholder.findall(entry.msgid)), (
                entry.msgid
            )
            if len(entry.msgid) > 25:
                assert entry.msgstr != entry.msgid, f"{language}: copied, not translated: {entry.msgid}"


@pytest.mark.parametrize("language", ["pl", "ro", "bg", "lt", "hu", "uk", "pt", "es"])
def test_the_file_messages_of_an_import_reach_the_portal_in_its_language(language: str) -> None:
    """core.imports speaks through the staff catalogue (Dutch only); the portal's catalogue carries its
    file-level messages too, so an employer's upload is refused in the employer's language."""
    from django.utils import translation

    from ketenregie.core.imports import read_csv

    with translation.override(language):
        _rows, errors = read_csv(b"name\nx\n", required=["given_names"], optional=[])
    messages = " ".join(error.message for error in errors)
    assert "given_names" in messages
    assert "Missing columns" not in messages
    assert "Ontbrekende kolommen" not in messages


def test_the_staff_application_speaks_dutch_unless_english_is_chosen(personas: dict[str, object]) -> None:
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = client.get(reverse("web:login"))
    assert 'lang="nl"' in page.content.decode()
    assert "Inloggen" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/app/login/"})
    page = client.get(reverse("web:login"))
    assert 'lang="en"' in page.content.decode()
    assert "Log in to Ketenregie" in page.content.decode()
