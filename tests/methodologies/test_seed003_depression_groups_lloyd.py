"""Seeded Lloyd variant of the seed 003 depression groups: ``seed003_depression_groups_lloyd.yaml``.

The seed says only "k-means" (l.4154); the variant runs one seeded k-means++ start of Lloyd's algorithm per
indicator. It must be reproducible, account for every published cell of Tables 41-43, and show where a single
Lloyd run lands compared with the exact optimum.
"""

from __future__ import annotations

import pytest

from aimaq.engine.registry import METHODOLOGY_DIR
from aimaq.engine.reproduce import reproduce
from aimaq.engine.spec import Methodology

YEAR = 2019


@pytest.fixture(scope="module")
def data(bundled_store):
    return bundled_store.dataset()


def test_lloyd_variant_is_seeded_and_every_cell_is_accounted_for(data):
    m = Methodology.from_yaml(METHODOLOGY_DIR / "seed003_depression_groups_lloyd.yaml")
    assert m.status == "variant"
    assert all(e.params["seed"] == 0 and e.params["n_init"] == 1 for e in m.classifications)
    r1, r2 = m.compute(data), m.compute(data)
    assert r1.table.equals(r2.table)  # a fixed seed: the same groups every run
    report = reproduce(m, data, r1)
    assert report.ok, report.to_text()
    assert report.counts() == {"reproduced": 33, "explained": 24, "not_computable": 0, "not_reproduced": 0}


def test_one_lloyd_run_reaches_the_wage_optimum_but_not_the_investment_optimum(data):
    lloyd = Methodology.from_yaml(METHODOLOGY_DIR / "seed003_depression_groups_lloyd.yaml").compute(data)
    exact = Methodology.from_yaml(METHODOLOGY_DIR / "seed003_depression_groups.yaml").compute(data)
    a, b = lloyd.table.xs(YEAR), exact.table.xs(YEAR)
    assert a["wage_group"].equals(b["wage_group"])
    assert a["industry_group"].equals(b["industry_group"])
    # X5: this start stops in another local optimum: Altai and Kurchatov one group higher, as in Table 43
    differ = a.index[a["investment_group"] != b["investment_group"]]
    assert list(differ) == ["altai", "kurchatov"]
    assert list(a.loc[differ, "investment_group"]) == ["medium", "medium"]
    assert list(b.loc[differ, "investment_group"]) == ["low", "low"]
