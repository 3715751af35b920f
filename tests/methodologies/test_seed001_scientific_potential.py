"""Seed 001: the scientific-potential index of the 20 regions (aimaq's proposal) and the seed's own claims.

Published values are checked through the system's own reproduction report (the spec's ``expected:``
blocks, each row with its claim id); the seed's statements about sums over regions (top-7 share, totals,
Fig. 1's statistics) are summaries of ``seed001_published_claims`` (test_seed001_published_claims.py).
Line numbers refer to
``001_ae16649e32aa1527.txt``; claim ids are those of ``reference/seed001_published_claims.csv``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aimaq.dataset import Dataset
from aimaq.engine.registry import load
from aimaq.engine.reproduce import ReproductionReport, reproduce
from aimaq.engine.result import Result
from aimaq.store.repository import Store

NAME = "seed001_scientific_potential"
#: the 20 regions of the 2022 division: 17 oblasts and 3 cities of republican significance (l.67-69, C48)
REGIONS = {
    "abai", "akmola", "aktobe", "almaty_city", "almaty_region", "astana", "atyrau", "east_kazakhstan",
    "karaganda", "kostanay", "kyzylorda", "mangystau", "north_kazakhstan", "pavlodar", "shymkent",
    "turkistan", "ulytau", "west_kazakhstan", "zhambyl", "zhetysu",
}  # fmt: skip
#: l.696-698: the seven regions that absorbed more than 85 % of GERD in 2020-2024
TOP7 = ("almaty_city", "astana", "east_kazakhstan", "zhambyl", "karaganda", "mangystau", "abai")


@pytest.fixture(scope="module")
def data(bundled_store: Store) -> Dataset:
    return bundled_store.dataset()


@pytest.fixture(scope="module")
def result(data: Dataset) -> Result:
    return load(NAME).compute(data)


@pytest.fixture(scope="module")
def report(data: Dataset, result: Result) -> ReproductionReport:
    return reproduce(load(NAME), data, result)


def _observed(data: Dataset, indicator: str, period: str) -> pd.Series:
    obs = data.observations
    sel = obs[(obs["indicator"] == indicator) & (obs["period"] == period)]
    return sel.set_index("territory")["value"]


def test_every_region_has_a_score_rank_and_group_for_the_latest_year(result: Result) -> None:
    assert result.years == (2024,)
    table = result.table.xs(2024, level="year")
    assert set(table.index) == REGIONS
    assert table["score"].notna().all() and table["group"].notna().all()
    assert sorted(table["rank"].astype(int)) == list(range(1, 21))  # no ties among the 20


def test_groups_are_relative_to_the_mean_of_the_regions(result: Result) -> None:
    table = result.table.xs(2024, level="year")
    ratio = 100 * table["score"] / table["score"].mean()  # the seed's "national average" (C-a)
    bands = [ratio < 70, ratio < 100, ratio < 125]
    expected = np.select(bands, ["well_below", "below", "above"], "well_above")
    assert list(table["group"]) == list(expected)
    assert {"well_below", "below", "above", "well_above"} == set(table["group"])


def test_reproduction_report_lists_every_claim_and_passes(report: ReproductionReport) -> None:
    assert report.ok, report.to_text()
    counts = report.counts()
    assert counts["not_reproduced"] == 0
    explained = {(c.territory, c.column) for c in report.cells if c.status == "explained"}
    # exactly the two documented deviations of Table 1's growth column (X13 and the zero base)
    assert explained == {
        ("zhetysu", "transformed.gerd_growth_2020_2024"),
        ("ulytau", "transformed.gerd_growth_2020_2024"),
    }
    columns = {c.column for c in report.cells}
    assert {"gerd_share_2020_2024_class", "gerd_per_100k_vs_mean", "doctoral_training"} <= columns
    claims = {c.claim for c in report.cells}
    assert claims == {"C03", "C04", "C05", "C15", "C34", "C46"}


def test_growth_column_agrees_with_the_printed_table(result: Result, data: Dataset) -> None:
    printed = _observed(data, "gerd_growth_2020_2024_pct", "2020-2024").drop("kz")
    computed = result.data["transformed"].xs(2024, level="year")["gerd_growth_2020_2024"]
    diff = (computed - printed).dropna().abs()
    assert set(diff[diff > 0.05].index) == {"zhetysu"}  # C46
    assert np.isnan(computed["ulytau"])  # zero 2020 base (l.776)


def test_strengths_and_weaknesses_for_every_region(result: Result) -> None:
    for territory in sorted(REGIONS):
        ex = result.explain(territory, 2024)
        text = str(ex)
        assert territory in text and "strengths" in text and "weaknesses" in text


def test_ranking_follows_the_seeds_narrative(result: Result) -> None:
    """Not a published index (the seed has none), but the proposal must not contradict the text: Almaty and
    Astana lead in financing and personnel (l.704-708, l.1047-1049); Ulytau is last on every pillar."""
    table = result.table.xs(2024, level="year")
    assert set(table.nsmallest(2, "rank").index) == {"almaty_city", "astana"}
    assert table["rank"].idxmax() == "ulytau"
    assert (table.loc["ulytau", ["financing", "regional_commitment", "human_resources"]] == 0).all()


def test_a_users_copy_with_other_weights_recomputes(result: Result) -> None:
    edited = result.regen(
        {"weight.by_group.scientific_potential.params.weights": {
            "financing": 1 / 3, "regional_commitment": 1 / 3, "human_resources": 1 / 3}},
        from_step="weight",
    )  # fmt: skip
    t0, t1 = result.table.xs(2024, level="year"), edited.table.xs(2024, level="year")
    assert not np.allclose(t0["score"], t1["score"])
    assert t1.loc["kyzylorda", "rank"] < t0.loc["kyzylorda", "rank"]  # the local-budget leader gains


def test_cli_reproduce_exits_zero(bundled_store: Store) -> None:
    from typer.testing import CliRunner

    from aimaq.services.cli.main import app

    out = CliRunner().invoke(app, ["reproduce", NAME, "--db", str(bundled_store.url)])
    assert out.exit_code == 0, out.output
    assert "67 cells, 65 reproduced, 2 not reproduced with a documented reason" in out.output
