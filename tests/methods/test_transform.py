"""Transform methods: hand-computed panels, NaN handling, safe expressions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aimaq.methods import transform as T

P = np.array([[100.0, 50.0, 0.0], [110.0, 40.0, 10.0], [121.0, np.nan, 20.0]])  # 3 years x 3 territories


def test_ratio_per_capita_and_division_by_zero_counted() -> None:
    learned: dict = {}
    out = T.ratio(P, np.full(P.shape, 10.0), scale=1000)
    assert out[0].tolist() == [10000.0, 5000.0, 0.0]
    zero = T.per_capita(P, np.array([[1.0, 0.0, 2.0]] * 3), learned=learned)
    assert np.isnan(zero[:, 1]).all() and learned["undefined"] == 2  # 50/0 and 40/0; NaN/0 is missing anyway


def test_share_of_the_total_and_of_another_indicator() -> None:
    s = T.share(P)
    assert s[0].tolist() == pytest.approx([100 * 100 / 150, 100 * 50 / 150, 0.0])
    assert s[2, 0] == pytest.approx(100 * 121 / 141)  # the missing cell is left out of the total
    assert T.share(P, P * 4)[1].tolist() == pytest.approx([25.0, 25.0, 25.0])


def test_growth_chain_base_index_and_difference() -> None:
    g = T.growth_rate(P)
    assert np.isnan(g[0]).all()
    assert g[1].tolist()[:2] == pytest.approx([10.0, -20.0])
    assert np.isnan(g[1, 2])  # 10 / 0: no growth rate from zero
    assert g[2, 0] == pytest.approx(10.0) and np.isnan(g[2, 1])
    assert T.chain_index(P)[2, 0] == pytest.approx(110.0)
    assert T.chain_index(P, lag=2)[2, 0] == pytest.approx(121.0)
    b = T.base_index(P, years=[2018, 2019, 2020], base_year=2019)
    assert b[:, 0].tolist() == pytest.approx([100 / 1.1, 100.0, 110.0])
    assert T.difference(P)[2, 2] == 10.0
    with pytest.raises(ValueError, match="base_year: 2017 is not in the panel"):
        T.base_index(P, years=[2018, 2019, 2020], base_year=2017)
    with pytest.raises(ValueError, match="lag: must be an int >= 1"):
        T.growth_rate(P, lag=0)


def test_ratio_to_reference_territory() -> None:
    r = T.ratio_to_reference(P, territories=["a", "b", "oblast"], reference="a")
    assert r[1].tolist() == pytest.approx([1.0, 40 / 110, 10 / 110])
    with pytest.raises(ValueError, match="reference: territory 'x' is not in the panel"):
        T.ratio_to_reference(P, territories=["a", "b", "c"], reference="x")


def test_log_never_clips_silently() -> None:
    learned: dict = {}
    out = T.log(P, base=10, learned=learned)
    assert out[0, 0] == pytest.approx(2.0)
    assert np.isnan(out[0, 2]) and learned["non_positive"] == 1
    assert T.log(P, offset=1)[0, 2] == 0.0


def test_period_mean_is_a_trailing_window() -> None:
    m = T.period_mean(P, window=2)
    assert np.isnan(m[0, 0]) and m[1, 0] == pytest.approx(105.0)
    assert np.isnan(m[2, 1])  # one of the two years is missing
    assert T.period_mean(P, window=2, min_count=1)[2, 1] == 40.0


def test_period_count_is_strict_and_needs_the_window_covered() -> None:
    """Seed 002 l.60-61: "more than 30 %" over 2009-2019; a share of exactly 30 is not above it."""
    s = np.array([[31.0, 29.0, 30.0], [30.0, 45.0, 30.0], [35.0, np.nan, 30.0], [40.0, 50.0, 30.0]])
    above = T.period_count(s, window=3, threshold=30)
    assert np.isnan(above[:2]).all()  # before 3 years of data the window is not covered
    assert above[2].tolist()[0] == 2.0 and np.isnan(above[2, 1]) and above[2, 2] == 0.0
    assert above[3, 0] == 2.0 and np.isnan(above[3, 1])
    assert T.period_count(s, window=3, threshold=30, min_count=2)[3, 1] == 2.0  # 45 and 50; 2 of 3 years
    assert T.period_count(s, window=4, threshold=30, side="below")[3].tolist()[::2] == [0.0, 0.0]
    assert T.period_count(s[None], window=3, threshold=30).shape == (1, 4, 3)  # a batch axis
    with pytest.raises(ValueError, match="side: must be 'above' or 'below'"):
        T.period_count(s, window=3, threshold=30, side="over")
    with pytest.raises(ValueError, match=r"min_count: must be an int in \[1, window=3\]"):
        T.period_count(s, window=3, threshold=30, min_count=4)


def test_period_min_and_max_over_a_window_against_a_loop() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(30, 5, size=(2, 12, 4))
    x[0, 3, 1] = np.nan
    x[1, 7:9, 2] = np.nan
    for window, need in ((1, None), (3, None), (5, 3), (11, None)):
        lo = T.period_min(x, window=window, min_count=need)
        hi = T.period_max(x, window=window, min_count=need)
        for b in range(2):
            for t in range(12):
                for i in range(4):
                    w = x[b, max(0, t - window + 1) : t + 1, i]
                    ok = np.sum(~np.isnan(w)) >= (window if need is None else need)
                    assert (lo[b, t, i] == np.nanmin(w)) if ok else np.isnan(lo[b, t, i])
                    assert (hi[b, t, i] == np.nanmax(w)) if ok else np.isnan(hi[b, t, i])
    with pytest.raises(ValueError, match="window: must be an int >= 1"):
        T.period_min(x, window=0)


def test_expression_is_evaluated_without_eval() -> None:
    a, b = P[:, :1], P[:, 1:2]
    out = T.expression(expr="0.5 * a + 0.5 * log10(b)", variables={"a": a, "b": b})
    assert out[0, 0] == pytest.approx(50 + 0.5 * np.log10(50))
    for bad in ("a.__class__", "__import__('os')", "a[0]", "a if b else 1", "lambda: 1", "'x'", "open('f')"):
        with pytest.raises(ValueError, match="expr: "):
            T.expression(expr=bad, variables={"a": a, "b": b})
    with pytest.raises(ValueError, match="unknown name"):
        T.expression(expr="a + c", variables={"a": a})
    learned: dict = {}
    T.expression(expr="a / (b - b)", variables={"a": a, "b": b}, learned=learned)
    assert learned["undefined"] == 2  # NaN input stays missing; 0/0 and x/0 from observed values count


def test_expression_names() -> None:
    assert T.expression_names("maximum(x, y) / z ** 2") == ["x", "y", "z"]
    with pytest.raises(ValueError, match="'log' is a function"):
        T.expression_names("log + 1")


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(float, st.tuples(st.integers(2, 5), st.integers(1, 4)), elements=st.floats(0.1, 1e6)))
def test_chain_index_and_growth_rate_agree(x: np.ndarray) -> None:
    np.testing.assert_allclose(T.chain_index(x) - 100.0, T.growth_rate(x), rtol=1e-9, atol=1e-9)
    batched = T.growth_rate(np.stack([x, 2 * x]))
    np.testing.assert_allclose(batched[0], batched[1], rtol=1e-9, atol=1e-9)  # scale-free, batch-wise
