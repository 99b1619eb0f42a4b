from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.monitoring import charts
from ketenregie.monitoring.migration_monitor import migration_monitor
from ketenregie.web.decorators import staff_view


@staff_view(Capability.VIEW_MONITORING)
def migration(request: HttpRequest, actor: Actor) -> HttpResponse:
    monitor = migration_monitor(actor=actor)
    figure_charts = [
        (
            group,
            charts.to_data_uri(
                charts.years_chart(
                    title=group.label, series=group.realised_series, target=group.target_series
                )
            ),
        )
        for group in monitor.groups
    ]
    return render(request, "monitoring/migration.html", {"monitor": monitor, "figure_charts": figure_charts})
