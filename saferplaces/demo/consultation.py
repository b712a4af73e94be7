"""The demo's consultation: the draft 2020-2023 strategy, consulted on for 12 weeks through
the channels and distribution list of the founding report (section 8.3), exactly as named
there. The dates, the survey answers, meeting notes and themes are illustrative and labelled
so; "you said, we did" links to the strategy's real priorities and aims."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from saferplaces.consultation import services
from saferplaces.consultation.models import (
    AgeBand,
    Answer,
    ChannelPoint,
    ChannelResponse,
    Consultation,
    Distribution,
    Ethnicity,
    QuestionKind,
    QuestionOption,
    Sex,
    SurveyQuestion,
    SurveySection,
    Theme,
    YouSaidWeDid,
)
from saferplaces.consultation.wards import ward_choices
from saferplaces.demo.sync import sync
from saferplaces.strategy.models import Aim

TITLE = "Draft Community Safety and Harm Reduction Strategy 2020-2023"
# The consultation closed on 31 January 2020 (domain guide); 12 weeks before is 8 November.
OPENS = datetime.date(2019, 11, 8)
CLOSES = datetime.date(2020, 1, 31)
PURPOSE = (
    "The Safer Wolverhampton Partnership has drafted its community safety strategy for "
    "2020-2023. Tell us whether its proposed priorities are the right ones and what matters "
    "most where you live. The consultation runs for 12 weeks to comply with Wolverhampton's "
    "compact agreement. (Demonstration: the survey's answers are illustrative.)")

# Founding report 8.3, in its order: (name, channel). The online survey is the survey itself.
CHANNELS = [
    ("Community Partners and Communities Together (PACT) meetings across all Wards", "pact"),
    ("Wolverhampton Health and Wellbeing Together", "board"),
    ("Youth Offending Team (YOT) Board", "board"),
    ("Safer Wolverhampton Delivery Group", "board"),
    ("St George's Hub", "forum"),
    ("Youth Council", "forum"),
    ("Wolverhampton Domestic Violence Forum Executive Board", "board"),
    ("Wolverhampton Resilience Board", "board"),
    ("Interfaith Wolverhampton", "forum"),
    ("The Haven Wolverhampton", "forum"),
]
ILLUSTRATIVE_POINTS = {
    "pact": "Young people need more to do in the evenings\nMore visible policing in parks",
    "forum": "Victims need to know where to get help\nCommunities want to be involved",
    "board": "Link the strategy to the ASB teams' work\nMeasure reoffending across partners",
}

# Founding report 8.3: "The Consultation was also distributed to:" (recipient, method).
DISTRIBUTION = [
    ("All Councillor in-boxes and copies made available in members lounge", "email"),
    ("CWC staff, using City People", "newsletter"),
    ("Wolverhampton Anti-slavery Network", "email"),
    ("Wolverhampton Voluntary Sector", "email"),
    ("Wolverhampton Safeguarding Together", "email"),
    ("Third Sector Providers", "email"),
]

CONCERNS = ["Violence", "Drugs", "Anti-social behaviour", "Burglary", "Exploitation of "
            "young people"]
LIKERT = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree",
          "Strongly disagree"]
THEMES = {
    "Youth provision": ["More for young people to do", "Youth clubs closed near us",
                        "Somewhere safe for teenagers"],
    "Visible policing": ["More police on foot in the city centre", "PCSOs in the parks"],
    "Support for victims": ["Make it clear where victims get help"],
}
# theme -> the illustrative meeting points tagged with it
POINT_THEMES = {
    "Youth provision": ["Young people need more to do in the evenings"],
    "Visible policing": ["More visible policing in parks"],
    "Support for victims": ["Victims need to know where to get help"],
}
SURVEY_RESPONSES = 60


def load_consultation(partnership, strategy) -> dict[str, int]:
    """Create the demo consultation once; later runs change nothing."""
    if Consultation.objects.filter(partnership=partnership, title=TITLE).exists():
        return {}
    with transaction.atomic():
        consultation = Consultation.objects.create(
            partnership=partnership, title=TITLE, purpose=PURPOSE, strategy=strategy,
            opens_on=OPENS, closes_on=CLOSES, is_illustrative=True)
        questions = _survey(consultation, strategy)
        services.change_status(consultation, "open")
        _meetings(consultation)
        for recipient, method in DISTRIBUTION:
            sync(Distribution, consultation=consultation, recipient=recipient,
                 defaults={"method": method, "sent_on": OPENS,
                           "notes": "Date illustrative."})
        _responses(consultation, questions, ward_choices(partnership, OPENS))
        _themes(consultation)
        _you_said(consultation, strategy)
        for status in ("closed", "analysed", "published"):
            services.change_status(consultation, status)
    return {"consultation responses": SURVEY_RESPONSES,
            "consultation channels": len(CHANNELS)}


def _question(section, number, kind, text, options=(), required=False) -> SurveyQuestion:
    question = SurveyQuestion.objects.create(section=section, number=number, kind=kind,
                                             text=text, required=required)
    QuestionOption.objects.bulk_create(
        QuestionOption(question=question, number=n, label=label)
        for n, label in enumerate(options, start=1))
    return question


def _survey(consultation, strategy) -> dict[str, SurveyQuestion]:
    version = services.draft_version(consultation)
    priorities = list(strategy.priorities.order_by("number").values_list("title", flat=True))
    views = SurveySection.objects.create(version=version, number=1,
                                         title="The proposed priorities")
    place = SurveySection.objects.create(version=version, number=2, title="Where you live")
    return {
        "agree": _question(views, 1, QuestionKind.LIKERT, "The four proposed priorities are "
                           "the right ones for Wolverhampton.", LIKERT, required=True),
        "rank": _question(views, 2, QuestionKind.RANKING, "Rank the proposed priorities, most "
                          "important first.", priorities),
        "concerns": _question(place, 1, QuestionKind.MULTIPLE, "Which of these concern you "
                              "most where you live?", CONCERNS),
        "ward": _question(place, 2, QuestionKind.WARD, "Which ward do you live in?"),
        "comments": _question(place, 3, QuestionKind.TEXT, "Is there anything else the "
                              "strategy should do?"),
    }


def _meetings(consultation) -> None:
    for number, (name, channel) in enumerate(CHANNELS):
        meeting = sync(ChannelResponse, consultation=consultation, name=name, defaults={
            "channel": channel, "held_on": OPENS + datetime.timedelta(days=7 + 6 * number),
            "ward": "All wards" if channel == "pact" else "",
            "summary": "Illustrative: the draft strategy was presented and discussed.",
            "points_raised": ILLUSTRATIVE_POINTS[channel]})
        services.sync_points(meeting)


def _responses(consultation, questions, wards) -> None:
    pick = random.Random(2020)  # illustrative answers, the same on every run
    version = consultation.current_version()
    options = {key: list(q.options.all()) for key, q in questions.items()}
    comments = [text for texts in THEMES.values() for text in texts]
    for number in range(SURVEY_RESPONSES):
        ranked = pick.sample(options["rank"], k=len(options["rank"]))
        answers = [
            services.ChosenAnswer(questions["agree"],
                                  pick.choices(options["agree"], [30, 45, 15, 7, 3])[0]),
            *(services.ChosenAnswer(questions["rank"], o, rank=r)
              for r, o in enumerate(ranked, start=1)),
            *(services.ChosenAnswer(questions["concerns"], o)
              for o in pick.sample(options["concerns"], k=pick.randint(1, 3))),
        ]
        if wards:
            answers.append(services.ChosenAnswer(questions["ward"],
                                                 text=pick.choice(wards)[0]))
        if number < len(comments):
            answers.append(services.ChosenAnswer(questions["comments"], text=comments[number]))
        day = OPENS + datetime.timedelta(days=pick.randint(0, (CLOSES - OPENS).days))
        services.save_response(
            consultation, version, answers, channel="paper" if number % 10 == 9 else "online",
            consent=True, submitted_at=timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(12))),
            equality={"sex": pick.choice([Sex.FEMALE, Sex.MALE, Sex.FEMALE, ""]),
                      "age_band": pick.choice([a for a, _ in AgeBand.choices]),
                      "ethnicity": pick.choice([Ethnicity.WHITE, Ethnicity.WHITE,
                                                Ethnicity.ASIAN, Ethnicity.BLACK, ""])})


def _themes(consultation) -> None:
    answers = {a.text: a for a in Answer.objects.filter(
        response__consultation=consultation, question__kind=QuestionKind.TEXT)}
    for name, texts in THEMES.items():
        theme = Theme.objects.create(consultation=consultation, name=name,
                                     description="Illustrative theme.")
        theme.answers.set([answers[t] for t in texts if t in answers])
        theme.points.set(ChannelPoint.objects.filter(meeting__consultation=consultation,
                                                     text__in=POINT_THEMES.get(name, [])))


def _you_said(consultation, strategy) -> None:
    """Illustrative points, linked to the real priorities and aims they concern."""
    priority = {p.title: p for p in strategy.priorities.all()}
    aims = {(a.priority.title, a.number): a for a in
            Aim.objects.filter(priority__strategy=strategy).select_related("priority")}
    themes = {t.name: t for t in consultation.themes.all()}
    entries = [
        (themes["Youth provision"], "Young people need more to do and somewhere safe to go.",
         "already", "Preventing violence works with the #YES Youth Engagement Strategy.",
         {"priority": priority["Preventing violence"]}),
        (themes["Support for victims"], "Victims do not know where to get help.", "changed",
         "The aim to increase reporting of under-reported crimes now includes publicising "
         "where victims get help.", {"aim": aims[("Reducing harm", 1)]}),
        (None, "Communities want to be involved in making their areas safer.", "changed",
         "Building community capacity was added as a fourth priority.",
         {"priority": priority["Building community capacity"]}),
        (None, "Link the strategy to the anti-social behaviour teams' work.", "changed",
         "The strategy now names its links with the ASB teams (a Cabinet condition too).",
         {"aim": aims[("Building community capacity", 2)]}),
        (themes["Visible policing"], "More visible policing.", "not_changed",
         "Deployment is for West Midlands Police; the partnership passed the point on.", {}),
    ]
    points = {p.text: p for p in ChannelPoint.objects.filter(
        meeting__consultation=consultation).order_by("meeting__held_on", "number")}
    raised = {"Communities want to be involved in making their areas safer.":
              points.get("Communities want to be involved"),
              "Link the strategy to the anti-social behaviour teams' work.":
              points.get("Link the strategy to the ASB teams' work")}
    for number, (theme, said, outcome, did, link) in enumerate(entries, start=1):
        YouSaidWeDid.objects.create(consultation=consultation, number=number, theme=theme,
                                    point=raised.get(said), you_said=said, outcome=outcome,
                                    we_did=did, **link)
