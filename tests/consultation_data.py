"""Building consultations for the consultation tests: a survey with one question of each
kind, opened, and responses answered through the models."""

from __future__ import annotations

import datetime

from saferplaces.consultation import services
from saferplaces.consultation.models import (
    Consultation,
    QuestionKind,
    QuestionOption,
    SurveyQuestion,
    SurveySection,
)

OPENS = datetime.date(2019, 11, 8)
CLOSES = datetime.date(2020, 1, 31)  # 12 weeks exactly

OPTIONS = {
    QuestionKind.SINGLE: ["Yes", "No"],
    QuestionKind.MULTIPLE: ["Violence", "Reoffending", "Victims", "Communities"],
    QuestionKind.LIKERT: ["Strongly agree", "Agree", "Neither agree nor disagree",
                          "Disagree", "Strongly disagree"],
    QuestionKind.RANKING: ["Preventing violence", "Reducing reoffending",
                           "Reducing victimisation"],
}


def make_consultation(partnership, *, status: str = "draft", **fields) -> Consultation:
    """A consultation whose survey has one question of every kind (in QuestionKind order),
    all optional; `status` other than draft opens it first (locking version 1)."""
    consultation = Consultation.objects.create(
        partnership=partnership, title=fields.pop("title", "Draft strategy 2020-2023"),
        purpose="Tell us what you think of the draft strategy.", subject="Draft strategy",
        opens_on=OPENS, closes_on=CLOSES, **fields)
    version = services.draft_version(consultation)
    section = SurveySection.objects.create(version=version, number=1, title="Priorities")
    for number, (kind, _) in enumerate(QuestionKind.choices, start=1):
        question = SurveyQuestion.objects.create(section=section, number=number, kind=kind,
                                                 text=f"Question about {kind}")
        QuestionOption.objects.bulk_create(
            QuestionOption(question=question, number=n, label=label)
            for n, label in enumerate(OPTIONS.get(kind, []), start=1))
    if status != "draft":
        services.change_status(consultation, "open")
        for step in {"closed": ["closed"], "analysed": ["closed", "analysed"],
                     "published": ["closed", "analysed", "published"]}.get(status, []):
            services.change_status(consultation, step)
    return consultation


def question(consultation: Consultation, kind: str, version: int = 1) -> SurveyQuestion:
    return SurveyQuestion.objects.get(section__version__consultation=consultation,
                                      section__version__number=version, kind=kind)


def option(consultation: Consultation, kind: str, label: str) -> QuestionOption:
    return question(consultation, kind).options.get(label=label)
