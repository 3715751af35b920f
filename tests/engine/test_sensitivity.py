"""Sobol estimators and sampling designs against analytic values (linear model, Ishigami function)."""

from __future__ import annotations

import numpy as np
import pytest

from aimaq.engine.sensitivity import saltelli_design, sample_unit, sobol_indices


def test_additive_linear_model_indices_are_the_squared_coefficient_shares() -> None:
    # f = sum_i a_i x_i, x_i ~ U(0, 1): V_i = a_i^2 / 12, no interactions, so S_i = ST_i = a_i^2 / sum a_j^2
    a = np.array([1.0, 2.0, 3.0, 0.0])
    A, B, AB = saltelli_design(4096, [[0], [1], [2], [3]], seed=7)
    S1, ST = sobol_indices(A @ a, B @ a, AB @ a)
    expected = a**2 / np.sum(a**2)
    np.testing.assert_allclose(S1, expected, atol=0.01)
    np.testing.assert_allclose(ST, expected, atol=0.01)
    assert ST[3] == 0.0  # an input that does nothing has exactly zero total effect (Jansen)


def test_ishigami_function_indices() -> None:
    # Ishigami & Homma (1990), a = 7, b = 0.1, x_i ~ U(-pi, pi); analytic indices in Saltelli et al.
    # (2010), section 4 / Sobol' & Levitan (1999): S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)
    def f(U: np.ndarray) -> np.ndarray:
        x = -np.pi + 2 * np.pi * U
        return np.sin(x[..., 0]) + 7 * np.sin(x[..., 1]) ** 2 + 0.1 * x[..., 2] ** 4 * np.sin(x[..., 0])

    A, B, AB = saltelli_design(2**15, [[0], [1], [2]], seed=1)
    S1, ST = sobol_indices(f(A), f(B), f(AB))
    np.testing.assert_allclose(S1, [0.3139, 0.4424, 0.0], atol=0.02)
    np.testing.assert_allclose(ST, [0.5576, 0.4424, 0.2437], atol=0.02)


def test_grouped_inputs_are_swapped_together() -> None:
    # f = x0 * x1 + x2: as one group, (x0, x1) carries Var(x0 x1) = 7/144, x2 carries 1/12
    A, B, AB = saltelli_design(8192, [[0, 1], [2]], seed=3)

    def f(U: np.ndarray) -> np.ndarray:
        return U[..., 0] * U[..., 1] + U[..., 2]

    S1, ST = sobol_indices(f(A), f(B), f(AB))
    v01, v2 = 7 / 144, 1 / 12
    np.testing.assert_allclose(S1, [v01 / (v01 + v2), v2 / (v01 + v2)], atol=0.02)
    np.testing.assert_allclose(ST, S1, atol=0.02)


def test_many_outputs_at_once_equal_one_at_a_time() -> None:
    A, B, AB = saltelli_design(256, [[0], [1]], seed=0)
    coef = np.array([[1.0, 0.5], [0.2, 2.0], [1.0, 1.0]])  # three outputs

    def f(U: np.ndarray) -> np.ndarray:
        return U @ coef.T

    S1, ST = sobol_indices(f(A), f(B), f(AB))
    assert S1.shape == (2, 3)
    for j in range(3):
        s1, st = sobol_indices(f(A)[:, j], f(B)[:, j], f(AB)[..., j])
        np.testing.assert_allclose(S1[:, j], s1, rtol=1e-12)  # summation order may differ in the last bit
        np.testing.assert_allclose(ST[:, j], st, rtol=1e-12)


def test_constant_output_has_undefined_indices() -> None:
    S1, ST = sobol_indices(np.ones((4, 2)), np.ones((4, 2)), np.ones((3, 4, 2)))
    assert np.isnan(S1).all() and np.isnan(ST).all()


def test_sampling_is_reproducible_and_stratified() -> None:
    for sampling in ("sobol", "lhs", "random"):
        U = sample_unit(64, 3, sampling=sampling, seed=12)
        assert U.shape == (64, 3) and ((U >= 0) & (U < 1)).all()
        assert np.array_equal(U, sample_unit(64, 3, sampling=sampling, seed=12))
        assert not np.array_equal(U, sample_unit(64, 3, sampling=sampling, seed=13))
    lhs = sample_unit(50, 2, sampling="lhs", seed=1)
    for col in lhs.T:  # one point in each of the 50 strata of every column
        assert sorted(np.floor(col * 50).astype(int)) == list(range(50))
    sob = sample_unit(64, 2, seed=1)
    assert (np.histogram(sob[:, 0], bins=8, range=(0, 1))[0] == 8).all()  # balanced at a power of 2


def test_bad_arguments_name_the_parameter() -> None:
    with pytest.raises(ValueError, match=r"sampling: must be one of sobol, lhs, random\. Got 'halton'"):
        sample_unit(4, 2, sampling="halton")
    with pytest.raises(ValueError, match="n: must be a positive int"):
        sample_unit(0, 2)
    with pytest.raises(ValueError, match=r"groups: must cover the columns 0\.\.2 exactly once"):
        saltelli_design(4, [[0], [0, 2]])
    with pytest.raises(ValueError, match="fAB: expected shape"):
        sobol_indices(np.ones(4), np.ones(4), np.ones((2, 3)))


def test_bootstrap_confidence_covers_the_analytic_value_and_shrinks_with_n() -> None:
    from aimaq.engine.sensitivity import sobol_confidence

    a = np.array([1.0, 2.0])
    expected = a**2 / np.sum(a**2)
    widths = []
    for n in (256, 4096):
        A, B, AB = saltelli_design(n, [[0], [1]], seed=21)
        S1, ST = sobol_indices(A @ a, B @ a, AB @ a)
        c1, cT = sobol_confidence(A @ a, B @ a, AB @ a, seed=1)
        assert (np.abs(S1 - expected) <= 2 * c1).all() and (np.abs(ST - expected) <= 2 * cT).all()
        widths.append(c1.mean())
    assert widths[1] < widths[0] / 2  # about 1/sqrt(16) = 1/4
    with pytest.raises(ValueError, match="level: must be in"):
        sobol_confidence(np.ones(3), np.ones(3), np.ones((1, 3)), level=1.5)
