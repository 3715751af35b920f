"""Explain methods: where a territory's score comes from, indicator by indicator.

Pure array functions over the normalised matrix ``X (..., n, k)`` (territories axis -2, indicators axis -1,
leading axes are batches) and the effective weights of the indicators in the score. The engine's
``Result.explain(territory)`` puts them together with names and the tree.

References
----------
.. [1] OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, Step 10 ("Back to the details"):
       decomposing a composite into the contributions of its indicators, pp. 132-136.
.. [2] European Commission, *European Innovation Scoreboard* country profiles: strengths and weaknesses are
       the indicators with the highest and lowest scores relative to the EU average.
.. [3] Becker, W. et al., COINr ``R/get_str_weak.R`` (strengths and weaknesses from a unit's indicators).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from aimaq.methods._common import as_matrix, nan_stat

__all__ = ["contributions", "deviation_from_mean", "peer_ranks", "replace_by_mean", "strengths_weaknesses"]


def contributions(X: Any, w: Any, *, renormalise: bool = True) -> np.ndarray:
    """Each indicator's additive contribution ``w_j * x_ij`` to a territory's linear score.

    For a weighted arithmetic mean whose missing indicators are left out, the weights of a territory are
    rescaled over its observed indicators (``renormalise=True``), so the contributions add up to its score.
    For a weighted sum of points use ``renormalise=False``.

    Parameters
    ----------
    X : array of shape (..., n, k)
        Normalised values.
    w : array of shape (k,) or (..., k)
        Effective weights of the indicators in the score (products of the weights along the tree).
    renormalise : bool, default True

    Returns
    -------
    ndarray of shape (..., n, k); NaN where the indicator is missing.

    References
    ----------
    .. [1] OECD/JRC (2008), Handbook, Step 10: for a linear aggregation the composite is the sum of the
           weighted indicators, so each term is that indicator's contribution.

    Examples
    --------
    >>> contributions(np.array([[1.0, 0.5], [0.0, np.nan]]), np.array([0.5, 0.5]))
    array([[0.5 , 0.25],
           [0.  ,  nan]])
    """
    A = as_matrix(X)
    wv = np.asarray(w, dtype=float)[..., None, :]
    terms = A * wv
    if not renormalise:
        return terms
    observed = np.where(np.isnan(A), 0.0, np.broadcast_to(wv, A.shape))
    total = observed.sum(axis=-1, keepdims=True)
    full = np.broadcast_to(wv, A.shape).sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return terms * np.where(total > 0, full / total, np.nan)


def peer_ranks(X: Any) -> np.ndarray:
    """Rank of every territory on every indicator among its peers: 1 = best (highest), ties share the
    best rank (competition ranking "1224"), NaN stays NaN.

    Examples
    --------
    >>> peer_ranks(np.array([[3.0, 1.0], [5.0, 1.0], [np.nan, 0.0]]))
    array([[ 2.,  1.],
           [ 1.,  1.],
           [nan,  3.]])
    """
    A = as_matrix(X)
    # sort each column best first (NaN last); a value's rank is 1 + the position where its tie group starts
    order = np.argsort(np.where(np.isnan(A), np.inf, -A), axis=-2, kind="stable")
    V = np.take_along_axis(A, order, axis=-2)
    pos = np.arange(A.shape[-2]).reshape((-1, 1))
    new = np.ones(V.shape, dtype=bool)
    new[..., 1:, :] = V[..., 1:, :] != V[..., :-1, :]
    start = np.maximum.accumulate(np.where(new, pos, 0), axis=-2)
    ranks = np.empty(A.shape)
    np.put_along_axis(ranks, order, start + 1.0, axis=-2)
    return np.where(np.isnan(A), np.nan, ranks)


def deviation_from_mean(X: Any) -> np.ndarray:
    """Standardised deviation of every value from its indicator's peer mean: ``(x - mean) / sd``.

    The standard deviation is the population one (ddof=0) of the peers' observed values; an indicator on
    which all peers are equal has deviation 0 for all of them.

    Examples
    --------
    >>> deviation_from_mean(np.array([[1.0, 2.0], [3.0, 2.0]]))
    array([[-1.,  0.],
           [ 1.,  0.]])
    """
    A = as_matrix(X)
    mean = nan_stat(np.nanmean, A)
    sd = nan_stat(np.nanstd, A)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sd > 0, (A - mean) / np.where(sd > 0, sd, 1.0), np.where(np.isnan(A), np.nan, 0.0))


def strengths_weaknesses(X: Any, *, top: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Indices of each territory's ``top`` strongest and weakest indicators relative to the peer mean.

    Indicators are ordered by :func:`deviation_from_mean`; a missing indicator is neither. Strengths are
    listed best first, weaknesses worst first; when a territory has fewer than ``2 * top`` observed
    indicators, positions beyond its observed ones are -1, and an indicator is never both.

    Parameters
    ----------
    X : array of shape (..., n, k)
    top : int, default 3

    Returns
    -------
    strengths, weaknesses : int arrays of shape (..., n, top); -1 = none.

    Examples
    --------
    >>> X = np.array([[5.0, 1.0, 3.0, 2.0], [1.0, 5.0, 3.0, 4.0], [3.0, 3.0, 0.0, 2.0]])
    >>> s, w = strengths_weaknesses(X, top=1)
    >>> s[:, 0].tolist(), w[:, 0].tolist()
    ([0, 3, 0], [1, 0, 2])
    """
    if not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top: must be an int >= 1. Got {top!r} instead.")
    D = deviation_from_mean(X)
    k = D.shape[-1]
    observed = ~np.isnan(D)
    n_obs = observed.sum(axis=-1, keepdims=True)
    # one stable order, best first with missing last; weaknesses are read from the end of its observed part,
    # so ties never put one indicator in both lists
    desc = np.argsort(np.where(observed, -D, np.inf), axis=-1, kind="stable")
    take = min(top, k)
    pos = np.arange(take)
    n_strong = np.minimum(top, (n_obs + 1) // 2)  # split the observed ones so none is both
    n_weak = np.minimum(top, n_obs // 2)
    s = np.where(pos < n_strong, desc[..., :take], -1)
    from_end = np.clip(n_obs - 1 - pos, 0, k - 1)
    w = np.where(pos < n_weak, np.take_along_axis(desc, from_end, axis=-1), -1)
    if take < top:
        pad = np.full((*s.shape[:-1], top - take), -1)
        s, w = np.concatenate([s, pad], axis=-1), np.concatenate([w, pad], axis=-1)
    return s.astype(int), w.astype(int)


def replace_by_mean(X: Any) -> np.ndarray:
    """A batch of ``k`` copies of ``X``, copy ``j`` with indicator ``j`` set to its peer mean.

    Feeding the batch through the aggregation gives, for any (also non-linear) aggregation, each indicator's
    *effect*: ``score - score with that indicator at the peer mean``. Shape ``(k, ..., n, k)``.

    Examples
    --------
    >>> replace_by_mean(np.array([[1.0, 10.0], [3.0, 20.0]]))[0]
    array([[ 2., 10.],
           [ 2., 20.]])
    """
    A = as_matrix(X)
    k = A.shape[-1]
    mean = nan_stat(np.nanmean, A)
    eye = np.eye(k, dtype=bool)
    # (k, ..., 1, k) mask: copy j replaces column j only
    mask = eye.reshape((k,) + (1,) * (A.ndim - 1) + (k,))
    return np.where(mask, np.broadcast_to(mean, A.shape)[None], A[None])
