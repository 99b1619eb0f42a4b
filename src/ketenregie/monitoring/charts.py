"""One chart definition for the web page and the PDF: Vega-Lite specifications rendered by vl-convert.

The same SVG goes into the report page (as an image, so the page's Content-Security-Policy stays
strict) and into the PDF. Every chart comes with a table or caption of its data for screen-reader users.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from ketenregie.core.suppression import Shown

CHART_WIDTH = 440
COLOURS = {"outcome": "#b8002e", "target": "#666666", "previous": "#e3a0ad", "neutral": "#335f8a"}
# A font both vl-convert (which lays out the chart) and WeasyPrint (which draws it in the PDF) find on the
# system, so label widths are measured with the font that draws them.
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


def _base(title: str, height: int = 150) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "anchor": "start", "font": FONT, "fontSize": 14},
        "width": CHART_WIDTH,
        "height": height,
        "config": {
            "font": FONT,
            "axis": {"labelFontSize": 11, "titleFontSize": 11, "labelLimit": 320},
            "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
            "view": {"stroke": None},
        },
    }


def _note(spec: dict[str, Any], shown: Sequence[Shown]) -> None:
    """Say under the title that a figure is left out, rather than draw it or a bar of zero."""
    hidden = [item.text for item in shown if item.suppressed]
    if hidden:
        marker = next((text for text in hidden if text.startswith("<")), hidden[0])
        spec["title"]["subtitle"] = _("%(marker)s: small numbers are not shown") % {"marker": marker}
        spec["title"]["subtitleFontSize"] = 11


def years_chart(
    *,
    title: str,
    series: Sequence[tuple[str, Shown]],
    target: Sequence[tuple[str, Decimal | None]] = (),
    unit_label: str = "",
) -> dict[str, Any]:
    """Bars per year, with the target per year as a tick where one is set.

    Only what may be shown reaches the chart: a suppressed year gets no bar, its text ('<5') stands on the
    axis and the subtitle says that such figures are not shown.
    """
    drawn = [
        {"year": year, "value": item.chart_value, "label": item.text}
        for year, item in series
        if item.chart_value is not None
    ]
    hidden = [{"year": year, "value": 0, "label": item.text} for year, item in series if item.suppressed]
    targets = [{"year": year, "value": float(value)} for year, value in target if value is not None]
    spec = _base(title)
    _note(spec, [item for _year, item in series])
    x = {"field": "year", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}}
    spec["layer"] = [
        {
            "data": {"values": drawn},
            "mark": {"type": "bar", "color": COLOURS["outcome"], "width": {"band": 0.6}},
            "encoding": {"x": x, "y": {"field": "value", "type": "quantitative", "title": unit_label}},
        },
        {
            "data": {"values": drawn + hidden},
            "mark": {"type": "text", "dy": -6, "fontSize": 11},
            "encoding": {
                "x": {"field": "year", "type": "ordinal"},
                "y": {"field": "value", "type": "quantitative"},
                "text": {"field": "label", "type": "nominal"},
            },
        },
    ]
    if targets:
        spec["layer"].append(
            {
                "data": {"values": targets},
                "mark": {"type": "tick", "color": COLOURS["target"], "thickness": 3, "size": 40},
                "encoding": {
                    "x": {"field": "year", "type": "ordinal"},
                    "y": {"field": "value", "type": "quantitative"},
                },
            }
        )
    return spec


def bars_chart(*, title: str, rows: Sequence[tuple[str, Shown]], unit_label: str = "") -> dict[str, Any]:
    """Horizontal bars, e.g. neighbourhoods, largest first; a suppressed row is named without a bar."""
    values = [
        {"label": label, "value": item.chart_value, "shown": item.text}
        for label, item in rows
        if item.chart_value is not None
    ]
    hidden = [{"label": label, "value": 0, "shown": item.text} for label, item in rows if item.suppressed]
    spec = _base(title, height=max(60, 22 * (len(values) + len(hidden))))
    _note(spec, [item for _label, item in rows])
    y = {"field": "label", "type": "nominal", "sort": "-x", "title": None}
    spec["layer"] = [
        {
            "data": {"values": values},
            "mark": {"type": "bar", "color": COLOURS["neutral"]},
            "encoding": {"y": y, "x": {"field": "value", "type": "quantitative", "title": unit_label}},
        },
        {
            "data": {"values": hidden},
            "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 11},
            "encoding": {
                "y": {"field": "label", "type": "nominal", "title": None},
                "x": {"field": "value", "type": "quantitative"},
                "text": {"field": "shown", "type": "nominal"},
            },
        },
    ]
    return spec


def outcome_target_chart(*, title: str, rows: Sequence[tuple[str, Shown]]) -> dict[str, Any]:
    """Per indicator: outcome as a percentage of the target (100% = target met); hidden shares left out."""
    values = [
        {"label": label, "share": round(share.chart_value, 1)}
        for label, share in rows
        if share.chart_value is not None
    ]
    spec = _base(title, height=max(60, 26 * len(values)))
    _note(spec, [share for _label, share in rows])
    spec["layer"] = [
        {
            "data": {"values": values},
            "mark": {"type": "bar", "color": COLOURS["outcome"]},
            "encoding": {
                "y": {"field": "label", "type": "nominal", "title": None},
                "x": {"field": "share", "type": "quantitative", "title": "% van de doelstelling"},
            },
        },
        {
            "data": {"values": [{"x": 100}]},
            "mark": {"type": "rule", "color": COLOURS["target"], "strokeWidth": 2},
            "encoding": {"x": {"field": "x", "type": "quantitative"}},
        },
    ]
    return spec


@lru_cache(maxsize=512)
def _svg(spec_json: str) -> str:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(json.loads(spec_json)))


def to_svg(spec: dict[str, Any]) -> str:
    return _svg(json.dumps(spec, sort_keys=True))


def to_data_uri(spec: dict[str, Any]) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(to_svg(spec).encode()).decode()
