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
CATALOGUES = sorted(PACKAGE.glob("locale/*/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.parts[-3] for p in CATALOGUES])
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
    assert not [p for p in PACKAGE.glob("*/locale") if p.is_dir()], (
        "keep one catalogue: src/ketenregie/locale"
    )
    copy = tmp_path / "ketenregie"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "migrations"))
    (copy / "locale/nl/LC_MESSAGES/django.po").unlink()
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
