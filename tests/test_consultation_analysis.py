"""Consultation analysis on hand-made answers, against figures worked out by hand."""

from __future__ import annotations

import pytest

from saferplaces.consultation import analysis

LABELS = ["Violence", "Reoffending", "Victims"]
# Five respondents; the fourth chose nothing (did not answer).
CHOICES = [["Violence", "Victims"], ["Violence"], ["Reoffending", "Violence"], [],
           ["Victims"]]


def test_multiple_choice_is_counted_per_option_not_per_combination():
    result = analysis.tally(LABELS, CHOICES)
    assert result.answered == 4
    assert [(o.label, o.count) for o in result.options] == [
        ("Violence", 3), ("Reoffending", 1), ("Victims", 2)]
    assert [o.share for o in result.options] == [0.75, 0.25, 0.5]


def test_a_label_chosen_twice_by_one_respondent_counts_once():
    assert analysis.tally(LABELS, [["Victims", "Victims"]]).options[2].count == 1


def test_likert_distribution_and_net_agreement():
    scale = ["Strongly agree", "Agree", "Neither", "Disagree", "Strongly disagree"]
    answers = ["Agree", "Agree", "Strongly agree", "Neither", "Strongly disagree", "Agree"]
    result = analysis.likert(scale, answers)
    assert [o.count for o in result.tally.options] == [1, 3, 1, 0, 1]
    assert (result.agree, result.disagree) == (4, 1)
    assert result.net_agreement == pytest.approx(3 / 6)


def test_ranking_borda_and_first_preferences():
    rankings = [
        {"Violence": 1, "Reoffending": 2, "Victims": 3},
        {"Victims": 1, "Violence": 2, "Reoffending": 3},
        {"Violence": 1, "Victims": 2},  # partial: Reoffending unranked scores 0
        {"Reoffending": 1},
    ]
    # Borda with 3 options: 1st 3 points, 2nd 2, 3rd 1.
    # Violence 3 + 2 + 3 = 8; Victims 1 + 3 + 2 = 6; Reoffending 2 + 1 + 0 + 3 = 6.
    # Victims and Reoffending tie on 6 and on one first preference each: option order.
    scores = analysis.ranking(LABELS, rankings)
    assert [(s.label, s.borda, s.first_preferences) for s in scores] == [
        ("Violence", 8, 2), ("Reoffending", 6, 1), ("Victims", 6, 1)]
    assert scores[0].mean_rank == pytest.approx(4 / 3)


def test_breakdown_by_group_counts_the_unstated_apart():
    choices = dict(enumerate(CHOICES))
    groups = {0: "online", 1: "paper", 2: "online", 4: ""}
    result = analysis.by_group(LABELS, choices, groups)
    assert list(result) == ["Not stated", "online", "paper"]
    assert [o.count for o in result["online"].options] == [2, 1, 1]
    assert result["Not stated"].answered == 1  # respondent 3 did not answer, 4 had no group


def test_themes_count_tags_and_keep_example_quotes():
    tagged = [("Youth", "More youth clubs"), ("Lighting", "Dark paths"),
              ("Youth", "Somewhere for teenagers"), ("Youth", "Sports"),
              ("Youth", "A fourth quote")]
    result = analysis.themes(["Youth", "Lighting", "Parking"], tagged)
    assert [(t.theme, t.count) for t in result] == [("Youth", 4), ("Lighting", 1),
                                                    ("Parking", 0)]
    assert result[0].quotes == ["More youth clubs", "Somewhere for teenagers", "Sports"]


def test_reach_against_a_known_profile():
    # Area: 600 female, 400 male. Respondents: 30 female, 10 male, 5 not stated.
    result = analysis.reach({"Female": 30, "Male": 10}, {"Female": 600, "Male": 400},
                            not_stated=5)
    female, male = result.rows
    assert (female.respondent_share, female.population_share) == (0.75, 0.6)
    assert female.representation == pytest.approx(1.25)
    assert (male.respondent_share, male.population_share) == (0.25, 0.4)
    assert male.representation == pytest.approx(0.625)
    assert (female.under_represented, male.under_represented) == (False, True)
    assert (result.stated, result.not_stated, result.has_profile) == (40, 5, True)


def test_reach_without_a_profile_gives_only_the_respondents():
    result = analysis.reach({"25 to 34": 3, "35 to 44": 1}, {})
    assert result.has_profile is False
    assert [(r.category, r.respondent_share, r.population_share) for r in result.rows] == [
        ("25 to 34", 0.75, None), ("35 to 44", 0.25, None)]
    assert not any(r.under_represented for r in result.rows)


def test_a_group_nobody_from_is_under_represented():
    result = analysis.reach({"Ward A": 5}, {"Ward A": 100, "Ward B": 100})
    assert [(r.category, r.respondents, r.under_represented) for r in result.rows] == [
        ("Ward A", 5, False), ("Ward B", 0, True)]


def _tally(answered: int) -> analysis.Tally:
    return analysis.tally(["Yes", "No"], [["Yes"]] * answered)


def test_groups_under_five_respondents_are_left_out():
    groups = {"Park": _tally(7), "Heath": _tally(2), "Bank": _tally(4), "Oak": _tally(5)}
    found = analysis.suppress_small("Ward", groups)
    assert list(found.groups) == ["Park", "Oak"]
    assert found.hidden == 2


def test_one_small_group_hides_the_next_smallest_too():
    # Heath alone hidden would be the question's total minus Park and Oak: Oak (5) goes too
    groups = {"Park": _tally(7), "Heath": _tally(2), "Oak": _tally(5)}
    found = analysis.suppress_small("Ward", groups)
    assert list(found.groups) == ["Park"]
    assert found.hidden == 2


def test_no_small_group_hides_nothing():
    groups = {"Park": _tally(7), "Oak": _tally(5)}
    assert analysis.suppress_small("Ward", groups) == analysis.Breakdown("Ward", groups, 0)


def test_meeting_points_are_counted_apart_from_answers_by_channel():
    found = analysis.themes(
        ["Lighting", "Youth"], [("Lighting", "Dark paths")],
        tagged_points=[("Lighting", "PACT ward meeting", "Lights on the canal"),
                       ("Lighting", "Forum", "Underpass lighting"),
                       ("Lighting", "PACT ward meeting", "Park lights"),
                       ("Youth", "Forum", "Youth clubs closed")])
    assert [(t.theme, t.count, t.points, t.point_count) for t in found] == [
        ("Lighting", 1, {"Forum": 1, "PACT ward meeting": 2}, 3),
        ("Youth", 0, {"Forum": 1}, 1)]
    assert found[0].point_examples == ["Lights on the canal", "Underpass lighting",
                                       "Park lights"]
