"""The workshop's aggregation, spread and sensitivity on a hand-worked example.

Criteria: A (weight 2, scale 1-5) and B (weight 1, scale 0-10). A value's share of its scale
is (value - lowest) / (highest - lowest); a scorer's score is 100 x the weighted mean share.

    scorer  candidate  A  B    shares        score
    s1      X          5  10   1, 1          100
    s1      Y          3  5    .5, .5        50
    s1      Z          4  4    .75, .4       100 x (1.5 + .4) / 3 = 63 1/3
    s1      W          3  5    .5, .5        50
    s2      X          4  7    .75, .7       100 x 2.2 / 3 = 73 1/3
    s2      Y          5  8    1, .8         100 x 2.8 / 3 = 93 1/3
    s2      Z          -  -    (skipped the candidate)
    s2      W          5  8    1, .8         93 1/3
    s3      X          2  -    .25 (skipped B: A's weight alone) 25
    s3      Y          3  2    .5, .2        100 x 1.2 / 3 = 40
    s3      Z          5  10   1, 1          100
    s3      W          3  2    .5, .2        40

X: 100, 73 1/3, 25 -> mean 595/9 = 66.111, median 73.333, population s.d. sqrt(78050)/9.
Y and W: 50, 93 1/3, 40 -> mean 61.111, median 50 (a tie: both rank 3, no rank 4).
Z: 63 1/3, 100 (two scorers) -> mean and median 81.667, s.d. 55/3.
"""

import math

import pytest

from saferplaces.workshop.results import (
    CriterionWeight,
    ScoreEntry,
    aggregate,
    rank,
    scorer_score,
    sensitivity,
    sensitivity_summary,
)

A = CriterionWeight("A", 2.0, 1, 5, "Harm")
B = CriterionWeight("B", 1.0, 0, 10, "Concern")
CANDIDATES = ["X", "Y", "Z", "W"]
VALUES = {
    ("s1", "X"): (5, 10), ("s1", "Y"): (3, 5), ("s1", "Z"): (4, 4), ("s1", "W"): (3, 5),
    ("s2", "X"): (4, 7), ("s2", "Y"): (5, 8), ("s2", "W"): (5, 8),
    ("s3", "X"): (2, None), ("s3", "Y"): (3, 2), ("s3", "Z"): (5, 10), ("s3", "W"): (3, 2),
}


def entries():
    for (scorer, candidate), (a, b) in VALUES.items():
        yield ScoreEntry(scorer, candidate, "A", a)
        if b is not None:
            yield ScoreEntry(scorer, candidate, "B", b)


def by_candidate():
    return {row.candidate: row for row in aggregate(entries(), [A, B], CANDIDATES)}


def test_one_scorers_score_is_the_weighted_mean_share_of_the_scales():
    criteria = {"A": A, "B": B}
    assert scorer_score({"A": 4, "B": 4}, criteria) == pytest.approx(190 / 3)
    # A skipped criterion is left out and the others' weights shared out again.
    assert scorer_score({"A": 2}, criteria) == pytest.approx(25)
    assert scorer_score({}, criteria) is None


def test_mean_median_and_spread_per_candidate():
    rows = by_candidate()
    x = rows["X"]
    assert x.mean == pytest.approx(595 / 9)
    assert x.median == pytest.approx(220 / 3)
    assert (x.minimum, x.maximum) == (pytest.approx(25), pytest.approx(100))
    assert x.std_dev == pytest.approx(math.sqrt(78050) / 9)
    assert x.scorers == 3
    assert x.partial_scorers == 1
    assert rows["Y"].mean == pytest.approx(550 / 9)
    assert rows["Y"].median == pytest.approx(50)


def test_a_scorer_who_skipped_a_candidate_is_left_out_not_counted_as_zero():
    z = by_candidate()["Z"]
    assert z.scorers == 2
    assert z.mean == pytest.approx(245 / 3)
    assert z.median == pytest.approx(245 / 3)
    assert z.std_dev == pytest.approx(55 / 3)


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    rows = aggregate(entries(), [A, B], CANDIDATES)
    assert [(row.candidate, row.rank) for row in rows] == [
        ("Z", 1), ("X", 2), ("Y", 3), ("W", 3)]
    assert [(row.candidate, row.median_rank) for row in rows] == [
        ("Z", 1), ("X", 2), ("Y", 3), ("W", 3)]


def test_rank_leaves_unscored_candidates_unranked():
    assert rank({"a": 2.0, "b": None, "c": 3.0, "d": 2.0, "e": 1.0}) == {
        "a": 2, "b": None, "c": 1, "d": 2, "e": 4}
    rows = aggregate(entries(), [A, B], [*CANDIDATES, "V"])
    assert rows[-1].candidate == "V"
    assert (rows[-1].rank, rows[-1].mean, rows[-1].scorers) == (None, None, 0)


def test_sensitivity_of_the_worked_example_is_stable():
    # A at 1.5: X (100 + 73 + 25) / 3 = 66, Y and W (50 + 92 + 38) / 3 = 60, Z (61 + 100) / 2
    # = 80.5; at 2.5: X 66.19, Y and W 61.90, Z 82.5. B at 0.75 and 1.25 keep the order too.
    results = sensitivity(entries(), [A, B], CANDIDATES)
    assert [(r.name, r.weight_down, r.weight_up) for r in results] == [
        ("Harm", 1.5, 2.5), ("Concern", 0.75, 1.25)]
    assert all(result.stable for result in results)
    assert sensitivity_summary(results) == (
        "The ranking is stable under every ±25% move of a weight.")


def test_sensitivity_shows_which_candidates_swap():
    # One scorer; P and Q weigh 1 each, 0-10. M scores 50, N 50 (a tie), L 20.
    # P at 0.75: M = 100 x .75 / 1.75 = 42.9, N = 57.1 -> N 1, M 2; P at 1.25: M 55.6, N 44.4.
    p, q = CriterionWeight("P", 1.0, 0, 10, "P"), CriterionWeight("Q", 1.0, 0, 10, "Q")
    scores = [ScoreEntry("s", "M", "P", 10), ScoreEntry("s", "M", "Q", 0),
              ScoreEntry("s", "N", "P", 0), ScoreEntry("s", "N", "Q", 10),
              ScoreEntry("s", "L", "P", 2), ScoreEntry("s", "L", "Q", 2)]
    results = sensitivity(scores, [p, q], ["M", "N", "L"])
    on_p = {row.candidate: (row.base_rank, row.rank_down, row.rank_up) for row in results[0].rows}
    assert on_p == {"M": (1, 2, 1), "N": (1, 1, 2), "L": (3, 3, 3)}
    assert [row.candidate for row in results[0].moves] == ["M", "N"]
    summary = sensitivity_summary(results, {"M": "Violence", "N": "Burglary", "L": "ASB"})
    assert summary == (
        "The ranking changes under 4 of 4 ±25% moves of a weight. Keep their place under "
        "every move: ASB. Change place: Violence (ranks 1–2), Burglary (ranks 1–2).")


def test_a_zero_weight_criterion_counts_for_nothing():
    zero_b = CriterionWeight("B", 0.0, 0, 10)
    rows = {row.candidate: row for row in aggregate(entries(), [A, zero_b], CANDIDATES)}
    # Only A counts: X's shares .75/1/.25 -> 100, 75, 25.
    assert rows["X"].mean == pytest.approx(200 / 3)
    assert rows["X"].partial_scorers == 0
