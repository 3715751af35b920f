"""Shared helpers of the step methods: input checks, NaN-aware column statistics and interval tables.

Everything here is private to :mod:`aimaq.methods`. The helpers keep the contract of
``docs/architecture.md`` ("Method functions"): territories are axis -2, indicators axis -1, leading axes
are batches, NaN means missing, and parameter errors are ``ValueError`` naming the parameter.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

CLOSED_CHOICES = ("left", "right", "both", "neither")


def as_matrix(X: Any, name: str = "X") -> np.ndarray:
    """Return ``X`` as a float array of at least two dimensions ``(..., n, k)``.

    Examples
    --------
    >>> as_matrix([[1, 2], [3, 4]]).dtype
    dtype('float64')
    """
    arr = np.asarray(X, dtype=float)
    if arr.ndim < 2:
        raise ValueError(
            f"{name}: expected an array of shape (..., n_territories, n_indicators), got shape {arr.shape}"
        )
    return arr


def as_vector(x: Any, name: str = "x") -> np.ndarray:
    """Return ``x`` as a float array of at least one dimension ``(..., n)``."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim < 1:
        raise ValueError(f"{name}: expected an array of shape (..., n_territories), got a scalar")
    return arr


def check_choice(value: Any, name: str, choices: Sequence[Any]) -> Any:
    """Raise ``ValueError`` naming ``name`` unless ``value`` is one of ``choices``."""
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name}: must be one of {listed}. Got {value!r} instead.")
    return value


def direction_vector(direction: Any, k: int) -> np.ndarray:
    """Return the direction as a float array of shape ``(k,)`` holding +1 or -1 (``None`` -> all +1).

    A scalar applies to every indicator. Zero (an indicator with no direction) is refused because a
    normaliser has to know which end is better.

    Examples
    --------
    >>> direction_vector(None, 3)
    array([1., 1., 1.])
    >>> direction_vector(-1, 2)
    array([-1., -1.])
    """
    if direction is None:
        return np.ones(k)
    d = np.asarray(direction, dtype=float)
    if d.ndim == 0:
        d = np.full(k, float(d))
    if d.shape != (k,):
        raise ValueError(f"direction: expected {k} values (one per indicator), got shape {d.shape}")
    bad = [i for i, v in enumerate(d) if v not in (1.0, -1.0)]
    if bad:
        raise ValueError(
            "direction: every value must be +1 (higher is better) or -1 (lower is better); "
            + ", ".join(f"indicator {i} has {d[i]:g}" for i in bad)
        )
    return d


def set_learned(learned: dict | None, **values: Any) -> None:
    """Write ``values`` into ``learned`` (arrays as nested lists so that the step log is JSON-ready)."""
    if learned is None:
        return
    for key, value in values.items():
        learned[key] = value.tolist() if isinstance(value, np.ndarray) else value


def nan_stat(func: Any, X: np.ndarray, axis: int = -2, **kwargs: Any) -> np.ndarray:
    """Apply a NaN-aware reduction ``func`` (``np.nanmean`` ...) with ``keepdims=True``, without warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return func(X, axis=axis, keepdims=True, **kwargs)


def rank_average(X: np.ndarray, axis: int = -2) -> np.ndarray:
    """Rank along ``axis`` from 1 (lowest) with ties given their average rank; NaN stays NaN.

    Vectorised over every other axis (a double argsort, then tie groups averaged by a sort-based pass).

    Examples
    --------
    >>> rank_average(np.array([[3.0], [1.0], [3.0], [np.nan]]))[:, 0]
    array([2.5, 1. , 2.5, nan])
    """
    from scipy.stats import rankdata

    return rankdata(X, axis=axis, method="average", nan_policy="omit")


# ---------------------------------------------------------------------------------------------------------
# Intervals with explicit closedness, shared by normalise.bands and classify.thresholds
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """One interval of a band or class table; ``None`` bounds mean unbounded."""

    lower: float | None
    upper: float | None
    lower_closed: bool
    upper_closed: bool
    value: Any = None
    index: int = 0

    def __str__(self) -> str:
        lo = "-inf" if self.lower is None else f"{self.lower:g}"
        hi = "+inf" if self.upper is None else f"{self.upper:g}"
        left = "[" if self.lower_closed and self.lower is not None else "("
        right = "]" if self.upper_closed and self.upper is not None else ")"
        return f"{left}{lo}, {hi}{right}"

    @property
    def lo(self) -> float:
        return -math.inf if self.lower is None else self.lower

    @property
    def hi(self) -> float:
        return math.inf if self.upper is None else self.upper

    def contains(self, x: np.ndarray) -> np.ndarray:
        """Boolean mask of ``x`` inside the interval (NaN is never inside)."""
        above = (x >= self.lo) if self.lower_closed else (x > self.lo)
        below = (x <= self.hi) if self.upper_closed else (x < self.hi)
        return above & below


@dataclass(frozen=True)
class IntervalIssue:
    """A gap or an overlap in an interval table, naming the intervals (row positions are 0-based)."""

    kind: str  # "gap" | "overlap" | "invalid"
    rows: tuple[int, ...]
    message: str

    def __str__(self) -> str:
        return self.message


def _bound(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() in ("", "inf", "+inf", "-inf", "null", "none"):
        return None
    v = float(value)
    if math.isnan(v) or math.isinf(v):
        return None
    return v


def _flag(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, str):
        s = value.strip().lower()
        if s in ("", "nan"):
            return None
        return s in ("true", "1", "yes")
    if isinstance(value, float) and math.isnan(value):
        return None
    return bool(value)


def parse_intervals(rows: Iterable[Mapping[str, Any]], value_key: str, name: str) -> list[Interval]:
    """Read interval rows as :class:`Interval` objects; one ``ValueError`` lists every bad row.

    A row gives ``lower`` and ``upper`` (or ``interval: [lower, upper]``; ``None``/empty = unbounded) and the
    closedness either as ``closed`` in {left, right, both, neither} or as ``lower_inclusive`` /
    ``upper_inclusive`` flags (the form of ``seed004_table1_score_bands.csv``). Unbounded ends are open.
    Without any closedness the interval is ``(lower, upper]``: the "a,1-b,0" reading of seed 004
    (``docs``: spec/seed-004.md, M2 "How the intervals were read").
    """
    if hasattr(rows, "to_dict"):  # a pandas DataFrame, without importing pandas here
        rows = rows.to_dict("records")  # type: ignore[union-attr]
    out: list[Interval] = []
    problems: list[str] = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            problems.append(f"{name}[{i}]: expected a mapping with lower/upper/{value_key}, got {row!r}")
            continue
        if "interval" in row:
            pair = row["interval"]
            if not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2:
                problems.append(f"{name}[{i}].interval: expected [lower, upper], got {pair!r}")
                continue
            lo_raw, hi_raw = pair
        else:
            lo_raw, hi_raw = row.get("lower"), row.get("upper")
        try:
            lo, hi = _bound(lo_raw), _bound(hi_raw)
        except (TypeError, ValueError):
            problems.append(f"{name}[{i}]: bounds must be numbers or empty, got {lo_raw!r} and {hi_raw!r}")
            continue
        closed = row.get("closed")
        lo_flag, hi_flag = _flag(row.get("lower_inclusive")), _flag(row.get("upper_inclusive"))
        if closed is not None and closed not in CLOSED_CHOICES:
            problems.append(f"{name}[{i}].closed: must be one of {', '.join(CLOSED_CHOICES)}. Got {closed!r}")
            continue
        if closed is not None:
            lc, uc = closed in ("left", "both"), closed in ("right", "both")
        else:
            lc = bool(lo_flag) if lo_flag is not None else False
            uc = bool(hi_flag) if hi_flag is not None else True
        if lo is None:
            lc = False
        if hi is None:
            uc = False
        if lo is not None and hi is not None and (lo > hi or (lo == hi and not (lc and uc))):
            problems.append(f"{name}[{i}]: interval {Interval(lo, hi, lc, uc)} is empty (lower above upper)")
            continue
        if value_key not in row:
            problems.append(f"{name}[{i}]: missing key {value_key!r}")
            continue
        out.append(Interval(lo, hi, lc, uc, row[value_key], i))
    if problems:
        raise ValueError(f"{len(problems)} problem(s) in {name}:\n" + "\n".join(problems))
    return out


def _integer_between(a: float, a_excluded: bool, b: float, b_excluded: bool) -> bool:
    """True when an integer m has m > a (>= if not ``a_excluded``) and m < b (<= if not ``b_excluded``)."""
    if math.isinf(a) or math.isinf(b):
        return a < b
    first = math.floor(a) + 1 if a_excluded else math.ceil(a)
    last = math.ceil(b) - 1 if b_excluded else math.floor(b)
    return first <= last


def interval_issues(
    intervals: Sequence[Interval],
    domain: str = "real",
    bounds: tuple[float | None, float | None] | None = None,
    name: str = "table",
) -> list[IntervalIssue]:
    """Every gap and overlap of an interval table, naming the intervals involved.

    Parameters
    ----------
    intervals : sequence of Interval
    domain : {"real", "integer"}
        With ``"integer"`` only integers have to be covered, so ``[0, 35]`` and ``[36, 66]`` leave no gap
        (seed 004, Table 2, l.472-485) and overlaps count only when they share an integer.
    bounds : (lower, upper) or None
        When given, the table must also cover this range (``None`` = unbounded end).
    name : str
        Prefix of every message (the engine prefixes the spec file and key path).

    Examples
    --------
    >>> t = [Interval(0, 35, True, True, "low", 0), Interval(36, 66, True, True, "medium", 1)]
    >>> [str(i) for i in interval_issues(t)]
    ['table: gap between [0, 35] (row 0) and [36, 66] (row 1): values in (35, 36) fall in no interval']
    >>> interval_issues(t, domain="integer")
    []
    """
    check_choice(domain, "domain", ("real", "integer"))
    issues: list[IntervalIssue] = []
    ivs = sorted(intervals, key=lambda iv: (iv.lo, not iv.lower_closed))
    integer = domain == "integer"
    # overlaps: every pair (tables are short), so that a third interval nested in two others is named too
    for a_pos, a in enumerate(ivs):
        for b in ivs[a_pos + 1 :]:
            lo = max(a.lo, b.lo)
            hi = min(a.hi, b.hi)
            lo_closed = (a.lower_closed if a.lo == lo else True) and (b.lower_closed if b.lo == lo else True)
            hi_closed = (a.upper_closed if a.hi == hi else True) and (b.upper_closed if b.hi == hi else True)
            if lo > hi:
                continue
            if lo == hi:
                shared = lo_closed and hi_closed and (not integer or lo == math.floor(lo))
            elif integer:
                shared = _integer_between(lo, not lo_closed, hi, not hi_closed)
            else:
                shared = True
            if shared:
                both = Interval(
                    lo if not math.isinf(lo) else None,
                    hi if not math.isinf(hi) else None,
                    lo_closed,
                    hi_closed,
                )
                issues.append(
                    IntervalIssue(
                        "overlap",
                        (a.index, b.index),
                        f"{name}: overlap between {a} (row {a.index}) and {b} (row {b.index}): "
                        f"values in {both} fall in both",
                    )
                )
    # gaps: walk the intervals in order, tracking the covered upper end
    if ivs:
        cover_hi, cover_closed, cover_iv = ivs[0].hi, ivs[0].upper_closed, ivs[0]
        for b in ivs[1:]:
            if integer:
                gap = b.lo > cover_hi or (b.lo == cover_hi and not (cover_closed or b.lower_closed))
                gap = gap and _integer_between(cover_hi, cover_closed, b.lo, b.lower_closed)
            else:
                gap = b.lo > cover_hi or (b.lo == cover_hi and not (cover_closed or b.lower_closed))
            if gap:
                hole = Interval(cover_hi, b.lo, not cover_closed, not b.lower_closed)
                issues.append(
                    IntervalIssue(
                        "gap",
                        (cover_iv.index, b.index),
                        f"{name}: gap between {cover_iv} (row {cover_iv.index}) and {b} (row {b.index}): "
                        f"values in {hole} fall in no interval",
                    )
                )
            if b.hi > cover_hi or (b.hi == cover_hi and b.upper_closed and not cover_closed):
                cover_hi, cover_closed, cover_iv = b.hi, b.upper_closed, b
        if bounds is not None:
            want_lo = -math.inf if bounds[0] is None else float(bounds[0])
            want_hi = math.inf if bounds[1] is None else float(bounds[1])
            first = ivs[0]
            if integer:
                below = _integer_between(want_lo, False, first.lo, first.lower_closed)
            else:
                below = first.lo > want_lo or (first.lo == want_lo > -math.inf and not first.lower_closed)
            if below:
                issues.append(
                    IntervalIssue(
                        "gap",
                        (first.index,),
                        f"{name}: values below {first} (row {first.index}) down to {want_lo:g} "
                        "fall in no interval",
                    )
                )
            if integer:
                above = _integer_between(cover_hi, cover_closed, want_hi, False)
            else:
                above = cover_hi < want_hi or (cover_hi == want_hi < math.inf and not cover_closed)
            if above:
                issues.append(
                    IntervalIssue(
                        "gap",
                        (cover_iv.index,),
                        f"{name}: values above {cover_iv} (row {cover_iv.index}) up to {want_hi:g} "
                        "fall in no interval",
                    )
                )
    return issues


def lookup_intervals(x: np.ndarray, intervals: Sequence[Interval], values: Sequence[float]) -> np.ndarray:
    """Return, for each element of ``x``, the value of the interval holding it (NaN when none does).

    One boolean mask per interval (a loop over the table's rows, never over territories).
    """
    out = np.full(x.shape, np.nan)
    for iv, v in zip(intervals, values, strict=True):
        out = np.where(np.isnan(out) & iv.contains(x), v, out)
    return out
