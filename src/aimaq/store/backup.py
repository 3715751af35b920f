"""Backups of the whole store as one portable archive, restorable on SQLite and PostgreSQL alike.

``aimaq backup FILE`` / :func:`backup` writes a zip archive::

    manifest.json            format, format version, schema revision, aimaq version, when, source backend,
                             and per table: column names with portable types, row count, SHA-256 of its file
    tables/<table>.jsonl     one JSON array per row, in primary-key order, values in a backend-neutral form

``aimaq restore FILE`` / :func:`restore` replaces the store's contents with the archive's, in **one
transaction**: every migration's downgrade, the upgrade to the archive's revision, the rows (parents before
children), the upgrade to the newest revision (so an old archive is migrated like an old database), and an
audit entry. A failure anywhere leaves the store as it was. An archive made at a schema revision this aimaq
does not know (a newer aimaq) is refused before anything is touched, as is a damaged archive (checksums,
every row and cell checked first; all problems listed at once).

Values are written so that the same data gives the same bytes on either backend: datetimes in UTC ISO 8601
(SQLite hands back naive values for ``DateTime(timezone=True)``; aimaq writes UTC, so they are read as UTC),
dates ISO, booleans ``true``/``false`` (SQLite stores 0/1), floats as Python's shortest round-trip repr,
JSON cells with sorted keys, rows sorted by primary key in Python (the backends collate text differently).
A backup reads in one transaction (``REPEATABLE READ`` on PostgreSQL, a WAL snapshot on SQLite), so it is
consistent while the app keeps writing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine, MetaData, Table, select, text

from aimaq.store import db

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "BackupError",
    "BackupReport",
    "backup",
    "dump_bytes",
    "read_manifest",
    "restore",
]

FORMAT = "aimaq-backup"
FORMAT_VERSION = 1
#: Members larger than this are refused (a corrupt or hostile archive must not exhaust memory).
MAX_MEMBER_BYTES = 2 * 1024**3
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # member timestamps fixed, so equal data gives equal archive bytes
_SKIP = {"alembic_version"}


class BackupError(ValueError):
    """A refused backup or restore: every problem, one per line, naming archive, member, line and column."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(
            "\n".join([*self.problems, f"{n} problem{'s' if n != 1 else ''}; nothing was written."])
        )


@dataclass
class BackupReport:
    """What :func:`backup` wrote or :func:`restore` read: the archive, its revision and rows per table."""

    path: Path
    revision: str
    tables: dict[str, int] = field(default_factory=dict)
    #: For a restore: the revision the store is at afterwards (the newest).
    revision_now: str | None = None

    def summary(self) -> str:
        """``backup.zip: 9 tables, 1234 rows at schema revision 0300.``"""
        rows = sum(self.tables.values())
        tail = (
            f", migrated to {self.revision_now}"
            if self.revision_now and self.revision_now != self.revision
            else ""
        )
        head = f"{self.path.name}: {len(self.tables)} tables, {rows} rows"
        return f"{head} at schema revision {self.revision}{tail}."


# ---------------------------------------------------------------------------------------------- encoding
def _kind(column_type: sa.types.TypeEngine[Any]) -> str:
    """The portable type of a column: json, datetime, date, bool, int, float or text."""
    checks = (
        (sa.JSON, "json"),
        (sa.DateTime, "datetime"),
        (sa.Date, "date"),
        (sa.Boolean, "bool"),
        (sa.Integer, "int"),
        (sa.Float, "float"),
        (sa.Numeric, "float"),
    )
    for cls, kind in checks:
        if isinstance(column_type, cls):
            return kind
    return "text"


def _encode(value: Any, kind: str) -> Any:
    """A cell as a JSON value, identical for the same data on SQLite and PostgreSQL.

    Examples
    --------
    >>> _encode(dt.datetime(2026, 11, 23, 12, 0), "datetime")
    '2026-11-23T12:00:00+00:00'
    >>> _encode(1, "bool"), _encode(dt.date(2022, 6, 8), "date"), _encode(2, "float")
    (True, '2022-06-08', 2.0)
    """
    if value is None:
        return None
    if kind == "datetime":
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if kind == "bool":
        return bool(value)
    if kind == "float":
        return float(value)
    if kind == "int":
        return int(value)
    if kind == "json":
        return value
    return str(value)


def _decode(value: Any, kind: str) -> Any:
    """A JSON value back to the Python value the column takes; raises ValueError or TypeError if it cannot."""
    if value is None:
        return None
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise TypeError(f"{value!r} is not true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{value!r} is not an integer")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{value!r} is not a number")
        return float(value)
    if kind == "text" and not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def _dumps(row: list[Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=True)


def _sort_key(row: list[Any], positions: list[int]) -> tuple[Any, ...]:
    # None sorts first; NaN cannot appear in a key column.
    return tuple((row[i] is not None, row[i]) for i in positions)


def _reflect(conn: sa.Connection) -> MetaData:
    meta = MetaData()
    names = [n for n in sa.inspect(conn).get_table_names() if n not in _SKIP]
    meta.reflect(conn, only=names)
    return meta


def _revision(conn: sa.Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


# ---------------------------------------------------------------------------------------------- backup
def backup(store: Any, path: str | Path) -> BackupReport:
    """Write every table of the store to a zip archive at ``path`` (replaced atomically when it exists).

    Parameters
    ----------
    store : Store or Engine
    path : str or Path
        The archive to write (``.zip`` is conventional).

    Raises
    ------
    BackupError
        When the store has no schema.
    """
    engine: Engine = getattr(store, "engine", store)
    path = Path(path)
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    members: dict[str, bytes] = {}
    report: BackupReport
    with engine.connect().execution_options(**options) as conn, conn.begin():
        revision = _revision(conn)
        if revision is None:
            raise BackupError(
                [
                    f"{engine.url.render_as_string(hide_password=True)}: the store has no schema; "
                    "run aimaq init"
                ]
            )
        report = BackupReport(path, revision)
        tables = []
        for table in sorted(_reflect(conn).sorted_tables, key=lambda t: t.name):
            columns = [(c.name, _kind(c.type)) for c in table.columns]
            pk = [i for i, c in enumerate(table.columns) if c.primary_key] or list(range(len(columns)))
            rows = [
                [_encode(v, kind) for v, (_name, kind) in zip(r, columns, strict=True)]
                for r in conn.execute(select(table))
            ]
            rows.sort(key=lambda r, pk=pk: _sort_key(r, pk))
            body = "".join(_dumps(r) + "\n" for r in rows).encode("utf-8")
            members[f"tables/{table.name}.jsonl"] = body
            report.tables[table.name] = len(rows)
            tables.append(
                {
                    "name": table.name,
                    "columns": [list(c) for c in columns],
                    "rows": len(rows),
                    "sha256": hashlib.sha256(body).hexdigest(),
                }
            )
    from aimaq import __version__

    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "revision": revision,
        "aimaq_version": __version__,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "source_backend": engine.dialect.name,
        "tables": tables,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write next to the target, then rename: a crash never leaves half an archive under the final name.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in [("manifest.json", json.dumps(manifest, indent=1).encode()), *members.items()]:
                info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return report


# ---------------------------------------------------------------------------------------------- reading
def read_manifest(path: str | Path) -> dict[str, Any]:
    """The archive's manifest, checked for format and version.

    Raises
    ------
    BackupError
        Not a zip, no manifest, another format, or a newer format version.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            raw = archive.read("manifest.json")
    except FileNotFoundError as exc:
        raise BackupError([f"{path}: no such file"]) from exc
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise BackupError(
            [f"{path.name}: not an aimaq backup (not a zip archive with manifest.json): {exc}"]
        ) from exc
    try:
        manifest = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError([f"{path.name}, manifest.json: not JSON ({exc})"]) from exc
    problems = []
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        problems.append(f'{path.name}, manifest.json, key "format": expected "{FORMAT}"')
    elif not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        problems.append(
            f'{path.name}, manifest.json, key "format_version": {manifest.get("format_version")!r}; '
            f"this aimaq reads version {FORMAT_VERSION} or older: upgrade aimaq"
        )
    elif not isinstance(manifest.get("revision"), str) or not isinstance(manifest.get("tables"), list):
        problems.append(
            f'{path.name}, manifest.json: keys "revision" (text) and "tables" (a list) are required'
        )
    if problems:
        raise BackupError(problems)
    return manifest


def _known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    config = db.alembic_config(db.make_engine("sqlite://"))
    return [s.revision for s in ScriptDirectory.from_config(config).walk_revisions()]


def _load_rows(
    path: Path, manifest: dict[str, Any]
) -> dict[str, tuple[list[tuple[str, str]], list[list[Any]]]]:
    """Every table's columns and decoded rows, after checking checksums, shapes and cells (all problems)."""
    problems: list[str] = []
    out: dict[str, tuple[list[tuple[str, str]], list[list[Any]]]] = {}
    kinds = {"json", "datetime", "date", "bool", "int", "float", "text"}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for number, entry in enumerate(manifest["tables"], start=1):
            try:
                name = str(entry["name"])
                columns = [(str(c), str(k)) for c, k in entry["columns"]]
                count, digest = int(entry["rows"]), str(entry["sha256"])
            except (KeyError, TypeError, ValueError):
                problems.append(
                    f"{path.name}, manifest.json, tables[{number}]: needs name, columns, rows, sha256"
                )
                continue
            bad_kinds = sorted({k for _c, k in columns} - kinds)
            if bad_kinds:
                problems.append(f"{path.name}, manifest.json, table {name}: unknown column types {bad_kinds}")
                continue
            member = f"tables/{name}.jsonl"
            if member not in names:
                problems.append(f"{path.name}: {member} is missing")
                continue
            if archive.getinfo(member).file_size > MAX_MEMBER_BYTES:
                problems.append(f"{path.name}, {member}: larger than {MAX_MEMBER_BYTES} bytes")
                continue
            body = archive.read(member)
            if hashlib.sha256(body).hexdigest() != digest:
                problems.append(
                    f"{path.name}, {member}: checksum differs from the manifest (the archive is damaged)"
                )
                continue
            rows: list[list[Any]] = []
            lines = body.decode("utf-8", errors="replace").splitlines()
            for line_no, line in enumerate(lines, start=1):
                try:
                    raw = json.loads(line)
                except ValueError as exc:
                    problems.append(f"{path.name}, {member}, line {line_no}: not JSON ({exc})")
                    continue
                if not isinstance(raw, list) or len(raw) != len(columns):
                    problems.append(f"{path.name}, {member}, line {line_no}: expected {len(columns)} values")
                    continue
                row = []
                for value, (column, kind) in zip(raw, columns, strict=True):
                    try:
                        row.append(_decode(value, kind))
                    except (TypeError, ValueError) as exc:
                        problems.append(
                            f'{path.name}, {member}, line {line_no}, column "{column}": {exc} ({kind})'
                        )
                        row.append(None)
                rows.append(row)
            if len(lines) != count:
                problems.append(f"{path.name}, {member}: {len(lines)} rows, the manifest says {count}")
            out[name] = (columns, rows)
    if problems:
        raise BackupError(problems)
    return out


# ---------------------------------------------------------------------------------------------- restore
def _parents_first(table: Table, columns: list[str], rows: list[list[Any]]) -> list[list[Any]]:
    """Order rows so that a row referring to its own table (``territory.parent``) comes after its target."""
    selfref = [
        (columns.index(fk.parent.name), columns.index(fk.column.name))
        for fk in table.foreign_keys
        if fk.column.table is table and fk.parent.name in columns and fk.column.name in columns
    ]
    if not selfref:
        return rows
    present = {(i, j): {r[j] for r in rows} for i, j in selfref}
    done: dict[int, set[Any]] = {j: set() for _i, j in selfref}
    ordered: list[list[Any]] = []
    pending = rows
    while pending:
        ready, waiting = [], []
        for r in pending:
            ok = all(r[i] is None or r[i] not in present[(i, j)] or r[i] in done[j] for i, j in selfref)
            (ready if ok else waiting).append(r)
        if not ready:  # a cycle: let the database report it
            ordered.extend(waiting)
            break
        for r in ready:
            for _i, j in selfref:
                done[j].add(r[j])
        ordered.extend(ready)
        pending = waiting
    return ordered


def restore(store: Any, path: str | Path, *, actor: str = "system") -> BackupReport:
    """Replace the store's contents with the archive at ``path``, in one transaction.

    Parameters
    ----------
    store : Store or Engine
        Any backend; the archive may come from another (SQLite -> PostgreSQL and back).
    path : str or Path
    actor : str, default="system"
        Who restores, for the audit entry appended after the restored log.

    Raises
    ------
    BackupError
        A damaged archive, another format, or a schema revision this aimaq does not know (made by a newer
        aimaq: upgrade aimaq first). Nothing is written.
    """
    from alembic import command

    engine: Engine = getattr(store, "engine", store)
    path = Path(path)
    manifest = read_manifest(path)
    revision = manifest["revision"]
    known = _known_revisions()
    if revision not in known:
        raise BackupError(
            [
                f"{path.name}: made at schema revision {revision}, which this aimaq does not know (it "
                f"knows {', '.join(reversed(known))}); the archive comes from a newer aimaq: upgrade aimaq, "
                "then restore"
            ]
        )
    data = _load_rows(path, manifest)
    report = BackupReport(path, revision, {name: len(rows) for name, (_c, rows) in data.items()})
    config = db.alembic_config(engine)
    with engine.connect() as conn:
        conn.info[db._WRITE_FLAG] = True  # BEGIN IMMEDIATE on SQLite: take the write lock first
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                current = _revision(conn)
                if current is not None and current not in known:
                    where = engine.url.render_as_string(hide_password=True)
                    raise BackupError(
                        [
                            f"{where}: the store is at schema revision {current}, which this aimaq does not "
                            "know (a newer aimaq wrote it); restore with that aimaq, or into another database"
                        ]
                    )
                if current is not None:
                    command.downgrade(config, "base")
                command.upgrade(config, revision)
                meta = _reflect(conn)
                problems = []
                for name, (columns, _rows) in data.items():
                    table = meta.tables.get(name)
                    if table is None:
                        problems.append(f"{path.name}: table {name} does not exist at revision {revision}")
                    elif [c.name for c in table.columns] != [c for c, _k in columns]:
                        problems.append(f"{path.name}: table {name} has other columns at revision {revision}")
                if problems:
                    raise BackupError(problems)
                for table in meta.sorted_tables:
                    if table.name not in data:
                        continue
                    columns = [c for c, _k in data[table.name][0]]
                    rows = _parents_first(table, columns, data[table.name][1])
                    for start in range(0, len(rows), 1000):
                        chunk = [dict(zip(columns, r, strict=True)) for r in rows[start : start + 1000]]
                        conn.execute(table.insert(), chunk)
                if engine.dialect.name == "postgresql":
                    _reset_sequences(conn, meta)
                command.upgrade(config, "head")
                report.revision_now = _revision(conn)
                _audit(conn, path, report, actor)
        finally:
            conn.info.pop(db._WRITE_FLAG, None)
    return report


def _reset_sequences(conn: sa.Connection, meta: MetaData) -> None:
    """After inserting explicit ids, move each serial sequence past the largest id (PostgreSQL)."""
    for table in meta.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or _kind(pk[0].type) != "int":
            continue
        seq = conn.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}
        ).scalar()
        if seq:
            conn.execute(
                text(
                    f'SELECT setval(:s, COALESCE((SELECT MAX("{pk[0].name}") FROM "{table.name}"), 0) + 1, '
                    "false)"
                ),
                {"s": seq},
            )


def _audit(conn: sa.Connection, path: Path, report: BackupReport, actor: str) -> None:
    """Append a ``restore`` entry to the restored audit log, when the schema has one."""
    if not sa.inspect(conn).has_table("auth_audit"):
        return
    audit = Table("auth_audit", MetaData(), autoload_with=conn)
    conn.execute(
        audit.insert().values(
            at=dt.datetime.now(dt.UTC),
            actor=actor,
            action="restore",
            entity="backup",
            entity_key=path.name[:255],
            new={"revision": report.revision, "tables": report.tables},
            detail=report.summary(),
        )
    )


def dump_bytes(store: Any) -> dict[str, bytes]:
    """Each table's backup body (``tables/<name>.jsonl``): what two stores are compared by in tests."""
    buffer = io.BytesIO()
    engine: Engine = getattr(store, "engine", store)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "dump.zip"
        backup(engine, target)
        buffer.write(target.read_bytes())
    with zipfile.ZipFile(buffer) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("tables/")}
