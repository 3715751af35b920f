"""Seed 000 presets: the RIS3 Self-Assessment Wheel on the adapted {0, 0.5, 1} scale and the EC 0-5 scale.

The engine computes per region (step totals q[r, k], total Q_r) and, through ``summarise:``, the sums over the
four regions of Table 2 (row ``kz``) and the 52 % (row ``kz_pct``); ``tests/steering/test_ris3.py`` pins the
same numbers through the steering model. Line numbers refer to ``000_72d0ba45cccb75de.txt``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from aimaq.dataset import Dataset
from aimaq.engine.registry import load
from aimaq.engine.reproduce import reproduce
from aimaq.steering import ris3
from aimaq.store.repository import Store

MAIN, EC = "seed000_ris3_wheel", "seed000_ris3_wheel_ec_scale"
REGIONS = ["atyrau", "west_kazakhstan", "kyzylorda", "mangystau"]


@pytest.fixture(scope="module")
def data(bundled_store: Store) -> Dataset:
    ds = bundled_store.dataset()
    return dataclasses.replace(ds, tables={n: bundled_store.reference(n) for n in bundled_store.references()})


def test_specs_are_valid_6_steps_of_3_criteria(bundled_store: Store) -> None:
    criteria = ris3.load_criteria(bundled_store)
    for name in (MAIN, EC):
        m = load(name)
        assert m.problems() == []
        assert m.leaves == tuple(c.indicator for c in criteria)
        steps = m.children(m.root)
        assert list(steps) == list(dict.fromkeys(c.step_id for c in criteria))
        assert all(len(m.children(s)) == 3 for s in steps)
        assert m.title["kk"] and m.title["ru"] and m.title["en"]
        # group titles come from the criteria reference table
        assert m.get("groups.0.title.kk") == criteria[0].step_name["kk"]


def test_the_strategies_period_fills_its_end_year(data: Dataset) -> None:
    """Table 3 is stored for the period 2013-2021 (l.93, note s000-C6); the engine reads it as 2021."""
    r = load(MAIN).compute(data)
    assert r.years == (2021,) and r.table.loc[(2021, "atyrau"), "score"] == 11


def test_table_2_sums_and_52_percent_are_summary_rows_of_the_spec(
    data: Dataset, bundled_store: Store
) -> None:
    """Table 2 sums the four regions (l.328-376); P = 100 x 37.5 / (18 x 4) = 52 % (l.382-383)."""
    r = load(MAIN).compute(data)
    summary = r.data["summarised"].xs(2021, level="year")
    t2 = ris3.summarise(
        ris3.published(bundled_store, REGIONS),
        ris3.load_criteria(bundled_store),
        ris3.load_scale(bundled_store),
    )
    for c in ris3.load_criteria(bundled_store):
        assert summary.loc["kz", c.indicator] == pytest.approx(t2.criterion_sums[c.id]), c.id
    assert summary.loc["kz", "s5_policy_mix"] == 10  # l.361-364, the largest step total
    assert r.table.loc[(2021, "kz"), "score"] == 37.5
    assert r.table.loc[(2021, "kz_pct"), "score"] == pytest.approx(100 * 37.5 / 72)
    # the summary rows are marked and neither ranked nor counted as territories
    assert r.table.loc[(2021, "kz"), "summary"] and not r.table.loc[(2021, "atyrau"), "summary"]
    assert list(r.territories) == REGIONS


def test_reproduction_lists_table_2_the_52_percent_and_the_labelling_defects(data: Dataset) -> None:
    report = reproduce(load(MAIN), data)
    assert report.ok
    assert report.counts() == {"reproduced": 97, "explained": 0, "not_computable": 0, "not_reproduced": 0}
    cells = {(c.territory, c.column): c for c in report.cells}
    assert sum(t == "kz" for t, _ in cells) == 18 + 6  # Table 2: criterion sums and step totals
    pct = cells[("kz_pct", "score")]
    assert pct.expected == 52 and pct.computed == pytest.approx(52.0833, abs=1e-4)
    assert "s000-C1" in pct.reason and "seven" in pct.reason  # l.100 vs l.379
    assert "s000-C2" in cells[("kz", "ris3_c13_roadmaps")].reason  # criterion 13's name (l.459)
    assert "s000-C10" in cells[("kz", "ris3_c18_strategy_update_mechanism")].reason


def test_region_step_totals_and_table_3(data: Dataset, bundled_store: Store) -> None:
    m = load(MAIN)
    r = m.compute(data)
    assert list(r.territories) == REGIONS  # in the order of select.territories.codes
    table = r.table.xs(2021, level="year")
    table = table[~table["summary"].astype(bool)]  # the Table 2 rows of summarise: are checked above
    # derived per-region values (spec/seed-000.md 3.5), equal to the steering model's sums
    assert table["score"].to_dict() == {
        "atyrau": 11,
        "kyzylorda": 8.5,
        "mangystau": 9.5,
        "west_kazakhstan": 8.5,
    }
    s = ris3.summarise(
        ris3.published(bundled_store, REGIONS),
        ris3.load_criteria(bundled_store),
        ris3.load_scale(bundled_store),
    )
    for step in s.region_steps.index:
        assert table[step].to_dict() == pytest.approx(s.region_steps.loc[step].to_dict())
    assert table["score"].sum() / (18 * 4) == pytest.approx(37.5 / 72)  # l.382-383
    report = reproduce(m, data, r)
    table3 = [c for c in report.cells if c.territory in REGIONS]
    assert len(table3) == 72 and all(c.status == "reproduced" for c in table3)  # each passes the scale check


def test_cli_reproduce(bundled_store: Store) -> None:
    from typer.testing import CliRunner

    from aimaq.services.cli.main import app

    out = CliRunner().invoke(app, ["reproduce", MAIN, "--db", str(bundled_store.engine.url)])
    assert out.exit_code == 0, out.output
    assert "97 cells, 97 reproduced" in out.output and "s000-C1" in out.output


def test_scores_off_the_scale_are_clipped_and_logged(data: Dataset) -> None:
    r = load(MAIN).compute(data).what_if("atyrau", "ris3_c02_external_environment_analysis", 3, year=2021)
    assert r.data["normalised"].loc[(2021, "atyrau"), "ris3_c02_external_environment_analysis"] == 1
    record = next(x for x in r.log if x.step == "normalise")
    assert np.sum(record.learned["clipped"]) == 1


def test_ec_scale_counts_criteria_met_as_shares() -> None:
    criteria = load(EC).leaves
    rows = [
        {"territory": t, "indicator": c, "period": "2024", "value": v}
        for t, base in (("atyrau", 5.0), ("mangystau", 2.0))
        for c, v in zip(criteria, [base] * 17 + [0.0], strict=True)
    ]
    ds = Dataset.from_long(pd.DataFrame(rows))
    ds = dataclasses.replace(
        ds, territories=pd.DataFrame({"level": ["region", "region"]}, index=pd.Index(["atyrau", "mangystau"]))
    )
    r = load(EC).compute(ds)
    table = r.table.xs(2024, level="year")
    assert table.loc["atyrau", "score"] == pytest.approx(17)  # 17 criteria at 5/5, criterion 18 at 0
    assert table.loc["mangystau", "score"] == pytest.approx(17 * 2 / 5)
    assert table.loc["atyrau", "s6_monitoring_evaluation"] == pytest.approx(2)
