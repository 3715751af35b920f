"""Finding the header and the shape of a table, and turning its cells into checked observations.

Header conventions (``docs/store.md`` has the long version):

Long
    One header row naming at least a territory, an indicator, a period and a value column, in any order
    and in en/ru/kk: ``territory|region|территория|регион|аймақ``, ``indicator|показатель|көрсеткіш``,
    ``year|period|год|период|жыл|кезең``, ``value|значение|мән``; optional ``unit``, ``source``,
    ``status``.
Wide, years as columns
    Territories down the first column, periods across (``2019``, ``2020 г.``, ``2008-2021``). The
    indicator is named by ``indicator=`` (``--indicator``) or by a title row above the header holding its
    code or one of its names (the BNS layout: "Внутренние затраты на НИОКР, млн тенге").
Wide, indicators as columns
    Territories down the first column, indicator codes or names across. The period comes from ``year=``
    (``--year``), from a sheet named like a year, or from the one year written in the title rows.

Rows above the header are title rows (:func:`_find_header` says how the header is found). Rows of a wide
table whose value cells are all empty (footnotes, blank separators) are skipped.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from aimaq.dataset import STATUSES, parse_period, period_label
from aimaq.store.errors import ValidationError
from aimaq.store.gazetteer import Gazetteer, Match
from aimaq.store.imports.readers import RawTable
from aimaq.store.parsing import NotANumber, known_unit, parse_number, plain_key, unit_key

LONG_HEADERS: dict[str, frozenset[str]] = {
    "territory": frozenset(
        {"territory", "region", "territory code", "территория", "регион", "аймақ", "аумақ", "өңір", "область"}
    ),
    "indicator": frozenset({"indicator", "indicator code", "показатель", "код показателя", "көрсеткіш"}),
    "period": frozenset({"period", "year", "год", "период", "жыл", "кезең"}),
    "value": frozenset({"value", "значение", "мән", "мәні"}),
    "unit": frozenset({"unit", "единица", "ед изм", "единица измерения", "өлшем бірлігі", "бірлік"}),
    "source": frozenset({"source", "источник", "дереккөз"}),
    "status": frozenset({"status", "статус", "мәртебе"}),
}
_YEAR_HEADER = re.compile(
    r"^\s*(\d{4})(?:\s*[-–—]\s*(\d{4}))?\s*(?:г|год|гг|жыл|ж|year)?\.?\s*$", re.IGNORECASE
)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_HEADER_SCAN = 20


def header_period(cell: object) -> tuple[int, int] | None:
    """The period a column header names (``2020``, ``2020.0`` from Excel, ``"2020 г."``), else None.

    Examples
    --------
    >>> header_period("2020 г."), header_period(2019.0), header_period("2008–2021"), header_period("GRP")
    ((2020, 2020), (2019, 2019), (2008, 2021), None)
    """
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    m = _YEAR_HEADER.match(str(cell)) if cell is not None else None
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    return (a, b) if 1900 <= a <= b <= 2100 else None


def _text(cell: object) -> str:
    """A cell as text; an apostrophe that :func:`aimaq.store.export.neutralise` put before ``= + - @`` is
    dropped, as a spreadsheet would, so that an export imports back unchanged."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


@dataclass
class Catalog:
    """What cells are checked against: the gazetteer and the indicators (both optional for ``read_dataset``).

    With ``strict=False`` unknown territories and indicators are kept by the text written in the file
    (engine ``--data`` files need not be in the store).
    """

    gazetteer: Gazetteer | None = None
    indicators: pd.DataFrame | None = None
    strict: bool = True
    #: ``explained(territory, indicator, period)``: True when a data-quality note covers a value drawn on
    #: borders that did not exist in its period (the store's notes; see ``docs/store.md``).
    explained: Callable[[str, str, str], bool] | None = None
    _by_name: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _units: dict[str, str | None] = field(default_factory=dict, init=False, repr=False)
    _kinds: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _matches: dict[tuple[str, int, int], Match] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.indicators is None:
            return
        for code, row in self.indicators.iterrows():
            unit, kind = row.get("unit"), row.get("kind")
            self._units[str(code)] = str(unit) if isinstance(unit, str) and unit.strip() else None
            self._kinds[str(code)] = str(kind) if isinstance(kind, str) else "numeric"
            for col in ("name_en", "name_ru", "name_kk"):
                name = row.get(col)
                if isinstance(name, str) and name.strip():
                    self._by_name.setdefault(plain_key(name), str(code))
            self._by_name[plain_key(str(code))] = str(code)

    def indicator(self, text: str) -> str | None:
        """The indicator code that ``text`` names (its code or any of its names), else None."""
        if self.indicators is None:
            return text or None
        if text in self.indicators.index:
            return text
        return self._by_name.get(plain_key(text))

    def indicator_in_title(self, title: str) -> str | None:
        """An indicator named by a title row: the whole row, or its part before a comma (the unit follows)."""
        for candidate in (title, title.split(",")[0], title.split("(")[0]):
            code = self.indicator(candidate.strip()) if candidate.strip() else None
            if code and self.indicators is not None:
                return code
        return None

    def suggest_indicator(self, text: str) -> str | None:
        if not self._by_name:
            return None
        close = difflib.get_close_matches(plain_key(text), list(self._by_name), n=1, cutoff=0.6)
        return self._by_name[close[0]] if close else None

    def unit(self, code: str) -> str | None:
        """The indicator's unit, None when it has none or is unknown."""
        return self._units.get(code)

    def kind(self, code: str) -> str:
        """``numeric`` or ``categorical`` (``numeric`` for an unknown indicator)."""
        return self._kinds.get(code, "numeric")

    def match_territory(self, name: str, year_from: int, year_to: int) -> Match:
        """:meth:`Gazetteer.match`, remembered per name and period (a file repeats its names many times)."""
        assert self.gazetteer is not None
        key = (name, year_from, year_to)
        if key not in self._matches:
            self._matches[key] = self.gazetteer.match(name, year_from, year_to)
        return self._matches[key]


@dataclass
class Cell:
    """One value cell as found in the file, with the row and column each of its key parts came from."""

    row: int
    territory: object
    territory_col: str
    indicator: object
    indicator_col: str | None
    period: object
    period_col: str | None
    value: object
    value_col: str
    unit: object = None
    unit_col: str | None = None
    status: object = None
    status_col: str | None = None
    source: object = None


@dataclass
class Parsed:
    """A file read into checked observation records, or the errors that stop it."""

    file: str
    sheet: str | None
    shape: str
    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[ValidationError] = field(default_factory=list)


def _find_header(rows: Sequence[Sequence[object]]) -> tuple[int, list[str]] | None:
    """The header row: the first with at least two filled cells whose cells right of the first column number
    at least three quarters of the most any of the first rows has there. The first column (territories) is
    left out because BNS headers leave it blank; the rule keeps a title row with a unit beside it
    ("GERD" | "mln KZT") from being taken for the header."""
    scanned = [[_text(c) for c in row] for row in rows[:_HEADER_SCAN]]
    filled = [sum(bool(c) for c in cells) for cells in scanned]
    right = [sum(bool(c) for c in cells[1:]) for cells in scanned]
    if not right or max(right) < 1:
        return None
    need = -(-3 * max(right) // 4)  # ceil(0.75 * max)
    for i, cells in enumerate(scanned):
        if filled[i] >= 2 and right[i] >= need:
            return i, cells
    return None


def cells_of(
    table: RawTable,
    catalog: Catalog,
    *,
    indicator: str | None = None,
    year: str | int | None = None,
) -> tuple[str, list[Cell], list[ValidationError]]:
    """Find the header and the shape; return ``(shape, cells, errors)``.

    ``shape`` is ``"long"``, ``"wide-years"`` or ``"wide-indicators"``.
    """
    errors: list[ValidationError] = []

    def err(row: int | None, col: str | None, reason: str, value: str | None, expected: str) -> None:
        errors.append(ValidationError(table.file, table.sheet, row, col, reason, value, expected))

    found = _find_header(table.rows)
    if found is None:
        err(
            None, None, "bad_header", None, "a header row with at least two filled cells in the first 20 rows"
        )
        return "unknown", [], errors
    h, header = found
    title_rows = [[_text(c) for c in r if _text(c)] for r in table.rows[:h]]
    # Each title cell on its own, then each title row joined: "GERD" | "mln KZT" or "GERD, mln KZT".
    titles = [c for r in title_rows for c in r] + [" ".join(r) for r in title_rows if len(r) > 1]
    keys = [plain_key(c) for c in header]
    roles = {
        role: next((j for j, k in enumerate(keys) if k in names), None)
        for role, names in LONG_HEADERS.items()
    }
    body = [(i + 1, row) for i, row in enumerate(table.rows) if i > h]
    cells: list[Cell] = []

    def at(row: Sequence[object], j: int | None) -> object:
        return row[j] if j is not None and j < len(row) else None

    if all(roles[r] is not None for r in ("territory", "indicator", "period", "value")):
        t, i_, p, v = (roles[r] for r in ("territory", "indicator", "period", "value"))
        for number, row in body:
            if not any(_text(c) for c in row):
                continue
            cells.append(
                Cell(
                    row=number,
                    territory=at(row, t),
                    territory_col=header[t],
                    indicator=at(row, i_),
                    indicator_col=header[i_],
                    period=at(row, p),
                    period_col=header[p],
                    value=at(row, v),
                    value_col=header[v],
                    unit=at(row, roles["unit"]),
                    unit_col=header[roles["unit"]] if roles["unit"] is not None else None,
                    status=at(row, roles["status"]),
                    status_col=header[roles["status"]] if roles["status"] is not None else None,
                    source=at(row, roles["source"]),
                )
            )
        return "long", cells, errors

    value_cols = [j for j in range(1, len(header)) if header[j]]
    territory_col = header[0] or "(first column)"
    periods = {j: header_period(table.rows[h][j]) for j in value_cols}
    if value_cols and all(periods.values()):
        code = indicator if indicator else next(filter(None, map(catalog.indicator_in_title, titles)), None)
        if code is None:
            err(
                h + 1,
                None,
                "bad_header",
                None,
                "the columns are years: name the indicator with --indicator CODE or in a title row",
            )
            return "wide-years", [], errors
        # A BNS title names the unit after a comma or in the next cell ("..., млн тенге"): a table in
        # thousands is refused for an indicator stored in millions rather than stored 1000 times too big.
        expected_unit = catalog.unit(code)
        for number, cells_ in enumerate(title_rows, start=1):
            parts = [p.strip() for c in cells_ for p in c.split(",")]
            units = [p for p in parts if p and known_unit(p)]
            if expected_unit and units and unit_key(units[-1]) != unit_key(expected_unit):
                err(
                    number,
                    None,
                    "unit_mismatch",
                    units[-1],
                    f"{code} is measured in {expected_unit}; convert it",
                )
                return "wide-years", [], errors
        for number, row in body:
            if all(_text(at(row, j)) == "" for j in value_cols):
                continue
            for j in value_cols:
                if _text(at(row, j)) == "":
                    continue
                cells.append(
                    Cell(
                        row=number,
                        territory=at(row, 0),
                        territory_col=territory_col,
                        indicator=code,
                        indicator_col=None,
                        period=period_label(*periods[j]),  # type: ignore[misc]
                        period_col=header[j],
                        value=at(row, j),
                        value_col=header[j],
                    )
                )
        return "wide-years", cells, errors

    period: object = year
    if period is None and table.sheet and header_period(table.sheet):
        period = table.sheet
    if period is None:
        found_years = sorted({m for t in titles for m in _YEAR_IN_TEXT.findall(t)})
        if len(found_years) == 1:
            period = found_years[0]
    if period is None:
        err(
            h + 1,
            None,
            "bad_header",
            None,
            "the columns are indicators: name the year with --year, in the sheet name, or in a title row",
        )
        return "wide-indicators", [], errors
    for number, row in body:
        if all(_text(at(row, j)) == "" for j in value_cols):
            continue
        for j in value_cols:
            if _text(at(row, j)) == "":
                continue
            cells.append(
                Cell(
                    row=number,
                    territory=at(row, 0),
                    territory_col=territory_col,
                    indicator=header[j],
                    indicator_col=header[j],
                    period=period,
                    period_col=None,
                    value=at(row, j),
                    value_col=header[j],
                )
            )
    return "wide-indicators", cells, errors


def check_cells(
    table: RawTable,
    shape: str,
    cells: Sequence[Cell],
    catalog: Catalog,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> Parsed:
    """Check every cell against the catalog; collect every problem; return the records that passed.

    Checks, each with its reason code: period (``bad_period``), territory (``unknown_territory``,
    ``ambiguous_territory``, ``year_outside_validity``), indicator (``unknown_indicator``), value
    (``not_numeric``), unit (``unit_mismatch``), status (``bad_status``) and key (``duplicate_key``).
    """
    parsed = Parsed(table.file, table.sheet, shape)
    errors = parsed.errors
    seen: dict[tuple[str, str, str], int] = {}
    bad_indicator_cols: set[str] = set()
    total = len(cells)

    def err(c: Cell, col: str | None, reason: str, value: object, expected: str | None) -> None:
        errors.append(
            ValidationError(table.file, table.sheet, c.row, col, reason, _text(value) or None, expected)
        )

    for n, c in enumerate(cells, start=1):
        if on_progress is not None and (n % 500 == 0 or n == total):
            on_progress(n, total)
        ok = True
        try:
            year_from, year_to = parse_period(_text(c.period))
        except ValueError:
            err(c, c.period_col, "bad_period", c.period, "a year (2020) or a span (2008-2021)")
            continue
        period = period_label(year_from, year_to)
        # indicator
        raw_i = _text(c.indicator)
        code = catalog.indicator(raw_i) if raw_i else None
        if code is None:
            if not catalog.strict and raw_i:
                code = raw_i
            else:
                ok = False
                # A wide table's unknown indicator column is one problem, not one per row.
                key = c.indicator_col if c.indicator_col and c.period_col is None else None
                if key not in bad_indicator_cols or key is None:
                    closest = catalog.suggest_indicator(raw_i) if raw_i else None
                    err(
                        c,
                        c.indicator_col,
                        "unknown_indicator" if raw_i else "missing_value",
                        raw_i,
                        f'closest "{closest}"'
                        if closest
                        else "an indicator code (aimaq indicators lists them)",
                    )
                    if key is not None:
                        bad_indicator_cols.add(key)
                code = ""
        # territory
        raw_t = _text(c.territory)
        if not raw_t:
            err(c, c.territory_col, "missing_value", None, "the territory's code or name")
            ok = False
            territory = ""
        elif catalog.gazetteer is None:
            territory = raw_t
        else:
            match = catalog.match_territory(raw_t, year_from, year_to)
            if match.ok:
                territory = str(match.code)
            elif match.reason == "unknown_territory" and not catalog.strict:
                territory = raw_t
            elif (
                match.reason == "year_outside_validity"
                and len(match.candidates) == 1
                and code
                and catalog.explained is not None
                and catalog.explained(match.candidates[0], code, period)
            ):
                territory = match.candidates[0]
            else:
                err(c, c.territory_col, str(match.reason), raw_t, match.expected)
                ok = False
                territory = ""
        # value
        value: float | None = None
        value_text: str | None = None
        status = _text(c.status) or "published"
        if status not in STATUSES:
            err(c, c.status_col, "bad_status", status, f"one of {', '.join(STATUSES)}")
            ok = False
        if code and catalog.kind(code) == "categorical":
            value_text = _text(c.value) or None
        else:
            raw_v = _text(c.value)
            try:
                value = parse_number(raw_v)
            except NotANumber as exc:
                err(c, c.value_col, "not_numeric", raw_v, str(exc))
                ok = False
            else:
                # A BNS marker ("-" nothing happened, "…" not available, "x" confidential) is kept as written.
                value_text = raw_v if value is None and raw_v else None
        categorical = bool(code) and catalog.kind(code) == "categorical"
        if value is None and not (categorical and value_text):
            status = "missing"
        # unit
        raw_u = _text(c.unit)
        if raw_u and code:
            expected_unit = catalog.unit(code)
            if expected_unit and unit_key(raw_u) != unit_key(expected_unit):
                err(
                    c,
                    c.unit_col,
                    "unit_mismatch",
                    raw_u,
                    f"{code} is measured in {expected_unit}; convert it",
                )
                ok = False
        if not ok:
            continue
        key = (territory, code, period)
        if key in seen:
            err(
                c,
                c.value_col,
                "duplicate_key",
                f"{territory} × {code} × {period}",
                f"row {seen[key]} already gives this cell; keep one",
            )
            continue
        seen[key] = c.row
        parsed.records.append(
            {
                "territory": territory,
                "indicator": code,
                "period": period,
                "year_from": year_from,
                "year_to": year_to,
                "value": value,
                "value_text": value_text,
                "status": status,
                "file": table.file,
                "sheet": table.sheet,
                "row": c.row,
                "comment": _text(c.source) or None,
            }
        )
    return parsed
