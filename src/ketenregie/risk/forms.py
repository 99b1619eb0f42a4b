from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.core.actor import Actor
from ketenregie.risk import engine, selectors
from ketenregie.risk.explain import rule_names
from ketenregie.risk.selectors import ScoreFilter


class ScoreFilterForm(forms.Form):
    neighbourhood = forms.TypedChoiceField(
        label=_("Neighbourhood"), required=False, coerce=int, empty_value=None
    )
    rule = forms.ChoiceField(
        label=_("Only addresses scored on"),
        required=False,
        help_text=_("For example only addresses with an overcrowding contribution."),
    )
    min_score = forms.IntegerField(label=_("Minimum score"), required=False, min_value=0, max_value=10_000)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].choices = [("", _("All neighbourhoods"))] + [  # type: ignore[attr-defined]
            (n.pk, n.name) for n in selectors.neighbourhoods(actor=actor)
        ]
        self.fields["rule"].choices = [("", _("any rule")), *rule_names().items()]  # type: ignore[attr-defined]

    def to_filter(self) -> ScoreFilter:
        if not self.is_bound or not self.is_valid():
            return ScoreFilter()
        data = self.cleaned_data
        return ScoreFilter(
            neighbourhood_id=data.get("neighbourhood"),
            rule=data.get("rule") or "",
            min_score=data.get("min_score"),
        )


class ControlListForm(forms.Form):
    neighbourhood = forms.TypedChoiceField(
        label=_("Scope"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The whole municipality, or one neighbourhood."),
    )
    top_n = forms.IntegerField(label=_("Number of addresses"), min_value=1, max_value=1000, initial=50)
    exclude_visited_days = forms.IntegerField(
        label=_("Leave out addresses visited in the last (days)"),
        min_value=0,
        max_value=3650,
        initial=180,
        help_text=_(
            "Addresses with a finding in this period, or in a case that is still open, are left out."
        ),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].choices = [("", _("Whole municipality"))] + [  # type: ignore[attr-defined]
            (n.pk, n.name + (" ★" if n.is_priority else "")) for n in selectors.neighbourhoods(actor=actor)
        ]


class SetAsideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for setting aside"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


# Labels of the rule settings: the weight or threshold of each rule (the engine's field names).
def setting_label(name: str) -> str:
    names = rule_names()
    extra = {
        "norm_m2": _("Floor area norm per person in a dwelling (m²)"),
        "norm_caravan_m2": _("Floor area norm per person in a caravan (m²)"),
        "overcrowding_points_per_tenth": _("overcrowding: points per tenth of the norm short"),
        "signals_points_each": _("meldingen: points per melding"),
        "signals_max_points": _("meldingen: at most"),
        "short_stays_min_departures": _("short stays: minimum number of departures"),
        "short_stays_share": _("short stays: minimum share under 90 days (0–1)"),
        "employer_violations_points_each": _("employer: points per proven violation"),
        "employer_violations_max_points": _("employer: at most for violations"),
        "employer_not_certified_points": _("employer: temp agency without SNA certification"),
        "employer_crowded_housing_threshold": _("employer: workers per housing location from"),
        "employer_crowded_housing_points": _("employer: crowded housing"),
        "employer_signals_threshold": _("employer: meldingen at its workers' addresses from"),
        "employer_signals_points": _("employer: meldingen at its workers' addresses"),
    }
    if name in extra:
        return str(extra[name])
    for suffix, template in (
        ("_points", _("%(rule)s: points")),
        ("_threshold", _("%(rule)s: from")),
    ):
        if name.endswith(suffix) and name[: -len(suffix)] in names:
            return str(template % {"rule": names[name[: -len(suffix)]]})
    return name.replace("_", " ")


class RulesForm(forms.Form):
    """One number per setting of the engine's RuleSet; the engine itself checks the whole set."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        help_text=_("Recorded with the change, for the algorithm register and the audit."),
    )

    def __init__(self, *args: Any, rules: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setting_names = list(engine.RuleSet().to_dict())
        defaults = engine.RuleSet().to_dict()
        for name in self.setting_names:
            value = rules.get(name)
            if isinstance(defaults[name], float):
                # Norms divide: zero is not allowed. Shares are at most 1.
                field: forms.Field = forms.FloatField(
                    label=setting_label(name),
                    min_value=0.1 if name.startswith("norm_") else 0,
                    max_value=1 if name.endswith("_share") else None,
                    initial=value,
                    localize=True,
                )
            else:
                field = forms.IntegerField(label=setting_label(name), min_value=0, initial=value)
            self.fields[name] = field

    def add_rules_error(self, message: str) -> None:
        """Put the engine's refusal next to the setting it names, or above the form."""
        named = next((name for name in self.setting_names if f"'{name}'" in message), None)
        self.add_error(named, message)

    def rules(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.setting_names}

    def setting_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.setting_names]
