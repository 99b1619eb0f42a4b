"""Surnames with a prefix (voorvoegsel): THE rule for comparing them, shared by every matcher of people
(deliveries in people.delivered, first-registration forms in people.registration).

The BRP keeps the prefix apart (João dos Santos: prefix "dos", surname "Santos"), a deliverer writes
"dos Santos" in one field, and either may spell "Dos  santos" or "dos-Santos". ``surname_key`` gives the
same text for all of these: prefix and surname together, without case, accents, hyphens or extra spaces.
``surname_lookups`` gives the stored spellings a register may hold for a delivered surname, so that a
database lookup finds the person whether the register split the prefix off or not.
"""

from __future__ import annotations

from ketenregie.core.text import normalise_name

# Voorvoegsels of BRP Tabel 36 (the common ones; compared normalised, so case and accents do not matter).
# A multi-word prefix ("van der") is one entry; its first word is usually a prefix of its own as well.
PREFIXES = frozenset(
    {
        "a",
        "aan",
        "aan de",
        "aan den",
        "aan der",
        "aan het",
        "al",
        "am",
        "an",
        "auf",
        "aus",
        "ben",
        "bij",
        "bij de",
        "bij het",
        "d",
        "da",
        "dal",
        "dalla",
        "das",
        "de",
        "de la",
        "de las",
        "de le",
        "de los",
        "del",
        "della",
        "dem",
        "den",
        "der",
        "des",
        "di",
        "die",
        "do",
        "dos",
        "du",
        "el",
        "het",
        "in",
        "in de",
        "in den",
        "in der",
        "in het",
        "in t",
        "l",
        "la",
        "las",
        "le",
        "les",
        "lo",
        "los",
        "op",
        "op de",
        "op den",
        "op het",
        "op t",
        "onder",
        "onder de",
        "over",
        "over de",
        "s",
        "t",
        "te",
        "ten",
        "ter",
        "tho",
        "thoe",
        "tot",
        "uit",
        "uit de",
        "uit den",
        "uit het",
        "uit t",
        "uijt",
        "van",
        "van de",
        "van den",
        "van der",
        "van het",
        "van t",
        "van ter",
        "ver",
        "von",
        "von dem",
        "von den",
        "von der",
        "vom",
        "zu",
        "zum",
        "zur",
    }
)


def surname_key(prefix: str, surname: str) -> str:
    """The surname as compared: prefix and surname together, normalised ('dos', 'Santos' and '',
    'DOS-santos' both give 'dos santos')."""
    # An apostrophe ("van 't Hof") is dropped like an accent: spelled with and without it alike.
    return normalise_name(f"{prefix} {surname}".replace("'", " ").replace("’", " "))


def surname_lookups(surname: str) -> set[str]:
    """The stored surname values that may be the delivered ``surname``: as delivered and without the
    leading prefix (a register that keeps the prefix apart stores 'Santos' for 'dos Santos'), each in
    the spellings a register uses (as is, upper, lower, title case, with and without accents).
    Matching is then decided on ``surname_key``; these only keep the lookup on an exact-value index."""
    plain = " ".join(surname.split())
    forms = {plain}
    words = plain.split(" ")
    for cut in range(1, len(words)):
        if normalise_name(" ".join(words[:cut]).replace("'", " ")) in PREFIXES:
            forms.add(" ".join(words[cut:]))
    forms |= {normalise_name(form) for form in forms}
    return {variant for form in forms for variant in (form, form.upper(), form.lower(), form.title())}
