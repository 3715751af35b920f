"""Outlier treatment: COINr's rule (skew/kurtosis, winsorisation up to winmax, log fallback)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from aimaq.methods.treat import _skew_kurt, log, winsorise


def test_skew_and_kurtosis_are_the_sample_adjusted_statistics() -> None:
    """COINr's skew/kurt are e1071 type 2 (Excel SKEW/KURT) = SciPy's bias-corrected G1 and G2."""
    rng = np.random.default_rng(3)
    x = rng.lognormal(size=(4, 30))
    s, k = _skew_kurt(x)
    np.testing.assert_allclose(s, stats.skew(x, axis=-1, bias=False))
    np.testing.assert_allclose(k, stats.kurtosis(x, axis=-1, bias=False))


def test_coinr_example_winsorises_one_point() -> None:
    """COINr ?Treat example: 1..10, 30, 100 fails (skew 3.06, kurtosis 9.74); one point fixes it."""
    x = np.r_[np.arange(1.0, 11.0), 30.0, 100.0]
    learned: dict = {}
    out = winsorise(x[:, None], learned=learned)[:, 0]
    np.testing.assert_allclose(out, np.r_[np.arange(1.0, 11.0), 30.0, 30.0])
    assert learned["skew_before"][0] == pytest.approx(3.0632, abs=1e-4)
    assert learned["kurt_before"][0] == pytest.approx(9.7414, abs=1e-4)
    assert learned["treatment"] == [1] and learned["n_high"] == [1] and learned["passed"] == [True]


def test_negative_skew_winsorises_the_low_end() -> None:
    x = -np.r_[np.arange(1.0, 11.0), 30.0, 100.0]
    learned: dict = {}
    out = winsorise(x[:, None], learned=learned)[:, 0]
    assert out.min() == -30.0
    assert learned["n_low"] == [1] and learned["n_high"] == [0]


def test_log_fallback_when_winmax_is_not_enough() -> None:
    """Three outliers but winmax=1: still failing after winsorising, so the original column is logged
    (COINr log_CT, applied to the original values as with combine_treat = FALSE)."""
    x = np.r_[np.arange(1.0, 21.0), 1000.0, 2000.0, 5000.0]
    learned: dict = {}
    out = winsorise(x[:, None], winmax=1, learned=learned)[:, 0]
    expected = np.log(x - x.min() + 0.01 * (x.max() - x.min()))
    np.testing.assert_allclose(out, expected)
    assert learned["treatment"] == [2] and learned["n_high"] == [0]
    # without the fallback the winsorised column is kept even though it fails
    learned = {}
    out = winsorise(x[:, None], winmax=1, fallback="none", learned=learned)[:, 0]
    assert out.max() == 2000.0 and learned["passed"] == [False] and learned["treatment"] == [1]


def test_passing_columns_missing_values_and_constants_are_untouched() -> None:
    X = np.array([[1.0, 5.0, np.nan], [2.0, 5.0, 1.0], [3.0, 5.0, 2.0], [4.0, 5.0, 3.0], [np.nan, 5.0, 4.0]])
    learned: dict = {}
    out = winsorise(X, learned=learned)
    np.testing.assert_array_equal(out, X)
    assert learned["treatment"] == [0, 0, 0]


def test_columns_and_batches_are_treated_independently() -> None:
    bad = np.r_[np.arange(1.0, 11.0), 30.0, 100.0]
    good = np.arange(12.0)
    X = np.stack([np.c_[bad, good], np.c_[good, bad]])
    learned: dict = {}
    out = winsorise(X, learned=learned)
    assert learned["treatment"] == [[1, 0], [0, 1]]
    np.testing.assert_array_equal(out[0, :, 1], good)
    np.testing.assert_array_equal(out[1, :, 1], out[0, :, 0])


def test_force_winsorises_winmax_points() -> None:
    learned: dict = {}
    winsorise(np.arange(12.0)[:, None], force=True, winmax=3, learned=learned)
    assert learned["n_high"] == [3]


def test_log_variants_and_errors() -> None:
    np.testing.assert_allclose(log(np.array([[1.0], [100.0]]), variant="natural")[:, 0], [0.0, np.log(100)])
    with pytest.raises(ValueError, match=r"2 value\(s\) are zero or negative \(territory 0, indicator 0, "):
        log(np.array([[0.0], [-1.0], [3.0]]), variant="natural")
    with pytest.raises(ValueError, match=r"winmax: must be a non-negative int or None\. Got -1"):
        winsorise(np.ones((5, 1)), winmax=-1)
    with pytest.raises(ValueError, match=r"fallback: must be one of 'log', 'none'\. Got 'boxcox'"):
        winsorise(np.ones((5, 1)), fallback="boxcox")
