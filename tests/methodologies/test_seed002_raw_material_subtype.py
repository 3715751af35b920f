"""Seed 002, l.65-68: oil and gas dominate the four raw-material regions (P2), on ILLUSTRATIVE data.

``fixtures/illustrative_mining_output_2009_2019.csv`` holds **synthetic numbers made up for these tests**
(its title row says so), not statistics of Kazakhstan; the tests check the rule's mechanics.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from aimaq.dataset import Dataset
from aimaq.engine.registry import load
from aimaq.engine.reproduce import reproduce
from aimaq.store.imports import read_dataset

NAME = "seed002_raw_material_subtype"
FIXTURE = Path(__file__).parent / "fixtures" / "illustrative_mining_output_2009_2019.csv"


def test_fixture_says_it_is_illustrative() -> None:
    assert FIXTURE.read_text(encoding="utf-8").startswith("ILLUSTRATIVE TEST DATA")


def test_reproduces_the_published_subtype_on_illustrative_data() -> None:
    report = reproduce(load(NAME), read_dataset(FIXTURE))
    assert report.ok and report.counts()["reproduced"] == 4, report.to_text()


def _data(b06: list[float | None], b: float = 100.0) -> Dataset:
    rows = [("r", "output_b", str(2009 + i), b) for i in range(11)]
    rows += [("r", "output_b06", str(2009 + i), v) for i, v in enumerate(b06) if v is not None]
    return Dataset.from_long(pd.DataFrame(rows, columns=["territory", "indicator", "period", "value"]))


@pytest.mark.parametrize(
    ("b06", "expected"),
    [
        ([60.0] * 11, "oil_and_gas"),
        ([50.0] * 11, "other_or_mixed"),  # exactly half is not "dominates" (strict)
        ([100.0] * 5 + [10.0] * 6, "oil_and_gas"),  # (500 + 60) / 1100 = 50.9 %: sums, not years
        ([40.0] * 11, "other_or_mixed"),
    ],
)
def test_majority_of_window_sums(b06: list[float], expected: str) -> None:
    r = load(NAME).compute(_data(b06))
    assert r.table.loc[(2019, "r"), "dominant_resource"] == expected
    share = r.data["transformed"].loc[(2019, "r"), "oil_gas_share_of_mining"]
    assert share == pytest.approx(100 * sum(b06) / 1100)


def test_a_missing_year_is_insufficient_data() -> None:
    r = load(NAME).compute(_data([60.0] * 10 + [None]))
    assert pd.isna(r.table.loc[(2019, "r"), "dominant_resource"])
