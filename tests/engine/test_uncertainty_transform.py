"""Disputed cells that feed a transform vary: the transform runs once per combination of readings."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.engine.conftest import long

from aimaq.dataset import Dataset
from aimaq.engine import Methodology, SpecErrors
from aimaq.engine.sensitivity import sample_unit
from aimaq.engine.uncertainty import UncertaintyAnalysis, analyse

RATIO: dict[str, Any] = {
    "name": "ratio",
    "title": {"en": "Ratio"},
    "transform": [{"code": "c", "method": "ratio", "params": {"x": "num", "denominator": "den"}}],
    "indicators": ["c"],
    "aggregate": {"method": "arithmetic_mean"},
    "classify": {
        "id": "level",
        "method": "thresholds",
        "params": {
            "classes": [
                {"id": "low", "interval": [None, 2.5], "closed": "right"},
                {"id": "high", "interval": [2.5, None], "closed": "neither"},
            ]
        },
    },
}


def ratio_case(alt: float = 2.0) -> tuple[Methodology, Dataset]:
    """a: 3 / 1 = 3 (high), b: 4 / 2 = 2 (low); the note reads a's denominator as ``alt`` (3 / 2 = 1.5)."""
    data = long(
        [
            ("a", "num", 2020, 3.0),
            ("a", "den", 2020, 1.0),
            ("b", "num", 2020, 4.0),
            ("b", "den", 2020, 2.0),
        ]
    )
    notes = pd.DataFrame(
        [
            {
                "territory": "a",
                "indicator": "den",
                "period": "2020",
                "kind": "contradiction",
                "text": "the denominator is printed 1, the text says 2",
                "source": "test l.1",
                "alt_value": str(alt),
            }
        ]
    )
    data = Dataset(data.observations, data.territories, data.indicators, notes, data.tables)
    return Methodology.from_dict(RATIO), data


@pytest.mark.parametrize("p", [0.25, 0.5])
def test_a_ratio_input_read_the_other_way_propagates_with_its_probability(p: float) -> None:
    m, data = ratio_case()
    u = analyse(
        m,
        data,
        {
            "n": 2048,
            "seed": 2,
            "sensitivity": False,
            "factors": [{"key": "data.cells", "from_notes": True, "p": p}],
        },
    )
    assert [c.via_transform for c in u.analysis.factors[0].cells] == [True]
    # both outcomes appear, by hand: a scores 3 (rank 1, high) or 3 / 2 = 1.5 (rank 2, low) with probability p
    assert set(np.round(u.scores["a"], 12)) == {3.0, 1.5}
    alt = u.samples["data.cells.a.den.2020"] == 2.0
    assert abs(alt.mean() - p) < 0.01
    assert ((u.scores["a"] == 1.5) == alt).all() and (u.scores["b"] == 2.0).all()
    assert ((u.ranks["b"] == 1) == alt).all()
    probs = u.class_probabilities["level"].loc["a"]
    assert abs(probs["low"] - p) < 0.01 and abs(probs["high"] - (1 - p)) < 0.01
    assert not u.analysis.warnings


def test_transform_inputs_batched_equal_the_naive_loop() -> None:
    m, data = ratio_case(alt=0.5)
    a = UncertaintyAnalysis(
        m,
        data,
        {
            "n": 8,
            "factors": [
                {"key": "data.cells", "from_notes": True},
                {
                    "key": "data.cells",
                    "cells": [{"territory": "b", "indicator": "num", "period": "2020", "values": [9, 1]}],
                },
                {
                    "key": "classify.params.classes.0.interval.1",
                    "also": ["classify.params.classes.1.interval.0"],
                    "values": [2.5, 4],
                },
            ],
        },
    )
    U = sample_unit(64, a.dims, seed=5)
    (s1, c1), (s2, c2) = a.evaluate(U), a.evaluate_naive(U)
    np.testing.assert_array_equal(s1, s2)
    np.testing.assert_array_equal(c1["level"], c2["level"])
    assert len(a._recomputed) == 6  # 2 readings of a.den x 3 of b.num: the transform ran 6 times at most


def test_a_transform_input_without_a_stored_value_is_named() -> None:
    m, data = ratio_case()
    with pytest.raises(SpecErrors) as e:
        analyse(
            m,
            data,
            {
                "n": 4,
                "factors": [
                    {
                        "key": "data.cells",
                        "cells": [{"territory": "a", "indicator": "den", "period": "2019", "values": [2]}],
                    }
                ],
            },
        )
    assert "no numeric value of 'den' for 'a' in '2019'" in str(e.value)


def test_real_preset_varies_its_disputed_transform_input(bundled_store: Any) -> None:
    """Seed 003 note n171 reads Glubokoe's share of the economically active population 35.2 as 4.93: the
    input of the preset's ratio and growth transforms now varies, and the nominal result stays."""
    from aimaq.engine.registry import load

    data = bundled_store.dataset()
    m = load("seed003_resource_growth_ratios")
    u = analyse(
        m,
        data,
        {"n": 64, "seed": 3, "sensitivity": False, "factors": [{"key": "data.cells", "from_notes": True}]},
    )
    cells = {c.key: c for c in u.analysis.factors[0].cells}
    key = "data.cells.glubokoe.resource_share_eap.2019"
    assert cells[key].via_transform and cells[key].alternatives == (4.93,)
    assert set(u.samples[key]) == {35.2, 4.93}
    assert not any("not varied" in w for w in u.analysis.warnings)
    naive, _ = u.analysis.evaluate_naive(u.design[:6])
    np.testing.assert_allclose(u.scores_array[:6], naive, equal_nan=True)
    assert u.nominal.table.equals(u.analysis.nominal.table)
