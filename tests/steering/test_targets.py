"""Table 3 targets of seed 001: the plan matches the seed, the counting and the traffic lights."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aimaq.steering.targets import compute, light, load_plan

SEED = "/work/shared/seeds/001_ae16649e32aa1527.txt"


def test_plan_is_table_3() -> None:
    plan = {(t.indicator_no, t.year): t.plan for t in load_plan()}
    assert [plan[(2, y)] for y in range(2026, 2031)] == [2, 4, 6, 10, 15]
    assert [plan[(3, y)] for y in range(2026, 2031)] == [None, 1, 2, 4, 7]
    assert [plan[(4, y)] for y in range(2026, 2031)] == [None, None, 1, 1, 2]
    try:
        lines = Path(SEED).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        pytest.skip("the seed texts are not available")
    assert lines[2133].split()[-5:] == ["2", "4", "6", "10", "15"]  # l.2134
    assert lines[2170].split()[-5:] == ["2", "4", "6", "8", "10"]  # l.2171


@pytest.mark.parametrize(
    ("plan", "actual", "year", "as_of", "expected"),
    [
        (5, 5, 2026, dt.date(2027, 1, 1), "green"),
        (5, 2.5, 2026, dt.date(2027, 1, 1), "amber"),
        (5, 2.4, 2026, dt.date(2027, 1, 1), "red"),
        (4, 2, 2027, dt.date(2027, 7, 2), "amber"),  # 183/365 of the year gone: prorated plan 2.005 > 2
        (4, 2, 2027, dt.date(2027, 7, 1), "green"),  # 182/365: prorated plan 1.995
        (10, 0, 2029, dt.date(2028, 12, 31), "pending"),
        (None, 3, 2026, dt.date(2027, 1, 1), "no_target"),
    ],
)
def test_lights(plan: float | None, actual: float, year: int, as_of: dt.date, expected: str) -> None:
    assert light(plan, actual, year, as_of) == expected


def test_counts_by_effective_year_and_academy_participation() -> None:
    audit = [
        {"transition_id": "FS-3", "effective_on": dt.date(2026, 3, 1), "object_id": 1},
        {"transition_id": "FS-3", "effective_on": dt.date(2027, 3, 1), "object_id": 2},
        {"transition_id": "PR-5", "effective_on": dt.date(2027, 5, 1), "object_id": 3},
        {"transition_id": "PR-5", "effective_on": dt.date(2027, 6, 1), "object_id": 4},
    ]
    objects = {
        1: {"entity": "ForesightSession", "state": "documented", "attrs": {}, "parent_id": None},
        2: {"entity": "ForesightSession", "state": "documented", "attrs": {}, "parent_id": None},
        3: {
            "entity": "Project",
            "state": "contracted",
            "attrs": {"academy_participation": True, "total_cost": 200.0},
            "parent_id": None,
        },
        4: {"entity": "Project", "state": "contracted", "attrs": {"total_cost": 999.0}, "parent_id": None},
        5: {
            "entity": "FundingCommitment",
            "state": "confirmed",
            "attrs": {"source": "private", "amount": 2.0},
            "parent_id": 3,
        },
        6: {
            "entity": "FundingCommitment",
            "state": "pledged",
            "attrs": {"source": "local_budget", "amount": 50.0},
            "parent_id": 3,
        },
    }
    t = compute(audit, objects, as_of=dt.date(2027, 12, 31)).set_index(["indicator_no", "year"])
    assert t.loc[(1, 2026), "actual"] == 1 and t.loc[(1, 2027), "actual"] == 1
    assert t.loc[(3, 2027), "actual"] == 1 and t.loc[(3, 2027), "evidence"] == [3]  # project 4: no Academy
    assert t.loc[(3, 2027), "light"] == "green"
    assert t.loc[(4, 2027), "actual"] == pytest.approx(1.0)  # 2 of 200; the pledge does not count
    assert t.loc[(4, 2027), "light"] == "no_target"
    assert len(t) == 25
