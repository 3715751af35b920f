"""Seed 003 resource growth-rate ratios and shares (Tables 25-26): ``seed003_resource_growth_ratios.yaml``.

Table 26's 2019 shares are Table 25's levels over the oblast (73 of 76 cells); the economically active
population does not add up (724.3 vs 713.6; shares 103.99 % and 133.95 %); K = share 2019 / share 2010.
"""

from __future__ import annotations

import pytest

from aimaq.engine.registry import METHODOLOGY_DIR
from aimaq.engine.reproduce import reproduce
from aimaq.engine.spec import Methodology

SPEC = METHODOLOGY_DIR / "seed003_resource_growth_ratios.yaml"
OBLAST = "east_kazakhstan_1997"


@pytest.fixture(scope="module")
def data(bundled_store):
    return bundled_store.dataset()


@pytest.fixture(scope="module")
def result(data):
    return Methodology.from_yaml(SPEC).compute(data)


def test_report(data, result):
    report = reproduce(result.methodology, data, result)
    assert report.ok, report.to_text()
    assert report.counts() == {"reproduced": 161, "explained": 11, "not_computable": 0, "not_reproduced": 0}
    columns = {f"transformed.{r}_share" for r in ("eap", "employed", "fixed_assets", "enterprises")}
    shares = [c for c in report.cells if c.column in columns and c.year == 2019 and c.territory != OBLAST]
    assert len(shares) == 76 and sum(c.status == "reproduced" for c in shares) == 73


def test_sums_that_do_not_add_up(result):
    t = result.data["transformed"]
    assert t.loc[(2019, OBLAST), "eap_level_sum"] == pytest.approx(724.3)
    assert t.loc[(2019, OBLAST), "employed_level_sum"] == pytest.approx(679.1)
    assert t.loc[(2010, OBLAST), "eap_share_sum"] == pytest.approx(103.99)
    assert t.loc[(2019, OBLAST), "eap_share_sum"] == pytest.approx(133.95)
    for col in ("employed", "fixed_assets", "enterprises"):
        for y in (2010, 2019):
            assert 99.8 <= t.loc[(y, OBLAST), f"{col}_share_sum"] <= 100.01


def test_growth_ratio_equals_the_bundled_derived_k(data, result):
    o = data.observations
    derived = o[(o["status"] == "derived") & o["indicator"].str.startswith("resource_growth_ratio_")]
    assert len(derived) == 76
    t = result.data["transformed"].xs(2019)
    for row in derived.itertuples():
        col = row.indicator.replace("resource_growth_ratio_", "") + "_k"
        assert t.loc[row.territory, col] == pytest.approx(row.value, abs=0.0005)
    assert t.loc["oskemen", "employed_k"] == pytest.approx(1.201, abs=0.001)  # spec part 1, M5
