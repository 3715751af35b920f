"""Sampling designs and variance-based (Sobol) sensitivity estimators, vectorised over outputs.

The pure numerical half of an uncertainty run (:mod:`aimaq.engine.uncertainty` builds the model runs):

* :func:`sample_unit` draws ``N`` points of the unit hypercube ``[0, 1)^d`` by scrambled Sobol sequence,
  Latin hypercube (``scipy.stats.qmc``) or plain pseudo-random numbers, reproducibly from a seed.
* :func:`saltelli_design` builds the radial design of Saltelli et al. (2010): two independent matrices
  ``A`` and ``B`` and, for each group of columns (one uncertain input), the matrix ``A_B^(g)`` that takes
  the group's columns from ``B`` and all others from ``A``: ``N (G + 2)`` model runs in all.
* :func:`sobol_indices` estimates the first-order and total indices of every input for any number of
  outputs at once: Saltelli et al. (2010) for the first order, Jansen (1999) for the total effect;
  :func:`sobol_confidence` gives bootstrap half-widths of their confidence intervals.

References
----------
.. [1] Saltelli A., Annoni P., Azzini I., Campolongo F., Ratto M., Tarantola S. (2010). Variance based
       sensitivity analysis of model output. Design and estimator for the total sensitivity index.
       Computer Physics Communications 181(2), 259-270, doi:10.1016/j.cpc.2009.09.018, Table 2 (b) and (f).
.. [2] Jansen M.J.W. (1999). Analysis of variance designs for model output. Computer Physics
       Communications 117(1-2), 35-43, doi:10.1016/S0010-4655(98)00154-4.
.. [3] OECD/JRC (2008). Handbook on Constructing Composite Indicators, Step 7 "Uncertainty and
       sensitivity analysis", p.34-36 and 117-131.

Examples
--------
An additive model ``f = x0 + 2 x1`` of two uniform inputs: ``S_i = a_i^2 / sum_j a_j^2`` = 0.2 and 0.8.

>>> A, B, AB = saltelli_design(1024, [[0], [1]], seed=1)
>>> f = lambda U: U[..., 0] + 2 * U[..., 1]
>>> S1, ST = sobol_indices(f(A), f(B), f(AB))
>>> np.round(S1, 2), np.round(ST, 2)
(array([0.2, 0.8]), array([0.2, 0.8]))
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from scipy import stats
from scipy.stats import qmc

#: Sampling schemes of :func:`sample_unit`.
SAMPLINGS: tuple[str, ...] = ("sobol", "lhs", "random")


def sample_unit(n: int, d: int, *, sampling: str = "sobol", seed: int | None = None) -> np.ndarray:
    """``n`` points of ``[0, 1)^d``: scrambled Sobol (QMC), Latin hypercube or pseudo-random.

    Parameters
    ----------
    n : int
        Number of points (a power of 2 keeps a Sobol sequence balanced; other ``n`` are allowed).
    d : int
        Dimension (0 gives an ``(n, 0)`` array).
    sampling : {"sobol", "lhs", "random"}, default "sobol"
    seed : int or None
        The same seed gives the same points.

    Returns
    -------
    ndarray of shape (n, d)

    References
    ----------
    .. [1] Owen A.B. (1998). Scrambling Sobol' and Niederreiter-Xing points. J. Complexity 14, 466-489
           (``scipy.stats.qmc.Sobol(scramble=True)``); McKay, Beckman, Conover (1979), Latin hypercube.

    Examples
    --------
    >>> U = sample_unit(8, 2, seed=0)
    >>> U.shape, bool(((U >= 0) & (U < 1)).all())
    ((8, 2), True)
    >>> bool((sample_unit(8, 2, seed=0) == U).all())
    True
    >>> np.sort(np.floor(sample_unit(4, 1, sampling="lhs", seed=3)[:, 0] * 4))  # one point per stratum
    array([0., 1., 2., 3.])
    """
    if sampling not in SAMPLINGS:
        raise ValueError(f"sampling: must be one of {', '.join(SAMPLINGS)}. Got {sampling!r} instead.")
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n: must be a positive int. Got {n!r} instead.")
    if d == 0:
        return np.zeros((int(n), 0))
    if sampling == "random":
        return np.random.default_rng(seed).random((int(n), d))
    if sampling == "lhs":
        return qmc.LatinHypercube(d=d, seed=seed).random(int(n))
    with warnings.catch_warnings():
        # a Sobol sequence whose length is not a power of 2 loses its balance, not its validity
        warnings.simplefilter("ignore", UserWarning)
        return qmc.Sobol(d=d, scramble=True, seed=seed).random(int(n))


def saltelli_design(
    n: int, groups: Sequence[Sequence[int]], *, sampling: str = "sobol", seed: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The radial design of Saltelli et al. (2010) for grouped inputs.

    Parameters
    ----------
    n : int
        Base sample size ``N``.
    groups : sequence of sequences of int
        The columns of each uncertain input (an input may span several columns, e.g. the weights of a
        group of indicators); together they must cover ``0 .. d-1`` once.
    sampling, seed
        As in :func:`sample_unit`; one sample of dimension ``2 d`` gives ``A`` (first ``d`` columns) and
        ``B`` (last ``d``), the usual construction from a single low-discrepancy sequence [1].

    Returns
    -------
    A, B : ndarray of shape (N, d)
    AB : ndarray of shape (G, N, d)
        ``AB[g]`` equals ``A`` except in the columns of group ``g``, which come from ``B``.

    References
    ----------
    .. [1] Saltelli et al. (2010), section 3 and Table 2; ``A_B^(i)`` is their notation.

    Examples
    --------
    >>> A, B, AB = saltelli_design(4, [[0, 1], [2]], seed=0)
    >>> AB.shape, bool((AB[0][:, :2] == B[:, :2]).all()), bool((AB[0][:, 2] == A[:, 2]).all())
    ((2, 4, 3), True, True)
    """
    cols = sorted(c for g in groups for c in g)
    d = len(cols)
    if cols != list(range(d)):
        raise ValueError(f"groups: must cover the columns 0..{d - 1} exactly once. Got {list(groups)!r}.")
    U = sample_unit(n, 2 * d, sampling=sampling, seed=seed)
    A, B = U[:, :d], U[:, d:]
    AB = np.repeat(A[None], len(groups), axis=0)
    for g, members in enumerate(groups):
        AB[g][:, list(members)] = B[:, list(members)]
    return A, B, AB


def sobol_indices(fA: np.ndarray, fB: np.ndarray, fAB: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total Sobol indices of each input, for every output column at once.

    ``S_i = mean(f(B) (f(A_B^i) - f(A))) / V`` (Saltelli et al. 2010, Table 2 (b)) and
    ``ST_i = mean((f(A) - f(A_B^i))^2) / (2 V)`` (Jansen 1999; Saltelli et al. 2010, Table 2 (f)), with
    ``V`` the variance of ``f(A)`` and ``f(B)`` pooled. An output that does not vary (``V = 0``) has NaN
    indices: nothing is explained because there is nothing to explain.

    Parameters
    ----------
    fA, fB : ndarray of shape (N,) or (N, m)
        Model outputs on ``A`` and ``B`` (``m`` outputs, e.g. one per territory).
    fAB : ndarray of shape (G, N) or (G, N, m)
        Outputs on ``A_B^(g)`` for each of the ``G`` inputs.

    Returns
    -------
    S1, ST : ndarray of shape (G,) or (G, m)

    Examples
    --------
    An output that only input 1 moves: input 0 gets exactly 0, input 1 about 1.

    >>> A, B, AB = saltelli_design(256, [[0], [1]], seed=2)
    >>> f = lambda U: U[..., 1] ** 2
    >>> S1, ST = sobol_indices(f(A), f(B), f(AB))
    >>> S1.round(1).tolist(), ST.round(1).tolist()
    ([0.0, 1.0], [0.0, 1.0])
    >>> sobol_indices(np.ones(3), np.ones(3), np.ones((1, 3)))[0]
    array([nan])
    """
    fA = np.asarray(fA, dtype=float)
    fB = np.asarray(fB, dtype=float)
    fAB = np.asarray(fAB, dtype=float)
    if fA.shape != fB.shape or fAB.shape[1:] != fA.shape:
        raise ValueError(
            f"fAB: expected shape (G, {', '.join(map(str, fA.shape))}) matching fA and fB {fA.shape}; "
            f"got {fAB.shape} (fB {fB.shape})"
        )
    V = np.var(np.concatenate([fA, fB], axis=0), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        first = np.mean(fB[None] * (fAB - fA[None]), axis=1) / V
        total = 0.5 * np.mean((fA[None] - fAB) ** 2, axis=1) / V
    degenerate = np.broadcast_to(V == 0, first.shape)
    return np.where(degenerate, np.nan, first), np.where(degenerate, np.nan, total)


def sobol_confidence(
    fA: np.ndarray,
    fB: np.ndarray,
    fAB: np.ndarray,
    *,
    n_boot: int = 200,
    level: float = 0.95,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Half-widths of bootstrap confidence intervals of the first-order and total indices.

    The ``N`` rows of the design are resampled with replacement ``n_boot`` times and the estimators of
    :func:`sobol_indices` recomputed; the half-width is ``z * sd`` of the bootstrap estimates (the normal
    interval of Archer, Saltelli and Sobol 1997, as SALib reports ``S1_conf``). Resampling rows ignores
    the balance of a Sobol sequence, so for QMC designs the intervals are conservative (wider than the
    actual error: the example's estimates are 0.200 and 0.800, within 0.001 of the truth).

    Parameters
    ----------
    fA, fB, fAB
        As in :func:`sobol_indices`.
    n_boot : int, default 200
    level : float, default 0.95
    seed : int or None

    Returns
    -------
    S1_conf, ST_conf : ndarray of the shape of the indices

    References
    ----------
    .. [1] Archer G.E.B., Saltelli A., Sobol I.M. (1997). Sensitivity measures, ANOVA-like techniques and
           the use of bootstrap. J. Statist. Comput. Simul. 58(2), 99-120, doi:10.1080/00949659708811825.

    Examples
    --------
    >>> A, B, AB = saltelli_design(512, [[0], [1]], seed=4)
    >>> f = lambda U: U[..., 0] + 2 * U[..., 1]
    >>> c1, cT = sobol_confidence(f(A), f(B), f(AB), seed=0)
    >>> np.round(c1, 2), np.round(cT, 2)
    (array([0.14, 0.25]), array([0.02, 0.08]))
    """
    if not 0 < level < 1:
        raise ValueError(f"level: must be in (0, 1). Got {level!r} instead.")
    if not isinstance(n_boot, int) or n_boot < 2:
        raise ValueError(f"n_boot: must be an int >= 2. Got {n_boot!r} instead.")
    fA, fB, fAB = (np.asarray(a, dtype=float) for a in (fA, fB, fAB))
    rng = np.random.default_rng(seed)
    N = fA.shape[0]
    first, total = [], []
    for _ in range(n_boot):  # a loop over bootstrap samples; each is one vectorised estimate
        rows = rng.integers(0, N, size=N)
        s1, st = sobol_indices(fA[rows], fB[rows], fAB[:, rows])
        first.append(s1)
        total.append(st)
    z = float(stats.norm.ppf(0.5 + level / 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN (constant output): NaN half-widths
        return z * np.nanstd(np.array(first), axis=0), z * np.nanstd(np.array(total), axis=0)
