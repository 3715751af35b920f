"""Seed 003 Table 42 with Semey's X4 corrected (note seed003_n085).

Spec: ``seed003_depression_groups_semey_x4.yaml``.

As printed, Semey's 5 316 940 is the column maximum; read as 531 694 the exact 1-D k-means optimum (the
preset's method) equals Table 42 except Altai (note seed003_n092), Abai being absent from the table (n088).
"""

from __future__ import annotations

import pytest

from aimaq.engine.registry import load
from aimaq.engine.reproduce import reproduce
from aimaq.store.repository import Store

NAME = "seed003_depression_groups_semey_x4"


@pytest.fixture(scope="module")
def data(bundled_store: Store):
    return bundled_store.dataset()


def test_variant_names_its_correction_and_keeps_the_presets_method() -> None:
    m, preset = load(NAME), load("seed003_depression_groups")
    assert m.status == "variant" and m.problems() == []
    (c,) = m.get("corrections")
    assert (c["territory"], c["value"], c["note"]) == ("semey", 531694, "seed003_n085")
    industry = next(b for b in preset.get("classify") if b["id"] == "industry_group")
    assert m.get("classify")[0] == industry
    assert m.get("normalise") == preset.get("normalise")


def test_correction_is_logged_and_the_source_cell_kept(data) -> None:
    r = load(NAME).compute(data)
    assert any(
        "semey depr_x4_industrial_output_per_1000 2019: 5316940.0 -> 531694.0" in w for w in r.warnings
    )
    o = data.observations
    printed = o[(o["territory"] == "semey") & (o["indicator"] == "depr_x4_industrial_output_per_1000")]
    assert float(printed["value"].iloc[0]) == 5316940.0  # the Result's dataset is not changed


def test_table_42_reproduces_except_altai_and_abai(data) -> None:
    m = load(NAME)
    report = reproduce(m, data)
    assert report.ok
    assert report.counts() == {"reproduced": 17, "explained": 2, "not_computable": 0, "not_reproduced": 0}
    explained = {c.territory: c for c in report.cells if c.status == "explained"}
    assert set(explained) == {"altai", "abai_district"}
    assert explained["altai"].computed == "low" and "seed003_n092" in explained["altai"].reason
    assert (
        explained["abai_district"].computed == "lowest"
        and "seed003_n088" in explained["abai_district"].reason
    )
    # the preset, on the printed value, reproduces only 8 of Table 42's 18 printed groups
    preset = reproduce(load("seed003_depression_groups"), data)
    printed = [c for c in preset.cells if c.column == "industry_group" and c.expected is not None]
    assert sum(c.status == "reproduced" for c in printed) == 8
