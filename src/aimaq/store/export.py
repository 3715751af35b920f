"""Writing observations to CSV or XLSX, long or wide, with their provenance.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) are prefixed with an apostrophe, as OWASP's "CSV Injection" page recommends; numbers are
written as numbers and are not touched.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

#: The columns of a long export, in order: the key, the value, then where it came from.
LONG_COLUMNS: tuple[str, ...] = (
    "territory",
    "territory_name",
    "indicator",
    "indicator_name",
    "unit",
    "period",
    "value",
    "status",
    "source",
    "seed",
    "table",
    "lines",
    "file",
    "sheet",
    "row",
    "notes",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """Make a text cell safe to open in a spreadsheet; leave other cells alone.

    Examples
    --------
    >>> neutralise("=HYPERLINK(1)"), neutralise("-3"), neutralise(-3.0), neutralise("Абай")
    ("'=HYPERLINK(1)", "'-3", -3.0, 'Абай')
    """
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    if out.index.name is not None or isinstance(out.index, pd.MultiIndex):
        out.index = out.index.map(
            lambda v: tuple(neutralise(x) for x in v) if isinstance(v, tuple) else neutralise(v)
        )
    return out


def long_table(observations: pd.DataFrame) -> pd.DataFrame:
    """The long export table: one row per observation, the value (number or category) in ``value``.

    ``observations`` is what :meth:`aimaq.store.repository.Store.observations` returns.
    """
    obs = observations.copy()
    values = [
        vt if (v is None or (isinstance(v, float) and math.isnan(v))) and isinstance(vt, str) else v
        for v, vt in zip(obs["value"], obs["value_text"], strict=True)
    ]
    obs["value"] = pd.Series(values, index=obs.index, dtype=object)
    for col in LONG_COLUMNS:
        if col not in obs.columns:
            obs[col] = None
    return obs[list(LONG_COLUMNS)].reset_index(drop=True)


def wide_table(observations: pd.DataFrame) -> pd.DataFrame:
    """(territory, period) rows × indicator columns, then one ``<indicator> source`` column per indicator."""
    long = long_table(observations)
    if long.empty:
        return pd.DataFrame(index=pd.MultiIndex.from_arrays([[], []], names=["territory", "period"]))
    values = long.pivot(index=["territory", "period"], columns="indicator", values="value")
    sources = long.pivot(index=["territory", "period"], columns="indicator", values="source")
    sources.columns = [f"{c} source" for c in sources.columns]
    out = pd.concat([values, sources], axis=1)
    out.columns.name = None
    return out


def _xlsx_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Replace the control characters XML 1.0 cannot hold (U+0000-U+001F except tab, newline, CR), which
    openpyxl refuses, by U+FFFD, so the cell is kept and the loss is visible."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(v: object) -> object:
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v

    out = frame.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):  # object or pandas' str dtype
            out[col] = out[col].map(clean)
    out.columns = [clean(c) for c in out.columns]
    if not pd.api.types.is_numeric_dtype(out.index):
        out.index = out.index.map(clean)
    return out


def write_table(frame: pd.DataFrame, path: str | Path, *, sheet: str = "observations") -> Path:
    """Write a table to ``.csv`` (UTF-8 with BOM, so Excel shows Cyrillic) or ``.xlsx``, neutralised.

    Raises
    ------
    ValueError
        For any other suffix, naming it.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    safe = _safe(frame)
    keep_index = not isinstance(frame.index, pd.RangeIndex)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        # CRLF rows (RFC 4180): a cell holding a bare CR is then quoted, so no reader (nor Excel) splits it
        # into a new row that could start with = + - @.
        safe.to_csv(path, index=keep_index, encoding="utf-8-sig", lineterminator="\r\n")
    elif suffix == ".xlsx":
        _xlsx_text(safe).to_excel(path, index=keep_index, sheet_name=sheet, engine="openpyxl")
    else:
        raise ValueError(f"{path}: cannot export to {suffix or 'a file without suffix'}; use .csv or .xlsx")
    return path


def export_observations(observations: pd.DataFrame, path: str | Path, *, shape: str = "long") -> Path:
    """Write observations to ``path`` (``.csv`` or ``.xlsx``), ``shape`` ``"long"`` or ``"wide"``.

    The long table (:data:`LONG_COLUMNS`) reads back with ``aimaq import`` unchanged.
    """
    if shape not in ("long", "wide"):
        raise ValueError(f"shape must be 'long' or 'wide'. Got {shape!r} instead.")
    table = long_table(observations) if shape == "long" else wide_table(observations)
    return write_table(table, path)
