"""A small workshop in the database: the hand-worked example of test_workshop_results.

Criteria Harm (weight 2, 1-5) and Concern (weight 1, 0-10); candidates X, Y, Z, W; scorers
s1, s2, s3; s2 skipped Z and s3 skipped Concern for X.
"""

import datetime

from saferplaces.workshop.models import CandidateTopic, Criterion, Score, Scorer, Workshop

VALUES = {
    ("s1", "X"): (5, 10), ("s1", "Y"): (3, 5), ("s1", "Z"): (4, 4), ("s1", "W"): (3, 5),
    ("s2", "X"): (4, 7), ("s2", "Y"): (5, 8), ("s2", "W"): (5, 8),
    ("s3", "X"): (2, None), ("s3", "Y"): (3, 2), ("s3", "Z"): (5, 10), ("s3", "W"): (3, 2),
}


def make_workshop(partnership, title: str = "Priority workshop", **fields) -> Workshop:
    """The worked example's workshop (criteria, candidates, scorers and scores)."""
    workshop = Workshop.objects.create(
        partnership=partnership, title=title, year=fields.pop("year", "2019/20"),
        date=fields.pop("date", datetime.date(2019, 6, 20)), **fields)
    harm = Criterion.objects.create(workshop=workshop, name="Harm", weight=2, scale_min=1,
                                    scale_max=5, order=1)
    concern = Criterion.objects.create(workshop=workshop, name="Concern", weight=1,
                                       scale_min=0, scale_max=10, order=2)
    candidates = {name: CandidateTopic.objects.create(workshop=workshop, name=name)
                  for name in ["X", "Y", "Z", "W"]}
    scorers = {name: Scorer.objects.create(workshop=workshop, name=name)
               for name in ["s1", "s2", "s3"]}
    for (scorer, candidate), (a, b) in VALUES.items():
        Score.objects.create(scorer=scorers[scorer], candidate=candidates[candidate],
                             criterion=harm, value=a)
        if b is not None:
            Score.objects.create(scorer=scorers[scorer], candidate=candidates[candidate],
                                 criterion=concern, value=b)
    return workshop
