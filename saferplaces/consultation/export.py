"""A consultation's survey responses as a table (CSV through `core.csv_output`, or XLSX):
one row per response, one column per question (matched across versions as
`consultation.results` matches them), then the equality monitoring. Contact details are
never exported.

The breakdowns table gives each choice and Likert question's answers by channel, ward and
each of the nine equality characteristics, one row per group and answer; groups too small to
show (`analysis.suppress_small`) are left out, and one row per breakdown says how many."""

from __future__ import annotations

import io

from saferplaces.consultation.analysis import SMALL_GROUP_BELOW
from saferplaces.consultation.models import (
    EQUALITY_QUESTIONS,
    Answer,
    Consultation,
    EqualityMonitoring,
    QuestionKind,
    Response,
)
from saferplaces.consultation.results import GROUP_LABELS, question_index, question_results
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


BREAKDOWN_HEADER = ["question", "breakdown", "group", "answered", "answer", "respondents"]


def breakdown_table(consultation: Consultation) -> tuple[list[str], list[list]]:
    rows: list[list] = []
    for question in question_results(consultation, tuple(GROUP_LABELS)):
        for breakdown in question.breakdowns:
            for group, tally in breakdown.groups.items():
                rows.extend([question.text, breakdown.dimension, group, tally.answered,
                             option.label, option.count] for option in tally.options)
            if breakdown.hidden:
                rows.append([question.text, breakdown.dimension,
                             f"{breakdown.hidden} group(s) not shown: fewer than "
                             f"{SMALL_GROUP_BELOW} respondents, or hidden so the others "
                             "cannot reveal one", "", "", ""])
    return BREAKDOWN_HEADER, rows


TABLES = {"responses": response_table, "breakdowns": breakdown_table}


def to_csv(consultation: Consultation, table: str = "responses") -> str:
    return csv_text(*TABLES[table](consultation))


def to_xlsx(consultation: Consultation) -> bytes:
    """Two sheets, the responses and the breakdowns, each with a bold frozen header; every
    response cell is text (a respondent's "=..." stays text, never a formula)."""
    from openpyxl import Workbook

    book = Workbook()
    _sheet(book.active, "Responses", *response_table(consultation), all_text=True)
    _sheet(book.create_sheet(), "Breakdowns", *breakdown_table(consultation),
           all_text=False)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(sheet, title: str, header: list[str], rows: list[list], *, all_text: bool) -> None:
    from openpyxl.styles import Font

    sheet.title = title
    for values in [header, *rows]:
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if all_text or isinstance(cell.value, str):
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
