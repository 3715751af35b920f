"""Faults in the middle of a write leave nothing partial: an exception after some rows, the connection
closed or the server backend terminated, a full disk, and a killed process. Each test compares every row of
every table before and after (the ``dump`` fixture), on SQLite and PostgreSQL.

The failures are injected with SQLAlchemy's ``before_cursor_execute`` event, at the *second* chunk of
observation inserts, so that a thousand rows have already been sent to the database when the fault hits.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError

from aimaq.store.repository import Store

FIXTURE_BUNDLED = Path(__file__).parent / "fixtures" / "bundled"
#: Territories of the fixture bundle without validity limits, and its numeric indicators.
TERRITORIES = ("kazakhstan", "karaganda", "almaty", "almaty_region", "satpayev", "abai_town")
INDICATORS = ("gerd_internal", "working_age_share_pct")


def _big_import(folder: Path, years: range = range(1900, 2000)) -> Path:
    """A long CSV of 6 x 2 x 100 = 1200 new cells plus 4 changed ones: two insert chunks and some updates."""
    path = folder / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["territory", "indicator", "year", "value"])
        for t in TERRITORIES:
            for i in INDICATORS:
                for y in years:
                    out.writerow([t, i, y, f"{y % 97 + 0.5}"])
        for t in ("kazakhstan", "almaty"):
            for y in (2020, 2021):
                out.writerow([t, "gerd_internal", y, "1.25"])
    return path


@contextmanager
def fail_at(engine: Any, prefix: str, nth: int, action: Callable[[Any], None]) -> Iterator[list[int]]:
    """Call ``action(connection)`` before the ``nth`` statement that starts with ``prefix`` (any case)."""
    seen = [0]

    def hook(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(prefix.upper()):
            seen[0] += 1
            if seen[0] == nth:
                action(conn)

    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", hook)


def _raise(message: str) -> Callable[[Any], None]:
    def action(_conn: Any) -> None:
        raise RuntimeError(message)

    return action


# --------------------------------------------------------------------------------------------- exceptions
def test_an_exception_after_a_thousand_rows_leaves_the_store_unchanged(
    store: Store, tmp_path: Path, dump
) -> None:
    path = _big_import(tmp_path)
    before = dump(store)
    with (
        fail_at(store.engine, "INSERT INTO observation", 2, _raise("injected")) as seen,
        pytest.raises(RuntimeError, match="injected"),
    ):
        store.import_file(path)
    assert seen[0] == 2
    assert dump(store) == before
    # The same file imports cleanly afterwards: nothing half-written stands in the way.
    report = store.import_file(path)
    assert (report.new, report.changed) == (1200, 4)


def test_an_exception_in_the_updates_after_the_inserts(store: Store, tmp_path: Path, dump) -> None:
    path = _big_import(tmp_path)
    before = dump(store)
    with (
        fail_at(store.engine, "UPDATE observation", 3, _raise("injected in update")),
        pytest.raises(RuntimeError, match="injected in update"),
    ):
        store.import_file(path)
    assert dump(store) == before


def test_an_exception_during_a_bundled_load(empty_store: Store, dump) -> None:
    before = dump(empty_store)
    with (
        fail_at(empty_store.engine, "INSERT INTO reference_row", 1, _raise("injected in load")),
        pytest.raises(RuntimeError, match="injected in load"),
    ):
        empty_store.init(bundled=FIXTURE_BUNDLED)
    assert dump(empty_store) == before
    empty_store.init(bundled=FIXTURE_BUNDLED)
    assert len(empty_store.observations()) == 16


def test_an_exception_during_a_bundled_sync_keeps_the_old_data(store: Store, tmp_path: Path, dump) -> None:
    """A changed bundle (values edited, a row gone) synced over existing data, failing half-way."""
    folder = tmp_path / "bundled"
    shutil.copytree(FIXTURE_BUNDLED, folder)
    obs = folder / "observations" / "seed001_T1.csv"
    lines = obs.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("89028.7", "89028.8")
    obs.write_text("".join(lines[:-1]), encoding="utf-8")
    before = dump(store)
    with (
        fail_at(store.engine, "DELETE FROM observation", 1, _raise("injected in sync")),
        pytest.raises(RuntimeError, match="injected in sync"),
    ):
        store.init(bundled=folder)
    assert dump(store) == before


# ------------------------------------------------------------------------------------------- lost connections
def test_the_connection_lost_mid_import(store: Store, store_url: str, tmp_path: Path, dump) -> None:
    """SQLite: the driver connection is closed under the transaction. PostgreSQL: a second connection
    terminates the writer's backend with ``pg_terminate_backend``."""
    path = _big_import(tmp_path)
    before = dump(store)
    if store.engine.dialect.name == "sqlite":

        def cut(conn: Any) -> None:
            conn.connection.dbapi_connection.close()

        expected: type[Exception] = DBAPIError
    else:
        killer = create_engine(store_url, isolation_level="AUTOCOMMIT")

        def cut(conn: Any) -> None:
            pid = conn.connection.dbapi_connection.info.backend_pid
            with killer.connect() as other:
                assert other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
            # Wait until the server has really ended the backend before the insert goes out.
            for _ in range(100):
                with killer.connect() as other:
                    alive = other.execute(
                        text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p"), {"p": pid}
                    )
                    if not alive.scalar():
                        break
                time.sleep(0.05)

        expected = OperationalError
    with fail_at(store.engine, "INSERT INTO observation", 2, cut), pytest.raises(expected):
        store.import_file(path)
    store.engine.dispose()  # the pool holds the dead connection
    assert dump(store) == before
    assert store.import_file(path).new == 1200  # the store works afterwards
    if store.engine.dialect.name != "sqlite":
        killer.dispose()


# --------------------------------------------------------------------------------------------- disk full
def test_a_full_disk_on_sqlite(tmp_path: Path, dump) -> None:
    """SQLite with ``max_page_count`` just above the current size: the import runs out of pages."""
    store = Store(f"sqlite:///{tmp_path / 'small.sqlite'}")
    store.init(bundled=FIXTURE_BUNDLED)
    with store.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    store.engine.dispose()

    @event.listens_for(store.engine, "connect")
    def _limit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 3}")

    before = dump(store)
    with pytest.raises(OperationalError, match="database or disk is full"):
        store.import_file(_big_import(tmp_path))
    assert dump(store) == before
    store.dispose()


def test_a_full_disk_reported_by_the_driver(store: Store, tmp_path: Path, dump) -> None:
    """Both backends: the driver raises "database or disk is full" on the second insert chunk."""

    def full(_conn: Any) -> None:
        raise OperationalError("INSERT INTO observation", {}, Exception("database or disk is full"))

    before = dump(store)
    with (
        fail_at(store.engine, "INSERT INTO observation", 2, full),
        pytest.raises(OperationalError, match="database or disk is full"),
    ):
        store.import_file(_big_import(tmp_path))
    assert dump(store) == before


# --------------------------------------------------------------------------------------------- killed process
_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sqlalchemy import event
    from aimaq.store.repository import Store

    url, path, marker = sys.argv[1:4]
    store = Store(url)
    seen = [0]

    @event.listens_for(store.engine, "after_cursor_execute")
    def stall(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO OBSERVATION"):
            seen[0] += 1
            if seen[0] == 1:
                Path(marker).write_text("first chunk written")
                time.sleep(120)

    store.import_file(path)
    """
)


def test_a_process_killed_mid_import(store: Store, store_url: str, tmp_path: Path, dump) -> None:
    """An import in a child process is SIGKILLed after its first thousand rows went to the database."""
    path = _big_import(tmp_path)
    marker = tmp_path / "marker"
    before = dump(store)
    store.dispose()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, store_url, str(path), str(marker)],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"the child ended early: {child.stderr.read().decode() if child.stderr else ''}")
            if time.monotonic() > deadline:
                pytest.fail("the child never reached the insert")
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert dump(store) == before
    assert store.import_file(path).new == 1200  # the lock died with the process
