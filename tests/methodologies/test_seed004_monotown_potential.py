"""Seed 004 presets: the monotown innovation-potential scoring (Table 1), totals and classes (Table 2).

Published values are pinned through the system's own reproduction report (the spec's ``expected:`` blocks
against the bundled observations), never recomputed by hand here; the documented deviations are pinned by
their computed values and reasons. Line numbers refer to ``004_1ae37a956d9e9e50.txt``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from aimaq.dataset import Dataset
from aimaq.engine.registry import METHODOLOGY_DIR, load
from aimaq.engine.reproduce import ReproductionReport, reproduce
from aimaq.engine.result import Result
from aimaq.methods.normalise import validate_bands
from aimaq.store.repository import Store

MAIN = "seed004_monotown_potential"
STRICT = "seed004_monotown_potential_missing_zero"
TOWNS = ("balkhash", "zhezkazgan", "karazhal", "saran", "satpayev", "temirtau", "shakhtinsk", "abai_town")
#: Table 2, l.491, in the printed column order (Балқаш ... Абай, l.486)
PRINTED_TOTALS = dict(zip(TOWNS, (39, 32, 26, 34, 40, 38, 28, 28), strict=True))
#: Table 1, 2.6 unemployment: the printed points (l.301) of the values lost on l.299
PRINTED_2_6 = dict(zip(TOWNS, (4, 4, 4, 5, 4, 4, 4, 4), strict=True))
UNREADABLE = "value unreadable: published points used"


@pytest.fixture(scope="module")
def data(bundled_store: Store) -> Dataset:
    """The bundled seed data with the reference tables the spec names (band table, mechanisms)."""
    ds = bundled_store.dataset()
    return dataclasses.replace(ds, tables={n: bundled_store.reference(n) for n in bundled_store.references()})


@pytest.fixture(scope="module")
def result(data: Dataset) -> Result:
    return load(MAIN).compute(data)


@pytest.fixture(scope="module")
def report(data: Dataset, result: Result) -> ReproductionReport:
    return reproduce(load(MAIN), data, result)


def _cells(rep: ReproductionReport) -> pd.DataFrame:
    return rep.to_frame().set_index(["territory", "column"])


# ------------------------------------------------------------------------------------------ the spec itself


def test_specs_are_valid_and_describe_18_indicators_in_5_groups() -> None:
    for name in (MAIN, STRICT):
        m = load(name)
        assert m.problems() == []
        assert len(m.leaves) == 18
        assert m.root == "innovation_potential"
        assert [len(m.children(g)) for g in m.children(m.root)] == [4, 8, 2, 2, 2]  # l.139-145, Table 1
    assert load(MAIN).status == "preset" and load(STRICT).status == "variant"


def test_strict_variant_differs_from_the_preset_only_in_the_2_6_fallback() -> None:
    main, strict = load(MAIN), load(STRICT)
    assert main.leaves == strict.leaves
    fallback = "normalise.by_indicator.mono_unemployment_rate_pct.params.fallback"
    assert main.get(fallback) == "mono_unemployment_rate_pct_score"
    assert strict.get("normalise.by_indicator.mono_unemployment_rate_pct") is None
    main_by = {
        k: v for k, v in main.get("normalise.by_indicator").items() if k != "mono_unemployment_rate_pct"
    }
    assert main_by == strict.get("normalise.by_indicator")
    for key in ("normalise.default", "aggregate", "classify", "select", "groups"):
        assert main.get(key) == strict.get(key), key


def test_class_ids_are_the_mechanism_classes(bundled_store: Store) -> None:
    """The steering part lists Figure 1's mechanisms (l.583-625) by class: each class names the reference
    table, and every class id has rows there."""
    classes = load(MAIN).get("classify.classes")
    assert [c["id"] for c in classes] == ["low", "medium", "high"]
    for c in classes:
        mechanisms = bundled_store.reference(c["mechanisms"])
        assert (mechanisms["target_class"] == c["id"]).sum() >= 1, c["id"]
        assert c["title"]["kk"] and c["title"]["ru"] and c["title"]["en"]


# ------------------------------------------------------------------------------------------ band tables


def _rows(table: pd.DataFrame, indicator: str) -> list[dict]:
    rows = table[table["indicator"] == indicator].to_dict("records")
    return [r for r in rows if not (pd.isna(r["lower"]) and pd.isna(r["upper"]))]


def test_bundled_band_tables_leave_no_gap_or_overlap(data: Dataset) -> None:
    table = data.tables["seed004_table1_score_bands"]
    m = load(MAIN)
    numeric = [c for c in m.leaves if _rows(table, c)]
    assert len(numeric) == 11  # 1.4, 2.1-2.8, 4.1, 4.2 (l.203-417)
    for code in numeric:
        domain = m.get(f"normalise.by_indicator.{code}.params.domain", "real")
        assert validate_bands(_rows(table, code), domain, name=code) == [], code


def _as_printed(rows: list[dict]) -> list[dict]:
    """Undo aimaq's edge rule: 'below c' excludes c again, and a shared end point belongs to both bands."""
    out = []
    for r in rows:
        r = dict(r)
        if r["reading"] == "gap_filled":
            r["upper_inclusive"] = False
        if r["reading"] == "boundary_resolved":
            r["lower_inclusive"] = True
        out.append(r)
    return out


def test_band_validation_reports_the_gaps_and_overlaps_of_the_printed_labels(data: Dataset) -> None:
    """The seed's labels leave single-point gaps ("15,0-тен төмен" / "15,1-25,0", l.203-212) and share
    the road end points 40, 30, 25 (l.273-276); the engine's validation names each one."""
    table = data.tables["seed004_table1_score_bands"]
    lsg = validate_bands(_as_printed(_rows(table, "mono_lsg_satisfaction_pct")), name="1.4")
    assert [i.kind for i in lsg] == ["gap"]
    assert "[15, 15]" in lsg[0].message
    roads = validate_bands(_as_printed(_rows(table, "mono_substandard_roads_share_pct")), name="2.4")
    assert sorted(i.kind for i in roads) == ["overlap"] * 3
    assert {p for i in roads for p in ("[25, 25]", "[30, 30]", "[40, 40]") if p in i.message} == {
        "[25, 25]",
        "[30, 30]",
        "[40, 40]",
    }
    # counts "0, 1-2, 3-4, 5-6, 7-8, more than 8" (l.386-389) only close up on the integers
    counts = _rows(table, "mono_rnd_organisations_count")
    assert len(validate_bands(counts, "real")) == 4  # (0, 1), (2, 3), (4, 5), (6, 7)
    assert validate_bands(counts, "integer") == []


@pytest.mark.parametrize(
    ("indicator", "value", "points"),
    [
        ("mono_lsg_satisfaction_pct", 40.0, 2),  # shared end point -> lower band (printed 2, l.200-201)
        ("mono_lsg_satisfaction_pct", 40.05, 3),
        ("mono_lsg_satisfaction_pct", 15.0, 0),  # gap (15.0, 15.1) closed downwards
        ("mono_substandard_roads_share_pct", 40.0, 2),  # printed in "50-40" and "30-40": lower values' band
        ("mono_substandard_roads_share_pct", 17.0, 4),  # "17-ден төмен" excludes 17
        ("mono_unemployment_rate_pct", 4.5, 5),  # "4,5-тен төмен" / "4,6-5,5": 4.5 scores 5
        ("mono_avg_monthly_nominal_wage", 180000.0, 4),  # tenge x 0.001 = 180.0 in (150, 180]
        ("mono_avg_monthly_nominal_wage", 180001.0, 5),
        ("mono_rnd_organisations_count", 8.0, 4),  # "7-8"
        ("mono_rnd_organisations_count", 9.0, 5),  # "8-ден астам"
    ],
)
def test_edge_rule_at_each_kind_of_edge(result: Result, indicator: str, value: float, points: int) -> None:
    r = result.what_if("satpayev", indicator, value, year=2020)
    assert r.data["normalised"].loc[(2020, "satpayev"), indicator] == points


# ------------------------------------------------------------------------------------------ reproduction


def test_preset_reproduction_report_explains_every_mismatch(report: ReproductionReport) -> None:
    assert report.ok
    assert len(report.cells) == 144 + 8 + 8  # Table 1 scores, Table 2 totals, classes
    assert report.counts() == {"reproduced": 157, "explained": 3, "not_computable": 0, "not_reproduced": 0}
    cells = _cells(report)
    explained = cells[cells["status"] == "explained"]
    assert sorted(explained.index) == [
        ("balkhash", "score"),
        ("shakhtinsk", "mono_working_age_share_pct"),
        ("shakhtinsk", "score"),
    ]
    assert cells.loc[("shakhtinsk", "mono_working_age_share_pct"), "computed"] == 3
    assert "45 %" in cells.loc[("shakhtinsk", "mono_working_age_share_pct"), "reason"]


def test_unreadable_2_6_cells_take_the_printed_points_and_are_flagged(
    result: Result, report: ReproductionReport
) -> None:
    """l.299 lost every 2.6 value; the fallback gives exactly those cells the points of l.301, and both the
    result's log and the report say so, citing the line."""
    lost = _cells(report).xs("mono_unemployment_rate_pct", level="column")
    assert (lost["status"] == "reproduced").all() and sorted(lost.index) == sorted(TOWNS)
    assert lost["computed"].astype(float).to_dict() == {t: float(p) for t, p in PRINTED_2_6.items()}
    assert lost["reason"].str.contains(UNREADABLE).all() and lost["reason"].str.contains("l.299").all()
    record = next(r for r in result.log if r.key == "normalise.by_indicator.mono_unemployment_rate_pct")
    assert record.learned["mono_unemployment_rate_pct"]["fallback"] == 8
    assert record.learned["mono_unemployment_rate_pct"]["missing_scored"] == 0
    assert any(
        "mono_unemployment_rate_pct" in w and "8 missing value(s)" in w and "fallback" in w
        for w in result.warnings
    )


def test_preset_totals_and_classes_against_table_2(report: ReproductionReport) -> None:
    cells = _cells(report)
    totals = cells.xs("score", level="column")
    assert totals["expected"].to_dict() == PRINTED_TOTALS
    assert totals.loc[totals["status"] == "explained"].index.tolist() == ["balkhash", "shakhtinsk"]
    # Balkhash's printed scores add up to 37, not the printed 39 (l.491); Shakhtinsk 2.8 = 45 % scores 3
    assert totals.loc["balkhash", "computed"] == 37 and "s004-10" in totals.loc["balkhash", "reason"]
    assert totals.loc["shakhtinsk", "computed"] == 27 and "45 %" in totals.loc["shakhtinsk", "reason"]
    reproduced = totals[totals["status"] == "reproduced"]
    assert len(reproduced) == 6
    assert reproduced["computed"].astype(float).tolist() == reproduced["expected"].astype(float).tolist()
    classes = cells.xs("potential", level="column")
    assert (classes["status"] == "reproduced").all() and len(classes) == 8
    assert sorted(classes.index[classes["computed"] == "medium"]) == ["balkhash", "satpayev", "temirtau"]


def test_garbled_industrial_output_cells_are_reproduced_with_their_reading(
    report: ReproductionReport,
) -> None:
    cells = _cells(report).xs("mono_industrial_output_per_capita", level="column")
    assert (cells["status"] == "reproduced").all()
    assert cells["reason"].str.contains("l.221").all()
    assert "266.07" in cells.loc["saran", "reason"] and "349.30" in cells.loc["satpayev", "reason"]


def test_missing_values_score_zero_and_are_counted_in_the_log(result: Result) -> None:
    norm = result.data["normalised"].xs(2020, level="year")
    assert norm.loc["karazhal", "mono_town_forming_enterprise_profitability_pct"] == 0  # «х», l.250-251
    record = next(r for r in result.log if r.key == "normalise.default")
    assert record.learned["mono_town_forming_enterprise_profitability_pct"]["missing"] == 1
    assert record.params["missing"] == 0


def test_missing_values_scored_zero_raise_a_warning(result: Result) -> None:
    """Seed 004's rule M2 (missing -> 0, l.250-251) is applied, and the result says where."""
    assert [w for w in result.warnings if "scored 0" in w] == [
        "normalise.default: indicator 'mono_town_forming_enterprise_profitability_pct': 1 missing value(s) "
        "scored 0 (`missing: 0`)"
    ]


def test_fallback_applies_only_to_missing_values(result: Result) -> None:
    """A 2.6 value present in the data is scored by its band (9 % > 8.5 -> 0 points, l.296-305), not by the
    printed points: the fallback never overrides a readable value."""
    r = result.what_if("satpayev", "mono_unemployment_rate_pct", 9.0, year=2020)
    assert r.data["normalised"].loc[(2020, "satpayev"), "mono_unemployment_rate_pct"] == 0
    assert r.table.loc[(2020, "satpayev"), "score"] == 40 - 4
    record = next(x for x in r.log if x.key == "normalise.by_indicator.mono_unemployment_rate_pct")
    assert record.learned["mono_unemployment_rate_pct"]["fallback"] == 7


# ------------------------------------------------------------------------------------------ what-if


def test_what_if_moves_score_total_and_class(result: Result) -> None:
    """Saran's wage 103 247 tenge scores 2 (l.311-312); at 200 000 it scores 5, the total rises from 34 to
    37 and Saran moves from low to medium."""
    before = result.table.loc[(2020, "saran")]
    assert (before["score"], before["potential"]) == (34, "low")
    after = result.what_if("saran", "mono_avg_monthly_nominal_wage", 200000, year=2020)
    assert after.data["normalised"].loc[(2020, "saran"), "mono_avg_monthly_nominal_wage"] == 5
    row = after.table.loc[(2020, "saran")]
    assert (row["score"], row["potential"], row["economic_social"]) == (37, "medium", 27)
    # the other towns are untouched
    others = [t for t in TOWNS if t != "saran"]
    pd.testing.assert_series_equal(
        after.table.loc[2020].loc[others, "score"], result.table.loc[2020].loc[others, "score"]
    )


def test_what_if_with_a_label_for_a_categorical_indicator(result: Result) -> None:
    after = result.what_if("satpayev", "mono_statistics_disclosure", "full", year=2020)
    assert after.data["normalised"].loc[(2020, "satpayev"), "mono_statistics_disclosure"] == 3  # l.440-444
    assert after.table.loc[(2020, "satpayev"), "score"] == 42


def test_a_total_on_a_class_edge_is_classified(result: Result) -> None:
    """Abai 28 -> 35 (the top of 'low', l.481-483) by three what-ifs: +5 (4.1), +1 (4.2), +1 (2.2); one
    point more (2.7) reaches 36, the bottom of 'medium'."""
    r = result.what_if("abai_town", "mono_rnd_organisations_count", 9, year=2020)
    r = r.what_if("abai_town", "mono_advanced_technologies_created_count", 1, year=2020)
    r = r.what_if("abai_town", "mono_fixed_investment_per_capita", 10, year=2020)
    assert r.table.loc[(2020, "abai_town"), "score"] == pytest.approx(35)
    assert r.table.loc[(2020, "abai_town"), "potential"] == "low"
    # wage 122 880 tenge scores 3 (l.311-312); 150 001 lies in "150,1-180,0" = 4 points (l.314-325)
    assert r.data["normalised"].loc[(2020, "abai_town"), "mono_avg_monthly_nominal_wage"] == 3
    r = r.what_if("abai_town", "mono_avg_monthly_nominal_wage", 150001, year=2020)
    assert r.table.loc[(2020, "abai_town"), "score"] == pytest.approx(36)
    assert r.table.loc[(2020, "abai_town"), "potential"] == "medium"


# ------------------------------------------------------------------------------------------ CLI


def _cli(args: list[str]) -> object:
    from aimaq.services.cli.main import app

    return CliRunner().invoke(app, args)


def test_cli_reproduce_exits_zero_and_lists_every_published_number(bundled_store: Store) -> None:
    out = _cli(["reproduce", MAIN, "--db", str(bundled_store.engine.url)])
    assert out.exit_code == 0, out.output
    assert "160 cells, 157 reproduced, 3 not reproduced" in out.output
    assert "0 not reproduced without one" in out.output
    assert UNREADABLE in out.output and "l.299" in out.output and "s004-10" in out.output


def test_cli_what_if_moves_the_class(bundled_store: Store) -> None:
    db = str(bundled_store.engine.url)
    before = _cli(["compute", MAIN, "--db", db])
    after = _cli(["compute", MAIN, "--db", db, "--set", "saran.mono_avg_monthly_nominal_wage=200000"])
    assert before.exit_code == 0 and after.exit_code == 0, before.output + after.output
    line = lambda out: next(ln for ln in out.output.splitlines() if " saran " in f" {ln} ")  # noqa: E731
    assert "34" in line(before) and "low" in line(before)
    assert "37" in line(after) and "medium" in line(after)


def test_spec_files_live_in_the_methodology_folder() -> None:
    assert (METHODOLOGY_DIR / f"{MAIN}.yaml").is_file()
    assert (METHODOLOGY_DIR / f"{STRICT}.yaml").is_file()
    for name in (MAIN, STRICT):
        assert (Path(__file__).resolve().parents[2] / "docs" / "methodologies" / f"{name}.md").is_file()
