"""Turning the 'Gegeven' steps of a BRP Bewoning scenario into a GBA-V extract, and the 'Dan' steps
into the expected answer.

Each person of a scenario becomes one person record of the extract: its holdings (verblijfplaatsen)
are category 08 occurrences, newest first, with the elements the scenario's tables name; the
'inschrijving' table fills category 07. Changes of an address ('geactualiseerd', 'samengevoegd')
become a new holding, starting on the day of the change, at the changed address, declared as an
infrastructural change (72.10 = W) — as the BRP records them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from tests.brp.gherkin import Step

ELEMENT = re.compile(r"\((\d{2}\.\d{2})\)\s*$")
PERSON_COLUMNS = ("01.01.10", "01.01.20", "01.02.40", "07.67.10", "07.67.20", "07.70.10")
HOLDING_COLUMNS = (
    "08.09.10",
    "08.10.10",
    "08.10.30",
    "08.11.10",
    "08.11.20",
    "08.11.80",
    "08.11.90",
    "08.13.10",
    "08.13.20",
    "08.13.30",
    "08.13.40",
    "08.13.50",
    "08.72.10",
    "08.83.10",
    "08.83.20",
    "08.83.30",
)
DEFAULT_MUNICIPALITY = "0800"


def element(header: str) -> str:
    match = ELEMENT.search(header)
    assert match, f"no element number in {header!r}"
    return match.group(1)


@dataclass
class PersonSpec:
    bsn: str
    holdings: list[dict[str, str]] = field(default_factory=list)
    registration: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    addresses: dict[str, dict[str, str]] = field(default_factory=dict)
    people: list[PersonSpec] = field(default_factory=list)
    request: dict[str, Any] | None = None
    _bsn: int = 100_000_000

    @property
    def person(self) -> PersonSpec:
        return self.people[-1]

    def holding_at(self, alias: str, values: dict[str, str]) -> dict[str, str]:
        address = self.addresses[alias]
        holding = {"08.10.10": "W", "08.09.10": address.get("92.10", DEFAULT_MUNICIPALITY)}
        for key in ("11.10", "11.80", "11.90"):
            if address.get(key):
                holding[f"08.{key}"] = address[key]
        holding.update({f"08.{key}": value for key, value in values.items() if value})
        holding["_address"] = alias
        return holding

    def next_bsn(self) -> str:
        self._bsn += 1
        return f"{self._bsn:09d}"

    def given(self, step: Step) -> None:
        text = step.text
        if match := re.fullmatch(r"adres '(\w+)' heeft de volgende gegevens", text):
            self.addresses[match.group(1)] = {element(k): v for k, v in step.rows()[0].items()}
        elif match := re.fullmatch(
            r"de persoon met burgerservicenummer '(\d+)' is ingeschreven op adres '(\w+)' "
            r"met de volgende gegevens",
            text,
        ):
            self.people.append(PersonSpec(match.group(1)))
            self.person.holdings.append(self.holding_at(match.group(2), _elements(step)))
        elif match := re.fullmatch(
            r"de persoon is vervolgens ingeschreven op adres '(\w+)' met de volgende gegevens", text
        ):
            self.person.holdings.append(self.holding_at(match.group(1), _elements(step)))
        elif text == "de 'verblijfplaats' is gewijzigd naar de volgende gegevens":
            values = _elements(step)
            # Moving abroad leaves the municipality of registration as it was.
            previous = self.person.holdings[-1].get("08.09.10", DEFAULT_MUNICIPALITY)
            self.person.holdings.append(
                {"08.09.10": previous, **{f"08.{k}": v for k, v in values.items() if v}}
            )
        elif text == "de persoon heeft de volgende 'inschrijving' gegevens":
            header = step.table[0]
            if header == ["naam", "waarde"]:
                values = {element(k): v for k, v in step.pairs().items()}
            else:
                values = _elements(step)
            self.person.registration.update({f"07.{k}": v for k, v in values.items()})
        elif match := re.fullmatch(
            r"er zijn (\d+) personen ingeschreven op adres '(\w+)' met de volgende gegevens", text
        ):
            for _ in range(int(match.group(1))):
                self.people.append(PersonSpec(self.next_bsn()))
                self.person.holdings.append(self.holding_at(match.group(2), _elements(step)))
        elif match := re.fullmatch(
            r"adres '(\w+)' is op '([\d-]+)' geactualiseerd met de volgende gegevens", text
        ):
            alias, day = match.group(1), match.group(2)
            changed = f"{alias}@{day}"
            self.addresses[changed] = {
                **self.addresses[alias],
                **{element(k): v for k, v in step.rows()[0].items()},
            }
            self._move_all(alias, changed, day)
        elif match := re.fullmatch(
            r"adres '(\w+)' is op '([\d-]+)' samengevoegd tot adres '(\w+)' met de volgende gegevens", text
        ):
            alias, day, merged = match.groups()
            self.addresses[merged] = {element(k): v for k, v in step.rows()[0].items()}
            self._move_all(alias, merged, day)
        elif match := re.fullmatch(r"adres '(\w+)' is gesplitst in adressen met de volgende gegevens", text):
            for row in step.rows():
                self.addresses[row["adres"]] = {element(k): v for k, v in row.items() if k != "adres"}
        elif text == "bewoning wordt gezocht met de volgende parameters":
            self.request = dict(step.pairs())
        else:
            raise AssertionError(f"unknown step: {text}")

    def _move_all(self, alias: str, target: str, day: str) -> None:
        """Everyone whose last holding is at ``alias`` gets a holding at ``target`` from ``day``."""
        for person in self.people:
            if person.holdings and person.holdings[-1].get("_address") == alias:
                person.holdings.append(self.holding_at(target, {"10.30": day.replace("-", ""), "72.10": "W"}))

    def extract(self) -> bytes:
        """The people as a GBA-V extract (semicolon-separated, newest holding first)."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        columns = [*PERSON_COLUMNS, *HOLDING_COLUMNS]
        writer.writerow(["", *columns])
        for number, person in enumerate(self.people, start=1):
            holdings = list(reversed(person.holdings))
            first = {
                "01.01.10": f"{1_000_000_000 + number}",
                "01.01.20": person.bsn,
                "01.02.40": f"Persoon{number}",
                **person.registration,
                **holdings[0],
            }
            writer.writerow([f"P{number}", *(first.get(c, "") for c in columns)])
            for holding in holdings[1:]:
                writer.writerow(["", *(holding.get(c, "") for c in columns)])
        return out.getvalue().encode("utf-8")


def _elements(step: Step) -> dict[str, str]:
    """A one-row table of elements, keyed 'GG.EE' (the category is the caller's)."""
    return {element(k): v for k, v in step.rows()[0].items()}


@dataclass
class Expected:
    bewoningen: list[dict[str, Any]] | None = None
    counts: tuple[int, int] | None = None
    problem: dict[str, str] | None = None
    invalid_params: list[dict[str, str]] | None = None

    def then(self, step: Step) -> None:
        text = step.text
        if text == "heeft de response 0 bewoningen":
            self.bewoningen = []
        elif text == "heeft de response een bewoning met de volgende gegevens":
            values = step.pairs()
            van, tot = values["periode"].split(" tot ")
            self.bewoningen = [
                *(self.bewoningen or []),
                {
                    "periode": (van, tot),
                    "object": values["adresseerbaarObjectIdentificatie"],
                    "veel": values.get("indicatieVeelBewoners") == "true",
                    "bewoners": [],
                    "mogelijkeBewoners": [],
                },
            ]
        elif match := re.fullmatch(
            r"heeft de bewoning (?:een |)(mogelijke )?bewoners? met de volgende gegevens", text
        ):
            assert self.bewoningen
            kind = "mogelijkeBewoners" if match.group(1) else "bewoners"
            self.bewoningen[-1][kind].extend(bewoner_key(row) for row in step.rows())
        elif text == "heeft de bewoning geen bewoners en geen mogelijke bewoners":
            assert self.bewoningen
        elif match := re.fullmatch(
            r"heeft de response een bewoning met (\d+) bewoners en (\d+) mogelijke bewoners", text
        ):
            self.counts = (int(match.group(1)), int(match.group(2)))
        elif text == "heeft de response een object met de volgende gegevens":
            self.problem = step.pairs()
        elif text == "heeft het object de volgende 'invalidParams' gegevens":
            self.invalid_params = step.rows()
        else:
            raise AssertionError(f"unknown step: {text}")


def bewoner_key(row: dict[str, Any]) -> tuple[str, Any, Any]:
    """A (possible) resident as the scenarios check it: BSN and the two markers, absent or true."""

    def flag(name: str) -> bool | None:
        value = row.get(name)
        if value in (None, ""):
            return None
        return value in (True, "true")

    return (row["burgerservicenummer"], flag("geheimhoudingPersoonsgegevens"), flag("inOnderzoek"))


def actual_bewoningen(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "periode": (b["periode"]["datumVan"], b["periode"]["datumTot"]),
            "object": b["adresseerbaarObjectIdentificatie"],
            "veel": b.get("indicatieVeelBewoners", False),
            "bewoners": sorted(bewoner_key(r) for r in b["bewoners"]),
            "mogelijkeBewoners": sorted(bewoner_key(r) for r in b["mogelijkeBewoners"]),
        }
        for b in body["bewoningen"]
    ]
