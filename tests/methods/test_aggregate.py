"""Aggregation methods: HDI geometric mean, seed 004 sums, MPI by hand, zero and NaN policies."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest

from aimaq.methods.aggregate import (
    arithmetic_mean,
    geometric_mean,
    harmonic_mean,
    mazziotta_pareto,
    minimum,
    weighted_sum,
)


def test_hdi_is_the_geometric_mean_of_the_dimension_indices() -> None:
    """HDR technical note 1: HDI = (I_health * I_education * I_income)^(1/3); 0.928, 0.748, 0.788 -> 0.818."""
    out = geometric_mean(np.array([[0.928, 0.748, 0.788]]), np.full(3, 1 / 3))
    assert out[0] == pytest.approx((0.928 * 0.748 * 0.788) ** (1 / 3))
    assert round(out[0], 3) == 0.818


def test_weighted_geometric_mean_by_hand() -> None:
    # 4^(1/4) * 16^(3/4) = 2^(1/2) * 2^3 = 8 sqrt(2)
    out = geometric_mean(np.array([[4.0, 16.0]]), np.array([1.0, 3.0]))
    assert out[0] == pytest.approx(8 * math.sqrt(2))


def test_geometric_mean_zero_policies() -> None:
    X = np.array([[0.0, 4.0], [1.0, 4.0], [-1.0, 2.0]])
    with pytest.raises(ValueError) as err:
        geometric_mean(X, np.ones(2))
    msg = str(err.value)
    assert "zeros: geometric_mean takes logarithms or reciprocals, but 2 value(s) are zero or negative" in msg
    assert "territory 0, indicator 0 (0)" in msg and "territory 2, indicator 0 (-1)" in msg
    assert "Normalise to a strictly positive range first" in msg and "zeros='offset'" in msg
    learned: dict = {}
    out = geometric_mean(X, np.ones(2), zeros="skip", learned=learned)
    np.testing.assert_allclose(out, [4.0, 2.0, 2.0])
    assert learned["n_skipped"] == [1, 0, 1]
    out = geometric_mean(X[:2], np.ones(2), zeros="offset", offset=1.0)
    np.testing.assert_allclose(out, [math.sqrt(5) - 1, math.sqrt(10) - 1])
    with pytest.raises(ValueError, match=r"still <= 0 after adding offset=1"):
        geometric_mean(X, np.ones(2), zeros="offset")


def test_seed004_total_is_the_plain_sum_of_points(seed004_cells: list) -> None:
    """Seed 004 l.390-394 and Table 2 (l.486-491): the total is the sum of the 18 indicator scores;
    with equal weights weighted_sum gives it (Satpayev 40, Temirtau 38; Balkhash sums to 37 against a
    printed 39)."""
    scores: dict[str, list[float]] = defaultdict(list)
    for c in seed004_cells:
        scores[c["town_id"]].append(float(c["score_published"]))
    towns = sorted(scores)
    X = np.array([scores[t] for t in towns])
    assert X.shape == (8, 18)
    total = dict(zip(towns, weighted_sum(X, np.full(18, 1 / 18)), strict=True))
    assert total["satpayev"] == pytest.approx(40)
    assert total["temirtau"] == pytest.approx(38)
    assert total["balkhash"] == pytest.approx(37)


def test_weighted_sum_totals_and_missing() -> None:
    X = np.array([[1.0, 2.0, 3.0], [1.0, np.nan, 3.0]])
    np.testing.assert_allclose(weighted_sum(X, np.ones(3)), [6.0, 6.0])  # the missing one counts as the mean
    np.testing.assert_allclose(weighted_sum(X, np.array([1.0, 2.0, 0.0]), total="as_given"), [5.0, 3.0])
    np.testing.assert_allclose(weighted_sum(X, np.ones(3), nan="propagate"), [6.0, np.nan])


def test_arithmetic_mean_skips_missing_with_renormalised_weights() -> None:
    X = np.array([[1.0, 3.0, 5.0], [np.nan, 3.0, 5.0], [np.nan, np.nan, np.nan]])
    learned: dict = {}
    out = arithmetic_mean(X, np.array([2.0, 1.0, 1.0]), learned=learned)
    np.testing.assert_allclose(out, [2.5, 4.0, np.nan])
    assert learned["n_used"] == [3, 2, 0]


def test_harmonic_mean_by_hand() -> None:
    # 2 / (1/1 + 1/4) = 1.6; weights 1 and 3: 4 / (1 + 3/4) = 16/7
    np.testing.assert_allclose(harmonic_mean(np.array([[1.0, 4.0]]), np.ones(2)), [1.6])
    np.testing.assert_allclose(harmonic_mean(np.array([[1.0, 4.0]]), np.array([1.0, 3.0])), [16 / 7])
    np.testing.assert_allclose(harmonic_mean(np.array([[0.0, 4.0]]), np.ones(2)), [0.0])
    with pytest.raises(ValueError, match=r"harmonic_mean .* 1 value\(s\) are negative"):
        harmonic_mean(np.array([[-1.0, 4.0]]), np.ones(2))


def test_mazziotta_pareto_by_hand() -> None:
    """Columns (1, 2, 3) and (3, 2, 1): z = 100 -/+ 10 sqrt(3/2); the outer territories have M = 100 and
    S^2 = 150, so MPI- = M - S cv = 100 - S^2 / M = 98.5; the middle one is perfectly balanced (100)."""
    X = np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]])
    learned: dict = {}
    out = mazziotta_pareto(X, np.ones(2), learned=learned)
    np.testing.assert_allclose(out, [98.5, 100.0, 98.5])
    np.testing.assert_allclose(learned["sd"], [math.sqrt(150), 0.0, math.sqrt(150)])
    np.testing.assert_allclose(mazziotta_pareto(X, np.ones(2), penalty=1), [101.5, 100.0, 101.5])
    with pytest.raises(ValueError, match=r"penalty: must be -1 .* or \+1"):
        mazziotta_pareto(X, np.ones(2), penalty=0)


def test_minimum_ignores_zero_weight_and_missing() -> None:
    X = np.array([[3.0, 1.0, 2.0], [np.nan, 5.0, 4.0], [np.nan, np.nan, np.nan]])
    np.testing.assert_allclose(minimum(X, np.array([1.0, 0.0, 1.0])), [2.0, 4.0, np.nan])


def test_weights_are_checked_and_broadcast() -> None:
    X = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"w: expected 3 weights \(one per indicator\)"):
        arithmetic_mean(X, np.ones(2))
    with pytest.raises(ValueError, match="w: weights must be finite and non-negative"):
        arithmetic_mean(X, np.array([1.0, -1.0, 1.0]))
    with pytest.raises(ValueError, match=r"nan: must be one of 'skip', 'propagate'\. Got 'drop'"):
        arithmetic_mean(X, np.ones(3), nan="drop")
    # one weight vector per replication: (4, 3) weights on (2, 3) data -> (4, 2) scores
    W = np.eye(3)[[0, 1, 2, 0]]
    out = arithmetic_mean(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), W)
    np.testing.assert_allclose(out, [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0], [1.0, 4.0]])
