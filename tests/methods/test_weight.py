"""Weights: published entropy-weight examples, PCA and Handbook factor weights, explicit-weight checks."""

from __future__ import annotations

import numpy as np
import pytest

from aimaq.methods.weight import _varimax, entropy, equal, explicit, pca, validate_weights


def test_entropy_weights_xu_2004() -> None:
    """Xu, X. (2004), EJOR 156(2), 530-532: published weights 0.4630, 0.3992, 0.1378, 0.0000 (the values
    pinned by the MCDA test suites of pyrepo-mcda / objective-weights-mcda)."""
    X = np.array([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]], dtype=float)
    np.testing.assert_allclose(entropy(X).round(4), [0.4630, 0.3992, 0.1378, 0.0000])


def test_entropy_weights_elsayed_2017() -> None:
    """Elsayed, Dawood and Karthikeyan (2017), Int. J. Eng. Trends Technol. 46(2), 60-66, as pinned by
    pymcdm's tests: 0.104991, 0.069124, 0.071373, 0.449937, 0.304575."""
    X = np.array(
        [
            [7, 312, 1891, 6613, 163],
            [72, 88, 728, 941804, 1078],
            [10, 252, 2594, 3466, 117471],
            [10, 145, 980, 2371, 86329],
            [65, 54, 350, 501, 29897],
            [29, 48, 380, 912, 34051],
            [7, 476, 3300, 78470, 2212],
            [70, 87, 650, 733, 819000],
            [4, 86, 591, 3015, 103],
            [12, 79, 579, 3240, 96098],
            [21, 45, 261, 1253, 453],
            [1, 72, 530, 4333, 0.104800],
        ]
    )
    np.testing.assert_allclose(entropy(X).round(6), [0.104991, 0.069124, 0.071373, 0.449937, 0.304575])


def test_entropy_errors_and_missing_values() -> None:
    with pytest.raises(ValueError, match=r"1 value\(s\) are negative \(territory 1, indicator 0\)"):
        entropy(np.array([[1.0, 2.0], [-1.0, 3.0], [2.0, 2.0]]))
    learned: dict = {}
    w = entropy(np.array([[1.0, 1.0], [1.0, 3.0], [np.nan, 5.0]]), learned=learned)
    assert learned["entropy"][0] == pytest.approx(1.0)  # two equal observed values: no information
    np.testing.assert_allclose(w, [0.0, 1.0])


def test_equal_and_explicit() -> None:
    np.testing.assert_allclose(equal(np.zeros((2, 5))), 0.2)
    np.testing.assert_allclose(explicit(np.zeros((2, 3)), weights=[2, 1, 1]), [0.5, 0.25, 0.25])
    np.testing.assert_allclose(explicit(np.zeros((2, 3)), weights=[1, 1, 1], normalise=False), [1, 1, 1])


def test_validate_weights_reports_every_problem() -> None:
    problems = validate_weights([0.5, -0.2, float("nan"), "x"], ["a", "b", "c", "d", "e"])
    assert problems == [
        "weights: 4 weights given for 5 indicators",
        "weights.b: -0.2 is negative; weights must be >= 0",
        "weights.c: nan is not a finite number",
        "weights.d: 'x' is not a number",
    ]
    assert validate_weights([0, 0], k=2) == [
        "weights: all weights are 0; at least one indicator needs a positive weight"
    ]
    assert validate_weights([0.5, 0.6], k=2, total=1.0) == ["weights: sum to 1.1, expected 1"]
    assert validate_weights({"a": 1}, None) == [
        "weights: named weights need the indicator codes (indicators=...) to be matched"
    ]


def test_explicit_raises_listing_all_problems() -> None:
    with pytest.raises(ValueError) as err:
        explicit(np.zeros((2, 2)), weights={"a": -1, "c": 1}, indicators=["a", "b"])
    assert str(err.value).splitlines() == [
        "3 problem(s) with the weights:",
        "weights.b: missing; every indicator needs a weight (write 0 to leave it out)",
        "weights.c: not an indicator of this table (known: 'a', 'b')",
        "weights.a: -1 is negative; weights must be >= 0",
    ]


def _two_blocks(n: int = 60, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 2))
    load = np.array([[0.9, 0], [0.8, 0], [0.85, 0], [0, 0.9], [0, 0.7]])
    return f @ load.T + 0.3 * rng.normal(size=(n, 5))


def test_pca_first_component_weights_are_its_squared_eigenvector() -> None:
    X = _two_blocks()
    learned: dict = {}
    w = pca(X, learned=learned)
    C = np.corrcoef(X, rowvar=False)
    vals, vecs = np.linalg.eigh(C)
    np.testing.assert_allclose(w, vecs[:, -1] ** 2, atol=1e-12)
    assert learned["eigenvalues"][0] == pytest.approx(vals[-1])


def test_pca_handbook_varimax_weights_follow_the_factor_blocks() -> None:
    """Handbook (2008) pp. 89-91: two factors kept (eigenvalue > 1), each indicator weighted within the
    factor it loads on; indicators of one block share that factor."""
    X = _two_blocks()
    learned: dict = {}
    w = pca(X, approach="handbook_varimax", learned=learned)
    assert learned["factors_kept"] == 2
    a = learned["assigned_factor"]
    assert a[0] == a[1] == a[2] != a[3] == a[4]
    assert w.sum() == pytest.approx(1.0)
    L = np.array(learned["rotated_loadings"])
    sq = L**2
    share = sq.sum(axis=0) / sq.sum()
    scaled = sq / sq.sum(axis=0)
    expected = np.array([scaled[i, a[i]] * share[a[i]] for i in range(5)])
    np.testing.assert_allclose(w, expected / expected.sum())


def test_varimax_keeps_communalities_and_raises_the_criterion() -> None:
    rng = np.random.default_rng(0)
    L = rng.normal(size=(6, 2))

    def criterion(M: np.ndarray) -> float:
        return float(np.sum(np.var(M**2, axis=0)))

    R = _varimax(L)
    np.testing.assert_allclose(np.sum(R**2, axis=1), np.sum(L**2, axis=1))
    rot = np.linalg.lstsq(L, R, rcond=None)[0]
    np.testing.assert_allclose(rot.T @ rot, np.eye(2), atol=1e-8)  # an orthogonal rotation
    h = np.sqrt(np.sum(L**2, axis=1, keepdims=True))
    assert criterion(R / h) >= criterion(L / h) - 1e-12


def test_pca_needs_complete_varying_rows() -> None:
    with pytest.raises(ValueError, match=r"at least 3 territories with every indicator observed; 2 of 4"):
        pca(np.array([[1.0, 2.0], [2.0, np.nan], [3.0, 1.0], [np.nan, 1.0]]))
    with pytest.raises(ValueError, match=r"indicator\(s\) 1 do not vary"):
        pca(np.array([[1.0, 2.0], [2.0, 2.0], [3.0, 2.0]]))
