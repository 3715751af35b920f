"""Seed 003 dynamics classes of 2020 (Table 12) and aimaq's proxy rule: ``seed003_dynamics_classes.yaml``.

The published classes (l.1284-1318) are data; the spec's rule (terciles of the mean min-max-normalised
growth of three resource shares 2010-2019, Table 26) is aimaq's and agrees with Table 12 for 7 of 19 units.
"""

from __future__ import annotations

import pytest

from aimaq.engine.registry import METHODOLOGY_DIR
from aimaq.engine.reproduce import reproduce
from aimaq.engine.spec import Methodology

SPEC = METHODOLOGY_DIR / "seed003_dynamics_classes.yaml"
# Table 12 as printed, l.1284-1318
TABLE12 = {
    "high": {"ayagoz", "kokpekti", "abai_district", "zharma", "shemonaikha", "borodulikha"},
    "medium": {"altai", "zaisan", "ulan", "semey", "ridder", "glubokoe", "kurshim"},
    "low": {"oskemen", "urzhar", "kurchatov", "beskaragai", "katonkaragai", "tarbagatai"},
}


@pytest.fixture(scope="module")
def data(bundled_store):
    return bundled_store.dataset()


def test_published_classes_are_bundled_as_data(data):
    o = data.observations
    o = o[o["indicator"] == "socioecon_dynamics_class"]
    got = {c: set(o.loc[o["value_text"] == c, "territory"]) for c in TABLE12}
    assert got == TABLE12


def test_agreement_of_the_proxy_rule_is_reported(data):
    m = Methodology.from_yaml(SPEC)
    r = m.compute(data)
    report = reproduce(m, data, r)
    assert report.ok, report.to_text()
    assert report.counts() == {"reproduced": 7, "explained": 12, "not_computable": 0, "not_reproduced": 0}
    assert all("aimaq's proxy rule" in c.reason for c in report.cells if c.status == "explained")
    sizes = r.table.xs(2019)["dynamics_class"].value_counts().to_dict()
    assert sum(sizes.values()) == 19 and all(6 <= n <= 7 for n in sizes.values())  # terciles, as 6 / 7 / 6


def test_the_rule_is_configurable(data):
    m = Methodology.from_yaml(SPEC)
    r = m.compute(data)
    # the growth of employment alone, as a what-if of the rule
    alt = r.regen({"indicators": [{"code": "k_employed", "direction": 1}]}, from_step="select")
    assert set(alt.table.xs(2019).index) == set().union(*TABLE12.values())
    k = alt.data["transformed"].xs(2019)["k_employed"]
    assert k["oskemen"] == pytest.approx(1.201, abs=0.002)  # spec part 1, M5: Oskemen 1.201
