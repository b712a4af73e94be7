"""Judgement rules in saferplaces.performance.rules, checked against values worked out by hand."""

import datetime
import math

import pytest
from scipy.stats import poisson

from saferplaces.core import periods
from saferplaces.crime import stats
from saferplaces.performance import rules

D = datetime.date


# ---------------------------------------------------------------------------
# rag
# ---------------------------------------------------------------------------


def test_rag_lower_is_better_with_percent_tolerance():
    # Target 110, 5% tolerance: band = 110 * 5 / 100 = 5.5, so amber up to 115.5.
    def status(value):
        return rules.rag(value, 110, "lower", tolerance=5).status

    assert status(100) == "green"
    assert status(110) == "green"
    assert status(114) == "amber"  # misses by 4
    assert status(115.5) == "amber"  # misses by exactly 5.5: the edge is amber
    assert status(115.6) == "red"  # misses by 5.6
    assert status(118) == "red"


def test_rag_higher_is_better_with_percent_tolerance():
    # Target 80, 10% tolerance: band = 8, so amber down to 72.
    def status(value):
        return rules.rag(value, 80, "higher", tolerance=10).status

    assert status(85) == "green"
    assert status(80) == "green"
    assert status(75) == "amber"
    assert status(72) == "amber"  # misses by exactly 8
    assert status(71.9) == "red"


def test_rag_labels_and_reasons():
    green = rules.rag(100, 110, "lower", tolerance=5)
    assert (green.label, green.reason) == ("Green", "Better than the target (100 against 110)")
    on_target = rules.rag(110, 110, "lower", tolerance=5)
    assert on_target.reason == "On target (110 against 110)"
    amber = rules.rag(114, 110, "lower", tolerance=5)
    assert (amber.label, amber.reason) == (
        "Amber", "Within the 5% tolerance of the target (114 against 110)")
    red = rules.rag(118, 110, "lower", tolerance=5)
    assert (red.label, red.reason) == (
        "Red", "Outside the 5% tolerance of the target (118 against 110)")


def test_rag_absolute_tolerance_differs_from_percent():
    # Target 110: 5 absolute allows a miss of 5; 5% allows a miss of 5.5.
    assert rules.rag(115, 110, "lower", tolerance=5, tolerance_type="absolute").status == "amber"
    assert rules.rag(115.5, 110, "lower", tolerance=5,
                     tolerance_type="absolute").status == "red"
    assert rules.rag(115.5, 110, "lower", tolerance=5).status == "amber"
    result = rules.rag(62, 70, "higher", tolerance=8, tolerance_type="absolute")
    assert result.status == "amber"  # misses by exactly 8
    assert result.reason == "Within the tolerance of 8 of the target (62 against 70)"


def test_rag_edge_survives_float_rounding():
    # 0.77 - 0.7 is 0.07000000000000006 in floats, a hair over 10% of 0.7; it is still the edge.
    assert 0.77 - 0.7 > 0.7 * 10 / 100
    assert rules.rag(0.77, 0.7, "lower", tolerance=10).status == "amber"
    assert rules.rag(0.63, 0.7, "higher", tolerance=10).status == "amber"
    assert rules.rag(0.771, 0.7, "lower", tolerance=10).status == "red"


def test_rag_no_tolerance():
    result = rules.rag(111, 110, "lower")
    assert (result.status, result.reason) == ("red", "Misses the target (111 against 110)")
    assert rules.rag(110, 110, "lower").status == "green"


def test_rag_zero_target_with_percent_tolerance_has_no_band():
    assert rules.rag(0, 0, "lower", tolerance=5).status == "green"
    result = rules.rag(1, 0, "lower", tolerance=5)
    assert result.status == "red"
    assert result.reason == ("Outside the 5% tolerance of the target (1 against 0; "
                             "5% of 0 is 0)")
    # An absolute tolerance still works around a zero target.
    assert rules.rag(2, 0, "lower", tolerance=2, tolerance_type="absolute").status == "amber"


def test_rag_negative_target_uses_the_size_of_the_target():
    # Target -10, higher is better, 10%: band = |-10| * 0.1 = 1, so -11 is amber, -11.5 red.
    assert rules.rag(-11, -10, "higher", tolerance=10).status == "amber"
    assert rules.rag(-11.5, -10, "higher", tolerance=10).status == "red"
    assert rules.rag(-9, -10, "higher", tolerance=10).status == "green"


def test_rag_trend_aware_lower_is_better():
    # 118 against 110 is outside 5% (band 5.5, miss 8).
    def result(last_year, trend_aware=True):
        return rules.rag(118, 110, "lower", tolerance=5, trend_aware=trend_aware,
                         same_period_last_year=last_year)

    improving = result(125)
    assert improving.status == "amber"
    assert improving.reason == ("Outside the 5% tolerance of the target (118 against 110) but "
                                "improving on the same period last year (125)")
    worse = result(115)
    assert worse.status == "red"
    assert worse.reason == ("Outside the 5% tolerance of the target (118 against 110) and not "
                            "improving on the same period last year (115)")
    assert result(118).status == "red"  # held, not improved
    missing = result(None)
    assert missing.status == "red"
    assert missing.reason.endswith("and no value for the same period last year")
    assert result(125, trend_aware=False).status == "red"


def test_rag_trend_aware_higher_is_better():
    # Target 80, 10%: amber down to 72; 60 is outside. Higher is better, so 55 -> 60 improves.
    def status(last_year):
        return rules.rag(60, 80, "higher", tolerance=10, trend_aware=True,
                         same_period_last_year=last_year).status

    assert status(55) == "amber"
    assert status(65) == "red"
    # Trend only rescues a red: a value within tolerance is amber whatever last year was.
    assert rules.rag(75, 80, "higher", tolerance=10, trend_aware=True,
                     same_period_last_year=90).status == "amber"


def test_rag_trend_aware_with_no_tolerance():
    result = rules.rag(118, 110, "lower", trend_aware=True, same_period_last_year=125)
    assert result.status == "amber"
    assert result.reason == ("Misses the target (118 against 110) but improving on the same "
                             "period last year (125)")


def test_rag_no_status():
    contextual = rules.rag(500, 100, "lower", tolerance=5, kind="contextual")
    assert contextual == rules.RagResult(None, "No RAG",
                                         "Contextual indicator: monitored, not targeted")
    assert rules.rag(None, 100, "lower", kind="contextual").reason.startswith("Contextual")
    assert rules.rag(None, 100, "lower") == rules.RagResult(None, "No RAG",
                                                            "No value for this period")
    assert rules.rag(90, None, "lower") == rules.RagResult(None, "No RAG", "No target set")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"polarity": "up"}, "polarity"),
    ({"tolerance_type": "percentage"}, "tolerance_type"),
    ({"kind": "context"}, "kind"),
    ({"tolerance": -1}, "tolerance must be 0 or more"),
    ({"tolerance": math.nan}, "tolerance must be 0 or more"),
])
def test_rag_rejects_bad_settings(kwargs, message):
    arguments = {"polarity": "lower", **kwargs}
    polarity = arguments.pop("polarity")
    with pytest.raises(ValueError, match=message):
        rules.rag(100, 110, polarity, **arguments)


# ---------------------------------------------------------------------------
# direction and travel
# ---------------------------------------------------------------------------


def test_direction_down_by_polarity():
    # (105 - 120) / 120 = -15 / 120 = -0.125
    lower = rules.direction(105, 120, "lower")
    assert (lower.trend, lower.judgement, lower.percent_change) == ("down", "improving", -12.5)
    assert lower.label == "Improving (down 12.5%)"
    higher = rules.direction(105, 120, "higher")
    assert (higher.judgement, higher.label) == ("worsening", "Worsening (down 12.5%)")


def test_direction_up_by_polarity():
    # (150 - 120) / 120 = 0.25
    assert rules.direction(150, 120, "lower").label == "Worsening (up 25.0%)"
    assert rules.direction(150, 120, "higher").label == "Improving (up 25.0%)"


def test_direction_only_exact_equality_is_no_change():
    same = rules.direction(120, 120, "lower")
    assert (same.trend, same.judgement, same.percent_change, same.label) == (
        "same", "no change", 0.0, "No change")
    tiny = rules.direction(120.001, 120, "lower")
    assert (tiny.trend, tiny.judgement) == ("up", "worsening")


def test_direction_from_zero():
    up = rules.direction(5, 0, "lower")
    assert (up.trend, up.percent_change, up.label) == ("up", None, "Worsening (up from 0)")
    none = rules.direction(0, 0, "lower")
    assert (none.judgement, none.percent_change) == ("no change", None)
    to_zero = rules.direction(0, 4, "lower")  # (0 - 4) / 4 = -1
    assert to_zero.label == "Improving (down 100.0%)"


def test_direction_missing_values():
    no_previous = rules.direction(100, None, "lower")
    assert (no_previous.trend, no_previous.judgement, no_previous.percent_change) == (
        None, None, None)
    assert no_previous.label == "No earlier value to compare"
    assert rules.direction(None, 100, "lower").label == "No value for this period"
    with pytest.raises(ValueError, match="polarity"):
        rules.direction(1, 2, "neutral")


def test_travel_short_and_long_term():
    # Short term: (105 - 100) / 100 = +5%; long term: (105 - 120) / 120 = -12.5%.
    result = rules.travel(105, 100, 120, "lower")
    assert result.short_term.label == "Worsening (up 5.0%)"
    assert result.long_term.label == "Improving (down 12.5%)"
    missing = rules.travel(105, 100, None, "lower")
    assert missing.long_term.label == "No earlier value to compare"
    assert missing.short_term.judgement == "worsening"


# ---------------------------------------------------------------------------
# count_significance
# ---------------------------------------------------------------------------


def test_significance_zero_counts():
    # 0 vs 0: nothing to test.
    nothing = rules.count_significance(0, 0, "lower")
    assert (nothing.label, nothing.judgement, nothing.p_value) == ("Too few to tell", None, None)
    # 0 vs 5: the most extreme split of 5 has p = 2 * (1/2)^5 = 0.0625 >= 0.05.
    five = rules.count_significance(0, 5, "lower")
    assert five.label == "Too few to tell"
    assert five.p_value == pytest.approx(0.0625)
    assert five.judgement is None
    # 0 vs 6: p = 2 * (1/2)^6 = 0.03125 < 0.05.
    six = rules.count_significance(0, 6, "lower")
    assert (six.label, six.judgement) == ("Significant decrease", "improving")
    assert six.p_value == pytest.approx(0.03125)


def test_significance_judgement_follows_polarity():
    assert rules.count_significance(0, 6, "higher").judgement == "worsening"
    increase = rules.count_significance(6, 0, "lower")
    assert (increase.label, increase.judgement) == ("Significant increase", "worsening")
    assert rules.count_significance(6, 0, "higher").judgement == "improving"


def test_significance_against_hand_sum():
    # 30 vs 15: n = 45, Binomial(45, 1/2) is symmetric, so p = 2 * sum_{k>=30} C(45, k) / 2^45.
    p = 2 * sum(math.comb(45, k) for k in range(30, 46)) / 2**45  # about 0.0357
    result = rules.count_significance(30, 15, "lower")
    assert result.p_value == pytest.approx(p)
    assert (result.label, result.judgement) == ("Significant increase", "worsening")
    # 20 vs 15: p = 2 * sum_{k>=20} C(35, k) / 2^35, about 0.5, so no significant change.
    p = 2 * sum(math.comb(35, k) for k in range(20, 36)) / 2**35
    result = rules.count_significance(20, 15, "lower")
    assert p > 0.05
    assert result.p_value == pytest.approx(p)
    assert (result.label, result.judgement) == ("No significant change", None)


def test_significance_uses_poisson_change():
    result = rules.count_significance(30, 15, "lower")
    assert result.change == stats.poisson_change(30, 15)
    assert result.reason == result.change.sentence
    assert rules.count_significance(30.0, 15.0, "lower").change == result.change


@pytest.mark.parametrize(("current", "previous"), [
    (None, 5), (5, None), (None, None), (12.5, 10), (10, 7.25), (-3, 4), (math.nan, 4),
])
def test_significance_not_applicable(current, previous):
    result = rules.count_significance(current, previous, "lower")
    assert (result.label, result.judgement, result.p_value, result.change) == (
        "Not applicable", None, None, None)


def test_significance_rejects_bad_polarity():
    with pytest.raises(ValueError, match="polarity"):
        rules.count_significance(1, 2, "sideways")


# ---------------------------------------------------------------------------
# peer_position
# ---------------------------------------------------------------------------

# Peers: 120 + 80 = 200 crimes per 12,000 + 8,000 = 20,000 people, so 10 per 1,000. The area has
# 10,000 people, so it expects 10 / 1,000 * 10,000 = 100 crimes.
PEER_COUNTS = [120, 80]
PEER_POPULATIONS = [12_000, 8_000]

# Smoothed limits for Poisson(100) (Spiegelhalter 2005, appendix A.1.1), as counts: r is the
# smallest k with P(X <= k) >= p and the limit is r - (P(X <= r) - p) / P(X = r).
#   p = 0.025: r = 81,  P(X <= 81) = 0.029066, P(X <= 80) = 0.022649 -> 80.366
#   p = 0.975: r = 120, P(X <= 120) = 0.977331, P(X <= 119) = 0.971770 -> 119.581
#   p = 0.001: r = 71,  P(X <= 71) = 0.0014089, P(X <= 70) = 0.0009714 -> 70.065
#   p = 0.999: r = 132, P(X <= 132) = 0.9990650, P(X <= 131) = 0.9987323 -> 131.805
LIMITS_E100 = {0.95: (80.366, 119.581), 0.998: (70.065, 131.805)}


def smoothed_limit(p, expected):
    """The smoothed quantile by walking the cumulative probabilities, without ppf."""
    r = 0
    while poisson.cdf(r, expected) < p:
        r += 1
    at_r, below_r = poisson.cdf(r, expected), poisson.cdf(r - 1, expected)
    return max(0.0, r - (at_r - p) / (at_r - below_r))


def independent_position(count, expected):
    """The funnel position from the smoothed limits, found by walking the distribution."""
    if count > smoothed_limit(0.999, expected):
        return "above 99.8% limit"
    if count > smoothed_limit(0.975, expected):
        return "above 95% limit"
    if count < smoothed_limit(0.001, expected):
        return "below 99.8% limit"
    if count < smoothed_limit(0.025, expected):
        return "below 95% limit"
    return "within limits"


def test_smoothed_limits_for_expected_hundred():
    for level, (lower, upper) in LIMITS_E100.items():
        alpha = 1 - level
        assert smoothed_limit(alpha / 2, 100) == pytest.approx(lower, abs=1e-3)
        assert smoothed_limit(1 - alpha / 2, 100) == pytest.approx(upper, abs=1e-3)


@pytest.mark.parametrize(("count", "position", "label", "judgement"), [
    (100, "within limits", "Similar to peers (within limits)", "similar"),
    (119, "within limits", "Similar to peers (within limits)", "similar"),
    (120, "above 95% limit", "Higher than peers (above the 95% limit)", "worse"),
    (125, "above 95% limit", "Higher than peers (above the 95% limit)", "worse"),
    (131, "above 95% limit", "Higher than peers (above the 95% limit)", "worse"),
    (132, "above 99.8% limit",
     "Significantly higher than peers (above the 99.8% limit)", "worse"),
    (81, "within limits", "Similar to peers (within limits)", "similar"),
    (80, "below 95% limit", "Lower than peers (below the 95% limit)", "better"),
    (71, "below 95% limit", "Lower than peers (below the 95% limit)", "better"),
    (70, "below 99.8% limit",
     "Significantly lower than peers (below the 99.8% limit)", "better"),
])
def test_peer_position_against_limits(count, position, label, judgement):
    result = rules.peer_position(count, 10_000, PEER_COUNTS, PEER_POPULATIONS)
    assert result.expected == pytest.approx(100)
    assert independent_position(count, 100) == position
    assert (result.position, result.label, result.judgement) == (position, label, judgement)


def test_peer_position_figures():
    result = rules.peer_position(125, 10_000, PEER_COUNTS, PEER_POPULATIONS)
    assert result.peer_rate == pytest.approx(10.0)
    assert result.rate == pytest.approx(12.5)  # 125 / 10,000 * 1,000
    assert result.peers == 2
    # Rates per 1,000: the count limits divided by 10 (10,000 people).
    assert result.limits.keys() == LIMITS_E100.keys()
    for level, (lower, upper) in LIMITS_E100.items():
        assert result.limits[level] == pytest.approx((lower / 10, upper / 10), abs=1e-4)
    # Exact test: p = 2 * P(X >= 125) for X ~ Poisson(100).
    assert result.p_value == pytest.approx(2 * poisson.sf(124, 100))
    assert result.reason == ("12.5 per 1,000 against a peer rate of 10 per 1,000 "
                             "(125 against 100 expected)")
    assert result.funnel == stats.funnel_position(125, 10_000, 10.0)


def test_peer_position_judgement_when_higher_is_better():
    assert rules.peer_position(133, 10_000, PEER_COUNTS, PEER_POPULATIONS,
                               polarity="higher").judgement == "better"
    assert rules.peer_position(80, 10_000, PEER_COUNTS, PEER_POPULATIONS,
                               polarity="higher").judgement == "worse"
    assert rules.peer_position(100, 10_000, PEER_COUNTS, PEER_POPULATIONS,
                               polarity="higher").judgement == "similar"


def test_peer_position_other_per():
    # Per 10,000: peer rate 100, area rate 125 per 10,000; the expected count is unchanged.
    result = rules.peer_position(125, 10_000, PEER_COUNTS, PEER_POPULATIONS, per=10_000)
    assert (result.peer_rate, result.rate, result.expected) == pytest.approx((100, 125, 100))
    assert result.position == "above 95% limit"


def test_peer_position_zero_peer_rate():
    # No peer crimes: E = 0, so any crime at all is above every limit.
    assert rules.peer_position(0, 10_000, [0, 0], [5_000, 5_000]).position == "within limits"
    assert rules.peer_position(1, 10_000, [0, 0], [5_000, 5_000]).position == (
        "above 99.8% limit")


@pytest.mark.parametrize(("args", "message"), [
    ((100, 10_000, [], []), "at least one peer"),
    ((100, 10_000, [1, 2], [1_000]), "differ in length"),
    ((-1, 10_000, PEER_COUNTS, PEER_POPULATIONS), "count must be a whole number"),
    ((10.5, 10_000, PEER_COUNTS, PEER_POPULATIONS), "count must be a whole number"),
    ((100, 10_000, [120, -80], PEER_POPULATIONS), "peer 2 count"),
    ((100, 0, PEER_COUNTS, PEER_POPULATIONS), "population must be more than 0"),
    ((100, -5, PEER_COUNTS, PEER_POPULATIONS), "population must be more than 0"),
    ((100, 10_000, [0, 0], [0, 0]), "peer 1 population must be more than 0"),
    ((100, 10_000, PEER_COUNTS, [12_000, -8_000]), "peer 2 population"),
])
def test_peer_position_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        rules.peer_position(*args)


# ---------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind", "start", "end", "code", "label"), [
    ("2020-09", "month", D(2020, 9, 1), D(2020, 9, 30), "2020-09", "September 2020"),
    ("2020-02", "month", D(2020, 2, 1), D(2020, 2, 29), "2020-02", "February 2020"),
    # Calendar quarter: Q3 is July to September.
    # Quarters are financial: 2020-Q3 is the third quarter of 2020/21.
    ("2020-Q3", "financial_quarter", D(2020, 10, 1), D(2020, 12, 31), "2020-Q3",
     "Oct–Dec 2020 (2020/21 Q3)"),
    ("2020-Q1", "financial_quarter", D(2020, 4, 1), D(2020, 6, 30), "2020-Q1",
     "Apr–Jun 2020 (2020/21 Q1)"),
    (" 2020-q4 ", "financial_quarter", D(2021, 1, 1), D(2021, 3, 31), "2020-Q4",
     "Jan–Mar 2021 (2020/21 Q4)"),
    ("2020", "year", D(2020, 1, 1), D(2020, 12, 31), "2020", "2020"),
    ("2020/21", "financial_year", D(2020, 4, 1), D(2021, 3, 31), "2020/21",
     "Apr 2020–Mar 2021 (2020/21)"),
    ("1999/00", "financial_year", D(1999, 4, 1), D(2000, 3, 31), "1999/00",
     "Apr 1999–Mar 2000 (1999/00)"),
    # Financial quarter: Q1 is April to June, so Q3 is October to December.
    ("2020/21 Q3", "financial_quarter", D(2020, 10, 1), D(2020, 12, 31), "2020-Q3",
     "Oct–Dec 2020 (2020/21 Q3)"),
    ("2020/21 Q1", "financial_quarter", D(2020, 4, 1), D(2020, 6, 30), "2020-Q1",
     "Apr–Jun 2020 (2020/21 Q1)"),
    ("2020/21q4", "financial_quarter", D(2021, 1, 1), D(2021, 3, 31), "2020-Q4",
     "Jan–Mar 2021 (2020/21 Q4)"),
])
def test_parse_period(text, kind, start, end, code, label):
    period = periods.parse_period(text)
    assert (period.kind, period.start, period.end, period.code, period.label) == (
        kind, start, end, code, label)
    assert periods.parse_period(period.code) == period
    assert periods.period_label(text) == label


def test_board_report_quarter_is_the_financial_quarter():
    # The board report is run with --period 2020-Q3 for the Q3 2020/21 report: Oct to Dec 2020.
    short = periods.parse_period("2020-Q3")
    long = periods.parse_period("2020/21 Q3")
    assert short == long
    assert (short.start, short.end) == (D(2020, 10, 1), D(2020, 12, 31))


@pytest.mark.parametrize(("text", "previous", "last_year"), [
    ("2020-09", "2020-08", "2019-09"),
    ("2020-01", "2019-12", "2019-01"),
    ("2020-Q3", "2020-Q2", "2019-Q3"),
    ("2020-Q1", "2019-Q4", "2019-Q1"),
    ("2020-Q4", "2020-Q3", "2019-Q4"),
    ("2020", "2019", "2019"),
    ("2020/21", "2019/20", "2019/20"),
    ("2020/21 Q3", "2020-Q2", "2019-Q3"),
    ("2020/21 Q1", "2019/20 Q4", "2019/20 Q1"),
    ("2020/21 Q4", "2020/21 Q3", "2019/20 Q4"),
])
def test_previous_and_same_period_last_year(text, previous, last_year):
    period = periods.parse_period(text)
    assert periods.previous_period(period) == periods.parse_period(previous)
    assert periods.same_period_last_year(period) == periods.parse_period(last_year)


def test_previous_periods_dates():
    # 2020/21 Q1 is Apr-Jun 2020; the quarter before is Jan-Mar 2020, 2019/20 Q4.
    before = periods.previous_period(periods.parse_period("2020/21 Q1"))
    assert (before.start, before.end, before.label) == (
        D(2020, 1, 1), D(2020, 3, 31), "Jan–Mar 2020 (2019/20 Q4)")
    # February 2020 has 29 days, February 2019 has 28.
    last_year = periods.same_period_last_year(periods.parse_period("2020-02"))
    assert last_year.end == D(2019, 2, 28)
    assert periods.previous_period(periods.parse_period("2020-03")).end == D(2020, 2, 29)


@pytest.mark.parametrize(("text", "message"), [
    ("2020-13", "no month 13"),
    ("2020-00", "no month 0"),
    ("2020-9", "Unrecognised period"),
    ("2020-Q5", "Unrecognised period"),
    ("2020-Q0", "Unrecognised period"),
    ("Q3 2020", "Unrecognised period"),
    ("2020/21 Q5", "Unrecognised period"),
    ("2020/2021", "Unrecognised period"),
    ("", "Unrecognised period"),
    ("2020/22", "not a financial year"),
    ("2020/22 Q1", "not a financial year"),
])
def test_parse_period_rejects(text, message):
    with pytest.raises(ValueError, match=message):
        periods.parse_period(text)


# ---------------------------------------------------------------------------
# data_quality_flags
# ---------------------------------------------------------------------------


def flags(**kwargs):
    arguments = {"has_baseline": True, "unapproved_count": 0, **kwargs}
    return rules.data_quality_flags(**arguments)


def codes(result):
    return [flag.code for flag in result]


def test_no_flags_when_all_is_well():
    assert flags(latest_period_end=D(2020, 9, 30), frequency="monthly",
                 today=D(2020, 10, 31)) == []


def test_monthly_value_overdue_around_the_grace_boundary():
    # September ends 30 Sep; 30 Sep + 30 days = 30 Oct is still within grace; 31 Oct is not.
    august = D(2020, 8, 31)
    assert flags(latest_period_end=august, frequency="monthly", today=D(2020, 10, 30)) == []
    overdue = flags(latest_period_end=august, frequency="monthly", today=D(2020, 10, 31))
    assert codes(overdue) == ["value_overdue"]
    assert overdue[0].label == "Value overdue"
    assert overdue[0].reason == ("No value for September 2020, which ended more than 30 days "
                                 "ago (latest value for the period ending 31 August 2020)")
    # A September value clears it, whether its end or its start is passed.
    for september in (D(2020, 9, 30), D(2020, 9, 1)):
        assert flags(latest_period_end=september, frequency="monthly",
                     today=D(2020, 10, 31)) == []


def test_monthly_grace_days_zero_and_custom():
    # Grace 0: September is due from 1 October.
    assert flags(latest_period_end=D(2020, 8, 31), frequency="monthly", today=D(2020, 9, 30),
                 grace_days=0) == []
    assert codes(flags(latest_period_end=D(2020, 8, 31), frequency="monthly",
                       today=D(2020, 10, 1), grace_days=0)) == ["value_overdue"]
    # Grace 10: 30 Sep + 10 = 10 Oct still fine, 11 Oct overdue.
    assert flags(latest_period_end=D(2020, 8, 31), frequency="monthly", today=D(2020, 10, 10),
                 grace_days=10) == []
    assert codes(flags(latest_period_end=D(2020, 8, 31), frequency="monthly",
                       today=D(2020, 10, 11), grace_days=10)) == ["value_overdue"]


def test_quarterly_value_overdue():
    # Jul-Sep ends 30 Sep: overdue from 31 Oct, with June's quarter the latest value.
    june = D(2020, 6, 30)
    assert flags(latest_period_end=june, frequency="quarterly", today=D(2020, 10, 30)) == []
    overdue = flags(latest_period_end=june, frequency="quarterly", today=D(2020, 10, 31))
    assert codes(overdue) == ["value_overdue"]
    assert overdue[0].reason.startswith("No value for Jul–Sep 2020 (2020/21 Q2),")
    # Late in December the due quarter is still Jul-Sep, because Oct-Dec has not ended.
    assert flags(latest_period_end=D(2020, 9, 30), frequency="quarterly",
                 today=D(2020, 12, 31)) == []


def test_annual_value_overdue_uses_financial_years():
    # 2019/20 ends 31 Mar 2020; 31 Mar + 30 days = 30 Apr is within grace, 1 May is not.
    previous_year = D(2019, 3, 31)
    assert flags(latest_period_end=previous_year, frequency="annual", today=D(2020, 4, 30)) == []
    overdue = flags(latest_period_end=previous_year, frequency="annual", today=D(2020, 5, 1))
    assert codes(overdue) == ["value_overdue"]
    assert "Apr 2019–Mar 2020 (2019/20)" in overdue[0].reason


def test_no_values_at_all_is_overdue():
    result = flags(latest_period_end=None, frequency="monthly", today=D(2020, 10, 31))
    assert codes(result) == ["value_overdue"]
    assert result[0].reason.endswith("(no values yet)")


def test_missing_baseline_and_approvals():
    result = rules.data_quality_flags(has_baseline=False, latest_period_end=None,
                                      frequency="monthly", today=D(2020, 10, 31),
                                      unapproved_count=3)
    assert [flag.label for flag in result] == [
        "Missing baseline", "Value overdue", "3 values awaiting approval"]
    assert codes(result) == ["missing_baseline", "value_overdue", "awaiting_approval"]
    one = flags(latest_period_end=D(2020, 9, 30), frequency="monthly", today=D(2020, 10, 31),
                unapproved_count=1)
    assert [flag.label for flag in one] == ["1 value awaiting approval"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"frequency": "weekly"}, "frequency"),
    ({"grace_days": -1}, "grace_days"),
    ({"unapproved_count": -1}, "unapproved_count"),
])
def test_data_quality_rejects_bad_input(kwargs, message):
    arguments = {"latest_period_end": None, "frequency": "monthly", "today": D(2020, 10, 31),
                 **kwargs}
    with pytest.raises(ValueError, match=message):
        flags(**arguments)
