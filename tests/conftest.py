"""Fixtures shared by every test module.

``store``
    A :class:`~aimaq.store.repository.Store` loaded with the small bundled folder of
    ``tests/store/fixtures/bundled``, once on SQLite (a temporary file) and once on PostgreSQL (marked
    ``postgres``; skipped when the server is unreachable). Each test gets a fresh store.
``empty_store``
    The same, with the schema but no data.
``bundled_store``
    Session-scoped SQLite store with the real bundled data of the five seeds (``aimaq/store/bundled``).
    Treat it as read-only.
``dump``
    ``dump(store)`` -> every row of every aimaq table, to check that a refused write changed nothing.

PostgreSQL: ``$AIMAQ_TEST_PG_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``) names a
server; each test session creates its own uniquely named database there and drops it at the end, because
several test runs share the server.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from aimaq.store.db import ENV_HOME, ENV_URL, scratch_postgres
from aimaq.store.load_bundled import BUNDLED
from aimaq.store.models import TABLES_IN_ORDER
from aimaq.store.repository import Store

FIXTURE_BUNDLED = Path(__file__).parent / "store" / "fixtures" / "bundled"

# Hypothesis explores new random examples on every developer run; CI (CI=true) runs a fixed, derandomised
# sequence so that a landing is reproducible. A failure found locally becomes an @example of its test.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
PG_URL = os.environ.get("AIMAQ_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True, scope="session")
def _isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep tests away from the developer's ``./var`` store and ``$AIMAQ_DATABASE_URL``."""
    saved = {k: os.environ.get(k) for k in (ENV_HOME, ENV_URL)}
    os.environ[ENV_HOME] = str(tmp_path_factory.mktemp("aimaq_home"))
    os.environ.pop(ENV_URL, None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A PostgreSQL database created for this test session (and worker), dropped at the end."""
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(scratch_postgres(PG_URL, prefix="aimaq_test"))
        except OperationalError as exc:
            where = make_url(PG_URL).render_as_string()
            pytest.skip(f"PostgreSQL not reachable at {where}: {exc.__class__.__name__}")
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL on each backend; the PostgreSQL database is emptied before each test."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'aimaq.sqlite'}"
    url = request.getfixturevalue("pg_database")
    store = Store(url)
    store.reset()
    store.dispose()  # several test runs share the server: hold no idle connections
    return url


@pytest.fixture
def empty_store(store_url: str) -> Iterator[Store]:
    """A store with the newest schema and no rows."""
    store = Store(store_url)
    store.init(load_bundled=False)
    yield store
    store.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A store with the small fixture bundle (9 territories, 3 indicators, 16 observations)."""
    store = Store(store_url)
    store.init(bundled=FIXTURE_BUNDLED)
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A SQLite store with the real bundled data of the five seeds (read-only: shared by the session)."""
    if not (BUNDLED / "sources.csv").is_file():
        pytest.skip(f"the bundled data is not there yet ({BUNDLED / 'sources.csv'} is missing)")
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('bundled') / 'aimaq.sqlite'}")
    store.init()
    yield store
    store.dispose()


def dump_store(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every aimaq table, sorted, as plain tuples."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for model in TABLES_IN_ORDER:
            table = model.__table__
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


@pytest.fixture
def dump() -> Callable[[Store], dict[str, list[tuple[Any, ...]]]]:
    """``dump(store)``: every row of every aimaq table, for before/after comparisons."""
    return dump_store


@pytest.fixture(scope="session")
def run_async() -> Callable[[Any], Any]:
    """``asyncio.run`` in a thread of its own.

    The browser tests (one xdist group) keep Playwright's event loop running in the main thread of their
    worker, where ``asyncio.run`` refuses to start; a test that runs a coroutine uses this instead.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    def run(coro: Any) -> Any:
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coro).result()

    return run
