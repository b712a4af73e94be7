"""The consultation report: one self-contained HTML document (inline CSS) and its PDF,
printed by the board report's machinery (`performance.report.render_pdf`: WeasyPrint,
PDF/UA-1, no network). It holds what was consulted on, how (channels, distribution), who
answered, the results, who we heard from, the themes and "you said, we did"."""

from __future__ import annotations

from django.db.models import Count
from django.template.loader import render_to_string

from saferplaces.consultation import results
from saferplaces.consultation.models import Consultation


def render_html(consultation: Consultation) -> str:
    return render_to_string("consultation/report_document.html", {
        "consultation": consultation,
        "partnership": consultation.partnership,
        "questions": results.question_results(consultation),
        "reach": results.reach_tables(consultation),
        "themes": results.theme_summaries(consultation),
        "meetings": consultation.channel_responses.all(),
        "distributions": consultation.distributions.all(),
        "by_channel": consultation.responses.values("channel").annotate(n=Count("pk"))
        .order_by("channel"),
        "total": consultation.responses.count(),
        "you_said": consultation.you_said_we_did.select_related(
            "theme", "priority", "aim__priority", "action"),
    })


def render_pdf(consultation: Consultation) -> bytes:
    from saferplaces.performance.report import render_pdf as print_pdf

    return print_pdf(render_html(consultation))
