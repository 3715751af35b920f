"""The results service: presets on the bundled store, cached per data version; what-if on values, weights."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

from aimaq.engine.errors import SpecErrors
from aimaq.engine.registry import entries
from aimaq.engine.reproduce import reproduce
from aimaq.services.results import NotComputable, Results, data_version


@pytest.fixture(scope="module")
def results(bundled_store) -> Results:
    return Results(bundled_store)


@pytest.fixture(scope="module")
def data(results: Results):
    return results.dataset()


def test_presets_are_the_shipped_specs_without_the_worked_examples(results: Results) -> None:
    presets = results.presets()
    shipped = {e.name for e in entries() if not e.example}
    assert set(presets) == shipped
    assert "oecd_tai_2008" not in presets  # an example: needs its own data file
    with pytest.raises(KeyError, match="no methodology 'nope'; the presets are"):
        results.entry("nope")


def test_a_result_is_computed_once_per_data_version(results: Results, data) -> None:
    a = results.result("seed004_monotown_potential", data)
    assert results.result("seed004_monotown_potential", data) is a
    # another read of the same store: same version, same result
    assert results.result("seed004_monotown_potential", results.dataset()) is a
    changed = data.with_values(
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
    assert data_version(changed) != data_version(data)
    b = results.result("seed004_monotown_potential", changed)
    assert b is not a
    assert b.table_for(2020).at["karazhal", "score"] != a.table_for(2020).at["karazhal", "score"]


def test_concurrent_first_requests_share_one_computation(bundled_store, monkeypatch) -> None:
    from aimaq.engine.spec import Methodology

    calls = []
    original = Methodology.compute

    def counting(self, data):
        calls.append(self.name)
        return original(self, data)

    monkeypatch.setattr(Methodology, "compute", counting)
    fresh = Results(bundled_store)
    data = fresh.dataset()
    got = []
    threads = [
        threading.Thread(target=lambda: got.append(fresh.result("seed003_depressed_flag", data)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["seed003_depressed_flag"]
    assert all(r is got[0] for r in got)


def test_a_preset_without_its_data_is_not_computable_and_says_so(results: Results, data) -> None:
    # seed 002's regional GVA is not in the seeds: it must be imported (docs/methodologies/seed002_...md)
    with pytest.raises(NotComputable) as info:
        results.result("seed002_raw_material_region", data)
    assert info.value.missing_data is True
    assert any("gva_b" in p.message for p in info.value.problems)
    rows = {r["name"]: r for r in results.catalogue(data)}
    assert rows["seed002_raw_material_region"]["status"] == "missing_data"
    assert rows["seed004_monotown_potential"]["status"] == "ok"
    assert rows["seed004_monotown_potential"]["territories"] == 8


def test_reproduction_is_the_engines_report_cached(results: Results, data) -> None:
    report = results.reproduction("seed004_monotown_potential", data)
    assert report is results.reproduction("seed004_monotown_potential", data)
    m = results.result("seed004_monotown_potential", data).methodology
    assert report.counts() == reproduce(m, data).counts()
    assert report.ok
    assert results.reproduction("seed000_ris3_wheel_ec_scale", data) is None  # no expected: block


def test_indices_of_a_monotown_list_the_seed004_presets_with_rank_of_8(results: Results, data) -> None:
    rows = {r["methodology"]: r for r in results.indices_of("satpayev", data)}
    seed004 = {n for n in results.presets() if n.startswith("seed004_") and results.try_result(n, data)}
    assert "seed004_monotown_potential" in seed004 and seed004 <= set(rows)
    assert all(r["methodology"].startswith("seed004_") for r in rows.values())  # not in seed 001-003
    row = rows["seed004_monotown_potential"]
    table = results.table("seed004_monotown_potential", 2020, data)
    assert row["n"] == 8 and row["year"] == 2020
    assert row["score"] == table.at["satpayev", "score"]
    assert row["rank"] == table.at["satpayev", "rank"]
    assert row["classes"] == {"potential": table.at["satpayev", "potential"]}
    # the group subtotals of Table 1 add up to the total (weighted_sum of points, l.390-394)
    assert sum(row["groups"].values()) == pytest.approx(row["score"])
    assert results.indices_of("nowhere", data) == []


def test_what_if_on_a_value_moves_the_rank_and_saves_nothing(results: Results, data) -> None:
    before = results.table("seed004_monotown_potential", 2020, data).copy()
    w = results.what_if(
        "seed004_monotown_potential", values=[("karazhal", "mono_lsg_satisfaction_pct", 90)], data=data
    )
    row = w.table.loc["karazhal"]
    assert row["score_new"] > row["score"] and row["rank_new"] < row["rank"]
    assert row["score_delta"] == row["score_new"] - row["score"]
    assert "karazhal" in w.moved().index
    # the other monotowns keep their scores; only ranks may shift
    others = w.table.drop(index="karazhal")
    assert (others["score_delta"] == 0).all()
    pd.testing.assert_frame_equal(results.table("seed004_monotown_potential", 2020, data), before)


def test_what_if_on_a_weight_reweights_the_group_mean(results: Results, data) -> None:
    # seed001_scientific_potential: the index is the arithmetic mean of its pillars with explicit weights
    name = "seed001_scientific_potential"
    base = results.result(name, data)
    m = base.methodology
    kids = m.children(m.root)
    w = results.what_if(name, weights={kids[0]: 5.0}, data=data)
    assert set(w.edits) == {f"weight.by_group.{m.root}"}
    used = base.state.weights[m.root][-1]
    new_w = np.array([5.0, *used[1:]])
    table = base.table_for()
    pillars = table[list(kids)].to_numpy()
    expected = (pillars * new_w).sum(axis=1) / new_w.sum()
    ok = ~np.isnan(pillars).any(axis=1)
    np.testing.assert_allclose(w.table["score_new"].to_numpy()[ok], expected[ok], rtol=1e-9)


def test_what_if_on_a_weight_of_a_preset_without_a_weight_step(results: Results, data) -> None:
    # seed004 weights its groups with the short form `aggregate.weights: equal` and has no weight step
    name = "seed004_monotown_potential"
    base = results.result(name, data)
    m = base.methodology
    assert m.get("weight") is None and m.weight_shorthand() is not None
    kids = m.children(m.root)
    used = dict(zip(kids, base.state.weights[m.root][-1], strict=True))
    same = results.what_if(name, weights={kids[0]: used[kids[0]]}, data=data)
    assert (same.table["score_delta"].abs() < 1e-9).all()
    changed = results.what_if(name, weights={kids[0]: 2.0}, data=data)
    # weighted_sum with total: count (seed 004 adds the group points): sum(w x) / sum(w) x number of groups
    new_w = np.array([2.0, *(used[k] for k in kids[1:])])
    groups = base.table_for(changed.year)[list(kids)].reindex(changed.table.index).to_numpy()
    expected = (groups * new_w).sum(axis=1) / new_w.sum() * len(kids)
    np.testing.assert_allclose(changed.table["score_new"].to_numpy(), expected, rtol=1e-9)
    assert (changed.table["score_delta"] != 0).any()


def test_what_if_reports_every_problem_with_its_key_path(results: Results, data) -> None:
    with pytest.raises(SpecErrors) as info:
        results.what_if(
            "seed004_monotown_potential",
            values=[("nowhere", "mono_lsg_satisfaction_pct", 1), ("karazhal", "no_such_indicator", 1)],
            weights={"no_such_group": 1.0, "economic_social": -1.0},
            year=1999,
            data=data,
        )
    keys = {p.key for p in info.value.problems}
    assert keys == {
        "year",
        "values.0.territory",
        "values.1.indicator",
        "weights.no_such_group",
        "weights.economic_social",
    }
    text = str(info.value)
    assert "closest" not in text or "karazhal" in text
    assert "must be a number >= 0. Got -1.0 instead." in text


def test_warm_computes_every_preset_that_runs_and_its_report(bundled_store) -> None:
    fresh = Results(bundled_store)
    data = fresh.dataset()
    fresh.warm(data)
    _, version = fresh._versioned(data)
    slots = {name: slot for (name, v), slot in fresh._slots.items() if v == version}
    assert set(slots) == set(fresh.presets())
    for name, slot in slots.items():
        assert (slot.result is None) != (slot.error is None), name  # computed, or refused with reasons
        if slot.result is not None and fresh.entry(name).has_expected:
            assert slot.report_done and slot.report is not None, name


def test_what_if_in_a_separate_process_equals_the_one_computed_here(bundled_store, results, data) -> None:
    # The web app runs what-ifs in processes of their own (AIMAQ_WHATIF_PROCESSES), so that their CPU time
    # does not hold the web worker's interpreter lock; the answer must be the same, errors included.
    elsewhere = Results(bundled_store, what_if_processes=1)
    try:
        change = {"values": [("karazhal", "mono_lsg_satisfaction_pct", 90)]}
        here = results.what_if("seed004_monotown_potential", data=data, **change)
        there = elsewhere.what_if("seed004_monotown_potential", data=data, **change)
        pd.testing.assert_frame_equal(there.table, here.table)
        assert (there.year, there.values) == (here.year, here.values)
        assert there.classifications == here.classifications
        again = elsewhere.what_if(  # the process holds the data now: only the change is sent
            "seed004_monotown_potential", values=[("karazhal", "mono_lsg_satisfaction_pct", 10)], data=data
        )
        assert again.table.loc["karazhal", "score_new"] < there.table.loc["karazhal", "score_new"]
        with pytest.raises(SpecErrors) as info:
            elsewhere.what_if("seed004_monotown_potential", values=[("nowhere", "x", 1)], data=data)
        assert {p.key for p in info.value.problems} == {"values.0.territory", "values.0.indicator"}
        with pytest.raises(KeyError, match="no methodology"):
            elsewhere.what_if("no_such_preset", values=[("a", "b", 1)], data=data)
    finally:
        elsewhere.close()
    with pytest.raises(ValueError, match="what_if_processes"):
        Results(bundled_store, what_if_processes=-1)
