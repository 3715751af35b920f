"""Aggregation methods: combine the indicators of each territory into one score.

Signature (``docs/architecture.md``): ``f(X, w, *, learned=None, **params) -> (..., n)`` with ``X`` of shape
``(..., n_territories, n_indicators)`` and weights ``w`` of shape ``(k,)`` or ``(..., k)`` (one weight vector
per batch, broadcast against ``X``'s leading axes). Weights must be finite and non-negative; an indicator of
weight 0 is left out.

Missing values, parameter ``nan``:

- ``"skip"`` (default): a territory's missing indicators are left out and the weights of the others are
  re-normalised (COINr's ``a_amean``/``a_gmean`` with ``na.rm``). A territory with no indicator left gets NaN.
  ``learned["n_used"]`` counts the indicators used per territory, so thin coverage is visible.
- ``"propagate"``: any missing indicator makes the score missing.

Every mean aggregator is invariant to multiplying all weights by a positive constant.

References
----------
.. [1] OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 1.6 and Step 6.2
       ("Aggregation methods"), pp. 31-34 and 102-104: linear (additive) and geometric aggregation.
.. [2] UNDP (2020), HDR technical notes, technical note 1: HDI = (I_health I_education I_income)^(1/3).
.. [3] Mazziotta, M. and Pareto, A. (2016), "On a generalized non-compensatory composite index for
       measuring socio-economic phenomena", *Social Indicators Research* 127(3), 983-1003 (MPI).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from aimaq.methods._common import as_matrix, check_choice, set_learned

__all__ = [
    "arithmetic_mean",
    "geometric_mean",
    "harmonic_mean",
    "mazziotta_pareto",
    "minimum",
    "weighted_sum",
]


def _prepare(X: Any, w: Any, nan: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``X``, weights broadcast to ``(..., 1, k)`` and the mask of used cells (observed, w > 0)."""
    check_choice(nan, "nan", ("skip", "propagate"))
    arr = as_matrix(X)
    k = arr.shape[-1]
    wa = np.asarray(w, dtype=float)
    if wa.ndim == 0 or wa.shape[-1] != k:
        raise ValueError(
            f"w: expected {k} weights (one per indicator) on the last axis, got shape {wa.shape}"
        )
    if not np.all(np.isfinite(wa)) or np.any(wa < 0):
        raise ValueError("w: weights must be finite and non-negative")
    try:
        W = np.broadcast_to(wa[..., None, :], (*np.broadcast_shapes(arr.shape[:-2], wa.shape[:-1]), 1, k))
    except ValueError:
        raise ValueError(
            f"w: batch axes {wa.shape[:-1]} do not broadcast against X's batch axes {arr.shape[:-2]}"
        ) from None
    arr = np.broadcast_to(arr, W.shape[:-2] + arr.shape[-2:])
    used = ~np.isnan(arr) & (W > 0)
    return arr, W, used


def _weighted_mean(
    values: np.ndarray, W: np.ndarray, used: np.ndarray, nan: str, arr: np.ndarray
) -> np.ndarray:
    Wu = np.where(used, W, 0.0)
    tot = Wu.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.sum(np.where(used, values * Wu, 0.0), axis=-1) / tot
    out = np.where(tot > 0, out, np.nan)
    if nan == "propagate":
        out = np.where(np.any(np.isnan(arr) & (W > 0), axis=-1), np.nan, out)
    return out


def arithmetic_mean(X: Any, w: Any, *, learned: dict | None = None, nan: str = "skip") -> np.ndarray:
    """Weighted arithmetic mean ``sum_i w_i x_i / sum_i w_i`` (fully compensatory).

    References
    ----------
    .. [1] OECD/JRC Handbook (2008), Step 6.2, linear aggregation: CI = sum_q w_q I_q.

    Examples
    --------
    >>> arithmetic_mean(np.array([[1.0, 3.0], [2.0, np.nan]]), np.array([1.0, 3.0]))
    array([2.5, 2. ])
    >>> arithmetic_mean(np.array([[1.0, 3.0], [2.0, np.nan]]), np.array([1.0, 3.0]), nan="propagate")
    array([2.5, nan])
    """
    arr, W, used = _prepare(X, w, nan)
    set_learned(learned, n_used=used.sum(axis=-1))
    return _weighted_mean(arr, W, used, nan, arr)


def weighted_sum(
    X: Any,
    w: Any,
    *,
    learned: dict | None = None,
    nan: str = "skip",
    total: str = "count",
) -> np.ndarray:
    """Weighted sum of points: ``T * sum_i w_i x_i / sum_i w_i``.

    Parameters
    ----------
    X : array of shape (..., n, k)
    w : array of shape (k,) or (..., k)
    total : {"count", "as_given"}, default "count"
        ``"count"``: T = the number of indicators with a positive weight, so that equal weights give the
        plain sum of points (seed 004, l.390-394: «ұпайлар қосылып», the points are added up, with no
        weights). ``"as_given"``: T = the sum of the weights, so that the result is ``sum_i w_i x_i`` with
        the weights as given.
    nan : {"skip", "propagate"}
        With ``"skip"`` a missing indicator counts as the weighted mean of the others (the weights are
        re-normalised). Score a missing value explicitly instead (``normalise.bands(missing=0)``, as seed 004
        does) when a missing value should count as 0.

    Examples
    --------
    Seed 004, Table 2 (l.486-491): Satpayev's 18 indicator scores add up to 40; here 3 indicators:

    >>> weighted_sum(np.array([[4.0, 0.0, 5.0], [1.0, 2.0, 3.0]]), np.full(3, 1 / 3))
    array([9., 6.])
    >>> weighted_sum(np.array([[4.0, 0.0, 5.0]]), np.array([1.0, 1.0, 2.0]), total="as_given")
    array([14.])

    Equal weights give the sum of points exactly, whatever their scale: Balkhash's 18 printed scores of
    Table 1 (seed 004, l.160-470) add up to 37, not 36.99999999999999:

    >>> balkhash = np.array([[0, 0, 1, 2, 5, 0, 5, 0, 5, 4, 4, 4, 2, 2, 0, 1, 1, 1.0]])
    >>> weighted_sum(balkhash, np.full(18, 1 / 18)).tolist()
    [37.0]
    """
    check_choice(total, "total", ("count", "as_given"))
    arr, W, used = _prepare(X, w, nan)
    # Scale the weights so that the largest is 1 before summing: equal weights then become exactly 1 and a
    # sum of integer points stays an exact integer (35, not 35.00000000000001, which an integer-domain class
    # table would leave unclassified). The result is the same weighted sum up to rounding.
    top = np.max(W, axis=-1, keepdims=True)
    Wn = W / np.where(top > 0, top, 1.0)
    Wu = np.where(used, Wn, 0.0)
    used_w = Wu.sum(axis=-1)
    all_w = np.sum(Wn, axis=-1)
    points = np.sum(np.where(used, arr * Wu, 0.0), axis=-1)
    # Missing indicators ("skip") count as the weighted mean of the others: scale by all_w / used_w, which is
    # exactly 1 when nothing is missing.
    T = np.sum(W > 0, axis=-1) / all_w if total == "count" else top[..., 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(used_w == all_w, points, points * (all_w / used_w)) * T
    out = np.where(used_w > 0, out, np.nan)
    if nan == "propagate":
        out = np.where(np.any(np.isnan(arr) & (W > 0), axis=-1), np.nan, out)
    set_learned(learned, n_used=used.sum(axis=-1))
    return out


def _nonpositive_error(method: str, arr: np.ndarray, bad: np.ndarray, hint: str) -> ValueError:
    idx = np.argwhere(bad)
    cells = ", ".join(f"territory {t[-2]}, indicator {t[-1]} ({arr[tuple(t)]:g})" for t in idx[:10])
    more = f" and {len(idx) - 10} more" if len(idx) > 10 else ""
    return ValueError(
        f"zeros: {method} takes logarithms or reciprocals, but {len(idx)} value(s) are {hint}: "
        f"{cells}{more}. "
        "Normalise to a strictly positive range first (e.g. minmax with a=1, b=100), or set "
        "zeros='offset' (adds `offset` before and subtracts it after) or zeros='skip' (leaves "
        "those values out)."
    )


def geometric_mean(
    X: Any,
    w: Any,
    *,
    learned: dict | None = None,
    nan: str = "skip",
    zeros: str = "error",
    offset: float = 1.0,
) -> np.ndarray:
    """Weighted geometric mean ``exp(sum_i w_i ln x_i / sum_i w_i)`` (partially compensatory).

    Parameters
    ----------
    X : array of shape (..., n, k)
    w : array of shape (k,) or (..., k)
    zeros : {"error", "offset", "skip"}, default "error"
        What to do with values <= 0, where the logarithm is undefined:
        ``"error"`` raises ``ValueError`` naming every such cell and saying what to do;
        ``"offset"`` computes ``GM(x + offset) - offset`` (values still <= 0 after the offset raise);
        ``"skip"`` leaves those values out like missing ones (``learned["n_skipped"]`` counts them).
    offset : float, default 1

    References
    ----------
    .. [1] OECD/JRC Handbook (2008), Step 6.2, geometric aggregation: CI = prod_q x_q^{w_q}.
    .. [2] UNDP (2020), HDR technical notes, technical note 1 (HDI = geometric mean of the three indices).
    .. [3] COINr ``a_gmean``: "uses log. Normalise to remove negative/zero values first".

    Examples
    --------
    The HDI formula of the HDR technical notes on dimension indices 0.928 (health), 0.748 (education)
    and 0.788 (income): (0.928 x 0.748 x 0.788)^(1/3) = 0.818.

    >>> geometric_mean(np.array([[0.928, 0.748, 0.788]]), np.ones(3)).round(3)
    array([0.818])
    """
    check_choice(zeros, "zeros", ("error", "offset", "skip"))
    arr, W, used = _prepare(X, w, nan)
    vals = arr + offset if zeros == "offset" else arr
    bad = used & (vals <= 0)
    n_skipped = np.zeros(arr.shape[:-1], dtype=int)
    if bad.any():
        if zeros == "skip":
            used = used & ~bad
            n_skipped = bad.sum(axis=-1)
        else:
            hint = "zero or negative" if zeros == "error" else f"still <= 0 after adding offset={offset:g}"
            raise _nonpositive_error("geometric_mean", arr, bad, hint)
    with np.errstate(invalid="ignore", divide="ignore"):
        logs = np.log(np.where(used, vals, 1.0))
    out = np.exp(_weighted_mean(logs, W, used, nan, arr))
    if zeros == "offset":
        out = out - offset
    set_learned(learned, n_used=used.sum(axis=-1), n_skipped=n_skipped)
    return out


def harmonic_mean(X: Any, w: Any, *, learned: dict | None = None, nan: str = "skip") -> np.ndarray:
    """Weighted harmonic mean ``sum_i w_i / sum_i (w_i / x_i)`` (least compensatory of the power means).

    A zero value gives a score of 0 (the limit of the formula); a negative value raises ``ValueError``
    naming the cells.

    References
    ----------
    .. [1] Power means of order -1; OECD/JRC Handbook (2008) p.103 and Table 22 on compensability.

    Examples
    --------
    >>> harmonic_mean(np.array([[1.0, 4.0], [2.0, 0.0]]), np.ones(2))
    array([1.6, 0. ])
    """
    arr, W, used = _prepare(X, w, nan)
    neg = used & (arr < 0)
    if neg.any():
        raise _nonpositive_error("harmonic_mean", arr, neg, "negative")
    zero = used & (arr == 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        inv = np.where(used & ~zero, 1.0 / np.where(used & ~zero, arr, 1.0), 0.0)
    m_inv = _weighted_mean(inv, W, used, nan, arr)
    with np.errstate(divide="ignore"):
        out = 1.0 / m_inv
    out = np.where(np.any(zero, axis=-1) & ~np.isnan(out), 0.0, out)
    set_learned(learned, n_used=used.sum(axis=-1))
    return out


def mazziotta_pareto(
    X: Any,
    w: Any,
    *,
    learned: dict | None = None,
    nan: str = "skip",
    penalty: int = -1,
    standardise: bool = True,
) -> np.ndarray:
    """Mazziotta-Pareto Index: the mean of the indicators penalised by their imbalance.

    1. With ``standardise=True`` every indicator is put on the MPI scale
       ``z = 100 + 10 (x - mean) / sd`` over the territories (population sd) [1]; otherwise ``X`` is used as
       it is (e.g. after ``normalise.zscore(m_sd=(100, 10), ddof=0)``).
    2. For each territory ``M = sum w z / sum w``, ``S = sqrt(sum w (z - M)^2 / sum w)``, ``cv = S / M``.
    3. ``MPI = M + penalty * S * cv``.

    With equal weights this is the MPI of [1]; other weights generalise M and S as weighted moments.

    Parameters
    ----------
    penalty : {-1, +1}, default -1
        -1 (``MPI-``) when higher values are better: imbalance lowers the score. +1 (``MPI+``) for a
        composite where higher is worse (e.g. a deprivation index).
    standardise : bool, default True

    Examples
    --------
    Already on the MPI scale: a balanced territory keeps its mean, an unbalanced one is penalised by
    S^2 / M = 100 / 100 = 1:

    >>> mazziotta_pareto(np.array([[100.0, 100.0], [90.0, 110.0]]), np.ones(2), standardise=False)
    array([100.,  99.])
    """
    if penalty not in (-1, 1):
        raise ValueError(f"penalty: must be -1 (higher is better) or +1 (higher is worse). Got {penalty!r}.")
    arr, W, used = _prepare(X, w, nan)
    if standardise:
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = np.nanmean(np.where(np.isnan(arr), np.nan, arr), axis=-2, keepdims=True)
            sd = np.sqrt(np.nanmean((arr - mu) ** 2, axis=-2, keepdims=True))
            z = 100.0 + 10.0 * (arr - mu) / np.where(sd == 0, np.nan, sd)
        z = np.where(np.isnan(arr), np.nan, np.where(sd == 0, 100.0, z))
    else:
        z = arr
    M = _weighted_mean(z, W, used, nan, arr)
    S2 = _weighted_mean((z - M[..., None]) ** 2, W, used, nan, arr)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = M + penalty * S2 / M  # S * cv = S * S / M
    set_learned(learned, mean=M, sd=np.sqrt(S2), n_used=used.sum(axis=-1))
    return out


def minimum(X: Any, w: Any, *, learned: dict | None = None, nan: str = "skip") -> np.ndarray:
    """The lowest indicator of each territory (non-compensatory; a territory is as good as its weakest).

    Weights only select: an indicator of weight 0 is left out.

    Examples
    --------
    >>> minimum(np.array([[3.0, 1.0, 2.0], [5.0, np.nan, 4.0]]), np.array([1.0, 1.0, 1.0]))
    array([1., 4.])
    >>> minimum(np.array([[3.0, 1.0, 2.0]]), np.array([1.0, 0.0, 1.0]))
    array([2.])
    """
    arr, W, used = _prepare(X, w, nan)
    out = np.min(np.where(used, arr, np.inf), axis=-1)
    out = np.where(np.isinf(out) & ~np.any(used, axis=-1), np.nan, out)
    if nan == "propagate":
        out = np.where(np.any(np.isnan(arr) & (W > 0), axis=-1), np.nan, out)
    set_learned(learned, n_used=used.sum(axis=-1))
    return out
