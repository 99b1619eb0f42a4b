"""Small-count suppression for anything that leaves the staff application.

A count below the municipality's threshold (5 unless an administrator changed it) is shown as '<5':
with so few people behind a number, the number itself could point at someone.
"""

from __future__ import annotations

from decimal import Decimal

COUNT_UNITS = frozenset({"count", "persons", "addresses"})


def suppressed(value: Decimal | int | None, *, unit: str, threshold: int) -> str:
    if value is None:
        return "–"
    if unit in COUNT_UNITS and value < threshold:
        return f"<{threshold}"
    if unit == "percentage":
        return f"{Decimal(value).quantize(Decimal('0.1'))}%".replace(".", ",")
    number = Decimal(value)
    text = f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def is_suppressed(value: Decimal | int | None, *, unit: str, threshold: int) -> bool:
    return value is not None and unit in COUNT_UNITS and value < threshold
