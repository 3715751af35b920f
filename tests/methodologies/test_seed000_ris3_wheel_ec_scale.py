"""The RIS3 wheel on the EC's 0-5 scale: scores are divided by 5, never converted to the adapted scale."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from aimaq.dataset import Dataset
from aimaq.engine.registry import load

NAME = "seed000_ris3_wheel_ec_scale"


def _data(scores: dict[str, list[float]]) -> Dataset:
    leaves = load(NAME).leaves
    rows = [
        {"territory": t, "indicator": c, "period": "2024", "value": v}
        for t, values in scores.items()
        for c, v in zip(leaves, values, strict=True)
    ]
    ds = Dataset.from_long(pd.DataFrame(rows))
    terr = pd.DataFrame({"level": ["region"] * len(scores)}, index=pd.Index(list(scores)))
    return dataclasses.replace(ds, territories=terr)


def test_step_totals_count_criteria_met() -> None:
    r = load(NAME).compute(_data({"atyrau": [5, 5, 5] + [0] * 12 + [1, 2, 3], "kyzylorda": [2.5] * 18}))
    t = r.table.xs(2024, level="year")
    assert t.loc["atyrau", "s1_context_analysis"] == pytest.approx(3)
    assert t.loc["atyrau", "s6_monitoring_evaluation"] == pytest.approx(6 / 5)
    assert t.loc["atyrau", "score"] == pytest.approx(3 + 6 / 5)
    assert t.loc["kyzylorda", "score"] == pytest.approx(9)  # half of every criterion: 9 of 18


def test_values_beyond_five_are_clipped_and_logged() -> None:
    r = load(NAME).compute(_data({"atyrau": [7] + [5] * 17}))
    assert r.data["normalised"].loc[(2024, "atyrau")].max() == 1
    record = next(x for x in r.log if x.step == "normalise")
    assert np.sum(record.learned["clipped"]) == 1
