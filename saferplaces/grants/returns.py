"""The end-of-year return to the funder: what the grant was allocated to, what was spent,
and how each allocated action is progressing (its status and latest update).

`build_return` gathers it as plain data (figures from `grants.summary.grant_summary`, the
one place they are added up); the page, the CSV (`return_csv`, through core/csv_output.py)
and the PDF (`render_pdf`, printed by performance.report.render_pdf as board and
consultation reports are) are all rendered from it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template.loader import render_to_string

from saferplaces.core import clock
from saferplaces.core.csv_output import csv_text
from saferplaces.grants.models import Grant
from saferplaces.grants.summary import grant_summary

CSV_HEADER = ["Allocated to", "Kind", "Provider or lead", "Allocated (GBP)", "Spent (GBP)",
              "Remaining (GBP)", "Status", "Progress (%)", "Latest update on", "Latest update"]


def build_return(grant: Grant, today: datetime.date | None = None) -> dict:
    """The return's content as at `today` (the partnership's today by default).

    Keys: grant (the Grant), prepared_on, figures (grant_summary),
    rows (one per allocation: the summary row plus provider_or_lead, status, progress,
    update_on, update), spends (every spend line: on, what, description, reference, amount)
    and reporting_dates."""
    figures = grant_summary(grant)
    today = today or clock.today(grant.partnership)
    allocations = list(grant.allocations.select_related(
        "action__lead_organisation").prefetch_related("action__updates", "spends"))
    rows = []
    spends = []
    summary_rows = {row["id"]: row for row in figures["allocations"]}
    for allocation in allocations:
        rows.append({**summary_rows[allocation.pk], **_progress(allocation, today)})
        spends.extend({"on": spend.spent_on, "what": allocation.what,
                       "description": spend.description, "reference": spend.reference,
                       "amount": spend.amount} for spend in allocation.spends.all())
    spends.sort(key=lambda line: line["on"])
    return {
        "grant": grant, "figures": figures, "rows": rows, "spends": spends,
        "prepared_on": today,
        "reporting_dates": list(grant.reporting_dates.all()),
    }


def _progress(allocation, today: datetime.date) -> dict:
    """The action's progress as at `today`: its latest update on or before then (status,
    and progress where the update gave one), else the action's own status and progress."""
    action = allocation.action
    if action is None:
        return {"provider_or_lead": allocation.provider, "status": "Commissioned project",
                "progress": None, "update_on": None, "update": ""}
    updates = sorted((u for u in action.updates.all() if u.date <= today),
                     key=lambda u: (u.date, u.created_at))
    if not updates:
        return {"provider_or_lead": action.lead_organisation.name,
                "status": action.get_status_display(), "progress": action.progress,
                "update_on": None, "update": "No update yet"}
    latest = updates[-1]
    return {"provider_or_lead": action.lead_organisation.name,
            "status": latest.get_status_display(),
            "progress": action.progress if latest.progress is None else latest.progress,
            "update_on": latest.date, "update": latest.narrative}


def return_csv(content: dict) -> str:
    """One line per allocation, then the totals: allocated, not allocated, and the grant."""
    figures = content["figures"]
    lines = [[row["what"], row["kind"], row["provider_or_lead"], row["amount"], row["spent"],
              row["remaining"], row["status"], row["progress"],
              row["update_on"].isoformat() if row["update_on"] else "", row["update"]]
             for row in content["rows"]]
    lines.append(["Total allocated", "", "", figures["allocated"], figures["spent"],
                  figures["remaining"], "", "", "", ""])
    lines.append(["Not allocated", "", "", figures["balance"], Decimal("0.00"),
                  figures["balance"], "", "", "", ""])
    lines.append(["Grant", "", "", figures["amount"], figures["spent"], figures["unspent"],
                  "", "", "", ""])
    return csv_text(CSV_HEADER, lines)


def render_html(content: dict) -> str:
    """The return as a self-contained HTML document with its own styles, only ever printed
    to PDF (the page a browser shows is grants/return.html)."""
    return render_to_string("grants/report_document.html", {
        **content, "partnership": content["grant"].partnership})


def render_pdf(content: dict) -> bytes:
    from saferplaces.performance.report import render_pdf as print_pdf

    return print_pdf(render_html(content))
