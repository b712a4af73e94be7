"""A consultation's results: reads responses from the database into plain data and hands it
to `consultation.analysis`. Questions of different survey versions are one question when
their kind and wording are the same; their options match by label."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from saferplaces.consultation import analysis
from saferplaces.consultation.models import (
    PREFER_NOT,
    PROFILE_CATEGORIES,
    Answer,
    CensusProfile,
    Consultation,
    EqualityMonitoring,
    ProfileDimension,
    QuestionKind,
    Response,
    SurveyQuestion,
    Theme,
)
from saferplaces.consultation.survey import OUTSIDE_AREA
from saferplaces.consultation.wards import partnership_wards, ward_populations
from saferplaces.core import charts


@dataclass
class QuestionResult:
    key: tuple[str, str]  # (kind, text)
    kind: str
    text: str
    options: list[str]
    answered: int = 0
    tally: analysis.Tally | None = None
    likert: analysis.LikertResult | None = None
    ranking: list[analysis.RankScore] = field(default_factory=list)
    by_channel: dict[str, analysis.Tally] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    chart: dict | None = None  # a Vega-Lite bar chart of the tally (add_charts)
    chart_id: str = ""

    @property
    def shown_tally(self) -> analysis.Tally | None:
        """The counts per answer: a choice question's tally or a Likert distribution."""
        return self.tally or (self.likert.tally if self.likert else None)

    @property
    def kind_label(self) -> str:
        return QuestionKind(self.kind).label


def question_index(consultation: Consultation) -> tuple[dict[int, tuple[str, str]],
                                                     dict[tuple[str, str], QuestionResult]]:
    """question id -> key, and key -> an empty result (latest version's wording and
    options first, then any options only older versions had), in survey order."""
    rows = (SurveyQuestion.objects.filter(section__version__consultation=consultation)
            .prefetch_related("options")
            .order_by("-section__version__number", "section__number", "number"))
    key_of: dict[int, tuple[str, str]] = {}
    found: dict[tuple[str, str], QuestionResult] = {}
    for question in rows:
        key = (question.kind, question.text)
        key_of[question.pk] = key
        result = found.setdefault(key, QuestionResult(key, question.kind, question.text, []))
        result.options.extend(o.label for o in question.options.all()
                              if o.label not in result.options)
    return key_of, found


def question_results(consultation: Consultation) -> list[QuestionResult]:
    key_of, results = question_index(consultation)
    channel_of = dict(Response.objects.filter(consultation=consultation)
                      .values_list("pk", "channel"))
    chosen: dict[tuple[str, str], dict[int, list]] = {key: {} for key in results}
    for response_id, question_id, label, rank, text in (
            Answer.objects.filter(response__consultation=consultation)
            .order_by("response_id", "rank", "pk")
            .values_list("response_id", "question_id", "option__label", "rank", "text")):
        key = key_of[question_id]
        value = (label, rank) if results[key].kind == QuestionKind.RANKING else (label or text)
        chosen[key].setdefault(response_id, []).append(value)
    for key, result in results.items():
        answers = chosen[key]
        result.answered = len(answers)
        if result.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            result.tally = analysis.tally(result.options, answers.values())
            result.by_channel = analysis.by_group(result.options, answers, channel_of)
        elif result.kind == QuestionKind.LIKERT:
            result.likert = analysis.likert(result.options, [v[0] for v in answers.values()])
            result.by_channel = analysis.by_group(result.options, answers, channel_of)
        elif result.kind == QuestionKind.RANKING:
            result.ranking = analysis.ranking(result.options,
                                              [dict(v) for v in answers.values()])
        elif result.kind == QuestionKind.TEXT:
            result.texts = [v[0] for v in answers.values()]
        else:  # ward and postcode district: tallied by the value given
            values = [v[0] for v in answers.values()]
            result.tally = analysis.tally(sorted(set(values)), ([v] for v in values))
    return list(results.values())


@dataclass(frozen=True)
class ReachTable:
    dimension: str
    reach: analysis.Reach
    source: str


def reach_tables(consultation: Consultation) -> list[ReachTable]:
    """Respondents against the area for age, sex and ethnic group (equality monitoring
    against the loaded census profile) and ward (ward questions against the wards'
    residents)."""
    respondents = Response.objects.filter(consultation=consultation).count()
    profile = CensusProfile.objects.filter(partnership=consultation.partnership)
    tables = []
    for dimension, (field_name, choices) in PROFILE_CATEGORIES.items():
        labels = dict(choices.choices)
        rows = list(profile.filter(dimension=dimension))
        population = {labels[r.category]: r.population for r in rows}
        stated = stated_answers(consultation, field_name)
        ordered = {label: stated.get(label, 0) for value, label in choices.choices
                   if value != PREFER_NOT[0] and (label in stated or label in population)}
        tables.append(ReachTable(
            ProfileDimension(dimension).label,
            analysis.reach(ordered, population, respondents - sum(stated.values())),
            rows[0].source if rows else ""))
    tables.append(_ward_reach(consultation, respondents))
    return tables


def stated_answers(consultation: Consultation, field_name: str) -> dict[str, int]:
    """Respondents per answer (by label) to one equality monitoring question, leaving out
    those who did not answer or preferred not to say."""
    labels = dict(EqualityMonitoring._meta.get_field(field_name).choices)
    given = Counter(EqualityMonitoring.objects.filter(response__consultation=consultation)
                    .exclude(**{field_name: ""}).exclude(**{field_name: PREFER_NOT[0]})
                    .values_list(field_name, flat=True))
    return {labels[value]: n for value, n in given.items()}


def monitoring_table(consultation: Consultation, field_name: str) -> ReachTable:
    """Respondents' answers to one equality monitoring question, with no population to
    compare against (the census profile covers age, sex and ethnic group only)."""
    stated = stated_answers(consultation, field_name)
    respondents = Response.objects.filter(consultation=consultation).count()
    dimension = str(EqualityMonitoring._meta.get_field(field_name).verbose_name)
    return ReachTable(dimension[0].upper() + dimension[1:],
                      analysis.reach(stated, {}, respondents - sum(stated.values())), "")


def _ward_reach(consultation: Consultation, respondents: int) -> ReachTable:
    wards = partnership_wards(consultation.partnership, consultation.opens_on)
    names = {w.code: w.name for w in wards}
    populations, source = ward_populations(wards)
    # a respondent counts once per ward, even with two ward questions
    given = Counter(code for _, code in set(
        Answer.objects.filter(response__consultation=consultation,
                              question__kind=QuestionKind.WARD)
        .exclude(text__in=["", OUTSIDE_AREA]).values_list("response_id", "text")))
    counted = Counter()
    for code, n in given.items():
        counted[names.get(code, code)] += n
    population = {names[code]: n for code, n in populations.items() if code in names}
    return ReachTable("Ward", analysis.reach(counted, population,
                                             respondents - sum(counted.values())),
                      source if population else "")


def add_charts(questions: list[QuestionResult]) -> list[QuestionResult]:
    """Give each tallied question a bar chart of its answers (core.charts, as the evidence
    pages draw theirs)."""
    for number, question in enumerate(questions, start=1):
        question.chart_id = f"answers-chart-{number}"
        tally = question.shown_tally
        if tally and tally.answered:
            question.chart = charts.bar_chart(
                [{"label": o.label, "value": o.count} for o in tally.options],
                question.text[:80], x_title="Respondents")
    return questions


def theme_summaries(consultation: Consultation) -> list[analysis.ThemeSummary]:
    """Each theme of the codebook with how many answers carry it and example quotes."""
    codebook = list(consultation.themes.values_list("name", flat=True))
    tagged = (Theme.answers.through.objects.filter(theme__consultation=consultation)
              .order_by("answer__response__submitted_at", "answer_id")
              .values_list("theme__name", "answer__text"))
    return analysis.themes(codebook, tagged)
