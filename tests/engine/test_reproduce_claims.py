"""Published bounds and ranges (``">85"``, ``"10..12"``) and claim ids in reproduction reports."""

from __future__ import annotations

import pytest

from aimaq.dataset import Dataset
from aimaq.engine.reproduce import parse_bound, published_cells, reproduce
from aimaq.engine.spec import Methodology


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        (">85", (">", 85.0)),
        ("<= 2", ("<=", 2.0)),
        ("≥5", (">=", 5.0)),
        ("<-1.5", ("<", -1.5)),
        ("10..12", ("..", (10.0, 12.0))),
        ("85", None),
        ("above_1bn", None),
        (85, None),
    ],
)
def test_parse_bound(text: object, bound: object) -> None:
    assert parse_bound(text) == bound


def _spec(expected: dict) -> Methodology:
    return Methodology.from_dict(
        {
            "name": "t",
            "title": {"en": "T"},
            "indicators": ["x", "y"],
            "summarise": {"id": "total", "stat": "sum", "of": "x"},
            "expected": expected,
        },
        path="t.yaml",
    )


def test_bounds_are_reproduced_only_when_satisfied(toy: Dataset) -> None:
    """x is 10, 20, 30 (conftest): the sum 60 is > 50 and in 50..60, not < 60 nor in 61..70."""
    m = _spec(
        [
            {"claim": "C01", "x": {"total": ">50"}},
            {"claim": "C02", "x": {"total": "50..60"}},
            {"claims": {"x": "C03"}, "x": {"total": "<60"}},
            {"claim": "C04", "x": {"total": "61..70"}, "known": {"total.x": "the seed rounds up"}},
        ]
    )
    report = reproduce(m, toy)
    got = {c.claim: (c.status, c.computed) for c in report.cells}
    assert got == {
        "C01": ("reproduced", 60.0),
        "C02": ("reproduced", 60.0),
        "C03": ("not_reproduced", 60.0),
        "C04": ("explained", 60.0),
    }
    assert not report.ok
    text = report.to_text()
    assert "NOT REPRODUCED  C03  2020 total" in text and "published        <60  computed         60" in text
    assert report.to_dict()["cells"][0]["claim"] == "C01"


def test_claims_of_unavailable_cells_and_of_published_cells(toy: Dataset) -> None:
    m = _spec(
        {
            "claim": "C10",
            "x": {"total": 60},
            "unavailable": [
                {"claim": "C11", "column": "w", "reason": "figure lost", "values": {"kz": 1.5}},
                {"column": "v", "reason": "not in the seed", "values": {"kz": 2}},
            ],
        }
    )
    cells = reproduce(m, toy).cells
    assert [(c.column, c.status, c.claim) for c in cells] == [
        ("x", "reproduced", "C10"),
        ("w", "not_computable", "C11"),
        ("v", "not_computable", "C10"),
    ]
    assert published_cells(m)[0]["claim"] == "C10"


def test_reports_without_claims_read_as_before(toy: Dataset) -> None:
    report = reproduce(_spec({"x": {"total": 60}}), toy)
    assert report.cells[0].claim == ""
    assert report.to_text().startswith("reproduced      2020 total")
