"""Reading users' statistics files: long or wide CSV/XLSX, checked cell by cell, all problems at once.

- :func:`parse_file` reads and checks a file against a :class:`~aimaq.store.imports.shape.Catalog` and
  returns the records, or raises :class:`~aimaq.store.errors.ValidationErrors`;
  :meth:`aimaq.store.repository.Store.import_file` writes them in one transaction.
- :func:`read_dataset` reads the same files into a :class:`~aimaq.dataset.Dataset` with no database
  (the engine's ``--data``); territories not in the gazetteer are kept by the text written in the file.

The header conventions are in :mod:`aimaq.store.imports.shape` and ``docs/store.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from aimaq.dataset import Dataset
from aimaq.store.errors import ValidationError, ValidationErrors
from aimaq.store.gazetteer import Gazetteer
from aimaq.store.imports.readers import RawTable, decode, read_table
from aimaq.store.imports.shape import Catalog, Parsed, cells_of, check_cells, header_period

__all__ = [
    "Catalog",
    "Parsed",
    "RawTable",
    "decode",
    "header_period",
    "parse_file",
    "read_dataset",
    "read_table",
]


def parse_file(
    path: str | Path,
    catalog: Catalog,
    *,
    sheet: str | None = None,
    indicator: str | None = None,
    year: str | int | None = None,
    encoding: str | None = None,
    name: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Parsed:
    """Read a long or wide CSV/XLSX file and check every cell.

    Parameters
    ----------
    path : str or Path
    catalog : Catalog
        Territories and indicators the cells are checked against.
    sheet : str, optional
        XLSX sheet (default the first).
    indicator : str, optional
        For a wide table with years as columns: the indicator its values measure.
    year : str or int, optional
        For a wide table with indicators as columns: the period of its values.
    encoding : str, optional
        Force a CSV encoding.
    name : str, optional
        The file name shown in errors and stored as provenance (default: ``path`` as given).
    on_progress : callable, optional
        Called as ``on_progress(done, total)`` while cells are checked.

    Raises
    ------
    ValidationErrors
        Every problem found, one row each.
    """
    table = read_table(path, sheet=sheet, encoding=encoding, name=name)
    shape, cells, errors = cells_of(table, catalog, indicator=indicator, year=year)
    if errors:
        raise ValidationErrors(errors)
    if not cells:
        raise ValidationErrors([_empty(table)])
    parsed = check_cells(table, shape, cells, catalog, on_progress=on_progress)
    if parsed.errors:
        raise ValidationErrors(parsed.errors)
    return parsed


def _empty(table: RawTable) -> ValidationError:
    return ValidationError(
        table.file, table.sheet, None, None, "empty_file", None, "the table has a header but no values"
    )


def read_dataset(
    path: str | Path,
    gazetteer: Gazetteer | None = None,
    *,
    indicators: pd.DataFrame | None = None,
    sheet: str | None = None,
    indicator: str | None = None,
    year: str | int | None = None,
) -> Dataset:
    """Read a long or wide CSV/XLSX file into a :class:`~aimaq.dataset.Dataset`, with no database.

    Territory names are matched to codes through ``gazetteer`` when given (with the same validity checks as
    an import); names it does not know, and every name when no gazetteer is given, are kept as written.
    Indicator names are matched through ``indicators`` when given, else kept as written.

    Parameters
    ----------
    path : str or Path
    gazetteer : Gazetteer, optional
        E.g. ``Store().gazetteer()``.
    indicators : DataFrame, optional
        Indexed by code, as :meth:`aimaq.store.repository.Store.indicators` returns.
    sheet, indicator, year
        As for :func:`parse_file`.

    Returns
    -------
    Dataset
        ``source`` is ``"<file> row <n>"`` for every observation.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = p.write_text("territory;2019;2020\\nsatpayev;1,5;2\\n", encoding="utf-8")
    >>> read_dataset(p, indicator="grp").observations[["territory", "period", "value", "source"]]
      territory period  value       source
    0  satpayev   2019    1.5  d.csv row 2
    1  satpayev   2020    2.0  d.csv row 2
    """
    path = Path(path)
    catalog = Catalog(gazetteer=gazetteer, indicators=indicators, strict=False)
    parsed = parse_file(path, catalog, sheet=sheet, indicator=indicator, year=year, name=path.name)
    obs = pd.DataFrame(parsed.records)
    obs["source"] = [f"{r['file']} row {r['row']}" for r in parsed.records]
    territories = None
    if gazetteer is not None:
        known = [c for c in dict.fromkeys(obs["territory"]) if c in gazetteer.territories.index]
        territories = gazetteer.territories.loc[known]
    inds = None
    if indicators is not None:
        inds = indicators.loc[[c for c in dict.fromkeys(obs["indicator"]) if c in indicators.index]]
    return Dataset.from_long(obs.drop(columns=["file", "sheet", "row", "comment"]), territories, inds)
