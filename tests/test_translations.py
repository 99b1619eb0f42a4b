"""Every string the staff application shows has a Dutch translation, and the catalogue is current."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "ketenregie"
# The staff application is Dutch; public apps keep their own catalogue in every public language.
PUBLIC_APPS = ("dashboard", "portal")
PUBLIC_LANGUAGES = ("nl", "en", "pl", "ro", "bg", "lt", "hu", "uk", "pt", "es")
STAFF_CATALOGUE = PACKAGE / "locale/nl/LC_MESSAGES/django.po"
CATALOGUES = [STAFF_CATALOGUE] + [
    PACKAGE / app / "locale" / lang / "LC_MESSAGES/django.po"
    for app in PUBLIC_APPS
    for lang in PUBLIC_LANGUAGES
]


@pytest.mark.parametrize("path", CATALOGUES, ids=[f"{p.parts[-5]}-{p.parts[-3]}" for p in CATALOGUES])
def test_every_message_is_translated(path: Path) -> None:
    assert path.exists(), f"missing catalogue {path}: run `make messages`"
    catalogue = polib.pofile(str(path))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in {path}: {missing[:10]}"
    assert not fuzzy, f"fuzzy (unchecked) in {path}: {fuzzy[:10]}"


def _fresh_msgids(tmp_path: Path, directory: Path, ignore: tuple[str, ...] = ()) -> set[str]:
    """Run makemessages without settings on a copy of ``directory``: it writes only into the copy."""
    copy = tmp_path / directory.name
    shutil.copytree(
        directory, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "migrations", "locale")
    )
    (copy / "locale").mkdir()
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "nl", "-v", "0", *(f"--ignore={i}" for i in ignore)],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    return {
        entry.msgid for entry in polib.pofile(str(copy / "locale/nl/LC_MESSAGES/django.po")) if entry.msgid
    }


def _public_parts() -> tuple[str, ...]:
    """What the public apps' own catalogues cover, as in the Makefile: all but their staff pages (a staff/
    package and templates/<app>/staff/), whose strings belong in the staff catalogue."""
    parts = []
    for app in PUBLIC_APPS:
        entries = [*(PACKAGE / app).glob("*"), *(PACKAGE / app).glob("templates/*/*")]
        parts += [p for p in entries if p.name not in ("staff", "templates")]
    return tuple(str(p.relative_to(PACKAGE)) for p in parts)


def test_the_staff_catalogue_holds_every_string_of_the_staff_application(tmp_path: Path) -> None:
    stray = [p for p in PACKAGE.glob("*/locale") if p.is_dir() and p.parent.name not in PUBLIC_APPS]
    assert not stray, f"app-level catalogues split the staff catalogue: {stray}"
    fresh = _fresh_msgids(tmp_path, PACKAGE, ignore=_public_parts())
    committed = {entry.msgid for entry in polib.pofile(str(STAFF_CATALOGUE)) if not entry.obsolete}
    assert len(fresh) > 100
    assert not fresh - committed, f"run `make messages` and translate: {sorted(fresh - committed)[:10]}"
    # The portal's staff pages (portal/staff/ and its templates) are in; the public portal is not.
    assert {"Address on the portal", "Portal pages", "to be checked"} <= fresh
    assert "Who fills in this form?" not in fresh


@pytest.mark.parametrize("app", PUBLIC_APPS)
def test_each_public_catalogue_holds_every_string_of_its_app(app: str, tmp_path: Path) -> None:
    fresh = _fresh_msgids(tmp_path, PACKAGE / app, ignore=("staff/*",))
    assert "Address on the portal" not in fresh, "the staff pages belong in the staff catalogue"
    for lang in PUBLIC_LANGUAGES:
        path = PACKAGE / app / "locale" / lang / "LC_MESSAGES/django.po"
        committed = {entry.msgid for entry in polib.pofile(str(path)) if not entry.obsolete}
        assert not fresh - committed, (
            f"run `make messages` and translate ({lang}): {sorted(fresh - committed)[:5]}"
        )


@pytest.mark.parametrize(
    "path",
    [p for p in CATALOGUES if p != STAFF_CATALOGUE and p.parts[-3] != "en"],
    ids=[f"{p.parts[-5]}-{p.parts[-3]}" for p in CATALOGUES if p != STAFF_CATALOGUE and p.parts[-3] != "en"],
)
def test_public_translations_keep_their_placeholders(path: Path) -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in polib.pofile(str(path)):
        if entry.msgid_plural:
            for form in entry.msgstr_plural.values():
                assert set(placeholder.findall(form)) <= set(placeholder.findall(entry.msgid_plural)), form
        else:
            assert set(placeholder.findall(entry.msgstr)) == set(placeholder.findall(entry.msgid)), (
                entry.msgid
            )
            if len(entry.msgid) > 25:
                assert entry.msgstr != entry.msgid, f"{path}: copied, not translated: {entry.msgid}"


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
