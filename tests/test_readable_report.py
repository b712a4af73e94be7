"""Numbers people read (units and their precision, thousands separators), the scorecard as
CSV and XLSX, honest simulated-month sentences, and a board report whose PDF is tagged and
whose chart labels all lie inside the drawing (issue 8, points 4 to 7)."""

import contextlib
import csv
import datetime
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zlib
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.urls import reverse
from openpyxl import load_workbook

from saferplaces.core import charts
from saferplaces.core.numbers import axis_format, format_number
from saferplaces.core.periods import simulated_months_sentence
from saferplaces.crime.categories import CURRENT_TYPES as CRIME_TYPES
from saferplaces.performance import report, scorecard, scorecard_export
from saferplaces.performance.models import IndicatorTarget
from saferplaces.performance.units import chart_format, format_value
from tests import test_board_report
from tests.test_board_report import PERIOD, TODAY

north = test_board_report.north  # the board report's partnership fixture

# --------------------------------------------------------------------------------------------
# Units and numbers


@pytest.mark.parametrize(("value", "unit", "text"), [
    (161.5, "count", "162"),
    (386131.29, "harm", "386,131"),
    (12.34, "percent", "12.3%"),
    (7, "rate", "7.0"),
    (1234.56, "rate", "1,234.6"),
    (299.6, "pounds", "£300"),
    (None, "count", "–"),
])
def test_values_are_written_to_their_units_precision(value, unit, text):
    assert format_value(value, unit) == text


def test_format_number_with_fixed_decimals_and_axis_formats():
    assert format_number(1234567.891, decimals=2) == "1,234,567.89"
    assert format_number(12345) == "12,345"
    assert axis_format(1) == ",.1f"
    assert chart_format("count") == ",.0f" and chart_format("percent") == ",.1f"


def test_number_filter_adds_thousands_separators():
    page = Template("{% load numbers %}{{ a|number }} {{ b|number:1 }} {{ c|number }}").render(
        Context({"a": 12345, "b": 9876.54, "c": None}))
    assert page == "12,345 9,876.5 –"


def test_p_values_read_to_four_decimals_and_never_as_a_bare_zero():
    page = Template("{% load numbers %}{{ a|p_value }} {{ b|p_value }} {{ c|p_value }} "
                    "{{ d|p_value }} {{ e|p_value }}").render(
        Context({"a": 0.012345, "b": 1.0, "c": 0.0, "d": 0.00004999, "e": None}))
    assert page == "0.0123 1.0000 &lt;0.0001 &lt;0.0001 –"  # escaped, shown as <0.0001


# --------------------------------------------------------------------------------------------
# Simulated months


def _months(*numbers):
    return [datetime.date(2020, n, 1) for n in numbers]


@pytest.mark.parametrize(("simulated", "sentence"), [
    (_months(*range(1, 13)), "all 12 months shown are simulated"),
    (_months(10, 11, 12), "3 of the 12 months shown are simulated"),
    (_months(12) + [datetime.date(2021, 1, 1)], "1 of the 12 months shown is simulated"),
    ([datetime.date(2019, 12, 1)], ""),
])
def test_simulated_months_sentence_counts_the_months_in_view(simulated, sentence):
    assert simulated_months_sentence(
        simulated, datetime.date(2020, 1, 1), datetime.date(2020, 12, 1)) == sentence


# --------------------------------------------------------------------------------------------
# The scorecard page and downloads


def _half_target(north):
    """A count target that is not whole, as a baseline reduction gives."""
    IndicatorTarget.objects.filter(indicator=north["violence"], period=PERIOD).update(
        value=161.5)


@pytest.mark.django_db
def test_scorecard_shows_the_no_rag_count_whole_targets_and_download_links(north, client):
    _half_target(north)
    client.force_login(north["admin"])
    page = client.get(reverse("scorecard", args=["north"]), {"period": PERIOD})
    html = page.content.decode()
    assert "No RAG: 1</span>" in html  # CX1 is contextual
    assert "<td>162</td>" in html and "161.5" not in html
    assert reverse("scorecard_csv", args=["north"]) in html
    assert reverse("scorecard_xlsx", args=["north"]) in html


@pytest.mark.django_db
def test_scorecard_downloads_as_csv(north, client):
    _half_target(north)
    client.force_login(north["board"])
    response = client.get(reverse("scorecard_csv", args=["north"]), {"period": PERIOD})
    assert response["Content-Type"] == "text/csv"
    assert "scorecard-north-2020-Q3.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == list(scorecard_export.COLUMNS)
    violence = next(r for r in rows if r["Code"] == "VC1")
    expected = {"Priority": "Preventing violence", "Code": "VC1", "Indicator": "Violent crimes",
                "Kind": "Performance indicator (targeted)", "Unit": "Count",
                "Period": "Oct–Dec 2020 (2020/21 Q3)", "Value": "130", "Target": "162",
                "RAG": "Green", "Direction": "Lower is better", "Peer position": ""}
    assert {key: violence[key] for key in expected} == expected
    assert {r["Code"] for r in rows} == {"VC1", "CX1"}


@pytest.mark.django_db
def test_scorecard_downloads_as_xlsx(north, client):
    _half_target(north)
    client.force_login(north["board"])
    response = client.get(reverse("scorecard_xlsx", args=["north"]), {"period": PERIOD})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == scorecard_export.COLUMNS
    violence = next(r for r in rows if r[1] == "VC1")
    assert (violence[6], violence[7], violence[8]) == (130, 162, "Green")
    assert sheet.cell(row=2, column=8).number_format == "#,##0"


@pytest.mark.django_db
def test_scorecard_downloads_only_for_members(north, client):
    response = client.get(reverse("scorecard_csv", args=["north"]))
    assert response.status_code in (302, 404)


# --------------------------------------------------------------------------------------------
# The board report: tagged PDF, named charts with their figures, labels inside the drawing


@pytest.mark.django_db
def test_report_pdf_is_tagged_with_language_and_title(north):
    html = report.render_html(report.build_snapshot(north["partnership"], PERIOD, today=TODAY))
    pdf = _inflated(report.render_pdf(html))
    for marker in (b"/StructTreeRoot", b"/MarkInfo", b"/Marked true", b"/Lang (en-GB)",
                   b"pdfuaid:part", b"Board performance report"):
        assert marker in pdf, marker


def _inflated(pdf: bytes) -> bytes:
    """The PDF with every Flate stream decompressed after it (object streams hold the
    catalogue, where the tagging is declared)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompressobj().decompress(pdf[match.end():]))
    return b"\n".join(parts)


@pytest.mark.django_db
def test_report_charts_are_named_images_with_their_figures_as_a_table(north):
    html = report.render_html(report.build_snapshot(north["partnership"], PERIOD, today=TODAY))
    svgs = re.findall(r"<svg\b[^>]*>", html)
    assert svgs and all('role="img"' in s and 'aria-label="VC1 Violent crimes' in s
                        for s in svgs)
    assert 'role="graphics' not in html and "aria-roledescription" not in html
    assert html.count("<main>") == 1
    images = re.findall(r'<img alt="([^"]*)"', report._svg_as_images(html))
    assert images and all(alt.startswith("VC1 Violent crimes. VC1: 4 values") for alt in images)
    table = html[html.index('<table class="figures">'):]
    table = table[:table.index("</table>")]
    assert "<th scope=\"row\">Oct–Dec 2020 (2020/21 Q3)</th><td class=\"num\">130</td>" in table


def _sans_font(size: float):
    """The font WeasyPrint draws an SVG's "sans-serif" text with (fontconfig's choice)."""
    from PIL import ImageFont

    found = subprocess.run(["fc-match", "-f", "%{file}", "sans-serif"], capture_output=True,
                           text=True, check=True).stdout
    return ImageFont.truetype(found, size=size)


def _translation(transform: str | None) -> tuple[float, float, bool]:
    if not transform:
        return 0.0, 0.0, False
    moved = re.search(r"translate\(([-\d.e]+),\s*([-\d.e]+)\)", transform)
    dx, dy = (float(moved.group(1)), float(moved.group(2))) if moved else (0.0, 0.0)
    return dx, dy, "rotate(-90)" in transform


def labels_outside(svg: str) -> list[str]:
    """Every text of the SVG whose extent, measured in the printing font, leaves the SVG's
    width x height: a label the printed chart would cut."""
    root = ET.fromstring(svg)
    width, height = float(root.get("width")), float(root.get("height"))
    outside = []

    def walk(element, x0, y0):
        dx, dy, upright = _translation(element.get("transform"))
        x, y = x0 + dx, y0 + dy
        if element.tag.endswith("}text") and (element.text or "").strip():
            size = float((element.get("font-size") or "11px").removesuffix("px"))
            length = _sans_font(size).getlength(element.text)
            share = {"start": 0, "middle": 0.5, "end": 1}[element.get("text-anchor", "start")]
            if upright:  # rotated -90: the text runs up the page
                low, high, limit = y - length * (1 - share), y + length * share, height
            else:
                low, high, limit = x - length * share, x + length * (1 - share), width
            if low < 0 or high > limit:
                outside.append(element.text)
        for child in element:
            walk(child, x, y)

    walk(root, 0.0, 0.0)
    return outside


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="needs fontconfig's fc-match")
def test_every_chart_label_lies_inside_the_drawing():
    mix = charts.bar_chart([{"label": t, "value": 1000 * (i + 1)}
                            for i, t in enumerate(CRIME_TYPES)], "Crime by type")
    trend = charts.trend_chart([{"month": f"2020-{m:02d}", "value": 12000 + 300 * m,
                                 "simulated": m > 9} for m in range(1, 13)],
                               "Recorded crime by month", y_title="Harm in days of imprisonment",
                               target=13000)
    for spec in (mix, trend):
        assert labels_outside(charts.to_svg(spec)) == []


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="needs fontconfig's fc-match")
def test_labels_outside_finds_a_cut_label():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">'
           '<g transform="translate(10,20)"><text text-anchor="end" font-size="12px">'
           'Violence and sexual offences</text></g></svg>')
    assert labels_outside(svg) == ["Violence and sexual offences"]


@pytest.mark.parametrize(("flags", "sentence"), [
    ([True] * 8, "all 8 values shown include simulated months"),
    ([True], "the 1 value shown includes simulated months"),
    ([True, False, True, False], "2 of the 4 values shown include simulated months"),
    ([False, True, False], "1 of the 3 values shown includes simulated months"),
    ([False, False], ""),
])
def test_simulated_values_sentence_counts_the_values_shown(flags, sentence):
    values = [SimpleNamespace(includes_simulated=flag) for flag in flags]
    assert scorecard.simulated_values_sentence(values) == sentence


def test_change_sentences_write_counts_with_thousands_separators():
    from saferplaces.crime import stats

    assert "(2,303 against 2,404)" in stats.poisson_change(2303, 2404).sentence


@pytest.mark.django_db
def test_scorecard_downloads_keep_formula_like_names_as_text(north, client):
    """An indicator named like a formula is escaped in the CSV and stored as text in the XLSX
    (issue 9 point 2); its numbers stay numbers."""
    north["violence"].name = '=HYPERLINK("http://x","y")'
    north["violence"].save()
    client.force_login(north["board"])
    text = client.get(reverse("scorecard_csv", args=["north"]), {"period": PERIOD}).content
    violence = next(r for r in csv.DictReader(io.StringIO(text.decode())) if r["Code"] == "VC1")
    assert (violence["Indicator"], violence["Value"]) == ("'=HYPERLINK(\"http://x\",\"y\")", "130")
    book = client.get(reverse("scorecard_xlsx", args=["north"]), {"period": PERIOD}).content
    row = next(r for r in load_workbook(io.BytesIO(book)).active.iter_rows() if r[1].value == "VC1")
    assert (row[2].value, row[2].data_type, row[6].value) == (
        '=HYPERLINK("http://x","y")', "s", 130)
