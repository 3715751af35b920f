"""Where the store lives and how it is written: URL resolution, engines, the one write function, migrations.

- :func:`resolve_url`: an explicit URL, else ``$AIMAQ_DATABASE_URL``, else the SQLite file
  ``$AIMAQ_HOME/aimaq.sqlite`` (``AIMAQ_HOME`` defaults to ``./var``, created on first use).
- :func:`make_engine`: SQLite gets ``foreign_keys=ON`` and WAL; PostgreSQL is used as is.
- :func:`write`: every write goes through this one function, in one transaction that starts with
  ``BEGIN IMMEDIATE`` on SQLite, so that two writers queue instead of failing half-way (Datasette,
  ``datasette/database.py``, ``execute_write_fn``).
- :func:`upgrade`: Alembic, driven from Python (no ``alembic.ini`` needed), to the newest revision.
- :func:`scratch_postgres`: a new PostgreSQL database, dropped afterwards (tests and benchmarks).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

T = TypeVar("T")

ENV_URL = "AIMAQ_DATABASE_URL"
ENV_HOME = "AIMAQ_HOME"
_WRITE_FLAG = "aimaq_write"
MIGRATIONS = Path(__file__).with_name("migrations")


def home() -> Path:
    """The folder of aimaq's files: ``$AIMAQ_HOME`` or ``./var`` (not created here)."""
    return Path(os.environ.get(ENV_HOME) or "var")


def resolve_url(url: str | None = None) -> str:
    """The database URL to use: ``url`` > ``$AIMAQ_DATABASE_URL`` > SQLite in :func:`home`.

    The SQLite file's folder is created when the default is used, so the first command works on a fresh
    clone with no set-up.

    Examples
    --------
    >>> resolve_url("sqlite:///tmp/x.sqlite")
    'sqlite:///tmp/x.sqlite'
    """
    if url:
        return url
    env = os.environ.get(ENV_URL)
    if env:
        return env
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / 'aimaq.sqlite').resolve()}"


def is_sqlite(engine_or_url: Engine | str) -> bool:
    """True for a SQLite engine or URL."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def make_engine(url: str | None = None) -> Engine:
    """An engine for :func:`resolve_url` ``(url)``, with SQLite's pragmas and transaction handling set.

    On SQLite the driver's own transaction handling is switched off and aimaq emits ``BEGIN`` itself
    (SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL" for pysqlite), so that writes
    can start with ``BEGIN IMMEDIATE``: the write lock is taken before anything is read, and a second
    writer waits (``busy_timeout``) instead of failing with "database is locked" half-way.
    """
    resolved = resolve_url(url)
    if not is_sqlite(resolved):
        return create_engine(resolved, pool_pre_ping=True)
    database = make_url(resolved).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(resolved, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if database and database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get(_WRITE_FLAG) else "BEGIN")

    return engine


def write(engine: Engine, fn: Callable[[Session], T]) -> T:
    """Run ``fn(session)`` as the one write transaction: commit if it returns, roll back if it raises.

    Every change to the store goes through here (imports, bundled loads, resets), so each is all or nothing.

    Parameters
    ----------
    engine : Engine
        From :func:`make_engine`.
    fn : callable
        Receives a :class:`~sqlalchemy.orm.Session` inside the transaction; its return value is returned.
    """
    with engine.connect() as conn:
        conn.info[_WRITE_FLAG] = True
        try:
            with Session(bind=conn, expire_on_commit=False) as session, session.begin():
                return fn(session)
        finally:
            conn.info.pop(_WRITE_FLAG, None)


def read(engine: Engine) -> Session:
    """A read-only session (use as a context manager)."""
    return Session(bind=engine)


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    """An Alembic ``Config`` pointing at ``store/migrations``, without any ``alembic.ini``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def _migrate(engine: Engine, direction: str, revision: str) -> None:
    """Run Alembic's ``upgrade`` or ``downgrade`` to ``revision`` inside one write transaction."""
    from alembic import command

    config = alembic_config(engine)
    with engine.connect() as conn:
        conn.info[_WRITE_FLAG] = True
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                getattr(command, direction)(config, revision)
        finally:
            conn.info.pop(_WRITE_FLAG, None)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` (default: the newest) inside one write transaction."""
    _migrate(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Take the schema back to ``revision`` (default: empty), running each migration's ``downgrade``."""
    _migrate(engine, "downgrade", revision)


def head_revision() -> str:
    """The newest migration's revision id."""
    from alembic.script import ScriptDirectory

    config = alembic_config(make_engine("sqlite://"))
    return str(ScriptDirectory.from_config(config).get_current_head())


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextlib.contextmanager
def scratch_postgres(server_url: str, prefix: str = "aimaq_scratch") -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of ``server_url`` (SQLAlchemy URL), dropped afterwards
    (``WITH (FORCE)``: connections left open by the caller do not keep it). Yields its URL.

    Raises
    ------
    sqlalchemy.exc.OperationalError
        When the server does not answer (callers skip or report it); nothing was created.
    """
    server = make_url(server_url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
