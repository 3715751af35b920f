"""Seed 002, l.62-68, the "largest division" reading of "oil and gas dominate" (argmax), on ILLUSTRATIVE data.

``fixtures/illustrative_mining_divisions_2009_2019.csv`` holds **synthetic numbers made up for these tests**
(its title row says so), not statistics of Kazakhstan: divisions 05-08 and section B for nine regions; Aktobe
has oil and gas as the largest division without a majority, and Kostanay misses one year.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aimaq.dataset import Dataset
from aimaq.engine.registry import load
from aimaq.engine.reproduce import reproduce
from aimaq.store.imports import read_dataset

NAME = "seed002_raw_material_subtype_argmax"
FIXTURE = Path(__file__).parent / "fixtures" / "illustrative_mining_divisions_2009_2019.csv"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return read_dataset(FIXTURE)


def test_fixture_says_it_is_illustrative() -> None:
    assert FIXTURE.read_text(encoding="utf-8").startswith("ILLUSTRATIVE TEST DATA")


def test_the_largest_division_wins_and_the_published_four_are_oil_and_gas(data: Dataset) -> None:
    m = load(NAME)
    assert m.status == "variant" and m.problems() == []
    r = m.compute(data)
    report = reproduce(m, data, r)
    assert report.ok and report.counts()["reproduced"] == 4, report.to_text()
    classes = r.table_for(2019)["dominant_resource"]
    assert classes[["karaganda_1997", "pavlodar"]].tolist() == ["coal", "coal"]
    assert classes["east_kazakhstan_1997"] == "metal_ores"
    # the class is the column of the largest share, computed here by hand from the transformed shares
    t = r.data["transformed"].xs(2019, level="year")
    cols = list(m.get("classify.0.on"))
    ids = [lab["id"] for lab in m.get("classify.0.labels")]
    for territory in ("atyrau", "aktobe", "karaganda_1997", "east_kazakhstan_1997"):
        assert classes[territory] == ids[int(t.loc[territory, cols].astype(float).to_numpy().argmax())]
    # a division missing in one year (Kostanay 2014) leaves the region unclassified, never guessed
    assert classes.isna()["kostanay"]


def test_the_two_readings_of_dominates_differ_only_where_06_has_no_majority(data: Dataset) -> None:
    """Aktobe: oil and gas is the largest division (argmax) but under half of section B (the preset)."""
    argmax = load(NAME).compute(data).table_for(2019)["dominant_resource"]
    majority = load("seed002_raw_material_subtype").compute(data).table_for(2019)["dominant_resource"]
    share = load(NAME).compute(data).data["transformed"].xs(2019, level="year")["oil_gas_share_of_mining"]
    assert 30 < share["aktobe"] < 50
    both = argmax.notna() & majority.notna()
    disagree = sorted(
        t for t in argmax.index[both] if (argmax[t] == "oil_and_gas") != (majority[t] == "oil_and_gas")
    )
    assert disagree == ["aktobe"]
