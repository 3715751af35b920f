"""Worked example: the Technology Achievement Index of the OECD/JRC Handbook (2008).

Data: Handbook Appendix Table A.2 (p.152-153), 23 countries x 8 indicators, shipped as the example
``methodologies/examples/oecd_tai_2008.csv``. Method: min-max normalisation, equal weights, arithmetic
mean (Table 22, row EW, p.100). The expected values below are computed by hand from Table A.2, not by aimaq.
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.engine.conftest import TAI_YAML

from aimaq.dataset import Dataset
from aimaq.engine import Methodology
from aimaq.engine.reproduce import reproduce


@pytest.fixture
def result(tai: Dataset):  # type: ignore[no-untyped-def]
    return Methodology.from_yaml(TAI_YAML).compute(tai)


def test_min_max_cells_by_hand(result) -> None:  # type: ignore[no-untyped-def]
    n = result.data["normalised"].xs(2001, level="year")
    # patents: min 8 (Singapore), max 994 (Japan); Finland 187 -> (187 - 8) / (994 - 8)
    assert n.at["finland", "patents"] == pytest.approx(179 / 986)
    assert n.at["japan", "patents"] == 1.0 and n.at["singapore", "patents"] == 0.0
    # schooling: min 7.1 (Singapore, Slovenia), max 12.0 (United States); Korea 10.8
    assert n.at["korea", "schooling"] == pytest.approx((10.8 - 7.1) / (12.0 - 7.1))
    # electricity (log): min 3.46 (Hungary), max 4.39 (Norway)
    assert n.at["norway", "electricity_log"] == 1.0
    assert n.at["sweden", "electricity_log"] == pytest.approx((4.14 - 3.46) / (4.39 - 3.46))


def test_finland_score_by_hand(result) -> None:  # type: ignore[no-untyped-def]
    # Finland's eight min-max values from Table A.2 (min, max over the 23 countries):
    cells = [
        (187, 8, 994),
        (125.6, 4, 156.6),
        (200.2, 4.8, 200.2),
        (50.7, 15.4, 80.8),
        (3.08, 2.73, 3.12),
        (4.15, 3.46, 4.39),
        (10, 7.1, 12),
        (27.4, 7.7, 27.4),
    ]
    expected = np.mean([(v - lo) / (hi - lo) for v, lo, hi in cells])
    t = result.table_for(2001)
    assert t.at["finland", "score"] == pytest.approx(expected)
    assert t.at["finland", "score"] == pytest.approx(0.71867, abs=5e-6)
    # dimension scores: creation = mean of patents and royalties
    assert t.at["finland", "creation"] == pytest.approx(((187 - 8) / 986 + (125.6 - 4) / 152.6) / 2)


def test_ranking_and_reproduction_of_table_23(result, tai: Dataset) -> None:  # type: ignore[no-untyped-def]
    t = result.table_for(2001).sort_values("rank")
    assert t.index[:3].tolist() == ["finland", "sweden", "united_states"]
    assert t.index[-1] == "hungary"
    report = reproduce(result.methodology, tai, result)
    assert report.ok
    assert report.counts() == {"reproduced": 11, "explained": 12, "not_computable": 0, "not_reproduced": 0}
    by = {(c.territory, c.column): c for c in report.cells}
    assert by["finland", "rank"].status == "reproduced"
    assert by["norway", "rank"].computed == 4 and by["norway", "rank"].expected == 12


def test_equal_weights_over_eight_indicators_equal_equal_weights_per_dimension(result) -> None:  # type: ignore[no-untyped-def]
    # Table 22, row EW: every indicator 1/8 (0.13 as printed); here 1/2 within each of 4 dimensions of 1/4
    ex = result.explain("korea")
    assert ex.indicators["weight"].tolist() == pytest.approx([0.125] * 8)
    assert ex.indicators["contribution"].sum() == pytest.approx(ex.score)
