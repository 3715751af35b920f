"""Imputation methods: fill missing values (NaN) of ``X (..., n_territories, n_indicators)``.

Signature (``docs/architecture.md``): ``f(X, *, groups=None, history=None, learned=None, **params)``.
Statistics are taken per indicator over the territories (axis -2), separately for every batch. Every method
writes into ``learned`` how many cells it filled (``filled``, shape (..., k)) and how many stay missing
(``still_missing``), so that the result can say which numbers are imputed.

References
----------
.. [1] OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 1.4 ("Imputation of
       missing data"): unconditional mean/median substitution and "cold deck" substitution from an
       earlier period, pp. 24-25 and 55-62.
.. [2] COINr ``R/impute.R`` (``Impute.numeric``: ``i_mean``, ``i_median``, ``i_mean_grp``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from aimaq.methods._common import as_matrix, nan_stat, set_learned

__all__ = ["group_mean", "last_available", "mean", "median", "none"]


def _finish(X: np.ndarray, out: np.ndarray, learned: dict | None, **extra: Any) -> np.ndarray:
    was = np.isnan(X)
    still = np.isnan(out)
    set_learned(learned, filled=np.sum(was & ~still, axis=-2), still_missing=np.sum(still, axis=-2), **extra)
    return out


def none(X: Any, *, groups: Any = None, history: Any = None, learned: dict | None = None) -> np.ndarray:
    """Leave missing values missing; ``learned["still_missing"]`` counts them per indicator.

    Examples
    --------
    >>> d = {}
    >>> none(np.array([[1.0, np.nan], [2.0, 3.0]]), learned=d)
    array([[ 1., nan],
           [ 2.,  3.]])
    >>> d["still_missing"]
    [0, 1]
    """
    arr = as_matrix(X)
    return _finish(arr, arr.copy(), learned)


def mean(X: Any, *, groups: Any = None, history: Any = None, learned: dict | None = None) -> np.ndarray:
    """Replace a missing value by the mean of the indicator over the observed territories.

    An indicator with no observed value stays missing. Handbook (2008) p.24 "unconditional mean
    imputation"; COINr ``i_mean``.

    Examples
    --------
    >>> mean(np.array([[1.0, np.nan], [3.0, 4.0], [np.nan, 8.0]]))
    array([[1., 6.],
           [3., 4.],
           [2., 8.]])
    """
    arr = as_matrix(X)
    fill = nan_stat(np.nanmean, arr)
    return _finish(arr, np.where(np.isnan(arr), fill, arr), learned, value=np.squeeze(fill, axis=-2))


def median(X: Any, *, groups: Any = None, history: Any = None, learned: dict | None = None) -> np.ndarray:
    """Replace a missing value by the indicator's median over the observed territories (COINr ``i_median``).

    Examples
    --------
    >>> median(np.array([[1.0], [2.0], [10.0], [np.nan]]))[:, 0]
    array([ 1.,  2., 10.,  2.])
    """
    arr = as_matrix(X)
    fill = nan_stat(np.nanmedian, arr)
    return _finish(arr, np.where(np.isnan(arr), fill, arr), learned, value=np.squeeze(fill, axis=-2))


def group_mean(
    X: Any,
    *,
    groups: Any = None,
    history: Any = None,
    learned: dict | None = None,
    fallback: str = "none",
) -> np.ndarray:
    """Replace a missing value by the mean of the indicator over the observed territories of the same group.

    Parameters
    ----------
    X : array of shape (..., n, k)
    groups : array-like of shape (n,)
        Group label of every territory (e.g. the region of a district); ``None`` / NaN = no group.
    learned : dict, optional
        Also receives ``groups`` (the group labels in order) and ``value`` (group means, shape (..., g, k)).
    fallback : {"none", "mean"}, default "none"
        A cell whose group has no observed value stays missing (``"none"``) or gets the overall mean.

    References
    ----------
    .. [1] COINr ``i_mean_grp``; Handbook (2008) p.24 (mean substitution within classes).

    Examples
    --------
    >>> X = np.array([[1.0], [np.nan], [10.0], [np.nan], [np.nan]])
    >>> group_mean(X, groups=["a", "a", "b", "b", "c"])[:, 0]
    array([ 1.,  1., 10., 10., nan])
    >>> group_mean(X, groups=["a", "a", "b", "b", "c"], fallback="mean")[:, 0]
    array([ 1. ,  1. , 10. , 10. ,  5.5])
    """
    if fallback not in ("none", "mean"):
        raise ValueError(f"fallback: must be 'none' or 'mean'. Got {fallback!r} instead.")
    arr = as_matrix(X)
    n = arr.shape[-2]
    if groups is None:
        raise ValueError("groups: group_mean needs one group label per territory; none were given")
    g = np.asarray(groups, dtype=object)
    if g.shape != (n,):
        raise ValueError(f"groups: expected {n} labels (one per territory), got shape {g.shape}")
    has = np.array([not (v is None or (isinstance(v, float) and np.isnan(v))) for v in g])
    labels = list(dict.fromkeys(v for v, h in zip(g, has, strict=True) if h))
    code = np.array([labels.index(v) if h else -1 for v, h in zip(g, has, strict=True)])
    # one-hot membership (n, g): group sums are a matrix product, no loop over territories
    member = (code[:, None] == np.arange(len(labels))[None, :]).astype(float)
    obs = ~np.isnan(arr)
    sums = np.einsum("ng,...nk->...gk", member, np.where(obs, arr, 0.0))
    counts = np.einsum("ng,...nk->...gk", member, obs.astype(float))
    with np.errstate(invalid="ignore", divide="ignore"):
        gmeans = np.where(counts > 0, sums / np.where(counts > 0, counts, 1.0), np.nan)
    fill = np.einsum("ng,...gk->...nk", member, np.nan_to_num(gmeans, nan=0.0))
    fill_ok = np.einsum("ng,...gk->...nk", member, (counts > 0).astype(float)) > 0
    fill = np.where(fill_ok, fill, np.nan)
    if fallback == "mean":
        fill = np.where(np.isnan(fill), nan_stat(np.nanmean, arr), fill)
    out = np.where(obs, arr, fill)
    return _finish(arr, out, learned, groups=[str(v) for v in labels], value=gmeans)


def last_available(
    X: Any,
    *,
    groups: Any = None,
    history: Any = None,
    learned: dict | None = None,
    max_age: int | None = None,
) -> np.ndarray:
    """Replace a missing value by the territory's most recent observed value in earlier periods.

    Parameters
    ----------
    X : array of shape (..., n, k)
        The period being computed.
    history : array of shape (t, n, k)
        Earlier periods of the same territories and indicators, oldest first (``history[-1]`` is the period
        just before ``X``). It has no batch axes; the same history fills every batch.
    learned : dict, optional
        Also receives ``age``: for every filled cell of the last batch, how many periods back the value is
        (0 = not filled), shape (n, k).
    max_age : int, optional
        Use values at most this many periods old (``None`` = any age).

    References
    ----------
    .. [1] Handbook (2008) p.24: "cold deck" imputation from an earlier period; COINr's
           "latest available year" (``Impute(..., f_i = "i_mean")`` is the cross-sectional alternative).

    Examples
    --------
    >>> hist = np.array([[[1.0, 5.0]], [[2.0, np.nan]]])      # 2 earlier years, 1 territory, 2 indicators
    >>> last_available(np.array([[np.nan, np.nan]]), history=hist)
    array([[2., 5.]])
    >>> last_available(np.array([[np.nan, np.nan]]), history=hist, max_age=1)
    array([[ 2., nan]])
    """
    arr = as_matrix(X)
    if history is None:
        raise ValueError("history: last_available needs the earlier periods (t, n, k); none were given")
    h = np.asarray(history, dtype=float)
    if h.ndim != 3 or h.shape[1:] != arr.shape[-2:]:
        raise ValueError(
            f"history: expected shape (t, {arr.shape[-2]}, {arr.shape[-1]}) to match X, got {h.shape}"
        )
    if max_age is not None and (not isinstance(max_age, int) or max_age < 1):
        raise ValueError(f"max_age: must be a positive int or None. Got {max_age!r} instead.")
    t = h.shape[0]
    obs = ~np.isnan(h)
    # position of the last observed period: argmax over the reversed time axis finds the newest one
    newest_rev = np.argmax(obs[::-1], axis=0)
    any_obs = obs.any(axis=0)
    age = np.where(any_obs, newest_rev + 1, 0)
    if max_age is not None:
        any_obs &= age <= max_age
    idx = t - 1 - newest_rev
    last = np.take_along_axis(h, idx[None], axis=0)[0]
    last = np.where(any_obs, last, np.nan)
    out = np.where(np.isnan(arr), last, arr)
    filled_age = np.where(np.isnan(arr) & ~np.isnan(out), age, 0)
    return _finish(arr, out, learned, age=filled_age.reshape(-1, *filled_age.shape[-2:])[-1])
