from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.core.actor import Actor
from ketenregie.core.kpi import Period
from ketenregie.core.permissions import Capability
from ketenregie.core.suppression import Suppression
from ketenregie.monitoring import selectors, services
from ketenregie.monitoring.forms import ManualValueForm
from ketenregie.monitoring.models import IndicatorSource
from ketenregie.monitoring.views.common import requested_year
from ketenregie.web.decorators import staff_view


@staff_view(Capability.VIEW_MONITORING)
def overview(request: HttpRequest, actor: Actor) -> HttpResponse:
    year = requested_year(request)
    rule = Suppression.public(actor.municipality)
    rows = []
    for indicator in selectors.indicators(actor=actor):
        value = selectors.value_of(indicator, Period.year(year))
        previous = selectors.value_of(indicator, Period.year(year - 1))
        rows.append(
            (
                indicator,
                rule.shown(value, unit=indicator.unit),
                rule.shown(previous, unit=indicator.unit),
            )
        )
    return render(
        request,
        "monitoring/overview.html",
        {"rows": rows, "year": year, "years": list(range(year - 4, year + 2))},
    )


@staff_view(Capability.VIEW_MONITORING)
def indicator_trace(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    """From a number in a report to its definition, its period, and (if the role allows) its records."""
    year = requested_year(request)
    trace = selectors.indicator_trace(actor=actor, code=code, period=Period.year(year))
    page = None
    if (
        trace.can_list_records
        and trace.definition
        and actor.can(trace.definition.records_capability)
        and request.GET.get("records") == "1"
    ):
        page = selectors.indicator_records_page(actor=actor, trace=trace, page_number=request.GET.get("page"))
    return render(
        request,
        "monitoring/trace.html",
        {
            "trace": trace,
            "year": year,
            "page": page,
            "may_list": bool(trace.definition and actor.can(trace.definition.records_capability)),
        },
    )


@staff_view(Capability.EDIT_MONITORING)
def manual_value_enter(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    indicator = selectors.indicator_get(actor=actor, code=code)
    year = requested_year(request)
    form = ManualValueForm(
        request.POST or None,
        initial={"period_start": dt.date(year, 1, 1), "period_end": dt.date(year, 12, 31)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.manual_value_record(
                actor=actor,
                indicator=indicator,
                period=Period(data["period_start"], data["period_end"] + dt.timedelta(days=1)),
                value=data["value"],
                source_note=data["source_note"],
                confirm_outside_range=data["confirm_outside_range"],
            )
        except ValidationError as error:
            form.add_error("value" if getattr(error, "code", "") == "implausible" else None, error)
        else:
            messages.success(request, _("The figure is recorded."))
            return redirect("monitoring:overview")
    return render(
        request,
        "monitoring/manual_value_form.html",
        {"form": form, "indicator": indicator, "is_manual": indicator.source == IndicatorSource.MANUAL},
    )


@staff_view(Capability.EDIT_MONITORING)
@require_POST
def refresh(request: HttpRequest, actor: Actor) -> HttpResponse:
    year = requested_year(request)
    stored = services.refresh_values(municipality=actor.municipality, years=[year - 1, year])
    messages.success(
        request,
        _("The figures for %(first)d and %(second)d are computed again (%(count)d values).")
        % {"first": year - 1, "second": year, "count": stored},
    )
    return redirect(f"{reverse('monitoring:overview')}?year={year}")
