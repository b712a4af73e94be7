"""A consultation's results: reads responses from the database into plain data and hands it
to `consultation.analysis`. Questions of different survey versions are one question when
their kind and wording are the same; their options match by label."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from saferplaces.consultation import analysis
from saferplaces.consultation.models import (
    EQUALITY_QUESTIONS,
    PREFER_NOT,
    PROFILE_CATEGORIES,
    Answer,
    CensusProfile,
    Channel,
    ChannelPoint,
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
from saferplaces.core import charts, params


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
    # by channel, then ward, then each equality characteristic asked for (choice and Likert)
    breakdowns: list[analysis.Breakdown] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    chart: dict | None = None  # a Vega-Lite bar chart of the tally (add_charts)
    chart_id: str = ""
    chart_svg: str = ""  # the chart drawn for a printed report (consultation.report)

    @property
    def shown_tally(self) -> analysis.Tally | None:
        """The counts per answer: a choice question's tally or a Likert distribution."""
        return self.tally or (self.likert.tally if self.likert else None)

    @property
    def kind_label(self) -> str:
        return QuestionKind(self.kind).label

    @property
    def by_channel(self) -> dict[str, analysis.Tally]:
        return self.breakdowns[0].groups if self.breakdowns else {}

    @property
    def shown_breakdowns(self) -> list[analysis.Breakdown]:
        """The breakdowns worth a table: more than one group, or groups left out."""
        return [b for b in self.breakdowns if len(b.groups) > 1 or b.hidden]


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


# The equality characteristics a breakdown can be by: EqualityMonitoring field -> name
GROUP_LABELS = {"age_band": "Age", "sex": "Sex", "gender_reassignment": "Gender reassignment",
                "partnered": "Marriage and civil partnership",
                "pregnancy": "Pregnancy and maternity", "disability": "Disability",
                "ethnicity": "Ethnic group", "religion": "Religion or belief",
                "sexual_orientation": "Sexual orientation"}
DEFAULT_GROUP = "age_band"


def group_choice(request) -> str:
    """?group=, the equality characteristic a page breaks results down by (default age; a
    bad value is shown as a message and the default used)."""
    return params.or_default(request, DEFAULT_GROUP, params.choice, "group",
                             list(GROUP_LABELS), default=DEFAULT_GROUP)


def question_results(consultation: Consultation, groups: tuple[str, ...] = (DEFAULT_GROUP,)
                     ) -> list[QuestionResult]:
    """Every question's results, with choice and Likert questions broken down by channel,
    ward and each equality characteristic in `groups` (EqualityMonitoring field names);
    ward and equality groups with too few respondents are left out
    (`analysis.suppress_small`)."""
    key_of, results = question_index(consultation)
    dimensions = [("Channel", channel_groups(consultation), False),
                  ("Ward", ward_groups(consultation), True)]
    dimensions += [(GROUP_LABELS[name], equality_groups(consultation, name), True)
                   for name in groups]
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
        if result.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.LIKERT):
            if result.kind == QuestionKind.LIKERT:
                result.likert = analysis.likert(result.options,
                                                [v[0] for v in answers.values()])
            else:
                result.tally = analysis.tally(result.options, answers.values())
            result.breakdowns = [_breakdown(name, result.options, answers, group_of, personal)
                                 for name, group_of, personal in dimensions]
        elif result.kind == QuestionKind.RANKING:
            result.ranking = analysis.ranking(result.options,
                                              [dict(v) for v in answers.values()])
        elif result.kind == QuestionKind.TEXT:
            result.texts = [v[0] for v in answers.values()]
        else:  # ward and postcode district: tallied by the value given
            values = [v[0] for v in answers.values()]
            result.tally = analysis.tally(sorted(set(values)), ([v] for v in values))
    return list(results.values())


def _breakdown(dimension: str, options: list[str], answers: dict[int, list],
               group_of: dict[int, str], personal: bool) -> analysis.Breakdown:
    groups = analysis.by_group(options, answers, group_of)
    if personal:  # wards and equality groups are personal data: small groups are left out
        return analysis.suppress_small(dimension, groups)
    return analysis.Breakdown(dimension, groups, 0)


def channel_groups(consultation: Consultation) -> dict[int, str]:
    """response id -> its channel's label."""
    return {pk: Channel(channel).label for pk, channel in
            Response.objects.filter(consultation=consultation).values_list("pk", "channel")}


def ward_groups(consultation: Consultation) -> dict[int, str]:
    """response id -> the name of the ward given in its first ward question answered."""
    names = {w.code: w.name for w in partnership_wards(consultation.partnership,
                                                      consultation.opens_on)}
    names[OUTSIDE_AREA] = "Outside the area"
    found: dict[int, str] = {}
    for response_id, code in (Answer.objects.filter(response__consultation=consultation,
                                                    question__kind=QuestionKind.WARD)
                              .exclude(text="")
                              .order_by("response_id", "question__section__number",
                                        "question__number")
                              .values_list("response_id", "text")):
        found.setdefault(response_id, names.get(code, code))
    return found


def equality_groups(consultation: Consultation, field_name: str) -> dict[int, str]:
    """response id -> the label of its answer to one equality question ("Prefer not to say"
    and no answer are left out: counted as not stated)."""
    labels = dict(EQUALITY_QUESTIONS[field_name][1].choices)
    return {response_id: labels[value] for response_id, value in
            EqualityMonitoring.objects.filter(response__consultation=consultation)
            .exclude(**{field_name: ""}).exclude(**{field_name: PREFER_NOT[0]})
            .values_list("response_id", field_name)}


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
    """Each theme of the codebook with how many answers carry it and example quotes, and
    apart from them how many points raised at meetings and forums carry it, per channel."""
    codebook = list(consultation.themes.values_list("name", flat=True))
    tagged = (Theme.answers.through.objects.filter(theme__consultation=consultation)
              .order_by("answer__response__submitted_at", "answer_id")
              .values_list("theme__name", "answer__text"))
    points = (Theme.points.through.objects.filter(theme__consultation=consultation)
              .order_by("channelpoint__meeting__held_on", "channelpoint__meeting_id",
                        "channelpoint__number")
              .values_list("theme__name", "channelpoint__meeting__channel",
                           "channelpoint__text"))
    return analysis.themes(codebook, tagged, tagged_points=(
        (theme, Channel(channel).label, text) for theme, channel, text in points))


def meeting_points(consultation: Consultation):
    """The points raised at the consultation's meetings and forums, meeting by meeting."""
    return (ChannelPoint.objects.filter(meeting__consultation=consultation)
            .select_related("meeting")
            .order_by("meeting__held_on", "meeting__name", "meeting_id", "number"))


def you_said_we_did(consultation: Consultation) -> list:
    """The "you said, we did" entries, each with `heard`: its theme's summary (how many
    survey answers and meeting points carry it), or None."""
    heard = {t.theme: t for t in theme_summaries(consultation)}
    items = list(consultation.you_said_we_did.select_related(
        "theme", "point__meeting", "priority", "aim__priority", "action"))
    for item in items:
        item.heard = heard.get(item.theme.name) if item.theme else None
    return items
