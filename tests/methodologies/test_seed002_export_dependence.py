"""Seed 002, l.3-12: the national mineral share of exports as a monitored series (2016-2018 printed)."""

from __future__ import annotations

import pandas as pd
import pytest

from aimaq.dataset import Dataset
from aimaq.engine.registry import load
from aimaq.engine.reproduce import reproduce
from aimaq.store.repository import Store

NAME = "seed002_export_dependence"


@pytest.fixture(scope="module")
def data(bundled_store: Store) -> Dataset:
    return bundled_store.dataset()


def test_printed_values_reproduce(data: Dataset) -> None:
    report = reproduce(load(NAME), data)
    assert report.ok, report.to_text()
    assert {(c.year, c.expected) for c in report.cells} == {(2016, 65), (2017, 68.6), (2018, 70)}
    assert report.counts()["reproduced"] == 3


def test_change_in_percentage_points_and_index(data: Dataset) -> None:
    """seed-002 reading §8, test 6: x = [65, 68.6, 70], change = [+3.6, +1.4] pp (to 1e-9)."""
    t = load(NAME).compute(data).data["transformed"].xs("kz", level="territory")
    assert t.loc[2017, "mineral_export_share_change_pp"] == pytest.approx(3.6, abs=1e-9)
    assert t.loc[2018, "mineral_export_share_change_pp"] == pytest.approx(1.4, abs=1e-9)
    assert pd.isna(t.loc[2016, "mineral_export_share_change_pp"])
    assert t.loc[2018, "mineral_export_share_index_2016"] == pytest.approx(100 * 70 / 65)


def test_later_years_extend_the_series(data: Dataset) -> None:
    """A user's import of a later year is monitored with the same spec (select.years edited)."""
    extra = pd.DataFrame(
        [("kz", "mineral_export_share_pct", "2019", 66.0)],
        columns=["territory", "indicator", "period", "value"],
    )
    obs = data.observations[data.observations["indicator"] == "mineral_export_share_pct"]
    long = pd.concat([obs[["territory", "indicator", "period", "value"]], extra], ignore_index=True)
    m = load(NAME).with_edits({"select.years": {"from": 2016, "to": 2019}})
    t = m.compute(Dataset.from_long(long)).data["transformed"].xs("kz", level="territory")
    assert t.loc[2019, "mineral_export_share_change_pp"] == pytest.approx(-4.0)
