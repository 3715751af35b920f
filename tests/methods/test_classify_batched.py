"""Batched clustering: a batch gives what its rows give one by one, and k-means is scikit-learn's KMeans.

``kmeans`` and ``kmeans_1d_exact`` cluster a batch of inputs (uncertainty replications) at once: the runs
of k-means are iterated together with a convergence mask each, the exact 1-D k-means is one dynamic
programme over the batch. These tests check the batch against the per-replication path on random batches
(hypothesis) with ties, duplicates, missing values and empty clusters, and the NumPy k-means against
scikit-learn's ``KMeans``, which computed the clusters before.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

from aimaq.methods.classify import kmeans, kmeans_1d_exact


def _reference_1d_exact(v: np.ndarray, k: int) -> np.ndarray:
    """The per-replication exact 1-D k-means as it was before batching (one vector, a loop over groups)."""
    ok = ~np.isnan(v)
    vals = v[ok]
    order = np.argsort(vals, kind="stable")
    s = vals[order]
    n = s.size
    c1 = np.concatenate([[0.0], np.cumsum(s)])
    c2 = np.concatenate([[0.0], np.cumsum(s * s)])
    j, i = np.arange(n)[:, None], np.arange(n)[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        ss = (c2[i + 1] - c2[j]) - (c1[i + 1] - c1[j]) ** 2 / (i - j + 1)
    ss = np.where(j <= i, np.maximum(ss, 0.0), np.inf)
    D = ss[0].copy()
    back = np.zeros((k, n), dtype=int)
    for m in range(1, k):
        cand = np.concatenate([[np.inf], D[:-1]])[:, None] + ss
        cand[:m] = np.inf
        back[m] = np.argmin(cand, axis=0)
        D = cand[back[m], np.arange(n)]
    labels_sorted = np.empty(n, dtype=int)
    end = n - 1
    for m in range(k - 1, -1, -1):
        start = back[m][end] if m > 0 else 0
        labels_sorted[start : end + 1] = m
        end = start - 1
    out = np.full(v.shape, -1)
    out[np.flatnonzero(ok)[order]] = labels_sorted
    return out


def _sklearn_kmeans(X: np.ndarray, k: int, seed: int, n_init: int) -> np.ndarray:
    """scikit-learn's KMeans on one unscaled table, clusters numbered by their mean centre."""
    from sklearn.cluster import KMeans

    with threadpool_limits(1, user_api="openmp"):  # its inertia sum depends on the thread split
        km = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(X)
    order = np.argsort(km.cluster_centers_.mean(axis=1), kind="stable")
    rank = np.empty(k, dtype=int)
    rank[order] = np.arange(k)
    return rank[km.labels_]


@st.composite
def batches(draw: st.DrawFn, features: int = 1) -> tuple[np.ndarray, int]:
    """A batch (B, n[, p]) of small integers (many ties and repeated rows), some rows repeated whole,
    sometimes a territory missing in some rows; k at most the distinct values of every row."""
    B = draw(st.integers(1, 6))
    n = draw(st.integers(2, 12))
    shape = (B, n, features) if features > 1 else (B, n)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    X = rng.integers(0, draw(st.integers(2, 6)), size=shape).astype(float)
    if B > 1 and draw(st.booleans()):
        X[-1] = X[0]  # a repeated replication: clustered once
    if draw(st.booleans()):
        X[rng.integers(0, B), rng.integers(0, n)] = np.nan
    rows = X.reshape(B, n, -1)
    distinct = min(
        len(np.unique(r[~np.isnan(r).any(axis=1)], axis=0)) for r in rows
    )  # k-means needs k <= distinct rows
    k = draw(st.integers(1, max(1, min(distinct, 5))))
    return X, k


@settings(max_examples=150, deadline=None)
@given(batches())
def test_exact_1d_batch_equals_the_per_replication_path(case: tuple[np.ndarray, int]) -> None:
    X, k = case
    batched = kmeans_1d_exact(X, k=k)
    for b in range(len(X)):
        np.testing.assert_array_equal(batched[b], _reference_1d_exact(X[b], k))
        np.testing.assert_array_equal(batched[b], kmeans_1d_exact(X[b], k=k))


@settings(max_examples=80, deadline=None)
@given(batches(), st.integers(0, 50), st.integers(1, 4))
def test_kmeans_scores_batch_equals_one_by_one(case: tuple[np.ndarray, int], seed: int, n_init: int) -> None:
    X, k = case
    batched = kmeans(X, k=k, seed=seed, n_init=n_init, scaling="none", features="scores")
    for b in range(len(X)):
        one = kmeans(X[b], k=k, seed=seed, n_init=n_init, scaling="none", features="scores")
        np.testing.assert_array_equal(batched[b], one)


@settings(max_examples=60, deadline=None)
@given(batches(features=3), st.integers(0, 50), st.sampled_from(["zscore", "none", "minmax"]))
def test_kmeans_table_batch_equals_one_by_one(case: tuple[np.ndarray, int], seed: int, scaling: str) -> None:
    X, k = case
    learned: dict = {}
    batched = kmeans(X, k=k, seed=seed, n_init=3, scaling=scaling, learned=learned)
    assert batched.shape == X.shape[:-1]
    for b in range(len(X)):
        np.testing.assert_array_equal(batched[b], kmeans(X[b], k=k, seed=seed, n_init=3, scaling=scaling))
    last: dict = {}
    kmeans(X[-1], k=k, seed=seed, n_init=3, scaling=scaling, learned=last)
    assert learned["inertia"] == last["inertia"]  # the report of a batch is that of its last table
    np.testing.assert_array_equal(learned["sizes"], last["sizes"])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 3), st.integers(1, 6), st.integers(1, 5))
def test_kmeans_is_sklearn_kmeans(data_seed: int, p: int, k: int, n_init: int) -> None:
    """On continuous data (no ties) the partition is exactly scikit-learn's, start by start."""
    rng = np.random.default_rng(data_seed)
    X = rng.normal(size=(int(rng.integers(k, 30)), p)) * rng.uniform(0.1, 100.0, size=p)
    seed = int(rng.integers(0, 1000))
    ours = kmeans(X, k=k, seed=seed, n_init=n_init, scaling="none")
    np.testing.assert_array_equal(ours, _sklearn_kmeans(X, k, seed, n_init))


def test_kmeans_with_ties_and_an_empty_cluster_matches_sklearn() -> None:
    # 1-D ties: with one feature the distances are the same floating-point numbers as scikit-learn's
    x = np.array([0.0, 0.0, 0.0, 1.0, 1.0, 5.0, 5.0, 5.0, 9.0, 9.0])
    for seed in range(40):
        ours = kmeans(x, k=4, seed=seed, n_init=2, scaling="none", features="scores")
        np.testing.assert_array_equal(ours, _sklearn_kmeans(x[:, None], 4, seed, 2))


def test_kmeans_on_the_seed003_composite_is_what_sklearn_gave() -> None:
    """The preset's nominal six-indicator groups do not change with the NumPy k-means (n_init 300)."""
    rng = np.random.default_rng(3)
    X = rng.uniform(0, 1, size=(19, 6))  # Y1..Y6 are min-max scores in [0, 1]
    np.testing.assert_array_equal(
        kmeans(X, k=5, seed=0, n_init=300, scaling="none"), _sklearn_kmeans(X, 5, 0, 300)
    )


def test_a_repeated_batch_is_clustered_once_and_errors_name_k() -> None:
    x = np.tile(np.array([1.0, 2.0, 10.0, 11.0, 30.0]), (1000, 1))
    out = kmeans_1d_exact(x, k=3)
    assert (out == [0, 0, 1, 1, 2]).all()
    bad = x.copy()
    bad[7] = [1.0, 1.0, 1.0, 2.0, 2.0]  # one replication with only two distinct values
    with pytest.raises(ValueError, match=r"k: must be an int in \[1, 2\]"):
        kmeans_1d_exact(bad, k=3)
    with pytest.raises(ValueError, match=r"k: must be an int in \[1, 2\]"):
        kmeans(bad, k=3, features="scores")
