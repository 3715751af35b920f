"""Seed 003 innovation-activity level (Tables 14-16, Figure 17): ``seed003_innovation_activity_level.yaml``.

Table 15 (l.1540-1690) prints, per unit, the enterprises surveyed, those with innovations and the level in %;
100 x col. 3 / col. 2 rounded to one decimal equals the printed level in 20 of 20 rows. Table 16's Zaisan
large-enterprise cell (200.0 %, l.1764) is impossible and is reported with its reason.
"""

from __future__ import annotations

import pytest

from aimaq.engine.registry import METHODOLOGY_DIR
from aimaq.engine.reproduce import reproduce
from aimaq.engine.spec import Methodology

SPEC = METHODOLOGY_DIR / "seed003_innovation_activity_level.yaml"
# Table 15, l.1540-1690: (enterprises surveyed, with innovations, level % as printed)
TABLE15 = {
    "east_kazakhstan_1997": (1831, 236, 12.9), "oskemen": (925, 123, 13.3),
    "kurchatov": (20, 5, 25.0), "ridder": (74, 10, 13.5), "semey": (404, 25, 6.2),
    "abai_district": (8, 1, 12.5), "ayagoz": (26, 10, 38.5), "beskaragai": (9, 1, 11.1),
    "borodulikha": (29, 2, 6.9), "glubokoe": (56, 5, 8.9), "zharma": (37, 5, 13.5),
    "zaisan": (14, 2, 14.3), "altai": (87, 16, 18.4), "kokpekti": (24, 3, 12.5), "kurshim": (10, 3, 30.0),
    "katonkaragai": (13, 2, 15.4), "tarbagatai": (16, 4, 25.0), "ulan": (21, 8, 38.1),
    "urzhar": (15, 4, 26.7), "shemonaikha": (43, 7, 16.3),
}  # fmt: skip


@pytest.fixture(scope="module")
def data(bundled_store):
    return bundled_store.dataset()


@pytest.fixture(scope="module")
def result(data):
    return Methodology.from_yaml(SPEC).compute(data)


def test_table_15_levels_reproduce_in_20_of_20_rows(result):
    table = result.table.xs(2020)
    for t, (n, k, printed) in TABLE15.items():
        assert table.loc[t, "score"] == pytest.approx(100 * k / n)
        assert round(table.loc[t, "score"] + 1e-9, 1) == printed


def test_ranking_by_level(result):
    table = result.table.xs(2020).drop("east_kazakhstan_1997")
    ranked = table.sort_values("score", ascending=False).index[:4].tolist()
    assert ranked == ["ayagoz", "ulan", "kurshim", "urzhar"]


def test_report_lists_tables_15_16_and_figure_17(data, result):
    report = reproduce(result.methodology, data, result)
    assert report.ok, report.to_text()
    # Table 15 (20) and Table 16's oblast large class reproduce; Table 16's other 59 printed cells and the
    # oblast series 2013-2019 (7) plus Kazakhstan's 11.3 % are listed as not computable, with the reason
    assert report.counts() == {"reproduced": 21, "explained": 0, "not_computable": 67, "not_reproduced": 0}
    cells = {(c.year, c.territory, c.column): c for c in report.cells}
    large = "transformed.innovation_activity_level_large"
    oblast_large = cells[(2020, "east_kazakhstan_1997", large)]
    assert oblast_large.status == "reproduced" and oblast_large.computed == pytest.approx(100 * 73 / 126)
    zaisan = cells[(2020, "zaisan", "innov_activity_level_large")]
    assert zaisan.expected == 200 and zaisan.status == "not_computable" and "seed003_n155" in zaisan.reason
    # every printed cell of Table 16 (20 units x 3 size classes, l.1706-1805) is listed once
    observations = data.observations
    t16 = observations[observations["indicator"].str.match(r"innov_activity_level_(small|medium|large)$")]
    assert len(t16) == 60
    size = {large: "large", **{f"innov_activity_level_{k}": k for k in ("small", "medium", "large")}}
    listed = {(t, size[c]) for (y, t, c) in cells if y == 2020 and c in size}
    for row in t16.itertuples():
        assert (row.territory, row.indicator.removeprefix("innov_activity_level_")) in listed, row
    small = cells[(2020, "oskemen", "innov_activity_level_small")]
    assert (
        small.expected == 7.6
        and "small enterprises surveyed" in small.reason
        and "(l.1707-1802)" in small.reason
    )
    # Figure 17 / Table 14: the oblast series 2013-2019 is listed; only 2020 has a printed denominator
    years = sorted(y for (y, t, c) in cells if t == "east_kazakhstan_1997" and c == "score")
    assert years == list(range(2013, 2021))
    assert cells[(2013, "east_kazakhstan_1997", "score")].expected == 5.6
    assert cells[(2013, "east_kazakhstan_1997", "score")].status == "not_computable"
    assert cells[(2020, "east_kazakhstan_1997", "score")].status == "reproduced"


def test_zaisans_200_percent_is_infeasible():
    # 14 enterprises, 2 innovators (Table 15); small and medium print '-': at most 2 of n >= 2 large ones
    n_total, k_total = TABLE15["zaisan"][:2]
    feasible = {round(100 * k / n, 1) for n in range(1, n_total + 1) for k in range(0, min(n, k_total) + 1)}
    assert 200.0 not in feasible and 100.0 in feasible
