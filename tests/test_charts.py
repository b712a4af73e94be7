"""One Vega-Lite spec serves the browser and documents: the same dict renders to SVG."""

from saferplaces.core import charts


def test_trend_spec_renders_to_svg_in_process():
    points = [{"month": "2020-01", "value": 120}, {"month": "2020-02", "value": 95,
                                                   "simulated": True}]
    spec = charts.trend_chart(points, "Test trend", target=100)
    assert spec["$schema"].endswith("/v6.json")
    svg = charts.to_svg(spec)
    assert svg.lstrip().startswith("<svg")
    assert "Test trend" in svg
    assert "Simulated (demonstration)" in svg  # the legend names simulated months


def test_bar_spec_and_safe_json_embedding():
    spec = charts.bar_chart([{"label": "<script>alert(1)</script>", "value": 3}], "Mix")
    text = charts.spec_json(spec)
    assert "<script>" not in text and "\\u003cscript\\u003e" in text
    assert "<svg" in charts.to_svg(spec)


def test_indicator_chart_with_peer_band_renders():
    points = [{"month": "2020-04", "value": 8.1, "target": 8.0, "peer": 7.9, "peer_low": 7.5,
               "peer_high": 8.3}, {"month": "2020-07", "value": 9.0, "target": 8.0}]
    spec = charts.indicator_chart(points, "PV1", "Rate per 1,000")
    assert spec["layer"][0]["mark"]["type"] == "area"  # the band sits behind the lines
    assert "<svg" in charts.to_svg(spec)
