"""Check of Table 45's partial indices against their formula: ``seed003_integral_index_partials.yaml``.

l.4387 defines a partial index as (X - Xmin) / (Xmax - Xmin) over the districts, so each printed column should
span [0, 1] and survive a second min-max unchanged. None of the six columns does (notes seed003_n143-n148).
"""

from __future__ import annotations

import pytest

from aimaq.engine.registry import METHODOLOGY_DIR
from aimaq.engine.reproduce import reproduce
from aimaq.engine.spec import Methodology

SPEC = METHODOLOGY_DIR / "seed003_integral_index_partials.yaml"


@pytest.fixture(scope="module")
def data(bundled_store):
    return bundled_store.dataset()


def test_every_partial_cell_is_listed_and_moved_cells_are_explained(data):
    m = Methodology.from_yaml(SPEC)
    r = m.compute(data)
    report = reproduce(m, data, r)
    assert report.ok, report.to_text()
    assert len(report.cells) == 6 * 19
    assert report.counts() == {"reproduced": 14, "explained": 100, "not_computable": 0, "not_reproduced": 0}
    # a column whose printed minimum is 0 keeps its zeros; its printed maximum never reaches 1
    cells = {(c.territory, c.column): c for c in report.cells}
    assert cells[("ridder", "innov_index_ito")].status == "reproduced"  # printed 0, stays 0
    assert cells[("oskemen", "innov_index_it")].expected == pytest.approx(0.525)


def test_printed_columns_do_not_span_the_unit_interval(data):
    o = data.observations
    spans = {}
    for c in ("it", "io", "ito", "itp", "ipo", "ipp"):
        v = o.loc[o["indicator"] == f"innov_index_{c}", "value"].astype(float)
        spans[c] = (v.min(), v.max())
    assert spans == {
        "it": (0.024, 1.0), "io": (0.005, 0.716), "ito": (0.0, 0.67), "itp": (0.0, 0.529),
        "ipo": (0.015, 0.758), "ipp": (0.011, 0.891),
    }  # fmt: skip


def test_zeros_are_left_out_explicitly_and_logged(data):
    r = Methodology.from_yaml(SPEC).compute(data)
    record = next(x for x in r.log if x.step == "aggregate")
    assert record.params["zeros"] == "skip"
    assert sum(record.learned["n_skipped"][0]) >= 6  # at least each column's own minimum
