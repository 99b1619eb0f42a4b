"""A small reader for the Dutch Gherkin of the BRP Bewoning scenarios: features, background,
rules, (abstract) scenarios with their examples, steps and data tables. Enough for those files;
not a general Gherkin parser."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

STEP_KEYWORDS = ("Gegeven", "Als", "Dan", "En", "Maar")
SCENARIO = re.compile(r"^(Abstract Scenario|Scenario Outline|Scenario):\s*(.*)$")


@dataclass
class Step:
    keyword: str
    text: str
    table: list[list[str]] = field(default_factory=list)

    def rows(self) -> list[dict[str, str]]:
        """The table as dicts keyed by its header."""
        header, *body = self.table
        return [dict(zip(header, row, strict=True)) for row in body]

    def pairs(self) -> dict[str, str]:
        """A two-column naam/waarde table as a dict."""
        return {row[0]: row[1] for row in self.table[1:]}


@dataclass
class Scenario:
    path: Path
    line: int
    rule: str
    name: str
    tags: list[str]
    steps: list[Step]
    examples: list[dict[str, str]] | None = None

    def expand(self) -> list[tuple[str, list[Step]]]:
        """(name, steps) for a scenario, or one per example of an abstract scenario."""
        if self.examples is None:
            return [(self.name, self.steps)]
        out = []
        for example in self.examples:

            def fill(text: str, example: dict[str, str] = example) -> str:
                for key, value in example.items():
                    text = text.replace(f"<{key}>", value)
                return text

            steps = [
                Step(s.keyword, fill(s.text), [[fill(c) for c in row] for row in s.table]) for s in self.steps
            ]
            out.append((fill(self.name), steps))
        return out


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip()[1:-1].split("|")]


def parse(path: Path) -> list[Scenario]:
    background: list[Step] = []
    scenarios: list[Scenario] = []
    rule = ""
    tags: list[str] = []
    target: list[Step] | None = None
    current: Scenario | None = None
    examples_header: list[str] | None = None
    in_examples = False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            tags.extend(line.split())
            continue
        if line.startswith("Achtergrond:"):
            target, current, in_examples = background, None, False
            continue
        if line.startswith("Rule:"):
            rule, target, current, in_examples = line[5:].strip(), None, None, False
            continue
        match = SCENARIO.match(line)
        if match:
            current = Scenario(path, number, rule, match.group(2), tags, [*background])
            current.examples = [] if match.group(1) != "Scenario" else None
            scenarios.append(current)
            target, tags, in_examples, examples_header = current.steps, [], False, None
            continue
        if line.startswith("Voorbeelden:"):
            in_examples, examples_header = True, None
            continue
        if line.startswith("|"):
            cells = _cells(line)
            if in_examples and current is not None:
                if examples_header is None:
                    examples_header = cells
                else:
                    assert current.examples is not None
                    current.examples.append(dict(zip(examples_header, cells, strict=True)))
            elif target:
                target[-1].table.append(cells)
            continue
        keyword = line.split(" ", 1)[0]
        if keyword in STEP_KEYWORDS and target is not None:
            # 'En' and 'Maar' continue the kind of the step before them.
            kind = target[-1].keyword if keyword in ("En", "Maar") and target else keyword
            if target is background and current is not None:
                target = current.steps
            target.append(Step(kind, line.split(" ", 1)[1]))
    return scenarios
