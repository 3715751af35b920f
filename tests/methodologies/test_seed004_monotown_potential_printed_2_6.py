"""The seed 004 variant with the printed points of indicator 2.6 (l.301): its reproduction report.

The shared checks (bands, edge rules, what-ifs) are in ``test_seed004_monotown_potential.py``.
"""

from __future__ import annotations

import dataclasses

import pytest

from aimaq.engine.registry import load
from aimaq.engine.reproduce import ReproductionReport, reproduce
from aimaq.store.repository import Store

NAME = "seed004_monotown_potential_printed_2_6"


@pytest.fixture(scope="module")
def report(bundled_store: Store) -> ReproductionReport:
    ds = bundled_store.dataset()
    ds = dataclasses.replace(ds, tables={n: bundled_store.reference(n) for n in bundled_store.references()})
    return reproduce(load(NAME), ds)


def test_variant_reproduction_counts_and_reasons(report: ReproductionReport) -> None:
    assert report.ok
    assert report.counts() == {"reproduced": 149, "explained": 3, "not_reproduced": 0}
    explained = {(c.territory, c.column): c for c in report.cells if c.status == "explained"}
    assert set(explained) == {
        ("shakhtinsk", "mono_working_age_share_pct"),
        ("balkhash", "score"),
        ("shakhtinsk", "score"),
    }
    assert explained[("balkhash", "score")].computed == pytest.approx(37)
    assert "s004-10" in explained[("balkhash", "score")].reason
    # 2.6 is an input here, so its printed points are not compared with themselves
    assert not any(c.column == "mono_unemployment_rate_pct_score" for c in report.cells)


def test_variant_is_marked_and_names_its_correction() -> None:
    m = load(NAME)
    assert m.status == "variant"
    assert "printed" in m.title["en"] and m.get(
        "normalise.by_indicator.mono_unemployment_rate_pct_score.method"
    ) == ("goalposts")
