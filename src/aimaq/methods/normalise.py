"""Normalisation methods: put indicators with different units on one scale, higher = better.

Every method has the signature ``f(X, *, direction=None, learned=None, **params)`` of
``docs/architecture.md``: ``X`` is ``(..., n_territories, n_indicators)``, statistics are taken over the
territories (axis -2) separately for every indicator and every batch, NaN stays NaN and is left out of the
statistics. ``direction`` holds +1 (higher is better) or -1 (lower is better) per indicator; with -1 the
output is reversed so that a higher output is always better.

``bands`` and ``categories`` score one indicator from a band table (seed 004, Table 1); the engine calls
them per indicator. Band tables are checked by :func:`validate_bands`, which is public but not a method
(it is not in ``__all__``).

References
----------
.. [1] OECD/JRC (2008), *Handbook on Constructing Composite Indicators: Methodology and User Guide*, OECD
       Publishing, section 1.5 and Table 3 ("Normalisation methods"), pp. 27-31 and 83-88.
.. [2] Becker, W. et al., COINr: ``R/normalise.R`` (``n_minmax``, ``n_zscore``, ``n_rank``, ``n_prank``,
       ``n_goalposts``, ``n_dist2ref``, ``n_dist2max``, ``n_fracmax``).
.. [3] UNDP (2020), *Human Development Report 2020, Technical notes*, technical note 1: dimension index
       = (actual - minimum) / (maximum - minimum) with fixed goalposts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from aimaq.methods._common import (
    IntervalIssue,
    as_matrix,
    as_vector,
    check_choice,
    direction_vector,
    interval_issues,
    lookup_intervals,
    nan_stat,
    parse_intervals,
    rank_average,
    set_learned,
)

__all__ = [
    "bands",
    "categories",
    "distance",
    "goalposts",
    "minmax",
    "percentile",
    "rank",
    "ratio",
    "zscore",
]


def _oriented(X: Any, direction: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return ``X`` as floats multiplied by its direction: lower-better indicators become higher-better."""
    arr = as_matrix(X)
    d = direction_vector(direction, arr.shape[-1])
    return arr * d, d


def minmax(
    X: Any,
    *,
    direction: Any = None,
    learned: dict | None = None,
    a: float = 0.0,
    b: float = 100.0,
) -> np.ndarray:
    """Min-max normalisation to ``[a, b]``: ``a + (x - min) / (max - min) * (b - a)``.

    Parameters
    ----------
    X : array of shape (..., n, k)
    direction : array of shape (k,) of +1/-1, optional
        With -1 the indicator becomes ``a + (max - x) / (max - min) * (b - a)``.
    learned : dict, optional
        Receives ``min`` and ``max`` of every indicator (in the original orientation), shape (..., k), and
        ``constant``: indicators with a single distinct value, which are mapped to the middle ``(a + b) / 2``
        (the formula is 0/0 there; the middle keeps them neutral instead of missing).
    a, b : float, default 0 and 100
        Output range (COINr's ``n_minmax`` default ``l_u = c(0, 100)``); needs ``a < b``.

    Returns
    -------
    ndarray of shape (..., n, k), in ``[a, b]``; NaN where ``X`` is NaN.

    References
    ----------
    .. [1] OECD/JRC Handbook (2008), Table 3, "Min-Max": I = (x - min(x)) / (max(x) - min(x)).

    Examples
    --------
    >>> minmax(np.array([[1.0], [3.0], [5.0]]), a=0, b=1)[:, 0]
    array([0. , 0.5, 1. ])
    >>> minmax(np.array([[1.0], [3.0], [5.0]]), direction=[-1], a=0, b=10)[:, 0]
    array([10.,  5.,  0.])
    """
    if not a < b:
        raise ValueError(
            f"a, b: the lower end a must be below the upper end b. Got a={a!r}, b={b!r} instead."
        )
    Y, d = _oriented(X, direction)
    # fmin/fmax skip NaN without nanmin's copy; an all-missing column gives NaN
    lo = np.fmin.reduce(Y, axis=-2, keepdims=True)
    hi = np.fmax.reduce(Y, axis=-2, keepdims=True)
    span = hi - lo
    constant = span == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        out = a + (Y - lo) / np.where(constant, 1.0, span) * (b - a)
    out = np.where(constant & ~np.isnan(Y), (a + b) / 2, out)
    # back to the original orientation for the log: min of -x is -max of x
    lo_x, hi_x = np.where(d > 0, lo, -hi), np.where(d > 0, hi, -lo)
    set_learned(
        learned,
        min=np.squeeze(lo_x, axis=-2),
        max=np.squeeze(hi_x, axis=-2),
        constant=np.squeeze(constant, axis=-2),
    )
    return out


def zscore(
    X: Any,
    *,
    direction: Any = None,
    learned: dict | None = None,
    centre: str | float = "mean",
    scale: str | float = "sd",
    ddof: int = 1,
    m_sd: Sequence[float] | None = None,
) -> np.ndarray:
    """Standardisation: ``(x - centre) / scale``, optionally rescaled to mean ``m`` and spread ``sd``.

    Parameters
    ----------
    X : array of shape (..., n, k)
    direction : array of shape (k,) of +1/-1, optional
        With -1 the sign of the output is flipped.
    learned : dict, optional
        Receives ``centre`` and ``scale`` per indicator (shape (..., k), original orientation for the centre).
    centre : {"mean", "median"} or float, default "mean"
    scale : {"sd", "mad"} or float, default "sd"
        ``"mad"`` is the median absolute deviation times 1.4826, which makes it estimate the standard
        deviation for normal data (so ``sd`` and ``mad`` outputs are comparable).
    ddof : {0, 1}, default 1
        Degrees of freedom of the standard deviation: 1 is the sample sd of R's ``sd()`` that COINr's
        ``n_zscore`` uses, 0 the population sd.
    m_sd : (m, sd), optional
        Return ``m + sd * z`` (COINr's ``n_zscore(m_sd = c(m, sd))``; e.g. ``(100, 10)`` for the
        Mazziotta-Pareto scale).

    Returns
    -------
    ndarray of shape (..., n, k); NaN where ``X`` is NaN, and for indicators whose scale is 0.

    References
    ----------
    .. [1] OECD/JRC Handbook (2008), Table 3, "Standardisation (or z-scores)": I = (x - mean) / sd.

    Examples
    --------
    >>> zscore(np.array([[2.0], [4.0], [6.0]]))[:, 0]
    array([-1.,  0.,  1.])
    >>> zscore(np.array([[2.0], [4.0], [6.0]]), ddof=0, m_sd=(100, 10)).round(3)[:, 0]
    array([ 87.753, 100.   , 112.247])
    """
    check_choice(ddof, "ddof", (0, 1))
    if isinstance(centre, str):
        check_choice(centre, "centre", ("mean", "median"))
    if isinstance(scale, str):
        check_choice(scale, "scale", ("sd", "mad"))
    Y, d = _oriented(X, direction)
    if isinstance(centre, str):
        c = nan_stat(np.nanmean if centre == "mean" else np.nanmedian, Y)
    else:
        c = np.asarray(float(centre)) * d  # a fixed centre is given in the indicator's own orientation
    if isinstance(scale, str):
        if scale == "sd":
            s = nan_stat(np.nanstd, Y, ddof=ddof)
        else:
            med = nan_stat(np.nanmedian, Y)
            s = 1.4826 * nan_stat(np.nanmedian, np.abs(Y - med))
    else:
        if float(scale) <= 0:
            raise ValueError(f"scale: a fixed scale must be positive. Got {scale!r} instead.")
        s = np.asarray(float(scale))
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (Y - c) / np.where(s == 0, np.nan, s)
    if m_sd is not None:
        if len(m_sd) != 2 or float(m_sd[1]) <= 0:
            raise ValueError(f"m_sd: expected (mean, positive sd). Got {m_sd!r} instead.")
        z = float(m_sd[0]) + float(m_sd[1]) * z
    k = Y.shape[-1]
    set_learned(
        learned,
        centre=np.squeeze(np.broadcast_to(c * d, (*Y.shape[:-2], 1, k)), axis=-2),
        scale=np.squeeze(np.broadcast_to(s, (*Y.shape[:-2], 1, k)), axis=-2),
    )
    return z


def rank(X: Any, *, direction: Any = None, learned: dict | None = None) -> np.ndarray:
    """Rank territories per indicator: 1 = lowest, n = top (after ``direction``); ties share a mean rank.

    NaN stays NaN and is not counted. COINr's ``n_rank`` also ranks with ``ties.method = "average"``.

    Examples
    --------
    >>> rank(np.array([[10.0], [30.0], [20.0], [30.0]]))[:, 0]
    array([1. , 3.5, 2. , 3.5])
    >>> rank(np.array([[10.0], [30.0], [20.0]]), direction=[-1])[:, 0]
    array([3., 1., 2.])
    """
    Y, _ = _oriented(X, direction)
    return rank_average(Y, axis=-2)


def percentile(
    X: Any, *, direction: Any = None, learned: dict | None = None, scale: float = 100.0
) -> np.ndarray:
    """Percentile rank: ``(rank - 1) / (n - 1) * scale``, the lowest at 0 and the highest at ``scale``.

    ``rank`` is the average rank of :func:`rank` and ``n`` counts the non-missing territories of that
    indicator; a single observed territory gets ``scale / 2``. Same as COINr's ``n_prank`` up to ties
    (COINr uses ``dplyr::percent_rank``, which gives tied values the lowest rank; the average keeps
    direction reversal exact: reversed output = ``scale`` - output).

    Examples
    --------
    >>> percentile(np.array([[5.0], [1.0], [3.0]]))[:, 0]
    array([100.,   0.,  50.])
    """
    Y, _ = _oriented(X, direction)
    r = rank_average(Y, axis=-2)
    n = np.sum(~np.isnan(Y), axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(n > 1, (r - 1) / np.maximum(n - 1, 1) * scale, scale / 2)
    return np.where(np.isnan(Y), np.nan, out)


def _reference(
    X: np.ndarray, reference: Any, d: np.ndarray, name: str = "reference", row: int | None = None
) -> np.ndarray:
    """Reference value per indicator, shape (..., 1, k): a statistic, number(s), or a reference row.

    ``"best"`` is the maximum of a higher-better and the minimum of a lower-better indicator (``d``).
    """
    k = X.shape[-1]
    if row is not None:
        if not -X.shape[-2] <= row < X.shape[-2]:
            raise ValueError(f"reference_row: must index one of the {X.shape[-2]} territories. Got {row!r}.")
        return X[..., row : row + 1 if row != -1 else None, :]
    if isinstance(reference, str):
        check_choice(reference, name, ("mean", "median", "max", "min", "best"))
        if reference == "best":
            return np.where(
                d > 0, np.fmax.reduce(X, axis=-2, keepdims=True), np.fmin.reduce(X, axis=-2, keepdims=True)
            )
        func = {"mean": np.nanmean, "median": np.nanmedian, "max": np.nanmax, "min": np.nanmin}[reference]
        return nan_stat(func, X)
    ref = np.asarray(reference, dtype=float)
    if ref.ndim == 0:
        ref = np.full(k, float(ref))
    if ref.shape != (k,):
        raise ValueError(
            f"{name}: expected one number or {k} numbers (one per indicator), got shape {ref.shape}"
        )
    return ref.reshape(1, k)


def ratio(
    X: Any,
    *,
    direction: Any = None,
    learned: dict | None = None,
    reference: str | float | Sequence[float] = "mean",
    reference_row: int | None = None,
    scale: float = 100.0,
) -> np.ndarray:
    """Ratio to a reference: ``x / ref * scale`` (the Handbook's "distance to a reference", ratio form).

    Parameters
    ----------
    X : array of shape (..., n, k)
    direction : array of shape (k,) of +1/-1, optional
        With -1 the ratio is inverted, ``ref / x * scale``, so that being below the reference scores above
        ``scale`` (both forms equal ``scale`` at the reference).
    learned : dict, optional
        Receives ``reference`` per indicator, shape (..., k).
    reference : {"mean", "median", "max", "min", "best"}, float or sequence of float, default "mean"
        ``"best"`` is the best territory's value: the maximum, or the minimum for a lower-better indicator
        (``ratio(reference="best")`` is COINr's ``n_fracmax``, "distance to the best"). A number is a
        reference value or target per indicator.
    reference_row : int, optional
        Position of a reference territory (e.g. the country total) whose values are the reference.
    scale : float, default 100
        100 gives percentages (the EU scoreboards' "relative to the EU" convention).

    Returns
    -------
    ndarray of shape (..., n, k); NaN where ``x`` or the reference is missing or a divisor is 0.

    References
    ----------
    .. [1] OECD/JRC Handbook (2008), Table 3, "Distance to a reference": I = x / x_ref.

    Examples
    --------
    >>> ratio(np.array([[50.0], [100.0], [150.0]]))[:, 0]
    array([ 50., 100., 150.])
    >>> ratio(np.array([[50.0], [100.0]]), reference=[100.0], direction=[-1])[:, 0]
    array([200., 100.])
    """
    arr = as_matrix(X)
    d = direction_vector(direction, arr.shape[-1])
    ref = _reference(arr, reference, d, row=reference_row)
    with np.errstate(invalid="ignore", divide="ignore"):
        num = np.where(d > 0, arr, ref)
        den = np.where(d > 0, ref, arr)
        out = num / np.where(den == 0, np.nan, den) * scale
    set_learned(learned, reference=np.squeeze(np.broadcast_to(ref, arr.shape[:-2] + ref.shape[-2:]), axis=-2))
    return out


def distance(
    X: Any,
    *,
    direction: Any = None,
    learned: dict | None = None,
    reference: str | float | Sequence[float] = "mean",
    reference_row: int | None = None,
    relative: bool = True,
    scale: float = 1.0,
) -> np.ndarray:
    """Distance to a reference: ``(x - ref) / |ref| * scale`` (relative) or ``(x - ref) * scale``.

    Zero at the reference, positive when better than it. With direction -1 the sign is flipped,
    ``(ref - x) / |ref|``. ``reference`` and ``reference_row`` as in :func:`ratio`.

    References
    ----------
    .. [1] OECD/JRC Handbook (2008), Table 3, "Distance to a reference": I = (x - x_ref) / x_ref.
    .. [2] COINr ``n_dist2ref`` (the absolute form, divided by the range there).

    Examples
    --------
    >>> distance(np.array([[80.0], [100.0], [125.0]]), reference=[100.0])[:, 0]
    array([-0.2 ,  0.  ,  0.25])
    >>> distance(np.array([[80.0], [100.0]]), reference=[100.0], direction=-1, relative=False)[:, 0]
    array([20., -0.])
    """
    arr = as_matrix(X)
    d = direction_vector(direction, arr.shape[-1])
    ref = _reference(arr, reference, d, row=reference_row)
    diff = (arr - ref) * d
    if relative:
        with np.errstate(invalid="ignore", divide="ignore"):
            diff = diff / np.where(ref == 0, np.nan, np.abs(ref))
    set_learned(learned, reference=np.squeeze(np.broadcast_to(ref, arr.shape[:-2] + ref.shape[-2:]), axis=-2))
    return diff * scale


def goalposts(
    X: Any,
    *,
    direction: Any = None,
    learned: dict | None = None,
    lower: float | Sequence[float],
    upper: float | Sequence[float],
    scale: float = 1.0,
    clip: bool = True,
    log: bool | Sequence[bool] = False,
) -> np.ndarray:
    """Fixed goalposts (UNDP style): ``(x - lower) / (upper - lower) * scale``, clipped to ``[0, scale]``.

    Parameters
    ----------
    X : array of shape (..., n, k)
    direction : array of shape (k,) of +1/-1, optional
        With -1: ``(upper - x) / (upper - lower) * scale``; ``lower`` and ``upper`` stay the low and high
        ends of the scale of ``x``.
    learned : dict, optional
        Receives ``lower``, ``upper`` and ``clipped`` (number of values outside the goalposts per indicator).
    lower, upper : float or sequence of float (one per indicator)
        The goalposts, ``lower < upper``.
    scale : float, default 1
        1 gives the HDI's [0, 1] dimension indices.
    clip : bool, default True
        Values beyond a goalpost get 0 or ``scale`` (the HDI caps expected years of schooling at 18).
    log : bool or sequence of bool, default False
        Take natural logarithms of ``x`` and the goalposts first (the HDI income index).

    References
    ----------
    .. [1] UNDP (2020), HDR technical notes, technical note 1: dimension index
           = (actual value - minimum value) / (maximum value - minimum value); income in natural logs.
    .. [2] COINr ``n_goalposts(x, gposts = c(l, u, a), direction)``.

    Examples
    --------
    HDI health dimension (goalposts 20 and 85 years, HDR technical note 1) for a life expectancy of
    80.3 years: (80.3 - 20) / (85 - 20) = 0.928.

    >>> goalposts(np.array([[80.3]]), lower=20, upper=85).round(3)
    array([[0.928]])
    >>> goalposts(np.array([[90.0], [10.0]]), lower=20, upper=85)[:, 0]
    array([1., 0.])
    """
    arr = as_matrix(X)
    k = arr.shape[-1]
    d = direction_vector(direction, k)
    lo = np.broadcast_to(np.asarray(lower, dtype=float), (k,)).copy()
    hi = np.broadcast_to(np.asarray(upper, dtype=float), (k,)).copy()
    bad = [i for i in range(k) if not lo[i] < hi[i]]
    if bad:
        raise ValueError(
            "lower, upper: each lower goalpost must be below its upper goalpost; "
            + ", ".join(f"indicator {i}: lower={lo[i]:g}, upper={hi[i]:g}" for i in bad)
        )
    use_log = np.broadcast_to(np.asarray(log, dtype=bool), (k,))
    if np.any(use_log & (lo <= 0)):
        raise ValueError("log: logarithmic goalposts need a positive lower goalpost (the HDI uses 100 PPP$)")
    with np.errstate(invalid="ignore", divide="ignore"):
        xs = np.where(use_log, np.log(np.where(use_log & (arr > 0), arr, np.nan)), arr)
        xs = np.where(use_log & (arr <= 0), -np.inf, xs)  # a non-positive income is below any log goalpost
    with np.errstate(invalid="ignore", divide="ignore"):
        los = np.where(use_log, np.log(np.abs(lo)), lo)
        his = np.where(use_log, np.log(np.abs(hi)), hi)
        out = (xs - los) / (his - los)
    out = np.where(d > 0, out, 1.0 - out)
    with np.errstate(invalid="ignore"):
        outside = (out < 0) | (out > 1)
    if clip:
        out = np.clip(out, 0.0, 1.0)
    set_learned(learned, lower=lo, upper=hi, clipped=np.sum(outside, axis=-2) if clip else 0)
    return out * scale


# ---------------------------------------------------------------------------------------------------------
# Banded scoring (seed 004, Table 1)
# ---------------------------------------------------------------------------------------------------------


def validate_bands(
    table: Any,
    domain: str = "real",
    *,
    bounds: tuple[float | None, float | None] | None = None,
    name: str = "table",
) -> list[IntervalIssue]:
    """Every gap and overlap of a numeric band table, naming the intervals (empty list = valid).

    Parameters
    ----------
    table : sequence of mappings (or a DataFrame)
        Rows with ``points`` and ``lower``/``upper`` (``None``/empty = unbounded) plus ``closed`` in
        {left, right, both, neither} or ``lower_inclusive``/``upper_inclusive`` flags.
    domain : {"real", "integer"}, default "real"
        ``"integer"`` for counts: ``[1, 2]`` and ``[3, 4]`` leave no gap (seed 004, indicators 4.1 and 4.2,
        l.386-389: "1-2", "3-4" ...).
    bounds : (lower, upper), optional
        A range the table must cover as well, e.g. ``(0, 100)`` for a percentage.
    name : str
        Prefix of every message.

    Returns
    -------
    list of IntervalIssue, each with ``kind`` ("gap" or "overlap"), ``rows`` and ``message``.
    Malformed rows raise one ``ValueError`` listing all of them.

    Examples
    --------
    Seed 004, indicator 2.4 as printed ("50-40", "30-40", l.273-276): 40 is in two bands, and read as
    integers the bands "1-2" and "3-4" leave no gap:

    >>> rows = [{"lower": 40, "upper": 50, "closed": "both", "points": 1},
    ...         {"lower": 30, "upper": 40, "closed": "both", "points": 2}]
    >>> [i.message for i in validate_bands(rows)]
    ['table: overlap between [30, 40] (row 1) and [40, 50] (row 0): values in [40, 40] fall in both']
    >>> validate_bands([{"lower": 1, "upper": 2, "closed": "both", "points": 1},
    ...                 {"lower": 3, "upper": 4, "closed": "both", "points": 2}], domain="integer")
    []
    """
    intervals = parse_intervals(_band_rows(table), "points", name)
    return interval_issues(intervals, domain=domain, bounds=bounds, name=name)


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str) and value.strip() == "")
        or (isinstance(value, float) and np.isnan(value))
    )


def _table_rows(table: Any, where: Mapping[str, Any] | None, kind: str) -> list[dict[str, Any]]:
    """Rows of a band table as dicts, filtered by ``where`` and of one ``kind`` ("numeric"/"categorical").

    A reference table may hold several indicators and both kinds of rows (``seed004_table1_score_bands.csv``
    does): ``where={"indicator_no": "2.8"}`` picks one indicator; categorical rows are those without bounds.
    The points column may be called ``points`` or ``score``.
    """
    if hasattr(table, "to_dict"):
        table = table.to_dict("records")
    if isinstance(table, Mapping) or not isinstance(table, Sequence) or isinstance(table, str):
        raise ValueError(f"table: expected a list of band rows, got {type(table).__name__}")
    rows: list[dict[str, Any]] = []
    for i, raw in enumerate(table):
        if not isinstance(raw, Mapping):
            raise ValueError(f"table[{i}]: expected a mapping, got {raw!r}")
        if where and any(str(raw.get(key)) != str(val) for key, val in where.items()):
            continue
        row = dict(raw)
        if "points" not in row and "score" in row:
            row["points"] = row["score"]
        no_bounds = "interval" not in row and _blank(row.get("lower")) and _blank(row.get("upper"))
        if (kind == "categorical") == no_bounds:
            rows.append(row)
    if not rows:
        which = f" matching {dict(where)}" if where else ""
        raise ValueError(f"table: no {kind} band rows{which}")
    return rows


def _band_rows(table: Any, where: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    return _table_rows(table, where, "numeric")


def _mirror(points: np.ndarray, direction: Any) -> np.ndarray:
    d = direction_vector(direction, 1)[0]
    if d > 0:
        return points
    finite = points[np.isfinite(points)]
    return (finite.max() + finite.min()) - points if finite.size else points


def bands(
    X: Any,
    *,
    direction: Any = None,
    learned: dict | None = None,
    table: Any,
    domain: str = "real",
    missing: float | None = None,
    factor: float = 1.0,
    where: Mapping[str, Any] | None = None,
) -> np.ndarray:
    """Score one numeric indicator by a band table: each value gets the points of the interval holding it.

    Parameters
    ----------
    X : array of shape (..., n) or (..., n, 1)
        One indicator (the engine calls this per indicator with its table). Scoring is element-wise, so
        any shape works and the output has the shape of ``X``.
    direction : +1 or -1, optional
        Band tables normally encode the direction themselves (seed 004 gives 5 points to *low* values of
        the lower-better indicators 2.4 and 2.6), so the engine should not pass an indicator's direction
        here. With -1 the points are mirrored (``max + min - points``).
    learned : dict, optional
        Receives the counts ``unmatched`` (values in no band) and ``missing`` (NaN values).
    table : sequence of mappings
        As in :func:`validate_bands`. The table is validated first: a gap or overlap raises ``ValueError``
        listing every one.
    domain : {"real", "integer"}, default "real"
    missing : float, optional
        Points for a missing value. ``None`` keeps NaN; seed 004 scores a missing value 0 (Karazhal "х" in
        indicator 2.3, l.250-251).
    factor : float, default 1
        Unit factor applied before the lookup (seed 004 indicator 2.7: tenge x 0.001 = thousand tenge).
    where : mapping, optional
        Picks the rows of one indicator from a table holding several, e.g. ``{"indicator_no": "2.8"}``.

    Returns
    -------
    ndarray of the shape of ``X``: points; NaN for values outside every band or missing without ``missing``.

    References
    ----------
    .. [1] Seed 004, ``004_1ae37a956d9e9e50.txt``, Table 1; machine intervals of
           ``spec/data/seed004_table1_score_bands.csv`` ((a, b] reading of the "a,1-b,0" labels).

    Examples
    --------
    Seed 004, indicator 2.8 (l.335-344): bands (-inf, 25], (25, 32], (32, 37], (37, 45], (45, 50], (50, inf).

    >>> t = [{"lower": lo, "upper": hi, "points": p} for p, (lo, hi) in
    ...      enumerate([(None, 25), (25, 32), (32, 37), (37, 45), (45, 50), (50, None)])]
    >>> bands(np.array([20.0, 45.0, 51.0, np.nan]), table=t, missing=0)
    array([0., 3., 5., 0.])
    """
    # scoring is element-wise, so (..., n) and (..., n, 1) (and batches of either) give the same cells
    x = as_vector(X)
    intervals = parse_intervals(_band_rows(table, where), "points", "table")
    issues = interval_issues(intervals, domain=domain, name="table")
    if issues:
        raise ValueError(f"{len(issues)} problem(s) in the band table:\n" + "\n".join(map(str, issues)))
    try:
        pts = np.array([float(iv.value) for iv in intervals])
    except (TypeError, ValueError) as exc:
        raise ValueError(f"table: points must be numbers ({exc})") from None
    pts = _mirror(pts, direction)
    y = x * float(factor)
    out = lookup_intervals(y, intervals, pts)
    nan_in = np.isnan(y)
    unmatched = ~nan_in & np.isnan(out)
    if missing is not None:
        out = np.where(nan_in, float(missing), out)
    set_learned(learned, unmatched=int(unmatched.sum()), missing=int(nan_in.sum()))
    return out


def categories(
    X: Any,
    *,
    direction: Any = None,
    learned: dict | None = None,
    points: Mapping[Any, float] | None = None,
    table: Any = None,
    label_keys: Sequence[str] = ("category", "category_kk", "category_code", "label"),
    where: Mapping[str, Any] | None = None,
    missing: float | None = 0.0,
    unknown: str = "error",
) -> np.ndarray:
    """Score one categorical indicator by a label map: ``points[label]``.

    Parameters
    ----------
    X : array-like of labels, shape (..., n) or (..., n, 1)
        Labels (strings or codes). ``None``, NaN, an empty string and the strings "None"/"nan" are missing.
    direction : +1 or -1, optional
        As in :func:`bands`: -1 mirrors the points.
    learned : dict, optional
        Receives ``missing`` (count) and ``unknown`` (the labels not in the map).
    points : mapping label -> points, optional
        The label map. Either ``points`` or ``table`` is needed.
    table : sequence of mappings or DataFrame, optional
        Band-table rows without bounds (the categorical rows of ``seed004_table1_score_bands.csv``); every
        column of ``label_keys`` present in a row is a label for that row's ``points``/``score``.
    label_keys : sequence of str, default ("category", "category_kk", "category_code", "label")
    where : mapping, optional
        Picks one indicator's rows, e.g. ``{"indicator_no": "3.1"}``.
    missing : float or None, default 0
        Points for a missing label: 0 is seed 004's practice (M2: "Missing value: s(i,t) = 0"); ``None``
        gives NaN.
    unknown : {"error", "missing"}, default "error"
        A label not in the map raises ``ValueError`` naming every such label, or is scored as missing.

    References
    ----------
    .. [1] Seed 004, Table 1, categorical indicators 1.1-1.3, 3.1, 3.2, 5.1, 5.2 (l.159-190, 352-366,
           427-468): e.g. «жоқ» -> 0, «бар» -> 2 for 3.1.

    Examples
    --------
    >>> categories(np.array(["бар", "жоқ", None], dtype=object), points={"жоқ": 0, "бар": 2})
    array([2., 0., 0.])
    """
    check_choice(unknown, "unknown", ("error", "missing"))
    if (points is None) == (table is None):
        raise ValueError("points, table: give exactly one of them (a label map, or a band table with labels)")
    if table is not None:
        points = {}
        for row in _table_rows(table, where, "categorical"):
            for key in label_keys:
                if not _blank(row.get(key)):
                    points[str(row[key]).strip()] = float(row["points"])
        if not points:
            raise ValueError(f"label_keys: none of {list(label_keys)} holds a label in the table rows")
    arr = np.asarray(X, dtype=object)  # element-wise, like bands: any shape
    assert points is not None
    keys = {str(k).strip(): float(v) for k, v in points.items()}
    pts_arr = _mirror(np.array(list(keys.values())), direction)
    lookup = dict(zip(keys, pts_arr, strict=True))
    # strings once, then one lookup per *distinct* label (np.unique), never a loop over territories
    text = np.char.strip(arr.astype(str))
    is_missing = np.isin(text, ["", "None", "nan", "NaN"])
    uniq, inverse = np.unique(text, return_inverse=True)
    values = np.array([lookup.get(u, np.nan) for u in uniq])
    unknown_labels = [str(u) for u in uniq if u not in lookup and u not in ("", "None", "nan", "NaN")]
    if unknown_labels and unknown == "error":
        raise ValueError(
            "points: no points given for label(s) "
            + ", ".join(repr(lab) for lab in unknown_labels)
            + f"; known labels are {', '.join(repr(k) for k in lookup)}. Add them to the label map or set "
            "unknown='missing'."
        )
    out = values[inverse.reshape(text.shape)]
    is_missing |= np.isnan(out)
    if missing is not None:
        out = np.where(is_missing, float(missing), out)
    set_learned(learned, missing=int(is_missing.sum()), unknown=[str(u) for u in unknown_labels])
    return out
