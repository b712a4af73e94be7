"""The strategic assessment as a document: a JSON snapshot of figures and narrative, rendered
to HTML, PDF and Word, in the shape of the board report (performance/report.py).

``build_snapshot`` reads the database once (sections.py) and returns plain data; the renderers
read only the snapshot. ``publish`` freezes a version: snapshot, HTML, PDF and Word document
are stored on the ``Assessment`` and served as stored from then on. A draft is rebuilt from
current data each time.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from saferplaces.assessment import sections
from saferplaces.assessment.models import (
    Assessment,
    AssessmentSection,
    AssessmentStatus,
    SectionKey,
)
from saferplaces.core import clock, periods
from saferplaces.core.numbers import format_number, format_p_value
from saferplaces.core.words import date_text, user_name

SNAPSHOT_VERSION = 1
TEMPLATE = "assessment/report_document.html"  # a download, never shown as a page
FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class AssessmentError(ValueError):
    """An assessment cannot be built, published or copied; the message says why."""


def assessment_title(partnership, period: periods.Period) -> str:
    return f"{partnership.short_name} strategic assessment {period.code}"


# --------------------------------------------------------------------------------------------
# Snapshot


def context_for(assessment: Assessment, today: datetime.date | None = None
                ) -> sections.Context:
    partnership = assessment.partnership
    return sections.Context(
        partnership=partnership, area=assessment.area or partnership.area,
        force=partnership.police_force or None, period=assessment.period_value,
        today=today or clock.today(partnership),
        serious_violence_types=list(assessment.serious_violence_types or []),
        workshop=assessment.workshop)


def build_snapshot(assessment: Assessment, today: datetime.date | None = None) -> dict:
    """Every figure and narrative of the assessment as plain JSON-serialisable data."""
    ctx = context_for(assessment, today)
    narratives = (dict(assessment.sections.values_list("key", "narrative"))
                  if assessment.pk else {})
    built = sections.build_sections(ctx)
    for item in built:
        item["narrative"] = narratives.get(item["key"], "")
    partnership = assessment.partnership
    simulated = sorted({m for item in built for m in item["simulated_months"]})
    return {
        "version": SNAPSHOT_VERSION,
        "title": assessment.title,
        "assessment_version": assessment.version,
        "status": assessment.status,
        "partnership": {"name": partnership.name, "short_name": partnership.short_name,
                        "slug": partnership.slug,
                        "demonstration": partnership.is_demonstration},
        "area": ctx.area.name if ctx.area else "",
        "period": {"code": ctx.period.code, "label": ctx.period.label,
                   "start": ctx.period.start.isoformat(), "end": ctx.period.end.isoformat()},
        "generated": {"date": ctx.today.isoformat(), "text": date_text(ctx.today)},
        "serious_violence_types": sorted(ctx.serious_violence_types),
        "illustrative_narrative": assessment.is_illustrative,
        "simulated_months": simulated,
        "sections": built,
        "publication": None,
    }


def snapshot_for(assessment: Assessment) -> dict:
    """The frozen snapshot of a published version, else one built from current data."""
    if assessment.is_published and assessment.snapshot:
        return assessment.snapshot
    return build_snapshot(assessment)


# --------------------------------------------------------------------------------------------
# Rendering


def is_p_column(header: str) -> bool:
    return header == "p" or header.startswith("p (")


def cell_text(value) -> str:
    """A table cell as the documents print it (numbers through core.numbers)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, float):
        if value.is_integer():
            return format_number(int(value))
        return format_number(value, decimals=2)
    return str(value)


def table_text(found: dict) -> list[list[str]]:
    """A table's rows as text. Fractions have two decimals in every column, whatever their
    size, so a column reads alike; p-value columns have four (format_p_value); columns named in
    ``exact`` (map coordinates) are printed in full."""
    exact = set(found.get("exact", ()))
    p_columns = {i for i, name in enumerate(found.get("header", [])) if is_p_column(name)}
    return [[str(v) if i in exact else format_p_value(v) if i in p_columns else cell_text(v)
             for i, v in enumerate(row)]
            for row in found["rows"]]


def _printable(snapshot: dict, with_svg: bool) -> list[dict]:
    from saferplaces.performance.report import _with_svg

    printable = []
    for item in snapshot["sections"]:
        printable.append({
            **item,
            "paragraphs": [p for p in item.get("narrative", "").split("\n\n") if p.strip()],
            "tables": [{**t, "rows": table_text(t),
                        "numeric": _numeric_columns(t["rows"])} for t in item["tables"]],
            "charts": [_chart_text(_with_svg(c) if with_svg else c) for c in item["charts"]],
        })
    return printable


def _chart_text(chart: dict) -> dict:
    if not chart["table"]:
        return chart
    return {**chart, "table": {**chart["table"], "rows": table_text(chart["table"])}}


def _numeric_columns(rows: list[list]) -> list[bool]:
    if not rows:
        return []
    return [all(isinstance(row[i], int | float) or row[i] is None for row in rows)
            for i in range(len(rows[0]))]


def render_html(snapshot: dict) -> str:
    """One self-contained HTML document (inline CSS, charts as inline SVG)."""
    return render_to_string(TEMPLATE, {"report": snapshot,
                                       "sections": _printable(snapshot, with_svg=True)})


def render_pdf(html: str) -> bytes:
    from saferplaces.performance.report import render_pdf as print_pdf

    return print_pdf(html)


def render_docx(snapshot: dict) -> bytes:
    """The same content as a Word document (core/docx_output.py)."""
    from saferplaces.core import docx_output

    created = datetime.date.fromisoformat(snapshot["generated"]["date"])
    document = docx_output.new_document(snapshot["title"], created=created,
                                        author=snapshot["partnership"]["name"])
    docx_output.add_heading(document, snapshot["title"], level=0)
    docx_output.add_paragraphs(document, "\n\n".join(_front_lines(snapshot)))
    for item in _printable(snapshot, with_svg=False):
        docx_output.add_heading(document, item["title"], level=1)
        if item["sentence"]:
            docx_output.add_paragraphs(document, item["sentence"])
        docx_output.add_paragraphs(document, f"Where the figures come from: {item['source']}")
        if item["coverage"]:
            docx_output.add_paragraphs(document, f"Data: {item['coverage']}")
        if item["empty"]:
            docx_output.add_paragraphs(document, item["empty"])
        for paragraph in item["paragraphs"]:
            docx_output.add_paragraphs(document, paragraph)
        if item["paragraphs"] and snapshot["illustrative_narrative"]:
            docx_output.add_paragraphs(document, "(Illustrative narrative.)")
        for found in item["tables"]:
            if found["rows"]:
                docx_output.add_table(document, found["header"], found["rows"],
                                      caption=found["caption"])
            else:
                docx_output.add_paragraphs(document, f"{found['caption']}: none.")
        for chart in item["charts"]:
            docx_output.add_chart(document, chart["spec"], f"{chart['title']}. "
                                  f"{chart['caption']}")
            if chart["table"]:
                docx_output.add_table(document, chart["table"]["header"],
                                      chart["table"]["rows"],
                                      caption=f"Figures: {chart['title']}")
        if item["notes"]:
            docx_output.add_bullets(document, item["notes"])
    return docx_output.to_bytes(document)


def _front_lines(snapshot: dict) -> list[str]:
    lines = [f"{snapshot['partnership']['name']}. {snapshot['area']}, "
             f"{snapshot['period']['label']}. Version {snapshot['assessment_version']}."]
    publication = snapshot.get("publication")
    if publication:
        lines.append(f"Published on {publication['text']}"
                     + (f" by {publication['by']}" if publication["by"] else "")
                     + "; figures and narrative frozen.")
    else:
        lines.append(f"DRAFT built from the data on {snapshot['generated']['text']}: figures "
                     "may change until it is published.")
    lines.extend(notices(snapshot))
    return lines


def notices(snapshot: dict) -> list[str]:
    """What a reader must know about simulated or illustrative content."""
    found = []
    if snapshot["partnership"]["demonstration"]:
        found.append("Demonstration partnership: people, actions and narratives are "
                     "illustrative.")
    if snapshot["illustrative_narrative"]:
        found.append("The narratives of this assessment are illustrative.")
    if snapshot["simulated_months"]:
        found.append(f"{len(snapshot['simulated_months'])} month(s) of the crime figures are "
                     "SIMULATED demonstration data, not police.uk's; each section says how "
                     "many of its months are real.")
    return found


def render(snapshot: dict, fmt: str) -> bytes:
    """The document in ``fmt`` (html, pdf or docx) as bytes."""
    if fmt == "docx":
        return render_docx(snapshot)
    html = render_html(snapshot)
    return render_pdf(html) if fmt == "pdf" else html.encode("utf-8")


def output(assessment: Assessment, fmt: str) -> bytes:
    """A published version's frozen file, else the draft built now."""
    if fmt not in FORMATS:
        raise AssessmentError(f"Unknown format {fmt!r}: html, pdf or docx.")
    if assessment.is_published:
        stored = {"html": assessment.html.encode("utf-8"), "pdf": assessment.pdf,
                  "docx": assessment.docx}[fmt]
        return bytes(stored)
    return render(build_snapshot(assessment), fmt)


def filename(assessment: Assessment, fmt: str) -> str:
    suffix = "" if assessment.is_published else "-DRAFT"
    return (f"{assessment.partnership.slug}-strategic-assessment-{assessment.period}"
            f"-v{assessment.version}{suffix}.{fmt}").replace("/", "-").replace(" ", "-")


def html_fragment(html: str):
    return mark_safe(html)  # noqa: S308 - our own template's output


# --------------------------------------------------------------------------------------------
# Creating, publishing, new versions


@transaction.atomic
def create(partnership, period: str | periods.Period, serious_violence_types: list[str],
           user=None, is_illustrative: bool = False, workshop=None) -> Assessment:
    """A new draft (version 1, or the next version number) with an empty narrative for every
    section. Raises AssessmentError when a draft for the period already exists."""
    period = period if isinstance(period, periods.Period) else periods.parse_period(period)
    existing = Assessment.objects.filter(partnership=partnership, period=period.code)
    draft = existing.filter(status=AssessmentStatus.DRAFT).first()
    if draft is not None:
        raise AssessmentError(f"There is already a draft assessment for {period.label} "
                              f"(version {draft.version}); edit it or publish it first.")
    latest = existing.order_by("-version").first()
    assessment = Assessment(
        partnership=partnership, period=period.code, area=partnership.area,
        title=assessment_title(partnership, period),
        version=(latest.version + 1) if latest else 1,
        serious_violence_types=sorted(serious_violence_types), created_by=user,
        previous=latest, is_illustrative=is_illustrative, workshop=workshop)
    assessment._history_user = user
    assessment._change_reason = "Created"
    assessment.save()
    narratives = dict(latest.sections.values_list("key", "narrative")) if latest else {}
    for key in SectionKey.values:
        part = AssessmentSection(assessment=assessment, key=key,
                                 narrative=narratives.get(key, ""))
        part._history_user = user
        part.save()
    return assessment


def new_version(published: Assessment, user=None) -> Assessment:
    """A new draft copied from a published version: same period, settings and narrative."""
    if not published.is_published:
        raise AssessmentError("Only a published assessment is copied into a new version; "
                              "edit this draft instead.")
    return create(published.partnership, published.period, published.serious_violence_types,
                  user, published.is_illustrative, published.workshop)


def publish(assessment: Assessment, user=None, today: datetime.date | None = None
            ) -> Assessment:
    """Freeze the draft: snapshot (figures and narrative), HTML, PDF and Word document."""
    if assessment.is_published:
        raise AssessmentError(f"Version {assessment.version} is already published.")
    now = clock.now(assessment.partnership)
    snapshot = build_snapshot(assessment, today)
    snapshot["status"] = AssessmentStatus.PUBLISHED.value
    snapshot["publication"] = {"at": now.isoformat(),
                               "text": date_text(timezone.localtime(now).date()),
                               "by": user_name(user)}
    html = render_html(snapshot)
    assessment.snapshot, assessment.html = snapshot, html
    assessment.pdf, assessment.docx = render_pdf(html), render_docx(snapshot)
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.published_at, assessment.published_by = now, user
    assessment._history_user = user
    assessment._change_reason = "Published: figures and narrative frozen"
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.is_published:
            raise AssessmentError(f"Version {assessment.version} was published at the same "
                                  "moment; reload to see it.")
        assessment.save()
    return assessment


def latest_for(partnership, period: periods.Period) -> Assessment:
    """The latest published version for the period, else the latest draft, else an unsaved
    draft with the default serious-violence definition (for the command line)."""
    from saferplaces.assessment.models import DEFAULT_SERIOUS_VIOLENCE

    versions = Assessment.objects.filter(partnership=partnership, period=period.code)
    found = (versions.filter(status=AssessmentStatus.PUBLISHED).order_by("-version").first()
             or versions.order_by("-version").first())
    if found is not None:
        return found
    return Assessment(partnership=partnership, period=period.code, area=partnership.area,
                      title=assessment_title(partnership, period),
                      serious_violence_types=list(DEFAULT_SERIOUS_VIOLENCE))
