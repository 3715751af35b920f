"""Seed 003 Ki.a from Table 38's printed partial indices (``seed003_innovation_coefficient_printed.yaml``).

The published coefficient 0.5078 (l.3935) is the arithmetic mean of the ten I printed on l.3918-3928; the
variant selects those cells through their span period 2013-2018.
"""

from __future__ import annotations

import pytest

from aimaq.engine.registry import load
from aimaq.engine.reproduce import reproduce
from aimaq.methods.aggregate import geometric_mean
from aimaq.store.repository import Store

NAME = "seed003_innovation_coefficient_printed"
# Table 38 as printed, l.3918-3928
PRINTED_I = [0.574, 0.534, 0.516, 0.318, 0.472, 0.451, 0.474, 0.518, 0.645, 0.576]


def test_variant_reproduces_0_5078_and_the_average_level(bundled_store: Store) -> None:
    ds = bundled_store.dataset()
    m = load(NAME)
    assert m.status == "variant" and m.problems() == []
    r = m.compute(ds)
    assert r.years == (2018,)
    assert r.table.loc[(2018, "kz"), "score"] == pytest.approx(sum(PRINTED_I) / 10)
    assert round(float(r.table.loc[(2018, "kz"), "score"]), 4) == 0.5078
    report = reproduce(m, ds, r)
    assert report.counts() == {"reproduced": 2, "explained": 0, "not_computable": 0, "not_reproduced": 0}
    assert {c.column: c.expected for c in report.cells} == {"score": 0.5078, "level": "average"}


def test_the_geometric_mean_would_not_give_it() -> None:
    """The formula image is lost (note seed003_n047): only the arithmetic mean gives the printed value."""
    import numpy as np

    g = geometric_mean(np.array([PRINTED_I]), np.full(10, 0.1))
    assert round(float(g[0]), 4) == 0.5
