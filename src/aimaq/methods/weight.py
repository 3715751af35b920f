"""Weighting methods: one weight per indicator, non-negative and summing to 1.

Signature (``docs/architecture.md``): ``f(X, *, learned=None, **params) -> w`` with ``X`` of shape
``(n_territories, n_indicators)`` (normalised data, used by the data-driven methods) and ``w`` of shape
``(k,)``. :func:`validate_weights` checks explicit weights (sum, sign, coverage) and reports every problem at
once; it is public for the engine's spec check but is not a method (not in ``__all__``).

References
----------
.. [1] OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 1.6 and Step 6
       ("Weighting and aggregation"), pp. 31-33 and 89-100: equal weights, weights from PCA/factor analysis
       (Tables 18-20), and budget allocation / expert weights.
.. [2] Shannon entropy weights: Zeleny, M. (1982), *Multiple Criteria Decision Making*, McGraw-Hill,
       ch. 7; Xu, X. (2004), "A note on the subjective and objective integrated approach to determine
       attribute weights", *European Journal of Operational Research* 156(2), 530-532.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from aimaq.methods._common import check_choice, set_learned

__all__ = ["entropy", "equal", "explicit", "pca"]


def _table(X: Any) -> np.ndarray:
    arr = np.asarray(X, dtype=float)
    if arr.ndim != 2:
        raise ValueError(
            f"X: weights are learned from one (n_territories, n_indicators) table; got shape {arr.shape}"
        )
    return arr


def equal(X: Any, *, learned: dict | None = None) -> np.ndarray:
    """Equal weights ``1 / k`` (Handbook 2008, p.31: the most common scheme).

    Examples
    --------
    >>> equal(np.zeros((3, 4)))
    array([0.25, 0.25, 0.25, 0.25])
    """
    k = _table(X).shape[1]
    return np.full(k, 1.0 / k)


def validate_weights(
    weights: Any,
    indicators: Sequence[str] | None = None,
    *,
    k: int | None = None,
    total: float | None = None,
    tol: float = 1e-9,
) -> list[str]:
    """Every problem of a set of explicit weights: sign, finiteness, coverage and (optionally) the sum.

    Parameters
    ----------
    weights : sequence of float, or mapping indicator code -> float
    indicators : sequence of str, optional
        Codes of the indicators to be weighted, in column order. Needed for a mapping; every indicator must
        have a weight and every weight must name a known indicator.
    k : int, optional
        Number of indicators, when ``weights`` is a sequence and ``indicators`` is not given.
    total : float, optional
        Required sum (e.g. 1 or 100); ``None`` accepts any positive sum, since :func:`explicit` rescales.
    tol : float, default 1e-9
        Tolerance of the sum check.

    Returns
    -------
    list of str, one message per problem, naming the indicator (empty = valid).

    Examples
    --------
    >>> for p in validate_weights({"gerd": 0.5, "pat": -0.1, "xyz": 0.2}, ["gerd", "pat", "res"]):
    ...     print(p)
    weights.res: missing; every indicator needs a weight (write 0 to leave it out)
    weights.xyz: not an indicator of this table (known: 'gerd', 'pat', 'res')
    weights.pat: -0.1 is negative; weights must be >= 0
    """
    problems: list[str] = []
    if isinstance(weights, Mapping):
        if indicators is None:
            return ["weights: named weights need the indicator codes (indicators=...) to be matched"]
        items = [(str(key), v) for key, v in weights.items()]
        known = list(indicators)
        for code in known:
            if code not in weights:
                problems.append(
                    f"weights.{code}: missing; every indicator needs a weight (write 0 to leave it out)"
                )
        for code, _ in items:
            if code not in known:
                listed = ", ".join(repr(c) for c in known)
                problems.append(f"weights.{code}: not an indicator of this table (known: {listed})")
        values = [(code, weights[code]) for code in known if code in weights]
    else:
        if isinstance(weights, str) or not isinstance(weights, Sequence | np.ndarray):
            return [f"weights: expected a list of numbers or a mapping indicator -> number, got {weights!r}"]
        n_expected = len(indicators) if indicators is not None else k
        names = list(indicators) if indicators is not None else [str(i) for i in range(len(weights))]
        if n_expected is not None and len(weights) != n_expected:
            problems.append(f"weights: {len(weights)} weights given for {n_expected} indicators")
        values = list(zip(names, weights, strict=False))
    nums: list[float] = []
    for code, v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            problems.append(f"weights.{code}: {v!r} is not a number")
            continue
        if not math.isfinite(f):
            problems.append(f"weights.{code}: {v!r} is not a finite number")
        elif f < 0:
            problems.append(f"weights.{code}: {f:g} is negative; weights must be >= 0")
        else:
            nums.append(f)
    s = sum(nums)
    if nums and s <= 0:
        problems.append("weights: all weights are 0; at least one indicator needs a positive weight")
    elif total is not None and nums and abs(s - total) > tol * max(1.0, abs(total)):
        problems.append(f"weights: sum to {s:g}, expected {total:g}")
    return problems


def explicit(
    X: Any,
    *,
    learned: dict | None = None,
    weights: Any,
    indicators: Sequence[str] | None = None,
    normalise: bool = True,
) -> np.ndarray:
    """Weights given by the analyst, checked by :func:`validate_weights` and rescaled to sum to 1.

    Parameters
    ----------
    X : array of shape (n, k)
        Only its number of columns is used.
    weights : sequence of k floats, or mapping indicator code -> float
    indicators : sequence of str, optional
        Column codes, needed for a mapping.
    normalise : bool, default True
        Rescale to sum 1. ``False`` keeps the weights as given (e.g. the "points" of seed 004 are summed
        with weight 1 each; see ``aggregate.weighted_sum``).

    Raises
    ------
    ValueError
        Listing every problem found by :func:`validate_weights`.

    Examples
    --------
    >>> explicit(np.zeros((2, 3)), weights=[1, 1, 2])
    array([0.25, 0.25, 0.5 ])
    >>> explicit(np.zeros((2, 2)), weights={"b": 3, "a": 1}, indicators=["a", "b"])
    array([0.25, 0.75])
    """
    k = _table(X).shape[1]
    problems = validate_weights(weights, indicators, k=k)
    if indicators is not None and len(indicators) != k:
        problems.append(f"indicators: {len(indicators)} codes given for {k} columns")
    if problems:
        raise ValueError(f"{len(problems)} problem(s) with the weights:\n" + "\n".join(problems))
    if isinstance(weights, Mapping):
        w = np.array([float(weights[c]) for c in indicators], dtype=float)  # type: ignore[union-attr]
    else:
        w = np.asarray(weights, dtype=float)
    return w / w.sum() if normalise else w


def _complete_rows(arr: np.ndarray, learned: dict | None, method: str) -> np.ndarray:
    keep = ~np.isnan(arr).any(axis=1)
    set_learned(learned, rows_used=int(keep.sum()), rows_dropped=int((~keep).sum()))
    if keep.sum() < 3:
        raise ValueError(
            f"X: {method} weights need at least 3 territories with every indicator observed; "
            f"{int(keep.sum())} of {arr.shape[0]} are complete. Impute first or use equal weights."
        )
    return arr[keep]


def _varimax(L: np.ndarray, gamma: float = 1.0, max_iter: int = 500, tol: float = 1e-10) -> np.ndarray:
    """Varimax rotation of a loading matrix (k, m) with Kaiser row normalisation.

    Kaiser, H. F. (1958), "The varimax criterion for analytic rotation in factor analysis",
    *Psychometrika* 23, 187-200; the SVD iteration of R's ``stats::varimax`` (normalize = TRUE).
    """
    k, m = L.shape
    if m < 2:
        return L.copy()
    h = np.sqrt(np.sum(L**2, axis=1, keepdims=True))
    h = np.where(h == 0, 1.0, h)
    A = L / h
    R = np.eye(m)
    crit = 0.0
    for _ in range(max_iter):
        B = A @ R
        G = A.T @ (B**3 - (gamma / k) * B @ np.diag(np.sum(B**2, axis=0)))
        U, S, Vt = np.linalg.svd(G)
        R = U @ Vt
        new = float(S.sum())
        if new < crit * (1 + tol):
            break
        crit = new
    return (A @ R) * h


def pca(
    X: Any,
    *,
    learned: dict | None = None,
    approach: str = "first_component",
    min_eigenvalue: float = 1.0,
    min_share: float = 0.10,
) -> np.ndarray:
    """Weights from principal components of the correlation matrix.

    Parameters
    ----------
    X : array of shape (n, k)
        Territories with a missing value are left out (listwise); at least 3 must remain.
    learned : dict, optional
        Receives ``eigenvalues``, ``explained`` (share of variance), ``loadings`` and, for the Handbook
        approach, ``factors_kept``, ``rotated_loadings``, ``assigned_factor``.
    approach : {"first_component", "handbook_varimax"}, default "first_component"
        ``"first_component"``: the squared loadings of the first principal component (its unit eigenvector),
        which sum to 1. ``"handbook_varimax"``: the OECD/JRC Handbook's factor-analysis weights [1]:
        keep the components with eigenvalue > ``min_eigenvalue`` that explain more than ``min_share`` of the
        variance each; rotate their loadings (eigenvector x sqrt(eigenvalue)) by varimax; scale the squared
        rotated loadings to sum 1 within each factor; give every indicator the scaled squared loading of the
        factor where it loads most, times that factor's share of the rotated explained variance; rescale to
        sum 1.
    min_eigenvalue, min_share : float
        The Handbook's retention rules (i) and (ii) (p.90); if no component meets them, the first is kept.

    References
    ----------
    .. [1] OECD/JRC Handbook (2008), Step 6.1 "Weights based on principal components analysis or factor
           analysis", pp. 89-91, Tables 18-20 (TAI example).
    .. [2] Nicoletti, G., Scarpetta, S. and Boylaud, O. (2000), "Summary indicators of product market
           regulation", OECD Economics Department Working Paper 226.

    Examples
    --------
    Two perfectly correlated indicators and an independent third: the first component loads on the
    pair only.

    >>> X = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, -1.0], [3.0, 6.0, -1.0], [4.0, 8.0, 1.0]])
    >>> pca(X).round(3)
    array([0.5, 0.5, 0. ])
    """
    check_choice(approach, "approach", ("first_component", "handbook_varimax"))
    arr = _complete_rows(_table(X), learned, "pca")
    if arr.shape[1] == 1:
        return np.ones(1)  # one indicator takes all the weight; there is no correlation structure
    sd = arr.std(axis=0, ddof=1)
    constant = sd == 0
    if constant.any():
        cols = ", ".join(str(i) for i in np.flatnonzero(constant))
        raise ValueError(f"X: indicator(s) {cols} do not vary; PCA weights need varying indicators")
    Z = (arr - arr.mean(axis=0)) / sd
    C = np.corrcoef(Z, rowvar=False)
    vals, vecs = np.linalg.eigh(C)
    order = np.argsort(vals)[::-1]
    vals, vecs = np.clip(vals[order], 0.0, None), vecs[:, order]
    explained = vals / vals.sum()
    loadings = vecs * np.sqrt(vals)
    set_learned(learned, eigenvalues=vals, explained=explained, loadings=loadings)
    if approach == "first_component":
        return vecs[:, 0] ** 2 / np.sum(vecs[:, 0] ** 2)
    keep = (vals > min_eigenvalue) & (explained > min_share)
    if not keep.any():
        keep[0] = True
    L = _varimax(loadings[:, keep])
    sq = L**2
    scaled = sq / sq.sum(axis=0, keepdims=True)
    var_rot = sq.sum(axis=0)
    share = var_rot / var_rot.sum()
    assigned = np.argmax(scaled, axis=1)
    w = scaled[np.arange(len(assigned)), assigned] * share[assigned]
    set_learned(learned, factors_kept=int(keep.sum()), rotated_loadings=L, assigned_factor=assigned)
    return w / w.sum()


def entropy(X: Any, *, learned: dict | None = None) -> np.ndarray:
    """Shannon entropy weights: indicators that differ more between territories weigh more.

    ``p_ij = x_ij / sum_i x_ij``, ``E_j = -sum_i p_ij ln p_ij / ln n_j`` (``0 ln 0 = 0``),
    ``w_j = (1 - E_j) / sum_j (1 - E_j)``, with ``n_j`` the number of observed territories of indicator j
    (missing values are left out).

    Parameters
    ----------
    X : array of shape (n, k), non-negative
        Typically min-max normalised data. A negative value raises ``ValueError`` naming it.
    learned : dict, optional
        Receives ``entropy`` (E_j) and ``diversity`` (1 - E_j).

    References
    ----------
    .. [1] Zeleny (1982), ch. 7; the worked example of Xu (2004), EJOR 156(2), 530-532 (see the tests).

    Examples
    --------
    >>> entropy(np.array([[1.0, 1.0], [1.0, 3.0]])).round(3)
    array([0., 1.])
    """
    arr = _table(X)
    neg = np.argwhere(arr < 0)
    if neg.size:
        cells = ", ".join(f"territory {r}, indicator {c}" for r, c in neg[:10])
        raise ValueError(
            f"X: entropy weights need non-negative values; {len(neg)} value(s) are negative ({cells}). "
            "Normalise first (e.g. minmax)."
        )
    obs = ~np.isnan(arr)
    n = obs.sum(axis=0)
    x = np.where(obs, arr, 0.0)
    col = x.sum(axis=0)
    if np.any((n < 2) | (col == 0)):
        bad = ", ".join(str(j) for j in np.flatnonzero((n < 2) | (col == 0)))
        raise ValueError(
            f"X: indicator(s) {bad} have fewer than 2 observed or only zero values; no entropy weight"
        )
    p = x / col
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    E = -plogp.sum(axis=0) / np.log(n)
    div = 1.0 - E
    set_learned(learned, entropy=E, diversity=div)
    if div.sum() <= 0:
        raise ValueError(
            "X: every indicator takes one value for all territories; entropy weights are undefined"
        )
    return div / div.sum()
