"""The :class:`Store`: aimaq's read/write API over the database (docs/architecture.md, "Store").

A tour (``tests/store/test_repository.py`` runs the same steps)::

    store = Store("sqlite:///var/demo.sqlite")
    store.init()                                     # schema + the bundled data of the five seeds
    store.territories(level="region", at="2024-01-01")
    store.observations(territories=["abai"], indicators=["gerd_internal"])
    store.import_file("karaganda_2021.xlsx", dry_run=True).summary()
    store.dataset(periods=[2020]).wide(2020)

Every write goes through :func:`aimaq.store.db.write` in one transaction; imports are checked first and
raise :class:`~aimaq.store.errors.ValidationErrors` with every problem, leaving the store unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import inspect, select, text, update
from sqlalchemy.orm import Session

from aimaq.dataset import Dataset, parse_period, period_label
from aimaq.store import db
from aimaq.store.errors import REASONS
from aimaq.store.export import export_observations
from aimaq.store.gazetteer import Gazetteer
from aimaq.store.imports import Catalog, parse_file
from aimaq.store.load_bundled import BUNDLED, INDICATOR_COLUMNS, TERRITORY_COLUMNS, LoadReport
from aimaq.store.load_bundled import load_bundled as _load_bundled
from aimaq.store.models import (
    Base,
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

# The gazetteer's and the indicator catalogue's fields: the bundled files' columns without the code.
TERRITORY_FIELDS = TERRITORY_COLUMNS[1:]
INDICATOR_FIELDS = INDICATOR_COLUMNS[1:]


class UnknownTerritory(LookupError):
    """No territory has this code, name or alias; the message names the closest one."""


@dataclass
class ImportReport:
    """What an import did, or with ``dry_run`` would do: new, changed and unchanged cells.

    ``changes`` lists every cell: ``territory, indicator, period, action (new|changed|unchanged), old, new,
    row``.
    """

    file: str
    sheet: str | None
    shape: str
    dry_run: bool
    changes: list[dict[str, Any]] = field(default_factory=list)
    batch_id: int | None = None

    def count(self, action: str) -> int:
        """Cells with ``action`` (``new``, ``changed`` or ``unchanged``)."""
        return sum(1 for c in self.changes if c["action"] == action)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def changed(self) -> int:
        return self.count("changed")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def summary(self) -> str:
        """``karaganda.csv (wide-years): 12 new, 3 changed, 40 unchanged cells; written.``"""
        where = f'{self.file}, sheet "{self.sheet}"' if self.sheet else self.file
        tail = (
            "dry run, nothing was written"
            if self.dry_run
            else (f"written as import batch {self.batch_id}" if self.batch_id else "nothing to write")
        )
        counts = f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged cells"
        return f"{where} ({self.shape}): {counts}; {tail}."

    def frame(self) -> pd.DataFrame:
        """The changes as a DataFrame."""
        return pd.DataFrame(
            self.changes, columns=["territory", "indicator", "period", "action", "old", "new", "row"]
        )


def _at(at: dt.date | str | int | None) -> dt.date | None:
    """A date from a date, an ISO string, or a year (31 December of it: borders at the year's end)."""
    if at is None or isinstance(at, dt.date):
        return at
    if isinstance(at, int) or (isinstance(at, str) and at.strip().isdigit() and len(at.strip()) == 4):
        return dt.date(int(at), 12, 31)
    return dt.date.fromisoformat(str(at))


def _source(
    seed: str | None,
    table: str | None,
    lines: str | None,
    file: str | None,
    sheet: str | None,
    row: int | None,
) -> str:
    """``seed004 T1 l.159`` for bundled data, ``data.xlsx [2021] row 14`` for imports."""
    if file:
        known = row is not None and not (isinstance(row, float) and math.isnan(row))
        return f"{file}{f' [{sheet}]' if sheet else ''} row {int(row)}" if known else file  # type: ignore[arg-type]
    if not seed:
        return ""
    label = seed if str(seed).startswith("seed") else f"seed{seed}"
    parts = [label, table or "", f"l.{lines}" if lines else ""]
    return " ".join(p for p in parts if p)


def _empty_is_none(value: object) -> object:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) or value == "" else value


class Store:
    """Territories, indicators and observations with provenance, in SQLite or PostgreSQL.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; default ``$AIMAQ_DATABASE_URL``, else SQLite at ``$AIMAQ_HOME/aimaq.sqlite``
        (``AIMAQ_HOME`` defaults to ``./var``).
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = db.resolve_url(url)
        self.engine = db.make_engine(self.url)
        self._gazetteer: Gazetteer | None = None

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    # ------------------------------------------------------------------ life cycle
    def init(
        self, load_bundled: bool = True, *, reset: bool = False, bundled: Path | None = None
    ) -> LoadReport | None:
        """Create or upgrade the schema to the newest migration, then load (sync) the bundled data.

        Parameters
        ----------
        load_bundled : bool, default=True
            Load ``store/bundled`` (idempotent: re-running changes nothing).
        reset : bool, default=False
            Drop every aimaq table first (all imported data is lost).
        bundled : Path, optional
            Another bundled folder (tests use small fixtures).
        """
        if reset:
            self.reset()
        db.upgrade(self.engine)
        self._gazetteer = None
        if not load_bundled:
            return None
        return _load_bundled(self.engine, bundled or BUNDLED)

    def reset(self) -> None:
        """Drop every aimaq table: each migration's ``downgrade`` in turn (so tables and triggers that other
        parts of aimaq added through migrations go too), then anything left from a store made without them."""
        if inspect(self.engine).has_table("alembic_version") and db.current_revision(self.engine):
            db.downgrade(self.engine, "base")

        def run(session: Session) -> None:
            conn = session.connection()
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))

        db.write(self.engine, run)
        self._gazetteer = None

    @property
    def initialised(self) -> bool:
        """True when the schema exists."""
        return inspect(self.engine).has_table("observation")

    def dispose(self) -> None:
        """Close the connection pool (tests, and before deleting a SQLite file)."""
        self.engine.dispose()

    # ------------------------------------------------------------------ reading helpers
    def _frame(self, statement: Any, index: str | None = None) -> pd.DataFrame:
        with db.read(self.engine) as session:
            result = session.execute(statement)
            frame = pd.DataFrame(result.mappings().all(), columns=list(result.keys()))
        return frame.set_index(index) if index else frame

    # ------------------------------------------------------------------ territories
    def territories(
        self, level: str | None = None, at: dt.date | str | int | None = None, parent: str | None = None
    ) -> pd.DataFrame:
        """Territories, indexed by code.

        Parameters
        ----------
        level : str, optional
            ``country``, ``region``, ``city_rs``, ``district``, ``city`` or ``monotown``.
        at : date, ISO date string or year, optional
            Only territories that existed then (a year means 31 December of that year): ``at=2021`` lists
            East Kazakhstan before the 2022 split, ``at=2023`` lists it and Abai region.
        parent : str, optional
            Only the children of this territory code.
        """
        t = Territory
        stmt = select(t.code, *[getattr(t, f) for f in TERRITORY_FIELDS], t.version).order_by(t.level, t.code)
        if level is not None:
            stmt = stmt.where(t.level == level)
        if parent is not None:
            stmt = stmt.where(t.parent == parent)
        day = _at(at)
        if day is not None:
            stmt = stmt.where((t.valid_from.is_(None)) | (t.valid_from <= day))
            stmt = stmt.where((t.valid_to.is_(None)) | (t.valid_to >= day))
        return self._frame(stmt, "code")

    def aliases(self) -> pd.DataFrame:
        """Known spellings and abbreviations: ``code, alias, lang``."""
        a = TerritoryAlias
        return self._frame(select(a.code, a.alias, a.lang).order_by(a.code, a.alias))

    def gazetteer(self) -> Gazetteer:
        """A :class:`~aimaq.store.gazetteer.Gazetteer` over the stored territories and aliases (cached)."""
        if self._gazetteer is None:
            self._gazetteer = Gazetteer(self.territories(), self.aliases())
        return self._gazetteer

    def territory(self, code_or_name: str, at: dt.date | str | int | None = None) -> dict[str, Any]:
        """One territory by code, name (kk/ru/en) or alias, with its aliases.

        Raises
        ------
        UnknownTerritory
            Naming the closest known name, or the candidates when the name is ambiguous.
        """
        g = self.gazetteer()
        day = _at(at)
        match = g.match(code_or_name, day.year, day.year) if day else g.match(code_or_name)
        if not match.ok:
            raise UnknownTerritory(
                f'"{code_or_name}": {REASONS[str(match.reason)]}'
                + (f"; {match.expected}" if match.expected else "")
                + f" [{match.reason}]"
            )
        code = str(match.code)
        row = g.territories.loc[code]
        record: dict[str, Any] = {"code": code, **{f: _empty_is_none(row[f]) for f in TERRITORY_FIELDS}}
        aliases = self.aliases()
        record["aliases"] = aliases.loc[aliases["code"] == code, "alias"].tolist()
        return record

    # ------------------------------------------------------------------ indicators, sources
    def indicators(self, seed: str | None = None) -> pd.DataFrame:
        """Indicators indexed by code; ``seed`` keeps those defined by one source document."""
        i = Indicator
        stmt = select(i.code, *[getattr(i, f) for f in INDICATOR_FIELDS], i.version).order_by(i.code)
        if seed is not None:
            stmt = stmt.where(i.seed == seed)
        return self._frame(stmt, "code")

    def sources(self) -> pd.DataFrame:
        """The source documents (the five seeds), indexed by ``seed``."""
        s = Source
        return self._frame(
            select(s.seed, s.file, s.title_kk, s.title_ru, s.title_en, s.authors, s.year, s.kind).order_by(
                s.seed
            ),
            "seed",
        )

    def batches(self) -> pd.DataFrame:
        """Import batches: what each bundled load or import wrote."""
        b = ImportBatch
        return self._frame(
            select(
                b.id,
                b.kind,
                b.file,
                b.sheet,
                b.sha256,
                b.created_at,
                b.rows_new,
                b.rows_changed,
                b.rows_unchanged,
            ).order_by(b.id)
        )

    # ------------------------------------------------------------------ observations and notes
    def observations(
        self,
        territories: Iterable[str] | None = None,
        indicators: Iterable[str] | None = None,
        periods: Iterable[str | int] | None = None,
        *,
        seed: str | None = None,
        with_notes: bool = True,
    ) -> pd.DataFrame:
        """Observations with their provenance and the notes that apply to them.

        Returns
        -------
        DataFrame
            ``territory, indicator, period, year_from, year_to, value, value_text, status, source, seed,
            table, lines, file, sheet, row, comment, batch_id, version`` plus ``territory_name``,
            ``indicator_name``, ``unit`` and ``notes`` (the ids of the notes that apply, ``;``-separated).
        """
        o = Observation
        stmt = (
            select(
                o.territory,
                o.indicator,
                o.period,
                o.year_from,
                o.year_to,
                o.value,
                o.value_text,
                o.status,
                o.seed,
                o.table,
                o.lines,
                o.file,
                o.sheet,
                o.row,
                o.comment,
                o.batch_id,
                o.version,
                Territory.name_en.label("territory_name"),
                Indicator.name_en.label("indicator_name"),
                Indicator.unit,
            )
            .join(Territory, Territory.code == o.territory)
            .join(Indicator, Indicator.code == o.indicator)
        )
        if territories is not None:
            stmt = stmt.where(o.territory.in_(list(territories)))
        if indicators is not None:
            stmt = stmt.where(o.indicator.in_(list(indicators)))
        if periods is not None:
            stmt = stmt.where(o.period.in_([period_label(*parse_period(p)) for p in periods]))
        if seed is not None:
            stmt = stmt.where(o.seed == seed)
        frame = self._frame(stmt.order_by(o.indicator, o.territory, o.year_from, o.year_to))
        frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
        frame["source"] = [
            _source(*r)
            for r in zip(
                frame["seed"],
                frame["table"],
                frame["lines"],
                frame["file"],
                frame["sheet"],
                frame["row"],
                strict=True,
            )
        ]
        if with_notes:
            frame["notes"] = self._note_ids(frame)
        return frame

    def _note_ids(self, frame: pd.DataFrame) -> list[str]:
        """For each observation, the ids of the notes that apply (``;``-separated, in id order).

        A note's key has up to three parts, each possibly empty (= any), so a cell is covered by the notes
        filed under one of the eight keys made of its own parts and wildcards: a dict lookup per key.
        """
        notes = self.notes()
        by_key: dict[tuple[str | None, str | None, str | None], list[str]] = {}
        for nid, *key in zip(
            notes["id"], notes["territory"], notes["indicator"], notes["period"], strict=True
        ):
            parts = tuple(k if isinstance(k, str) and k else None for k in key)
            by_key.setdefault(parts, []).append(str(nid))  # type: ignore[arg-type]
        out: list[str] = []
        for t, i, p in zip(frame["territory"], frame["indicator"], frame["period"], strict=True):
            found = [
                nid
                for kt in (t, None)
                for ki in (i, None)
                for kp in (p, None)
                for nid in by_key.get((kt, ki, kp), ())
            ]
            out.append(";".join(sorted(found)))
        return out

    def notes(
        self, territory: str | None = None, indicator: str | None = None, period: str | int | None = None
    ) -> pd.DataFrame:
        """Data-quality notes; with arguments, those that apply to that cell (an empty key part matches all).

        Returns ``id, territory, indicator, period, kind, seed, table, lines, text_en, text_ru, text_kk,
        alt_value, alt_text``: the corrected or conflicting value a note proposes for its cell (float, NaN
        when none) and, for a categorical indicator, the class label it proposes.
        """
        n = Note
        stmt = select(
            n.id,
            n.territory,
            n.indicator,
            n.period,
            n.kind,
            n.seed,
            n.table,
            n.lines,
            n.text_en,
            n.text_ru,
            n.text_kk,
            n.alt_value,
            n.alt_text,
        ).order_by(n.id)
        label = period_label(*parse_period(period)) if period is not None else None
        for col, value in ((n.territory, territory), (n.indicator, indicator), (n.period, label)):
            if value is not None:
                stmt = stmt.where(col.is_(None) | (col == value))
        frame = self._frame(stmt)
        frame["alt_value"] = pd.to_numeric(frame["alt_value"], errors="coerce").astype(float)
        return frame

    def dataset(
        self,
        territories: Iterable[str] | None = None,
        indicators: Iterable[str] | None = None,
        periods: Iterable[str | int] | None = None,
    ) -> Dataset:
        """Observations as a :class:`~aimaq.dataset.Dataset`, with territory, indicator, note and reference
        tables (``Dataset.tables``: every reference table by name, as :meth:`reference` returns it)."""
        obs = self.observations(territories, indicators, periods, with_notes=False)
        terr = self.territories()
        terr = terr.loc[terr.index.isin(obs["territory"].unique())] if territories is not None else terr
        inds = self.indicators()
        inds = inds.loc[inds.index.isin(obs["indicator"].unique())] if indicators is not None else inds
        notes = self.notes()
        notes = notes.assign(
            text=notes["text_en"],
            source=[
                _source(s, t, ln, None, None, None)
                for s, t, ln in zip(notes["seed"], notes["table"], notes["lines"], strict=True)
            ],
        )
        columns = ["territory", "indicator", "period", "value", "value_text", "status", "source"]
        extra = ["seed", "table", "lines", "file", "sheet", "row"]
        return Dataset.from_long(
            obs[columns + extra],
            terr.drop(columns=["version"]),
            inds.drop(columns=["version"]),
            notes,
            tables=self._reference_tables(),
        )

    # ------------------------------------------------------------------ seed texts
    def seed_lines(self, seed: str, lines: str) -> list[tuple[int, str]]:
        """The cited lines of a seed document, as ``(line number, text)``, from ``bundled/seeds/``.

        Parameters
        ----------
        seed : str
            A source code (``"seed004"``).
        lines : str
            As cited in provenance: ``"742"``, ``"722-727"`` or ``"159, 160"``.

        Raises
        ------
        KeyError
            For an unknown seed; ValueError for a citation that is not line numbers.
        """
        sources = self.sources()
        if seed not in sources.index:
            raise KeyError(f"no source {seed!r}; known: {', '.join(sources.index)}")
        text = (BUNDLED / "seeds" / str(sources.loc[seed, "file"])).read_text(encoding="utf-8").splitlines()
        wanted: list[int] = []
        for part in str(lines).replace(";", ",").split(","):
            bounds = [p.strip() for p in part.replace("–", "-").split("-") if p.strip()]
            if not bounds or not all(b.isdigit() for b in bounds) or len(bounds) > 2:
                raise ValueError(
                    f"lines {lines!r}: write a line (742), a range (722-727) or a list (159, 160)"
                )
            first, last = int(bounds[0]), int(bounds[-1])
            wanted.extend(range(first, last + 1))
        return [(n, text[n - 1]) for n in wanted if 1 <= n <= len(text)]

    # ------------------------------------------------------------------ reference tables
    def references(self) -> list[str]:
        """Names of the reference tables (``seed004_table1_score_bands``, ...)."""
        with db.read(self.engine) as session:
            return list(session.scalars(select(ReferenceTable.name).order_by(ReferenceTable.name)))

    def reference(self, name: str) -> pd.DataFrame:
        """A reference table (band table, criteria, measures) as pandas reads its CSV file.

        The provenance note (the ``.md`` sidecar) is in ``frame.attrs["provenance"]``.

        Raises
        ------
        KeyError
            Naming the known tables.
        """
        tables = self._reference_tables([name])
        if name not in tables:
            known = ", ".join(self.references()) or "none loaded"
            raise KeyError(f"no reference table {name!r}; known: {known}")
        return tables[name]

    def _reference_tables(self, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
        """Reference tables by name (all when ``names`` is None), read in two queries."""
        t, r = ReferenceTable, ReferenceRow
        head = select(t.name, t.columns, t.provenance).order_by(t.name)
        body = select(r.table_name, r.cells).order_by(r.table_name, r.position)
        if names is not None:
            wanted = list(names)
            head, body = head.where(t.name.in_(wanted)), body.where(r.table_name.in_(wanted))
        with db.read(self.engine) as session:
            meta = {name: (list(columns), provenance) for name, columns, provenance in session.execute(head)}
            rows: dict[str, list[list[str]]] = {name: [] for name in meta}
            for name, cells in session.execute(body):
                rows[name].append(["" if c is None else c for c in cells])
        out: dict[str, pd.DataFrame] = {}
        for name, (columns, provenance) in meta.items():
            buffer = io.StringIO()
            pd.DataFrame(rows[name], columns=columns).to_csv(buffer, index=False)
            buffer.seek(0)
            # Read back through read_csv so the dtypes are those of the bundled file read directly.
            frame = pd.read_csv(buffer)
            frame.attrs["provenance"] = provenance
            frame.attrs["name"] = name
            out[name] = frame
        return out

    # ------------------------------------------------------------------ imports and exports
    def catalog(self, strict: bool = True) -> Catalog:
        """What imported cells are checked against: the gazetteer, the indicators and the notes.

        A value on borders that did not exist in its period is accepted only for a cell the store already
        holds and a stored note covers (a seed's value recalculated to new borders, re-imported from an
        export); anything else on such borders is refused.
        """
        notes = self.notes()
        keys = [
            tuple(_empty_is_none(x) for x in key)
            for key in zip(notes["territory"], notes["indicator"], notes["period"], strict=True)
        ]

        def explained(territory: str, indicator: str, period: str) -> bool:
            # Only a cell the store already holds (a seed's value recalculated to new borders) may be
            # re-imported; new data on borders that did not exist is always refused.
            if not any(t == territory and i in (None, indicator) and p in (None, period) for t, i, p in keys):
                return False
            o = Observation
            with db.read(self.engine) as session:
                found = session.scalar(
                    select(o.id).where(o.territory == territory, o.indicator == indicator, o.period == period)
                )
            return found is not None

        return Catalog(self.gazetteer(), self.indicators(), strict=strict, explained=explained)

    def import_file(
        self,
        path: str | Path,
        *,
        sheet: str | None = None,
        indicator: str | None = None,
        year: str | int | None = None,
        encoding: str | None = None,
        dry_run: bool = False,
        on_progress: Callable[[str, int, int], None] | None = None,
    ) -> ImportReport:
        """Check a long or wide CSV/XLSX file, then write its cells in one transaction (all or nothing).

        Parameters
        ----------
        path : str or Path
        sheet : str, optional
            XLSX sheet, default the first.
        indicator : str, optional
            The indicator of a wide table with years as columns (else read from a title row).
        year : str or int, optional
            The period of a wide table with indicators as columns (else the sheet name or a title row).
        encoding : str, optional
            Force a CSV encoding (default: UTF-8, else cp1251).
        dry_run : bool, default=False
            Report new, changed and unchanged cells without writing.
        on_progress : callable, optional
            ``on_progress(stage, done, total)`` with stage ``"check"`` then ``"write"``.

        Raises
        ------
        ValidationErrors
            Every problem, one row each (file, sheet, row, column, reason, value, expected); nothing is
            written.
        """
        path = Path(path)
        check = (lambda d, t: on_progress("check", d, t)) if on_progress else None
        parsed = parse_file(
            path,
            self.catalog(),
            sheet=sheet,
            indicator=indicator,
            year=year,
            encoding=encoding,
            name=path.name,
            on_progress=check,
        )
        report = ImportReport(path.name, parsed.sheet, parsed.shape, dry_run)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()

        def run(session: Session) -> ImportReport:
            o = Observation.__table__
            codes = sorted({r["indicator"] for r in parsed.records})
            stored = {
                (r.territory, r.indicator, r.period): r
                for r in session.execute(
                    select(
                        o.c.id,
                        o.c.territory,
                        o.c.indicator,
                        o.c.period,
                        o.c.value,
                        o.c.value_text,
                        o.c.status,
                    ).where(o.c.indicator.in_(codes))
                )
            }
            inserts: list[dict[str, Any]] = []
            updates: list[tuple[int, dict[str, Any]]] = []
            for rec in parsed.records:
                old = stored.get((rec["territory"], rec["indicator"], rec["period"]))
                new_value = rec["value"] if rec["value_text"] is None else rec["value_text"]
                change = {
                    "territory": rec["territory"],
                    "indicator": rec["indicator"],
                    "period": rec["period"],
                    "new": new_value,
                    "row": rec["row"],
                    "old": None,
                }
                if old is None:
                    change["action"] = "new"
                    inserts.append(rec)
                else:
                    change["old"] = old.value if old.value_text is None else old.value_text
                    same = (
                        (old.value == rec["value"] or (old.value is None and rec["value"] is None))
                        and (old.value_text == rec["value_text"])
                        and old.status == rec["status"]
                    )
                    change["action"] = "unchanged" if same else "changed"
                    if not same:
                        updates.append((old.id, rec))
                report.changes.append(change)
            if dry_run or not (inserts or updates):
                return report
            batch = ImportBatch(
                kind="import",
                file=path.name,
                sheet=parsed.sheet,
                sha256=digest,
                created_at=dt.datetime.now(dt.UTC),
                rows_new=len(inserts),
                rows_changed=len(updates),
                rows_unchanged=report.unchanged,
            )
            session.add(batch)
            session.flush()
            report.batch_id = batch.id
            total, done = len(inserts) + len(updates), 0
            blank = {"seed": None, "table": None, "lines": None, "batch_id": batch.id}
            for start in range(0, len(inserts), 1000):
                chunk = [{**r, **blank} for r in inserts[start : start + 1000]]
                session.execute(o.insert(), chunk)
                done += len(chunk)
                if on_progress:
                    on_progress("write", done, total)
            for obs_id, rec in updates:
                session.execute(
                    update(o).where(o.c.id == obs_id).values(**rec, **blank, version=o.c.version + 1)
                )
                done += 1
                if on_progress and (done % 500 == 0 or done == total):
                    on_progress("write", done, total)
            return report

        return db.write(self.engine, run)

    def export(
        self,
        path: str | Path,
        *,
        shape: str = "long",
        territories: Iterable[str] | None = None,
        indicators: Iterable[str] | None = None,
        periods: Iterable[str | int] | None = None,
        seed: str | None = None,
    ) -> Path:
        """Write observations with their provenance to ``.csv`` or ``.xlsx`` (``shape`` long or wide).

        A long export imports back unchanged (``aimaq import`` reports every cell unchanged).
        """
        obs = self.observations(territories, indicators, periods, seed=seed)
        return export_observations(obs, path, shape=shape)
