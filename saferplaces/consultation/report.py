"""The consultation report: one self-contained HTML document (inline CSS) and its PDF,
printed by the board report's machinery (`performance.report.render_pdf`: WeasyPrint,
PDF/UA-1, no network). It holds what was consulted on, how (channels, distribution), who
answered, the results, who we heard from, the themes and "you said, we did"."""

from __future__ import annotations

from django.db.models import Count
from django.template.loader import render_to_string

from saferplaces.consultation import analysis, results
from saferplaces.consultation.models import Channel, Consultation


def render_html(consultation: Consultation, group: str = results.DEFAULT_GROUP) -> str:
    from saferplaces.performance.report import chart_svg

    questions = results.add_charts(results.question_results(consultation, (group,)))
    for question in questions:
        if question.chart:
            question.chart_svg = chart_svg(
                question.chart, f"Answers to {question.text}; the figures are in the table.")
    themes = results.theme_summaries(consultation)
    return render_to_string("consultation/report_document.html", {
        "consultation": consultation,
        "partnership": consultation.partnership,
        "questions": questions,
        "group_label": results.GROUP_LABELS[group],
        "small_group": analysis.SMALL_GROUP_BELOW,
        "reach": results.reach_tables(consultation),
        "themes": themes,
        "meetings": consultation.channel_responses.all(),
        "distributions": consultation.distributions.all(),
        "by_channel": [(Channel(row["channel"]).label, row["n"]) for row in
                       consultation.responses.values("channel").annotate(n=Count("pk"))
                       .order_by("channel")],
        "total": consultation.responses.count(),
        "you_said": results.you_said_we_did(consultation),
    })


def render_pdf(consultation: Consultation, group: str = results.DEFAULT_GROUP) -> bytes:
    from saferplaces.performance.report import render_pdf as print_pdf

    return print_pdf(render_html(consultation, group))
