"""Load the bundled seed data (``store/bundled/``): validated first, then written in one transaction.

The folder's format is fixed by ``docs/architecture.md`` ("Bundled data"). Loading is a sync, not an append:

- every file is read and every problem is collected (file, row, column, reason) before anything is written;
  one :class:`~aimaq.store.errors.ValidationErrors` lists them all;
- rows are matched to the stored ones by key; only new or changed rows are written (``version`` + 1 on a
  change), bundled observations, notes, aliases and reference rows that left the files are deleted, and
  observations that an ``aimaq import`` wrote are left alone. Re-running on unchanged files changes nothing,
  not even the list of import batches.

A value drawn on borders that did not exist in its year (Abai region in 2020) is refused unless a note in
``notes/*.csv`` covers the cell and explains it (seed 001 Table 1 recalculates 2020-2021 to the new borders,
see ``spec/data/seed001_regions.md``): the store never holds such a value silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, String, Text, delete, select, true, update
from sqlalchemy.orm import Session

from aimaq.dataset import parse_period, period_label
from aimaq.store import db
from aimaq.store.errors import ValidationError, ValidationErrors
from aimaq.store.gazetteer import Gazetteer
from aimaq.store.models import (
    KINDS,
    LEVELS,
    STATUSES,
    ImportBatch,
    Indicator,
    Note,
    Observation,
    ReferenceRow,
    ReferenceTable,
    Source,
    Territory,
    TerritoryAlias,
)
from aimaq.store.parsing import NotANumber, parse_number

BUNDLED = Path(__file__).with_name("bundled")

SOURCE_COLUMNS = ("seed", "file", "title_kk", "title_ru", "title_en", "authors", "year", "kind")
TERRITORY_COLUMNS = (
    "code",
    "level",
    "parent",
    "name_kk",
    "name_ru",
    "name_en",
    "iso",
    "valid_from",
    "valid_to",
    "lat",
    "lon",
    "successor",
    "note",
)
ALIAS_COLUMNS = ("code", "alias", "lang")
INDICATOR_COLUMNS = (
    "code",
    "name_kk",
    "name_ru",
    "name_en",
    "unit",
    "direction",
    "kind",
    "definition_en",
    "seed",
    "table",
    "lines",
)
OBSERVATION_COLUMNS = (
    "territory",
    "indicator",
    "period",
    "value",
    "value_text",
    "status",
    "seed",
    "table",
    "lines",
    "note",
)
NOTE_COLUMNS = (
    "id",
    "territory",
    "indicator",
    "period",
    "kind",
    "seed",
    "table",
    "lines",
    "text_en",
    "text_ru",
)
_REQUIRED = {
    "sources.csv": ("seed", "file"),
    "territories.csv": ("code", "level", "name_kk", "name_ru", "name_en"),
    "territory_aliases.csv": ("code", "alias"),
    "indicators": ("code", "direction", "kind"),
    "observations": ("territory", "indicator", "period", "status"),
    "notes": ("id",),
}


@dataclass
class CsvRow:
    """One data row of a bundled file: its cells (stripped, empty -> None) and its 1-based row number."""

    file: str
    row: int
    cells: dict[str, str | None]

    def get(self, column: str) -> str | None:
        return self.cells.get(column)

    def error(
        self, column: str | None, reason: str, value: str | None, expected: str | None
    ) -> ValidationError:
        """A :class:`ValidationError` at this row."""
        return ValidationError(self.file, None, self.row, column, reason, value, expected)


@dataclass
class TableCounts:
    """How many rows of one table a load inserted, updated, left unchanged and deleted."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def touched(self) -> int:
        return self.new + self.changed + self.deleted


@dataclass
class LoadReport:
    """What :func:`load_bundled` did (or, with ``dry_run``, would do), per table."""

    tables: dict[str, TableCounts] = field(default_factory=dict)
    batch_id: int | None = None

    @property
    def changed(self) -> bool:
        """True when any row was inserted, updated or deleted."""
        return any(c.touched for c in self.tables.values())

    def summary(self) -> str:
        """``observation: 12 new, 0 changed, 3400 unchanged, 0 deleted`` for each table, one per line."""
        return "\n".join(
            f"{name}: {c.new} new, {c.changed} changed, {c.unchanged} unchanged, {c.deleted} deleted"
            for name, c in self.tables.items()
        )


# ---------------------------------------------------------------------------------------------- reading
def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def read_csv_rows(
    path: Path, root: Path, columns: Iterable[str], required: Iterable[str], errors: list[ValidationError]
) -> list[CsvRow]:
    """Read a UTF-8 CSV with one header row; record missing columns and cells in ``errors``.

    Unknown extra columns are kept (a reviewer may add a ``comment`` column) but not loaded.
    """
    name = _rel(path, root)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        errors.append(
            ValidationError(name, None, line, None, "wrong_encoding", None, "save the file as UTF-8")
        )
        return []
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if not header:
        errors.append(ValidationError(name, None, None, None, "empty_file", None, "write a header row"))
        return []
    header = [h.strip() for h in header]
    missing = [c for c in columns if c not in header]
    if missing:
        errors.append(
            ValidationError(
                name, None, 1, None, "bad_header", ", ".join(missing), f"add column(s): {', '.join(missing)}"
            )
        )
        return []
    rows: list[CsvRow] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            errors.append(
                ValidationError(
                    name,
                    None,
                    number,
                    None,
                    "bad_value",
                    f"{len(cells)} cells",
                    f"{len(header)} cells as in the header",
                )
            )
            continue
        values = {h: (c.strip() or None) for h, c in zip(header, cells, strict=True)}
        row = CsvRow(name, number, values)
        for col in required:
            if row.get(col) is None:
                errors.append(
                    ValidationError(name, None, number, col, "missing_value", None, f"fill in {col}")
                )
        rows.append(row)
    return rows


def _int(
    row: CsvRow, col: str, errors: list[ValidationError], allowed: Iterable[int] | None = None
) -> int | None:
    raw = row.get(col)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        errors.append(row.error(col, "bad_value", raw, "write a whole number"))
        return None
    if allowed is not None and value not in set(allowed):
        errors.append(row.error(col, "bad_value", raw, f"one of {sorted(set(allowed))}"))
    return value


def _float(row: CsvRow, col: str, errors: list[ValidationError]) -> float | None:
    raw = row.get(col)
    try:
        return parse_number(raw)
    except NotANumber as exc:
        errors.append(row.error(col, "not_numeric", raw, str(exc)))
        return None


def _date(row: CsvRow, col: str, errors: list[ValidationError]) -> dt.date | None:
    raw = row.get(col)
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(row.error(col, "bad_value", raw, "write a date as 2022-06-08"))
        return None


def _choice(
    row: CsvRow, col: str, allowed: Iterable[str], reason: str, errors: list[ValidationError]
) -> None:
    raw = row.get(col)
    if raw is not None and raw not in set(allowed):
        errors.append(row.error(col, reason, raw, f"one of {', '.join(allowed)}"))


def _files(root: Path, folder: str) -> Iterator[Path]:
    base = root / folder
    if base.is_dir():
        yield from sorted(base.glob("*.csv"))


# ---------------------------------------------------------------------------------------------- parsing
@dataclass
class Bundle:
    """The bundled folder read into row dicts keyed as the store keys them, ready to be synced."""

    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    territories: dict[str, dict[str, Any]] = field(default_factory=dict)
    aliases: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    indicators: dict[str, dict[str, Any]] = field(default_factory=dict)
    observations: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)
    references: dict[str, dict[str, Any]] = field(default_factory=dict)
    reference_rows: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    sha256: str = ""


def _dup(
    errors: list[ValidationError], kind: str, row: CsvRow, col: str, key: object, first: dict[str, Any]
) -> None:
    errors.append(row.error(col, "duplicate_code", str(key), f"{kind} already defined in {first['_origin']}"))


def _read_sources(root: Path, bundle: Bundle, errors: list[ValidationError]) -> None:
    """sources.csv: the seed documents."""
    for row in read_csv_rows(root / "sources.csv", root, SOURCE_COLUMNS, _REQUIRED["sources.csv"], errors):
        seed = row.get("seed")
        if seed in bundle.sources:
            _dup(errors, "source", row, "seed", seed, bundle.sources[seed])
            continue
        bundle.sources[str(seed)] = {
            "seed": seed,
            **{c: row.get(c) for c in SOURCE_COLUMNS[1:] if c != "year"},
            "year": _int(row, "year", errors),
            "_origin": f"{row.file} row {row.row}",
        }


def _read_territories(root: Path, bundle: Bundle, errors: list[ValidationError]) -> None:
    """territories.csv: codes, levels, validity; parents and successors must exist."""
    for row in read_csv_rows(
        root / "territories.csv", root, TERRITORY_COLUMNS, _REQUIRED["territories.csv"], errors
    ):
        code = row.get("code")
        if code in bundle.territories:
            _dup(errors, "territory", row, "code", code, bundle.territories[code])
            continue
        _choice(row, "level", LEVELS, "bad_value", errors)
        record = {c: row.get(c) for c in TERRITORY_COLUMNS}
        record.update(
            valid_from=_date(row, "valid_from", errors),
            valid_to=_date(row, "valid_to", errors),
            lat=_float(row, "lat", errors),
            lon=_float(row, "lon", errors),
        )
        if record["valid_from"] and record["valid_to"] and record["valid_to"] < record["valid_from"]:
            errors.append(
                row.error(
                    "valid_to",
                    "bad_value",
                    row.get("valid_to"),
                    f"a date after valid_from {record['valid_from']}",
                )
            )
        record["_origin"] = f"{row.file} row {row.row}"
        record["_row"] = row
        bundle.territories[str(code)] = record
    for record in bundle.territories.values():
        row = record.pop("_row")
        if record["parent"] and record["parent"] not in bundle.territories:
            errors.append(
                row.error("parent", "unknown_territory", record["parent"], "a code of territories.csv")
            )
        for succ in (record["successor"] or "").replace(",", ";").split(";"):
            if succ.strip() and succ.strip() not in bundle.territories:
                errors.append(
                    row.error("successor", "unknown_territory", succ.strip(), "a code of territories.csv")
                )


def _read_aliases(root: Path, bundle: Bundle, errors: list[ValidationError]) -> None:
    """territory_aliases.csv: spellings of territory names."""
    alias_path = root / "territory_aliases.csv"
    if alias_path.is_file():
        for row in read_csv_rows(alias_path, root, ALIAS_COLUMNS, _REQUIRED["territory_aliases.csv"], errors):
            code, alias = row.get("code"), row.get("alias")
            if code and code not in bundle.territories:
                errors.append(row.error("code", "unknown_territory", code, "a code of territories.csv"))
            key = (str(code), str(alias))
            if key in bundle.aliases:
                _dup(errors, "alias", row, "alias", alias, bundle.aliases[key])
                continue
            bundle.aliases[key] = {
                "code": code,
                "alias": alias,
                "lang": row.get("lang"),
                "_origin": f"{row.file} row {row.row}",
            }


def _read_indicators(root: Path, bundle: Bundle, errors: list[ValidationError]) -> None:
    """indicators/*.csv: codes are global; a duplicate across files is refused."""
    for path in _files(root, "indicators"):
        for row in read_csv_rows(path, root, INDICATOR_COLUMNS, _REQUIRED["indicators"], errors):
            code = row.get("code")
            if code in bundle.indicators:
                _dup(errors, "indicator", row, "code", code, bundle.indicators[code])
                continue
            _choice(row, "kind", KINDS, "bad_value", errors)
            if row.get("seed") and row.get("seed") not in bundle.sources:
                errors.append(row.error("seed", "bad_reference", row.get("seed"), "a seed of sources.csv"))
            record = {c: row.get(c) for c in INDICATOR_COLUMNS}
            record["direction"] = _int(row, "direction", errors, allowed=(-1, 0, 1))
            record["origin"] = row.file
            record["_origin"] = f"{row.file} row {row.row}"
            bundle.indicators[str(code)] = record


def _read_notes(root: Path, bundle: Bundle, errors: list[ValidationError]) -> None:
    """notes/*.csv, read before observations: a note can justify a value on old borders."""
    for path in _files(root, "notes"):
        for row in read_csv_rows(path, root, NOTE_COLUMNS, _REQUIRED["notes"], errors):
            nid = row.get("id")
            if nid in bundle.notes:
                _dup(errors, "note", row, "id", nid, bundle.notes[nid])
                continue
            record = {c: row.get(c) for c in NOTE_COLUMNS}
            record["text_kk"] = row.get("text_kk")
            record["alt_value"], record["alt_text"] = _alternative(row, bundle, errors)
            _check_refs(row, record, bundle, errors)
            if record["period"]:
                try:
                    record["period"] = period_label(*parse_period(record["period"]))
                except ValueError as exc:
                    errors.append(row.error("period", "bad_period", row.get("period"), str(exc)))
            record["_origin"] = f"{row.file} row {row.row}"
            bundle.notes[str(nid)] = record


def _alternative(
    row: CsvRow, bundle: Bundle, errors: list[ValidationError]
) -> tuple[float | None, str | None]:
    """The optional ``alt_value`` of a note: the value it proposes for its cell (seed 003 n085: Semey's X4
    5316940 read as 531694), as ``(number, None)``; for a categorical indicator a class label (n093:
    Zaisan's investment group read as ``lowest``), as ``(None, label)``."""
    raw = row.get("alt_value")
    if raw is None:
        return None, None
    indicator = bundle.indicators.get(str(row.get("indicator")))
    if indicator is not None and indicator.get("kind") == "categorical":
        return None, raw
    try:
        return parse_number(raw), None
    except NotANumber as exc:
        what = (
            f"indicator {row.get('indicator')!r} is numeric" if indicator else "the note names no indicator"
        )
        errors.append(row.error("alt_value", "not_numeric", raw, f"a number ({what}); {exc}"))
        return None, None


def _read_observations(root: Path, bundle: Bundle, errors: list[ValidationError]) -> None:
    """observations/*.csv: every value with its seed, table and lines."""
    gazetteer = (
        Gazetteer(
            pd.DataFrame(
                [{k: v for k, v in t.items() if not k.startswith("_")} for t in bundle.territories.values()]
            ).set_index("code")
        )
        if bundle.territories
        else None
    )
    # observations
    for path in _files(root, "observations"):
        for row in read_csv_rows(path, root, OBSERVATION_COLUMNS, _REQUIRED["observations"], errors):
            record = {c: row.get(c) for c in OBSERVATION_COLUMNS}
            _choice(row, "status", STATUSES, "bad_status", errors)
            _check_refs(row, record, bundle, errors)
            try:
                year_from, year_to = parse_period(row.get("period"))
            except ValueError as exc:
                errors.append(row.error("period", "bad_period", row.get("period"), str(exc)))
                continue
            period = period_label(year_from, year_to)
            value = _float(row, "value", errors)
            indicator = bundle.indicators.get(record["indicator"] or "")
            if (
                indicator
                and indicator["kind"] == "numeric"
                and row.get("value") is None
                and record["value_text"] is None
                and record["status"] != "missing"
            ):
                errors.append(row.error("value", "missing_value", None, "a number, or status missing"))
            territory = record["territory"]
            if (
                gazetteer is not None
                and territory in bundle.territories
                and not gazetteer.covers(territory, year_from, year_to)
                and not _explained(bundle.notes.values(), territory, record["indicator"], period)
            ):
                hint = gazetteer.match(territory, year_from, year_to).expected
                errors.append(
                    row.error(
                        "period",
                        "year_outside_validity",
                        period,
                        f"{hint}; or attach a note in notes/ explaining the borders",
                    )
                )
            key = (str(territory), str(record["indicator"]), period)
            if key in bundle.observations:
                first = bundle.observations[key]
                errors.append(
                    row.error(
                        "period", "duplicate_key", " × ".join(key), f"already given in {first['_origin']}"
                    )
                )
                continue
            bundle.observations[key] = {
                "territory": territory,
                "indicator": record["indicator"],
                "period": period,
                "year_from": year_from,
                "year_to": year_to,
                "value": value,
                "value_text": record["value_text"],
                "status": record["status"],
                "seed": record["seed"],
                "table": record["table"],
                "lines": record["lines"],
                "comment": record["note"],
                "file": None,
                "sheet": None,
                "row": None,
                "_origin": f"{row.file} row {row.row}",
            }


def _read_reference_tables(root: Path, bundle: Bundle, errors: list[ValidationError]) -> None:
    """reference/*.csv with their .md provenance notes."""
    for path in _files(root, "reference"):
        name = path.stem
        text = path.read_text(encoding="utf-8-sig")
        reader = list(csv.reader(text.splitlines()))
        rel = _rel(path, root)
        if not reader or not reader[0]:
            errors.append(ValidationError(rel, None, None, None, "empty_file", None, "write a header row"))
            continue
        header = [h.strip() for h in reader[0]]
        sidecar = path.with_suffix(".md")
        if not sidecar.is_file():
            errors.append(
                ValidationError(
                    rel,
                    None,
                    None,
                    None,
                    "bad_reference",
                    sidecar.name,
                    "every reference table needs its .md provenance note",
                )
            )
        seed = name.split("_", 1)[0]
        bundle.references[name] = {
            "name": name,
            "seed": seed,
            "columns": header,
            "provenance": sidecar.read_text(encoding="utf-8") if sidecar.is_file() else None,
        }
        position = 0
        for number, cells in enumerate(reader[1:], start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                errors.append(
                    ValidationError(
                        rel,
                        None,
                        number,
                        None,
                        "bad_value",
                        f"{len(cells)} cells",
                        f"{len(header)} cells as in the header",
                    )
                )
                continue
            bundle.reference_rows[(name, position)] = {
                "table_name": name,
                "position": position,
                "cells": [c.strip() or None for c in cells],
            }
            position += 1


def read_bundle(root: Path = BUNDLED) -> Bundle:
    """Read and check every bundled file; raise :class:`ValidationErrors` listing all problems.

    Parameters
    ----------
    root : Path
        The bundled folder (default: the one shipped in ``aimaq/store/bundled``).
    """
    root = Path(root)
    errors: list[ValidationError] = []
    bundle = Bundle()
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".csv", ".md"}:
            digest.update(_rel(path, root).encode() + b"\0" + path.read_bytes())
    bundle.sha256 = digest.hexdigest()
    for required in ("sources.csv", "territories.csv"):
        if not (root / required).is_file():
            errors.append(
                ValidationError(
                    f"{root.name}/{required}",
                    None,
                    None,
                    None,
                    "empty_file",
                    None,
                    "the bundled folder needs this file",
                )
            )
    if errors:
        raise ValidationErrors(errors)

    for reader in (
        _read_sources,
        _read_territories,
        _read_aliases,
        _read_indicators,
        _read_notes,
        _read_observations,
        _read_reference_tables,
    ):
        reader(root, bundle, errors)
    _check_lengths(bundle, errors)
    if errors:
        raise ValidationErrors(errors)
    return bundle


def _check_lengths(bundle: Bundle, errors: list[ValidationError]) -> None:
    """Cells longer than their column allows (``lines`` is ``VARCHAR(64)``): PostgreSQL would refuse them
    mid-load with a driver error, so they are reported here with their file, row and column."""
    for model, records in (
        (Source, bundle.sources),
        (Territory, bundle.territories),
        (TerritoryAlias, bundle.aliases),
        (Indicator, bundle.indicators),
        (Note, bundle.notes),
        (Observation, bundle.observations),
    ):
        limits = {
            c.name: c.type.length
            for c in model.__table__.columns  # type: ignore[attr-defined]
            if isinstance(c.type, String) and not isinstance(c.type, Text) and c.type.length
        }
        for record in records.values():
            for col, limit in limits.items():
                value = record.get(col)
                if isinstance(value, str) and len(value) > limit:
                    file, _, row = str(record["_origin"]).rpartition(" row ")
                    errors.append(
                        ValidationError(
                            file,
                            None,
                            int(row),
                            col,
                            "bad_value",
                            value[:40] + "…",
                            f"at most {limit} characters (this cell has {len(value)})",
                        )
                    )


def _check_refs(row: CsvRow, record: dict[str, Any], bundle: Bundle, errors: list[ValidationError]) -> None:
    territory, indicator, seed = record.get("territory"), record.get("indicator"), record.get("seed")
    if territory and territory not in bundle.territories:
        errors.append(row.error("territory", "unknown_territory", territory, "a code of territories.csv"))
    if indicator and indicator not in bundle.indicators:
        errors.append(row.error("indicator", "unknown_indicator", indicator, "a code of indicators/*.csv"))
    if seed and seed not in bundle.sources:
        errors.append(row.error("seed", "bad_reference", seed, "a seed of sources.csv"))


def _explained(notes: Iterable[dict[str, Any]], territory: str, indicator: str | None, period: str) -> bool:
    """True when a note names the territory and matches the rest of the key (empty parts match all)."""
    return any(
        n["territory"] == territory and n["indicator"] in (None, indicator) and n["period"] in (None, period)
        for n in notes
    )


# ---------------------------------------------------------------------------------------------- writing
def _clean(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if not k.startswith("_")}


def _sync(
    session: Session,
    model: type,
    key_cols: tuple[str, ...],
    wanted: dict[Any, dict[str, Any]],
    *,
    counts: TableCounts,
    delete_missing: bool,
    owned: Any = None,
    extra_on_write: dict[str, Any] | None = None,
) -> None:
    """Insert new rows, update changed ones (bumping ``version``), optionally delete rows not wanted.

    ``owned`` is a SQL condition restricting which stored rows this sync may update or delete (bundled
    observations only, never imported ones).
    """
    table = model.__table__  # type: ignore[attr-defined]
    compare = [c for c in next(iter(wanted.values()), {}) if not c.startswith("_")]
    stored: dict[Any, dict[str, Any]] = {}
    protected: set[Any] = set()
    cols = [table.c[c] for c in {*key_cols, *compare}]
    for r in session.execute(
        select(*cols, (owned if owned is not None else true()).label("_owned"))
    ).mappings():
        key = tuple(r[c] for c in key_cols) if len(key_cols) > 1 else r[key_cols[0]]
        if not r["_owned"]:
            protected.add(key)
            continue
        stored[key] = dict(r)
    inserts: list[dict[str, Any]] = []
    has_version = "version" in table.c
    for key, record in wanted.items():
        row = _clean(record)
        if key in protected:
            counts.unchanged += 1
            continue
        old = stored.get(key)
        if old is None:
            inserts.append({**row, **(extra_on_write or {})})
            counts.new += 1
        elif any(old.get(c) != row.get(c) for c in compare):
            where = [table.c[c] == (key[i] if len(key_cols) > 1 else key) for i, c in enumerate(key_cols)]
            values = {**row, **(extra_on_write or {})}
            if has_version:
                values["version"] = table.c.version + 1
            session.execute(update(table).where(*where).values(**values))
            counts.changed += 1
        else:
            counts.unchanged += 1
    if inserts:
        session.execute(table.insert(), inserts)
    if delete_missing:
        gone = [k for k in stored if k not in wanted]
        for key in gone:
            where = [table.c[c] == (key[i] if len(key_cols) > 1 else key) for i, c in enumerate(key_cols)]
            session.execute(delete(table).where(*where))
        counts.deleted += len(gone)


def load_bundled(engine: Engine, root: Path = BUNDLED, *, dry_run: bool = False) -> LoadReport:
    """Check the bundled folder, then sync it into the store in one transaction.

    Parameters
    ----------
    engine : Engine
        A store whose schema is at the newest revision (:func:`aimaq.store.db.upgrade`).
    root : Path
        The bundled folder.
    dry_run : bool, default=False
        Compute the report, then roll back.

    Returns
    -------
    LoadReport
        Counts per table; ``batch_id`` is the :class:`~aimaq.store.models.ImportBatch` written when
        observations changed.

    Raises
    ------
    ValidationErrors
        Listing every problem of every file; nothing is written.
    """
    bundle = read_bundle(root)
    report = LoadReport()

    class _DryRun(Exception):
        pass

    def run(session: Session) -> LoadReport:
        t = report.tables
        for name in (
            "source",
            "territory",
            "territory_alias",
            "indicator",
            "note",
            "observation",
            "reference_table",
            "reference_row",
        ):
            t[name] = TableCounts()
        _sync(session, Source, ("seed",), bundle.sources, counts=t["source"], delete_missing=False)
        # Parents and successors refer to other rows of the same table: insert without them, then set them.
        links = {c: {"parent": r["parent"]} for c, r in bundle.territories.items()}
        territories = {c: {**r, "parent": None} for c, r in bundle.territories.items()}
        stored_parents = {c: p for c, p in session.execute(select(Territory.code, Territory.parent))}
        for code, record in territories.items():
            record["parent"] = stored_parents.get(code)
        _sync(session, Territory, ("code",), territories, counts=t["territory"], delete_missing=False)
        for code, link in links.items():
            if stored_parents.get(code) != link["parent"]:
                session.execute(
                    update(Territory.__table__).where(Territory.code == code).values(parent=link["parent"])
                )
                if code in stored_parents:
                    t["territory"].changed += 1
        _sync(
            session,
            TerritoryAlias,
            ("code", "alias"),
            bundle.aliases,
            counts=t["territory_alias"],
            delete_missing=True,
        )
        _sync(session, Indicator, ("code",), bundle.indicators, counts=t["indicator"], delete_missing=False)
        _sync(session, Note, ("id",), bundle.notes, counts=t["note"], delete_missing=True)
        batch_id: int | None = None
        obs_counts = TableCounts()
        # Dry pass to learn whether observations change, so that an unchanged load writes no batch row.
        probe = _count_changes(session, bundle.observations)
        if probe:
            batch = ImportBatch(
                kind="bundled",
                file=str(root.name),
                sheet=None,
                sha256=bundle.sha256,
                created_at=dt.datetime.now(dt.UTC),
                rows_new=0,
                rows_changed=0,
                rows_unchanged=0,
            )
            session.add(batch)
            session.flush()
            batch_id = batch.id
        _sync(
            session,
            Observation,
            ("territory", "indicator", "period"),
            bundle.observations,
            counts=obs_counts,
            delete_missing=True,
            owned=Observation.file.is_(None),
            extra_on_write={"batch_id": batch_id} if batch_id else None,
        )
        t["observation"] = obs_counts
        if batch_id is not None:
            session.execute(
                update(ImportBatch.__table__)
                .where(ImportBatch.id == batch_id)
                .values(
                    rows_new=obs_counts.new,
                    rows_changed=obs_counts.changed,
                    rows_unchanged=obs_counts.unchanged,
                )
            )
        _sync(
            session,
            ReferenceTable,
            ("name",),
            bundle.references,
            counts=t["reference_table"],
            delete_missing=False,
        )
        _sync(
            session,
            ReferenceRow,
            ("table_name", "position"),
            bundle.reference_rows,
            counts=t["reference_row"],
            delete_missing=True,
        )
        gone = set(session.scalars(select(ReferenceTable.name))) - set(bundle.references)
        for name in gone:
            session.execute(delete(ReferenceRow.__table__).where(ReferenceRow.table_name == name))
            session.execute(delete(ReferenceTable.__table__).where(ReferenceTable.name == name))
        t["reference_table"].deleted += len(gone)
        report.batch_id = batch_id
        if dry_run:
            raise _DryRun
        return report

    try:
        return db.write(engine, run)
    except _DryRun:
        report.batch_id = None
        return report


def _count_changes(session: Session, wanted: dict[tuple[str, str, str], dict[str, Any]]) -> int:
    """Number of bundled observations to insert, update or delete (imported ones are not counted)."""
    cols = [c for c in next(iter(wanted.values()), {}) if not c.startswith("_")]
    table = Observation.__table__
    stored = {
        (r["territory"], r["indicator"], r["period"]): r
        for r in session.execute(select(*[table.c[c] for c in cols], table.c.file)).mappings()
    }
    n = 0
    for key, record in wanted.items():
        old = stored.get(key)
        if old is None or (old["file"] is None and any(old[c] != record[c] for c in cols)):
            n += 1
    n += sum(1 for key, r in stored.items() if r["file"] is None and key not in wanted)
    return n
