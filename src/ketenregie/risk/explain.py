"""Sentences for the engine's contributions: "12 persons on 64 m²: +35", "Floor area unknown: not scored".

Every contribution of a score becomes exactly one line with its points, so the lines shown add up to
the score. A rule this module has no sentence for still gets a line (its key and values), never none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy


@dataclass(frozen=True)
class Line:
    key: str
    points: int
    text: str

    @property
    def is_unknown(self) -> bool:
        return self.key.startswith("unknown_")

    @property
    def label(self) -> str:
        """The sentence with its points, as a list shows it."""
        if self.is_unknown and not self.points:
            return _("%(text)s: not scored") % {"text": self.text}
        return f"{self.text}: +{self.points}"


def _n(value: Any, digits: int = 0) -> str:
    if value is None:
        return "?"
    if isinstance(value, float) and digits == 0 and not value.is_integer():
        digits = 1
    return number_format(value, decimal_pos=digits if isinstance(value, float) else None, use_l10n=True)


def _count(values: Mapping[str, Any], *names: str) -> int:
    for name in names:
        if values.get(name) is not None:
            try:
                return int(values[name])
            except (TypeError, ValueError):
                return 0
    return 0


def _first(values: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        if values.get(name) is not None:
            return values[name]
    return None


def _overcrowding(v: Mapping[str, Any]) -> str:
    persons = _count(v, "persons")
    return ngettext("%(persons)s person on %(area)s m²", "%(persons)s persons on %(area)s m²", persons) % {
        "persons": _n(persons),
        "area": _n(v.get("floor_area_m2")),
    }


def _counted(column: str, phrase: Any) -> Callable[[Mapping[str, Any]], str]:
    """A sentence about one count, ``phrase`` being ngettext_lazy(singular, plural, "number").

    The plural form is chosen by the count itself and the text shows it formatted for the language.
    """

    def make(v: Mapping[str, Any]) -> str:
        count = _count(v, column)
        return str(phrase % {"number": count, "count": _n(count)})

    return make


def _growth(months: int, column: str) -> Callable[[Mapping[str, Any]], str]:
    def make(v: Mapping[str, Any]) -> str:
        change = _count(v, column)
        return ngettext(
            "%(count)s more person registered than %(months)s months ago",
            "%(count)s more persons registered than %(months)s months ago",
            change,
        ) % {"count": _n(change), "months": months}

    return make


def _turnover(v: Mapping[str, Any]) -> str:
    return _("%(arrivals)s arrivals and %(departures)s departures in 12 months") % {
        "arrivals": _n(_count(v, "arrivals_12m")),
        "departures": _n(_count(v, "departures_12m")),
    }


def _short_stays(v: Mapping[str, Any]) -> str:
    share = v.get("short_stay_share")
    percent = round(float(share) * 100) if share is not None else None
    return _("%(percent)s%% of the %(departures)s stays that ended in 12 months lasted under 90 days") % {
        "percent": _n(percent),
        "departures": _n(_count(v, "departures_12m")),
    }


def _crowded_housing(v: Mapping[str, Any]) -> str:
    return _("%(workers)s workers housed at %(locations)s housing locations") % {
        "workers": _n(_count(v, "housed_workers")),
        "locations": _n(_count(v, "housing_locations")),
    }


SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "overcrowding": _overcrowding,
    "many_persons": _counted(
        "persons",
        ngettext_lazy("%(count)s person registered", "%(count)s persons registered", "number"),
    ),
    "growth_3m": _growth(3, "persons_change_3m"),
    "growth_12m": _growth(12, "persons_change_12m"),
    "turnover": _turnover,
    "short_stays": _short_stays,
    "many_employers": _counted(
        "distinct_employers",
        ngettext_lazy(
            "Residents work for %(count)s employer",
            "Residents work for %(count)s different employers",
            "number",
        ),
    ),
    "temp_agencies": _counted(
        "distinct_temp_agencies",
        ngettext_lazy(
            "Residents work through %(count)s temp agency",
            "Residents work through %(count)s different temp agencies",
            "number",
        ),
    ),
    "non_residential": _counted(
        "non_residential_persons",
        ngettext_lazy(
            "%(count)s person registered where the BAG has no residential use",
            "%(count)s persons registered where the BAG has no residential use",
            "number",
        ),
    ),
    "signals": _counted(
        "signals_12m",
        ngettext_lazy("%(count)s melding in 12 months", "%(count)s meldingen in 12 months", "number"),
    ),
    "overcrowding_signals": _counted(
        "signals_12m_overcrowding",
        ngettext_lazy(
            "%(count)s melding about overcrowding in 12 months",
            "%(count)s meldingen about overcrowding in 12 months",
            "number",
        ),
    ),
    "earlier_findings": _counted(
        "earlier_findings",
        ngettext_lazy(
            "%(count)s earlier visit found a violation",
            "%(count)s earlier visits found a violation",
            "number",
        ),
    ),
    "earlier_measures": _counted(
        "earlier_measures",
        ngettext_lazy("%(count)s earlier measure", "%(count)s earlier measures", "number"),
    ),
    "rni_persons": _counted(
        "rni_persons",
        ngettext_lazy(
            "%(count)s person registered here in the RNI (non-residents)",
            "%(count)s persons registered here in the RNI (non-residents)",
            "number",
        ),
    ),
    "violating_employers": _counted(
        "residents_of_violating_employers",
        ngettext_lazy(
            "%(count)s resident works for an employer with a proven violation in 24 months",
            "%(count)s residents work for an employer with a proven violation in 24 months",
            "number",
        ),
    ),
    "employer_violations": _counted(
        "violations_24m",
        ngettext_lazy(
            "%(count)s proven violation in 24 months", "%(count)s proven violations in 24 months", "number"
        ),
    ),
    "employer_crowded_housing": _crowded_housing,
    "employer_signals": _counted(
        "signals_12m_at_worker_addresses",
        ngettext_lazy(
            "%(count)s melding in 12 months at its workers' addresses",
            "%(count)s meldingen in 12 months at its workers' addresses",
            "number",
        ),
    ),
}


def _fixed(key: str) -> str | None:
    texts = {
        "housing_without_mark": _("Housing location without a valid quality mark"),
        "housing_without_permit": _("Housing location without a valid permit"),
        "mark_expiring": _("Quality mark expires within 90 days"),
        "employer_not_certified": _("Temp agency without SNA certification"),
        "unknown_floor_area": _("Floor area unknown"),
        "unknown_use_purpose": _("Use purpose unknown in the BAG"),
        "unknown_bag_id": _("Not identified in the BAG"),
        "unknown_sna_certification": _("SNA certification unknown"),
    }
    return texts.get(key)


# Filter choices on the list pages: the address rules, in the engine's order, with a short name.
def rule_names() -> dict[str, str]:
    return {
        "overcrowding": _("overcrowding (floor area per person)"),
        "many_persons": _("many persons registered"),
        "growth_3m": _("growth in 3 months"),
        "growth_12m": _("growth in 12 months"),
        "turnover": _("turnover"),
        "short_stays": _("short stays"),
        "many_employers": _("many employers"),
        "temp_agencies": _("several temp agencies"),
        "non_residential": _("living without residential use"),
        "housing_without_mark": _("housing without quality mark"),
        "housing_without_permit": _("housing without permit"),
        "mark_expiring": _("quality mark expiring"),
        "signals": _("meldingen"),
        "overcrowding_signals": _("meldingen about overcrowding"),
        "earlier_findings": _("earlier violations"),
        "earlier_measures": _("earlier measures"),
        "rni_persons": _("RNI registrations"),
        "violating_employers": _("employer with a proven violation"),
    }


def sentence(key: str, values: Mapping[str, Any]) -> str:
    fixed = _fixed(key)
    if fixed is not None:
        return fixed
    make = SENTENCES.get(key)
    if make is not None:
        return make(values)
    shown = ", ".join(
        f"{name} {_n(value) if isinstance(value, (int, float)) else value}" for name, value in values.items()
    )
    label = key.replace("_", " ").capitalize()
    return f"{label} ({shown})" if shown else label


def explain(contributions: Iterable[Mapping[str, Any]]) -> list[Line]:
    """One line per stored contribution ({key, points, values}), highest points first."""
    lines = [
        Line(
            key=str(c.get("key", "")),
            points=int(c.get("points") or 0),
            text=sentence(str(c.get("key", "")), c.get("values") or {}),
        )
        for c in contributions
    ]
    return sorted(lines, key=lambda line: (-line.points, line.is_unknown, line.key))


def total(lines: Iterable[Line]) -> int:
    return sum(line.points for line in lines)
