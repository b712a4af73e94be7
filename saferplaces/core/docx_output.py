"""Word documents: the one place a report becomes a .docx (python-docx).

The strategic assessment and committee reports are filed and edited in Word by councils, so
they are written as real documents: Word headings (the navigation pane and a table of contents
work), real tables with a header row that repeats over pages, and charts as PNG pictures drawn
from the same Vega-Lite spec the page and the PDF use (vl-convert, in-process).

A document's creation date is the caller's (a frozen report keeps its issue date), never the
moment the file was written, so writing the same snapshot twice gives the same text.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import Any

# python-docx is imported inside the functions: commands that never write Word start faster.


def new_document(title: str, created: datetime.date | None = None, author: str = "") -> Any:
    """An empty A4 document with its title set in the file's properties (not on the page)."""
    import docx
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    properties = document.core_properties
    properties.title = title
    properties.author = author or "saferplaces"
    properties.last_modified_by = author or "saferplaces"
    if created is not None:
        moment = datetime.datetime.combine(created, datetime.time(12, 0))
        properties.created = properties.modified = moment
    properties.revision = 1
    return document


def add_heading(document: Any, text: str, level: int = 1) -> None:
    """A Word heading (level 0 is the document title style)."""
    document.add_heading(text, level=level)


def add_paragraphs(document: Any, text: str, style: str | None = None) -> None:
    """Each blank-line-separated block of ``text`` as its own paragraph; single line breaks
    inside a block are kept as line breaks."""
    for block in _blocks(text):
        paragraph = document.add_paragraph(style=style)
        lines = block.split("\n")
        for number, line in enumerate(lines):
            run = paragraph.add_run(line)
            if number < len(lines) - 1:
                run.add_break()


def _blocks(text: str) -> list[str]:
    return [block.strip("\n") for block in text.replace("\r\n", "\n").split("\n\n")
            if block.strip()]


def add_bullets(document: Any, items: Sequence[str]) -> None:
    """A bulleted list."""
    for item in items:
        document.add_paragraph(item, style="List Bullet")


def add_numbered(document: Any, items: Sequence[tuple[str, str]]) -> None:
    """Paragraphs that carry their own number (e.g. ("3.1", "text")), as council reports
    number them; the number is text so it survives editing and matches the HTML and PDF."""
    for number, text in items:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{number}\t")
        paragraph.add_run(text)


def add_table(document: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]],
              caption: str = "") -> None:
    """A table with a bold header row that repeats on each page; cells are written as text
    (numbers should arrive already formatted, e.g. by core.numbers)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if caption:
        document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    header = table.rows[0]
    for cell, text in zip(header.cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = "" if value is None else str(value)


def add_key_values(document: Any, rows: Sequence[tuple[str, str]]) -> None:
    """A two-column table of labels (bold) and values with no header row, like a council
    report's front sheet; line breaks in a value stay line breaks."""
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(str(label)).bold = True
        lines = str(value).split("\n")
        paragraph = cells[1].paragraphs[0]
        for number, line in enumerate(lines):
            run = paragraph.add_run(line)
            if number < len(lines) - 1:
                run.add_break()


def add_chart(document: Any, spec: dict, description: str, width_cm: float = 16.0) -> None:
    """The chart drawn from its Vega-Lite spec as a PNG picture, with ``description`` as its
    alternative text (the figures should follow as a table, as on the page)."""
    import vl_convert
    from docx.shared import Cm

    png = vl_convert.vegalite_to_png(spec, scale=2)
    document.add_picture(io.BytesIO(png), width=Cm(width_cm))
    picture = document.inline_shapes[-1]
    picture._inline.docPr.set("descr", description)
    picture._inline.docPr.set("title", description[:120])


def to_bytes(document: Any) -> bytes:
    """The document as the bytes of a .docx file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
