"""Validation errors of the store: every problem of an input as one row, raised once.

The shape follows pandera's lazy validation (``pandera/errors.py``, ``SchemaErrors``): check everything, then
raise one exception holding every failure with a reason code. The rows are
``(file, sheet, row, column, reason, value, expected)``; ``reason`` is one of :data:`REASONS` and doubles as
the kk/ru/en message id. The CLI, the JSON ``{"ok": false, "errors": [...]}`` and the web page show the same
rows (house style, "Errors name the file, row, column or key").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

#: Reason codes, each a message id in the kk/ru/en catalogues.
REASONS: dict[str, str] = {
    "unknown_territory": "unknown territory",
    "ambiguous_territory": "the name matches more than one territory",
    "unknown_indicator": "the indicator is not in the store",
    "not_numeric": "the value is not a number",
    "duplicate_key": "the same territory, indicator and period appear twice",
    "unit_mismatch": "the unit differs from the indicator's unit",
    "year_outside_validity": "the territory did not exist (with these borders) in that year",
    "bad_period": "the period is not a year (2020) or a span (2008-2021)",
    "empty_file": "the file has no data",
    "unreadable_file": "the file cannot be read",
    "wrong_encoding": "the file's bytes are not UTF-8 or cp1251 text",
    "wrong_sheet": "the sheet does not exist",
    "bad_header": "the header row is missing a required column or is not understood",
    "missing_value": "a required cell is empty",
    "bad_status": "the status is not published, derived, estimated or missing",
    "bad_reference": "a code refers to a row that does not exist",
    "duplicate_code": "a code is defined twice",
    "bad_value": "the cell does not have the expected form",
}


@dataclass(frozen=True)
class ValidationError:
    """One problem of one input cell (or file, or spec key).

    Parameters
    ----------
    file : str
        The file name as the user gave it.
    sheet : str or None
        The XLSX sheet, None for CSV.
    row : int or None
        1-based row number as a spreadsheet shows it (the header is row 1 of a plain CSV); None for a
        problem of the whole file.
    column : str or None
        The column header as written in the file.
    reason : str
        One of :data:`REASONS`.
    value : str or None
        The offending cell, as written.
    expected : str or None
        What would have been accepted, or the closest valid value ("closest ...").
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    reason: str
    value: str | None = None
    expected: str | None = None

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ValueError(f"unknown validation reason {self.reason!r}; expected one of {sorted(REASONS)}")

    def location(self) -> str:
        """``file, sheet "S", row 14, column "Value"`` with the parts that are known.

        Examples
        --------
        >>> ValidationError("a.xlsx", "2021", 14, "Value", "not_numeric").location()
        'a.xlsx, sheet "2021", row 14, column "Value"'
        """
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f'sheet "{self.sheet}"')
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts)

    def render(self) -> str:
        """One line: where, what, what to do, and the reason code in brackets.

        Examples
        --------
        >>> print(ValidationError("k.csv", None, 15, "T", "unknown_territory", "Балхаш-2", 'closest "Балхаш"')
        ...       .render())
        k.csv, row 15, column "T": "Балхаш-2": unknown territory; closest "Балхаш" [unknown_territory]
        """
        what = REASONS[self.reason]
        head = f'"{self.value}": {what}' if self.value not in (None, "") else what
        tail = f"; {self.expected}" if self.expected else ""
        return f"{self.location()}: {head}{tail} [{self.reason}]"

    def to_dict(self) -> dict[str, object]:
        """The row as a JSON-ready dict (the web API's ``errors`` items)."""
        return asdict(self)


class ValidationErrors(ValueError):
    """Every problem found in an input; raised once, after all checks, before anything is written.

    Parameters
    ----------
    errors : sequence of ValidationError
    written : bool, default=False
        Whether anything was written; the store never writes when validation fails, so the summary says
        "nothing was written".

    Examples
    --------
    >>> e = ValidationErrors([ValidationError("a.csv", None, 3, "value", "not_numeric", "12,5 %",
    ...                                       "write 12,5 or 12.5")])
    >>> print(e)
    a.csv, row 3, column "value": "12,5 %": the value is not a number; write 12,5 or 12.5 [not_numeric]
    1 error in 1 file; nothing was written.
    """

    def __init__(self, errors: Iterable[ValidationError], *, written: bool = False) -> None:
        self.errors: list[ValidationError] = list(errors)
        if not self.errors:
            raise ValueError("ValidationErrors needs at least one error")
        self.written = written
        super().__init__(self.render())

    @property
    def reasons(self) -> list[str]:
        """The reason codes, in the order of the rows."""
        return [e.reason for e in self.errors]

    def summary(self) -> str:
        """``2 errors in 1 file; nothing was written.``"""
        n = len(self.errors)
        files = len({e.file for e in self.errors})
        tail = "" if self.written else "; nothing was written"
        return f"{n} error{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}{tail}."

    def render(self, limit: int | None = None) -> str:
        """All rows (or the first ``limit``), one per line, then the summary line."""
        rows: Sequence[ValidationError] = self.errors if limit is None else self.errors[:limit]
        lines = [e.render() for e in rows]
        if limit is not None and len(self.errors) > limit:
            lines.append(f"... and {len(self.errors) - limit} more")
        lines.append(self.summary())
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """``{"ok": false, "errors": [...], "summary": ...}`` as the web API returns it."""
        return {"ok": False, "errors": [e.to_dict() for e in self.errors], "summary": self.summary()}
