"""Risk selection's long work as tasks (operations.registry): a run, and pruning old runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.operations.registry import Progress, task_kind
from ketenregie.risk import services
from ketenregie.risk.scoring import score_municipality

RUN_STEPS = 3


def _run_params(params: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(params) - {"as_of"}
    if unknown:
        raise ValidationError(_("A risk run takes only a reference date, not %(names)s.")
                              % {"names": ", ".join(sorted(unknown))})  # fmt: skip
    as_of = params.get("as_of")
    if as_of is None:
        return {}
    if isinstance(as_of, str):
        try:
            as_of = dt.date.fromisoformat(as_of)
        except ValueError:
            raise ValidationError({"as_of": _("Give the reference date as YYYY-MM-DD.")}) from None
    if not isinstance(as_of, dt.date):
        raise ValidationError({"as_of": _("Give the reference date as YYYY-MM-DD.")})
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("The reference date cannot lie in the future.")})
    return {"as_of": as_of.isoformat()}


@task_kind(
    "risk_run",
    label=gettext_lazy("Risk run"),
    capability=Capability.RUN_RISK,
    clean_params=_run_params,
    page_url=lambda result: f"{reverse('risk:score_list')}?run={result['run_id']}",
    api_url=lambda result: reverse("api:risk-run-detail", args=[result["run_id"]]),
)
def risk_run(actor: Actor, progress: Progress, *, as_of: str | None = None) -> dict[str, Any]:
    """Score every address and employer; the scores are read and computed first, then saved at once."""
    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    progress(0, RUN_STEPS, _("Reading the registers"))
    scored = score_municipality(
        actor.municipality,
        as_of=day,
        on_exported=lambda: progress(1, RUN_STEPS, _("Scoring addresses and employers")),
    )
    progress(2, RUN_STEPS, _("Saving the scores"))
    run = services.risk_run(actor=actor, as_of=day, scored=scored)
    count = number_format(run.address_count, force_grouping=True)
    progress(3, RUN_STEPS, _("Scored %(count)s addresses") % {"count": count})
    return {"run_id": run.pk, "reference": run.reference}


@task_kind("risk_prune", label=gettext_lazy("Pruning old risk runs"), capability=Capability.RUN_RISK)
def risk_prune(actor: Actor, progress: Progress) -> dict[str, Any]:
    progress(0, 1, _("Removing old risk runs"))
    removed = services.risk_runs_prune(actor=actor)
    progress(1, 1, _("Removed %(count)s runs") % {"count": removed})
    return {"removed": removed}
