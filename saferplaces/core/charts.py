"""Charts as Vega-Lite specs built with altair. One spec serves both places it is shown: the
browser renders it with the vendored vega-embed, and documents (PDF reports) get the same spec
as SVG from vl-convert, in-process, with no HTTP fetch. altair is imported only when a chart is
built: importing it takes longer than most pages and commands need."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import altair as alt

BRAND = "#1d4f76"
SIMULATED = "#8a8f98"
WIDTH = 640


# Room around the drawing. vl-convert and browsers measure labels with their own fonts; a
# document printed with a wider font (WeasyPrint falls back to DejaVu Sans) would otherwise cut
# the first letters of long axis labels and the end of legend labels at the edge.
PADDING = {"left": 48, "right": 56, "top": 8, "bottom": 8}


def _base_config(chart: alt.TopLevelMixin, title: str) -> dict:
    spec = chart.properties(title=title, width=WIDTH, padding=PADDING).configure_axis(
        labelFontSize=12, titleFontSize=12, labelLimit=0).configure_legend(
        labelLimit=0).configure_view(stroke=None).to_dict()
    spec.pop("$schema", None)
    spec["$schema"] = "https://vega.github.io/schema/vega-lite/v6.json"
    return spec


def trend_chart(points: Sequence[dict], title: str, y_title: str = "Crimes",
                target: float | None = None, y_format: str = ",.0f") -> dict:
    """Monthly line chart. `points`: dicts with month (YYYY-MM), value, and optionally
    simulated (bool); simulated months are drawn grey and named in the legend. `y_format`:
    the d3 format of the value axis and tooltip (``numbers.axis_format``)."""
    import altair as alt

    data = [{"month": f"{p['month']}-01", "value": p["value"],
             "data": "Simulated (demonstration)" if p.get("simulated") else "police.uk"}
            for p in points]
    base = alt.Chart(alt.Data(values=data)).encode(
        x=alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=y_format)),
    )
    line = base.mark_line(color=BRAND)
    dots = base.mark_point(filled=True, size=40).encode(
        color=alt.Color("data:N", title="Data",
                        scale=alt.Scale(domain=["police.uk", "Simulated (demonstration)"],
                                        range=[BRAND, SIMULATED])),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"),
                 alt.Tooltip("value:Q", format=y_format), "data:N"],
    )
    layers = [line, dots]
    if target is not None:
        layers.append(alt.Chart(alt.Data(values=[{"target": target}])).mark_rule(
            strokeDash=[6, 4], color="#b10e1e").encode(y="target:Q"))
    return _base_config(alt.layer(*layers), title)


def indicator_chart(points: Sequence[dict], title: str, y_title: str,
                    y_format: str = ",.0f") -> dict:
    """An indicator over time with its targets, the peer rate and the peer band (the 95% funnel
    limits for this area's population). `points`: dicts with month (YYYY-MM, the period's first
    month), value (or None), target (or None), peer (or None), peer_low and peer_high (or
    None), simulated (bool)."""
    import altair as alt

    band_rows = [{"month": f"{p['month']}-01", "low": p["peer_low"], "high": p["peer_high"]}
                 for p in points if p.get("peer_low") is not None]
    rows = []
    for p in points:
        base = {"month": f"{p['month']}-01"}
        if p.get("value") is not None:
            rows.append({**base, "series": "Value", "y": p["value"],
                         "simulated": bool(p.get("simulated"))})
        if p.get("target") is not None:
            rows.append({**base, "series": "Target", "y": p["target"], "simulated": False})
        if p.get("peer") is not None:
            rows.append({**base, "series": "Peer group", "y": p["peer"], "simulated": False})
    colours = alt.Scale(domain=["Value", "Target", "Peer group"],
                        range=[BRAND, "#b10e1e", "#8a4b00"])
    chart = alt.Chart(alt.Data(values=rows)).mark_line(point=True).encode(
        x=alt.X("month:T", title="Period", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("y:Q", title=y_title, axis=alt.Axis(format=y_format)),
        color=alt.Color("series:N", title=None, scale=colours),
        strokeDash=alt.StrokeDash("series:N", legend=None,
                                  scale=alt.Scale(domain=["Value", "Target", "Peer group"],
                                                  range=[[1, 0], [6, 4], [2, 2]])),
        tooltip=[alt.Tooltip("month:T", format="%b %Y"), "series:N",
                 alt.Tooltip("y:Q", format=y_format), "simulated:N"],
    )
    if band_rows:
        band = alt.Chart(alt.Data(values=band_rows)).mark_area(
            opacity=0.18, color="#8a4b00").encode(
            x="month:T", y="low:Q", y2="high:Q",
            tooltip=[alt.Tooltip("month:T", format="%b %Y"),
                     alt.Tooltip("low:Q", title="Peer band from", format=y_format),
                     alt.Tooltip("high:Q", title="to", format=y_format)])
        chart = alt.layer(band, chart)
    spec = _base_config(chart, title)
    spec["description"] = indicator_caption(points)
    return spec


def indicator_caption(points: Sequence[dict]) -> str:
    """A caption naming only what the indicator chart draws for these points."""
    drawn = []
    if any(p.get("target") is not None for p in points):
        drawn.append("targets (dashed)")
    if any(p.get("peer") is not None for p in points):
        drawn.append("the peer group's rate (dotted)")
    if any(p.get("peer_low") is not None for p in points):
        drawn.append("the shaded range expected at 95% for an area of this population at the "
                     "peer rate (funnel limits)")
    if not drawn:
        return "Values over time."
    if len(drawn) == 1:
        return f"Values over time with {drawn[0]}."
    return f"Values over time with {', '.join(drawn[:-1])} and {drawn[-1]}."


def bar_chart(rows: Sequence[dict], title: str, x_title: str = "Crimes",
              x_format: str = ",.0f") -> dict:
    """Horizontal bars, largest first. `rows`: dicts with label and value."""
    import altair as alt

    data = [{"label": r["label"], "value": r["value"]} for r in rows]
    chart = alt.Chart(alt.Data(values=data)).mark_bar(color=BRAND).encode(
        x=alt.X("value:Q", title=x_title, axis=alt.Axis(format=x_format)),
        y=alt.Y("label:N", title=None, sort="-x"),
        tooltip=["label:N", alt.Tooltip("value:Q", format=x_format)],
    )
    return _base_config(chart, title)


def to_svg(spec: dict) -> str:
    """The chart rendered to SVG in-process (for PDF and HTML documents)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)


def spec_json(spec: dict) -> str:
    """The spec as JSON safe to place inside a <script type="application/json"> element."""
    return json.dumps(spec).replace("<", "\\u003c").replace(">", "\\u003e").replace(
        "&", "\\u0026")
