"""A short bounded load test (issue 11) on PostgreSQL: 50 clients for a few seconds mixing map reads, profile
reads, what-if computations and workflow writes against the app in its own uvicorn processes.

Asserts no error and no lost or half-written write; never a latency (timings belong to
``bench/bench_load.py``, which runs the same mix for 5 minutes). Skipped with the reason when no PostgreSQL
server answers at ``$AIMAQ_TEST_PG_URL``. One xdist group, so that it never shares the cores with itself.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy.exc import OperationalError

from aimaq.services.web.loadmix import (
    Mix,
    Run,
    Write,
    check_writes,
    create_load_user,
    run_mix,
    serve,
    warm,
)
from aimaq.store.db import scratch_postgres
from aimaq.store.repository import Store

PG_URL = os.environ.get("AIMAQ_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CLIENTS = 50
SECONDS = float(os.environ.get("AIMAQ_LOAD_TEST_SECONDS", "12"))

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("load")]


@pytest.fixture(scope="module")
def pg_store():
    try:
        with scratch_postgres(PG_URL) as url:
            store = Store(url)
            store.init(load_bundled=True)
            create_load_user(store)
            yield url, store
            store.dispose()
    except OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}")


def test_mixed_load_has_no_error_and_loses_no_write(pg_store, run_async) -> None:
    url, store = pg_store
    with serve(url, workers=2) as base:
        run_async(warm(base, 2))
        run = run_async(run_mix(base, clients=CLIENTS, seconds=SECONDS, mix=Mix(), seed=7))
    rec = run.recorder
    report = "\n".join(rec.table())
    check = check_writes(store.engine, run)
    # every kind of the mix ran: a run that wrote nothing or computed no what-if proves nothing
    for kind in ("map", "profile", "what-if", "write", "map (logged in)", "profile (logged in)"):
        assert rec.latencies.get(kind), f"no successful {kind!r} request:\n{report}"
    assert rec.error_count() == 0, report
    assert check.acknowledged > 0 and any(w.kind == "transition" for w in run.writes), check.lines()
    assert check.lost == () and check.half_written == (), "\n".join(check.lines())
    assert check.unacknowledged == 0, "\n".join(check.lines())


def test_the_check_finds_a_lost_write(pg_store) -> None:
    """The write check is real: an acknowledged write that is not in the database is reported as lost."""
    _url, store = pg_store
    run = Run(tag="load-missing")
    run.writes.append(Write("create", "load-missing c0 n1", 10**9, True, "201"))
    check = check_writes(store.engine, run)
    assert len(check.lost) == 1 and "not in the database" in check.lost[0]
