"""Small-count suppression: the one rule for every figure that is public or put before the council.

A count below the municipality's threshold (``Norms.suppression_threshold``, 5 unless an administrator
changed it) is shown as '<5': with so few people, employers or addresses behind a number, the number
itself could point at someone. Zero is suppressed too, so that a '0' next to a total cannot show that
everyone in it shares a property.

``Suppression.shown`` decides, for every table cell, key-figure card, chart, map, CSV and PDF. It
returns a ``Shown``: the text to print and the number a chart or a calculation may use, which is
``None`` when the figure is suppressed, so a chart never even receives the number it must not draw.

Derived figures follow the counts they are made of (``Suppression.derived``): a percentage, a change
against last year, an average or a cost per unit computed from a count below the threshold — in the
numerator or the denominator — is suppressed as well (3 of 4 = 75% gives both counts away).

Audiences: public pages, the council, the yearly report, monitoring pages and their exports always get
suppressed figures (``Suppression.public``). Only on staff pages for a role that may see the personal
data behind a count anyway are exact figures shown (``Suppression.for_actor``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ketenregie.core.actor import Actor
    from ketenregie.core.models import Municipality

COUNT_UNITS = frozenset({"count", "persons", "addresses"})
MISSING = "–"


@dataclass(frozen=True)
class Shown:
    """A figure as it may be shown: ``text`` for people, ``value`` for charts (``None`` when hidden)."""

    text: str
    value: Decimal | None
    suppressed: bool = False

    def __str__(self) -> str:
        return self.text

    @property
    def chart_value(self) -> float | None:
        return None if self.value is None else float(self.value)


def format_figure(value: Decimal | int, *, unit: str) -> str:
    """Dutch notation: 1.234 and 12,50 (with the decimals the value has); percentages with one decimal."""
    if unit == "percentage":
        return f"{Decimal(value).quantize(Decimal('0.1'))}%".replace(".", ",")
    number = Decimal(value)
    text = f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@dataclass(frozen=True)
class Suppression:
    """The rule with the municipality's threshold, for one audience."""

    threshold: int
    exact: bool = False

    @classmethod
    def public(cls, municipality: Municipality) -> Suppression:
        """For anything public or for the council: always suppressed, with the municipality's threshold."""
        from ketenregie.core.selectors import norms_for

        return cls(threshold=int(norms_for(municipality).suppression_threshold))

    @classmethod
    def for_actor(cls, actor: Actor) -> Suppression:
        """Staff pages: exact only for a role that may see the personal data behind the counts."""
        from ketenregie.core.permissions import Capability

        rule = cls.public(actor.municipality)
        return cls(threshold=rule.threshold, exact=actor.can(Capability.VIEW_PERSONAL_DATA))

    @property
    def hidden_text(self) -> str:
        return f"<{self.threshold}"

    def is_small(self, value: Decimal | int | None, *, unit: str) -> bool:
        return not self.exact and value is not None and unit in COUNT_UNITS and value < self.threshold

    def shown(self, value: Decimal | int | None, *, unit: str = "count") -> Shown:
        """The one decision: how a figure in ``unit`` appears, and what a chart may draw of it."""
        if value is None:
            return Shown(MISSING, None)
        if self.is_small(value, unit=unit):
            return Shown(self.hidden_text, None, suppressed=True)
        return Shown(format_figure(value, unit=unit), Decimal(value))

    def derived(self, value: Decimal | int | None, *, unit: str, inputs: Iterable[Shown]) -> Shown:
        """A figure computed from others (a share, a change, an average): hidden when any input is."""
        if any(item.suppressed for item in inputs):
            return Shown(MISSING, None, suppressed=True)
        return self.shown(value, unit=unit)
