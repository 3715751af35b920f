"""Web app benchmark: the map page's time to interactive (Chromium) and the JSON API's latency under load.

Prints figures; asserts nothing (targets from issue 9: page usable < 1.5 s, API p95 < 50 ms). The app runs
in its own uvicorn process(es) on a free loopback port over a temporary store with the bundled data.

    .venv/bin/python bench/bench_web.py [--clients 50] [--seconds 20] [--loads 5] [--workers 1,2]

``--workers`` runs the API measurement once per worker count (``aimaq serve --workers N``: uvicorn worker
processes, each with its own page and preset-result cache). The index pages (rankings, methodology with its
reproduction report, a profile with its indices, an index on the map) are measured after one warm-up pass,
since their first request runs the methodologies (the server also computes them at start-up).

The load generator is :mod:`aimaq.services.web.loadgen` (asyncio, keep-alive, one ``write`` per request):
it runs on the same cores as the server, so its own CPU time is printed next to the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from aimaq.services.web.loadgen import Connection, Recorder, cpu_seconds, summary
from aimaq.services.web.loadmix import serve
from aimaq.store.repository import Store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The JSON API by endpoint group.
API_GROUPS: dict[str, tuple[str, ...]] = {
    "map": (
        "/map.json",
        "/map.json?indicator=gerd_internal&period=2024",
        "/map.json?index=seed001_scientific_potential&column=score",
        "/api/geo/regions.geojson",
    ),
    "profile": ("/territories/abai.json", "/territories/satpayev.json", "/territories/karazhal.json"),
    "lists": ("/territories.json", "/methodologies.json"),
    "index pages": (
        "/rankings/seed004_monotown_potential.json",
        "/methodologies/seed004_monotown_potential.json",
    ),
}
API_URLS = tuple(u for urls in API_GROUPS.values() for u in urls)
GROUP_OF = {u: g for g, urls in API_GROUPS.items() for u in urls}


def time_to_interactive(base: str, loads: int) -> list[float]:
    """Seconds from navigation start until the map is drawn and clickable (``#map[data-state=ready]``).

    The first load fills the browser cache (plotly.min.js is 4.8 MB); it is reported separately.
    """
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        for _ in range(loads):
            page.goto(base + "/", wait_until="commit")
            page.wait_for_selector("#map[data-state=ready]", timeout=60_000)
            # performance.now() counts from navigation start: the time the map became ready.
            times.append(page.evaluate("performance.now()") / 1000)
        browser.close()
    return times


async def api_latency(base: str, clients: int, seconds: float, requests: int | None = None) -> Recorder:
    """Latency in ms per endpoint group of GETs over ``clients`` concurrent keep-alive connections, for
    ``seconds`` (or ``requests`` in all), cycling through :data:`API_URLS`."""
    rec = Recorder()
    end = time.perf_counter() + seconds
    left = [requests if requests is not None else -1]

    async def worker(i: int) -> None:
        conn = Connection(base, {"Accept-Encoding": "gzip"})
        n = i
        try:
            while time.perf_counter() < end and left[0] != 0:
                left[0] -= 1
                url = API_URLS[n % len(API_URLS)]
                n += 1
                t0 = time.perf_counter()
                answer = await conn.request("GET", url)
                ms = (time.perf_counter() - t0) * 1000
                if answer.status == 200:
                    rec.add(GROUP_OF[url], ms)
                else:
                    rec.error(GROUP_OF[url], str(answer.status))
        finally:
            await conn.close()

    await asyncio.gather(*(worker(i) for i in range(clients)))
    rec.stop()
    return rec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the 50-client measurement")
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--workers", default="1,2", help="worker counts to measure, e.g. 1,2,4")
    args = parser.parse_args()
    worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'aimaq.sqlite'}"
        store = Store(url)
        t0 = time.perf_counter()
        store.init(load_bundled=True)
        print(f"store with bundled data: {time.perf_counter() - t0:.2f} s to initialise")
        store.dispose()
        for n, workers in enumerate(worker_counts):
            with serve(url, workers=workers) as base:
                print(f"--- {workers} worker process(es)")
                if n == 0 and Path(CHROMIUM).exists():
                    tti = time_to_interactive(base, args.loads)
                    warm = tti[1:] or tti
                    print(
                        f"map page, time to interactive: first (cold cache) {tti[0]:.3f} s; "
                        f"warm median {statistics.median(warm):.3f} s over {len(warm)} loads (target < 1.5 s)"
                    )
                elif n == 0:
                    print(f"map page, time to interactive: skipped ({CHROMIUM} missing)")
                t0 = time.perf_counter()
                # warm-up: every worker computes the presets once (unmeasured)
                asyncio.run(api_latency(base, max(2, workers * 2), 600, len(API_URLS) * workers * 4))
                print(f"warm-up (presets computed in each worker): {time.perf_counter() - t0:.1f} s")
                one = asyncio.run(api_latency(base, 1, 600, 300))
                every = [v for vs in one.latencies.values() for v in vs]
                s = summary(every)
                print(
                    "API, one client (the server's time per request): "
                    f"p50 {s['p50']:.1f} ms, p95 {s['p95']:.1f} ms, p99 {s['p99']:.1f} ms"
                )
                cpu0 = cpu_seconds()
                rec = asyncio.run(api_latency(base, args.clients, args.seconds))
                cpu = cpu_seconds() - cpu0
                print(
                    f"API under {args.clients} concurrent clients for {rec.wall:.1f} s (target p95 < 50 ms):"
                )
                print("\n".join(rec.table()))
                print(
                    f"load generator CPU: {cpu:.1f} s over {rec.wall:.1f} s "
                    f"({100 * cpu / rec.wall:.0f} % of one core, on the server's cores)"
                )


if __name__ == "__main__":
    main()
