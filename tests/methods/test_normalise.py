"""Normalisation methods: published and hand-computed values, band tables of seed 004, error messages."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aimaq.methods.normalise import (
    bands,
    categories,
    distance,
    goalposts,
    minmax,
    percentile,
    rank,
    ratio,
    validate_bands,
    zscore,
)

# --- minmax / zscore / rank / percentile: OECD/JRC Handbook (2008) Table 3 formulas, by hand -------------


def test_minmax_handbook_formula_by_hand() -> None:
    # (x - min) / (max - min) on [10, 20, 40]: 0, 1/3, 1
    out = minmax(np.array([[10.0], [20.0], [40.0]]), a=0, b=1)
    np.testing.assert_allclose(out[:, 0], [0.0, 1 / 3, 1.0])


def test_minmax_learns_min_max_in_original_orientation_per_batch() -> None:
    learned: dict = {}
    X = np.array([[[1.0, 5.0], [3.0, 1.0]], [[2.0, 0.0], [4.0, 8.0]]])
    out = minmax(X, direction=[1, -1], learned=learned, a=0, b=10)
    assert learned["min"] == [[1.0, 1.0], [2.0, 0.0]]
    assert learned["max"] == [[3.0, 5.0], [4.0, 8.0]]
    np.testing.assert_allclose(out[0], [[0.0, 0.0], [10.0, 10.0]])  # lower-better: 5 is worst


def test_minmax_constant_column_goes_to_the_middle_and_is_reported() -> None:
    learned: dict = {}
    out = minmax(np.array([[7.0, 1.0], [7.0, 2.0], [np.nan, 3.0]]), learned=learned)
    np.testing.assert_allclose(out[:, 0], [50.0, 50.0, np.nan])
    assert learned["constant"] == [True, False]


def test_minmax_refuses_an_empty_range_naming_the_parameters() -> None:
    with pytest.raises(
        ValueError, match=r"a, b: the lower end a must be below the upper end b\. Got a=1, b=1"
    ):
        minmax(np.ones((2, 1)), a=1, b=1)


def test_zscore_sample_and_population_sd() -> None:
    x = np.array([[2.0], [4.0], [4.0], [4.0], [5.0], [5.0], [7.0], [9.0]])  # mean 5, population sd 2
    np.testing.assert_allclose(zscore(x, ddof=0)[:, 0], (x[:, 0] - 5) / 2)
    np.testing.assert_allclose(zscore(x)[:, 0], (x[:, 0] - 5) / math.sqrt(32 / 7))


def test_zscore_median_mad_and_target_mean_sd() -> None:
    x = np.array([[1.0], [2.0], [3.0], [4.0], [100.0]])
    # median 3; |x - 3| = 2, 1, 0, 1, 97 -> MAD 1, scaled 1.4826
    out = zscore(x, centre="median", scale="mad")
    np.testing.assert_allclose(out[:, 0], (x[:, 0] - 3) / 1.4826)
    out = zscore(np.array([[1.0], [3.0]]), ddof=0, m_sd=(100, 10))  # COINr n_zscore(m_sd = c(100, 10))
    np.testing.assert_allclose(out[:, 0], [90.0, 110.0])


def test_zscore_fixed_centre_and_scale_with_direction() -> None:
    learned: dict = {}
    out = zscore(np.array([[10.0], [30.0]]), centre=20, scale=5, direction=[-1], learned=learned)
    np.testing.assert_allclose(out[:, 0], [2.0, -2.0])
    assert learned["centre"] == [20.0]


def test_zscore_rejects_unknown_options() -> None:
    with pytest.raises(ValueError, match=r"centre: must be one of 'mean', 'median'\. Got 'mode'"):
        zscore(np.ones((3, 1)), centre="mode")
    with pytest.raises(ValueError, match=r"ddof: must be one of 0, 1\. Got 2"):
        zscore(np.ones((3, 1)), ddof=2)


def test_rank_and_percentile_with_ties_and_missing() -> None:
    X = np.array([[3.0], [1.0], [3.0], [np.nan], [5.0]])
    np.testing.assert_allclose(rank(X)[:, 0], [2.5, 1.0, 2.5, np.nan, 4.0])
    # (rank - 1) / (n - 1) * 100 with n = 4 observed
    np.testing.assert_allclose(percentile(X)[:, 0], [50.0, 0.0, 50.0, np.nan, 100.0])


def test_direction_must_be_plus_or_minus_one() -> None:
    with pytest.raises(ValueError, match=r"direction: .* indicator 1 has 0"):
        minmax(np.ones((3, 2)), direction=[1, 0])
    with pytest.raises(ValueError, match=r"direction: expected 2 values"):
        minmax(np.ones((3, 2)), direction=[1, 1, 1])


# --- ratio / distance: the Handbook's "distance to a reference", EU-scoreboard style ---------------------


def test_ratio_to_mean_max_value_and_reference_row() -> None:
    X = np.array([[50.0, 2.0], [100.0, 4.0], [150.0, 8.0]])
    np.testing.assert_allclose(ratio(X)[:, 0], [50.0, 100.0, 150.0])  # mean of column 0 is 100
    np.testing.assert_allclose(ratio(X, reference="max", scale=1)[:, 1], [0.25, 0.5, 1.0])
    np.testing.assert_allclose(ratio(X, reference=[200.0, 4.0])[:, 1], [50.0, 100.0, 200.0])
    learned: dict = {}
    out = ratio(X, reference_row=1, learned=learned)
    np.testing.assert_allclose(out[1], [100.0, 100.0])
    assert learned["reference"] == [100.0, 4.0]


def test_ratio_to_the_best_follows_direction() -> None:
    """COINr n_fracmax: x / max for higher-better; for a lower-better indicator the best is the minimum."""
    X = np.array([[2.0, 2.0], [4.0, 4.0], [8.0, 8.0]])
    out = ratio(X, reference="best", direction=[1, -1], scale=1)
    np.testing.assert_allclose(out, [[0.25, 1.0], [0.5, 0.5], [1.0, 0.25]])


def test_ratio_zero_reference_gives_missing_not_infinity() -> None:
    out = ratio(np.array([[0.0], [0.0]]))
    assert np.all(np.isnan(out))


def test_distance_relative_and_absolute() -> None:
    X = np.array([[80.0], [100.0], [130.0]])
    np.testing.assert_allclose(distance(X, reference=[100.0])[:, 0], [-0.2, 0.0, 0.3])
    np.testing.assert_allclose(distance(X, reference=[100.0], relative=False)[:, 0], [-20.0, 0.0, 30.0])
    np.testing.assert_allclose(distance(X, reference=[100.0], direction=[-1])[:, 0], [0.2, 0.0, -0.3])


# --- goalposts: UNDP HDI technical note 1 ------------------------------------------------------------------


def test_goalposts_hdi_dimension_indices() -> None:
    """HDI goalposts of HDR technical note 1: life expectancy 20-85, expected schooling 0-18, mean
    schooling 0-15, GNI per capita 100-75,000 (2017 PPP $, in logarithms). Inputs 80.3, 16.5, 8.7 and
    18,486; the indices are checked against the formula worked by hand to 3 decimals."""
    X = np.array([[80.3, 16.5, 8.7, 18486.0]])
    out = goalposts(X, lower=[20, 0, 0, 100], upper=[85, 18, 15, 75000], log=[False, False, False, True])
    # 60.3/65 = 0.928; 16.5/18 = 0.917; 8.7/15 = 0.580; (ln 18486 - ln 100)/(ln 75000 - ln 100) = 0.788
    np.testing.assert_allclose(out[0].round(3), [0.928, 0.917, 0.580, 0.788])
    assert out[0, 3] == pytest.approx((math.log(18486) - math.log(100)) / (math.log(75000) - math.log(100)))


def test_goalposts_clip_cap_and_reverse() -> None:
    learned: dict = {}
    X = np.array([[20.0], [19.0], [9.0]])
    out = goalposts(X, lower=0, upper=18, learned=learned)  # the HDI caps expected schooling at 18
    np.testing.assert_allclose(out[:, 0], [1.0, 1.0, 0.5])
    assert learned["clipped"] == [2]
    out = goalposts(X, lower=0, upper=18, clip=False, direction=[-1], scale=100)
    np.testing.assert_allclose(out[:, 0], [-100 / 9, -100 / 18, 50.0])


def test_goalposts_errors_name_the_indicator() -> None:
    with pytest.raises(ValueError, match=r"indicator 1: lower=5, upper=5"):
        goalposts(np.ones((2, 2)), lower=[0, 5], upper=[1, 5])
    with pytest.raises(ValueError, match=r"log: .*positive lower goalpost"):
        goalposts(np.ones((2, 1)), lower=0, upper=10, log=True)


# --- bands: seed 004, Table 1 ------------------------------------------------------------------------------

NUMERIC = ["1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "4.1", "4.2"]


@pytest.mark.parametrize("no", NUMERIC)
def test_seed004_band_tables_have_no_gap_or_overlap(seed004_bands: list, no: str) -> None:
    domain = "integer" if no in ("4.1", "4.2") else "real"
    rows = [r for r in seed004_bands if r["indicator_no"] == no]
    assert validate_bands(rows, domain) == []


def test_count_bands_leave_gaps_on_the_real_line_only(seed004_bands: list) -> None:
    rows = [r for r in seed004_bands if r["indicator_no"] == "4.1"]
    issues = validate_bands(rows, "real")
    assert [i.kind for i in issues] == ["gap"] * 4
    assert issues[0].message == (
        "table: gap between [0, 0] (row 0) and [1, 2] (row 1): values in (0, 1) fall in no interval"
    )
    assert validate_bands(rows, "integer") == []


def test_seed004_published_scores_reproduce_but_one(seed004_bands: list, seed004_cells: list) -> None:
    """Every scorable numeric cell of Table 1 gets its printed score, except Shakhtinsk 2.8 = 45 %, whose
    printed score 4 contradicts its printed band "37,1-45,0" -> 3 (spec/seed-004.md, ambiguity 6)."""
    mismatches = []
    n = 0
    for no in NUMERIC:
        cells = [c for c in seed004_cells if c["indicator_no"] == no and c["score_published"] != ""]
        values = np.array(
            [float(c["value_in_band_unit"]) if c["value_in_band_unit"] else np.nan for c in cells]
        )
        scorable = [i for i, c in enumerate(cells) if c["value_in_band_unit"] or "missing" in c["basis"]]
        if not scorable:
            continue
        domain = "integer" if no in ("4.1", "4.2") else "real"
        got = bands(
            values[scorable], table=seed004_bands, where={"indicator_no": no}, missing=0, domain=domain
        )
        for i, g in zip(scorable, got, strict=True):
            n += 1
            if g != float(cells[i]["score_published"]):
                mismatches.append((no, cells[i]["town_id"], g, cells[i]["score_published"]))
    assert n >= 70
    assert mismatches == [("2.8", "shakhtinsk", 3.0, "4")]


def test_seed004_examples_of_the_spec() -> None:
    """spec/seed-004.md, test table: score(2.4, 40) = 2, score(2.4, 50) = 1, score(2.4, 17) = 4,
    score(1.4, 15.0) = 0, score(1.4, 40) = 2 with the (a, b] reading."""
    road = [
        {"lower": 50, "upper": None, "points": 0},
        {"lower": 40, "upper": 50, "points": 1},
        {"lower": 30, "upper": 40, "points": 2},
        {"lower": 25, "upper": 30, "points": 3},
        {"lower": 17, "upper": 25, "closed": "both", "points": 4},
        {"lower": None, "upper": 17, "closed": "neither", "points": 5},
    ]
    np.testing.assert_array_equal(
        bands(np.array([40.0, 50.0, 17.0, 16.9, 60.0]), table=road), [2, 1, 4, 5, 0]
    )
    sat = [
        {"lower": lo, "upper": hi, "points": p}
        for p, (lo, hi) in enumerate([(None, 15), (15, 25), (25, 40), (40, 50), (50, 75), (75, None)])
    ]
    np.testing.assert_array_equal(bands(np.array([15.0, 40.0]), table=sat), [0, 2])


def test_bands_unit_factor_missing_and_learned() -> None:
    """Seed 004 indicator 2.7: wages printed in tenge, bands in thousand tenge (f = 0.001)."""
    wage = [
        {"lower": lo, "upper": hi, "points": p}
        for p, (lo, hi) in enumerate(
            [(None, 60.1), (60.1, 90), (90, 120), (120, 150), (150, 180), (180, None)]
        )
    ]
    wage[0]["closed"] = "neither"
    wage[1]["closed"] = "both"
    learned: dict = {}
    out = bands(np.array([168487.0, np.nan]), table=wage, factor=0.001, missing=0, learned=learned)
    np.testing.assert_array_equal(out, [4.0, 0.0])
    assert learned == {"unmatched": 0, "missing": 1}


def test_bands_report_every_overlap_and_gap_at_once() -> None:
    printed = [  # seed 004, 2.4 as printed, l.273-276: shared end points 40, 30, 25
        {"lower": 40, "upper": 50, "closed": "both", "points": 1},
        {"lower": 30, "upper": 40, "closed": "both", "points": 2},
        {"lower": 25, "upper": 30, "closed": "both", "points": 3},
        {"lower": 10, "upper": 20, "closed": "both", "points": 4},
    ]
    with pytest.raises(ValueError) as err:
        bands(np.array([35.0]), table=printed)
    msg = str(err.value)
    assert msg.startswith("3 problem(s) in the band table:")
    assert "overlap between [30, 40] (row 1) and [40, 50] (row 0): values in [40, 40] fall in both" in msg
    assert "overlap between [25, 30] (row 2) and [30, 40] (row 1)" in msg
    assert "gap between [10, 20] (row 3) and [25, 30] (row 2): values in (20, 25) fall in no interval" in msg


def test_validate_bands_bounds_and_malformed_rows() -> None:
    rows = [{"lower": 0, "upper": 50, "closed": "left", "points": 0}, {"lower": 50, "upper": 90, "points": 1}]
    issues = validate_bands(rows, bounds=(0, 100))
    assert [str(i) for i in issues] == [
        "table: gap between [0, 50) (row 0) and (50, 90] (row 1): values in [50, 50] fall in no interval",
        "table: values above (50, 90] (row 1) up to 100 fall in no interval",
    ]
    with pytest.raises(ValueError) as err:
        validate_bands(
            [
                {"lower": 5, "upper": 1, "points": 0},
                {"lower": "x", "upper": 2, "points": 1},
                {"lower": 0, "upper": 1, "closed": "up", "points": 2},
            ]
        )
    msg = str(err.value)
    assert msg.startswith("3 problem(s) in table:")
    assert "table[0]: interval (5, 1] is empty" in msg
    assert "table[1]: bounds must be numbers" in msg
    assert "table[2].closed: must be one of left, right, both, neither. Got 'up'" in msg


def test_categories_from_label_map_and_from_seed004_table(seed004_bands: list) -> None:
    labels = np.array(["бар", "жоқ", "", None, " бар "], dtype=object)
    out = categories(labels, table=seed004_bands, where={"indicator_no": "3.1"})
    np.testing.assert_array_equal(out, [2, 0, 0, 0, 2])  # l.352-353: "бар" scored 2 in all 8 towns
    out = categories(labels, points={"жоқ": 0, "бар": 1}, missing=None)
    np.testing.assert_array_equal(out, [1, 0, np.nan, np.nan, 1])


def test_categories_unknown_labels_are_all_named() -> None:
    with pytest.raises(ValueError, match=r"no points given for label\(s\) 'maybe', 'perhaps'; known labels"):
        categories(np.array(["maybe", "жоқ", "perhaps"], dtype=object), points={"жоқ": 0})
    learned: dict = {}
    out = categories(np.array(["maybe"], dtype=object), points={"жоқ": 0}, unknown="missing", learned=learned)
    np.testing.assert_array_equal(out, [0.0])
    assert learned == {"missing": 1, "unknown": ["maybe"]}
