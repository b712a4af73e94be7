"""A committee report as a document: snapshot, HTML, PDF and Word.

``build_snapshot`` reads the report (and its live content) once and returns plain
JSON-serialisable data; ``render_html`` and ``render_docx`` read only the snapshot, and the
PDF is the HTML printed by ``performance.report.render_pdf``. ``issue`` freezes a report: the
snapshot, HTML, PDF and Word document are stored and served from then on, never rebuilt, as
board reports are (performance/report.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from saferplaces.committee import deadlines, live_content
from saferplaces.committee.models import (
    CommitteeReport,
    ReportRecommendation,
    ReportStatus,
    SectionKind,
)
from saferplaces.core import clock
from saferplaces.core.words import date_text, user_name

SNAPSHOT_VERSION = 1
TEMPLATE = "committee/report_document.html"
FORMATS = ("html", "pdf", "docx")


class ReportError(ValueError):
    """A report cannot be issued or written; the message says why in plain English."""


def blocks_of(text: str) -> list[dict]:
    """A paragraph's text as blocks: runs of lines starting '- ' become one bullet list;
    other lines (blank lines separating them) become text blocks."""
    blocks: list[dict] = []
    lines: list[str] = []

    def flush_text() -> None:
        if lines:
            blocks.append({"text": "\n".join(lines)})
            lines.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if line.startswith("- "):
            flush_text()
            if blocks and "bullets" in blocks[-1]:
                blocks[-1]["bullets"].append(line[2:].strip())
            else:
                blocks.append({"bullets": [line[2:].strip()]})
        elif line:
            lines.append(line)
        else:
            flush_text()
    flush_text()
    return blocks


# --------------------------------------------------------------------------------------------
# The snapshot


def build_snapshot(report: CommitteeReport) -> dict:
    """Everything the report prints, as plain data (live content rendered now)."""
    sections = [_section(report, section, number)
                for number, section in enumerate(report.sections.prefetch_related("paragraphs"),
                                                 start=1)]
    return {
        "version": SNAPSHOT_VERSION,
        "title": report.title,
        "committee": report.committee,
        "meeting": {"date": report.meeting_date.isoformat(),
                    "text": date_text(report.meeting_date)},
        "partnership": {"name": report.partnership.name,
                        "short_name": report.partnership.short_name},
        "header": header_rows(report),
        "employee": {"name": report.accountable_employee, "title": report.employee_title,
                     "tel": report.employee_tel, "email": report.employee_email},
        "route": [{"body": step.body.name, "date": step.meeting_date.isoformat(),
                   "text": date_text(step.meeting_date), "decision": step.get_decision_display()}
                  for step in report.route.select_related("body")],
        "recommendations": _recommendations(report),
        "sections": sections,
        "missing": [f"{s['heading']}: {problem}" for s in sections for problem in s["missing"]],
        "public": report.is_public,
        "marking": report.protective_marking,
        "illustrative": report.is_illustrative,
        "status": ReportStatus.DRAFT.value,
        "issue": None,
    }


def header_rows(report: CommitteeReport) -> list[list[str]]:
    """(label, value) rows of the front-sheet table; a row with nothing to say is left out."""
    yes_no = {True: "Yes", False: "No"}
    rows = [
        ("Report title", report.title),
        ("Decision designation", report.decision_designation),
        ("Cabinet member with lead responsibility", report.cabinet_member),
        ("Key decision", yes_no.get(report.key_decision, "")),
        ("In forward plan", yes_no.get(report.in_forward_plan, "")),
        ("Wards affected", report.wards_affected),
        ("Accountable director", report.accountable_director),
        ("Originating service", report.originating_service),
    ]
    return [[label, value] for label, value in rows if value]


def _recommendations(report: CommitteeReport) -> dict:
    kinds = {ReportRecommendation.Kind.ACTION: [], ReportRecommendation.Kind.NOTING: []}
    for item in report.recommendations.all():
        kinds[item.kind].append(item.text)
    return {"action_lead": f"{report.committee} is recommended to:",
            "action": kinds[ReportRecommendation.Kind.ACTION],
            "noting_lead": f"{report.committee} is recommended to note:",
            "noting": kinds[ReportRecommendation.Kind.NOTING]}


def _section(report: CommitteeReport, section, number: int) -> dict:
    paragraphs, missing, counter = [], [], 0
    for paragraph in section.paragraphs.all():
        blocks = blocks_of(paragraph.text)
        if paragraph.live_content:
            try:
                blocks += live_content.render(report, paragraph.live_content,
                                              paragraph.live_option)
            except live_content.LiveContentError as exc:
                missing.append(str(exc))
                blocks.append({"text": f"[Live content missing: {exc}]"})
        label = ""
        if paragraph.is_numbered:
            counter += 1
            label = f"{number}.{counter}"
        paragraphs.append({"number": label, "blocks": blocks})
    if section.kind == SectionKind.IMPLICATIONS and not paragraphs:
        paragraphs.append({"number": f"{number}.1", "blocks": [
            {"text": f"There are no {section.get_implication_display()} implications."}]})
    return {
        "number": str(number),
        "heading": f"{number}.0 {section.title}",
        "title": section.title,
        "kind": section.kind,
        "paragraphs": paragraphs,
        "cleared_by": section.cleared_by,
        "clearance": f"[{section.clearance_code.strip('[] ')}]" if section.clearance_code
        else "",
        "missing": missing,
    }


# --------------------------------------------------------------------------------------------
# Rendering


def render_html(snapshot: dict) -> str:
    """A self-contained HTML document (inline CSS), printable as it is."""
    return render_to_string(TEMPLATE, {"report": snapshot})


def render_pdf(html: str) -> bytes:
    from saferplaces.performance.report import render_pdf as print_pdf

    return print_pdf(html)


def render_docx(snapshot: dict) -> bytes:
    """The report as a Word document, in the same order and words as the HTML."""
    from saferplaces.core import docx_output as word

    issued = snapshot["issue"]
    created = datetime.date.fromisoformat(issued["date"]) if issued else None
    document = word.new_document(snapshot["title"], created=created,
                                 author=snapshot["partnership"]["name"])
    if snapshot["illustrative"]:
        word.add_paragraphs(document, "Demonstration: some of the records behind this report "
                                     "are illustrative.")
    if snapshot["status"] != ReportStatus.ISSUED.value:
        word.add_paragraphs(document, "DRAFT: not issued; live content may still change.")
    word.add_heading(document, snapshot["committee"], level=0)
    word.add_paragraphs(document, snapshot["meeting"]["text"])
    word.add_key_values(document, _front_sheet(snapshot))
    _docx_recommendations(word, document, snapshot["recommendations"])
    for section in snapshot["sections"]:
        word.add_heading(document, section["heading"], level=1)
        for paragraph in section["paragraphs"]:
            _docx_paragraph(word, document, paragraph)
        if section["clearance"] or section["cleared_by"]:
            word.add_paragraphs(document, clearance_line(section))
    word.add_paragraphs(document, marking_lines(snapshot))
    return word.to_bytes(document)


def _front_sheet(snapshot: dict) -> list[tuple[str, str]]:
    rows = [(label, value) for label, value in snapshot["header"]]
    employee = snapshot["employee"]
    if employee["name"]:
        lines = [f"{employee['name']}, {employee['title']}" if employee["title"]
                 else employee["name"]]
        lines += [f"Tel {employee['tel']}"] if employee["tel"] else []
        lines += [f"Email {employee['email']}"] if employee["email"] else []
        rows.append(("Accountable employee", "\n".join(lines)))
    if snapshot["route"]:
        rows.append(("Report has been considered by",
                     "\n".join(f"{step['body']}: {step['text']}" for step in snapshot["route"])))
    return rows


def _docx_recommendations(word, document, recommendations: dict) -> None:
    for kind, heading in (("action", "Recommendations for action"),
                          ("noting", "Recommendations for noting")):
        if recommendations[kind]:
            word.add_heading(document, heading, level=2)
            word.add_paragraphs(document, recommendations[f"{kind}_lead"])
            word.add_numbered(document, [(f"{n}.", text) for n, text
                                         in enumerate(recommendations[kind], start=1)])


def _docx_paragraph(word, document, paragraph: dict) -> None:
    number = paragraph["number"]
    for block in paragraph["blocks"]:
        if "bullets" in block:
            word.add_bullets(document, block["bullets"])
        elif number:
            word.add_numbered(document, [(number, block["text"])])
            number = ""
        else:
            word.add_paragraphs(document, block["text"])
    if number:  # a numbered paragraph of bullets only
        word.add_numbered(document, [(number, "")])


def clearance_line(section: dict) -> str:
    """'[JB/29092020/G]', with who cleared it before the code when recorded."""
    who = f"Cleared by {section['cleared_by']} " if section["cleared_by"] else ""
    return f"{who}{section['clearance']}".strip()


def marking_lines(snapshot: dict) -> str:
    public = "This report is PUBLIC" if snapshot["public"] else "This report is NOT PUBLIC"
    return f"{public}\n[{snapshot['marking']}]" if snapshot["marking"] else public


# --------------------------------------------------------------------------------------------
# Drafts, issuing and output


@dataclass
class Output:
    content: bytes
    content_type: str
    filename: str


CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def current_snapshot(report: CommitteeReport) -> dict:
    """The frozen snapshot of an issued report, else one built now from current records."""
    return report.snapshot if report.is_issued else build_snapshot(report)


def output(report: CommitteeReport, format: str) -> Output:
    """The report in ``format`` (html, pdf, docx): the stored file of an issued report, else
    rendered now from a fresh draft snapshot."""
    if format not in FORMATS:
        raise ReportError(f"Unknown format {format!r}; choose one of {', '.join(FORMATS)}.")
    if report.is_issued:
        content = frozen_file(report, format)
    else:
        snapshot = build_snapshot(report)
        html = render_html(snapshot)
        content = {"html": lambda: html.encode("utf-8"), "pdf": lambda: render_pdf(html),
                   "docx": lambda: render_docx(snapshot)}[format]()
    draft = "" if report.is_issued else "-draft"
    return Output(content, CONTENT_TYPES[format],
                  f"committee-report-{report.pk}{draft}.{format}")


def frozen_file(report: CommitteeReport, format: str) -> bytes:
    """An issued report's file. The PDF and Word files are made from the frozen HTML and
    snapshot only, so one not stored at issue (the demo skips them to load faster) is made
    on first use and stored; it is the same document either way."""
    if format == "html":
        return report.html.encode("utf-8")
    stored = getattr(report, format)
    if stored is None:
        stored = render_pdf(report.html) if format == "pdf" else render_docx(report.snapshot)
        setattr(report, format, stored)
        CommitteeReport.objects.filter(pk=report.pk, **{f"{format}__isnull": True}).update(
            **{format: stored})
    return bytes(stored)


def issue_problems(report: CommitteeReport, snapshot: dict | None = None) -> list[str]:
    """Why the report cannot be issued yet (empty when it can)."""
    if report.is_issued:
        return [f"This report was already issued on {_issued_text(report)}."]
    problems = []
    if not report.sections.exists():
        problems.append("The report has no sections.")
    for step in report.route.select_related("body"):
        if not step.has_passed:
            problems.append(f"{step.body} has not approved the report "
                            f"({step.get_decision_display() or 'no decision yet'}).")
        for condition in step.conditions.filter(resolved_on__isnull=True):
            problems.append(f"{step.body}'s condition is not resolved: {condition.text}")
    snapshot = snapshot if snapshot is not None else build_snapshot(report)
    problems += [f"Live content is missing in {item}" for item in snapshot["missing"]]
    return problems


def _issued_text(report: CommitteeReport) -> str:
    return date_text(timezone.localtime(report.issued_at).date()) if report.issued_at else "?"


def issue(report: CommitteeReport, user=None, on: datetime.date | None = None,
          files: bool = True) -> CommitteeReport:
    """Freeze the report: store its snapshot, HTML, PDF and Word document and mark it issued
    by ``user`` at ``clock.now`` (a partnership shown as at a fixed date issues on that date).
    ``on`` dates the issue in the documents (default: the date of that moment). With
    ``files=False`` the PDF and Word files are left to be made from the frozen HTML and
    snapshot when first asked for (``frozen_file``). Raises ReportError, saying why, if the
    route or content is not ready."""
    with transaction.atomic():
        report = CommitteeReport.objects.select_for_update().get(pk=report.pk)
        snapshot = build_snapshot(report)
        problems = issue_problems(report, snapshot)
        if problems:
            raise ReportError(" ".join(problems))
        now = clock.now(report.partnership)
        day = on or timezone.localtime(now).date()
        snapshot["status"] = ReportStatus.ISSUED.value
        snapshot["issue"] = {"at": now.isoformat(), "date": day.isoformat(),
                             "text": date_text(day), "by": user_name(user)}
        report.snapshot, report.html = snapshot, render_html(snapshot)
        if files:
            report.pdf, report.docx = render_pdf(report.html), render_docx(snapshot)
        report.status, report.issued_at, report.issued_by = ReportStatus.ISSUED, now, user
        report._history_user = user
        report._change_reason = "Issued: content frozen"
        report.save()
    return report


def papers_due(step) -> datetime.date:
    """When the papers for a route step are due, by its body's working-day setting."""
    return deadlines.papers_due(step.meeting_date, step.body.papers_working_days)
