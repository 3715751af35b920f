"""The seed 004 variant that scores every missing value 0 (rule M2 read strictly): its reproduction report.

The unreadable 2.6 unemployment values (l.299, note s004-04) score 0 here instead of taking the printed
points of l.301 as the preset does. The shared checks (bands, edge rules, what-ifs) are in
``test_seed004_monotown_potential.py``.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from aimaq.engine.registry import load
from aimaq.engine.reproduce import ReproductionReport, reproduce
from aimaq.engine.result import Result
from aimaq.store.repository import Store

NAME = "seed004_monotown_potential_missing_zero"
TOWNS = ("balkhash", "zhezkazgan", "karazhal", "saran", "satpayev", "temirtau", "shakhtinsk", "abai_town")


@pytest.fixture(scope="module")
def computed(bundled_store: Store) -> tuple[Result, ReproductionReport]:
    ds = bundled_store.dataset()
    ds = dataclasses.replace(ds, tables={n: bundled_store.reference(n) for n in bundled_store.references()})
    r = load(NAME).compute(ds)
    return r, reproduce(load(NAME), ds, r)


def test_strict_reproduction_counts_and_reasons(computed: tuple[Result, ReproductionReport]) -> None:
    _, report = computed
    assert report.ok
    assert len(report.cells) == 144 + 8 + 8
    assert report.counts() == {"reproduced": 141, "explained": 19, "not_computable": 0, "not_reproduced": 0}
    cells = report.to_frame().set_index(["territory", "column"])
    explained = cells[cells["status"] == "explained"]
    lost = explained.xs("mono_unemployment_rate_pct", level="column")
    assert sorted(lost.index) == sorted(TOWNS)
    assert (lost["computed"] == 0).all() and lost["reason"].str.contains("l.299").all()
    totals = cells.xs("score", level="column")
    # printed scores with 2.6 at 0: Balkhash's printed scores sum to 37 (not 39), Shakhtinsk 2.8 scores 3
    assert totals["computed"].astype(float).to_dict() == {
        "balkhash": 33.0,
        "zhezkazgan": 28.0,
        "karazhal": 22.0,
        "saran": 29.0,
        "satpayev": 36.0,
        "temirtau": 34.0,
        "shakhtinsk": 23.0,
        "abai_town": 24.0,
    }
    assert (totals["status"] == "explained").all() and "37" in totals.loc["balkhash", "reason"]
    assert set(explained.xs("potential", level="column").index) == {"balkhash", "temirtau"}


def test_every_missing_value_scored_zero_is_warned(computed: tuple[Result, ReproductionReport]) -> None:
    result, _ = computed
    scored = [w for w in result.warnings if "scored 0" in w]
    assert any("'mono_unemployment_rate_pct': 8 missing value(s)" in w for w in scored)
    assert any("'mono_town_forming_enterprise_profitability_pct': 1 missing value(s)" in w for w in scored)
    assert not any("fallback" in w for w in result.warnings)
    norm = result.data["normalised"].xs(2020, level="year")
    pd.testing.assert_series_equal(
        norm.loc[list(TOWNS), "mono_unemployment_rate_pct"],
        pd.Series(0.0, index=pd.Index(TOWNS, name="territory"), name="mono_unemployment_rate_pct"),
        check_index_type=False,
    )


def test_variant_is_marked_and_names_its_rule() -> None:
    m = load(NAME)
    assert m.status == "variant"
    assert "missing" in m.title["en"] and m.get("normalise.default.params.missing") == 0
