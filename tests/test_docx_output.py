"""core.docx_output writes real Word documents: read them back with python-docx."""

import datetime
import io

import docx

from saferplaces.core import docx_output


def test_document_round_trip_keeps_headings_paragraphs_tables_and_date():
    document = docx_output.new_document("Assessment 2019/20", created=datetime.date(2020, 6, 1))
    docx_output.add_heading(document, "1. Levels and patterns", 1)
    docx_output.add_paragraphs(document, "First block\nsecond line\n\nSecond block")
    docx_output.add_numbered(document, [("3.1", "Numbered text")])
    docx_output.add_table(document, ["Type", "Crimes"], [["Burglary", "1,234"], ["Robbery", None]])
    data = docx_output.to_bytes(document)

    read = docx.Document(io.BytesIO(data))
    texts = [p.text for p in read.paragraphs]
    assert "1. Levels and patterns" in texts
    assert "First block\nsecond line" in texts
    assert "Second block" in texts
    assert "3.1\tNumbered text" in texts
    table = read.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Type", "Crimes"], ["Burglary", "1,234"], ["Robbery", ""]]
    assert read.core_properties.title == "Assessment 2019/20"
    assert read.core_properties.created.date() == datetime.date(2020, 6, 1)
    assert read.paragraphs[0].style.name == "Heading 1"


def test_chart_is_a_picture_with_alternative_text():
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"values": [{"a": "x", "b": 1}, {"a": "y", "b": 2}]},
            "mark": "bar", "encoding": {"x": {"field": "a", "type": "nominal"},
                                        "y": {"field": "b", "type": "quantitative"}}}
    document = docx_output.new_document("Chart")
    docx_output.add_chart(document, spec, "Crimes by type, bar chart")
    read = docx.Document(io.BytesIO(docx_output.to_bytes(document)))
    assert len(read.inline_shapes) == 1
    assert read.inline_shapes[0]._inline.docPr.get("descr") == "Crimes by type, bar chart"
