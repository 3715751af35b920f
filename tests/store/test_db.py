"""URL resolution, SQLite pragmas, the one write transaction and the migrations (aimaq.store.db)."""

from __future__ import annotations

import contextlib
import importlib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from aimaq.store import db
from aimaq.store.models import Base, Source
from aimaq.store.repository import Store


def test_url_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AIMAQ_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("AIMAQ_DATABASE_URL", raising=False)
    default = db.resolve_url()
    assert default == f"sqlite:///{(tmp_path / 'home' / 'aimaq.sqlite').resolve()}"
    assert (tmp_path / "home").is_dir()  # created on first use
    monkeypatch.setenv("AIMAQ_DATABASE_URL", "sqlite:///from-env.sqlite")
    assert db.resolve_url() == "sqlite:///from-env.sqlite"
    assert db.resolve_url("sqlite:///explicit.sqlite") == "sqlite:///explicit.sqlite"


def test_home_defaults_to_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIMAQ_HOME", raising=False)
    assert db.home() == Path("var")


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_write_is_all_or_nothing(empty_store: Store) -> None:
    def two_rows_then_fail(session) -> None:  # type: ignore[no-untyped-def]
        session.add(Source(seed="900", file="a.txt"))
        session.flush()
        session.add(Source(seed="900", file="duplicate.txt"))
        session.flush()

    with pytest.raises(IntegrityError):
        db.write(empty_store.engine, two_rows_then_fail)
    assert empty_store.sources().empty


def test_write_returns_the_function_value(empty_store: Store) -> None:
    def add(session) -> str:  # type: ignore[no-untyped-def]
        session.add(Source(seed="901", file="b.txt"))
        return "done"

    assert db.write(empty_store.engine, add) == "done"
    assert empty_store.sources().index.tolist() == ["901"]


def test_sqlite_writes_begin_immediate(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    seen: list[str] = []
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def record(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    db.write(engine, lambda s: s.execute(text("SELECT 1")))
    with db.read(engine) as session:
        session.execute(text("SELECT 2"))
    assert "BEGIN IMMEDIATE" in seen
    assert seen.index("BEGIN IMMEDIATE") < seen.index("SELECT 1")
    assert "BEGIN" in seen[seen.index("SELECT 1") :]
    engine.dispose()


def test_migrations_match_the_models(empty_store: Store) -> None:
    """Autogenerate finds no difference between the models and the migrated schema (both backends)."""
    # Other parts of aimaq add tables to the same metadata through their own migrations; import their models
    # so that the comparison covers every table the migrations create.
    for module in ("aimaq.steering.models",):
        with contextlib.suppress(ModuleNotFoundError):
            importlib.import_module(module)
    with empty_store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    assert db.current_revision(empty_store.engine) == db.head_revision()


def test_init_twice_and_reset(empty_store: Store) -> None:
    empty_store.init(load_bundled=False)
    assert empty_store.initialised
    empty_store.reset()
    assert not empty_store.initialised
    assert db.current_revision(empty_store.engine) is None
    empty_store.init(load_bundled=False)
    assert empty_store.initialised
