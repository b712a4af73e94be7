"""A consultation's survey responses as a table (CSV through `core.csv_output`, or XLSX):
one row per response, one column per question (matched across versions as
`consultation.results` matches them), then the equality monitoring. Contact details are
never exported."""

from __future__ import annotations

import io

from saferplaces.consultation.models import (
    EQUALITY_QUESTIONS,
    Answer,
    Consultation,
    EqualityMonitoring,
    QuestionKind,
    Response,
)
from saferplaces.consultation.results import question_index
from saferplaces.core.csv_output import csv_text

FIXED = ["reference", "channel", "survey version", "submitted"]


def response_table(consultation: Consultation) -> tuple[list[str], list[list[str]]]:
    key_of, questions = question_index(consultation)
    keys = list(questions)
    cells: dict[int, dict[tuple[str, str], list[str]]] = {}
    for response_id, question_id, label, rank, text in (
            Answer.objects.filter(response__consultation=consultation)
            .order_by("response_id", "question_id", "rank", "option__number")
            .values_list("response_id", "question_id", "option__label", "rank", "text")):
        key = key_of[question_id]
        value = f"{rank}: {label}" if key[0] == QuestionKind.RANKING else (label or text)
        cells.setdefault(response_id, {}).setdefault(key, []).append(value)
    equality = {e.response_id: e for e in
                EqualityMonitoring.objects.filter(response__consultation=consultation)}
    rows = []
    for response in (Response.objects.filter(consultation=consultation)
                     .select_related("version").order_by("submitted_at", "pk")):
        answers = cells.get(response.pk, {})
        monitoring = equality.get(response.pk)
        rows.append([response.reference, response.get_channel_display(),
                     str(response.version.number),
                     response.submitted_at.strftime("%Y-%m-%d %H:%M"),
                     *("; ".join(answers.get(key, [])) for key in keys),
                     *(getattr(monitoring, name) if monitoring else ""
                       for name in EQUALITY_QUESTIONS)])
    header = FIXED + [text for _, text in keys] + list(EQUALITY_QUESTIONS)
    return header, rows


def to_csv(consultation: Consultation) -> str:
    return csv_text(*response_table(consultation))


def to_xlsx(consultation: Consultation) -> bytes:
    """One sheet, bold frozen header; every cell is text (a respondent's "=..." stays text,
    never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = response_table(consultation)
    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    for values in [header, *rows]:
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
