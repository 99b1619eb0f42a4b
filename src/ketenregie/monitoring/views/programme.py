from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.monitoring import selectors
from ketenregie.monitoring.report import build_annual_report, render_report_pdf
from ketenregie.monitoring.views.common import requested_year
from ketenregie.web.decorators import staff_view


@staff_view(Capability.VIEW_MONITORING)
def programme(request: HttpRequest, actor: Actor) -> HttpResponse:
    year = requested_year(request)
    return render(
        request,
        "monitoring/programme.html",
        {
            "year": year,
            "results": selectors.programme_results(actor=actor, year=year),
            "years": list(range(year - 3, timezone.localdate().year + 1)),
        },
    )


@staff_view(Capability.VIEW_MONITORING)
def report_latest(request: HttpRequest, actor: Actor) -> HttpResponse:
    return redirect("monitoring:report", year=timezone.localdate().year - 1)


@staff_view(Capability.VIEW_MONITORING)
def report(request: HttpRequest, actor: Actor, year: int) -> HttpResponse:
    built = build_annual_report(actor=actor, year=year)
    return render(
        request,
        "monitoring/report_page.html",
        {
            "report": built,
            "years": list(range(year - 3, timezone.localdate().year + 1)),
        },
    )


@staff_view(Capability.VIEW_MONITORING)
def report_pdf(request: HttpRequest, actor: Actor, year: int) -> HttpResponse:
    built = build_annual_report(actor=actor, year=year)
    response = HttpResponse(render_report_pdf(built), content_type="application/pdf")
    name = f"voortgangsrapportage-arbeidsmigratie-{actor.municipality.code}-{year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
