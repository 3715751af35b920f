"""Uncertainty runs on cases with known answers, and the batched run against a naive loop of rebuilds."""

from __future__ import annotations

import copy
import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.engine.conftest import TOY_SPEC, long

from aimaq.dataset import Dataset
from aimaq.engine import Methodology, SpecErrors, compute
from aimaq.engine.sensitivity import sample_unit
from aimaq.engine.uncertainty import (
    Declaration,
    UncertaintyAnalysis,
    analyse,
    edited,
    level_edits,
)

# ---------------------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------------------


def two_territories() -> tuple[Methodology, Dataset]:
    """a = (1, 0), b = (0, 1), weights 0.6 : 0.4: a ranks first exactly when w_x > w_y."""
    data = long([("a", "x", 2020, 1.0), ("b", "x", 2020, 0.0), ("a", "y", 2020, 0.0), ("b", "y", 2020, 1.0)])
    m = Methodology.from_dict(
        {
            "name": "two",
            "title": {"en": "Two"},
            "indicators": ["x", "y"],
            "weight": {"method": "explicit", "params": {"weights": {"x": 0.6, "y": 0.4}}},
            "aggregate": {"method": "arithmetic_mean"},
        }
    )
    return m, data


MIX: dict[str, Any] = {
    "name": "mix",
    "title": {"en": "Mix"},
    "select": {"years": [2021]},
    "indicators": ["x", "y", {"code": "z", "direction": -1}],
    "groups": [{"id": "g1", "children": ["x", "y"]}, {"id": "idx", "children": ["g1", "z"]}],
    "impute": {"method": "mean"},
    "treat": {"method": "winsorise"},
    "normalise": {"method": "minmax", "params": {"a": 1, "b": 100}},
    "weight": {"method": "explicit", "params": {"weights": {"x": 2, "y": 1, "g1": 1, "z": 1}}},
    "aggregate": {"method": "arithmetic_mean"},
    "classify": {"id": "tier", "method": "quantiles", "params": {"n_classes": 3}},
}


def mix_data() -> Dataset:
    """Nine territories, three indicators, two years; one missing value and one outlier in 2021."""
    rng = np.random.default_rng(3)
    rows = []
    for year in (2020, 2021):
        for t in range(9):
            for code in ("x", "y", "z"):
                v = float(np.round(rng.uniform(1, 50), 1))
                if (year, t, code) == (2021, 8, "x"):
                    v = 400.0  # an outlier for the treat step
                if (year, t, code) == (2021, 4, "y"):
                    continue  # a missing value for the impute step
                rows.append((f"t{t}", code, year, v))
    return long(rows)


MIX_FACTORS: list[dict[str, Any]] = [
    {"key": "impute.method", "choices": ["mean", "median"]},
    {"key": "treat", "choices": [None, {"method": "winsorise", "params": {"winmax": 2}}]},
    {"key": "normalise.method", "choices": ["minmax", "rank", "percentile"]},
    {
        "key": "aggregate.method",
        "choices": ["arithmetic_mean", {"method": "geometric_mean", "params": {"zeros": "offset"}}],
    },
    {"key": "weight", "noise": 0.3},
    {
        "key": "data.cells",
        "cells": [
            {"territory": "t1", "indicator": "x", "period": "2021", "values": [49.0, 2.0]},
            {"territory": "t2", "indicator": "z", "period": "2021", "values": [1.0]},
        ],
    },
]


# ---------------------------------------------------------------------------------------------------------
# known answers
# ---------------------------------------------------------------------------------------------------------


def test_zero_noise_gives_a_degenerate_interval_at_the_nominal_rank(toy: Dataset) -> None:
    m = Methodology.from_dict(TOY_SPEC)
    u = analyse(
        m,
        toy,
        {
            "n": 64,
            "seed": 0,
            "factors": [
                {"key": "weight", "noise": 0.0},
                {"key": "normalise.method", "choices": ["minmax"]},
            ],
        },
    )
    s = u.summary
    nominal = m.compute(toy).table_for(2020)["rank"]
    assert s["rank_q05"].tolist() == s["rank_q95"].tolist() == nominal.reindex(s.index).tolist()
    assert (s["median_rank"] == s["nominal_rank"].astype(float)).all()
    assert (s["rank_interval_share"] == 1.0).all()
    assert u.class_probabilities["class"].loc["c", "high"] == 1.0
    assert u.statements("c") == [
        "rank 1 of 3 in 100 % of replications",
        "class: class High in 100 % of replications",
    ]
    # nothing varies, so the Sobol indices are undefined rather than invented
    assert u.sensitivity["S1"].isna().all()


def test_two_indicator_rank_swap_probability_matches_the_hand_computation() -> None:
    m, data = two_territories()
    # w_x ~ U(0.3, 0.9), w_y ~ U(0.2, 0.6): P(w_y > w_x) = (0.6 - 0.3)^2 / 2 / (0.6 * 0.4) = 0.1875
    u = analyse(
        m, data, {"n": 8192, "seed": 11, "sensitivity": False, "factors": [{"key": "weight", "noise": 0.5}]}
    )
    p_swap = float((u.ranks["b"] == 1).mean())
    assert p_swap == pytest.approx(0.1875, abs=0.005)
    assert float((u.ranks["a"] == 2).mean()) == p_swap
    assert u.summary.loc["a", "rank_q95"] == 2 and u.summary.loc["b", "rank_q05"] == 1
    # the drawn weights keep the nominal total and their shares stay inside ±50 %
    w = u.samples[["weight.index.x", "weight.index.y"]].to_numpy()
    assert np.allclose(w.sum(axis=1), 1.0)
    # the same with Latin-hypercube and plain random sampling
    for sampling in ("lhs", "random"):
        v = analyse(
            m,
            data,
            {
                "n": 8192,
                "seed": 5,
                "sampling": sampling,
                "sensitivity": False,
                "factors": [{"key": "weight", "noise": 0.5}],
            },
        )
        assert float((v.ranks["b"] == 1).mean()) == pytest.approx(0.1875, abs=0.015)


def test_dirichlet_weights_are_centred_on_the_nominal_shares() -> None:
    m, data = two_territories()
    u = analyse(
        m, data, {"n": 4096, "seed": 2, "sensitivity": False, "factors": [{"key": "weight", "dirichlet": 40}]}
    )
    w = u.samples[["weight.index.x", "weight.index.y"]]
    # Dirichlet(40 * (0.6, 0.4)): the x share is Beta(24, 16), mean 0.6, variance 0.6 * 0.4 / 41
    assert w["weight.index.x"].mean() == pytest.approx(0.6, abs=0.003)
    assert w["weight.index.x"].var() == pytest.approx(0.24 / 41, rel=0.05)
    assert np.allclose(w.sum(axis=1), 1.0)


def test_choice_levels_follow_their_probabilities() -> None:
    m, data = two_territories()
    u = analyse(
        m,
        data,
        {
            "n": 4000,
            "seed": 4,
            "sampling": "random",
            "sensitivity": False,
            "factors": [
                {
                    "key": "aggregate.method",
                    "choices": ["arithmetic_mean", "harmonic_mean"],
                    "probabilities": [0.25, 0.75],
                }
            ],
        },
    )
    share = (u.samples["aggregate.method"] == "harmonic_mean").mean()
    assert share == pytest.approx(0.75, abs=0.03)


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    m, data = Methodology.from_dict(MIX), mix_data()
    decl = {"n": 32, "seed": 9, "factors": MIX_FACTORS}
    a, b = analyse(m, data, decl), analyse(m, data, decl)
    assert np.array_equal(a.scores_array, b.scores_array)
    assert a.summary.equals(b.summary)
    assert a.sensitivity.equals(b.sensitivity)
    c = analyse(m, data, {**decl, "seed": 10})
    assert not np.array_equal(a.scores_array, c.scores_array)


def test_nominal_result_is_unchanged() -> None:
    m, data = Methodology.from_dict(MIX), mix_data()
    u = analyse(m, data, {"n": 16, "seed": 1, "factors": MIX_FACTORS})
    assert u.nominal == compute(m, data)
    s = u.summary
    nominal = compute(m, data).table_for(2021)
    assert s["nominal_score"].tolist() == nominal["score"].reindex(s.index).tolist()


# ---------------------------------------------------------------------------------------------------------
# batched == naive
# ---------------------------------------------------------------------------------------------------------


def test_batched_run_equals_a_naive_loop_of_full_rebuilds() -> None:
    m, data = Methodology.from_dict(MIX), mix_data()
    a = UncertaintyAnalysis(m, data, {"n": 24, "seed": 5, "factors": MIX_FACTORS, "chunk": 5})
    U = sample_unit(24, a.dims, seed=5)
    assert a.start == "impute" and a.dims == 1 + 1 + 1 + 1 + 4 + 2
    batched, bclasses = a.evaluate(U)
    naive, nclasses = a.evaluate_naive(U)
    np.testing.assert_allclose(batched, naive, rtol=1e-12, atol=1e-12)
    assert np.array_equal(bclasses["tier"], nclasses["tier"])
    # every level combination was visited, and ranks agree exactly
    from aimaq.engine.uncertainty import _min_ranks

    assert np.array_equal(_min_ranks(batched), _min_ranks(naive))
    assert len(a._specs) >= 8


def test_batched_equals_naive_when_only_late_steps_vary(toy: Dataset) -> None:
    m = Methodology.from_dict(TOY_SPEC)
    decl = {
        "n": 8,
        "factors": [
            {"key": "weight", "dirichlet": 5},
            {
                "key": "classify.classes.0.interval.1",
                "also": ["classify.classes.1.interval.0"],
                "values": [0.4, 0.5, 0.7],
            },
        ],
    }
    a = UncertaintyAnalysis(m, toy, decl)
    assert a.start == "weight"
    U = sample_unit(16, a.dims, seed=2)
    (s1, c1), (s2, c2) = a.evaluate(U), a.evaluate_naive(U)
    np.testing.assert_allclose(s1, s2, rtol=1e-12)
    assert np.array_equal(c1["class"], c2["class"])


def test_data_driven_weights_are_learned_per_replication() -> None:
    m = Methodology.from_dict({**copy.deepcopy(MIX), "weight": {"method": "entropy"}})
    data = mix_data()
    a = UncertaintyAnalysis(m, data, {"factors": [MIX_FACTORS[-1], MIX_FACTORS[2]]})
    U = sample_unit(10, a.dims, seed=8)
    (s1, _), (s2, _) = a.evaluate(U), a.evaluate_naive(U)
    np.testing.assert_allclose(s1, s2, rtol=1e-12)


# ---------------------------------------------------------------------------------------------------------
# sensitivity on the pipeline: an additive model
# ---------------------------------------------------------------------------------------------------------


def test_sobol_indices_of_an_additive_index_match_their_analytic_values() -> None:
    # no normalisation, fixed weights, arithmetic mean: t0's score is sum_j w_j x_j, linear in its cells.
    # Each cell reads its alternative with p = 1/2, so V_j = w_j^2 (alt_j - x_j)^2 / 4 and
    # S_j = ST_j = V_j / V.
    rows = [
        (t, c, 2020, v)
        for t, vals in {"t0": (1.0, 2.0, 3.0), "t1": (5.0, 5.0, 5.0)}.items()
        for c, v in zip(("x", "y", "z"), vals, strict=True)
    ]
    m = Methodology.from_dict(
        {
            "name": "additive",
            "title": {"en": "Additive"},
            "indicators": ["x", "y", "z"],
            "weight": {"method": "explicit", "params": {"weights": {"x": 0.5, "y": 0.3, "z": 0.2}}},
            "aggregate": {"method": "arithmetic_mean"},
        }
    )
    alts = {"x": 3.0, "y": 6.0, "z": 1.0}
    factors = [
        {
            "key": "data.cells",
            "name": f"cell {c}",
            "cells": [{"territory": "t0", "indicator": c, "period": "2020", "values": [a]}],
        }
        for c, a in alts.items()
    ]
    u = analyse(m, long(rows), {"n": 4096, "seed": 3, "factors": factors})
    w = {"x": 0.5, "y": 0.3, "z": 0.2}
    base = {"x": 1.0, "y": 2.0, "z": 3.0}
    V = {c: w[c] ** 2 * (alts[c] - base[c]) ** 2 / 4 for c in w}
    expected = np.array([V[c] / sum(V.values()) for c in w])  # 1/4.04, 1.44/4.04, 0.16/4.04... by hand
    got = u.sensitivity_by_territory.xs("t0", level="territory")
    np.testing.assert_allclose(got["S1_score"].to_numpy(), expected, atol=0.02)
    np.testing.assert_allclose(got["ST_score"].to_numpy(), expected, atol=0.02)
    assert u.runs == 4096 * (3 + 2) and u.n == 4096


def test_sensitivity_names_the_choice_that_matters() -> None:
    m, data = Methodology.from_dict(MIX), mix_data()
    factors = [
        {"key": "normalise.method", "choices": ["minmax", "rank"]},
        {"key": "weight", "noise": 0.0},  # does nothing: its indices must be ~0
    ]
    u = analyse(m, data, {"n": 512, "seed": 2, "factors": factors})
    s = u.sensitivity
    assert list(s.index) == ["normalise.method", "weight"]
    assert s.loc["normalise.method", "ST"] == pytest.approx(1.0, abs=0.05)
    assert s.loc["weight", "ST"] == pytest.approx(0.0, abs=1e-12)


# ---------------------------------------------------------------------------------------------------------
# declarations: spec block, files, notes, errors
# ---------------------------------------------------------------------------------------------------------


def test_the_spec_block_is_read_and_cli_style_overrides_win(toy: Dataset) -> None:
    spec = {
        **copy.deepcopy(TOY_SPEC),
        "uncertainty": {"n": 50, "seed": 1, "factors": [{"key": "weight", "noise": 0.2}]},
    }
    m = Methodology.from_dict(spec)
    assert Declaration.from_spec(m).n == 50
    u = analyse(m, toy, n=20, seed=2, sensitivity=False)
    assert u.n == 20 and u.analysis.declaration.seed == 2


def test_declaration_file_holds_a_block_or_a_spec(tmp_path: Any) -> None:
    p = tmp_path / "u.yaml"
    p.write_text("n: 12\nfactors:\n  - {key: aggregate.method, choices: [arithmetic_mean, harmonic_mean]}\n")
    assert Declaration.from_yaml(p).n == 12
    q = tmp_path / "spec.yaml"
    q.write_text("name: x\nuncertainty:\n  n: 7\n  factors: [{key: weight, noise: 0.1}]\n")
    assert Declaration.from_yaml(q).factors[0].noise == 0.1
    bad = tmp_path / "bad.yaml"
    bad.write_text("n: -1\nfactors:\n  - {key: weight, nosie: 0.1}\n")
    with pytest.raises(SpecErrors) as e:
        Declaration.from_yaml(bad)
    text = str(e.value)
    assert f"{bad}, n: must be a positive int. Got -1 instead." in text
    assert "factors.0.nosie: unknown factor key 'nosie'; closest 'noise'" in text


def test_every_problem_of_a_declaration_is_reported_at_once(toy: Dataset) -> None:
    m = Methodology.from_dict(TOY_SPEC)
    decl = {
        "factors": [
            {"key": "normalise.method", "choices": ["minmax", "zscor"]},
            {"key": "select.years", "values": [2019, 2020]},
            {"key": "weight", "noise": 0.1, "groups": ["indx"]},
            {
                "key": "data.cells",
                "cells": [{"territory": "zz", "indicator": "x", "period": "2020", "values": [1]}],
            },
            {"key": "title", "values": [1]},
        ]
    }
    with pytest.raises(SpecErrors) as e:
        UncertaintyAnalysis(m, toy, decl)
    rows = {(p.key, p.reason) for p in e.value.problems}
    msgs = "\n".join(p.message for p in e.value.problems)
    assert ("uncertainty.factors.0.levels.1", "unknown_method") in rows
    assert "unknown normalise method 'zscor'; closest: 'zscore'" in msgs
    assert ("uncertainty.factors.1.key", "bad_parameter") in rows and "select key" in msgs
    assert ("uncertainty.factors.2.groups", "unknown_group") in rows and "closest 'index'" in msgs
    assert ("uncertainty.factors.3.cells.0", "unknown_territory") in rows
    assert ("uncertainty.factors.4.key", "bad_parameter") in rows
    assert len(e.value.problems) == 5


def test_disputed_cells_come_from_the_notes_alt_value() -> None:
    m, data = two_territories()
    notes = pd.DataFrame(
        [
            {
                "territory": "b",
                "indicator": "y",
                "period": "2020",
                "kind": "contradiction",
                "text": "printed 1, chart 0",
                "source": "seed test l.1",
                "alt_value": "0",
            },
            {
                "territory": "b",
                "indicator": "y",
                "period": "2019",
                "kind": "x",
                "text": "",
                "source": "",
                "alt_value": "7",
            },
            {
                "territory": "a",
                "indicator": "x",
                "period": "2020",
                "kind": "x",
                "text": "",
                "source": "",
                "alt_value": None,
            },
        ]
    )
    data = Dataset(data.observations, data.territories, data.indicators, notes, data.tables)
    u = analyse(
        m,
        data,
        {
            "n": 64,
            "seed": 1,
            "sensitivity": False,
            "factors": [{"key": "data.cells", "from_notes": True, "p": 1.0}],
        },
    )
    # with p = 1 every replication reads b.y as 0: b scores 0 and drops to rank 2
    assert (u.samples["data.cells.b.y.2020"] == 0.0).all()
    assert (u.ranks["b"] == 2).all() and (u.scores["b"] == 0.0).all()
    assert [c.source for c in u.analysis.factors[0].cells] == ["seed test l.1"]


def test_default_declaration_varies_weights_and_skips_absent_notes(toy: Dataset) -> None:
    m = Methodology.from_dict(TOY_SPEC)
    u = analyse(m, toy, n=16, seed=0)
    assert [f.key for f in u.analysis.factors] == ["weight"]
    assert any("no note with an alt_value" in w for w in u.analysis.warnings)


def test_level_edits_switch_the_method_and_keep_what_fits() -> None:
    m = Methodology.from_dict(MIX)
    decl = Declaration.from_dict({"factors": MIX_FACTORS})
    assert level_edits(m, decl.factors[2], 1) == {"normalise": {"method": "rank"}}
    assert level_edits(m, decl.factors[2], 0) == {
        "normalise": {"method": "minmax", "params": {"a": 1, "b": 100}}
    }
    geo = level_edits(m, decl.factors[3], 1)
    assert geo == {"aggregate": {"method": "geometric_mean", "params": {"zeros": "offset"}}}
    assert edited(m, {"treat": None}).entries("treat") == []


# ---------------------------------------------------------------------------------------------------------
# outputs
# ---------------------------------------------------------------------------------------------------------


def test_statements_in_three_languages_and_json(tai: Dataset) -> None:
    from aimaq.engine.registry import load

    m = load("oecd_tai_2008")
    decl = {
        "n": 256,
        "seed": 1,
        "factors": [
            {"key": "weight", "noise": 0.25},
            {"key": "aggregate.method", "choices": ["arithmetic_mean", "harmonic_mean"]},
        ],
    }
    u = analyse(m, tai, decl)
    s = u.summary
    assert set(s.index) == set(u.nominal.territories) and len(s) == 23
    assert ((s["rank_q05"] <= s["median_rank"]) & (s["median_rank"] <= s["rank_q95"])).all()
    assert (s["rank_interval_share"] >= 0.9).all()
    probs = u.class_probabilities["quartile"]
    assert np.allclose(probs.sum(axis=1), 1.0) and list(probs.columns) == ["q1", "q2", "q3", "q4"]
    en, ru, kk = (u.statements("finland", lang) for lang in ("en", "ru", "kk"))
    lo, hi, pct = (
        int(s.loc["finland", "rank_q05"]),
        int(s.loc["finland", "rank_q95"]),
        s.loc["finland", "rank_interval_share"],
    )
    rank_text = f"rank {lo}–{hi} of 23" if lo != hi else f"rank {lo} of 23"
    assert en[0] == f"{rank_text} in {int(np.floor(100 * pct + 1e-9))} % of replications"
    assert en[1].startswith("quartile: class Top quarter in ")
    assert ru[1].startswith("quartile: класс «Верхний квартиль» в ") and "повторений" in ru[0]
    assert "Жоғарғы ширек" in kk[1] and "қайталаулардың" in kk[0]
    doc = json.loads(u.to_json())
    assert doc["n"] == 256 and doc["factors"][1]["levels"] == ["arithmetic_mean", "harmonic_mean"]
    assert doc["statements"]["finland"]["en"] == en
    assert {r["factor"] for r in doc["sensitivity"]} == {"weight", "aggregate.method"}
    full = json.loads(u.to_json(distributions=True))
    assert len(full["ranks"]) == 256 and len(full["ranks"][0]) == 23
    with pytest.raises(KeyError, match="closest 'finland'"):
        u.statements("finlnd")


def test_progress_reports_every_run(toy: Dataset) -> None:
    seen: list[tuple[int, int]] = []
    m = Methodology.from_dict(TOY_SPEC)
    u = analyse(
        m,
        toy,
        {"n": 100, "chunk": 30, "factors": [{"key": "weight", "noise": 0.1}]},
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[-1] == (u.runs, u.runs) == (300, 300)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_ranks_follow_the_result_table_rule_on_ties_and_missing_scores() -> None:
    from aimaq.engine.uncertainty import _min_ranks

    rng = np.random.default_rng(0)
    S = rng.integers(0, 5, size=(200, 30)).astype(float)  # many ties
    S[rng.random(S.shape) < 0.1] = np.nan
    expected = pd.DataFrame(S).rank(axis=1, ascending=False, method="min").to_numpy()
    np.testing.assert_array_equal(_min_ranks(S), expected)


def test_a_level_must_keep_the_nominal_classes(tai: Dataset) -> None:
    from aimaq.engine.registry import load

    m = load("oecd_tai_2008")
    with pytest.raises(SpecErrors) as e:
        UncertaintyAnalysis(m, tai, {"factors": [{"key": "classify.params.n_classes", "values": [4, 5]}]})
    (problem,) = e.value.problems
    assert problem.key == "uncertainty.factors.0.levels.1"
    assert "classification 'quartile' has 5 classes, the nominal spec 4" in problem.message


def test_a_cell_varied_twice_is_refused() -> None:
    m, data = two_territories()
    cell = {"territory": "b", "indicator": "y", "period": "2020", "values": [0.5]}
    with pytest.raises(
        SpecErrors, match=r"uncertainty.factors.1: cell data.cells.b.y.2020 is already varied"
    ):
        UncertaintyAnalysis(m, data, {"factors": [{"key": "data.cells", "cells": [cell]}] * 2})


def test_band_scoring_with_a_fallback_indicator_matches_the_pipeline() -> None:
    # seed-004-style points: a band table, a missing value scored by another indicator's printed points,
    # a varied band edge (both rows move) and a disputed cell read either way
    rows = [
        ("t1", "share", 2020, 30.0),
        ("t3", "share", 2020, 10.0),
        ("t4", "share", 2020, 22.0),
        ("t1", "share_points", 2020, 1.0),
        ("t2", "share_points", 2020, 2.0),
        *[(t, "other", 2020, v) for t, v in (("t1", 5.0), ("t2", 25.0), ("t3", 15.0), ("t4", 21.0))],
    ]
    table = [{"lower": None, "upper": 20, "points": 0}, {"lower": 20, "upper": None, "points": 1}]
    spec = {
        "name": "fb",
        "title": {"en": "F"},
        "indicators": ["share", "other"],
        "normalise": {
            "default": {"method": "bands", "params": {"table": table}},
            "by_indicator": {
                "share": {
                    "method": "bands",
                    "params": {"table": table, "missing": 0, "fallback": "share_points"},
                }
            },
        },
        "aggregate": {"method": "weighted_sum", "weights": "equal"},
    }
    m = Methodology.from_dict(spec)
    factors = [
        {
            "key": "normalise.default.params.table.0.upper",
            "also": ["normalise.default.params.table.1.lower"],
            "values": [16, 20, 24],
        },
        {
            "key": "data.cells",
            "cells": [{"territory": "t4", "indicator": "share", "period": "2020", "values": [18.0]}],
        },
    ]
    a = UncertaintyAnalysis(m, long(rows), {"factors": factors})
    U = sample_unit(16, a.dims, seed=4)
    (s1, _), (s2, _) = a.evaluate(U), a.evaluate_naive(U)
    np.testing.assert_array_equal(s1, s2)
    assert (s1[:, 1] >= 2.0).all()  # t2 keeps its fallback points (2) in every replication


def test_default_view_of_the_presets_reads_the_bundled_notes_alt_value(bundled_store: Any) -> None:
    """The bundled store carries the notes' proposed readings (Dataset.notes.alt_value), so a preset's
    default view varies them: seed 003 note n085 reads Semey's X4 5316940 as 531694 (Table 40, l.4140)."""
    from aimaq.engine.registry import load

    data = bundled_store.dataset()
    m = load("seed003_depression_groups")
    u = analyse(m, data, Declaration.default(m), n=64, seed=3, sensitivity=False)  # not the spec's block
    assert [f.key for f in u.analysis.factors] == ["weight", "data.cells"]
    col = "data.cells.semey.depr_x4_industrial_output_per_1000.2019"
    assert set(u.samples[col]) == {5316940.0, 531694.0}
    # disputed inputs of transforms vary too (tests/engine/test_uncertainty_transform.py)
    v = analyse(load("seed003_resource_growth_ratios"), data, n=8, seed=3, sensitivity=False)
    assert "data.cells.glubokoe.resource_share_eap.2019" in v.samples.columns
    # a classification on a derived indicator reads the selected territories only (not the reference kz)
    w = analyse(load("seed001_scientific_potential"), data, n=8, seed=3, sensitivity=False)
    assert w.ranks.shape == (8, 20)
