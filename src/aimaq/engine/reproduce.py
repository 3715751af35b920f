"""Reproduction reports: does a methodology reproduce the values its source published?

A spec's ``expected:`` block (or a list of them) names published values, cell by cell::

    expected:
      source: {seed: "004", table: T2, lines: 486-491}
      year: 2020                      # default: the last computed year
      tolerance: 0.5                  # or {abs: 0.5, rel: 0.01}; default: half a unit of the printed digit
      score: {satpayev: 40, balkhash: 39}          # column -> {territory: published value}
      observed: {score: seed004_total_points}      # column -> indicator holding published values
      known: {balkhash.score: "printed 39; its printed indicator scores sum to 37 (l.491)"}

A column is a column of the result table (``score``, ``rank``, a classification id, a group id; the index's
own id means ``score``), an indicator code (its normalised value: the points of a band score), or
``<step table>.<column>`` (``transformed.growth``). :func:`reproduce` compares every cell and returns a
:class:`ReproductionReport`: each cell *reproduced*, *explained* (not reproduced, with the documented reason
of ``known:``) or *not reproduced* (unexplained); ``ok`` is False only when some cell is unexplained.

Published cells that the method cannot compute because the source does not give their inputs (seed 003
Table 16's small and medium enterprise columns; the 73 335 / 52.3 % under Table 41, l.4209) are listed
under ``unavailable:`` with the reason; they are reported as *not computable*, counted in the summary and
never compared::

    unavailable:
      - {column: level_small, reason: "no counts by enterprise size in the seed", values: {zaisan: 12.5}}

A published statement may be a bound or a range rather than a number: ``">85"``, ``"<=2"``, ``"10..12"``
(seed 001 l.696-700, "more than 85 %"); the cell is reproduced when the computed value satisfies it. A block's
``claim:`` (or ``claims: {column: id}``, or ``claim`` in an ``unavailable:`` entry) names the published
statement each cell checks (seed 001's C01-C51), shown on every row of the report.

Examples
--------
>>> default_tolerance(0.5078), default_tolerance(40), default_tolerance(12.25)
(5e-05, 0.5, 0.005)
>>> parse_bound(">85"), parse_bound("10..12"), parse_bound("85")
(('>', 85.0), ('..', (10.0, 12.0)), None)
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from aimaq.engine.errors import SpecErrors, SpecProblem
from aimaq.engine.result import Result
from aimaq.engine.spec import Methodology

_BLOCK_KEYS = ("source", "year", "tolerance", "observed", "known", "note", "unavailable", "claim", "claims")
STATUSES = ("reproduced", "explained", "not_computable", "not_reproduced")
_NUMBER = r"-?\d+(?:\.\d+)?"
_BOUND = re.compile(rf"^\s*(<=|>=|<|>|≤|≥)\s*({_NUMBER})\s*$")
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*\.\.\s*({_NUMBER})\s*$")


def parse_bound(text: Any) -> tuple[str, Any] | None:
    """A published bound (``">85"``, ``"<=2"``, ``"≥5"``) or range (``"10..12"``, both ends included) as
    ``(operator, value)``; None for anything else (a number, a label)."""
    if not isinstance(text, str):
        return None
    if b := _BOUND.match(text):
        op = {"≤": "<=", "≥": ">="}.get(b.group(1), b.group(1))
        return op, float(b.group(2))
    if r := _RANGE.match(text):
        return "..", (float(r.group(1)), float(r.group(2)))
    return None


def _satisfies(value: float, bound: tuple[str, Any]) -> bool:
    op, ref = bound
    if op == "..":
        return bool(ref[0] <= value <= ref[1])
    return bool({"<": value < ref, "<=": value <= ref, ">": value > ref, ">=": value >= ref}[op])


def default_tolerance(value: float) -> float:
    """Half a unit of the last printed digit of ``value`` (0.5078 -> 0.00005, 40 -> 0.5).

    The digits are those of the shortest repr of the float, so a value printed as "0.50" and written as 0.50
    in YAML counts as "0.5": give ``tolerance`` explicitly when trailing zeros matter.
    """
    text = repr(float(value))
    if "e" in text or "E" in text:
        mant, exp = text.lower().split("e")
        decimals = (len(mant.split(".")[1]) if "." in mant else 0) - int(exp)
    else:
        decimals = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    return round(0.5 * 10.0 ** (-decimals), 12)


@dataclass(frozen=True)
class Cell:
    """One published value against the computed one."""

    territory: str
    column: str
    year: int
    expected: Any
    computed: Any
    delta: float | None
    tolerance: float | None
    status: str
    reason: str
    source: str
    claim: str = ""  # the published statement the cell checks (seed 001's C01-C51), when the spec names it

    @property
    def ok(self) -> bool:
        return self.status != "not_reproduced"


@dataclass(frozen=True)
class ReproductionReport:
    """Every cell of the ``expected:`` blocks, with a summary; ``ok`` is False only on an unexplained cell."""

    methodology: str
    cells: tuple[Cell, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.cells)

    def counts(self) -> dict[str, int]:
        """Cells per status: reproduced, explained, not_computable (``unavailable:``), not_reproduced."""
        return {s: sum(c.status == s for c in self.cells) for s in STATUSES}

    @property
    def summary(self) -> str:
        n = self.counts()
        verdict = "OK" if self.ok else "FAILED: unexplained mismatches"
        # listed only when there are some, so that reports without `unavailable:` read as before
        absent = (
            f"{n['not_computable']} not computable from the source's data, " if n["not_computable"] else ""
        )
        return (
            f"{self.methodology}: {len(self.cells)} cells, {n['reproduced']} reproduced, "
            f"{n['explained']} not reproduced with a documented reason, {absent}{n['not_reproduced']} not "
            f"reproduced without one: {verdict}"
        )

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(c) for c in self.cells], columns=list(Cell.__dataclass_fields__))

    def to_dict(self) -> dict[str, Any]:
        return {
            "methodology": self.methodology,
            "ok": self.ok,
            "counts": self.counts(),
            "summary": self.summary,
            "cells": [_clean(asdict(c)) for c in self.cells],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        label = {
            "reproduced": "reproduced",
            "explained": "explained",
            "not_computable": "not computable",
            "not_reproduced": "NOT REPRODUCED",
        }
        lines = []
        for c in self.cells:
            delta = "" if c.delta is None else f"Δ {c.delta:+.6g}"
            claim = f"{c.claim:<4} " if c.claim else ""
            line = (
                f"{label[c.status]:<15} {claim}{c.year} {c.territory:<20} {c.column:<16} "
                f"published {_fmt(c.expected):>10}  computed {_fmt(c.computed):>10}  {delta}"
            )
            if c.reason:
                line += f"  [{c.reason}]"
            if c.source:
                line += f"  ({c.source})"
            lines.append(line.rstrip())
        lines.append(self.summary)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in d.items()}


def _blocks(m: Methodology) -> list[tuple[str, Mapping[str, Any]]]:
    exp = m.get("expected")
    if exp is None:
        return []
    if isinstance(exp, list):
        return [(f"expected.{i}", b) for i, b in enumerate(exp)]
    return [("expected", exp)]


def _source_text(source: Any) -> str:
    if isinstance(source, Mapping):
        parts = []
        if "seed" in source:
            parts.append(f"seed {source['seed']}")
        if "table" in source:
            parts.append(f"table {source['table']}")
        if "lines" in source:
            parts.append(f"l.{source['lines']}")
        if "citation" in source:
            parts.append(str(source["citation"]))
        return ", ".join(parts)
    return "" if source is None else str(source)


def _column_values(result: Result, column: str, year: int) -> pd.Series | None:
    """Computed values of a column for one year, indexed by territory (None when the column is unknown),
    with the rows of ``summarise:`` (territory = the summary's id) when they hold that column."""
    values = _territory_values(result, column, year)
    if "summarised" not in result.data:
        return values
    summary = result.data["summarised"].rename(columns={result.methodology.root: "score"})
    if column not in summary.columns:
        return values
    rows = summary.xs(year, level="year")[column]
    if values is None:
        return rows
    return pd.concat([values, rows[~rows.index.isin(values.index)]])


def _territory_values(result: Result, column: str, year: int) -> pd.Series | None:
    m = result.methodology
    table = result.table_for(year)
    if column == m.root and "score" in table.columns:
        return table["score"]
    if column in table.columns:
        return table[column]
    step, _, col = column.partition(".")
    frames = result.data
    if col and step in frames:
        df = frames[step]
        if col in df.columns and "year" in (df.index.names or []):
            return df.xs(year, level="year")[col]
        return None
    if column in result.territories or "normalised" not in frames:
        return None
    norm = frames["normalised"]
    if column in norm.columns:
        return norm.xs(year, level="year")[column]
    return None


def reproduce(methodology: Methodology, data: Any, result: Result | None = None) -> ReproductionReport:
    """Compare the published values of ``methodology``'s ``expected:`` blocks with a computation on ``data``.

    Parameters
    ----------
    methodology : Methodology
    data : Dataset
        Also the source of ``observed:`` published values.
    result : Result, optional
        A result of this methodology on ``data`` (computed when not given).

    Raises
    ------
    SpecErrors
        For an ``expected:`` block naming a column the result does not have, or a year not computed.
    """
    r = result if result is not None else methodology.compute(data)
    f = methodology.file
    problems: list[SpecProblem] = []
    cells: list[Cell] = []
    for key, block in _blocks(methodology):
        year = int(block.get("year", r.years[-1]))
        if year not in r.years:
            problems.append(
                SpecProblem(
                    f, f"{key}.year", f"{year} was not computed (years {list(r.years)})", "bad_parameter"
                )
            )
            continue
        tol = block.get("tolerance")
        known = {str(k): str(v) for k, v in (block.get("known") or {}).items()}
        source = _source_text(block.get("source"))
        claims = _claims(block)
        wanted: list[tuple[str, str, Any, str]] = []  # column, territory, value, source
        for column, values in block.items():
            if column in _BLOCK_KEYS:
                continue
            if not isinstance(values, Mapping):
                problems.append(
                    SpecProblem(f, f"{key}.{column}", "expected {territory: value, ...}", "schema")
                )
                continue
            wanted += [(str(column), str(t), v, source) for t, v in values.items()]
        for column, indicator in (block.get("observed") or {}).items():
            obs = data.observations
            obs = obs[(obs["indicator"] == indicator) & (obs["year_to"] == year)]
            if methodology.get("select.spans", "end") == "end":
                # as in the selection: a period (2013-2021) counts for its end year; single years win
                obs = obs.assign(_len=obs["year_to"] - obs["year_from"]).sort_values("_len", ascending=False)
                obs = obs.drop_duplicates("territory", keep="last")
            else:
                obs = obs[obs["year_from"] == year]
            if obs.empty:
                problems.append(
                    SpecProblem(
                        f,
                        f"{key}.observed.{column}",
                        f"the data have no observation of {indicator!r} for {year}",
                        "no_data",
                    )
                )
            for row in obs.itertuples(index=False):  # published cells: a handful per table
                value = row.value if not pd.isna(row.value) else row.value_text
                wanted.append((str(column), str(row.territory), value, str(row.source or source)))
        for column in sorted({c for c, _, _, _ in wanted}):
            if _column_values(r, column, year) is not None:
                continue
            # a published cell the spec does not compute may still be listed, with its documented reason
            if all(f"{t}.{c}" in known for c, t, _, _ in wanted if c == column):
                continue
            problems.append(
                SpecProblem(
                    f,
                    f"{key}.{column}",
                    f"{column!r} is not a column of the result (score, rank, a classification, a group, an "
                    "indicator, or <step>.<column>); a published value that is not computed needs a `known:` "
                    "reason for every cell",
                    "bad_parameter",
                )
            )
        absent = _unavailable(block, key, f, problems)
        if problems:
            continue
        for column, territory, expected, src in wanted:
            cell = _compare(r, column, territory, year, expected, tol, known, src)
            cells.append(dataclasses.replace(cell, claim=claims.get(column, claims.get("", ""))))
        for column, territory, expected, reason, claim in absent:
            cells.append(
                Cell(
                    territory,
                    column,
                    year,
                    expected,
                    None,
                    None,
                    None,
                    "not_computable",
                    reason,
                    source,
                    claim or claims.get(column, claims.get("", "")),
                )
            )
    if problems:
        raise SpecErrors(problems)
    return ReproductionReport(methodology.name, tuple(cells))


def _claims(block: Mapping[str, Any]) -> dict[str, str]:
    """Claim ids of a block: ``{column: id}`` from ``claims:``, and the block's ``claim:`` under ``""``."""
    out = {str(k): str(v) for k, v in (block.get("claims") or {}).items()}
    if block.get("claim"):
        out[""] = str(block["claim"])
    return out


def _unavailable(
    block: Mapping[str, Any], key: str, file: str, problems: list[SpecProblem]
) -> list[tuple[str, str, Any, str, str]]:
    """The block's ``unavailable:`` cells as (column, territory, published value, reason, claim id)."""
    out: list[tuple[str, str, Any, str, str]] = []
    entries = block.get("unavailable") or []
    if not isinstance(entries, list):
        problems.append(
            SpecProblem(file, f"{key}.unavailable", "a list of {column, reason, values}", "schema")
        )
        return out
    for i, e in enumerate(entries):
        where = f"{key}.unavailable.{i}"
        ok = isinstance(e, Mapping)
        reason = str(e.get("reason") or "").strip() if ok else ""
        values = e.get("values") if ok else None
        if not ok or not e.get("column") or not reason or not isinstance(values, Mapping) or not values:
            problems.append(
                SpecProblem(
                    file,
                    where,
                    "a published cell the method cannot compute needs `column`, `reason` (why the source's "
                    "data do not allow it) and `values: {territory: published value}`",
                    "schema",
                )
            )
            continue
        if e.get("lines"):
            reason = f"{reason} (l.{e['lines']})"
        out += [(str(e["column"]), str(t), v, reason, str(e.get("claim") or "")) for t, v in values.items()]
    return out


def _compare(
    r: Result,
    column: str,
    territory: str,
    year: int,
    expected: Any,
    tol: Any,
    known: Mapping[str, str],
    source: str,
) -> Cell:
    values = _column_values(r, column, year)
    reason = known.get(f"{territory}.{column}", "")
    if values is None:  # listed for completeness: every such cell has a known reason (checked above)
        return Cell(territory, column, year, expected, None, None, None, "explained", reason, source)
    computed: Any = values.get(territory) if territory in values.index else None
    delta: float | None = None
    tolerance: float | None = None
    if computed is None or (isinstance(computed, float) and math.isnan(computed)):
        if reason:
            return Cell(territory, column, year, expected, None, None, None, "explained", reason, source)
        where = (
            "the territory is not in the result" if territory not in values.index else "the value is missing"
        )
        return Cell(territory, column, year, expected, None, None, None, "not_reproduced", where, source)
    bound = parse_bound(expected)
    if bound is not None:
        computed = float(computed)
        match = _satisfies(computed, bound)
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
        computed = float(computed)
        delta = computed - float(expected)
        if isinstance(tol, Mapping):
            tolerance = float(tol.get("abs", 0.0)) + float(tol.get("rel", 0.0)) * abs(float(expected))
        elif tol is not None:
            tolerance = float(tol)
        else:
            tolerance = default_tolerance(float(expected))
        match = abs(delta) <= tolerance + 1e-12
    else:
        match = str(computed) == str(expected)
    status = "reproduced" if match else "explained" if reason else "not_reproduced"
    return Cell(territory, column, year, expected, computed, delta, tolerance, status, reason, source)


def published_cells(m: Methodology) -> list[dict[str, Any]]:
    """The published cells a spec's ``expected:`` blocks write out, without computing anything.

    Each is ``{key, column, territory, expected, source}`` (``key`` is the block's key path); a column read
    from observations (``observed: {score: seed004_total_points}``) gives one row with ``territory`` None and
    ``expected`` naming the indicator, since its cells are in the data. Used to list what a reproduction
    would check when the spec's data are not loaded.

    Examples
    --------
    >>> m = Methodology.from_dict({"name": "t", "title": {"en": "T"}, "indicators": ["a"],
    ...     "expected": {"source": {"seed": "004", "table": "T2"}, "score": {"x": 40}}})
    >>> published_cells(m)
    [{'key': 'expected', 'column': 'score', 'territory': 'x', 'expected': 40, 'source': 'seed 004, table T2'}]
    """
    out: list[dict[str, Any]] = []
    for key, block in _blocks(m):
        source = _source_text(block.get("source"))
        claims = _claims(block)
        for column, values in block.items():
            if column in _BLOCK_KEYS or not isinstance(values, Mapping):
                continue
            claim = claims.get(str(column), claims.get("", ""))
            for t, v in values.items():
                row = {
                    "key": key,
                    "column": str(column),
                    "territory": str(t),
                    "expected": v,
                    "source": source,
                }
                out.append({**row, "claim": claim} if claim else row)
        for i, e in enumerate(block.get("unavailable") or []):
            for t, v in (e.get("values") or {}).items() if isinstance(e, Mapping) else ():
                out.append(
                    {
                        "key": f"{key}.unavailable.{i}",
                        "column": str(e.get("column")),
                        "territory": str(t),
                        "expected": v,
                        "source": source,
                    }
                )
        for column, indicator in (block.get("observed") or {}).items():
            out.append(
                {
                    "key": f"{key}.observed",
                    "column": str(column),
                    "territory": None,
                    "expected": f"observations of {indicator}",
                    "source": source,
                }
            )
    return out


def expected_columns(m: Methodology) -> Sequence[str]:
    """Columns named by the spec's ``expected:`` blocks (for listings)."""
    out: list[str] = []
    for _, block in _blocks(m):
        out += [c for c in block if c not in _BLOCK_KEYS and c not in out]
        out += [c for c in (block.get("observed") or {}) if c not in out]
    return out
