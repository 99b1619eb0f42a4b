"""The public dashboard at /{lang}/dashboard/: no login, no personal data, small counts suppressed."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language_info
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ketenregie.core.middleware import public_information
from ketenregie.core.selectors import municipality_find
from ketenregie.dashboard.texts import public_name
from ketenregie.monitoring.dashboard import (
    MAP_SIZE,
    dashboard_for,
    public_municipalities,
    publishing_municipality_ids,
    regional_for,
)

if TYPE_CHECKING:
    from ketenregie.core.models import Municipality


def in_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, lang: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if lang not in settings.PUBLIC_LANGUAGES:
            raise Http404("unknown language")
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            response = view(request, lang, *args, **kwargs)
            response.headers["Content-Language"] = lang
            return response

    return wrapped


def _page(request: HttpRequest, template: str, lang: str, context: dict[str, Any]) -> HttpResponse:
    """Render a public page with links to the same page in every public language."""
    rest = request.get_full_path()[len(lang) + 1 :]
    links = [
        (code, get_language_info(code)["name_local"], f"/{code}{rest}") for code in settings.PUBLIC_LANGUAGES
    ]
    return render(request, template, {**context, "lang": lang, "language_links": links})


def _year(request: HttpRequest) -> int:
    last_full = timezone.localdate().year - 1
    try:
        year = int(request.GET.get("jaar", last_full))
    except ValueError:
        return last_full
    return year if 2000 <= year <= last_full + 1 else last_full


def _municipality(code: str) -> Municipality:
    found = municipality_find(code, among=publishing_municipality_ids())
    if found is None:
        raise Http404("no public dashboard for this municipality")
    return found


@public_information
@require_GET
@in_language
def index(request: HttpRequest, lang: str) -> HttpResponse:
    municipalities = public_municipalities()
    if len(municipalities) == 1:
        return redirect("dashboard:municipality", lang=lang, code=municipalities[0].code)
    return _page(request, "dashboard/index.html", lang, {"municipalities": municipalities})


@public_information
@require_GET
@cache_control(public=True, max_age=300)
@in_language
def municipality(request: HttpRequest, lang: str, code: str) -> HttpResponse:
    board = dashboard_for(_municipality(code), year=_year(request))
    return _page(
        request,
        "dashboard/dashboard.html",
        lang,
        {
            "board": board,
            "map_width": MAP_SIZE[0],
            "map_height": MAP_SIZE[1],
            "years": list(range(board.year - 3, timezone.localdate().year)),
        },
    )


@public_information
@require_GET
@in_language
def regional(request: HttpRequest, lang: str, code: str) -> HttpResponse:
    chosen = _municipality(code)
    by = "riec_region" if request.GET.get("regio") == "riec" else "labour_market_region"
    year = _year(request)
    region, rows = regional_for(chosen, year=year, by=by)
    return _page(
        request,
        "dashboard/regional.html",
        lang,
        {
            "municipality": chosen,
            "region": region,
            "rows": rows,
            "year": year,
            "by": by,
        },
    )


@public_information
@require_GET
@in_language
def export(request: HttpRequest, lang: str, code: str) -> HttpResponse:
    """The dashboard's figures as CSV, with the same suppression as on screen."""
    board = dashboard_for(_municipality(code), year=_year(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{code}-{board.year}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        ["indicator", "code", *[str(year) for year, _shown in board.indicators[0].series]]
        if board.indicators
        else ["indicator", "code"]
    )
    for entry in board.indicators:
        writer.writerow(
            [
                str(public_name(entry.indicator.code, entry.indicator.name)),
                entry.indicator.code,
                *[shown.text for _y, shown in entry.series],
            ]
        )
    return response
