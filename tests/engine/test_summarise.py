"""Summaries over territories (``summarise:``): every statistic of ``summary_stat`` by hand, the missing-value
rules, parameter errors that name the parameter, and the engine's summaries of a reference table and of a
reference territory that is not selected (seed 001: Fig. 4's unassigned bars, the national row)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aimaq.dataset import Dataset
from aimaq.engine.errors import SpecErrors
from aimaq.engine.pipeline import summary_stat
from aimaq.engine.reproduce import reproduce
from aimaq.engine.spec import SCHEMA, SUMMARY_STATS, Methodology

from .conftest import long

#: seed 001 Fig. 1 (l.820-858): GERD per 100,000 inhabitants of the 20 regions, 2024, mln KZT
FIG1 = np.array(
    [4243.78, 3135.70, 2180.15, 1513.68, 1155.95, 892.98, 566.70, 526.12, 434.76, 369.85,
     308.97, 276.42, 261.94, 235.15, 235.00, 165.48, 127.25, 120.11, 107.87, 15.30]
)  # fmt: skip


def test_plain_reductions_by_hand() -> None:
    x = np.array([[4.0, 1.0, 2.0, 8.0], [3.0, 3.0, 3.0, 3.0]])
    assert summary_stat(x, "sum").tolist() == [15.0, 12.0]
    assert summary_stat(x, "mean").tolist() == [3.75, 3.0]
    assert summary_stat(x, "min").tolist() == [1.0, 3.0]
    assert summary_stat(x, "max").tolist() == [8.0, 3.0]
    assert summary_stat(x, "median").tolist() == [3.0, 3.0]  # (2 + 4) / 2 for an even n


def test_the_seeds_figure1_statistics() -> None:
    """C07-C10 (l.784-788, 885-887): max/min 277, IQR 658 only with nearest-rank quartiles, mean, median."""
    assert summary_stat(FIG1, "ratio", numerator="max", denominator="min") == pytest.approx(277.37, abs=0.01)
    assert summary_stat(FIG1, "iqr", method="nearest") == pytest.approx(892.98 - 235.00)
    assert summary_stat(FIG1, "iqr") == pytest.approx(741.10, abs=0.01)  # numpy's default does not give 658
    assert summary_stat(FIG1, "mean") == pytest.approx(843.658)
    assert summary_stat(FIG1, "median") == pytest.approx((369.85 + 308.97) / 2)
    assert summary_stat(FIG1, "ratio", numerator="max", denominator="mean") > 5  # C04
    assert summary_stat(FIG1, "count", above=1000) == 5  # C05
    assert summary_stat(FIG1, "rank", position=0) == 1
    assert summary_stat(FIG1, "rank", position=19, ascending=True) == 1  # C06: Ulytau lowest
    assert summary_stat(FIG1, "quantile", q=0.25, method="nearest") == 235.00


def test_count_compares_strictly_and_with_a_statistic() -> None:
    x = np.array([1.0, 2.0, 3.0, np.nan, 10.0])
    assert summary_stat(x, "count") == 4  # territories with a value
    assert summary_stat(x, "count", above=2) == 2  # 3 and 10: 2 itself is not above
    assert summary_stat(x, "count", below="mean") == 3  # mean of the four values = 4
    assert summary_stat(x, "count", above=1, below=10) == 2


def test_rank_ties_share_the_best_rank_and_a_missing_value_leaves_it_missing() -> None:
    x = np.array([[5.0, 7.0, 7.0], [5.0, np.nan, 1.0]])
    assert summary_stat(x, "rank", position=1).tolist()[0] == 1.0
    assert summary_stat(x[0], "rank", position=2) == 1.0 and summary_stat(x[0], "rank", position=0) == 3.0
    assert np.isnan(summary_stat(x, "rank", position=0)[1])
    assert summary_stat(x, "rank", position=0, skip_missing=True)[1] == 1.0


def test_missing_values_propagate_unless_skipped() -> None:
    x = np.array([[2.0, np.nan, 4.0], [np.nan, np.nan, np.nan]])
    assert np.isnan(summary_stat(x, "mean")).all()
    got = summary_stat(x, "mean", skip_missing=True)
    assert got[0] == 3.0 and np.isnan(got[1])  # nothing published: missing, never 0
    assert np.isnan(summary_stat(x, "sum", skip_missing=True)[1])
    assert summary_stat(x, "share_of_max", maximum=4, skip_missing=True)[0] == pytest.approx(75.0)


def test_share_of_a_reference_value() -> None:
    """C35 (l.1212-1220): four regions' doctoral students over the country's 7,633 = 85.44 %."""
    four = np.array([3673.0, 2067.0, 344.0, 438.0])
    assert summary_stat(four, "share_of", reference=np.array(7633.0)) == pytest.approx(85.4448, abs=1e-4)
    assert summary_stat(four, "share_of", reference=np.array(7633.0), scale=1) == pytest.approx(0.854448)


@pytest.mark.parametrize(
    ("stat", "params", "names"),
    [
        ("share_of_max", {}, "max"),
        ("quantile", {"q": 2}, "q"),
        ("ratio", {"numerator": "max", "denominator": "spread"}, "denominator"),
        ("count", {"above": "average"}, "above"),
        ("rank", {}, "territory"),
        ("share_of", {}, "reference"),
        ("iqr", {"method": "closest"}, "method"),
        ("mode", {}, "stat"),
    ],
)
def test_bad_parameters_name_the_parameter(stat: str, params: dict, names: str) -> None:
    with pytest.raises(ValueError, match=rf"^{names}:"):
        summary_stat(np.array([1.0, 2.0]), stat, **params)


def test_the_schema_lists_every_statistic() -> None:
    assert SCHEMA["$defs"]["summary"]["properties"]["stat"]["enum"] == list(SUMMARY_STATS)
    for stat in SUMMARY_STATS:
        summary_stat(
            np.array([1.0, 2.0, 4.0]),
            stat,
            maximum=4,
            q=0.5,
            numerator="max",
            denominator="min",
            position=0,
            reference=np.array(7.0),
        )


def _panel() -> Dataset:
    territories = pd.DataFrame(
        {"level": ["region"] * 3 + ["country"], "parent": ["kz", "kz", "kz", None]},
        index=pd.Index(["a", "b", "c", "kz"], name="code"),
    )
    rows = [("a", "x", 2020, 1.0), ("b", "x", 2020, 3.0), ("c", "y", 2020, 1.0), ("kz", "x", 2020, 5.0)]
    bars = pd.DataFrame(
        {"row_type": ["region"] * 4 + ["mean"], "value": ["4.0", "1.0", "2.0", "8.0", "3.75"]}
    )
    return long(rows, territories=territories, tables={"bars": bars})


def _spec(summaries: list[dict], expected: dict | None = None) -> Methodology:
    spec = {
        "name": "t",
        "title": {"en": "T"},
        "select": {"territories": {"level": "region"}, "years": [2020]},
        "indicators": ["x", "y"],  # c has y only: its x is missing
        "summarise": summaries,
    }
    if expected:
        spec["expected"] = expected
    return Methodology.from_dict(spec, path="t.yaml")


def test_summaries_of_a_reference_table_and_of_an_unselected_reference_territory() -> None:
    m = _spec(
        [
            {
                "id": "bars_mean",
                "stat": "mean",
                "table": "bars",
                "where": {"row_type": "region"},
                "of": "value",
            },
            {
                "id": "bars_below",
                "stat": "count",
                "below": "mean",
                "table": "bars",
                "of": "value",
                "where": {"row_type": "region"},
            },
            {"id": "of_kz", "stat": "share_of", "reference": "kz", "of": "x", "missing": "skip"},
            {"id": "published", "stat": "mean", "missing": "skip", "of": "x"},
        ],
        {
            "claim": "C99",
            "value": {"bars_mean": 3.75, "bars_below": "<3"},
            "x": {"of_kz": 80, "published": 2},
        },
    )
    data = _panel()
    r = m.compute(data)
    s = r.data["summarised"].xs(2020, level="year")
    assert s.loc["bars_mean", "value"] == 3.75 and s.loc["bars_below", "value"] == 2
    assert s.loc["of_kz", "x"] == pytest.approx(80.0)  # (1 + 3) / 5, kz not selected
    assert list(r.territories) == ["a", "b", "c"]
    log = {x.key: x for x in r.log if x.step == "summarise"}
    assert "left out" in log["summarise.3"].warnings[0]
    report = reproduce(m, data, r)
    assert report.ok and {c.claim for c in report.cells} == {"C99"}


def test_summary_errors_name_the_key() -> None:
    data = _panel()
    for block, key in [
        ({"id": "t", "stat": "mean", "table": "barz", "of": "value"}, "summarise.0.table"),
        ({"id": "t", "stat": "mean", "table": "bars", "of": "valu"}, "summarise.0.of"),
        ({"id": "t", "stat": "rank", "territory": "kz", "of": "x"}, "summarise.0.territory"),
        ({"id": "t", "stat": "quantile", "q": 0.5, "method": "closest", "of": "x"}, "summarise.0"),
    ]:
        with pytest.raises(SpecErrors) as info:
            _spec([block]).compute(data)
        assert [p.key for p in info.value.problems] == [key], block
