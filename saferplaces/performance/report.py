"""The board performance report: the scorecard, exceptions with their commentary, action-plan
progress by priority and key evidence charts for one financial quarter, as HTML and PDF.

No HTTP here. ``build_snapshot`` reads the database once and returns plain JSON-serialisable
figures (strings, numbers, booleans, lists and dicts; chart specs are Vega-Lite dicts). Rendering
reads only the snapshot: ``render_html`` turns it into a self-contained HTML document with every
chart inlined as SVG (rendered in-process from the same specs the web pages use), and
``render_pdf`` prints that HTML with WeasyPrint.

``issue`` freezes a report: it stores the snapshot (with what changed since the previous issued
report), the HTML and the PDF on the ``BoardReport``. Anything reading an issued report serves
those stored values and never recomputes them, so later data changes cannot alter it.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import logging
import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from saferplaces.core import charts, clock, periods
from saferplaces.core.numbers import format_number
from saferplaces.core.words import date_text, user_name
from saferplaces.crime import evidence
from saferplaces.performance import report_sentences, scorecard, units
from saferplaces.performance.models import (
    BoardReport,
    IndicatorKind,
    ReportStatus,
    Source,
)
from saferplaces.strategy.models import (
    Action,
    ActionPlan,
    ActionStatus,
    ActionUpdate,
    PlanStatus,
)

SNAPSHOT_VERSION = 1
TREND_PERIODS = 8  # periods drawn in each indicator's trend chart, ending with the report's
EVIDENCE_MONTHS = 24  # months in the crime trend chart
TEMPLATE = "performance/report_document.html"


class ReportError(ValueError):
    """A report cannot be built or issued; the message says why in plain English."""


# --------------------------------------------------------------------------------------------
# Periods and formatting


def report_period(text: str | periods.Period) -> periods.Period:
    """The financial quarter a board report covers, from text such as "2020-Q3".

    Raises ValueError with ``periods.parse_period``'s message for unreadable text, and a
    ReportError for a period that is not a financial quarter (board reports are quarterly).
    """
    period = text if isinstance(text, periods.Period) else periods.parse_period(text)
    if period.kind != "financial_quarter":
        raise ReportError(f"Board reports cover a financial quarter, such as 2020-Q3 (Oct–Dec "
                          f"2020); {period.code!r} is not one.")
    return period


def _month_text(day: datetime.date) -> str:
    return f"{day:%b %Y}"


# --------------------------------------------------------------------------------------------
# The snapshot


def build_snapshot(partnership, period: str | periods.Period,
                   today: datetime.date | None = None) -> dict:
    """Every figure the report shows for ``partnership`` and the financial quarter ``period``,
    as plain JSON-serialisable data. ``today`` (default: today) dates the report; actions and
    data quality are judged as at ``scorecard.as_at(period, today)``: today, or for a past
    quarter the date its report was due, so an old quarter's report shows what was overdue
    then.

    Raises ValueError for an unreadable period, and ReportError when the period is not a
    quarter or the partnership has no indicators.
    """
    period = report_period(period)
    today = today or clock.today(partnership)
    judged = scorecard.as_at(period, today)
    card = scorecard.build(partnership, period, today)
    if not card.rows:
        raise ReportError(f"{partnership.name} has no performance indicators yet, so there is "
                          "nothing to report.")
    rows = {row.indicator.pk: _row(row) for row in card.rows}
    plan = plan_for(partnership, period)
    evidence_charts, evidence_note, evidence_sentence = _evidence_charts(partnership, period)
    snapshot = {
        "version": SNAPSHOT_VERSION,
        "title": _report_title(period),
        "status": ReportStatus.DRAFT.value,
        "partnership": {"name": partnership.name, "short_name": partnership.short_name,
                        "slug": partnership.slug},
        "period": {"code": period.code, "label": period.label,
                   "start": period.start.isoformat(), "end": period.end.isoformat()},
        "generated": {"date": today.isoformat(), "text": date_text(today)},
        "as_at": {"date": judged.isoformat(), "text": date_text(judged)},
        "scorecard": [{"title": group.title,
                       "rows": [rows[row.indicator.pk] for row in group.rows]}
                      for group in card.groups],
        "rag_counts": {(status or "none"): n for status, n in card.rag_counts.items()},
        "exceptions": [row for row in rows.values() if row["is_exception"]],
        "actions": _action_progress(partnership, plan, period, judged),
        "charts": {"indicators": _indicator_charts(card.rows), "evidence": evidence_charts,
                   "evidence_note": evidence_note, "trend_periods": TREND_PERIODS},
        "changes": {"previous": None, "lines": []},
        "issue": None,
    }
    snapshot["labels"] = _labels(partnership, list(rows.values()), plan, snapshot["charts"])
    snapshot["sentences"] = _sentences(snapshot, rows, period, evidence_sentence)
    return snapshot


def _sentences(snapshot: dict, rows: dict, period: periods.Period,
               evidence_sentence: str | None) -> dict:
    """The plain-English sentence that opens each section (report_sentences.py)."""
    charted = {chart["id"].removeprefix("indicator-") for chart in snapshot["charts"]["indicators"]}
    return {
        "scorecard": report_sentences.scorecard_sentence(snapshot["rag_counts"]),
        "exceptions": report_sentences.exceptions_sentence(snapshot["exceptions"]),
        "actions": report_sentences.actions_sentence(snapshot["actions"]),
        "trends": report_sentences.trends_sentence(
            [row for row in rows.values() if row["code"] in charted], _frequency_word(period)),
        "evidence": evidence_sentence,
    }


def _report_title(period: periods.Period) -> str:
    return f"Board performance report: {period.label}"


def _row(row: scorecard.IndicatorRow) -> dict:
    """One scorecard line as plain data."""
    indicator, value = row.indicator, row.value
    significance = row.significance
    return {
        "code": indicator.code,
        "name": indicator.name,
        "kind": indicator.kind,
        "unit": indicator.get_unit_display(),
        "owner": indicator.owner.short_name,
        "period": row.period.code,
        "period_label": row.period.label,
        "value": row.value_number,
        "value_text": units.format_value(row.value_number, indicator.unit),
        "target": row.target,
        "target_text": units.format_value(row.target, indicator.unit),
        "rag": row.rag.status or "none",
        "rag_label": row.rag.label,
        "rag_reason": row.rag.reason,
        "short_term": row.travel.short_term.label,
        "short_term_judgement": row.travel.short_term.judgement or "",
        "long_term": row.travel.long_term.label,
        "long_term_judgement": row.travel.long_term.judgement or "",
        "significance": significance.label if significance else "Not applicable",
        "significance_judgement": (significance.judgement or "") if significance else "",
        "peer": row.peer.label if row.peer else row.peer_note,
        "flags": [flag.label for flag in row.flags],
        "commentary": value.commentary if value else "",
        "illustrative": indicator.is_illustrative,
        "simulated": bool(value and value.includes_simulated),
        "self_approved": bool(value and value.self_approved),
        "peer_illustrative": bool(indicator.peer_group and indicator.peer_group.is_illustrative),
        "is_exception": row.is_exception,
        "exception_reason": _exception_reason(row),
    }


def scorecard_lines(card: scorecard.Scorecard) -> list[dict]:
    """Each indicator of a scorecard once, as the board report's plain rows (the strategic
    assessment shows the same)."""
    return [_row(row) for row in card.rows]


def _exception_reason(row: scorecard.IndicatorRow) -> str:
    reasons = []
    if row.rag.status == "red":
        reasons.append("red against its target")
    if row.significance is not None and row.significance.judgement == "worsening":
        why = row.significance.reason.rstrip(".")
        reasons.append(f"significantly worse than the same period last year "
                       f"({why[:1].lower()}{why[1:]})")
    text = "; ".join(reasons)
    return f"{text[:1].upper()}{text[1:]}."


# --------------------------------------------------------------------------------------------
# Action-plan progress


def plan_for(partnership, period: periods.Period) -> ActionPlan | None:
    """The action plan covering the period (the active one first), else the current plan."""
    plans = ActionPlan.objects.for_partnership(partnership)
    covering = plans.filter(start_date__lte=period.end,
                            end_date__gte=period.start).select_related("strategy")
    return (covering.filter(status=PlanStatus.ACTIVE).order_by("-year").first()
            or covering.order_by("-year").first()
            or plans.current(clock.today(partnership)))


def _action_progress(partnership, plan: ActionPlan | None, period: periods.Period,
                     today: datetime.date) -> dict:
    statuses = [{"value": value, "label": label} for value, label in ActionStatus.choices]
    progress = {"plan": None, "statuses": statuses, "priorities": [], "totals": {},
                "total": 0, "overdue": [], "completed": [],
                "as_at": date_text(today)}
    if plan is None:
        return progress
    totals = dict(plan.actions.values_list("status").annotate(n=Count("pk")).order_by())
    progress.update({
        "plan": {"label": str(plan), "strategy": plan.strategy.title,
                 "status": plan.get_status_display(), "illustrative": plan.is_illustrative},
        "priorities": _priority_counts(plan),
        "totals": {s["value"]: totals.get(s["value"], 0) for s in statuses},
        "total": sum(totals.values()),
        "overdue": [_action_line(a, due=True, today=today)
                    for a in _with_leads(plan.actions.overdue(today)).order_by("due_date")],
        "completed": _completed(partnership, period),
    })
    return progress


def _priority_counts(plan: ActionPlan) -> list[dict]:
    """Counts of the plan's actions by status for each priority (an action serving aims under
    two priorities counts under both; one with no aims under "No priority")."""
    counts: dict[int | None, dict[str, int]] = {}
    rows = (plan.actions.values_list("aims__priority", "status")
            .annotate(n=Count("pk", distinct=True)).order_by())
    for priority_id, status, n in rows:
        counts.setdefault(priority_id, {})[status] = n
    groups = [(p.pk, f"{p.number}. {p.title}") for p in plan.strategy.priorities.all()]
    if None in counts:
        groups.append((None, "No priority"))
    return [{"title": title,
             "counts": {value: counts.get(pk, {}).get(value, 0) for value in ActionStatus.values},
             "total": sum(counts.get(pk, {}).values())}
            for pk, title in groups]


def _with_leads(actions):
    return actions.select_related("lead_organisation", "lead_officer")


def _action_line(action: Action, due: bool = False, today: datetime.date | None = None,
                 completed: datetime.date | None = None) -> dict:
    lead = action.lead_organisation.short_name
    if action.lead_officer is not None:
        lead = f"{lead} ({action.lead_officer.name})"
    line = {"reference": action.reference, "title": action.title, "lead": lead,
            "status": action.get_status_display(), "due": date_text(action.due_date)}
    if due and today is not None:
        line["days_overdue"] = (today - action.due_date).days
    if completed is not None:
        line["completed"] = date_text(completed)
    return line


def _completed(partnership, period: periods.Period) -> list[dict]:
    """Actions with an update marking them complete dated within the period (first one each)."""
    updates = (ActionUpdate.objects
               .filter(action__plan__strategy__partnership=partnership,
                       status=ActionStatus.COMPLETE, date__gte=period.start,
                       date__lte=period.end)
               .select_related("action__lead_organisation", "action__lead_officer")
               .order_by("date", "created_at"))
    seen, lines = set(), []
    for update in updates:
        if update.action_id not in seen:
            seen.add(update.action_id)
            lines.append(_action_line(update.action, completed=update.date))
    return lines


# --------------------------------------------------------------------------------------------
# Charts


def _trend_periods(period: periods.Period) -> list[str]:
    codes = []
    for _ in range(TREND_PERIODS):
        codes.append(period.code)
        period = periods.previous_period(period)
    return codes[::-1]


def _indicator_charts(rows: Iterable[scorecard.IndicatorRow]) -> list[dict]:
    """One trend chart per performance indicator, with its target for the period drawn."""
    found = []
    for row in rows:
        indicator = row.indicator
        if indicator.kind != IndicatorKind.PERFORMANCE:
            continue
        values = {v.period: v for v in indicator.values.all() if v.counts}
        shown = [values[code] for code in _trend_periods(row.period) if code in values]
        points = [{"month": periods.month_code(value.period_start), "value": value.value,
                   "simulated": value.includes_simulated} for value in shown]
        if not points:
            continue
        spec = charts.trend_chart(points, f"{indicator.code} {indicator.name}",
                                  y_title=indicator.get_unit_display(), target=row.target,
                                  y_format=units.chart_format(indicator.unit))
        if indicator.source != Source.COMPUTED:
            spec = _relabel(spec, "police.uk", "Reported value")
        if row.period.kind == "financial_quarter":
            _quarter_axis(spec)
        target = f"; dashed line: target {units.format_value(row.target, indicator.unit)}" if (
            row.target is not None) else "; no target set for this period"
        found.append({
            "id": f"indicator-{indicator.code}", "title": f"{indicator.code} {indicator.name}",
            "caption": f"{indicator.code}: {len(points)} value{'s' * (len(points) != 1)} in "
                       f"the {TREND_PERIODS} {_frequency_word(row.period)}s to "
                       f"{row.period.label}{target}.",
            "simulated": any(p["simulated"] for p in points),
            "simulated_text": scorecard.simulated_values_sentence(shown),
            "illustrative": indicator.is_illustrative, "spec": spec,
            "table": {"header": [_frequency_word(row.period).capitalize(),
                                 indicator.get_unit_display()],
                      "rows": [[periods.period_label(value.period),
                                units.format_value(value.value, indicator.unit)]
                               for value in shown]}})
    return found


def _frequency_word(period: periods.Period) -> str:
    return {"month": "month", "financial_quarter": "quarter"}.get(period.kind, "year")


def _quarter_axis(spec: dict) -> None:
    """Tick the time axis of a trend chart of quarterly values once a quarter, not monthly."""
    for layer in spec.get("layer", []):
        x = layer.get("encoding", {}).get("x")
        if x is not None:
            x["title"] = "Quarter (first month shown)"
            x.setdefault("axis", {})["tickCount"] = {"interval": "month", "step": 3}


def _relabel(value, old: str, new: str):
    """The spec with every string equal to ``old`` replaced: the trend chart names its
    non-simulated series "police.uk", which is wrong for partner-submitted figures."""
    if isinstance(value, dict):
        return {key: _relabel(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [_relabel(item, old, new) for item in value]
    return new if value == old else value


def _evidence_charts(partnership, period: periods.Period
                     ) -> tuple[list[dict], str, str | None]:
    """The crime trend to the end of the period and the crime mix in the period, or a note
    saying why there are none; and the sentence opening the section."""
    try:
        place = evidence.place_for(partnership)
    except evidence.NoEvidence as exc:
        return [], f"Evidence charts are not included: {exc}", None
    end = min(period.end.replace(day=1), place.last)
    if end < place.first:
        return [], "Evidence charts are not included: there is no crime data before the end " \
                   f"of {period.label}.", None
    simulated = evidence.simulated_months(place)
    first = periods.add_months(end, -(EVIDENCE_MONTHS - 1))
    trend_scope = place.scope(max(first, place.first), end)
    trend = evidence.monthly_trend(trend_scope, simulated=simulated)
    months = f"{_month_text(trend_scope.start)}–{_month_text(end)}"
    found = [{"id": "evidence-trend", "title": f"Recorded crime by month, {months}",
              "caption": f"All police.uk street-level crime in {place.area.name}, {months}.",
              "simulated": any(p["simulated"] for p in trend), "illustrative": False,
              "simulated_text": periods.simulated_months_sentence(
                  simulated, trend_scope.start, end),
              "spec": charts.trend_chart(trend, f"Recorded crime by month, {months}"),
              "table": {"header": ["Month", "Crimes"],
                        "rows": [[_month_text(periods.parse_month(p["month"])),
                                  format_number(p["value"])] for p in trend]}}]
    mix_start = max(period.start.replace(day=1), place.first)
    if mix_start <= end:
        mix = evidence.crime_mix(place.scope(mix_start, end))
        mix_months = f"{_month_text(mix_start)}–{_month_text(end)}"
        found.append({
            "id": "evidence-mix", "title": f"Crime by type, {mix_months}",
            "caption": f"police.uk street-level crime in {place.area.name} by type, "
                       f"{mix_months}.",
            "simulated": any(mix_start <= m <= end for m in simulated), "illustrative": False,
            "simulated_text": periods.simulated_months_sentence(simulated, mix_start, end),
            "spec": charts.bar_chart(mix, f"Crime by type, {mix_months}"),
            "table": {"header": ["Crime type", "Crimes"],
                      "rows": [[r["label"], format_number(r["value"])] for r in mix]}})
        return found, "", report_sentences.evidence_sentence(place.area.name, mix_months, mix)
    return found, "", None


# --------------------------------------------------------------------------------------------
# Notices


def _labels(partnership, rows: list[dict], plan: ActionPlan | None, chart_sets: dict) -> dict:
    """Whether illustrative or simulated data appears, with the notices the report prints."""
    illustrative = sorted({r["code"] for r in rows if r["illustrative"]})
    simulated = sorted({r["code"] for r in rows if r["simulated"]}
                       | {c["id"].removeprefix("indicator-") for c in chart_sets["indicators"]
                          if c["simulated"]})
    peer_illustrative = any(r["peer_illustrative"] for r in rows)
    evidence_simulated = any(c["simulated"] for c in chart_sets["evidence"])
    plan_illustrative = bool(plan and plan.is_illustrative)
    notices = []
    if partnership.is_demonstration:
        notices.append("Demonstration partnership: the people, actions and updates in this "
                       "report are illustrative.")
    if illustrative:
        notices.append(f"Illustrative values: {', '.join(illustrative)} use demonstration "
                       "figures, not real performance data.")
    if peer_illustrative:
        notices.append("Peer comparisons use an illustrative peer group and figures.")
    if plan_illustrative:
        notices.append("The action plan is illustrative demonstration content.")
    if simulated:
        notices.append(f"Simulated data: values of {', '.join(simulated)} include months of "
                       "simulated demonstration crime data (drawn grey in charts).")
    self_approved = [r["code"] for r in rows if r.get("self_approved")]
    if self_approved:
        notices.append(f"Self-approved values: {', '.join(self_approved)} were approved by the "
                       "officer who submitted them (this partnership allows it, having one "
                       "officer).")
    for chart in chart_sets["evidence"]:
        if chart["simulated_text"]:
            notices.append(f"Simulated data in “{chart['title']}”: {chart['simulated_text']} "
                           "(demonstration crime data).")
    return {"illustrative": bool(illustrative or peer_illustrative or plan_illustrative
                                 or partnership.is_demonstration),
            "simulated": bool(simulated or evidence_simulated),
            "illustrative_indicators": illustrative, "simulated_indicators": simulated,
            "notices": notices}


# --------------------------------------------------------------------------------------------
# Changes since the previous report


def _rows_by_code(snapshot: dict) -> dict[str, dict]:
    rows = {}
    for group in snapshot.get("scorecard", []):
        for row in group["rows"]:
            rows.setdefault(row["code"], row)
    return rows


def _title(row: dict) -> str:
    return f"{row['code']} {row['name']}"


def changes_since(previous_snapshot: dict, snapshot: dict) -> list[str]:
    """Plain-English lines saying what changed between two reports' snapshots: indicators
    added or removed, RAG, value and target changes, and exceptions new or cleared."""
    before, after = _rows_by_code(previous_snapshot), _rows_by_code(snapshot)
    lines = [f"{_title(after[code])} is new in this report."
             for code in sorted(after.keys() - before.keys())]
    lines += [f"{_title(before[code])} is no longer reported."
              for code in sorted(before.keys() - after.keys())]
    for code in sorted(before.keys() & after.keys()):
        lines += _row_changes(before[code], after[code])
    return lines


def _row_changes(before: dict, after: dict) -> list[str]:
    name, lines = _title(after), []
    if before["rag"] != after["rag"]:
        lines.append(f"{name}: RAG changed from {before['rag_label']} to {after['rag_label']}.")
    if before["value"] != after["value"]:
        lines.append(f"{name}: {before['value_text']} in {before['period_label']}, "
                     f"{after['value_text']} in {after['period_label']}.")
    if before["target"] != after["target"]:
        lines.append(f"{name}: target changed from {before['target_text']} to "
                     f"{after['target_text']}.")
    if after["is_exception"] and not before["is_exception"]:
        lines.append(f"{name} is a new exception.")
    if before["is_exception"] and not after["is_exception"]:
        lines.append(f"{name} is no longer an exception.")
    return lines


def previous_issued(partnership, period: str | periods.Period) -> BoardReport | None:
    """The partnership's latest issued report for a period before ``period``."""
    start = report_period(period).start
    earlier = [(periods.parse_period(r.period).start, r) for r in BoardReport.objects.filter(
        partnership=partnership, status=ReportStatus.ISSUED).defer("pdf", "html")
        if periods.parse_period(r.period).start < start]
    return max(earlier, key=lambda pair: pair[0])[1] if earlier else None


def _with_changes(snapshot: dict, previous: BoardReport | None) -> dict:
    if previous is not None:
        issued = previous.snapshot.get("issue") or {}
        snapshot["changes"] = {
            "previous": {"title": previous.title, "period": previous.period,
                         "period_label": previous.snapshot["period"]["label"],
                         "issued": issued.get("text", "")},
            "lines": changes_since(previous.snapshot, snapshot)}
    return snapshot


def preview(partnership, period: str | periods.Period, today: datetime.date | None = None) -> dict:
    """A draft snapshot from current data, with the changes since the previous issued report."""
    snapshot = build_snapshot(partnership, period, today)
    return _with_changes(snapshot, previous_issued(partnership, period))


# --------------------------------------------------------------------------------------------
# Rendering


def render_html(snapshot: dict) -> str:
    """The report as one self-contained HTML document (inline CSS, charts as inline SVG)."""
    chart_sets = snapshot["charts"]
    context = {
        "report": snapshot,
        "indicator_charts": [_with_svg(c) for c in chart_sets["indicators"]],
        "evidence_charts": [_with_svg(c) for c in chart_sets["evidence"]],
        "action_rows": _action_rows(snapshot["actions"]),
    }
    return render_to_string(TEMPLATE, context)


def _action_rows(progress: dict) -> list[dict]:
    """The status counts table: one row per priority and one for the whole plan."""
    order = [status["value"] for status in progress["statuses"]]
    rows = [{"title": p["title"], "cells": [p["counts"][s] for s in order], "total": p["total"]}
            for p in progress["priorities"]]
    if progress["plan"] is not None:
        rows.append({"title": "Whole plan", "cells": [progress["totals"][s] for s in order],
                     "total": progress["total"]})
    return rows


def _with_svg(chart: dict) -> dict:
    """The chart with its SVG, named as an image by its title and caption (the figures
    follow it as a table). Vega's per-mark ARIA attributes are left out: smaller and faster
    to print, and the table carries the figures."""
    return {**chart, "svg": chart_svg(chart["spec"], f"{chart['title']}. {chart['caption']}")}


def chart_svg(spec: dict, description: str) -> str:
    """A chart spec as inline SVG for a printed document (this report, the consultation
    report), named as an image by `description`."""
    svg = charts.to_svg({**spec, "config": {**spec.get("config", {}), "aria": False}})
    return mark_safe(_named_svg(svg, description))  # noqa: S308


def _named_svg(svg: str, description: str) -> str:
    """The SVG as an image with an accessible name: role="img", aria-label and a <title>.
    vl-convert escapes every text it writes, and ``description`` is escaped here."""
    text = escape(description)
    opening = _SVG_OPENING.match(svg)
    inside = _MARK_ROLES.sub("", svg[opening.end():])
    return (f'{opening.group(0)[:-1]} role="img" aria-label="{text}"><title>{text}</title>'
            f"{inside}")


_SVG_OPENING = re.compile(r"<svg\b[^>]*>")
# The roles and names vl-convert gives each mark group: inside an image they only make
# assistive technology (and axe-core) look for a name on every one.
_MARK_ROLES = re.compile(r' (?:role|aria-roledescription|aria-label)="[^"]*"')


def render_pdf(html: str) -> bytes:
    """The HTML printed to PDF with WeasyPrint: A4, system fonts, no network access (only
    data: URLs may be fetched)."""
    with _quiet_progress():  # importing WeasyPrint the first time logs progress too
        import weasyprint
        from weasyprint.urls import URLFetcher

        fetcher = URLFetcher(allowed_protocols={"data"})
        document = weasyprint.HTML(string=_svg_as_images(html), base_url=None,
                                   url_fetcher=fetcher)
        return document.write_pdf(pdf_variant="pdf/ua-1")


_INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def _svg_as_images(html: str) -> str:
    """Each inline chart SVG handed to WeasyPrint as an SVG image (a data: URL). The drawing
    is the same vector SVG, but WeasyPrint then reads it with its XML parser rather than its
    pure-Python HTML5 parser, which prints the demo report about half a second faster. The
    charts are vl-convert's, which escapes all text, so "</svg>" only ever closes one."""
    return _INLINE_SVG.sub(_svg_image, html)


def _svg_image(match: re.Match) -> str:
    """The SVG as an image whose alternative text is the SVG's accessible name."""
    svg = match.group(0)
    label = _ARIA_LABEL.search(_SVG_OPENING.match(svg).group(0))
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = label.group(1) if label else ""
    return f'<img alt="{alt}" src="data:image/svg+xml;base64,{data}">'


_ARIA_LABEL = re.compile(r'aria-label="([^"]*)"')


@contextlib.contextmanager
def _quiet_progress():
    """Silence WeasyPrint's step-by-step progress log, which INFO logging would print."""
    logger = logging.getLogger("weasyprint.progress")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


# --------------------------------------------------------------------------------------------
# Drafts and issuing


def draft(partnership, period: str | periods.Period,
          today: datetime.date | None = None) -> BoardReport:
    """An UNSAVED draft report built from current data; the caller saves it if it wants to
    keep it. The partnership's existing draft for the period is reused (its snapshot
    refreshed), so saving never piles up drafts. Raises ReportError as ``build_snapshot``, and
    when the period's report has already been issued."""
    period = report_period(period)
    issued = issued_report(partnership, period)
    if issued is not None:
        raise ReportError(f"The report for {period.label} was issued on "
                          f"{_issued_text(issued)}; it is frozen and cannot be redrafted.")
    report = draft_record(partnership, period)
    report.snapshot = preview(partnership, period, today)
    report.title = report.snapshot["title"]
    return report


def draft_record(partnership, period: str | periods.Period) -> BoardReport:
    """The partnership's saved draft for the period, else a new unsaved one; nothing built."""
    code = report_period(period).code
    return (BoardReport.objects.filter(partnership=partnership, period=code,
                                       status=ReportStatus.DRAFT).order_by("-pk").first()
            or BoardReport(partnership=partnership, period=code,
                           title=_report_title(report_period(code))))


def issued_report(partnership, period: str | periods.Period) -> BoardReport | None:
    """The partnership's issued report for the period, if there is one."""
    code = report_period(period).code
    return BoardReport.objects.filter(partnership=partnership, period=code,
                                      status=ReportStatus.ISSUED).first()


def _issued_text(report: BoardReport) -> str:
    return date_text(timezone.localtime(report.issued_at).date()) if report.issued_at else "?"


def issue(report: BoardReport, user=None, today: datetime.date | None = None) -> BoardReport:
    """Freeze ``report``: rebuild its snapshot from current data, add the changes since the
    previous issued report (linked as ``previous``), render and store the HTML and PDF, and
    mark it issued by ``user`` now. Saves the report (a new one too).

    Raises ReportError if the report is already issued, or another report for the same
    partnership and period has been.
    """
    _check_can_issue(report)
    now = clock.now(report.partnership)
    previous = previous_issued(report.partnership, report.period)
    snapshot = _with_changes(build_snapshot(report.partnership, report.period, today), previous)
    snapshot["status"] = ReportStatus.ISSUED.value
    snapshot["issue"] = {"at": now.isoformat(), "text": date_text(timezone.localtime(now)),
                         "by": user_name(user)}
    html = render_html(snapshot)
    report.snapshot, report.html, report.pdf = snapshot, html, render_pdf(html)
    report.title, report.previous = snapshot["title"], previous
    report.status, report.issued_at, report.issued_by = ReportStatus.ISSUED, now, user
    report._history_user = user
    report._change_reason = "Issued: figures frozen"
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise ReportError("A report for this period was issued at the same moment; reload "
                          "to see it.") from exc
    return report


def _check_can_issue(report: BoardReport) -> None:
    if report.status == ReportStatus.ISSUED:
        raise ReportError(f"This report was already issued on {_issued_text(report)}.")
    existing = issued_report(report.partnership, report.period)
    if existing is not None:
        raise ReportError(f"The report for {existing.snapshot['period']['label']} was already "
                          f"issued on {_issued_text(existing)}; a period is issued only once.")
