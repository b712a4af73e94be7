"""The opening sentences of the evidence pages, on literal cases."""

import pytest

from saferplaces.crime import sentences
from saferplaces.crime.stats import ChangeResult, no_comparison


def result(current, previous, *, p=0.5, significant=False, too_small=False):
    percent = None if previous == 0 else (current - previous) / previous * 100
    direction = ("no change" if current == previous
                 else "increase" if current > previous else "decrease")
    return ChangeResult(current, previous, current - previous, percent, p, significant,
                        direction, too_small, "label", "sentence")


YEAR = ("in the last 12 months", "in the 12 months before")


@pytest.mark.parametrize("change, expected", [
    (result(1080, 1000, p=0.07),
     "Crime in the last 12 months was 8% higher than in the 12 months before, a change small "
     "enough to be chance."),
    (result(1080, 1000, p=0.001, significant=True),
     "Crime in the last 12 months was 8% higher than in the 12 months before, a change too "
     "large to be chance."),
    (result(850, 1000, p=0.0001, significant=True),
     "Crime in the last 12 months was 15% lower than in the 12 months before, a change too "
     "large to be chance."),
    (result(1003, 1000),
     "Crime in the last 12 months was slightly higher than in the 12 months before, a change "
     "small enough to be chance."),
    (result(1000, 1000, p=1.0),
     "Crime in the last 12 months was the same as in the 12 months before."),
    (result(2, 1, p=1.0, too_small=True),
     "There were too few crimes to tell whether crime in the last 12 months differed from the "
     "12 months before by more than chance."),
    (result(12, 0, p=0.0005, significant=True),
     "Crime in the last 12 months numbered 12 against none in the 12 months before, a change "
     "too large to be chance."),
    (no_comparison(28537),
     "There is no data for the 12 months before, so crime in the last 12 months cannot be "
     "compared with it."),
])
def test_change_sentence(change, expected):
    assert sentences.change_sentence("Crime", *YEAR, change) == expected


def test_change_sentence_keeps_an_abbreviation_and_a_crime_type():
    assert sentences.change_sentence("ASB", "in June", "in May", result(5, 1, p=0.2)) == (
        "ASB in June was 400% higher than in May, a change small enough to be chance.")
    assert sentences.change_sentence("Burglary", "in June", "in May",
                                     result(1, 1, too_small=True, p=1.0)).startswith(
        "There were too few crimes to tell whether burglary in June differed from May")


@pytest.mark.parametrize("ward_rate, others_rate, words", [
    (60.0, 30.0, "far more crime per resident than"),
    (36.0, 30.0, "more crime per resident than"),
    (31.0, 30.0, "about as much crime per resident as"),
    (20.0, 30.0, "less crime per resident than"),
    (10.0, 30.0, "far less crime per resident than"),
])
def test_ward_sentence(ward_rate, others_rate, words):
    assert sentences.ward_sentence("St Peters", ward_rate, others_rate) == \
        f"St Peters has {words} the wards around it."


def test_ward_sentence_without_population():
    assert sentences.ward_sentence("Bilston East", None, 30.0) == (
        "Bilston East cannot be compared with the wards around it: population figures are not "
        "loaded for them.")


def test_highest_ward_sentence():
    assert sentences.highest_ward_sentence("St Peters", 320.0, "Wolverhampton", 100.0, 20) == (
        "St Peters has the most crime per resident of the 20 wards in Wolverhampton, 3.2 times "
        "the rate for Wolverhampton as a whole.")
    assert sentences.highest_ward_sentence("Ettingshall", 101.0, "Wolverhampton", 100.0, 20) \
        == ("Ettingshall has the most crime per resident of the 20 wards in Wolverhampton, "
            "about the rate for Wolverhampton as a whole.")


@pytest.mark.parametrize("count, expected", [
    (0, "Every crime in the period had a location."),
    (1, "1 crime in the period had no location, so is in no area and not counted here."),
    (1541, "1,541 crimes in the period had no location, so are in no area and not counted "
           "here."),
])
def test_no_location_sentence(count, expected):
    assert sentences.no_location_sentence(count) == expected


def test_exception_reason_is_one_sentence_without_stray_stops():
    from types import SimpleNamespace

    from saferplaces.performance.report import _exception_reason

    significance = SimpleNamespace(
        judgement="worsening",
        reason="Up 14.1% (234 against 205); significant at 95% (p = 0.0021).")
    row = SimpleNamespace(rag=SimpleNamespace(status="red"), significance=significance)
    assert _exception_reason(row) == (
        "Red against its target; significantly worse than the same period last year (up 14.1% "
        "(234 against 205); significant at 95% (p = 0.0021)).")
    row = SimpleNamespace(rag=SimpleNamespace(status="amber"), significance=significance)
    assert _exception_reason(row).startswith("Significantly worse than the same period")


@pytest.mark.parametrize("points, expected", [
    ([{"month": "2020-04", "value": 5}], "Values over time."),
    ([{"month": "2020-04", "value": 5, "target": 4}], "Values over time with targets (dashed)."),
    ([{"month": "2020-04", "value": 5, "target": 4, "peer": 3.1, "peer_low": 2.0,
       "peer_high": 4.0}],
     "Values over time with targets (dashed), the peer group's rate (dotted) and the shaded "
     "range expected at 95% for an area of this population at the peer rate (funnel limits)."),
])
def test_indicator_caption_names_only_what_is_drawn(points, expected):
    from saferplaces.core.charts import indicator_caption

    assert indicator_caption(points) == expected
