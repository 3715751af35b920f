"""The store's tables as SQLAlchemy 2 typed models.

Design (see ``docs/store.md``):

- Codes are the keys. Territories, indicators and sources are keyed by their stable ASCII codes, so a dump
  of ``observation`` reads like the bundled CSV files and a code never changes meaning; borders that change
  get a new code with validity dates (``east_kazakhstan`` before and after 2022 are two rows).
- One observation per territory × indicator × period (``"2020"`` or ``"2008-2021"``), with its provenance:
  seed, table and lines for bundled data; file, sheet and row for imports; and the import batch that wrote it.
- Notes attach by key; a key part left NULL applies to every matching cell (a note on a territory and an
  indicator covers all its periods).
- Reference tables (band tables, criteria, measures: ``reference/<seed>_<name>.csv``) are stored generically:
  one :class:`ReferenceTable` row (name, columns, provenance note) and one :class:`ReferenceRow` per data row
  holding the row's cells as a JSON list of the CSV strings. :meth:`aimaq.store.repository.Store.reference`
  rebuilds the DataFrame as pandas would read the CSV, so the engine gets the same types either way.
- Editable rows carry a ``version`` column used by SQLAlchemy's optimistic locking (``version_id_col``):
  an ORM update of a row someone else changed meanwhile fails instead of overwriting it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: Territory levels (docs/architecture.md, "Bundled data"): ``city_rs`` is a city of republican significance,
#: ``city`` a town of regional significance.
LEVELS: tuple[str, ...] = ("country", "region", "city_rs", "district", "city", "monotown")
STATUSES: tuple[str, ...] = ("published", "derived", "estimated", "missing")
KINDS: tuple[str, ...] = ("numeric", "categorical")

# Named constraints keep Alembic's batch mode on SQLite and the autogenerate comparison deterministic.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    """Declarative base with the project's constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class Versioned:
    """Mixin: an integer ``version`` bumped on every ORM update (optimistic locking)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")


class Source(Versioned, Base):
    """A source document: one of the five seeds (or a user's file registered as a source)."""

    __tablename__ = "source"
    seed: Mapped[str] = mapped_column(String(32), primary_key=True)
    file: Mapped[str] = mapped_column(String(255))
    title_kk: Mapped[str | None] = mapped_column(Text)
    title_ru: Mapped[str | None] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str | None] = mapped_column(String(64))
    __mapper_args__: dict[str, Any] = {"version_id_col": Versioned.version}  # noqa: RUF012


class Territory(Versioned, Base):
    """A territory with fixed borders: when borders change, a new code with its own validity dates."""

    __tablename__ = "territory"
    __table_args__ = (CheckConstraint(_in("level", LEVELS), name="level"),)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    parent: Mapped[str | None] = mapped_column(ForeignKey("territory.code"), index=True)
    name_kk: Mapped[str] = mapped_column(String(255))
    name_ru: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))
    iso: Mapped[str | None] = mapped_column(String(16))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    #: Code(s) of the territory(ies) that replaced this one, ``;``-separated (a region split in two).
    successor: Mapped[str | None] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)
    __mapper_args__: dict[str, Any] = {"version_id_col": Versioned.version}  # noqa: RUF012


class TerritoryAlias(Base):
    """A spelling or abbreviation of a name (``ВКО``, ``East Kazakhstan``), used to match imported names."""

    __tablename__ = "territory_alias"
    __table_args__ = (UniqueConstraint("code", "alias"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(ForeignKey("territory.code", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(255))
    lang: Mapped[str | None] = mapped_column(String(8))


class Indicator(Versioned, Base):
    """An indicator: code, names, unit, direction (+1 higher is better, -1 lower is better, 0 neutral)."""

    __tablename__ = "indicator"
    __table_args__ = (
        CheckConstraint("direction IN (-1, 0, 1)", name="direction"),
        CheckConstraint(_in("kind", KINDS), name="kind"),
    )
    code: Mapped[str] = mapped_column(String(128), primary_key=True)
    name_kk: Mapped[str | None] = mapped_column(Text)
    name_ru: Mapped[str | None] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(64))
    direction: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(16), default="numeric")
    definition_en: Mapped[str | None] = mapped_column(Text)
    seed: Mapped[str | None] = mapped_column(ForeignKey("source.seed"), index=True)
    table: Mapped[str | None] = mapped_column(String(64))
    lines: Mapped[str | None] = mapped_column(String(64))
    #: The bundled file that defined the indicator (``indicators/seed004.csv``), for error messages.
    origin: Mapped[str | None] = mapped_column(String(255))
    __mapper_args__: dict[str, Any] = {"version_id_col": Versioned.version}  # noqa: RUF012


class ImportBatch(Base):
    """One load of the bundled data or one ``aimaq import``: what was read and what it changed."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # "bundled" or "import"
    file: Mapped[str] = mapped_column(String(1024))
    sheet: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    rows_new: Mapped[int] = mapped_column(Integer, default=0)
    rows_changed: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)


class Observation(Versioned, Base):
    """One value of one indicator for one territory and one period, with where it came from."""

    __tablename__ = "observation"
    __table_args__ = (
        UniqueConstraint("territory", "indicator", "period"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint("year_from <= year_to", name="period_order"),
        Index("ix_observation_indicator_period", "indicator", "period"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    territory: Mapped[str] = mapped_column(ForeignKey("territory.code"))
    indicator: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    period: Mapped[str] = mapped_column(String(16))
    year_from: Mapped[int] = mapped_column(Integer)
    year_to: Mapped[int] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="published")
    # provenance of bundled data: seed file, table and line(s) of the seed text
    seed: Mapped[str | None] = mapped_column(ForeignKey("source.seed"))
    table: Mapped[str | None] = mapped_column(String(64))
    lines: Mapped[str | None] = mapped_column(String(64))
    # provenance of imported data: the file, its sheet and the 1-based row as a spreadsheet shows it
    file: Mapped[str | None] = mapped_column(String(1024))
    sheet: Mapped[str | None] = mapped_column(String(255))
    row: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    __mapper_args__: dict[str, Any] = {"version_id_col": Versioned.version}  # noqa: RUF012


class Note(Versioned, Base):
    """A data-quality note (a contradiction, an extraction defect) attached to every cell its key matches."""

    __tablename__ = "note"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    territory: Mapped[str | None] = mapped_column(ForeignKey("territory.code"), index=True)
    indicator: Mapped[str | None] = mapped_column(ForeignKey("indicator.code"), index=True)
    period: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str | None] = mapped_column(String(64))
    seed: Mapped[str | None] = mapped_column(ForeignKey("source.seed"))
    table: Mapped[str | None] = mapped_column(String(64))
    lines: Mapped[str | None] = mapped_column(String(64))
    text_en: Mapped[str | None] = mapped_column(Text)
    text_ru: Mapped[str | None] = mapped_column(Text)
    text_kk: Mapped[str | None] = mapped_column(Text)
    #: The corrected or conflicting value the note proposes for its cell (seed 003 n085: Zaisan's 200.0 ->
    #: 100.0); the stored value stays as printed. Read by spec ``corrections`` and uncertainty factors.
    alt_value: Mapped[float | None] = mapped_column(Float)
    #: The same for a categorical indicator: the class label the note proposes (seed 003 n093: ``lowest``).
    alt_text: Mapped[str | None] = mapped_column(String(128))
    __mapper_args__: dict[str, Any] = {"version_id_col": Versioned.version}  # noqa: RUF012


class ReferenceTable(Base):
    """A reference table (band table, criteria, measures): its name, column names and provenance note."""

    __tablename__ = "reference_table"
    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    seed: Mapped[str | None] = mapped_column(String(32))
    columns: Mapped[list[str]] = mapped_column(JSON)
    provenance: Mapped[str | None] = mapped_column(Text)


class ReferenceRow(Base):
    """One data row of a reference table; ``cells`` holds the CSV strings in the table's column order."""

    __tablename__ = "reference_row"
    __table_args__ = (UniqueConstraint("table_name", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(ForeignKey("reference_table.name", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    cells: Mapped[list[str | None]] = mapped_column(JSON)


#: Tables in an order that respects foreign keys (for loads, dumps and resets).
TABLES_IN_ORDER: tuple[type[Base], ...] = (
    Source,
    Territory,
    TerritoryAlias,
    Indicator,
    ImportBatch,
    Observation,
    Note,
    ReferenceTable,
    ReferenceRow,
)
