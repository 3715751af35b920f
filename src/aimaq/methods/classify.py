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
from collections.abc import Sequence
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
    """k-means clusters (scikit-learn's Lloyd algorithm, k-means++ start) numbered from lowest to highest.

    Parameters
    ----------
    x : array of shape (n,) / (..., n) scores, or (n, k) indicator table (``features="table"``)
    learned : dict, optional
        Receives ``centres`` (in the original units, lowest cluster first), ``spread`` (root mean squared
        distance of the members to their centre, in scaled units), ``sizes`` and ``inertia``; for a batch
        of score vectors, those of the last one.
    k : int
        Number of clusters, at most the number of distinct complete rows.
    seed : int, default 0
        Random state: with a fixed seed the result is reproducible.
    n_init : int, default 10
        Number of k-means++ starts; the best (lowest inertia) is kept.
    scaling : {"zscore", "minmax", "none"}, default "zscore"
        Scaling of the features before clustering (so that no indicator dominates by its unit).
    features : {"table", "scores"}, default "table"
        ``"table"``: a 2-D ``x`` is one (n, k) table. ``"scores"``: a 2-D ``x`` is a batch of score vectors,
        each clustered on its own.

    Returns
    -------
    int array of shape (n,) or (..., n); -1 for territories with a missing value.

    References
    ----------
    .. [1] scikit-learn ``sklearn.cluster.KMeans``; Arthur, D. and Vassilvitskii, S. (2007), "k-means++".

    Examples
    --------
    >>> kmeans(np.array([1.0, 1.1, 5.0, 5.2, 9.0, 9.1]), k=3)
    array([0, 0, 1, 1, 2, 2])
    """
    from sklearn.cluster import KMeans

    check_choice(features, "features", ("table", "scores"))
    if not isinstance(n_init, int) or n_init < 1:
        raise ValueError(f"n_init: must be a positive int. Got {n_init!r} instead.")

    def one(v: np.ndarray, lrn: dict | None) -> np.ndarray:
        F, ok, c, s = _features(v, scaling)
        _check_k(k, int(ok.sum()), len(np.unique(F, axis=0)))
        km = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(F)
        new, centres, spread, sizes = _order_and_report(F, km.labels_, k, c, s)
        set_learned(lrn, centres=centres, spread=spread, sizes=sizes, inertia=float(km.inertia_))
        out = np.full(ok.shape, -1, dtype=int)
        out[ok] = new
        return out

    arr = np.asarray(x, dtype=float)
    if arr.ndim == 2 and features == "table":
        return one(arr, learned)
    return _classify_batches(arr, one, learned)


def kmeans_1d_exact(
    x: Any,
    *,
    learned: dict | None = None,
    k: int,
) -> np.ndarray:
    """Globally optimal k-means of one score vector by dynamic programming (Ckmeans.1d.dp), deterministic.

    The sorted scores are split into k contiguous groups minimising the within-group sum of squares:
    ``D[m][i] = min_j D[m-1][j-1] + SS(j..i)`` with ``SS`` from prefix sums [1]; O(k n^2) time, vectorised
    over the split point j.

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

    def one(v: np.ndarray, lrn: dict | None) -> np.ndarray:
        ok = ~np.isnan(v)
        vals = v[ok]
        _check_k(k, int(ok.sum()), len(np.unique(vals)))
        order = np.argsort(vals, kind="stable")
        s = vals[order]
        n = s.size
        c1 = np.concatenate([[0.0], np.cumsum(s)])
        c2 = np.concatenate([[0.0], np.cumsum(s * s)])
        j = np.arange(n)[:, None]  # group start (0-based, inclusive)
        i = np.arange(n)[None, :]  # group end (inclusive)
        cnt = (i - j + 1).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            ss = (c2[i + 1] - c2[j]) - (c1[i + 1] - c1[j]) ** 2 / cnt
        ss = np.where(j <= i, np.maximum(ss, 0.0), np.inf)  # SS(j..i), (n, n)
        D = ss[0].copy()  # one group: elements 0..i
        back = np.zeros((k, n), dtype=int)
        for m in range(1, k):
            # D_new[i] = min over j >= m of D[j-1] + SS(j..i)
            prev = np.concatenate([[np.inf], D[:-1]])[:, None]  # D[j-1] indexed by j
            cand = prev + ss
            cand[:m] = np.inf
            back[m] = np.argmin(cand, axis=0)
            D = cand[back[m], np.arange(n)]
        # walk back the group starts
        labels_sorted = np.empty(n, dtype=int)
        end = n - 1
        for m in range(k - 1, -1, -1):
            start = back[m][end] if m > 0 else 0
            labels_sorted[start : end + 1] = m
            end = start - 1
        labels = np.empty(n, dtype=int)
        labels[order] = labels_sorted
        centres = np.array([vals[labels == g].mean() for g in range(k)])
        spread = np.array([np.sqrt(np.mean((vals[labels == g] - centres[g]) ** 2)) for g in range(k)])
        sizes = np.bincount(labels, minlength=k)
        breaks = [float(vals[labels == g].max()) for g in range(k - 1)]
        set_learned(lrn, centres=centres, spread=spread, sizes=sizes, withinss=float(D[-1]), breaks=breaks)
        out = np.full(v.shape, -1, dtype=int)
        out[ok] = labels
        return out

    return _classify_batches(as_vector(x), one, learned)


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
