"""The pipeline on hand-computed cases: every step, several years, categorical bands, early errors."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from tests.engine.conftest import TOY_SPEC, long

from aimaq.dataset import Dataset
from aimaq.engine import Methodology, SpecErrors


def toy_spec(**changes: object) -> Methodology:
    spec = copy.deepcopy(TOY_SPEC)
    spec.update(changes)
    return Methodology.from_dict({k: v for k, v in spec.items() if v is not None})  # None removes a step


def test_hand_computed_scores_ranks_and_classes(toy: Dataset) -> None:
    r = toy_spec().compute(toy)
    t = r.table_for(2020)
    # x 10/20/30 -> 0/.5/1; y (lower is better) 5/1/3 -> 0/1/.5; weights 3:1 -> .75/.25
    assert t["score"].to_dict() == pytest.approx({"a": 0.0, "b": 0.625, "c": 0.875})
    assert t["rank"].to_dict() == {"a": 3, "b": 2, "c": 1}
    assert t["class"].to_dict() == {"a": "low", "b": "high", "c": "high"}
    assert t["class_label_ru"].to_dict() == {"a": "Низкий", "b": "Высокий", "c": "Высокий"}
    norm = r.data["normalised"].xs(2020, level="year")
    assert norm.loc["b"].tolist() == pytest.approx([0.5, 1.0])


def test_log_records_every_step_with_defaults_and_learned(toy: Dataset) -> None:
    r = toy_spec().compute(toy)
    steps = [(rec.step, rec.key, rec.method) for rec in r.log]
    assert steps == [
        ("select", "select", "select"),
        ("normalise", "normalise", "minmax"),
        ("weight", "weight", "explicit"),
        ("aggregate", "aggregate", "arithmetic_mean"),
        ("classify", "classify", "thresholds"),
    ]
    norm = r.log[1]
    assert norm.params == {"a": 0, "b": 1}
    assert norm.learned["min"] == [[10.0, 1.0]] and norm.learned["max"] == [[30.0, 5.0]]
    assert r.log[2].learned["weights"] == {"x": [0.75], "y": [0.25]}
    assert r.log[3].params == {"nan": "skip"}  # a default filled from the signature
    assert "6 observations" in r.log[0].input and "test row 1" in r.log[0].input


def test_direction_from_the_spec_overrides_the_data(toy: Dataset) -> None:
    r = toy_spec(indicators=["x", {"code": "y", "direction": 1}]).compute(toy)
    # y no longer reversed: 5/1/3 -> 1/0/.5
    assert r.table_for()["score"].to_dict() == pytest.approx({"a": 0.25, "b": 0.375, "c": 0.875})


def test_groups_tree_equal_weights_within_each_level() -> None:
    rows = [
        (t, i, 2021, v)
        for t, vals in {"p": (0, 0, 0), "q": (1, 1, 0), "r": (2, 2, 2)}.items()
        for i, v in zip(("i1", "i2", "i3"), vals, strict=True)
    ]
    data = long(rows)
    spec = {
        "name": "tree",
        "title": {"en": "Tree"},
        "indicators": ["i1", "i2", "i3"],
        "groups": [{"id": "g", "children": ["i1", "i2"]}, {"id": "top", "children": ["g", "i3"]}],
        "normalise": {"method": "minmax", "params": {"a": 0, "b": 1}},
        "aggregate": {"method": "arithmetic_mean", "weights": "equal"},
    }
    r = Methodology.from_dict(spec).compute(data)
    t = r.table_for()
    # i1, i2: 0/.5/1 -> g 0/.5/1; i3: 0/0/1 -> top = (g + i3) / 2 = 0/.25/1
    assert t["g"].to_dict() == pytest.approx({"p": 0.0, "q": 0.5, "r": 1.0})
    assert t["score"].to_dict() == pytest.approx({"p": 0.0, "q": 0.25, "r": 1.0})
    assert list(r.data["aggregated"].columns) == ["g", "top"]
    ex = r.explain("q")
    # effective weights 1/4, 1/4, 1/2; contributions add up to the score
    assert ex.indicators["weight"].tolist() == pytest.approx([0.25, 0.25, 0.5])
    assert ex.indicators["contribution"].sum() == pytest.approx(0.25)


def test_several_years_with_transform_and_last_available_imputation() -> None:
    rows = []
    grp = {"a": (100.0, 110.0, 121.0), "b": (200.0, 200.0, 180.0), "c": (50.0, 60.0, None)}
    pop = {"a": 10.0, "b": 40.0, "c": 5.0}
    for t, vals in grp.items():
        for y, v in zip((2019, 2020, 2021), vals, strict=True):
            if v is not None:
                rows.append((t, "grp", y, v))
            rows.append((t, "population", y, pop[t]))
    data = long(rows)
    spec = {
        "name": "panel",
        "title": {"en": "Panel"},
        "select": {"years": {"from": 2020, "to": 2021}},
        "transform": [
            {"code": "grp_pc", "method": "per_capita", "params": {"x": "grp", "population": "population"}},
            {"code": "grp_growth", "method": "growth_rate", "params": {"x": "grp"}},
        ],
        "indicators": ["grp_pc", "grp_growth"],
        "impute": {"method": "last_available"},
        "normalise": {"method": "minmax", "params": {"a": 0, "b": 1}},
        "aggregate": {"method": "arithmetic_mean", "weights": "equal"},
    }
    r = Methodology.from_dict(spec).compute(data)
    assert r.years == (2020, 2021)
    tr = r.data["transformed"]
    assert tr.loc[(2020, "a"), "grp_pc"] == pytest.approx(11.0)
    assert tr.loc[(2021, "a"), "grp_growth"] == pytest.approx(10.0)
    assert tr.loc[(2021, "b"), "grp_growth"] == pytest.approx(-10.0)
    assert np.isnan(tr.loc[(2021, "c"), "grp_pc"])  # c has no 2021 GRP
    imp = r.data["imputed"]
    # the last available year fills c in 2021 with its 2020 values (12 per capita, growth 20 %)
    assert imp.loc[(2021, "c"), "grp_pc"] == pytest.approx(12.0)
    assert imp.loc[(2021, "c"), "grp_growth"] == pytest.approx(20.0)
    # normalisation is per year: 2020 grp_pc a 11, b 5, c 12 -> a (11-5)/7
    assert r.data["normalised"].loc[(2020, "a"), "grp_pc"] == pytest.approx(6 / 7)
    assert set(r.table.index.get_level_values("year")) == {2020, 2021}


def test_ratio_to_a_reference_territory_outside_the_selection() -> None:
    rows = [("d1", "inv", 2020, 5.0), ("d2", "inv", 2020, 15.0), ("oblast", "inv", 2020, 20.0)]
    territories = pd.DataFrame(
        {"level": ["district", "district", "region"], "parent": ["oblast", "oblast", None]},
        index=pd.Index(["d1", "d2", "oblast"], name="code"),
    )
    data = long(rows, territories=territories)
    spec = {
        "name": "ratio_ref",
        "title": {"en": "Ratio"},
        "select": {"territories": {"level": "district"}},
        "transform": [
            {
                "code": "inv_ratio",
                "method": "ratio_to_reference",
                "params": {"x": "inv", "reference": "oblast", "scale": 100},
            }
        ],
        "indicators": ["inv_ratio"],
        "classify": {
            "on": "inv_ratio",
            "data": "transformed",
            "method": "thresholds",
            "classes": [
                {"id": "below", "interval": [None, 50], "closed": "neither"},
                {"id": "above", "interval": [50, None], "closed": "left"},
            ],
        },
    }
    r = Methodology.from_dict(spec).compute(data)
    assert r.territories == ("d1", "d2")
    assert r.data["transformed"]["inv_ratio"].tolist() == pytest.approx([25.0, 75.0])
    assert r.table_for()["class"].to_dict() == {"d1": "below", "d2": "above"}
    assert "score" not in r.table.columns  # no aggregate step


def test_band_scoring_with_categorical_labels_and_missing_as_zero() -> None:
    """Seed 004's pattern: one reference table for every indicator, labels -> points, missing -> 0, sum."""
    table = pd.DataFrame(
        [
            {"indicator_key": "programme", "score": 0, "category_code": "no", "category_kk": "жоқ"},
            {"indicator_key": "programme", "score": 1, "category_code": "yes", "category_kk": "бар"},
            {
                "indicator_key": "satisfaction",
                "score": 0,
                "lower": None,
                "upper": 15.0,
                "upper_inclusive": True,
            },
            {
                "indicator_key": "satisfaction",
                "score": 1,
                "lower": 15.0,
                "lower_inclusive": False,
                "upper": 25.0,
                "upper_inclusive": True,
            },
            {
                "indicator_key": "satisfaction",
                "score": 2,
                "lower": 25.0,
                "lower_inclusive": False,
                "upper": None,
            },
        ]
    )
    rows = [
        ("t1", "programme", 2020, "Бар"),
        ("t2", "programme", 2020, "жоқ"),
        ("t1", "satisfaction", 2020, 15.0),
        ("t2", "satisfaction", 2020, 30.0),
        ("t3", "satisfaction", 2020, 20.0),
    ]
    indicators = pd.DataFrame(
        {"kind": ["categorical", "numeric"], "direction": [1, 1]},
        index=pd.Index(["programme", "satisfaction"], name="code"),
    )
    data = long(rows, indicators=indicators, tables={"bands_t1": table})
    spec = {
        "name": "bands_demo",
        "title": {"en": "Bands"},
        "indicators": ["programme", "satisfaction"],
        "normalise": {"method": "bands", "params": {"table": "bands_t1", "missing": 0}},
        "aggregate": {"method": "weighted_sum", "weights": "equal"},
    }
    r = Methodology.from_dict(spec).compute(data)
    n = r.data["normalised"].xs(2020, level="year")
    # "Бар" matches "бар" case-insensitively; t3's programme is missing -> 0 points; 15.0 is in (-inf, 15]
    assert n["programme"].to_dict() == {"t1": 1.0, "t2": 0.0, "t3": 0.0}
    assert n["satisfaction"].to_dict() == {"t1": 0.0, "t2": 2.0, "t3": 1.0}
    assert r.table_for()["score"].to_dict() == pytest.approx({"t1": 1.0, "t2": 2.0, "t3": 1.0})
    assert r.data["selected"].loc[(2020, "t1"), "programme"] == "Бар"


def test_spec_and_data_problems_are_reported_together_before_computing(toy: Dataset) -> None:
    spec = copy.deepcopy(TOY_SPEC)
    spec["indicators"] = ["x", "yy"]
    spec["weight"] = {"method": "explicit", "params": {"weights": {"x": 3, "yy": 1}}}
    spec["select"] = {"years": [2020, 2019]}
    spec["classify"] = {"method": "kmeans", "params": {"k": 5}}
    with pytest.raises(SpecErrors) as info:
        Methodology.from_dict(spec, path="my_index.yaml").compute(toy)
    text = str(info.value)
    assert (
        "my_index.yaml, indicators.1: indicator 'yy' is not in the data; closest 'y' [unknown_indicator]"
        in text
    )
    assert "my_index.yaml, select.years.1: no data for 2019" in text
    assert (
        "my_index.yaml, classify.params.k: must be an int in [1, 3] (3 territories selected). Got 5 instead."
        in text
    )
    assert text.endswith("3 problems in my_index.yaml; nothing was computed.")


def test_a_method_error_names_the_key_path(toy: Dataset) -> None:
    m = toy_spec(normalise={"method": "minmax", "params": {"a": 1, "b": 0}})
    with pytest.raises(SpecErrors) as info:
        m.compute(toy)
    problem = info.value.problems[0]
    assert problem.key in ("normalise.params.a", "normalise.params.b", "normalise")
    assert problem.reason == "bad_parameter"


def test_regen_reuses_earlier_steps_and_respects_edits(toy: Dataset) -> None:
    r = toy_spec().compute(toy)
    assert r.regen({}) == r
    r2 = r.regen({"weight.params.weights": {"x": 1, "y": 1}})
    assert r2.table_for()["score"].to_dict() == pytest.approx({"a": 0.0, "b": 0.75, "c": 0.75})
    assert r2.log[:2] == r.log[:2]  # select and normalise records are reused
    assert r.table_for()["score"]["b"] == pytest.approx(0.625)  # the original is unchanged
    r3 = r.regen({"aggregate.method": "minimum"}, from_step="aggregate")
    assert r3.table_for()["score"].to_dict() == pytest.approx({"a": 0.0, "b": 0.5, "c": 0.5})
    r4 = r.regen({"title.en": "Renamed"})
    assert r4.methodology.title["en"] == "Renamed" and r4.table.equals(r.table)
    with pytest.raises(SpecErrors, match="bad_edit"):
        r.regen({"normalise.method.x": 1})


def test_what_if_changes_one_value_and_returns_a_new_result(toy: Dataset) -> None:
    r = toy_spec().compute(toy)
    r2 = r.what_if("a", "x", 40.0)
    assert r2.table_for()["rank"]["a"] == 1
    assert r.table_for()["rank"]["a"] == 3
    assert "what-if" in r2.log[0].input


def test_explain_contributions_effects_ranks_and_roles(toy: Dataset) -> None:
    r = toy_spec().compute(toy)
    ex = r.explain("b")
    assert ex.score == pytest.approx(0.625) and ex.rank == 2 and ex.n_territories == 3
    assert ex.indicators["contribution"].to_dict() == pytest.approx({"x": 0.375, "y": 0.25})
    # effect: score minus the score with the indicator at its peer mean (x mean .5 -> no change; y mean .5)
    assert ex.indicators["effect"].to_dict() == pytest.approx({"x": 0.0, "y": 0.125})
    assert ex.indicators["rank"].to_dict() == {"x": 2.0, "y": 1.0}
    assert ex.strengths == ("y",) and ex.weaknesses == ("x",)
    assert ex.classes == {"class": "high"}
    assert "b, 2020: score 0.625, rank 2 of 3" in str(ex)
    with pytest.raises(KeyError, match="closest 'a'"):
        r.explain("aa")


def test_explain_a_geometric_mean_has_effects_but_no_additive_contributions(toy: Dataset) -> None:
    m = toy_spec(
        normalise={"method": "minmax", "params": {"a": 1, "b": 10}}, aggregate={"method": "geometric_mean"}
    )
    ex = m.compute(toy).explain("c")
    assert not ex.additive
    assert ex.indicators["contribution"].isna().all()
    assert ex.indicators["effect"].notna().all()


def test_exports(toy: Dataset, tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = toy_spec().compute(toy)
    r.to_excel(tmp_path / "r.xlsx")
    sheets = pd.read_excel(tmp_path / "r.xlsx", sheet_name=None)
    assert {"table", "selected", "normalised", "weights", "aggregated", "classified", "log"} <= set(sheets)
    text = r.to_json(tmp_path / "r.json")
    assert '"methodology": "toy"' in text and (tmp_path / "r.json").is_file()
    r.to_csv(tmp_path / "r.csv")
    assert pd.read_csv(tmp_path / "r.csv")["territory"].tolist() == ["a", "b", "c"]
    frame = r.to_frame("normalised")
    assert list(frame.columns) == ["year", "territory", "x", "y"]


def test_result_tables_cannot_be_changed_through_their_views(toy: Dataset) -> None:
    r = toy_spec().compute(toy)
    view, table = r.data["normalised"], r.table
    view.iloc[0, 0] = 99.0
    table.iloc[0, 0] = 99.0
    assert r.data["normalised"].iloc[0, 0] == 0.0
    assert r.table.iloc[0, 0] == 0.0


def test_territory_selection_by_level_parent_list_and_validity() -> None:
    territories = pd.DataFrame(
        {
            "level": ["region", "district", "district", "district", "monotown"],
            "parent": [None, "kar", "kar", "other", "kar_d"],
            "valid_from": [None, None, "2022-01-01", None, None],
            "valid_to": [None, "2021-12-31", None, None, None],
        },
        index=pd.Index(["kar", "kar_d", "kar_new", "oth_d", "town"], name="code"),
    )
    rows = [(c, "v", 2020, float(i)) for i, c in enumerate(territories.index)]
    data = long(rows, territories=territories)

    def chosen(sel: dict) -> tuple[str, ...]:
        spec = {"name": "s", "title": {"en": "S"}, "indicators": ["v"], "select": {"territories": sel}}
        return Methodology.from_dict(spec).compute(data).territories

    assert chosen({"level": "district"}) == ("kar_d", "kar_new", "oth_d")
    assert chosen({"parent": "kar"}) == ("kar_d", "kar_new")
    assert chosen({"within": "kar"}) == ("kar_d", "kar_new", "town")
    assert chosen({"level": "district", "at": "2021-06-01"}) == ("kar_d", "oth_d")
    assert chosen({"codes": ["town", "kar"], "exclude": ["kar"]}) == ("town",)


def test_score_batch_reaggregates_many_replications_at_once(toy: Dataset) -> None:
    from aimaq.engine.pipeline import score_batch

    r = toy_spec().compute(toy)
    st = r.state
    assert st.Xn is not None
    batch = np.stack([st.Xn, st.Xn[..., ::-1]])  # two replications: as computed, and x and y swapped
    scores = score_batch(r.methodology, st, batch)
    assert scores.shape == (2, 1, 3)
    np.testing.assert_allclose(scores[0, 0], r.table_for()["score"].to_numpy(float))
    weights = {"index": np.array([[[0.5, 0.5]], [[1.0, 0.0]]])}  # (replication, year, child)
    varied = score_batch(r.methodology, st, st.Xn[None], weights)
    np.testing.assert_allclose(varied[:, 0], [[0.0, 0.75, 0.75], [0.0, 0.5, 1.0]])
    assert r.state_before("normalise").Xn is None


def test_period_observations_fill_their_end_year_unless_a_single_year_is_observed() -> None:
    obs = pd.DataFrame(
        [
            {"territory": "a", "indicator": "v", "period": "2013-2021", "value": 1.0},
            {"territory": "b", "indicator": "v", "period": "2013-2021", "value": 0.5},
            {"territory": "b", "indicator": "v", "period": "2021", "value": 0.75},
            {"territory": "c", "indicator": "v", "period": "2008-2021", "value": 0.0},
            {"territory": "c", "indicator": "v", "period": "2015-2021", "value": 0.25},
        ]
    )
    data = Dataset.from_long(obs)
    spec = {"name": "spans", "title": {"en": "S"}, "indicators": ["v"], "select": {"years": [2021]}}
    r = Methodology.from_dict(spec).compute(data)
    assert r.data["selected"]["v"].tolist() == [1.0, 0.75, 0.25]  # the single year and the shortest span win
    assert "2 value(s) come from period observations" in r.warnings[0]
    spec["select"]["spans"] = "ignore"
    assert Methodology.from_dict(spec).compute(data).territories == ("b",)


def test_explain_a_sum_of_points_weight_is_one_per_indicator(toy: Dataset) -> None:
    m = toy_spec(aggregate={"method": "weighted_sum", "weights": "equal"}, weight=None, classify=None)
    ex = m.compute(toy).explain("b")
    assert ex.score == pytest.approx(1.5)  # 0.5 + 1 points
    assert ex.indicators["weight"].tolist() == [1.0, 1.0]
    assert ex.indicators["contribution"].tolist() == pytest.approx([0.5, 1.0])
    assert "-" not in str(ex).splitlines()[0]


def test_parameter_values_are_checked_before_computing(toy: Dataset) -> None:
    m = toy_spec(
        classify={"method": "quantiles", "params": {"n_classes": 1}},
        aggregate={"method": "geometric_mean", "params": {"zeros": "whatever"}},
    )
    with pytest.raises(SpecErrors) as info:
        m.compute(toy)
    assert [(p.key, p.reason) for p in info.value.problems] == [
        ("aggregate.params.zeros", "bad_parameter"),
        ("classify.params.n_classes", "bad_parameter"),
    ]
    assert "n_classes: must be an int >= 2. Got 1 instead." in str(info.value)


def test_missing_values_scored_by_missing_or_by_a_fallback_indicator_are_logged() -> None:
    rows = [
        ("t1", "share", 2020, 30.0),
        ("t3", "share", 2020, 10.0),
        ("t1", "share_points", 2020, 1.0),
        ("t2", "share_points", 2020, 2.0),
        *[(t, "other", 2020, 5.0) for t in ("t1", "t2", "t3")],
    ]
    data = long(rows)
    table = [{"lower": None, "upper": 20, "points": 0}, {"lower": 20, "upper": None, "points": 1}]
    share = {"method": "bands", "params": {"table": table, "missing": 0, "fallback": "share_points"}}
    spec = {
        "name": "fb",
        "title": {"en": "F"},
        "indicators": ["share", "other"],
        "normalise": {
            "default": {"method": "bands", "params": {"table": table}},
            "by_indicator": {"share": share},
        },
    }
    r = Methodology.from_dict(spec).compute(data)
    # t2 has no value: its printed points (2) are used; t1 keeps its own score (1), t3 scores 0
    assert r.data["normalised"]["share"].tolist() == [1.0, 2.0, 0.0]
    assert any("1 missing value(s) take the points of 'share_points'" in w for w in r.warnings)
    share["params"].pop("fallback")
    r2 = Methodology.from_dict(spec).compute(data)
    assert r2.data["normalised"]["share"].tolist() == [1.0, 0.0, 0.0]
    assert any("'share': 1 missing value(s) scored 0 (`missing: 0`)" in w for w in r2.warnings)
    bad = dict(spec, normalise={"method": "minmax", "params": {"fallback": "share_points"}})
    with pytest.raises(SpecErrors, match="fallback: an indicator code, for `bands` or `categories`"):
        Methodology.from_dict(bad)


def test_a_period_named_in_select_years_wins_over_single_years() -> None:
    obs = pd.DataFrame(
        [
            {"territory": "kz", "indicator": "p", "period": "2013-2018", "value": 0.5078},
            {"territory": "kz", "indicator": "p", "period": "2018", "value": 0.9},
            {"territory": "kz", "indicator": "p", "period": "2008-2018", "value": 0.1},
        ]
    )
    spec = {"name": "per", "title": {"en": "P"}, "indicators": ["p"], "select": {"years": ["2013-2018"]}}
    r = Methodology.from_dict(spec).compute(Dataset.from_long(obs))
    assert r.years == (2018,)
    assert r.data["selected"]["p"].tolist() == [0.5078]
    spec["select"]["years"] = [2018]
    assert Methodology.from_dict(spec).compute(Dataset.from_long(obs)).data["selected"]["p"].tolist() == [0.9]


def test_spec_corrections_replace_source_cells_and_are_logged(toy: Dataset) -> None:
    notes = pd.DataFrame(
        [{"id": "n1", "territory": "a", "indicator": "x", "period": "2020", "alt_value": "25"}]
    )
    data = Dataset(toy.observations, toy.territories, toy.indicators, notes)
    m = toy_spec(
        corrections=[
            {"territory": "a", "indicator": "y", "year": 2020, "value": 0.5, "reason": "printed 5, a typo"},
            {"territory": "a", "indicator": "x", "year": 2020, "note": "n1"},
        ]
    )
    r = m.compute(data)
    sel = r.data["selected"].xs(2020, level="year")
    assert sel.loc["a"].tolist() == [25.0, 0.5]
    record = r.log[0]
    assert [(c["indicator"], c["was"]) for c in record.learned["corrections"]] == [("y", 5.0), ("x", 10.0)]
    assert any("2 source cell(s) corrected by the spec: a y 2020: 5.0 -> 0.5" in w for w in record.warnings)
    assert "printed 5, a typo" in record.input
    # the Result's Dataset is the original: regen and what-if start from the published cells
    assert r.dataset is data and r.regen({}) == r
    bad = toy_spec(corrections=[{"territory": "aa", "indicator": "x", "year": 2020, "note": "n9"}])
    with pytest.raises(SpecErrors) as info:
        bad.compute(data)
    assert [p.key for p in info.value.problems] == ["corrections.0.territory", "corrections.0.note"]


def test_summaries_over_territories_are_rows_that_expected_can_address(toy: Dataset) -> None:
    """Scores a 0, b 0.625, c 0.875 (conftest): sum 1.5, mean 0.5, share of the maximum 1 = 50 %;
    normalised y of a and b: 0 + 1. The seed 000 form: Table 2 sums four regions, P = 37.5 / 72 (l.382)."""
    from aimaq.engine.reproduce import reproduce

    spec = {
        **copy.deepcopy(TOY_SPEC),
        "summarise": [
            {"id": "all", "over": "selected", "stat": "sum"},
            {"id": "avg", "stat": "mean", "of": ["score", "x"]},
            {"id": "p", "stat": "share_of_max", "of": "score", "max": 1},
            {"id": "ab", "over": ["a", "b"], "stat": "sum", "of": "y"},
        ],
        "expected": {"score": {"all": 1.5, "p": 50, "c": 0.875}, "y": {"ab": 1}, "x": {"avg": 0.5}},
    }
    m = Methodology.from_dict(spec, path="toy.yaml")
    r = m.compute(toy)
    t = r.table.xs(2020, level="year")
    assert t.loc["all", "score"] == pytest.approx(1.5)
    assert t.loc["avg", "score"] == pytest.approx(0.5)
    assert t.loc["p", "score"] == pytest.approx(50.0)
    assert t["summary"].to_dict() == {
        "a": False,
        "b": False,
        "c": False,
        "all": True,
        "avg": True,
        "p": True,
        "ab": True,
    }
    assert pd.isna(t.loc["all", "rank"]) and pd.isna(t.loc["all", "class"])
    assert t.loc["c", "rank"] == 1  # ranks are those of the territories alone
    s = r.data["summarised"].xs(2020, level="year")
    assert s.loc["all", "x"] == pytest.approx(1.5) and s.loc["ab", "y"] == pytest.approx(1.0)
    assert np.isnan(s.loc["ab", "score"])
    assert [x.key for x in r.log if x.step == "summarise"] == [f"summarise.{i}" for i in range(4)]
    report = reproduce(m, toy, r)
    assert report.ok and report.counts()["reproduced"] == 5
    assert r.regen({}) == r
    r2 = r.regen({"summarise.2.max": 2})
    assert r2.table.loc[(2020, "p"), "score"] == pytest.approx(25.0)
    assert list(r.territories) == ["a", "b", "c"]
    assert r.table_for(2020).index.tolist() == ["a", "b", "c"] and "summary" not in r.table_for(2020)
    assert r.table_for(2020, summaries=True).loc["p", "score"] == pytest.approx(50.0)


def test_summary_problems_are_reported_with_their_key_paths(toy: Dataset) -> None:
    with pytest.raises(SpecErrors) as err:
        Methodology.from_dict({**copy.deepcopy(TOY_SPEC), "summarise": {"id": "p", "stat": "share_of_max"}})
    assert "summarise: 'max' is a required property" in str(err.value)
    spec = {
        **copy.deepcopy(TOY_SPEC),
        "summarise": [
            {"id": "a", "stat": "sum"},
            {"id": "s", "stat": "mean", "over": ["a", "zz"], "of": "nope"},
        ],
    }
    with pytest.raises(SpecErrors) as err:
        Methodology.from_dict(spec, path="t.yaml").compute(toy)
    text = str(err.value)
    assert "t.yaml, summarise.0.id: 'a' is a selected territory" in text
    assert "t.yaml, summarise.1.over.1: territory 'zz' is not selected" in text
    assert "t.yaml, summarise.1.of: indicator 'nope' is not in the data" in text
    with pytest.raises(SpecErrors, match="already has 'score'"):
        Methodology.from_dict(
            {
                **copy.deepcopy(TOY_SPEC),
                "summarise": [
                    {"id": "s", "stat": "sum", "of": "score"},
                    {"id": "s", "stat": "mean", "of": "score"},
                ],
            }
        )


def test_window_transforms_run_from_a_spec() -> None:
    """A share over 4 years with one year at exactly 30 (not above: seed 002 l.60-61 says "более 30 %")."""
    rows = [
        (t, "s", y, v)
        for t, vals in {"a": [31, 30, 35, 40], "b": [45, 50, 55, 60]}.items()
        for y, v in zip(range(2016, 2020), vals, strict=True)
    ]
    spec = {
        "name": "w",
        "title": {"en": "W"},
        "select": {"years": [2019]},
        "indicators": ["s_min", "years_above"],
        "transform": [
            {"code": "s_min", "method": "period_min", "params": {"x": "s", "window": 4}},
            {
                "code": "years_above",
                "method": "period_count",
                "params": {"x": "s", "window": 4, "threshold": 30},
            },
        ],
    }
    t = Methodology.from_dict(spec).compute(long(rows)).data["transformed"].xs(2019, level="year")
    assert t.to_dict() == {"s_min": {"a": 30.0, "b": 45.0}, "years_above": {"a": 3.0, "b": 4.0}}


def test_classify_on_raw_inputs_and_argmax_over_shares() -> None:
    """`on:` names raw indicators that are neither leaves nor derived (the mining divisions' outputs);
    argmax gives the division with the largest share; a tie is unclassified and named in the log."""
    out = {"a": (70.0, 20.0, 10.0), "b": (20.0, 30.0, 50.0), "c": (40.0, 40.0, 20.0)}
    rows = [
        (t, code, 2019, v)
        for t, vals in out.items()
        for code, v in zip(("coal", "oil_gas", "metals"), vals, strict=True)
    ]
    rows += [(t, "total", 2019, 100.0) for t in out]
    text = (
        "name: sub\ntitle: {en: S}\nselect: {years: [2019]}\nindicators: [oil_share]\n"
        "transform: [{code: oil_share, method: share, params: {x: oil_gas, total: total}}]\n"
        "classify:\n"
        "  - {id: dominant, on: [coal, oil_gas, metals], method: argmax}\n"
        "  - {id: big_coal, on: coal, method: thresholds,\n"
        "     classes: [{id: small, interval: [null, 50], closed: right},\n"
        "               {id: big, interval: [50, null], closed: neither}]}\n"
    )
    m = Methodology.from_text(text, path="sub.yaml")
    r = m.compute(long(rows))
    t = r.table.xs(2019, level="year")
    assert t["dominant"].to_dict() == {"a": "coal", "b": "metals", "c": None} or (
        t.loc["a", "dominant"] == "coal"
        and t.loc["b", "dominant"] == "metals"
        and pd.isna(t.loc["c", "dominant"])
    )
    assert t["big_coal"].tolist() == ["big", "small", "small"]
    assert any(
        "2019, c: tie for the largest value between coal, oil_gas (unclassified)" in w for w in r.warnings
    )
    with pytest.raises(SpecErrors) as err:
        Methodology.from_text(
            text.replace("[coal, oil_gas, metals]", "[coal, oil_gaz, metals]"), path="sub.yaml"
        ).compute(long(rows))
    assert "sub.yaml, classify.0.on.1: indicator 'oil_gaz' is not in the data; closest 'oil_gas'" in str(
        err.value
    )
    with pytest.raises(SpecErrors, match="argmax compares several columns"):
        Methodology.from_text(text.replace("[coal, oil_gas, metals]", "coal"), path="sub.yaml")
