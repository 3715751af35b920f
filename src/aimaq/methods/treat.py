"""Outlier treatment: COINr's skew/kurtosis rule with winsorisation and a log fallback, and a plain log.

Signature (``docs/architecture.md``): ``f(X, *, learned=None, **params)``; treatment is column-wise: every
indicator of every batch is treated on its own, all of them at once (the winsorisation loop runs at most
``winmax`` times over the whole array, never over territories).

References
----------
.. [1] Becker, W. et al., COINr, ``R/treat.R``: ``Treat.numeric`` (two-stage treatment: ``f1`` =
       ``winsorise``, ``f2`` = ``log_CT`` applied to the *original* values when ``combine_treat = FALSE``),
       ``winsorise`` (successively replace the highest (positive skew) or lowest (negative skew) value(s)
       by the next one, at most ``winmax`` = 5 points), ``check_SkewKurt`` (pass if
       ``|skew| < 2`` or ``kurt < 3.5``), ``skew``/``kurt`` (e1071 type 2, Excel's SKEW and KURT),
       ``log_CT`` (``log(x - min(x) + 0.01 (max(x) - min(x)))``).
.. [2] COINr vignette "treat" (bluefoxr.github.io/COINr): the skew/kurtosis thresholds 2 and 3.5 are
       the rule of thumb of the JRC's composite-indicator audits; the OECD/JRC Handbook (2008), section
       1.4, discusses outlier treatment in general.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from aimaq.methods._common import as_matrix, check_choice, set_learned

__all__ = ["log", "winsorise"]


def _skew_kurt(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample skewness and excess kurtosis (e1071 type 2 = Excel SKEW/KURT) over axis -1, NaN ignored.

    Skewness needs 3 and kurtosis 4 observed values; fewer give NaN. COINr ``skew``/``kurt`` [1].
    """
    obs = ~np.isnan(x)
    n = obs.sum(axis=-1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = np.where(n > 0, np.nansum(x, axis=-1) / np.maximum(n, 1), np.nan)
        dev = x - m[..., None]
        dev[~obs] = 0.0
        # products, not dev**3: NumPy's general power is ~40x slower than multiplication
        d2 = dev * dev
        m2 = np.sum(d2, axis=-1)
        m3 = np.sum(d2 * dev, axis=-1)
        m4 = np.sum(d2 * d2, axis=-1)
        g1 = np.sqrt(n) * m3 / m2**1.5
        skew = g1 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * m4 / m2**2
        kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    skew = np.where((n >= 3) & (m2 > 0), skew, np.nan)
    kurt = np.where((n >= 4) & (m2 > 0), kurt, np.nan)
    return skew, kurt


def _fails(skew: np.ndarray, kurt: np.ndarray, skew_thresh: float, kurt_thresh: float) -> np.ndarray:
    # COINr check_SkewKurt passes when |skew| < skew_thresh OR kurt < kurt_thresh; NaN statistics
    # (too few points, constant column) are treated as passing: there is nothing to treat
    return (np.abs(skew) >= skew_thresh) & (kurt >= kurt_thresh)


def _log_ct(x: np.ndarray) -> np.ndarray:
    """COINr ``log_CT`` per row of ``x`` (axis -1): ``log(x - min + 0.01 (max - min))``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.nanmin(np.where(np.isnan(x), np.inf, x), axis=-1, keepdims=True)
        hi = np.nanmax(np.where(np.isnan(x), -np.inf, x), axis=-1, keepdims=True)
        return np.log(x - lo + 0.01 * (hi - lo))


def winsorise(
    X: Any,
    *,
    learned: dict | None = None,
    winmax: int | None = 5,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
    fallback: str = "log",
    force: bool = False,
) -> np.ndarray:
    """Winsorise indicators that fail the skew/kurtosis rule, falling back to a log transform.

    For each indicator (column) separately, as COINr's ``Treat`` with its defaults [1]:

    1. The indicator fails when ``|skewness| >= skew_thresh`` and ``kurtosis >= kurt_thresh``.
    2. While it fails and fewer than ``winmax`` points were changed, the highest value(s) (skewness >= 0)
       or the lowest value(s) (skewness < 0) are replaced by the next highest / lowest value. Tied extreme
       values are replaced together, so the count may end one step above ``winmax``, as in COINr.
    3. If it still fails and ``fallback="log"``, the *original* values are log-transformed instead
       (COINr ``log_CT``: ``log(x - min + 0.01 (max - min))``; monotone, so ranks are kept).

    Parameters
    ----------
    X : array of shape (..., n, k)
    learned : dict, optional
        Receives per indicator, shape (..., k): ``treatment`` (0 none, 1 winsorised, 2 log), ``n_high``
        and ``n_low`` (points winsorised at each end), ``skew_before``, ``kurt_before``, ``skew_after``,
        ``kurt_after``, and ``passed`` (whether the final column passes the rule).
    winmax : int or None, default 5
        Most points to winsorise per indicator (``None`` = no limit).
    skew_thresh, kurt_thresh : float, default 2 and 3.5
    fallback : {"log", "none"}, default "log"
    force : bool, default False
        Winsorise ``winmax`` points even if the indicator passes (COINr ``force_win``).

    Returns
    -------
    ndarray of shape (..., n, k); NaN stays NaN and is left out of the statistics.

    Examples
    --------
    COINr's own example (``?Treat``): the numbers 1-10 with two outliers, 30 and 100 (skewness 3.06,
    kurtosis 9.74: it fails). Winsorising the 100 down to 30 gives skewness 1.71, which passes:

    >>> x = np.r_[np.arange(1.0, 11.0), 30.0, 100.0][:, None]
    >>> d = {}
    >>> winsorise(x, learned=d)[-3:, 0]
    array([10., 30., 30.])
    >>> d["treatment"], d["n_high"], round(d["skew_after"][0], 2)
    ([1], [1], 1.71)
    """
    check_choice(fallback, "fallback", ("log", "none"))
    if winmax is not None and (not isinstance(winmax, int) or winmax < 0):
        raise ValueError(f"winmax: must be a non-negative int or None. Got {winmax!r} instead.")
    arr = as_matrix(X)
    # columns as rows of one flat (m, n) table (m = batches x indicators), so that every statistic is a
    # reduction over the last axis and each pass works only on the columns still being treated
    cols_view = np.moveaxis(arr, -1, -2)
    lead = cols_view.shape[:-1]
    cols = cols_view.reshape(-1, cols_view.shape[-1]).copy()
    orig = cols_view.reshape(cols.shape)
    skew0, kurt0 = _skew_kurt(cols)
    skew, kurt = skew0.copy(), kurt0.copy()
    m = cols.shape[0]
    n_high = np.zeros(m, dtype=int)
    n_low = np.zeros(m, dtype=int)
    limit = np.inf if winmax is None else winmax
    idx = np.flatnonzero(_fails(skew0, kurt0, skew_thresh, kurt_thresh) | force)
    while idx.size:
        idx = idx[(n_high[idx] + n_low[idx]) < limit]
        if not idx.size:
            break
        sub = cols[idx]
        high = ~(skew[idx] < 0)  # NaN skewness (only with force) winsorises the top, like skew >= 0
        filled_lo = np.where(np.isnan(sub), np.inf, sub)
        filled_hi = np.where(np.isnan(sub), -np.inf, sub)
        ext = np.where(high, filled_hi.max(axis=-1), filled_lo.min(axis=-1))[:, None]
        at_ext = sub == ext
        nxt = np.where(
            high,
            np.where(at_ext, -np.inf, filled_hi).max(axis=-1),
            np.where(at_ext, np.inf, filled_lo).min(axis=-1),
        )
        can = np.isfinite(nxt)  # a column of one distinct value cannot be winsorised
        change = can[:, None] & at_ext
        cols[idx] = np.where(change, nxt[:, None], sub)
        k_changed = change.sum(axis=-1)
        n_high[idx] += np.where(high, k_changed, 0)
        n_low[idx] += np.where(high, 0, k_changed)
        s_new, k_new = _skew_kurt(cols[idx])
        skew[idx], kurt[idx] = s_new, k_new
        idx = idx[can & (_fails(s_new, k_new, skew_thresh, kurt_thresh) | force)]
    treatment = np.where((n_high + n_low) > 0, 1, 0)
    if fallback == "log":
        use_log = np.flatnonzero(_fails(skew, kurt, skew_thresh, kurt_thresh))
        if use_log.size:
            logged = _log_ct(orig[use_log])
            cols[use_log] = logged
            treatment[use_log] = 2
            n_high[use_log] = 0
            n_low[use_log] = 0
            skew[use_log], kurt[use_log] = _skew_kurt(logged)
    set_learned(
        learned,
        treatment=treatment.reshape(lead),
        n_high=n_high.reshape(lead),
        n_low=n_low.reshape(lead),
        skew_before=skew0.reshape(lead),
        kurt_before=kurt0.reshape(lead),
        skew_after=skew.reshape(lead),
        kurt_after=kurt.reshape(lead),
        passed=~_fails(skew, kurt, skew_thresh, kurt_thresh).reshape(lead),
    )
    return np.moveaxis(cols.reshape(cols_view.shape), -2, -1)


def log(
    X: Any,
    *,
    learned: dict | None = None,
    variant: str = "ct",
) -> np.ndarray:
    """Log-transform every indicator.

    Parameters
    ----------
    X : array of shape (..., n, k)
    learned : dict, optional
        Receives ``min`` and ``max`` per indicator (the shift of the ``"ct"`` variant).
    variant : {"ct", "natural"}, default "ct"
        ``"ct"``: COINr ``log_CT``, ``log(x - min + 0.01 (max - min))``, defined for any values.
        ``"natural"``: ``log(x)``; a non-positive value raises ``ValueError`` naming the cells.

    Examples
    --------
    >>> log(np.array([[1.0], [np.e], [np.e ** 2]]), variant="natural")[:, 0]
    array([0., 1., 2.])
    >>> log(np.array([[0.0], [100.0]]))[:, 0].round(4)
    array([0.    , 4.6151])
    """
    check_choice(variant, "variant", ("ct", "natural"))
    arr = as_matrix(X)
    if variant == "natural":
        bad = np.argwhere(arr <= 0)
        if bad.size:
            cells = ", ".join(f"territory {t[-2]}, indicator {t[-1]}" for t in bad[:10])
            more = f" and {len(bad) - 10} more" if len(bad) > 10 else ""
            raise ValueError(
                f"variant: 'natural' takes log(x), but {len(bad)} value(s) are zero or negative "
                f"({cells}{more}). "
                "Use variant='ct', which shifts by the minimum first."
            )
        with np.errstate(invalid="ignore"):
            return np.log(arr)
    cols = np.moveaxis(arr, -1, -2)
    with np.errstate(invalid="ignore"):
        lo = np.nanmin(np.where(np.isnan(cols), np.inf, cols), axis=-1)
        hi = np.nanmax(np.where(np.isnan(cols), -np.inf, cols), axis=-1)
    set_learned(learned, min=lo, max=hi)
    return np.moveaxis(_log_ct(cols), -2, -1)
