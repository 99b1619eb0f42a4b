"""Pseudonymous visitor keys: count unique visitors without storing who they are.

key = HMAC-SHA256(PSEUDONYM_SECRET + per-municipality salt, normalised name | date of birth). The name and
date of birth are never stored; the same person gives the same key at every desk of one municipality.
Whoever holds both the secret and the database could test guesses, so it is a pseudonym (GDPR art. 4(5)),
not anonymous data: the log is still treated as personal data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable

from django.conf import settings

from ketenregie.core.models import Municipality
from ketenregie.core.text import normalise_name
from ketenregie.infopoint.models import PseudonymSalt


def _salt(municipality: Municipality) -> str:
    salt, _created = PseudonymSalt.objects.get_or_create(
        municipality=municipality, defaults={"salt": secrets.token_hex(32)}
    )
    return salt.salt


def key_maker(municipality: Municipality) -> Callable[[str, dt.date], str]:
    """A function giving visitor keys for one municipality (reads its salt once: for bulk use)."""
    key = f"{settings.PSEUDONYM_SECRET}:{_salt(municipality)}".encode()

    def make(name: str, birth_date: dt.date) -> str:
        message = f"{normalise_name(name)}|{birth_date.isoformat()}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    return make


def visitor_key(*, municipality: Municipality, name: str, birth_date: dt.date) -> str:
    return key_maker(municipality)(name, birth_date)
