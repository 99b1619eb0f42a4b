"""Text helpers shared by the apps."""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
_PLAIN = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae"})


def normalise_name(name: str) -> str:
    """'  Łukasz  KOWALSKI ' and 'lukasz kowalski' give the same text: no accents, case or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_PLAIN))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace("-", " ").split())
