"""Properties of the whole pipeline (hypothesis): permutation invariance, regen identity, direction reversal,
invariance of the scores to a common scaling of explicit weights."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aimaq.dataset import Dataset
from aimaq.engine import Methodology

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def panels(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(3, 7))
    k = draw(st.integers(1, 4))
    values = st.floats(0, 1000, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 3))
    X = draw(hnp.arrays(float, (n, k), elements=values, unique=True))
    return X


def dataset(X: np.ndarray, order: list[int] | None = None) -> Dataset:
    n, k = X.shape
    rows = [
        {"territory": f"t{i}", "indicator": f"i{j}", "year": 2020, "value": X[i, j]}
        for i in range(n)
        for j in range(k)
    ]
    obs = pd.DataFrame(rows)
    if order is not None:
        obs = obs.iloc[[r for i in order for r in range(i * k, (i + 1) * k)]]
    return Dataset.from_long(obs)


def spec(k: int, **extra: object) -> Methodology:
    s = {
        "name": "prop",
        "title": {"en": "P"},
        "indicators": [f"i{j}" for j in range(k)],
        "normalise": {"method": "minmax", "params": {"a": 0, "b": 1}},
        "aggregate": {"method": "arithmetic_mean", "weights": "equal"},
    }
    s.update(extra)
    return Methodology.from_dict(s)


@SETTINGS
@given(panels(), st.randoms(use_true_random=False))
def test_permuting_territories_does_not_change_scores(X: np.ndarray, rnd) -> None:  # type: ignore[no-untyped-def]
    n, k = X.shape
    order = list(range(n))
    rnd.shuffle(order)
    codes = [f"t{i}" for i in order]
    a = spec(k).compute(dataset(X)).table_for()
    b = spec(k, select={"territories": {"codes": codes}}).compute(dataset(X, order)).table_for()
    assert list(b.index) == codes
    pd.testing.assert_frame_equal(a.loc[codes], b, check_exact=False, rtol=1e-12)


@SETTINGS
@given(panels())
def test_regen_without_edits_is_the_same_result(X: np.ndarray) -> None:
    r = spec(X.shape[1]).compute(dataset(X))
    assert r.regen({}) == r
    assert r.regen({}, from_step="normalise") == r
    assert r.regen({}, from_step="select") == r


@SETTINGS
@given(panels())
def test_reversing_the_direction_reverses_the_ranking(X: np.ndarray) -> None:
    one = X[:, :1]
    up = spec(1, indicators=[{"code": "i0", "direction": 1}]).compute(dataset(one)).table_for()
    down = spec(1, indicators=[{"code": "i0", "direction": -1}]).compute(dataset(one)).table_for()
    n = len(up)
    assert (up["rank"] + down["rank"] == n + 1).all()


@SETTINGS
@given(panels(), st.floats(0.01, 100))
def test_scaling_explicit_weights_does_not_change_scores(X: np.ndarray, c: float) -> None:
    k = X.shape[1]
    w = {f"i{j}": float(j + 1) for j in range(k)}
    a = spec(k, weight={"method": "explicit", "params": {"weights": w}}).compute(dataset(X)).table_for()
    scaled = {key: v * c for key, v in w.items()}
    b = spec(k, weight={"method": "explicit", "params": {"weights": scaled}}).compute(dataset(X)).table_for()
    np.testing.assert_allclose(a["score"].to_numpy(float), b["score"].to_numpy(float), rtol=1e-9, atol=1e-12)
