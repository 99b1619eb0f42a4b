"""Monitoring's long work as a task (operations.registry): computing the key figures again."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.monitoring import services
from ketenregie.operations.registry import Progress, task_kind

# The years `ketenregie monitoring refresh` computes by default: this one and the three before.
YEARS_BACK = 3


@task_kind("monitoring_refresh", label=gettext_lazy("Refreshing the key figures"),
           capability=Capability.EDIT_MONITORING)  # fmt: skip
def monitoring_refresh(actor: Actor, progress: Progress) -> dict[str, Any]:
    this_year = timezone.localdate().year
    years = list(range(this_year - YEARS_BACK, this_year + 1))
    done = [0]

    def year_done(message: str) -> None:
        done[0] += 1
        progress(done[0], len(years), _("Computed %(count)s of %(total)s years") % {"count": done[0],
                 "total": len(years)})  # fmt: skip

    progress(0, len(years), _("Computing the key figures"))
    stored = services.refresh_values(municipality=actor.municipality, years=years, progress=year_done)
    return {"values": stored}
