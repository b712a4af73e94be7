"""The demo's priority-setting workshop: the independently facilitated June 2019 workshop at
which the 2020-2023 priorities were chosen (founding report 3.1-3.2). That it happened, in
June 2019, with board members, statutory partners and third sector representatives, is
real; its date, candidate topics, scorers and scores are illustrative and labelled so. The
scores lead to the strategy's four real priorities, and the workshop records that strategy."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from saferplaces.partnership.models import Person
from saferplaces.strategy.models import Strategy
from saferplaces.workshop.models import (
    CandidateTopic,
    Criterion,
    Score,
    Scorer,
    ScoreSource,
    Workshop,
    WorkshopStatus,
)

TITLE = "Priority-setting workshop for the 2020-2023 strategy"
HELD_ON = datetime.date(2019, 6, 20)  # "June 2019" is real; the day is illustrative
YEAR = "2019/20"
STRATEGY_TITLE = "Community Safety and Harm Reduction Strategy 2020-2023"

# (name, description, police.uk crime types, consultation themes, base scores on the nine
# default criteria in their order: physical, psychological, financial, community harm, volume
# and trend, victim vulnerability, public concern, partnership capacity, confidence)
CANDIDATES = [
    ("Reducing offending and reoffending",
     "Adult and youth offending, early intervention and offender management.",
     ["Burglary", "Robbery", "Shoplifting"], [], [3, 3, 4, 4, 4, 3, 4, 5, 4]),
    ("Preventing violence, including knife crime",
     "Serious and interpersonal violence, knife crime and youth violence.",
     ["Violence and sexual offences", "Possession of weapons"], ["Youth provision"],
     [5, 5, 3, 4, 4, 4, 5, 5, 4]),
    ("Reducing harm: exploitation, county lines and domestic abuse",
     "Hidden and under-reported harm: exploitation of children and adults, county lines, "
     "domestic abuse, modern slavery.",
     ["Drugs"], ["Support for victims"], [5, 5, 3, 3, 3, 5, 4, 5, 3]),
    ("Building community capacity and cohesion",
     "Residents involved in their area, trust and confidence, reporting, cohesion.",
     [], ["Visible policing"], [2, 3, 2, 5, 3, 3, 4, 5, 4]),
    ("Anti-social behaviour",
     "Nuisance, environmental and personal anti-social behaviour.",
     ["Anti-social behaviour", "Criminal damage and arson"], ["Visible policing"],
     [1, 3, 2, 4, 3, 2, 5, 3, 4]),
    ("Burglary and vehicle crime", "Domestic burglary, theft of and from vehicles.",
     ["Burglary", "Vehicle crime"], [], [1, 3, 4, 2, 3, 2, 4, 2, 4]),
    ("Hate crime", "Crime motivated by hostility to a protected characteristic.",
     ["Public order"], [], [3, 4, 1, 4, 2, 4, 3, 3, 2]),
    ("Substance misuse", "Drug and alcohol misuse and the crime it drives.",
     ["Drugs"], [], [3, 3, 3, 3, 3, 3, 3, 3, 2]),
]
CHOSEN = 4  # the four highest-ranked become the strategy's priorities

# (person in the demo register, what they represent); the first scores on the web with the
# demo board member's login, the others' paper sheets were typed in by the coordinator.
SCORERS = [
    ("Beverley Adams", "Resident representative"),
    ("Margaret Hale", "City of Wolverhampton Council"),
    ("Richard Boyd", "West Midlands Police"),
    ("Mark Ellis", "National Probation Service"),
    ("Sam Patel", "West Midlands Fire Service"),
    ("Helen Price", "Clinical Commissioning Group"),
    ("Grace Bennett", "Wolverhampton Voluntary Sector Council"),
    ("Nadia Rahman", "Wolverhampton Domestic Violence Forum"),
]
SKIPPED_CANDIDATE = ("Sam Patel", "Hate crime")  # left early: did not score it
SKIPPED_CRITERION = ("Grace Bennett", "Confidence in the evidence")  # left it blank throughout
CONFIDENCE_WEIGHT = 0.5  # the partnership halved the weight of its confidence score
SEED = 2019  # scorers' leanings are drawn from a fixed seed, so every demo is the same


def _value(base: int, leaning: int, scorer: int, candidate: int, criterion: int) -> int:
    """The base score moved by the scorer's leaning on this topic (-1, 0 or +1) and by -1, 0
    or +1 in a fixed pattern over the criteria, within the 1-5 scale."""
    offset = (scorer * 7 + candidate * 3 + criterion * 5) % 3 - 1
    return min(5, max(1, base + leaning + offset))


def load_workshop(partnership) -> dict[str, int]:
    """Create the demo workshop once; later runs change nothing."""
    if Workshop.objects.filter(partnership=partnership, title=TITLE).exists():
        return {}
    with transaction.atomic():
        workshop = Workshop.objects.create(
            partnership=partnership, title=TITLE, year=YEAR, date=HELD_ON,
            facilitator="Independent facilitator (illustrative)",
            status=WorkshopStatus.CLOSED, is_illustrative=True,
            notes="Board members, statutory partners and third sector representatives who "
                  "deliver specialist interventions scored the candidate topics (founding "
                  "report 3.1-3.2). Topics, scorers and scores are illustrative.",
            draft_strategy=Strategy.objects.filter(partnership=partnership,
                                                   title=STRATEGY_TITLE).first())
        workshop.add_default_criteria()
        Criterion.objects.filter(workshop=workshop, name=SKIPPED_CRITERION[1]).update(
            weight=CONFIDENCE_WEIGHT)
        _scores(workshop, partnership)
    return {"workshop candidate topics": len(CANDIDATES), "workshop scorers": len(SCORERS),
            "workshop scores": Score.objects.filter(scorer__workshop=workshop).count()}


def _scores(workshop: Workshop, partnership) -> None:
    criteria = list(workshop.criteria.order_by("order"))
    candidates = [CandidateTopic.objects.create(
        workshop=workshop, name=name, description=description, crime_types=types,
        consultation_themes=themes, chosen=number < CHOSEN)
        for number, (name, description, types, themes, _base) in enumerate(CANDIDATES)]
    people = {p.name: p for p in Person.objects.filter(partnership=partnership)}
    users = get_user_model().objects.in_bulk(["board-member", "swp-admin"],
                                             field_name="username")
    leanings = random.Random(SEED)
    scores = []
    for s, (name, represents) in enumerate(SCORERS):
        on_web = s == 0
        scorer = Scorer.objects.create(workshop=workshop, name=name, represents=represents,
                                       person=people.get(name),
                                       user=users.get("board-member") if on_web else None)
        for c, (candidate, row) in enumerate(zip(candidates, CANDIDATES, strict=True)):
            leaning = leanings.choice([-1, 0, 1])
            if (name, candidate.name) == SKIPPED_CANDIDATE:
                continue
            for k, (criterion, base) in enumerate(zip(criteria, row[4], strict=True)):
                if (name, criterion.name) == SKIPPED_CRITERION:
                    continue
                scores.append(Score(
                    scorer=scorer, candidate=candidate, criterion=criterion,
                    value=_value(base, leaning, s, c, k), scale_min=criterion.scale_min,
                    scale_max=criterion.scale_max,
                    source=ScoreSource.WEB if on_web else ScoreSource.PAPER,
                    entered_by=users.get("board-member" if on_web else "swp-admin")))
    bulk_create_with_history(scores, Score)
