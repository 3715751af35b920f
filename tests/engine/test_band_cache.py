"""Band tables are converted once per step, not once per indicator, with bit-identical results.

``pipeline._band_table`` takes a per-step dict of converted tables; passing none converts the table on every
call, as before the change. The seed 004 presets (18 indicators sharing one band table) and a hand-made spec
(a named table with an indicator column, a categorical indicator, an inline table) are computed both ways.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

import pandas as pd
import pytest
from tests.engine.conftest import long

from aimaq.dataset import Dataset
from aimaq.engine import Methodology, pipeline
from aimaq.engine.registry import load
from aimaq.store.repository import Store

SEED004 = ("seed004_monotown_potential", "seed004_monotown_potential_missing_zero")


@pytest.fixture(scope="module")
def seed004_data(bundled_store: Store) -> Dataset:
    ds = bundled_store.dataset()
    return dataclasses.replace(ds, tables={n: bundled_store.reference(n) for n in bundled_store.references()})


def hand_made() -> tuple[Methodology, Dataset]:
    """Two numeric indicators and a categorical one on one named table; a third numeric on an inline one."""
    table = pd.DataFrame(
        [
            {"indicator": "a", "lower": None, "upper": 10.0, "score": 0, "label": None},
            {"indicator": "a", "lower": 10.0, "upper": None, "score": 2, "label": None},
            {"indicator": "b", "lower": None, "upper": 5.0, "score": 1, "label": None},
            {"indicator": "b", "lower": 5.0, "upper": None, "score": 3, "label": None},
            {"indicator": "kind", "lower": None, "upper": None, "score": 4, "label": "Бар"},
            {"indicator": "kind", "lower": None, "upper": None, "score": 0, "label": "жоқ"},
        ]
    )
    rows = [
        *[(t, "a", 2020, v) for t, v in (("t1", 3.0), ("t2", 12.0), ("t3", 10.0))],
        *[(t, "b", 2020, v) for t, v in (("t1", 7.0), ("t2", 1.0))],
        *[(t, "c", 2020, v) for t, v in (("t1", 0.5), ("t2", 2.5), ("t3", 1.5))],
        ("t1", "kind", 2020, "бар"),
        ("t2", "kind", 2020, "Жоқ"),
    ]
    indicators = pd.DataFrame(
        {"kind": ["numeric", "numeric", "numeric", "categorical"], "direction": [1, 1, 1, 1]},
        index=pd.Index(["a", "b", "c", "kind"], name="code"),
    )
    inline = [{"lower": None, "upper": 1.0, "points": 0}, {"lower": 1.0, "upper": None, "points": 5}]
    spec = {
        "name": "band_cache",
        "title": {"en": "Band cache"},
        "indicators": ["a", "b", "c", "kind"],
        "normalise": {
            "default": {"method": "bands", "params": {"table": "t", "missing": 0}},
            "by_indicator": {"c": {"method": "bands", "params": {"table": inline, "missing": 0}}},
        },
        "aggregate": {"method": "weighted_sum", "weights": "equal"},
    }
    return Methodology.from_dict(spec), long(rows, indicators=indicators, tables={"t": table})


def uncached(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the pipeline convert every band table once per indicator, as it did before the cache."""
    original = pipeline._band_table

    def per_indicator(m: Any, data: Any, e: Any, code: str, converted: Any = None) -> Any:
        return original(m, data, e, code)

    monkeypatch.setattr(pipeline, "_band_table", per_indicator)


def both_ways(m: Methodology, data: Dataset) -> tuple[Any, Any, list, list]:
    with pytest.MonkeyPatch.context() as mp:
        uncached(mp)
        before = m.compute(data)
        before_problems = pipeline.data_problems(m, data)
    return before, m.compute(data), before_problems, pipeline.data_problems(m, data)


@pytest.mark.parametrize("name", SEED004)
def test_seed004_is_bit_identical_with_the_tables_converted_once(name: str, seed004_data: Dataset) -> None:
    before, after, before_problems, after_problems = both_ways(load(name), seed004_data)
    assert after == before  # every step table (exact values) and every log record
    for key in before.data:
        pd.testing.assert_frame_equal(after.data[key], before.data[key], check_exact=True)
    assert after_problems == before_problems


def test_seed004_what_if_is_bit_identical(seed004_data: Dataset) -> None:
    m = load(SEED004[0])
    changed = seed004_data.with_values(
        pd.DataFrame(
            [
                {
                    "territory": "karazhal",
                    "indicator": "mono_lsg_satisfaction_pct",
                    "period": "2020",
                    "value": 90.0,
                }
            ]
        )
    )
    before, after, _, _ = both_ways(m, changed)
    assert after == before
    base = m.compute(seed004_data)
    assert after.table_for(2020).at["karazhal", "score"] != base.table_for(2020).at["karazhal", "score"]


def test_hand_made_spec_is_bit_identical_and_scores_each_indicator_from_its_own_rows() -> None:
    m, data = hand_made()
    before, after, before_problems, after_problems = both_ways(m, data)
    assert after == before
    assert after_problems == before_problems == []
    n = after.data["normalised"].xs(2020, level="year")
    assert n["a"].to_dict() == {"t1": 0.0, "t2": 2.0, "t3": 0.0}  # 10.0 is in (-inf, 10]
    assert n["b"].to_dict() == {"t1": 3.0, "t2": 1.0, "t3": 0.0}  # t3 has no value: missing -> 0
    assert n["c"].to_dict() == {"t1": 0.0, "t2": 5.0, "t3": 5.0}
    assert n["kind"].to_dict() == {"t1": 4.0, "t2": 0.0, "t3": 0.0}


def test_each_table_is_converted_once_per_step(
    seed004_data: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[int] = Counter()
    split = pipeline._split_band_table

    def counting(table: Any) -> Any:
        calls[id(table)] += 1
        return split(table)

    monkeypatch.setattr(pipeline, "_split_band_table", counting)
    m = load(SEED004[0])
    pipeline.data_problems(m, seed004_data)
    assert len(m.leaves) == 18 and sorted(calls.values()) == [1]  # one table for all 18 indicators
    calls.clear()
    m.compute(seed004_data)  # the data check and the normalise step: once each
    assert sorted(calls.values()) == [2]
    calls.clear()
    hm, hdata = hand_made()
    hm.compute(hdata)
    assert sorted(calls.values()) == [2, 2]  # the named table and the inline one


def test_rows_are_fresh_on_every_call_and_a_missing_table_is_none() -> None:
    m, data = hand_made()
    entry = next(e for e in m.entries("normalise") if e.target is None)
    converted: dict[Any, Any] = {}
    rows, name = pipeline._band_table(m, data, entry, "a", converted)
    assert name == "t" and [r["points"] for r in rows] == [0, 2]  # points taken from score
    rows[0]["points"] = 99  # a caller changing its rows does not change the next indicator's
    again, _ = pipeline._band_table(m, data, entry, "a", converted)
    assert [r["points"] for r in again] == [0, 2]
    assert pipeline._band_table(m, data, entry, "nowhere", converted)[0] == []
    gone = dataclasses.replace(data, tables={})
    assert pipeline._band_table(m, gone, entry, "a", {}) == (None, "t")
    assert pipeline._band_table(m, gone, entry, "a") == (None, "t")
