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


def years_chart(
    *,
    title: str,
    series: Sequence[tuple[str, Decimal | None]],
    target: Sequence[tuple[str, Decimal | None]] = (),
    unit_label: str = "",
    shown: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Bars per year, with the target per year as a tick where one is set.

    ``shown`` is the text per bar; where it is a suppressed count ('<5') the bar is drawn at zero.
    """
    labels = list(shown) if shown is not None else [None] * len(series)
    values = [
        {
            "year": year,
            "value": 0.0 if (label or "").startswith("<") else float(value),
            "label": label if label is not None else f"{value:,.0f}".replace(",", "."),
        }
        for (year, value), label in zip(series, labels, strict=True)
        if value is not None
    ]
    targets = [{"year": year, "value": float(value)} for year, value in target if value is not None]
    spec = _base(title)
    spec["layer"] = [
        {
            "data": {"values": values},
            "mark": {"type": "bar", "color": COLOURS["outcome"], "width": {"band": 0.6}},
            "encoding": {
                "x": {"field": "year", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
                "y": {"field": "value", "type": "quantitative", "title": unit_label},
            },
        },
        {
            "data": {"values": values},
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


def bars_chart(
    *, title: str, rows: Sequence[tuple[str, Decimal | None]], unit_label: str = ""
) -> dict[str, Any]:
    """Horizontal bars, e.g. neighbourhoods, largest first."""
    values = [{"label": label, "value": float(value)} for label, value in rows if value is not None]
    spec = _base(title, height=max(60, 22 * len(values)))
    spec["data"] = {"values": values}
    spec["mark"] = {"type": "bar", "color": COLOURS["neutral"]}
    spec["encoding"] = {
        "y": {"field": "label", "type": "nominal", "sort": "-x", "title": None},
        "x": {"field": "value", "type": "quantitative", "title": unit_label},
    }
    return spec


def outcome_target_chart(
    *, title: str, rows: Sequence[tuple[str, Decimal | None, Decimal | None]]
) -> dict[str, Any]:
    """Per indicator: outcome against target, as a percentage of the target (100% = target met)."""
    values = []
    for label, outcome, target in rows:
        if outcome is not None and target:
            values.append({"label": label, "share": round(float(outcome / target * 100), 1)})
    spec = _base(title, height=max(60, 26 * len(values)))
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
