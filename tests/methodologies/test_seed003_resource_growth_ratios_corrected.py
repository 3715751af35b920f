"""Seed 003 Tables 25-26 with three Table 26 cells corrected by their notes (seed003_n171-n173):
``seed003_resource_growth_ratios_corrected.yaml``."""

from __future__ import annotations

import pytest

from aimaq.engine.registry import load
from aimaq.engine.reproduce import reproduce
from aimaq.store.repository import Store

NAME = "seed003_resource_growth_ratios_corrected"


@pytest.fixture(scope="module")
def data(bundled_store: Store):
    return bundled_store.dataset()


def test_corrections_are_the_notes_readings(data) -> None:
    m = load(NAME)
    assert m.status == "variant" and m.problems() == []
    assert [c["note"] for c in m.get("corrections")] == ["seed003_n171", "seed003_n172", "seed003_n173"]
    r = m.compute(data)
    (w,) = [w for w in r.warnings if "corrected by the spec" in w]
    for change in (
        "glubokoe resource_share_eap 2019: 35.2 -> 4.93",
        "zharma resource_share_eap 2019: 4.93 -> 2.73",
        "abai_district resource_share_fixed_assets 2019: 0.5 -> 0.58",
    ):
        assert change in w


def test_implied_levels_reproduce_after_the_correction(data) -> None:
    report = reproduce(load(NAME), data)
    preset = reproduce(load("seed003_resource_growth_ratios"), data)
    assert report.ok and preset.ok
    assert len(report.cells) == len(preset.cells) == 172
    assert report.counts()["reproduced"] == preset.counts()["reproduced"] + 3 == 164
    cells = {(c.territory, c.column): c for c in report.cells}
    for t, col in (
        ("glubokoe", "transformed.eap_level_from_share"),
        ("zharma", "transformed.eap_level_from_share"),
        ("abai_district", "transformed.fixed_assets_level_from_share"),
    ):
        assert cells[(t, col)].status == "reproduced", (t, col)
    # Table 26 as printed is still compared with the shares computed from Table 25, and still differs
    assert cells[("glubokoe", "transformed.eap_share")].status == "explained"
    total = cells[("east_kazakhstan_1997", "transformed.eap_share_sum")]
    assert total.computed == pytest.approx(101.48, abs=0.005) and "seed003_n175" in total.reason


def test_k_ratios_use_the_corrected_shares(data) -> None:
    r = load(NAME).compute(data)
    base = load("seed003_resource_growth_ratios").compute(data)
    k, k0 = r.table_for(2019), base.table_for(2019)
    changed = sorted(t for t in k.index if abs(k.loc[t, "score"] - k0.loc[t, "score"]) > 1e-12)
    assert changed == ["abai_district", "glubokoe", "zharma"]
