"""Reproduction reports: reproduced, explained and unexplained cells; published values from the data."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest
from tests.engine.conftest import TOY_SPEC, long

from aimaq.dataset import Dataset
from aimaq.engine import Methodology, SpecErrors
from aimaq.engine.reproduce import default_tolerance, reproduce


def with_expected(expected: object) -> Methodology:
    spec = copy.deepcopy(TOY_SPEC)
    spec["expected"] = expected
    return Methodology.from_dict(spec, path="toy.yaml")


def test_default_tolerance_is_half_a_unit_of_the_printed_digit() -> None:
    assert default_tolerance(0.5078) == 5e-05
    assert default_tolerance(40) == 0.5
    assert default_tolerance(1.25) == 0.005
    assert default_tolerance(2e-7) == 5e-8


def test_cells_reproduced_explained_and_unexplained(toy: Dataset) -> None:
    m = with_expected(
        {
            "source": {"seed": "999", "table": "T1", "lines": "10-12"},
            "score": {"a": 0, "b": 0.63, "c": 0.95},
            "class": {"a": "low", "b": "high"},
            "known": {"c.score": "printed 0.95; its parts give 0.875"},
        }
    )
    report = reproduce(m, toy)
    by = {(c.territory, c.column): c for c in report.cells}
    assert by["a", "score"].status == "reproduced"
    assert by["b", "score"].status == "reproduced"  # 0.625 within 0.005 of the printed 0.63
    assert by["c", "score"].status == "explained" and by["c", "score"].delta == pytest.approx(-0.075)
    assert by["b", "class"].status == "reproduced"
    assert report.ok
    assert "seed 999, table T1, l.10-12" in by["a", "score"].source
    text = report.to_text()
    assert "explained" in text and "printed 0.95; its parts give 0.875" in text
    assert text.splitlines()[-1] == (
        "toy: 5 cells, 4 reproduced, 1 not reproduced with a documented reason, "
        "0 not reproduced without one: OK"
    )


def test_an_unexplained_mismatch_fails_and_is_named(toy: Dataset) -> None:
    m = with_expected({"rank": {"a": 1}, "score": {"zz": 1.0}, "tolerance": {"abs": 0.0}})
    report = reproduce(m, toy)
    assert not report.ok
    assert report.counts()["not_reproduced"] == 2
    cells = {c.territory: c for c in report.cells}
    assert cells["zz"].reason == "the territory is not in the result"
    data = json.loads(report.to_json())
    assert data["ok"] is False and data["cells"][0]["status"] == "not_reproduced"
    assert list(report.to_frame().columns)[:3] == ["territory", "column", "year"]


def test_published_values_stored_as_observations(toy: Dataset) -> None:
    rows = [
        ("a", "x", 2020, 10.0),
        ("b", "x", 2020, 20.0),
        ("c", "x", 2020, 30.0),
        ("a", "y", 2020, 5.0),
        ("b", "y", 2020, 1.0),
        ("c", "y", 2020, 3.0),
        ("b", "printed_score", 2020, 0.625),
        ("c", "printed_score", 2020, 0.8),
    ]
    data = long(rows, indicators=toy.indicators)
    m = with_expected({"observed": {"score": "printed_score"}, "tolerance": 0.001})
    report = reproduce(m, data)
    by = {c.territory: c for c in report.cells}
    assert by["b"].status == "reproduced" and by["c"].status == "not_reproduced"
    assert by["c"].source == "test row 8"


def test_an_unknown_column_is_a_spec_error(toy: Dataset) -> None:
    m = with_expected({"totl": {"a": 1}})
    with pytest.raises(SpecErrors) as info:
        reproduce(m, toy)
    assert str(info.value.problems[0]).startswith(
        "toy.yaml, expected.totl: 'totl' is not a column of the result"
    )


def test_indicator_and_step_columns(toy: Dataset) -> None:
    m = with_expected({"x": {"b": 0.5}, "selected.y": {"c": 3}})
    report = reproduce(m, toy)
    assert [c.status for c in report.cells] == ["reproduced", "reproduced"]


def test_published_values_of_a_period_count_for_its_end_year(toy: Dataset) -> None:
    extra = pd.DataFrame(
        [
            {"territory": "b", "indicator": "printed_rank", "period": "2015-2020", "value": 2.0},
            {"territory": "c", "indicator": "printed_rank", "period": "2020", "value": 1.0},
        ]
    )
    obs = pd.concat([toy.observations, Dataset.from_long(extra).observations], ignore_index=True)
    data = Dataset(obs, toy.territories, toy.indicators)
    report = reproduce(with_expected({"observed": {"rank": "printed_rank"}}), data)
    assert {c.territory: c.status for c in report.cells} == {"b": "reproduced", "c": "reproduced"}


def test_published_cells_that_are_not_computed_can_be_listed_with_a_reason(toy: Dataset) -> None:
    m = with_expected({"small_share": {"a": 6.1}, "known": {"a.small_share": "no denominator is printed"}})
    report = reproduce(m, toy)
    (cell,) = report.cells
    assert (cell.status, cell.computed, cell.reason) == ("explained", None, "no denominator is printed")
    assert report.ok


def test_unavailable_cells_are_listed_as_not_computable_never_compared(toy: Dataset) -> None:
    """Cells a source prints without their inputs (seed 003 Table 16's small/medium columns; the 73 335 /
    52.3 % under Table 41, l.4209) are listed with the reason and counted, and never fail the report."""
    m = with_expected(
        {
            "source": {"seed": "003", "table": "T41", "lines": "4209"},
            "score": {"a": 0},
            "unavailable": [
                {
                    "column": "employed_lowest_group",
                    "reason": "the seed gives no employment per district",
                    "lines": "4209",
                    "values": {"east_kazakhstan_1997": 73335, "kz": 52.3},
                },
                {"column": "score", "reason": "not in the data", "values": {"zz": 1.0}},
            ],
        }
    )
    report = reproduce(m, toy)
    assert report.ok
    assert report.counts() == {"reproduced": 1, "explained": 0, "not_computable": 3, "not_reproduced": 0}
    cell = next(c for c in report.cells if c.territory == "east_kazakhstan_1997")
    assert (cell.status, cell.expected, cell.computed, cell.column) == (
        "not_computable",
        73335,
        None,
        "employed_lowest_group",
    )
    assert cell.reason == "the seed gives no employment per district (l.4209)"
    text = report.to_text()
    assert "not computable  2020 east_kazakhstan_1997" in text or "not computable" in text.splitlines()[1]
    assert text.splitlines()[-1] == (
        "toy: 4 cells, 1 reproduced, 0 not reproduced with a documented reason, 3 not computable from the "
        "source's data, 0 not reproduced without one: OK"
    )
    assert json.loads(report.to_json())["counts"]["not_computable"] == 3


def test_unavailable_needs_a_reason_and_values(toy: Dataset) -> None:
    with pytest.raises(SpecErrors) as err:
        Methodology.from_dict(
            {**copy.deepcopy(TOY_SPEC), "expected": {"unavailable": [{"column": "x", "values": {"a": 1}}]}},
            path="toy.yaml",
        )
    assert "expected.unavailable.0" in str(err.value) and "'reason' is a required property" in str(err.value)
    m = with_expected({"unavailable": [{"column": "x", "reason": " ", "values": {"a": 1}}]})
    with pytest.raises(SpecErrors, match=r"expected\.unavailable\.0: a published cell the method cannot"):
        reproduce(m, toy)
