"""Explain methods: contributions, peer ranks, deviations, strengths and weaknesses, mean substitution."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aimaq.methods import explain as E

X = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.5, 0.5, np.nan]])


def test_contributions_add_up_to_the_weighted_mean() -> None:
    w = np.array([0.5, 0.25, 0.25])
    c = E.contributions(X, w)
    assert c[0].tolist() == pytest.approx([0.5, 0.0, 0.125])
    # territory 2 misses indicator 3: weights renormalised over 0.75 -> its score is (0.25 + 0.125) / 0.75
    assert np.nansum(c[2]) == pytest.approx((0.5 * 0.5 + 0.25 * 0.5) / 0.75)
    assert np.isnan(c[2, 2])
    assert E.contributions(X, w, renormalise=False)[2, :2].tolist() == pytest.approx([0.25, 0.125])


def test_peer_ranks_best_is_one_ties_share() -> None:
    r = E.peer_ranks(X)
    assert r[:, 0].tolist() == [1.0, 3.0, 2.0]
    assert r[:2, 2].tolist() == [1.0, 1.0] and np.isnan(r[2, 2])


def test_strengths_and_weaknesses_never_overlap() -> None:
    s, w = E.strengths_weaknesses(X, top=3)
    for i in range(3):
        strong = {j for j in s[i] if j >= 0}
        weak = {j for j in w[i] if j >= 0}
        assert not strong & weak
    assert s[0, 0] == 0 and w[0, 0] == 1
    with pytest.raises(ValueError, match="top: must be an int >= 1"):
        E.strengths_weaknesses(X, top=0)


def test_deviation_of_a_constant_indicator_is_zero() -> None:
    d = E.deviation_from_mean(np.array([[2.0, 1.0], [2.0, 3.0]]))
    assert d[:, 0].tolist() == [0.0, 0.0] and d[:, 1].tolist() == [-1.0, 1.0]


def test_replace_by_mean_batches_one_copy_per_indicator() -> None:
    B = E.replace_by_mean(X)
    assert B.shape == (3, 3, 3)
    assert B[2, :, 2].tolist() == [0.5, 0.5, 0.5]
    np.testing.assert_array_equal(B[2, :, :2], X[:, :2])


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(float, st.tuples(st.integers(2, 6), st.integers(1, 5)), elements=st.floats(0, 1)))
def test_contributions_sum_to_the_arithmetic_mean(A: np.ndarray) -> None:
    w = np.full(A.shape[1], 1.0 / A.shape[1])
    np.testing.assert_allclose(E.contributions(A, w).sum(axis=-1), A.mean(axis=-1), atol=1e-12)
    perm = np.random.default_rng(0).permutation(A.shape[0])
    np.testing.assert_array_equal(E.peer_ranks(A)[perm], E.peer_ranks(A[perm]))


@settings(max_examples=50, deadline=None)
@given(
    hnp.arrays(
        float,
        st.tuples(st.integers(1, 3), st.integers(1, 7), st.integers(1, 4)),
        elements=st.sampled_from([0.0, 1.0, 2.5, 2.5, 7.0, np.nan]),
    )
)
def test_peer_ranks_match_scipy_competition_ranking(A: np.ndarray) -> None:
    from scipy.stats import rankdata

    expected = rankdata(-A, axis=-2, method="min", nan_policy="omit")
    np.testing.assert_array_equal(E.peer_ranks(A), expected)
