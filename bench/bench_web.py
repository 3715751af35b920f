"""Web app benchmark: the map page's time to interactive (Chromium) and the JSON API's latency under load.

Prints figures; asserts nothing (targets from issue 9: page usable < 1.5 s, API p95 < 50 ms). The app runs
in its own uvicorn process on a free loopback port over a temporary store with the bundled data.

    .venv/bin/python bench/bench_web.py [--clients 50] [--requests 2000] [--loads 5] [--workers 1,2]

``--workers`` runs the API measurement once per worker count (``aimaq serve --workers N``: uvicorn worker
processes, each with its own page and preset-result cache). The index pages (rankings, methodology with its
reproduction report, a profile with its indices, an index on the map) are measured after one warm-up pass,
since their first request runs the methodologies (the server also computes them at start-up).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

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
API_URLS = (
    "/map.json",
    "/map.json?indicator=gerd_internal&period=2024",
    "/territories.json",
    "/territories/abai.json",
    "/territories/satpayev.json",
    "/api/geo/regions.geojson",
    "/rankings/seed004_monotown_potential.json",
    "/methodologies/seed004_monotown_potential.json",
    "/map.json?index=seed001_scientific_potential&column=score",
    "/territories/karazhal.json",
)


def _serve(url: str, workers: int = 1) -> tuple[subprocess.Popen, str]:
    """Start the app in its own uvicorn process(es) (so the load generator does not share their GIL)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "AIMAQ_DATABASE_URL": url, "AIMAQ_WEB_LANGUAGE": "en", "AIMAQ_WEB_WARM": "1"}
    cmd = [sys.executable, "-m", "uvicorn", "aimaq.services.web.app:create_app", "--factory"]
    proc = subprocess.Popen(
        [
            *cmd,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--workers",
            str(workers),
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("the web app did not start within 30 s")


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


async def api_latency(base: str, clients: int, requests: int) -> dict[str, list[float]]:
    """Latency in ms of ``requests`` GETs spread over ``clients`` concurrent connections, per URL."""
    out: dict[str, list[float]] = {u: [] for u in API_URLS}
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(API_URLS[i % len(API_URLS)])

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            url = queue.get_nowait()
            t0 = time.perf_counter()
            response = await client.get(url)
            elapsed = (time.perf_counter() - t0) * 1000
            response.raise_for_status()
            out[url].append(elapsed)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        await client.get("/map.json")  # warm the store snapshot and the polygon cache
        await client.get("/api/geo/regions.geojson")
        await asyncio.gather(*(worker(client) for _ in range(clients)))
    return out


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
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
            server, base = _serve(url, workers)
            try:
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
                asyncio.run(api_latency(base, max(2, workers * 2), len(API_URLS) * workers * 4))
                print(f"warm-up (presets computed in each worker): {time.perf_counter() - t0:.1f} s")
                seq = asyncio.run(api_latency(base, 1, 300))
                one = [v for vs in seq.values() for v in vs]
                print(
                    "API, one client (the server's time per request): "
                    f"p50 {_pct(one, 50):.1f} ms, p95 {_pct(one, 95):.1f} ms"
                )
                t0 = time.perf_counter()
                lat = asyncio.run(api_latency(base, args.clients, args.requests))
                wall = time.perf_counter() - t0
                every = [v for vs in lat.values() for v in vs]
                print(
                    f"API under {args.clients} concurrent clients, {len(every)} requests in {wall:.2f} s "
                    f"({len(every) / wall:.0f} req/s): p50 {_pct(every, 50):.1f} ms, "
                    f"p95 {_pct(every, 95):.1f} ms "
                    "(target p95 < 50 ms)"
                )
                for path, values in lat.items():
                    print(
                        f"  {path:60s} p50 {_pct(values, 50):7.1f} ms  "
                        f"p95 {_pct(values, 95):7.1f} ms  n={len(values)}"
                    )
            finally:
                server.terminate()
                server.wait(timeout=10)


if __name__ == "__main__":
    main()
