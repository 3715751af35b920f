"""Seed 003 integral index of district innovation activity (Tables 44-45): ``seed003_integral_index.yaml``.

Table 45 (l.4411-4580) prints six partial indices and the integral index of 19 units. The geometric mean
of the printed partial indices reproduces 8 rows (4 of them duplicated rows); the arithmetic mean
reproduces none; the four zero-containing rows print 0.005, which no single zero substitute eps reproduces.
"""

from __future__ import annotations

import numpy as np
import pytest

from aimaq.engine.registry import METHODOLOGY_DIR
from aimaq.engine.reproduce import reproduce
from aimaq.engine.spec import Methodology

SPEC = METHODOLOGY_DIR / "seed003_integral_index.yaml"
PARTIALS = ["innov_index_it", "innov_index_io", "innov_index_ito", "innov_index_itp", "innov_index_ipo",
            "innov_index_ipp"]  # fmt: skip
# Table 45, integral index column as printed (l.4418-4577, every 9th line)
PUBLISHED = {
    "oskemen": 0.414, "kurchatov": 0.083, "ridder": 0.005, "semey": 0.352, "abai_district": 0.073,
    "ayagoz": 0.565, "beskaragai": 0.005, "borodulikha": 0.414, "glubokoe": 0.083, "zharma": 0.455,
    "zaisan": 0.052, "altai": 0.465, "kokpekti": 0.005, "kurshim": 0.044, "katonkaragai": 0.083,
    "tarbagatai": 0.005, "ulan": 0.352, "urzhar": 0.265, "shemonaikha": 0.365,
}  # fmt: skip
REPRODUCED = {"oskemen", "kurchatov", "semey", "borodulikha", "glubokoe", "katonkaragai", "ulan", "urzhar"}
ZERO_ROWS = {"ridder", "beskaragai", "kokpekti", "tarbagatai"}


@pytest.fixture(scope="module")
def data(bundled_store):
    return bundled_store.dataset()


@pytest.fixture(scope="module")
def result(data):
    return Methodology.from_yaml(SPEC).compute(data)


def _printed(data) -> dict[str, dict[str, float]]:
    o = data.observations
    o = o[o["indicator"].isin([*PARTIALS, "innov_integral_index"])]
    return {
        t: dict(zip(g["indicator"], g["value"].astype(float), strict=True)) for t, g in o.groupby("territory")
    }


def test_bundled_integral_column_is_the_printed_one(data):
    assert {t: v["innov_integral_index"] for t, v in _printed(data).items()} == PUBLISHED


def test_geometric_mean_reproduces_8_rows_and_explains_11(data, result):
    report = reproduce(result.methodology, data, result)
    assert report.ok, report.to_text()
    assert {c.territory for c in report.cells if c.status == "reproduced"} == REPRODUCED
    explained = {c.territory: c.reason for c in report.cells if c.status == "explained"}
    assert set(explained) == set(PUBLISHED) - REPRODUCED
    assert all("seed003_n13" in explained[t] or "seed003_n14" in explained[t] for t in explained)


def test_the_score_is_the_geometric_mean_with_explicit_eps(data, result):
    printed = _printed(data)
    for t in ("oskemen", "ridder"):
        x = np.maximum([printed[t][c] for c in PARTIALS], 0.001)  # l.4590: a zero is "infinitely small"
        assert result.table.xs(2020).loc[t, "score"] == pytest.approx(np.prod(x) ** (1 / 6))
    assert min(printed["ridder"][c] for c in PARTIALS) == 0.0


def test_no_single_eps_reproduces_the_four_zero_rows(data):
    printed = _printed(data)
    for eps in np.geomspace(1e-7, 1e-2, 200):
        ok = [
            round(float(np.prod(np.maximum([printed[t][c] for c in PARTIALS], eps)) ** (1 / 6)), 3) == 0.005
            for t in ZERO_ROWS
        ]
        assert not all(ok)


def test_arithmetic_mean_reproduces_no_row(data, result):
    arithmetic = result.regen({"aggregate.method": "arithmetic_mean"}, from_step="aggregate")
    report = reproduce(arithmetic.methodology, data, arithmetic)
    assert report.counts()["reproduced"] == 0


def test_duplicated_rows_are_reported_by_notes(data):
    notes = data.notes
    dup = notes[(notes["kind"] == "duplicate_row") & (notes["indicator"] == "innov_integral_index")]
    assert set(dup["territory"]) == {"borodulikha", "glubokoe", "katonkaragai", "tarbagatai", "ulan"}
