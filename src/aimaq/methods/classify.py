"""Classification methods: put territories into ordered classes.

Signature (``docs/architecture.md``): ``f(x, *, learned=None, **params) -> int array (..., n)``. ``x`` is a
score vector ``(..., n)``; the clustering methods also take an indicator table ``(n, k)``. Class indices run
from 0 (lowest scores) upwards; -1 means unclassified (a missing score, or a value in no class). Class
labels live in the spec, not here.

:func:`validate_classes` checks a threshold table for gaps and overlaps, naming the intervals; it is public
for the engine's spec check but is not a method (not in ``__all__``).

References
----------
.. [1] European Commission (2023), *European Innovation Scoreboard 2023, Methodology report*, and
       *Regional Innovation Scoreboard 2023*: performance groups by the summary index relative to the EU
       average: Innovation Leaders above 125 %, Strong Innovators 100-125 %, Moderate Innovators 70-100 %,
       Emerging Innovators below 70 %.
.. [2] Wang, H. and Song, M. (2011), "Ckmeans.1d.dp: optimal k-means clustering in one dimension by
       dynamic programming", *The R Journal* 3(2), 29-33.
.. [3] Seed 004, ``004_1ae37a956d9e9e50.txt``, Table 2, l.472-485 (class thresholds of the total score).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from aimaq.methods._common import (
    IntervalIssue,
    as_vector,
    check_choice,
    interval_issues,
    parse_intervals,
    set_learned,
)

__all__ = ["argmax", "hierarchical", "kmeans", "kmeans_1d_exact", "quantiles", "relative", "thresholds"]


def _to_int(cls: np.ndarray, valid: np.ndarray) -> np.ndarray:
    return np.where(valid & ~np.isnan(cls), np.nan_to_num(cls, nan=-1), -1).astype(int)


def argmax(X: Any, *, ties: str = "unclassified", learned: dict | None = None) -> np.ndarray:
    """The class of each territory is the column of its largest value ("largest share wins").

    ``X`` is a table ``(..., n, k)`` of comparable values (shares of one total, e.g. the divisions of
    mining output); class ``j`` is column ``j``, so the spec's ``on:`` list names the classes in order. A
    vector ``(n,)`` is one column. A territory with a missing value in any column is unclassified (-1): the
    missing column might be the largest. A tie for the largest value is unclassified (``ties:
    "unclassified"``, the default) or goes to the first tied column (``ties: "first"``); either way the
    tied rows are reported in ``learned["ties"]`` (row indices) and ``learned["tied"]`` (their columns).

    Parameters
    ----------
    X : array of shape (..., n, k) or (n,)
    ties : {"unclassified", "first"}, default="unclassified"
    learned : dict, optional

    References
    ----------
    .. [1] Seed 002, ``002_268c48c80ed1ad3d.txt``, l.62-68: the four raw-material regions are those "в
           социально-экономическом развитии которых доминирует нефте- и газодобыча над извлечением ...
           других видов природных ресурсов" (where oil and gas dominate the other resources): the
           dominant resource is the division with the largest share of mining output.

    Examples
    --------
    >>> shares = np.array([[70.0, 20.0, 10.0], [30.0, 60.0, 10.0], [45.0, 45.0, 10.0], [np.nan, 50.0, 5.0]])
    >>> learned = {}
    >>> argmax(shares, learned=learned)
    array([ 0,  1, -1, -1])
    >>> learned["ties"], learned["tied"]
    ([2], [[0, 1]])
    >>> argmax(shares, ties="first")
    array([ 0,  1,  0, -1])
    """
    check_choice(ties, "ties", ("unclassified", "first"))
    A = np.asarray(X, dtype=float)
    if A.ndim == 1:
        A = A[:, None]
    if A.shape[-1] < 1:
        raise ValueError("X: needs at least one column (the spec's `on:` list)")
    complete = ~np.isnan(A).any(axis=-1)
    top = np.nanmax(np.where(complete[..., None], A, -np.inf), axis=-1)
    at_top = (top[..., None] == A) & complete[..., None]
    tie = at_top.sum(axis=-1) > 1
    out = np.where(complete, np.argmax(at_top, axis=-1), -1)
    if ties == "unclassified":
        out = np.where(tie, -1, out)
    rows = np.argwhere(tie)
    set_learned(
        learned,
        ties=[int(r[-1]) if A.ndim == 2 else [int(v) for v in r] for r in rows],
        tied=[[int(j) for j in np.flatnonzero(at_top[tuple(r)])] for r in rows],
        missing=int((~complete).sum()),
    )
    return out.astype(int)


def validate_classes(classes: Any, domain: str = "real", *, name: str = "classes") -> list[IntervalIssue]:
    """Every gap and overlap of a threshold table (rows ``{id, interval: [lo, hi], closed}``).

    Examples
    --------
    Seed 004, Table 2 as printed: "0-35", "36-66", "above 67" leaves (66, 67] unassigned even for integers:

    >>> t = [{"id": "low", "interval": [0, 35], "closed": "both"},
    ...      {"id": "medium", "interval": [36, 66], "closed": "both"},
    ...      {"id": "high", "interval": [67, None], "closed": "neither"}]
    >>> [i.message for i in validate_classes(t, domain="integer")]
    ['classes: gap between [36, 66] (row 1) and (67, +inf) (row 2): values in (66, 67] fall in no interval']
    """
    intervals = parse_intervals(_rows(classes), "id", name)
    return interval_issues(intervals, domain=domain, name=name)


def _rows(classes: Any) -> list[dict]:
    if hasattr(classes, "to_dict"):
        classes = classes.to_dict("records")
    if isinstance(classes, str) or not isinstance(classes, Sequence):
        raise ValueError(
            f"classes: expected a list of classes with an interval, got {type(classes).__name__}"
        )
    return [dict(c) if isinstance(c, dict) else c for c in classes]


def thresholds(
    x: Any,
    *,
    learned: dict | None = None,
    classes: Any,
    domain: str = "real",
) -> np.ndarray:
    """Classes from fixed thresholds with explicit edge inclusion.

    Parameters
    ----------
    x : array of shape (..., n)
    learned : dict, optional
        Receives ``ids`` (class ids from lowest to highest) and ``unclassified`` (count per batch).
    classes : sequence of mappings
        ``{id, interval: [lower, upper], closed: left|right|both|neither}`` (``None`` = unbounded), or
        ``lower``/``upper`` keys. Classes are numbered by their lower bound, lowest = 0.
    domain : {"real", "integer"}, default "real"
        ``"integer"`` when scores are whole numbers (seed 004's points), so that ``[0, 35]`` and ``[36, 66]``
        leave no gap.

    Raises
    ------
    ValueError
        When the table has gaps or overlaps, listing every one (:func:`validate_classes`).

    Examples
    --------
    Seed 004, Table 2 with the proposed reading "67 and above" (spec/seed-004.md, M4):

    >>> t = [{"id": "low", "interval": [0, 35], "closed": "both"},
    ...      {"id": "medium", "interval": [36, 66], "closed": "both"},
    ...      {"id": "high", "interval": [67, None], "closed": "left"}]
    >>> thresholds(np.array([40.0, 35.0, 67.0, np.nan]), classes=t, domain="integer")
    array([ 1,  0,  2, -1])
    """
    intervals = parse_intervals(_rows(classes), "id", "classes")
    issues = interval_issues(intervals, domain=domain, name="classes")
    if issues:
        raise ValueError(f"{len(issues)} problem(s) in the class thresholds:\n" + "\n".join(map(str, issues)))
    ordered = sorted(intervals, key=lambda iv: (iv.lo, not iv.lower_closed))
    v = as_vector(x)
    out = np.full(v.shape, -1, dtype=int)
    for pos, iv in enumerate(ordered):  # one mask per class, never a loop over territories
        out = np.where((out < 0) & iv.contains(v), pos, out)
    set_learned(learned, ids=[iv.value for iv in ordered], unclassified=np.sum(out < 0, axis=-1))
    return out


def quantiles(
    x: Any,
    *,
    learned: dict | None = None,
    n_classes: int = 4,
    probs: Sequence[float] | None = None,
) -> np.ndarray:
    """Classes by quantiles of the observed scores: quartiles by default.

    The cut points are ``np.nanquantile`` (linear interpolation, R type 7) at ``probs`` (default
    ``1/n_classes, 2/n_classes, ...``); class c holds ``cut[c-1] < x <= cut[c]``, so a value on a cut
    point goes to the lower class.

    Examples
    --------
    >>> quantiles(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]), n_classes=4)
    array([0, 0, 1, 1, 2, 2, 3, 3])
    """
    v = as_vector(x)
    if probs is None:
        if not isinstance(n_classes, int) or n_classes < 2:
            raise ValueError(f"n_classes: must be an int >= 2. Got {n_classes!r} instead.")
        p = np.arange(1, n_classes) / n_classes
    else:
        p = np.asarray(probs, dtype=float)
        if p.ndim != 1 or np.any((p <= 0) | (p >= 1)) or np.any(np.diff(p) <= 0):
            raise ValueError(f"probs: must be increasing numbers strictly between 0 and 1. Got {probs!r}.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-missing batch gives NaN cuts, by design
        cuts = np.nanquantile(v, p, axis=-1)  # (m, ...)
    cuts = np.moveaxis(cuts, 0, -1)  # (..., m)
    cls = np.sum(v[..., :, None] > cuts[..., None, :], axis=-1)
    set_learned(learned, cuts=cuts)
    return _to_int(cls.astype(float), ~np.isnan(v))


def relative(
    x: Any,
    *,
    learned: dict | None = None,
    reference: str | float = "mean",
    reference_row: int | None = None,
    cuts: Sequence[float] = (70.0, 100.0, 125.0),
    closed: str = "left",
) -> np.ndarray:
    """Classes by the score relative to a reference score, in percent: the scoreboards' 70/100/125 % bands.

    Parameters
    ----------
    x : array of shape (..., n)
    reference : {"mean", "median", "max"} or float, default "mean"
        The reference score (the EU average in the EIS; the country average or total here).
    reference_row : int, optional
        Position of a reference territory (e.g. the national total) whose score is the reference.
    cuts : sequence of float, default (70, 100, 125)
        Increasing cut points in percent of the reference: Emerging < 70 <= Moderate < 100 <= Strong
        < 125 <= Leader.
    closed : {"left", "right"}, default "left"
        ``"left"``: a score exactly on a cut goes to the higher class (r >= cut); ``"right"``: to the lower.

    References
    ----------
    .. [1] European Innovation Scoreboard 2023, methodology report, performance groups.

    Examples
    --------
    >>> relative(np.array([60.0, 70.0, 99.0, 125.0, 130.0]), reference=100.0)
    array([0, 1, 1, 3, 3])
    """
    check_choice(closed, "closed", ("left", "right"))
    v = as_vector(x)
    c = np.asarray(cuts, dtype=float)
    if c.ndim != 1 or c.size < 1 or np.any(np.diff(c) <= 0):
        raise ValueError(f"cuts: must be increasing percentages. Got {cuts!r} instead.")
    if reference_row is not None:
        if not -v.shape[-1] <= reference_row < v.shape[-1]:
            raise ValueError(
                f"reference_row: must index one of the {v.shape[-1]} territories. Got {reference_row!r}."
            )
        ref = v[..., reference_row : reference_row + 1]
    elif isinstance(reference, str):
        check_choice(reference, "reference", ("mean", "median", "max"))
        func = {"mean": np.nanmean, "median": np.nanmedian, "max": np.nanmax}[reference]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            ref = func(v, axis=-1, keepdims=True)
    else:
        ref = np.asarray(float(reference))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = v / np.where(ref == 0, np.nan, ref) * 100.0
    cmp = r[..., None] >= c if closed == "left" else r[..., None] > c
    cls = np.sum(cmp, axis=-1).astype(float)
    set_learned(learned, reference=np.squeeze(np.broadcast_to(ref, (*v.shape[:-1], 1)), axis=-1), percent=r)
    return _to_int(cls, ~np.isnan(r))


# ---------------------------------------------------------------------------------------------------------
# Clustering
# ---------------------------------------------------------------------------------------------------------


def _features(x: Any, scaling: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (features (n, p) of complete rows, mask of complete rows, centre, scale) for clustering."""
    check_choice(scaling, "scaling", ("zscore", "minmax", "none"))
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(
            f"x: clustering takes one score vector (n,) or one indicator table (n, k); "
            f"got shape {arr.shape}. "
            "Batches are classified one by one."
        )
    ok = ~np.isnan(arr).any(axis=1)
    F = arr[ok]
    if scaling == "zscore":
        c, s = F.mean(axis=0), F.std(axis=0, ddof=0)
    elif scaling == "minmax":
        c, s = F.min(axis=0), F.max(axis=0) - F.min(axis=0)
    else:
        c, s = np.zeros(F.shape[1]), np.ones(F.shape[1])
    s = np.where(s == 0, 1.0, s)
    return (F - c) / s, ok, c, s


def _check_k(k: Any, n_ok: int, n_distinct: int) -> None:
    if not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k: must be a positive int. Got {k!r} instead.")
    if k > n_distinct:
        raise ValueError(
            f"k: must be an int in [1, {n_distinct}] ({n_ok} territories with a score, "
            f"{n_distinct} distinct values). "
            f"Got {k} instead."
        )


def _order_and_report(F: np.ndarray, labels: np.ndarray, k: int, c: np.ndarray, s: np.ndarray) -> tuple:
    """Renumber clusters from the lowest to the highest mean scaled centre; report centres and spread."""
    centres = np.array([F[labels == j].mean(axis=0) for j in range(k)])
    order = np.argsort(centres.mean(axis=1), kind="stable")
    rank_of = np.empty(k, dtype=int)
    rank_of[order] = np.arange(k)
    new = rank_of[labels]
    centres = centres[order]
    spread = np.array([np.sqrt(np.mean(np.sum((F[new == j] - centres[j]) ** 2, axis=1))) for j in range(k)])
    sizes = np.bincount(new, minlength=k)
    return new, centres * s + c, spread, sizes


def _classify_batches(x: Any, one: Any, learned: dict | None) -> np.ndarray:
    """Apply a one-problem classifier to every batch of ``x`` (..., n) (clustering cannot broadcast)."""
    v = np.asarray(x, dtype=float)
    if v.ndim <= 1:
        return one(v, learned)
    flat = v.reshape(-1, v.shape[-1])
    first: dict | None = learned
    out = np.empty(flat.shape, dtype=int)
    for b in range(flat.shape[0]):  # a loop over batches, not territories
        out[b] = one(flat[b], first if b == flat.shape[0] - 1 else None)
    return out.reshape(v.shape)


#: sklearn's defaults for Lloyd's algorithm (``KMeans(max_iter=300, tol=1e-4)``)
_MAX_ITER = 300
_TOL = 1e-4
#: Elements of the largest working array of one block of clustering problems (about 32 MB of floats).
_BLOCK = 1 << 22


def _distinct(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``a (R, ...)`` with distinct bytes: (index of one row per distinct value, inverse (R,)).

    Rows with the same bytes give the same clusters (the methods are deterministic), so a batch whose
    inputs repeat (a disputed cell read two ways) is clustered once per distinct input.
    """
    flat = np.ascontiguousarray(a.reshape(len(a), -1))
    if flat.shape[1] == 0:
        return np.zeros(min(len(a), 1), dtype=int), np.zeros(len(a), dtype=int)
    rows = flat.view(np.dtype((np.void, flat.dtype.itemsize * flat.shape[1])))[:, 0]
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _last_axis(a: np.ndarray, axis: int) -> np.ndarray:
    """``a`` with ``axis`` moved last and made contiguous, so that a reduction over it adds each row the
    same way whatever the batch size (a batch and its rows one by one give the same bits)."""
    return np.ascontiguousarray(np.moveaxis(a, axis, -1))


def _scaled(F: np.ndarray, scaling: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scale the columns of a batch of tables ``F (U, m, p)``: (scaled, centre (U, p), scale (U, p))."""
    check_choice(scaling, "scaling", ("zscore", "minmax", "none"))
    cols = _last_axis(F, 1)  # (U, p, m)
    if scaling == "zscore":
        c, s = cols.mean(axis=-1), cols.std(axis=-1, ddof=0)
    elif scaling == "minmax":
        c, s = cols.min(axis=-1), cols.max(axis=-1) - cols.min(axis=-1)
    else:
        c, s = np.zeros(F.shape[::2]), np.ones(F.shape[::2])
    s = np.where(s == 0, 1.0, s)
    return (F - c[:, None, :]) / s[:, None, :], c, s


def _distinct_rows(F: np.ndarray) -> np.ndarray:
    """Number of distinct rows of each table ``F (U, m, p)`` (what ``len(np.unique(F, axis=0))`` counts)."""
    m = F.shape[1]
    out = np.empty(len(F), dtype=int)
    step = max(1, _BLOCK // max(1, m * m * F.shape[2]))
    below = np.tril(np.ones((m, m), dtype=bool), -1)
    for a in range(0, len(F), step):
        G = F[a : a + step]
        same = (G[:, :, None, :] == G[:, None, :, :]).all(axis=-1) & below  # row i repeats an earlier row
        out[a : a + step] = m - same.any(axis=-1).sum(axis=-1)
    return out


def _order_clusters(F: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Renumber the clusters of each table from the lowest to the highest mean centre (stable on ties)."""
    member = labels[..., None] == np.arange(k)  # (U, m, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        sums = np.stack(
            [_last_axis(np.where(member[..., j : j + 1], F, 0.0), 1).sum(-1) for j in range(k)], 1
        )
        centres = sums / member.sum(axis=1)[..., None]  # (U, k, p); an empty cluster: NaN, sorted last
    order = np.argsort(centres.mean(axis=-1), axis=-1, kind="stable")
    rank_of = np.empty_like(order)
    np.put_along_axis(rank_of, order, np.arange(k)[None].repeat(len(order), 0), axis=-1)
    return np.take_along_axis(rank_of, labels, axis=-1)


def _cluster_batch(
    tables: np.ndarray,
    k: Any,
    fit: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
    *,
    scaling: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster every table of ``tables (R, n, p)``, once per distinct table; rows with a NaN are -1.

    ``fit(F (U, m, p)) -> (labels (U, m), inertia (U,))`` clusters scaled complete tables. Returns the
    ordered labels ``(R, n)`` and each table's inertia ``(R,)``.
    """
    R, n, _ = tables.shape
    out = np.full((R, n), -1, dtype=int)
    inertia = np.full(R, np.nan)
    ok = ~np.isnan(tables).any(axis=-1)
    first, pattern = _distinct(ok)  # tables with missing values at the same rows are batched together
    for g, row0 in enumerate(first):
        rows = np.flatnonzero(pattern == g)
        cols = np.flatnonzero(ok[row0])
        sub = tables[rows][:, cols]
        uniq, inverse = _distinct(sub)
        F, _, _ = _scaled(sub[uniq], scaling)
        counts = _distinct_rows(F)
        for c in counts:
            _check_k(k, len(cols), int(c))
        labels, inert = fit(F)
        out[np.ix_(rows, cols)] = _order_clusters(F, labels, int(k))[inverse]
        inertia[rows] = inert[inverse]
    return out, inertia


def _tables(x: Any, features: str) -> tuple[np.ndarray, tuple[int, ...]]:
    """Clustering input as a batch of tables ``(R, n, p)`` and the output shape."""
    check_choice(features, "features", ("table", "scores"))
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        raise ValueError("x: expected scores (..., n) or an indicator table (n, k), got a scalar")
    if features == "scores" or arr.ndim == 1:
        return arr.reshape(-1, arr.shape[-1], 1), arr.shape
    return arr.reshape(-1, *arr.shape[-2:]), arr.shape[:-1]


def _report(
    table: np.ndarray, labels: np.ndarray, k: int, scaling: str, learned: dict | None, **extra: Any
) -> None:
    """What a clustering learned about one table (its ordered labels): centres, spread, sizes."""
    if learned is None:
        return
    ok = labels >= 0
    F, c, s = _scaled(table[ok][None], scaling)
    _, centres, spread, sizes = _order_and_report(F[0], labels[ok], k, c[0], s[0])
    set_learned(learned, centres=centres, spread=spread, sizes=sizes, **extra)


def _sq_norms(A: np.ndarray) -> np.ndarray:
    """Squared row norms as scikit-learn's ``row_norms(A, squared=True)`` computes them (``einsum``)."""
    return np.einsum("...ij,...ij->...i", A, A)


def _sq_distances(A: np.ndarray, X: np.ndarray, x_sq: np.ndarray) -> np.ndarray:
    """Squared distances of the points ``A (R, a, p)`` to ``X (R, m, p)`` by scikit-learn's expansion
    ``-2 a.x + |a|^2 + |x|^2``, clipped at 0 (``sklearn.metrics.pairwise._euclidean_distances``)."""
    D = -2 * np.matmul(A, np.swapaxes(X, -1, -2))
    D += _sq_norms(A)[..., None]
    D += x_sq[:, None, :]
    return np.maximum(D, 0, out=D)


def _unrolled_sq(d: np.ndarray) -> np.ndarray:
    """Sum of squares over the last axis in the order of scikit-learn's ``_euclidean_dense_dense``
    (blocks of four features, then the rest)."""
    p = d.shape[-1]
    out = np.zeros(d.shape[:-1])
    for b in range(p // 4):
        q = d[..., 4 * b : 4 * b + 4]
        out = out + (
            q[..., 0] * q[..., 0] + q[..., 1] * q[..., 1] + q[..., 2] * q[..., 2] + q[..., 3] * q[..., 3]
        )
    for i in range(4 * (p // 4), p):
        out = out + d[..., i] * d[..., i]
    return out


def _plusplus(X: np.ndarray, x_sq: np.ndarray, u: np.ndarray, k: int) -> np.ndarray:
    """Greedy k-means++ starts of runs ``X (R, m, p)`` from uniforms ``u (R, 1 + (k - 1) T)``.

    The steps of scikit-learn's ``_kmeans_plusplus`` (``T = 2 + int(log k)`` candidates per centre, the
    one that lowers the potential most is kept), batched over the runs.
    """
    R, m, _ = X.shape
    T = 2 + int(np.log(k))
    rows = np.arange(R)
    w = np.ones(m)
    cdf = (w / w.sum()).cumsum()
    cdf /= cdf[-1]
    chosen = np.empty((R, k), dtype=int)
    chosen[:, 0] = np.searchsorted(cdf, u[:, 0], side="right")  # RandomState.choice(m, p=w / sum w)
    closest = _sq_distances(X[rows, chosen[:, 0]][:, None], X, x_sq)  # (R, 1, m)
    pot = closest @ w  # (R, 1)
    for c in range(1, k):
        target = u[:, 1 + (c - 1) * T : 1 + c * T] * pot  # (R, T)
        cum = np.cumsum(w * closest[:, 0], axis=-1)
        cand = np.minimum((cum[:, None, :] < target[..., None]).sum(axis=-1), m - 1)  # searchsorted (left)
        D = np.minimum(closest, _sq_distances(X[rows[:, None], cand], X, x_sq))  # (R, T, m)
        cpot = (D @ w.reshape(-1, 1))[..., 0]
        best = np.argmin(cpot, axis=-1)
        pot = cpot[rows, best][:, None]
        closest = D[rows, best][:, None]
        chosen[:, c] = cand[rows, best]
    return X[rows[:, None], chosen]


def _assign(X: np.ndarray, C: np.ndarray) -> np.ndarray:
    """Nearest centre of every point (the first on ties): argmin of ``|c|^2 - 2 x.c`` as scikit-learn's
    Lloyd step compares them."""
    D = _sq_norms(C)[:, None, :] + -2.0 * np.matmul(X, np.swapaxes(C, -1, -2))
    return np.argmin(D, axis=-1)


def _update(X: np.ndarray, C: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """New centres: member sums in point order, empty clusters relocated to the farthest points, averaged
    (scikit-learn's ``lloyd_iter_chunked_dense`` M-step with ``_relocate_empty_clusters_dense`` and
    ``_average_centers``)."""
    A, m, _ = X.shape
    k = C.shape[1]
    S = np.zeros(C.shape)
    W = np.zeros((A, k))
    at = (np.repeat(np.arange(A), m), labels.reshape(-1))
    np.add.at(S, at, X.reshape(A * m, -1))  # unbuffered, in point order: the same sums as a loop
    np.add.at(W, at, 1.0)
    empty = np.flatnonzero((W == 0).any(axis=-1))
    for r in empty:  # rare: a loop over the runs that lost a cluster
        gone = np.flatnonzero(W[r] == 0)
        dist = ((X[r] - C[r][labels[r]]) ** 2).sum(axis=1)
        if np.max(dist) == 0:
            continue
        far = np.argpartition(dist, -len(gone))[: -len(gone) - 1 : -1]
        for new_id, f in zip(gone, far, strict=True):
            old_id = labels[r, f]
            S[r, old_id] -= X[r, f]
            S[r, new_id] = X[r, f]
            W[r, new_id] = 1.0
            W[r, old_id] -= 1.0
    full = ~np.isin(np.arange(A), empty)
    with np.errstate(divide="ignore"):
        alpha = 1.0 / W
    S[full] *= alpha[full][..., None]
    for r in empty:
        big = int(np.argmax(W[r]))
        for j in range(k):  # in cluster order, as the Cython loop: an empty one copies the biggest
            if W[r, j] > 0:
                S[r, j] *= alpha[r, j]
            else:
                S[r, j] = S[r, big]
    return S


def _lloyd(X: np.ndarray, C: np.ndarray, tol: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's iterations of runs ``X (R, m, p)`` from centres ``C (R, k, p)``, each until its labels
    stop changing or its centres move less than ``tol (R,)`` (scikit-learn's ``_kmeans_single_lloyd``);
    converged runs drop out of the batch. Returns labels ``(R, m)`` and inertia ``(R,)``."""
    R, m, _ = X.shape
    C = C.copy()
    labels = np.full((R, m), -1)
    strict = np.zeros(R, dtype=bool)
    active = np.arange(R)
    for _ in range(_MAX_ITER):
        if not active.size:
            break
        Xa, Ca = X[active], C[active]
        lab = _assign(Xa, Ca)
        new = _update(Xa, Ca, lab)
        shift = np.sqrt(_unrolled_sq(new - Ca))
        same = (lab == labels[active]).all(axis=-1)
        moved = (shift**2).sum(axis=-1)
        C[active], labels[active] = new, lab
        strict[active[same]] = True
        active = active[~same & (moved > tol[active])]
    late = np.flatnonzero(~strict)
    if late.size:  # the last centres moved: labels from them
        labels[late] = _assign(X[late], C[late])
    sq = _unrolled_sq(X - np.take_along_axis(C, labels[..., None], axis=1))
    return labels, np.cumsum(sq, axis=-1)[:, -1]


def _same_clustering(a: np.ndarray, b: np.ndarray, k: int) -> np.ndarray:
    """Per row: does every cluster of ``a`` map to a single cluster of ``b`` (``_is_same_clustering``)?"""
    member = a[..., None] == np.arange(k)  # (U, m, k)
    lo = np.where(member, b[..., None], k).min(axis=1)
    hi = np.where(member, b[..., None], -1).max(axis=1)
    return ((lo == hi) | (hi < 0)).all(axis=-1)


#: Fits of recent tables, by (table bytes, shape, k, seed, n_init): an uncertainty run meets the same table
#: under many level combinations of other factors (a fit is a pure function of these, so reuse is exact).
_FITS: dict[tuple[Any, ...], tuple[np.ndarray, float]] = {}
_FITS_MAX = 4096


def _kmeans_fit(F: np.ndarray, k: int, seed: int, n_init: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_kmeans_runs` of the tables ``F (U, m, p)`` not fitted recently (see ``_FITS``)."""
    keys = [(F[u].tobytes(), F.shape[1:], k, seed, n_init) for u in range(len(F))]
    found = [_FITS.get(key) for key in keys]  # .get: another thread may clear the cache meanwhile
    todo = [u for u, hit in enumerate(found) if hit is None]
    if todo:
        labels, inertia = _kmeans_runs(F[todo], k, seed, n_init)
        if len(_FITS) + len(todo) > _FITS_MAX:
            _FITS.clear()
        for j, u in enumerate(todo):
            found[u] = _FITS[keys[u]] = (labels[j], float(inertia[j]))
    return np.stack([hit[0] for hit in found]), np.array([hit[1] for hit in found])


def _kmeans_runs(F: np.ndarray, k: int, seed: int, n_init: int) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's ``KMeans(k, n_init=n_init, random_state=seed).fit`` of every table ``F (U, m, p)``
    at once: the ``U x n_init`` runs are batched, each with its own convergence.

    The random numbers of k-means++ do not depend on the data (``RandomState(seed)``: one uniform for the
    first centre, ``T`` per further centre, per start), so every table uses the same stream.
    """
    U, m, p = F.shape
    T = 2 + int(np.log(k))
    u = np.random.RandomState(seed).random_sample(n_init * (1 + (k - 1) * T)).reshape(n_init, -1)
    cols = _last_axis(F, 1)
    tol = cols.var(axis=-1).mean(axis=-1) * _TOL  # sklearn's _tolerance, on the data before centring
    X = F - cols.mean(axis=-1)[:, None, :]  # sklearn subtracts the mean for accurate distances
    x_sq = _sq_norms(X)
    labels = np.empty((U, n_init, m), dtype=int)
    inertia = np.empty((U, n_init))
    step = max(1, _BLOCK // max(1, n_init * m * max(k, T) * p))
    for a in range(0, U, step):  # blocks of tables bound the (runs, m, k) arrays
        b = min(U, a + step)
        Xr = np.repeat(X[a:b], n_init, axis=0)  # run r = table r // n_init, start r % n_init
        ur = np.tile(u, (b - a, 1))
        C0 = _plusplus(Xr, np.repeat(x_sq[a:b], n_init, axis=0), ur, k)
        lab, inert = _lloyd(Xr, C0, np.repeat(tol[a:b], n_init))
        labels[a:b] = lab.reshape(b - a, n_init, m)
        inertia[a:b] = inert.reshape(b - a, n_init)
    best_lab, best = labels[:, 0].copy(), inertia[:, 0].copy()
    for i in range(1, n_init):  # sklearn keeps a later start only if it is better and a different partition
        better = (inertia[:, i] < best) & ~_same_clustering(labels[:, i], best_lab, k)
        best_lab[better], best[better] = labels[better, i], inertia[better, i]
    return best_lab, best


def kmeans(
    x: Any,
    *,
    learned: dict | None = None,
    k: int,
    seed: int = 0,
    n_init: int = 10,
    scaling: str = "zscore",
    features: str = "table",
) -> np.ndarray:
    """k-means clusters (Lloyd's algorithm from greedy k-means++ starts) numbered from lowest to highest.

    The computation is scikit-learn's ``KMeans(n_clusters=k, n_init=n_init, random_state=seed)`` step by
    step (the same random stream, starts, iterations, tolerance, empty-cluster relocation and choice of
    the best start), written in NumPy over a batch: the runs of all starts and of all tables are iterated
    together, each until it converges. A batch of tables that repeat (an uncertainty run reading a
    disputed cell two ways) is clustered once per distinct table.

    Parameters
    ----------
    x : array of shape (n,) / (..., n) scores, (n, k) indicator table, or (..., n, k) batch of tables
    learned : dict, optional
        Receives ``centres`` (in the original units, lowest cluster first), ``spread`` (root mean squared
        distance of the members to their centre, in scaled units), ``sizes`` and ``inertia``; for a batch,
        those of the last one.
    k : int
        Number of clusters, at most the number of distinct complete rows.
    seed : int, default 0
        Random state: with a fixed seed the result is reproducible.
    n_init : int, default 10
        Number of k-means++ starts; the best (lowest inertia) is kept.
    scaling : {"zscore", "minmax", "none"}, default "zscore"
        Scaling of the features before clustering (so that no indicator dominates by its unit).
    features : {"table", "scores"}, default "table"
        ``"table"``: a 2-D ``x`` is one (n, k) table and a 3-D one a batch of tables. ``"scores"``: a 2-D
        ``x`` is a batch of score vectors, each clustered on its own.

    Returns
    -------
    int array of shape (n,) or (..., n); -1 for territories with a missing value.

    References
    ----------
    .. [1] scikit-learn ``sklearn.cluster.KMeans`` (``_kmeans_plusplus``, ``_kmeans_single_lloyd``);
           Arthur, D. and Vassilvitskii, S. (2007), "k-means++: the advantages of careful seeding".

    Examples
    --------
    >>> kmeans(np.array([1.0, 1.1, 5.0, 5.2, 9.0, 9.1]), k=3)
    array([0, 0, 1, 1, 2, 2])
    >>> kmeans(np.array([[1.0, 1.1, 5.0, 5.2], [9.0, 9.1, 1.0, 1.2]]), k=2, features="scores")
    array([[0, 0, 1, 1],
           [1, 1, 0, 0]])
    """
    check_choice(scaling, "scaling", ("zscore", "minmax", "none"))
    if not isinstance(n_init, int) or isinstance(n_init, bool) or n_init < 1:
        raise ValueError(f"n_init: must be a positive int. Got {n_init!r} instead.")
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool) or not 0 <= seed < 2**32:
        raise ValueError(f"seed: must be an int in [0, 2**32). Got {seed!r} instead.")
    tables, shape = _tables(x, features)
    out, inertia = _cluster_batch(
        tables, k, lambda F: _kmeans_fit(F, int(k), int(seed), n_init), scaling=scaling
    )
    _report(tables[-1], out[-1], int(k), scaling, learned, inertia=float(inertia[-1]))
    return out.reshape(shape)


def _kmeans_1d_dp(v: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Optimal k-means of each row of ``v (U, m)`` (no NaN): labels ``(U, m)`` and withinss ``(U,)``.

    ``D[g][i] = min_j D[g-1][j-1] + SS(j..i)`` over the sorted values, all rows at once; the argmin takes
    the first minimum, so ties resolve as in a row-by-row computation.
    """
    U, n = v.shape
    order = np.argsort(v, axis=-1, kind="stable")
    s = np.take_along_axis(v, order, axis=-1)
    zero = np.zeros((U, 1))
    c1 = np.concatenate([zero, np.cumsum(s, axis=-1)], axis=-1)
    c2 = np.concatenate([zero, np.cumsum(s * s, axis=-1)], axis=-1)
    j = np.arange(n)[:, None]  # group start (0-based, inclusive)
    i = np.arange(n)[None, :]  # group end (inclusive)
    cnt = (i - j + 1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ss = (c2[:, i + 1] - c2[:, j]) - (c1[:, i + 1] - c1[:, j]) ** 2 / cnt
    ss = np.where(j <= i, np.maximum(ss, 0.0), np.inf)  # SS(j..i), (U, n, n)
    D = ss[:, 0].copy()  # one group: elements 0..i
    back = np.zeros((U, k, n), dtype=int)
    for g in range(1, k):
        # D_new[i] = min over j >= g of D[j-1] + SS(j..i)
        prev = np.concatenate([np.full((U, 1), np.inf), D[:, :-1]], axis=-1)[:, :, None]  # D[j-1] by j
        cand = prev + ss
        cand[:, :g] = np.inf
        back[:, g] = np.argmin(cand, axis=1)
        D = np.take_along_axis(cand, back[:, g][:, None, :], axis=1)[:, 0]
    # walk back the group starts: start of group g = back[g][end of group g]
    starts = np.zeros((U, k), dtype=int)
    end = np.full(U, n - 1)
    rows = np.arange(U)
    for g in range(k - 1, 0, -1):
        starts[:, g] = back[rows, g, end]
        end = starts[:, g] - 1
    sorted_labels = (np.arange(n)[None, :, None] >= starts[:, None, :]).sum(axis=-1) - 1
    labels = np.empty_like(sorted_labels)
    np.put_along_axis(labels, order, sorted_labels, axis=-1)
    return labels, D[:, -1]


def kmeans_1d_exact(
    x: Any,
    *,
    learned: dict | None = None,
    k: int,
) -> np.ndarray:
    """Globally optimal k-means of one score vector by dynamic programming (Ckmeans.1d.dp), deterministic.

    The sorted scores are split into k contiguous groups minimising the within-group sum of squares:
    ``D[m][i] = min_j D[m-1][j-1] + SS(j..i)`` with ``SS`` from prefix sums [1]; O(k n^2) time, vectorised
    over the split point j and over a batch of score vectors (computed once per distinct vector).

    Parameters
    ----------
    x : array of shape (..., n)
    learned : dict, optional
        Receives ``centres``, ``spread`` (root mean squared distance to the centre), ``sizes``,
        ``withinss`` (total within-cluster sum of squares) and ``breaks`` (largest score of every cluster
        but the last) for the last batch.
    k : int

    References
    ----------
    .. [1] Wang and Song (2011), *The R Journal* 3(2), 29-33.

    Examples
    --------
    >>> kmeans_1d_exact(np.array([4.0, 1.0, 2.0, 10.0, 11.0, np.nan]), k=2)
    array([ 0,  0,  0,  1,  1, -1])
    """
    v = as_vector(x)
    flat = v.reshape(-1, v.shape[-1])
    out = np.full(flat.shape, -1, dtype=int)
    withinss = np.full(len(flat), np.nan)
    ok = ~np.isnan(flat)
    first, pattern = _distinct(ok)  # vectors missing the same territories are batched together
    for g, row0 in enumerate(first):
        rows = np.flatnonzero(pattern == g)
        cols = np.flatnonzero(ok[row0])
        sub = flat[rows][:, cols]
        uniq, inverse = _distinct(sub)
        vals = sub[uniq]
        srt = np.sort(vals, axis=-1)
        for c in 1 + (np.diff(srt, axis=-1) != 0).sum(axis=-1):
            _check_k(k, len(cols), int(c))
        step = max(1, _BLOCK // max(1, len(cols) ** 2))
        labels = np.empty(vals.shape, dtype=int)
        wss = np.empty(len(vals))
        for a in range(0, len(vals), step):  # blocks bound the (U, n, n) sums of squares
            labels[a : a + step], wss[a : a + step] = _kmeans_1d_dp(vals[a : a + step], int(k))
        out[np.ix_(rows, cols)] = labels[inverse]
        withinss[rows] = wss[inverse]
    if learned is not None:
        last, lab = flat[-1], out[-1]
        vals, labs = last[lab >= 0], lab[lab >= 0]
        centres = np.array([vals[labs == g].mean() for g in range(k)])
        spread = np.array([np.sqrt(np.mean((vals[labs == g] - centres[g]) ** 2)) for g in range(k)])
        sizes = np.bincount(labs, minlength=k)
        breaks = [float(vals[labs == g].max()) for g in range(k - 1)]
        set_learned(
            learned, centres=centres, spread=spread, sizes=sizes, withinss=float(withinss[-1]), breaks=breaks
        )
    return out.reshape(v.shape)


def hierarchical(
    x: Any,
    *,
    learned: dict | None = None,
    k: int,
    linkage: str = "ward",
    metric: str = "euclidean",
    scaling: str = "zscore",
    features: str = "table",
) -> np.ndarray:
    """Agglomerative hierarchical clusters (SciPy), cut into k clusters numbered from lowest to highest.

    Parameters
    ----------
    x : array of shape (n,) / (..., n) scores, or (n, k) indicator table
    learned : dict, optional
        Receives ``centres``, ``spread``, ``sizes`` and ``merge_heights`` (the linkage heights); for a
        batch of score vectors, those of the last one.
    k : int
    linkage : {"ward", "complete", "average", "single", "centroid", "median", "weighted"}, default "ward"
        Ward, centroid and median need the Euclidean metric.
    metric : str, default "euclidean"
        Any metric of ``scipy.spatial.distance.pdist``.
    scaling, features : as in :func:`kmeans`

    References
    ----------
    .. [1] Ward, J. H. (1963), "Hierarchical grouping to optimize an objective function", *JASA* 58,
           236-244; SciPy ``scipy.cluster.hierarchy.linkage`` and ``fcluster(criterion="maxclust")``.

    Examples
    --------
    >>> hierarchical(np.array([9.0, 1.0, 1.2, 5.0, 5.1, 9.3]), k=3)
    array([2, 0, 0, 1, 1, 2])
    """
    from scipy.cluster import hierarchy

    methods = ("ward", "complete", "average", "single", "centroid", "median", "weighted")
    check_choice(linkage, "linkage", methods)
    check_choice(features, "features", ("table", "scores"))
    if linkage in ("ward", "centroid", "median") and metric != "euclidean":
        raise ValueError(f"metric: linkage {linkage!r} needs metric='euclidean'. Got {metric!r} instead.")

    def one(v: np.ndarray, lrn: dict | None) -> np.ndarray:
        F, ok, c, s = _features(v, scaling)
        _check_k(k, int(ok.sum()), len(np.unique(F, axis=0)))
        if F.shape[0] < 2:
            labels = np.zeros(F.shape[0], dtype=int)
            Z = np.zeros((0, 4))
        else:
            Z = hierarchy.linkage(F, method=linkage, metric=metric)
            labels = hierarchy.fcluster(Z, t=k, criterion="maxclust") - 1
        n_found = int(labels.max()) + 1 if labels.size else 0
        new, centres, spread, sizes = _order_and_report(F, labels, n_found, c, s)
        set_learned(lrn, centres=centres, spread=spread, sizes=sizes, merge_heights=Z[:, 2])
        out = np.full(ok.shape, -1, dtype=int)
        out[ok] = new
        return out

    arr = np.asarray(x, dtype=float)
    if arr.ndim == 2 and features == "table":
        return one(arr, learned)
    return _classify_batches(arr, one, learned)
