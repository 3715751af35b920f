"""Validation error rows and their rendering (aimaq.store.errors)."""

from __future__ import annotations

import pytest

from aimaq.store.errors import REASONS, ValidationError, ValidationErrors


def test_rendering_follows_the_house_style() -> None:
    errors = ValidationErrors(
        [
            ValidationError(
                "data/k.xlsx", "2021", 14, "Value", "not_numeric", "12,5 %", "write 12,5 or 12.5"
            ),
            ValidationError(
                "data/k.xlsx", "2021", 15, "Territory", "unknown_territory", "Балхаш-2", 'closest "Балхаш"'
            ),
        ]
    )
    assert str(errors).splitlines() == [
        'data/k.xlsx, sheet "2021", row 14, column "Value": "12,5 %": the value is not a number; '
        "write 12,5 or 12.5 [not_numeric]",
        'data/k.xlsx, sheet "2021", row 15, column "Territory": "Балхаш-2": unknown territory; '
        'closest "Балхаш" [unknown_territory]',
        "2 errors in 1 file; nothing was written.",
    ]
    assert errors.reasons == ["not_numeric", "unknown_territory"]
    payload = errors.to_dict()
    assert payload["ok"] is False
    assert payload["errors"][0] == {
        "file": "data/k.xlsx",
        "sheet": "2021",
        "row": 14,
        "column": "Value",
        "reason": "not_numeric",
        "value": "12,5 %",
        "expected": "write 12,5 or 12.5",
    }


def test_file_level_error_and_limit() -> None:
    rows = [ValidationError(f"f{i}.csv", None, None, None, "empty_file") for i in range(3)]
    text = ValidationErrors(rows).render(limit=2)
    assert text.splitlines() == [
        "f0.csv: the file has no data [empty_file]",
        "f1.csv: the file has no data [empty_file]",
        "... and 1 more",
        "3 errors in 3 files; nothing was written.",
    ]


def test_unknown_reason_and_empty_list_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown validation reason 'oops'"):
        ValidationError("a.csv", None, 1, None, "oops")
    with pytest.raises(ValueError, match="at least one error"):
        ValidationErrors([])


def test_every_reason_has_an_english_message() -> None:
    assert all(isinstance(m, str) and m for m in REASONS.values())


def test_every_reason_is_documented() -> None:
    """docs/store.md explains every reason code (Datasette's tests/test_docs.py idea)."""
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "store.md").read_text(encoding="utf-8")
    missing = [r for r in REASONS if f"`{r}`" not in docs]
    assert missing == []
