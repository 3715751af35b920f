"""Transform methods: derive new indicators from a (year, territory) panel before scoring.

Unlike the other step kinds, a transform works on one indicator's **panel** ``x`` of shape
``(..., t, n)``: years are axis -2 and territories axis -1, any leading axes are batches. Indicator inputs
are positional parameters (the engine passes the arrays of the indicator codes named in the spec);
settings are keyword-only. A few keywords are filled by the engine when a method declares them:
``years`` (the panel's years, shape ``(t,)``) and ``territories`` (the panel's territory codes, ``(n,)``).

NaN means missing and propagates; a cell that cannot be computed (division by zero, log of a non-positive
number, a year without a predecessor) becomes NaN and is counted in ``learned`` so the step log says so.

References
----------
.. [1] OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 1.3 ("Imputation ...")
       and Step 2 (scaling by population, area or GDP so that territories of different size compare).
.. [2] Seed 003 (``003_3a06c82bf9319e49.txt``), formulas 5-9 (growth-rate index and level index of the
       complex innovation-activity coefficient) and tables 25-26 (district growth / oblast growth).
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from aimaq.methods._common import set_learned

__all__ = [
    "base_index",
    "chain_index",
    "difference",
    "expression",
    "growth_rate",
    "log",
    "per_capita",
    "period_count",
    "period_max",
    "period_mean",
    "period_min",
    "ratio",
    "ratio_to_reference",
    "scale",
    "share",
]


def _panel(x: Any, name: str = "x") -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if arr.ndim < 2:
        raise ValueError(
            f"{name}: expected a panel of shape (..., n_years, n_territories), got shape {arr.shape}"
        )
    return arr


def _finite_or_nan(y: np.ndarray, learned: dict | None, key: str = "undefined") -> np.ndarray:
    """Turn +-inf (a division by zero) into NaN and count the cells in ``learned[key]``."""
    bad = np.isinf(y)
    set_learned(learned, **{key: int(bad.sum())})
    return np.where(bad, np.nan, y)


def _divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return a / b


def ratio(x: Any, denominator: Any, *, scale: float = 1.0, learned: dict | None = None) -> np.ndarray:
    """Denominate an indicator by another one: ``scale * x / denominator`` (per capita, per area, per GRP).

    Parameters
    ----------
    x, denominator : array of shape (..., t, n)
    scale : float, default 1
        10_000 gives "per 10,000 inhabitants" when ``denominator`` is the population.
    learned : dict, optional
        Receives ``undefined``: the number of cells with a zero denominator (set to NaN).

    References
    ----------
    .. [1] OECD/JRC (2008), Handbook, Step 2: size effects are removed by dividing by population, area or GDP.

    Examples
    --------
    >>> ratio(np.array([[10.0, 3.0]]), np.array([[4.0, 0.0]]), scale=100)
    array([[250.,  nan]])
    """
    a, b = _panel(x), _panel(denominator, "denominator")
    return _finite_or_nan(float(scale) * _divide(a, b), learned)


def per_capita(x: Any, population: Any, *, scale: float = 1.0, learned: dict | None = None) -> np.ndarray:
    """``scale * x / population``: per inhabitant (``scale=1``), per 10,000 (``scale=10_000``) and so on.

    The same formula as :func:`ratio`, named for the spec's readability.

    Examples
    --------
    Researchers per 10,000 inhabitants:

    >>> per_capita(np.array([[120.0]]), np.array([[300_000.0]]), scale=10_000)
    array([[4.]])
    """
    return ratio(x, population, scale=scale, learned=learned)


def share(x: Any, total: Any = None, *, scale: float = 100.0, learned: dict | None = None) -> np.ndarray:
    """Share of a total in percent: ``scale * x / total``; without ``total`` the total is the sum over the
    territories of the panel (each year separately, missing cells left out).

    Parameters
    ----------
    x : array of shape (..., t, n)
    total : array of shape (..., t, n), optional
        A total indicator (e.g. GRP when ``x`` is the mining gross value added: seed 002's share of mining
        in GRP, l.37-40).
    scale : float, default 100

    Examples
    --------
    >>> share(np.array([[1.0, 3.0]]))
    array([[25., 75.]])
    >>> share(np.array([[30.0]]), np.array([[120.0]]))
    array([[25.]])
    """
    a = _panel(x)
    if total is None:
        b = np.nansum(a, axis=-1, keepdims=True)
        b = np.where(np.all(np.isnan(a), axis=-1, keepdims=True), np.nan, b)
    else:
        b = _panel(total, "total")
    return _finite_or_nan(float(scale) * _divide(a, b), learned)


def _lagged(a: np.ndarray, lag: int) -> np.ndarray:
    if not isinstance(lag, (int, np.integer)) or isinstance(lag, bool) or lag < 1:
        raise ValueError(f"lag: must be an int >= 1. Got {lag!r} instead.")
    out = np.full(a.shape, np.nan)
    if lag < a.shape[-2]:
        out[..., lag:, :] = a[..., :-lag, :]
    return out


def chain_index(x: Any, *, lag: int = 1, scale: float = 100.0, learned: dict | None = None) -> np.ndarray:
    """Chain (year-on-year) index: ``scale * x[t] / x[t - lag]``; the first ``lag`` years are NaN.

    References
    ----------
    .. [1] Seed 003, formula 6 (growth-rate index ``I = x(t) / x(t-1)``) and tables 25-26 (l. of the
           reading ``spec/seed-003-part2.md``, "resource growth-rate ratios").

    Examples
    --------
    >>> chain_index(np.array([[100.0], [110.0], [99.0]]))
    array([[ nan],
           [110.],
           [ 90.]])
    """
    a = _panel(x)
    return _finite_or_nan(float(scale) * _divide(a, _lagged(a, lag)), learned)


def growth_rate(x: Any, *, lag: int = 1, scale: float = 100.0, learned: dict | None = None) -> np.ndarray:
    """Growth rate in percent: ``scale * (x[t] / x[t - lag] - 1)``; the first ``lag`` years are NaN.

    Examples
    --------
    >>> growth_rate(np.array([[100.0], [110.0], [99.0]]))[:, 0].round(6)
    array([ nan,  10., -10.])
    """
    a = _panel(x)
    return _finite_or_nan(float(scale) * (_divide(a, _lagged(a, lag)) - 1.0), learned)


def difference(x: Any, *, lag: int = 1) -> np.ndarray:
    """Absolute change ``x[t] - x[t - lag]`` (percentage-point change for shares).

    Examples
    --------
    >>> difference(np.array([[5.0], [7.5]]))[:, 0]
    array([nan, 2.5])
    """
    a = _panel(x)
    return a - _lagged(a, lag)


def base_index(
    x: Any, *, years: Sequence[int], base_year: int, scale: float = 100.0, learned: dict | None = None
) -> np.ndarray:
    """Fixed-base index: ``scale * x[t] / x[base_year]`` for every year of the panel.

    Parameters
    ----------
    x : array of shape (..., t, n)
    years : sequence of int, length t (filled by the engine)
    base_year : int
        Must be one of ``years``.

    Examples
    --------
    >>> base_index(np.array([[50.0], [75.0]]), years=[2019, 2020], base_year=2019)[:, 0]
    array([100., 150.])
    """
    a = _panel(x)
    ys = [int(y) for y in years]
    if len(ys) != a.shape[-2]:
        raise ValueError(f"years: expected {a.shape[-2]} years (one per panel row), got {len(ys)}")
    if int(base_year) not in ys:
        raise ValueError(f"base_year: {base_year!r} is not in the panel's years {ys}")
    base = a[..., ys.index(int(base_year)) : ys.index(int(base_year)) + 1, :]
    return _finite_or_nan(float(scale) * _divide(a, base), learned)


def ratio_to_reference(
    x: Any,
    *,
    territories: Sequence[str],
    reference: str,
    scale: float = 1.0,
    learned: dict | None = None,
) -> np.ndarray:
    """Ratio of every territory to a reference territory of the same panel (e.g. the oblast total).

    ``scale * x[:, i] / x[:, reference]``, year by year. With a growth rate as ``x`` this is seed 003's
    ratio of a district's growth to the oblast's growth (tables 25-26).

    Parameters
    ----------
    x : array of shape (..., t, n)
    territories : sequence of str, length n (filled by the engine)
    reference : str
        Code of the reference territory; it must be in the panel (the engine adds it even when it is not
        among the selected territories).

    Examples
    --------
    >>> ratio_to_reference(np.array([[2.0, 4.0, 8.0]]), territories=["a", "b", "oblast"], reference="oblast")
    array([[0.25, 0.5 , 1.  ]])
    """
    a = _panel(x)
    codes = list(territories)
    if len(codes) != a.shape[-1]:
        raise ValueError(
            f"territories: expected {a.shape[-1]} codes (one per panel column), got {len(codes)}"
        )
    if reference not in codes:
        raise ValueError(f"reference: territory {reference!r} is not in the panel")
    j = codes.index(reference)
    return _finite_or_nan(float(scale) * _divide(a, a[..., j : j + 1]), learned)


def log(x: Any, *, base: float | None = None, offset: float = 0.0, learned: dict | None = None) -> np.ndarray:
    """Logarithm ``log_base(x + offset)`` (natural log without ``base``); a non-positive argument gives NaN
    and is counted in ``learned["non_positive"]``, never silently clipped.

    References
    ----------
    .. [1] OECD/JRC (2008), Handbook, Appendix Table A.1: telephones and electricity enter the Technology
           Achievement Index as ``log10``.

    Examples
    --------
    >>> log(np.array([[1000.0, 0.0]]), base=10)
    array([[ 3., nan]])
    """
    a = _panel(x) + float(offset)
    bad = a <= 0
    set_learned(learned, non_positive=int(bad.sum()))
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.log(np.where(bad, np.nan, a))
    if base is not None:
        if base <= 0 or base == 1:
            raise ValueError(f"base: must be positive and not 1. Got {base!r} instead.")
        y = y / math.log(base)
    return y


def scale(x: Any, *, factor: float) -> np.ndarray:
    """Multiply by a unit factor (tenge -> thousand tenge: ``factor=0.001``).

    Examples
    --------
    >>> scale(np.array([[2500.0]]), factor=0.001)
    array([[2.5]])
    """
    return _panel(x) * float(factor)


def period_mean(x: Any, *, window: int, min_count: int | None = None) -> np.ndarray:
    """Trailing mean over ``window`` years ending at each year (NaN left out), e.g. the raw-material test's
    "mean share over the period" reading (seed 002, l.37-40; seed 000 raw-material paragraph).

    Parameters
    ----------
    window : int >= 1
    min_count : int, optional
        Fewest observed years needed for a mean (default: ``window``, all years observed).

    Examples
    --------
    >>> period_mean(np.array([[1.0], [2.0], [np.nan], [4.0]]), window=2, min_count=1)[:, 0]
    array([1. , 1.5, 2. , 4. ])
    """
    a = _panel(x)
    if not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"window: must be an int >= 1. Got {window!r} instead.")
    need = window if min_count is None else int(min_count)
    valid = ~np.isnan(a)
    # cumulative sums along the year axis: each window is a difference of two partial sums (no loop)
    csum = np.cumsum(np.where(valid, a, 0.0), axis=-2)
    ccnt = np.cumsum(valid, axis=-2)
    pad_s = np.concatenate([np.zeros_like(csum[..., :1, :]), csum], axis=-2)
    pad_c = np.concatenate([np.zeros_like(ccnt[..., :1, :]), ccnt], axis=-2)
    t = a.shape[-2]
    hi = np.arange(1, t + 1)
    lo = np.maximum(hi - window, 0)
    s = pad_s[..., hi, :] - pad_s[..., lo, :]
    c = pad_c[..., hi, :] - pad_c[..., lo, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((c >= need) & (c > 0), s / np.maximum(c, 1), np.nan)


def _window_param(window: Any, min_count: Any) -> int:
    """Validate ``window`` and ``min_count``; return the fewest observed years a window needs."""
    if not isinstance(window, (int, np.integer)) or isinstance(window, bool) or window < 1:
        raise ValueError(f"window: must be an int >= 1. Got {window!r} instead.")
    need = int(window) if min_count is None else min_count
    if not isinstance(need, (int, np.integer)) or isinstance(need, bool) or not 1 <= need <= window:
        raise ValueError(f"min_count: must be an int in [1, window={window}]. Got {min_count!r} instead.")
    return int(need)


def _windows(a: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Trailing windows of the year axis: ``(..., t, n, window)`` values (years before the panel are NaN)
    and ``(..., t, n)`` numbers of observed years in each window."""
    pad = np.full((*a.shape[:-2], window - 1, a.shape[-1]), np.nan)
    w = np.lib.stride_tricks.sliding_window_view(np.concatenate([pad, a], axis=-2), window, axis=-2)
    return w, (~np.isnan(w)).sum(axis=-1)


def period_count(
    x: Any,
    *,
    window: int,
    threshold: float,
    side: str = "above",
    min_count: int | None = None,
) -> np.ndarray:
    """Number of years of the trailing ``window`` (ending at each year) in which ``x`` is strictly above
    (``side="above"``) or strictly below (``side="below"``) ``threshold``.

    A window with fewer than ``min_count`` observed years (default: all ``window`` years) gives NaN,
    "insufficient data", never a count of the years that happen to be there: a region with 9 observed years
    out of 11, all above the threshold, is counted neither 9 nor 11.

    Parameters
    ----------
    x : array of shape (..., t, n)
    window : int >= 1
        Years in the window, ending at each year (11 for 2009-2019).
    threshold : float
    side : {"above", "below"}, default="above"
        The comparison is strict either way: a year exactly at the threshold is not counted.
    min_count : int in [1, window], optional

    References
    ----------
    .. [1] Seed 002, ``002_268c48c80ed1ad3d.txt``, l.60-61: raw-material regions have a share of mining
           in GRP "в период 2009-2019 гг. более 30 %" ("more than 30 % in the period 2009-2019"); the count
           of such years (11 of 11 under the every-year reading) shows how close a region is to the rule.

    Examples
    --------
    >>> s = np.array([[31.0, 40.0], [30.0, 45.0], [35.0, np.nan]])
    >>> period_count(s, window=3, threshold=30)
    array([[nan, nan],
           [nan, nan],
           [ 2., nan]])
    >>> period_count(s, window=2, threshold=30, side="below", min_count=1)
    array([[0., 0.],
           [0., 0.],
           [0., 0.]])
    """
    a = _panel(x)
    need = _window_param(window, min_count)
    if side not in ("above", "below"):
        raise ValueError(f"side: must be 'above' or 'below'. Got {side!r} instead.")
    w, observed = _windows(a, int(window))
    with np.errstate(invalid="ignore"):
        hit = (w > float(threshold)) if side == "above" else (w < float(threshold))
    return np.where(observed >= need, hit.sum(axis=-1).astype(float), np.nan)


def _period_extreme(x: Any, window: int, min_count: int | None, fn: Any) -> np.ndarray:
    a = _panel(x)
    need = _window_param(window, min_count)
    w, observed = _windows(a, int(window))
    enough = observed >= need
    # windows that are discarded are filled with 0 so that the NaN-skipping reduction never sees an empty one
    return np.where(enough, fn(np.where(enough[..., None], w, 0.0), axis=-1), np.nan)


def period_min(x: Any, *, window: int, min_count: int | None = None) -> np.ndarray:
    """Lowest value over the trailing ``window`` years ending at each year (missing years left out).

    A window with fewer than ``min_count`` observed years (default: every year of the window) gives NaN.
    With the minimum, "share above 30 % in every year of 2009-2019" is one threshold on one number.

    References
    ----------
    .. [1] Seed 002, l.60-61 ("в период 2009-2019 гг. более 30 %"), read as every year of the window:
           min over 2009-2019 of the share > 30 % (docs/methodologies/seed002_raw_material_region.md).

    Examples
    --------
    >>> period_min(np.array([[31.0], [29.0], [35.0]]), window=2)[:, 0]
    array([nan, 29., 29.])
    >>> period_min(np.array([[31.0], [np.nan], [35.0]]), window=3, min_count=2)[:, 0]
    array([nan, nan, 31.])
    """
    return _period_extreme(x, window, min_count, np.nanmin)


def period_max(x: Any, *, window: int, min_count: int | None = None) -> np.ndarray:
    """Highest value over the trailing ``window`` years ending at each year (missing years left out);
    NaN when fewer than ``min_count`` years (default: ``window``) are observed.

    References
    ----------
    .. [1] OECD/JRC (2008), Handbook, Step 3 (imputation and time coverage): a statistic over a period
           is reported only where the period is covered; seed 002 l.60-61 for the window itself.

    Examples
    --------
    >>> period_max(np.array([[31.0], [29.0], [35.0]]), window=2)[:, 0]
    array([nan, 31., 35.])
    """
    return _period_extreme(x, window, min_count, np.nanmax)


# ---------------------------------------------------------------------------------------------------------
# Safe arithmetic expressions of indicators
# ---------------------------------------------------------------------------------------------------------

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_FUNCTIONS: dict[str, Any] = {
    "log": np.log,
    "log10": np.log10,
    "exp": np.exp,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "minimum": np.fmin,
    "maximum": np.fmax,
}


def expression_names(expr: str) -> list[str]:
    """The indicator names an expression uses (in order of appearance), after checking it is allowed.

    Raises ``ValueError`` naming the first construct that is not arithmetic (an attribute, a subscript, a
    call of an unlisted function, a string ...).

    Examples
    --------
    >>> expression_names("0.5 * growth + 0.5 * level")
    ['growth', 'level']
    """
    try:
        tree = ast.parse(str(expr), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"expr: {expr!r} is not an arithmetic expression ({exc.msg})") from None
    names: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Expression):
            visit(node.body)
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            visit(node.left)
            visit(node.right)
        elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            visit(node.operand)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool)
        ):
            return
        elif isinstance(node, ast.Name):
            if node.id in _FUNCTIONS:
                raise ValueError(f"expr: {node.id!r} is a function; call it as {node.id}(...)")
            if node.id not in names:
                names.append(node.id)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCTIONS
            and not node.keywords
        ):
            for arg in node.args:
                visit(arg)
        else:
            allowed = "numbers, indicator codes, + - * / **, parentheses and " + ", ".join(_FUNCTIONS)
            raise ValueError(
                f"expr: {ast.unparse(node)!r} is not allowed in {expr!r}; an expression may use {allowed}"
            )

    visit(tree)
    return names


def expression(*, expr: str, variables: Mapping[str, Any], learned: dict | None = None) -> np.ndarray:
    """Evaluate an arithmetic expression of indicators, element-wise over their panels.

    The expression is parsed with :mod:`ast` and only numbers, names, ``+ - * / **``, unary minus and the
    functions ``log, log10, exp, sqrt, abs, minimum, maximum`` are evaluated: nothing is passed to
    ``eval``. Division by zero and logs of non-positive numbers give NaN, counted in
    ``learned["undefined"]``.

    Parameters
    ----------
    expr : str
        e.g. ``"0.5 * growth_index + 0.5 * level_index"`` (seed 003, formula 8: partial index).
    variables : mapping name -> array of shape (..., t, n)
        Filled by the engine with the panels of the indicators the expression names.

    Examples
    --------
    >>> a, b = np.array([[2.0, 4.0]]), np.array([[1.0, 0.0]])
    >>> expression(expr="0.5 * a + 0.5 * b", variables={"a": a, "b": b})
    array([[1.5, 2. ]])
    >>> expression(expr="a / b", variables={"a": a, "b": b})
    array([[ 2., nan]])
    """
    names = expression_names(expr)
    missing = [n for n in names if n not in variables]
    if missing:
        raise ValueError(f"variables: the expression {expr!r} uses unknown name(s) {', '.join(missing)}")
    env = {n: np.asarray(variables[n], dtype=float) for n in names}

    def ev(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](ev(node.operand))
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            return env[node.id]
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)  # checked by expression_names
        return _FUNCTIONS[node.func.id](*[ev(a) for a in node.args])

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        y = np.asarray(ev(ast.parse(str(expr), mode="eval")), dtype=float)
    bad = ~np.isfinite(y) & ~np.isnan(y)
    # NaN produced from non-NaN inputs (log of a negative number, 0/0) is counted as undefined too
    inputs_nan = np.zeros(y.shape, dtype=bool)
    for v in env.values():
        inputs_nan = inputs_nan | np.broadcast_to(np.isnan(v), y.shape)
    produced_nan = np.isnan(y) & ~inputs_nan
    set_learned(learned, undefined=int(bad.sum() + produced_nan.sum()))
    return np.where(bad, np.nan, y)
