"""Load test (issue 11): 50 clients for 5 minutes mixing map reads, profile reads, what-if computations and
workflow writes, on PostgreSQL; then every acknowledged write is looked up in the database.

Prints throughput, p50/p95/p99 latency per kind, errors by status, lost and half-written writes, and the
CPU time the load generator itself used (it shares the machine's cores with the server). Asserts nothing:
targets are 0 errors, 0 lost writes, p95 < 100 ms for reads. ``tests/services/web/test_load.py`` runs the
same mix for a few seconds in CI and asserts the errors and lost writes.

    .venv/bin/python bench/bench_load.py [--clients 50] [--seconds 300] [--workers 2]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

The database is a new one on that server (created, loaded with the bundled data, dropped at the end); the
app runs in its own uvicorn process(es) like ``aimaq serve --workers N``. The mix and the write check are in
:mod:`aimaq.services.web.loadmix`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

from aimaq.services.web.loadgen import cpu_seconds
from aimaq.services.web.loadmix import (
    Mix,
    check_writes,
    create_load_user,
    run_mix,
    serve,
    warm,
)
from aimaq.store.db import scratch_postgres
from aimaq.store.repository import Store

PG_URL = os.environ.get("AIMAQ_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="uvicorn worker processes")
    parser.add_argument("--pg", default=PG_URL, help="SQLAlchemy URL of a PostgreSQL server (any database)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--factory", default="aimaq.services.web.app:create_app", help="app factory to serve")
    args = parser.parse_args()

    with scratch_postgres(args.pg) as url:
        store = Store(url)
        t0 = time.perf_counter()
        store.init(load_bundled=True)
        create_load_user(store)
        print(f"PostgreSQL store with bundled data: {time.perf_counter() - t0:.1f} s to initialise")
        with serve(url, workers=args.workers, factory=args.factory) as base:
            t0 = time.perf_counter()
            asyncio.run(warm(base, args.workers))
            print(f"warm-up (every worker computes its presets): {time.perf_counter() - t0:.1f} s")
            cpu0 = cpu_seconds()
            run = asyncio.run(
                run_mix(base, clients=args.clients, seconds=args.seconds, mix=Mix(), seed=args.seed)
            )
            client_cpu = cpu_seconds() - cpu0
        check = check_writes(store.engine, run)
        store.dispose()
    rec = run.recorder
    print(
        f"--- {args.clients} clients, {args.workers} worker process(es), {rec.wall:.1f} s, "
        f"{os.cpu_count()} cores shared with the load generator"
    )
    print("\n".join(rec.table()))
    print("\n".join(check.lines()))
    print(
        f"load generator CPU: {client_cpu:.1f} s over {rec.wall:.1f} s "
        f"({100 * client_cpu / rec.wall:.0f} % of one core)"
    )
    print("targets: 0 errors, 0 lost writes, reads p95 < 100 ms")


if __name__ == "__main__":
    main()
