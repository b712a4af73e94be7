"""Pure statistics in saferplaces.crime.stats, checked against values worked out by hand."""

import csv
import datetime
import glob
import gzip
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from esda.getisord import G_Local
from libpysal.weights import Queen, W
from shapely.geometry import box, shape

from saferplaces.crime import stats

# Real files carried in the repository (see their SOURCES.md files).
REPO = Path(__file__).resolve().parent.parent
DEMO_DATA = REPO / "saferplaces" / "demo" / "data"
TEST_DATA = REPO / "tests" / "data" / "policeuk"
LSOA_FILE = DEMO_DATA / "lsoa11_wolverhampton.geojson"
LSOA_TOPOLOGY = REPO / "tests" / "data" / "geo" / "ukgeojson_lsoa_by_lad_topo_E08000031.json"
WARD_FILE = DEMO_DATA / "wards_2023_wolverhampton.geojson"
OUTCOMES_FILE = DEMO_DATA / "2019-03-west-midlands-outcomes-wolverhampton.csv"
STREET_FILE = TEST_DATA / "2017-07-west-yorkshire-street.csv.gz"
STOP_SEARCH_DIR = TEST_DATA


def needs_data(test):
    """The real files are in the repository; this only guards a partial checkout."""
    return pytest.mark.skipif(not STREET_FILE.exists(), reason="repository data missing")(test)


def poisson_cdf(k, mu):
    """P(X <= k) for X ~ Poisson(mu), summed term by term as one would by hand."""
    return sum(math.exp(-mu) * mu**j / math.factorial(j) for j in range(k + 1))


def grid(rows, cols):
    """Unit squares keyed "rXcY", zero-padded so sorted order is row by row."""
    return {f"r{r}c{c}": box(c, r, c + 1, r + 1) for r in range(rows) for c in range(cols)}


def libpysal_w(contiguity):
    """The same neighbours as a libpysal W, for esda."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The weights matrix is not fully connected")
        return W({code: list(near) for code, near in contiguity.neighbours.items()},
                 id_order=list(contiguity.codes))


def esda_z(values, contiguity):
    """esda's G_Local (the field's reference implementation) on the same neighbours: an
    independent computation of Gi* to compare ours with."""
    y = np.array([values[code] for code in contiguity.codes], dtype=float)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.filterwarnings("ignore", message="The weights matrix is not fully connected")
        return G_Local(y, libpysal_w(contiguity), transform="B", star=True, permutations=0)


def assert_no_nan(result):
    for row in result.rows:
        for number in (row.value, row.z, row.p):
            assert number is None or math.isfinite(number)


# ---------------------------------------------------------------------------
# pct_change and poisson_change
# ---------------------------------------------------------------------------


def test_pct_change():
    assert stats.pct_change(120, 96) == 25.0  # 24 / 96 = 0.25
    assert stats.pct_change(0, 4) == -100.0
    assert stats.pct_change(5, 0) is None
    assert stats.pct_change(0, 0) is None


def test_significant_increase():
    # n = 10, p0 = 1/2. P(X >= 9) = (C(10,9) + C(10,10)) / 2^10 = 11/1024; doubled = 22/1024.
    result = stats.poisson_change(9, 1)
    assert result.p_value == pytest.approx(22 / 1024)
    assert result.significant is True and result.too_small is False
    assert result.direction == "increase"
    assert result.difference == 8
    assert result.percent_change == 800.0  # (9 - 1) / 1
    assert result.label == "Significant increase"
    assert result.sentence == "Up 800.0% (9 against 1); significant at 95% (p = 0.0215)."


def test_decrease_that_is_not_significant():
    # P(X <= 2) = (1 + 10 + 45) / 1024 = 56/1024; doubled = 112/1024 = 0.109375.
    result = stats.poisson_change(2, 8)
    assert result.p_value == pytest.approx(112 / 1024)
    assert result.significant is False and result.too_small is False
    assert result.direction == "decrease"
    assert result.percent_change == -75.0  # (2 - 8) / 8
    assert result.label == "No significant change"
    assert result.sentence == "Down 75.0% (2 against 8); not significant at 95% (p = 0.109)."


def test_stricter_alpha():
    # Same 22/1024 = 0.0215 as above: significant at 95% but not at 99%. The smallest possible
    # p for n = 10 is 2/1024 = 0.002 < 0.01, so it is not "too small".
    result = stats.poisson_change(9, 1, alpha=0.01)
    assert result.significant is False and result.too_small is False
    assert result.label == "No significant change"
    assert result.sentence.endswith("not significant at 99% (p = 0.0215).")


def test_too_few_to_tell():
    # n = 4: the most extreme split (4 against 0) gives p = 2 / 2^4 = 0.125 >= 0.05.
    result = stats.poisson_change(3, 1)
    assert result.too_small is True
    assert result.p_value == pytest.approx(10 / 16)  # P(X >= 3) = 5/16, doubled
    assert result.label == "Too few to tell"
    assert result.sentence == "Too few crimes to say whether this changed (3 against 1)."


def test_too_small_boundary_between_five_and_six():
    # 5 against 0: p = 2 / 2^5 = 0.0625, the smallest possible for n = 5, so too small.
    assert stats.poisson_change(5, 0).too_small is True
    # 6 against 0: p = 2 / 2^6 = 0.03125 < 0.05.
    result = stats.poisson_change(6, 0)
    assert result.too_small is False and result.significant is True
    assert result.p_value == pytest.approx(0.03125)
    assert result.percent_change is None
    assert result.sentence == "Up from zero (6 against 0); significant at 95% (p = 0.0312)."


def test_zero_against_zero():
    result = stats.poisson_change(0, 0)
    assert result.p_value is None and result.percent_change is None
    assert result.too_small is True and result.significant is False
    assert result.direction == "no change"
    assert result.label == "Too few to tell"


def test_no_change():
    result = stats.poisson_change(50, 50)
    assert result.p_value == pytest.approx(1.0)
    assert result.direction == "no change" and result.percent_change == 0.0
    assert result.sentence == "No change (50 against 50); not significant at 95% (p = 1)."


def test_unequal_exposure_worked_by_hand():
    # Current period twice as long: p0 = 2/3, n = 3. P(X = 0) = (1/3)^3 = 1/27; the other
    # outcomes have 6/27, 12/27 and 8/27, all larger, so the two-sided p is 1/27 = 0.037.
    result = stats.poisson_change(0, 3, current_exposure=2, previous_exposure=1)
    assert result.p_value == pytest.approx(1 / 27)
    assert result.too_small is False  # the smallest possible p is that same 1/27 < 0.05
    assert result.direction == "decrease" and result.label == "Significant decrease"
    assert result.percent_change == -100.0
    assert result.sentence == ("Down 100.0% (0 against 3, after allowing for exposure); "
                               "significant at 95% (p = 0.037).")


def test_direction_and_percent_follow_rates_not_counts():
    # 120 in two units against 96 in one: rates 60 and 96, so down (60 - 96) / 96 = -37.5%.
    result = stats.poisson_change(120, 96, current_exposure=2, previous_exposure=1)
    assert result.direction == "decrease"
    assert result.percent_change == pytest.approx(-37.5)
    assert result.difference == 24


def test_equal_rates_from_unequal_exposures_are_no_change():
    # 3 / 0.3 and 1 / 0.1 are both 10, though floating point may not say so exactly.
    assert stats.poisson_change(3, 1, 0.3, 0.1).direction == "no change"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 3), "current must be a whole number"),
        ((3, -1), "previous must be a whole number"),
        ((2.5, 3), "current must be a whole number"),
        ((3, 3, 0), "current_exposure must be a positive number"),
        ((3, 3, 1, -2), "previous_exposure must be a positive number"),
        ((3, 3, float("nan")), "current_exposure must be a positive number"),
        ((3, 3, 1, 1, 0), "alpha must be between 0 and 1"),
        ((3, 3, 1, 1, 1), "alpha must be between 0 and 1"),
    ],
)
def test_poisson_change_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        stats.poisson_change(*args)


# ---------------------------------------------------------------------------
# Funnel plots
# ---------------------------------------------------------------------------


# Worked values for E = 10, by hand from the five-figure cumulative Poisson probabilities for a
# mean of 10 printed in statistical tables, P(X <= k):
#   k=1: 0.00050  k=2: 0.00277  k=3: 0.01034  k=4: 0.02925
#   k=16: 0.97296 k=17: 0.98572 k=20: 0.99841 k=21: 0.99930
# Spiegelhalter (2005, appendix A.1.1): r is the smallest k with P(X <= k) >= p, and the smoothed
# limit is r - (P(X <= r) - p) / (P(X <= r) - P(X <= r - 1)).
#   p = 0.025: r = 4,  4 - (0.02925 - 0.025) / (0.02925 - 0.01034) = 4 - 0.22475 = 3.7752
#   p = 0.975: r = 17, 17 - (0.98572 - 0.975) / (0.98572 - 0.97296) = 17 - 0.84013 = 16.1599
#   p = 0.001: r = 2,  2 - (0.00277 - 0.001) / (0.00277 - 0.00050) = 2 - 0.77974 = 1.2203
#   p = 0.999: r = 21, 21 - (0.99930 - 0.999) / (0.99930 - 0.99841) = 21 - 0.33708 = 20.6629
# (five-figure table values, so the last figure can be out by about 0.001).
WORKED_LIMITS_E10 = {0.95: (3.7752, 16.1599), 0.998: (1.2203, 20.6629)}


def test_funnel_limits_for_expected_ten_are_the_worked_values():
    assert poisson_cdf(3, 10) < 0.025 <= poisson_cdf(4, 10)
    assert poisson_cdf(16, 10) < 0.975 <= poisson_cdf(17, 10)
    limits = stats.funnel_limits(10, 1000)
    assert limits.keys() == WORKED_LIMITS_E10.keys()
    for level, (lower, upper) in WORKED_LIMITS_E10.items():
        assert limits[level] == pytest.approx((lower, upper), abs=2e-3)


def test_funnel_limits_are_smooth_not_whole_counts():
    # Whole-count steps would give the same limits for E = 10 and E = 10.2; smoothed ones move.
    ten = stats.funnel_limits(10, 1000)[0.95]
    a_bit_more = stats.funnel_limits(10.2, 1000)[0.95]
    assert a_bit_more[0] > ten[0] and a_bit_more[1] > ten[1]
    assert ten[1] != round(ten[1])


def test_funnel_limits_are_rates_per_per():
    # 5 per 1000 in 2000 people: E = 10 again; the count limits / 2000 * 1000.
    limits = stats.funnel_limits(5, 2000)
    for level, (lower, upper) in WORKED_LIMITS_E10.items():
        assert limits[level] == pytest.approx((lower / 2, upper / 2), abs=1e-3)
    # Per 100,000 instead: 500 per 100,000 in 2000 people is still E = 10.
    per_100k = stats.funnel_limits(500, 2000, per=100_000, levels=(0.95,))
    assert list(per_100k) == [0.95]
    assert per_100k[0.95] == pytest.approx((3.7752 * 50, 16.1599 * 50), abs=0.1)


def test_funnel_lower_limit_never_below_zero():
    # E = 0.5: the smallest count reaching 0.025 is 0, and 0 - (P(X <= 0) - 0.025) / P(X <= 0)
    # would be negative; the limit stays at 0.
    assert stats.funnel_limits(0.5, 1000)[0.95][0] == 0.0


@pytest.mark.parametrize(
    ("count", "position"),
    [
        (21, "above 99.8% limit"),  # 21 > 20.66
        (20, "above 95% limit"),  # 20 > 16.16 but not > 20.66
        (17, "above 95% limit"),  # a whole-count step at 17 would have kept it inside
        (16, "within limits"),
        (10, "within limits"),
        (4, "within limits"),
        (3, "below 95% limit"),  # 3 < 3.78 but not < 1.22
        (2, "below 95% limit"),
        (1, "below 99.8% limit"),  # 1 < 1.22
        (0, "below 99.8% limit"),
    ],
)
def test_funnel_position(count, position):
    assert stats.funnel_position(count, 1000, 10).position == position


def test_funnel_position_p_values_by_hand():
    # E = 10. Count 18: P(X >= 18) = 1 - P(X <= 17) = 1 - 0.98572 = 0.01428; doubled 0.02856.
    result = stats.funnel_position(18, 1000, 10)
    assert result.p_value == pytest.approx(2 * (1 - poisson_cdf(17, 10)))
    assert result.p_value == pytest.approx(0.028555, abs=1e-6)
    assert result.rate == 18.0 and result.expected == 10.0
    for level, (lower, upper) in WORKED_LIMITS_E10.items():
        assert result.limits[level] == pytest.approx((lower, upper), abs=2e-3)
    # Count 4: P(X <= 4) = 0.029253; doubled 0.058505.
    assert stats.funnel_position(4, 1000, 10).p_value == pytest.approx(0.058505, abs=1e-6)
    # Count 10: both tails are above 1/2 (0.583 and 0.542), so doubling caps at 1.
    assert stats.funnel_position(10, 1000, 10).p_value == 1.0


def test_funnel_with_a_peer_rate_of_zero():
    # E = 0: X is always 0, so any crime at all is far above the funnel.
    assert stats.funnel_position(0, 100, 0).position == "within limits"
    assert stats.funnel_position(0, 100, 0).p_value == 1.0
    above = stats.funnel_position(1, 100, 0)
    assert above.position == "above 99.8% limit" and above.p_value == 0.0


@pytest.mark.parametrize("population", [0, -5, float("nan")])
def test_funnel_rejects_non_positive_population(population):
    with pytest.raises(ValueError, match="population must be a positive number"):
        stats.funnel_limits(10, population)
    with pytest.raises(ValueError, match="population must be a positive number"):
        stats.funnel_position(3, population, 10)


def test_funnel_rejects_other_bad_input():
    with pytest.raises(ValueError, match="peer_rate must be 0 or more"):
        stats.funnel_limits(-1, 1000)
    with pytest.raises(ValueError, match="levels must be between 0 and 1"):
        stats.funnel_limits(10, 1000, levels=(95,))
    with pytest.raises(ValueError, match="count must be a whole number"):
        stats.funnel_position(-1, 1000, 10)


# ---------------------------------------------------------------------------
# queen_weights
# ---------------------------------------------------------------------------


def test_queen_weights_on_a_grid():
    weights = stats.queen_weights(grid(5, 5))
    assert weights.codes == tuple(sorted(grid(5, 5)))
    cards = {code: len(near) for code, near in weights.neighbours.items()}
    assert cards["r0c0"] == 3  # corner
    assert cards["r0c2"] == 5  # edge
    assert cards["r2c2"] == 8  # interior
    # 4 corners * 3 + 12 edges * 5 + 9 interior * 8 = 12 + 60 + 72 = 144
    assert sum(cards.values()) == 144
    assert weights.neighbours["r0c0"] == ("r0c1", "r1c0", "r1c1")
    assert weights.neighbours["r2c2"] == ("r1c1", "r1c2", "r1c3", "r2c1", "r2c3", "r3c1",
                                          "r3c2", "r3c3")
    assert weights.islands == []


def test_corner_contact_counts_as_a_neighbour():
    weights = stats.queen_weights({"a": box(0, 0, 1, 1), "b": box(1, 1, 2, 2)}, tolerance=0)
    assert weights.neighbours == {"a": ("b",), "b": ("a",)}


def test_tolerance_closes_small_gaps():
    shapes = {"a": box(0, 0, 1, 1), "b": box(1 + 5e-7, 0, 2, 1)}  # gap of 5e-7
    assert stats.queen_weights(shapes, tolerance=1e-6).neighbours["a"] == ("b",)
    assert stats.queen_weights(shapes, tolerance=1e-7).neighbours["a"] == ()


def test_islands_are_allowed_exposed_and_silent():
    shapes = grid(2, 2) | {"zz_far": box(100, 100, 101, 101)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning would fail the test
        weights = stats.queen_weights(shapes)
    assert weights.islands == ["zz_far"]
    assert weights.neighbours["zz_far"] == ()


def test_queen_weights_rejects_bad_input():
    with pytest.raises(ValueError, match="at least one geometry"):
        stats.queen_weights({})
    with pytest.raises(ValueError, match="tolerance must be 0 or more"):
        stats.queen_weights(grid(2, 2), tolerance=-1)


@needs_data
def test_queen_weights_on_wolverhampton_lsoas():
    weights = stats.queen_weights(wolverhampton_lsoas())
    cards = [len(near) for near in weights.neighbours.values()]
    assert len(weights.codes) == 158
    assert weights.islands == []
    assert 4.5 < np.mean(cards) < 6.5  # "about 5" (5.4 when written)
    assert min(cards) >= 1


def wolverhampton_lsoas():
    with open(LSOA_FILE) as handle:
        features = json.load(handle)["features"]
    return {f["properties"]["LSOA11CD"]: shape(f["geometry"]) for f in features}


def wolverhampton_wards():
    with open(WARD_FILE) as handle:
        features = json.load(handle)["features"]
    return {f["properties"]["WD23CD"]: shape(f["geometry"]) for f in features}


def libpysal_queen(geometries):
    """libpysal's vertex-based Queen on the same shapes: areas sharing a vertex."""
    codes = sorted(geometries)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The weights matrix is not fully connected")
        queen = Queen.from_iterable([geometries[code] for code in codes], ids=codes)
    return {code: tuple(sorted(near)) for code, near in queen.neighbors.items()}


def real_crime_counts_by_lsoa():
    """Crimes (distinct Crime IDs) per LSOA in the real March 2019 Wolverhampton outcomes."""
    with open(OUTCOMES_FILE, newline="", encoding="utf-8") as handle:
        crimes = {(row["Crime ID"], row["LSOA code"]) for row in csv.DictReader(handle)}
    counts = dict.fromkeys(wolverhampton_lsoas(), 0)
    for _crime, code in crimes:
        if code in counts:
            counts[code] += 1
    return counts


def test_queen_neighbours_equal_libpysal_queen_on_a_grid():
    shapes = grid(4, 6)
    assert stats.queen_weights(shapes).neighbours == libpysal_queen(shapes)


@needs_data
def test_queen_neighbours_equal_libpysal_queen_on_wards_that_share_vertices():
    # The 2023 ward file's boundaries share their vertices exactly, so libpysal's rule and
    # ours must find the same 43 pairs of neighbouring wards.
    wards = wolverhampton_wards()
    ours = stats.queen_weights(wards).neighbours
    assert ours == libpysal_queen(wards)
    assert sum(len(near) for near in ours.values()) == 86


@needs_data
def test_queen_neighbours_equal_libpysal_queen_on_the_lsoas_as_a_topology():
    # The TopoJSON edition of the same 158 LSOAs shares its arcs, so neighbours share vertices
    # exactly: there libpysal's Queen and ours must agree pair for pair.
    from saferplaces.areas.geometry import topojson_features

    with open(LSOA_TOPOLOGY) as handle:
        features = topojson_features(json.load(handle))
    lsoas = {f["properties"]["LSOA11CD"]: shape(f["geometry"]) for f in features}
    ours = stats.queen_weights(lsoas).neighbours
    assert len(ours) == 158
    assert ours == libpysal_queen(lsoas)
    assert sum(len(near) for near in ours.values()) == 848


@needs_data
def test_queen_neighbours_on_lsoas_that_share_no_vertex():
    # The generalised LSOA file shares no vertex between LSOAs, so libpysal's Queen finds no
    # neighbour at all; ours finds every pair within 1e-6 degrees, checked here pair by pair.
    lsoas = wolverhampton_lsoas()
    assert all(near == () for near in libpysal_queen(lsoas).values())
    codes = sorted(lsoas)
    close = {(a, b) for a in codes for b in codes
             if a != b and lsoas[a].distance(lsoas[b]) <= 1e-6}
    ours = stats.queen_weights(lsoas).neighbours
    assert {(a, b) for a, near in ours.items() for b in near} == close
    assert len(close) == 848


@needs_data
def test_gi_star_equals_esda_on_the_demo_lsoas_with_real_counts():
    counts = real_crime_counts_by_lsoa()
    # 1,532 outcome rows for 1,486 distinct crimes, in 153 of the 158 LSOAs.
    assert sum(counts.values()) == 1486
    assert sum(1 for n in counts.values() if n == 0) == 5
    weights = stats.queen_weights(wolverhampton_lsoas())
    result = stats.gi_star(counts, weights)
    direct = esda_z(counts, weights)
    assert [row.code for row in result.rows] == sorted(counts)
    assert np.max(np.abs(np.array([row.z for row in result.rows]) - direct.Zs)) < 1e-9
    assert np.max(np.abs(np.array([row.p for row in result.rows]) - 2 * direct.p_norm)) < 1e-9
    assert any(row.bin == 3 for row in result.rows)


# ---------------------------------------------------------------------------
# gi_star
# ---------------------------------------------------------------------------


def test_gi_star_worked_by_hand_on_a_line():
    # Four squares in a row, A-B-C-D, y = 0, 0, 0, 10. Textbook Gi* (binary, self included):
    #   z_i = (sum_j w_ij y_j - mean * W_i) / (S * sqrt((n * W_i - W_i^2) / (n - 1)))
    # mean = 2.5, S^2 = 100/4 - 2.5^2 = 18.75, S = 4.3301.
    #   A: W=2, (0 - 5) / (4.3301 * sqrt(4/3)) = -5 / 5 = -1
    #   B: W=3, (0 - 7.5) / (4.3301 * sqrt(3/3)) = -1.7321 = -sqrt(3)
    #   C: W=3, (10 - 7.5) / 4.3301 = 0.5774 = 1/sqrt(3)
    #   D: W=2, (10 - 5) / 5 = 1
    # p_B = 2 * (1 - Phi(1.7321)) = 2 * 0.041632 = 0.083265, so bin -1.
    # p_D = 2 * (1 - Phi(1)) = 2 * 0.158655 = 0.317311, so bin 0.
    shapes = {code: box(i, 0, i + 1, 1) for i, code in enumerate("ABCD")}
    result = stats.gi_star({"A": 0, "B": 0, "C": 0, "D": 10}, stats.queen_weights(shapes))
    rows = {row.code: row for row in result.rows}
    assert [row.code for row in result.rows] == ["A", "B", "C", "D"]
    assert rows["A"].z == pytest.approx(-1.0)
    assert rows["B"].z == pytest.approx(-math.sqrt(3))
    assert rows["C"].z == pytest.approx(1 / math.sqrt(3))
    assert rows["D"].z == pytest.approx(1.0)
    assert rows["B"].p == pytest.approx(0.083265, abs=1e-6)
    assert rows["D"].p == pytest.approx(0.317311, abs=1e-6)
    assert [rows[c].bin for c in "ABCD"] == [0, -1, 0, 0]
    assert all(row.note == "" for row in result.rows)


@pytest.mark.parametrize(
    ("z", "p", "expected"),
    [
        (4.0, 0.0099, 3),
        (-4.0, 0.0099, -3),
        (2.5, 0.01, 2),
        (2.0, 0.0499, 2),
        (-2.0, 0.05, -1),
        (1.7, 0.0999, 1),
        (1.6, 0.10, 0),
        (-0.5, 0.6, 0),
    ],
)
def test_gi_bins(z, p, expected):
    assert stats._gi_bin(z, p) == expected


def test_gi_star_matches_esda_on_a_grid():
    weights = stats.queen_weights(grid(5, 5))
    rng = np.random.default_rng(7)
    values = {code: float(v) for code, v in zip(weights.codes, rng.normal(100, 15, 25),
                                                  strict=True)}
    result = stats.gi_star(values, weights)
    direct = esda_z(values, weights)
    assert np.allclose([row.z for row in result.rows], direct.Zs)
    # esda's p_norm is one-sided; ours is two-sided, so exactly twice it.
    assert np.allclose([row.p for row in result.rows], 2 * direct.p_norm)
    assert_no_nan(result)


def test_gi_star_finds_a_hot_spot():
    # A block of high values in one corner of a 5x5 grid of low ones.
    weights = stats.queen_weights(grid(5, 5))
    values = {code: 1.0 for code in weights.codes}
    values.update({"r0c0": 20.0, "r0c1": 20.0, "r1c0": 20.0, "r1c1": 20.0})
    rows = {row.code: row for row in stats.gi_star(values, weights).rows}
    assert rows["r0c0"].bin == 3 and rows["r0c0"].p < 0.01
    assert rows["r4c4"].z < 0
    for row in rows.values():
        assert abs(row.bin) == (3 if row.p < 0.01 else 2 if row.p < 0.05
                                else 1 if row.p < 0.10 else 0)


@needs_data
def test_gi_star_matches_esda_on_wolverhampton():
    weights = stats.queen_weights(wolverhampton_lsoas())
    rng = np.random.default_rng(2024)
    values = {code: int(v) for code, v in zip(weights.codes, rng.poisson(20, 158),
                                               strict=True)}
    result = stats.gi_star(values, weights)
    assert np.allclose([row.z for row in result.rows], esda_z(values, weights).Zs)
    assert all(row.note == "" for row in result.rows)
    assert_no_nan(result)


def test_gi_star_needs_three_areas():
    weights = stats.queen_weights({"a": box(0, 0, 1, 1), "b": box(1, 0, 2, 1)})
    with pytest.raises(ValueError, match="at least 3 areas"):
        stats.gi_star({"a": 1, "b": 2}, weights)


def test_gi_star_names_codes_that_do_not_match():
    weights = stats.queen_weights(grid(2, 2))
    values = {"r0c0": 1, "r0c1": 2, "r1c0": 3, "E0999": 4}
    with pytest.raises(ValueError, match="no value for: r1c1; not in the weights: E0999"):
        stats.gi_star(values, weights)


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_gi_star_rejects_negative_or_missing_values(bad):
    weights = stats.queen_weights(grid(2, 2))
    values = {"r0c0": 1, "r0c1": 2, "r1c0": 3, "r1c1": bad}
    with pytest.raises(ValueError, match="r1c1"):
        stats.gi_star(values, weights)


@pytest.mark.parametrize("level", [0.0, 7.0])
def test_gi_star_with_no_variation(level):
    weights = stats.queen_weights(grid(3, 4))
    result = stats.gi_star({code: level for code in weights.codes}, weights)
    assert {(row.z, row.p, row.bin, row.note) for row in result.rows} == {
        (0.0, 1.0, 0, "no variation")
    }


def test_gi_star_with_an_island():
    shapes = grid(3, 3) | {"zz_far": box(100, 100, 101, 101)}
    weights = stats.queen_weights(shapes)
    values = {code: float(i % 4) for i, code in enumerate(weights.codes)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the island is expected, so no warning about it
        rows = {row.code: row for row in stats.gi_star(values, weights).rows}
    island = rows.pop("zz_far")
    assert (island.z, island.p, island.bin, island.note) == (None, None, 0, "no neighbours")
    # The other areas are as esda has them (r1c1 is next to all of its own block, but not to
    # the island, so it keeps a z).
    direct = dict(zip(weights.codes, esda_z(values, weights).Zs, strict=True))
    assert all(row.z == pytest.approx(direct[code]) for code, row in rows.items())


def test_gi_star_with_an_area_next_to_all_others():
    # In a 3x3 grid the centre square touches all 8 others: with itself included its Gi* is
    # always 1 and its variance 0, so esda gives 0/0.
    weights = stats.queen_weights(grid(3, 3))
    values = {code: float(i) for i, code in enumerate(weights.codes)}
    result = stats.gi_star(values, weights)
    centre = next(row for row in result.rows if row.code == "r1c1")
    assert (centre.z, centre.p, centre.bin) == (None, None, 0)
    assert centre.note == "adjacent to all others"
    assert all(row.z is not None for row in result.rows if row.code != "r1c1")
    assert_no_nan(result)


# ---------------------------------------------------------------------------
# repeat_locations
# ---------------------------------------------------------------------------


def month(year, number):
    return datetime.date(year, number, 1)


def test_repeat_locations():
    here, there = (-2.125, 52.586), (-2.1, 52.6)
    records = [
        (*here, "Burglary", month(2024, 1)),
        (*here, "Burglary", month(2024, 3)),
        (-2.1250000001, 52.5860000001, "Burglary", month(2024, 2)),  # same point once rounded
        (*here, "Vehicle crime", month(2024, 2)),
        (*here, "Vehicle crime", month(2024, 3)),  # only 2: below min_count
        (*there, "Anti-social behaviour", month(2023, 4)),  # first month of the window
        (*there, "Anti-social behaviour", month(2023, 12)),
        (*there, "Anti-social behaviour", month(2024, 1)),
        (*there, "Anti-social behaviour", month(2024, 3)),
        (*there, "Anti-social behaviour", month(2023, 3)),  # 13 months back: outside
        (None, None, "Burglary", month(2024, 2)),  # skipped
        (-2.1, None, "Burglary", month(2024, 2)),  # skipped
        (None, None, "Burglary", month(2022, 2)),  # outside the window: not counted at all
    ]
    result = stats.repeat_locations(records)
    assert result.end_month == month(2024, 3) and result.start_month == month(2023, 4)
    assert result.skipped == 2
    assert result.rows == (
        stats.RepeatLocation(*there, "Anti-social behaviour", 4, month(2023, 4), month(2024, 3)),
        stats.RepeatLocation(*here, "Burglary", 3, month(2024, 1), month(2024, 3)),
    )


def test_repeat_locations_sorts_ties_by_crime_type():
    records = [(0.5, 51.5, crime, month(2024, 1)) for crime in ("Robbery", "Arson")] * 3
    result = stats.repeat_locations(records)
    assert [row.crime_type for row in result.rows] == ["Arson", "Robbery"]


def test_repeat_locations_window_and_min_count():
    records = [(0.5, 51.5, "Robbery", month(2023, m)) for m in (1, 6, 12)]
    # Ending in March 2024, 12 months start at April 2023: only June and December count.
    windowed = stats.repeat_locations(records, min_count=2, end_month=datetime.date(2024, 3, 15))
    assert windowed.start_month == month(2023, 4) and windowed.end_month == month(2024, 3)
    assert [row.count for row in windowed.rows] == [2]
    # Ending in January 2024, 12 months start at February 2023 (across the year end).
    assert stats.repeat_locations(records, end_month=month(2024, 1)).start_month == month(2023, 2)
    # One month only.
    one = stats.repeat_locations(records, min_count=1, months=1)
    assert [(row.count, row.first_month) for row in one.rows] == [(1, month(2023, 12))]


def test_repeat_locations_with_nothing():
    result = stats.repeat_locations([])
    assert (result.rows, result.skipped, result.start_month, result.end_month) == (
        (), 0, None, None
    )
    with pytest.raises(ValueError, match="min_count"):
        stats.repeat_locations([], min_count=0)
    with pytest.raises(ValueError, match="months"):
        stats.repeat_locations([], months=0)


# ---------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------


def test_outcome_profile_takes_each_crimes_latest_outcome():
    histories = {
        "a": [(month(2019, 1), "Under investigation"), (month(2019, 3), "Suspect charged")],
        "b": [(month(2019, 3), "Offender fined"), (month(2019, 1), "Under investigation")],
        "c": [(month(2019, 2), "Under investigation")],
        # Same month twice: the one given last wins.
        "d": [(month(2019, 2), "Unable to prosecute suspect"),
              (month(2019, 2), "Local resolution")],
        "e": [],
    }
    profile = stats.outcome_profile(histories)
    assert profile.total == 5 and profile.with_outcome == 4 and profile.no_outcome == 1
    assert profile.charged_or_summonsed == 2  # Suspect charged, Offender fined
    assert profile.charged_share == 0.5  # 2 of the 4 with an outcome
    assert profile.under_investigation == 1
    assert profile.by_outcome == (
        ("Local resolution", 1),
        ("Offender fined", 1),
        ("Suspect charged", 1),
        ("Under investigation", 1),
    )


def test_outcome_profile_of_nothing():
    profile = stats.outcome_profile({})
    assert profile.total == 0 and profile.charged_share is None and profile.by_outcome == ()


def test_profile_from_last_outcomes():
    no_suspect = "Investigation complete; no suspect identified"
    profile = stats.profile_from_last_outcomes(
        ["Suspect charged", "", None, no_suspect, no_suspect, "Offender given a caution"]
    )
    assert profile.total == 6 and profile.no_outcome == 2 and profile.with_outcome == 4
    assert profile.charged_or_summonsed == 1  # a caution is not a charge
    assert profile.charged_share == 0.25
    assert profile.by_outcome[0] == (no_suspect, 2)


# Outcomes that are not a charge or summons, as police.uk spells them.
NOT_CHARGED = {
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Local resolution",
    "Offender given a caution",
    "Offender given a drugs possession warning",
    "Offender given penalty notice",
    "Action to be taken by another organisation",
    "Further investigation is not in the public interest",
    "Further action is not in the public interest",
    "Formal action is not in the public interest",
    "Status update unavailable",
}


@needs_data
def test_every_real_outcome_label_is_classified():
    labels = set()
    with open(OUTCOMES_FILE, newline="") as handle:
        labels |= {row["Outcome type"] for row in csv.DictReader(handle)}
    with gzip.open(STREET_FILE, "rt", newline="") as handle:
        labels |= {row["Last outcome category"] for row in csv.DictReader(handle)}
    labels.discard("")
    unknown = labels - stats.CHARGED_OUTCOMES - stats.UNDER_INVESTIGATION - NOT_CHARGED
    assert unknown == set()
    assert "Offender given suspended prison sentence" in labels & stats.CHARGED_OUTCOMES


@needs_data
def test_blank_last_outcomes_in_a_street_file_are_the_asb_rows():
    with gzip.open(STREET_FILE, "rt", newline="") as handle:
        rows = list(csv.DictReader(handle))
    profile = stats.profile_from_last_outcomes(row["Last outcome category"] for row in rows)
    asb = sum(row["Crime type"] == "Anti-social behaviour" for row in rows)
    assert profile.total == len(rows)
    assert profile.no_outcome == asb
    assert 0 < profile.charged_share < 1


# ---------------------------------------------------------------------------
# Stop and search
# ---------------------------------------------------------------------------

NFA = "A no further action disposal"


def search(officer, self_defined, outcome, legislation, linked):
    return {"officer_defined_ethnicity": officer, "self_defined_ethnicity": self_defined,
            "outcome": outcome, "legislation": legislation, "outcome_linked_to_object": linked}


def test_stop_search_breakdown():
    drugs = "Misuse of Drugs Act 1971 (section 23)"
    pace = "Police and Criminal Evidence Act 1984 (section 1)"
    rows = [
        search("White", "White - Irish", NFA, drugs, False),
        search("Black", "", "Arrest", pace, True),
        search("", "Other ethnic group - Not stated", "", drugs, None),
        search("White", "White - Irish", "Community resolution", drugs, "True"),
        search("White", None, NFA, "", ""),
    ]
    result = stats.stop_search_breakdown(rows)
    assert result.total == 5
    assert result.by_officer_ethnicity == (("White", 3), ("Black", 1), ("Not recorded", 1))
    # Ties on count are in alphabetical order.
    assert result.by_self_ethnicity == (
        ("Not recorded", 2), ("White - Irish", 2), ("Other ethnic group - Not stated", 1)
    )
    assert result.by_outcome == (
        (NFA, 2), ("(no outcome recorded)", 1), ("Arrest", 1), ("Community resolution", 1)
    )
    assert result.by_legislation == ((drugs, 3), ("Not recorded", 1), (pace, 1))
    # 4 outcomes recorded, 2 of them no further action: 2 / 4.
    assert (result.outcome_recorded, result.further_action) == (4, 2)
    assert result.further_action_share == 0.5
    # Linked known for 3 (False, True, "True"), linked in 2: 2 / 3.
    assert (result.linked_known, result.linked) == (3, 2)
    assert result.linked_share == pytest.approx(2 / 3)


def test_stop_search_breakdown_of_nothing():
    result = stats.stop_search_breakdown([])
    assert result.total == 0
    assert result.further_action_share is None and result.linked_share is None


def test_stop_search_rejects_an_unreadable_linked_value():
    with pytest.raises(ValueError, match="outcome_linked_to_object"):
        stats.stop_search_breakdown([search("White", "", NFA, "", "yes")])


@needs_data
def test_stop_search_breakdown_on_real_files():
    columns = {
        "officer_defined_ethnicity": "Officer-defined ethnicity",
        "self_defined_ethnicity": "Self-defined ethnicity",
        "outcome": "Outcome",
        "legislation": "Legislation",
        "outcome_linked_to_object": "Outcome linked to object of search",
    }
    rows = []
    for path in sorted(glob.glob(str(STOP_SEARCH_DIR / "*-stop-and-search.csv"))):
        with open(path, newline="") as handle:
            rows += [{key: row[col] for key, col in columns.items()}
                     for row in csv.DictReader(handle)]
    result = stats.stop_search_breakdown(rows)
    assert result.total == len(rows) > 0
    assert NFA in dict(result.by_outcome)  # the police.uk wording
    nfa = dict(result.by_outcome)[NFA]
    assert result.further_action == result.outcome_recorded - nfa
    assert 0 < result.further_action_share < 1 and 0 < result.linked_share < 1
