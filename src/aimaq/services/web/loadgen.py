"""A small load generator for the web app: an asyncio HTTP/1.1 keep-alive client and latency statistics.

The benchmarks (``bench/bench_web.py``, ``bench/bench_load.py``) and the bounded load test
(``tests/services/web/test_load.py``) drive the app in its own uvicorn process(es) on loopback. The client
shares the machine's cores with the server, so it must cost little per request: a general-purpose client
(httpx) spends about as much CPU per request as the app itself, which would measure the client. This one
writes a request with one ``write`` and reads the answer with ``readuntil``/``readexactly``: no connection
pool, no header objects, no decoding of the body.

Examples
--------
>>> summary([1.0, 2.0, 3.0, 4.0])["p50"]
2.5
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Answer", "Connection", "Recorder", "cpu_seconds", "percentile", "summary"]


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: status, lower-cased headers (the last of a repeated one), the cookies it sets (name
    -> value) and the raw body."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    cookies: Mapping[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


class Connection:
    """One keep-alive HTTP/1.1 connection to ``base`` (``http://127.0.0.1:8000``), reopened if the server
    closes it.

    Parameters
    ----------
    base : str
        Scheme, host and port of the server; only ``http`` is supported (loopback benchmarks).
    headers : mapping, optional
        Sent with every request (``Accept-Encoding``, ``Cookie``).
    """

    def __init__(self, base: str, headers: Mapping[str, str] | None = None) -> None:
        parts = urlsplit(base)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"Connection: base must be http://host:port, got {base!r}")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.headers = dict(headers or {})
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        """Close the connection (if open)."""
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """Send one request and read its whole answer.

        A connection the server closed while idle is reopened once; any other failure raises (``OSError``,
        ``asyncio.IncompleteReadError``, ``ValueError`` for a malformed answer) and closes the connection.
        """
        for attempt in (0, 1):
            fresh = self._writer is None
            if fresh:
                await self._open()
            try:
                return await self._exchange(method, path, body, headers)
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if fresh or attempt:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _exchange(
        self, method: str, path: str, body: bytes | None, headers: Mapping[str, str] | None
    ) -> Answer:
        assert self._reader is not None and self._writer is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in {**self.headers, **(headers or {})}.items()]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b""))
        reader = self._reader
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
        try:
            status = int(status_line.split(" ", 2)[1])
        except (IndexError, ValueError):
            await self.close()
            raise ValueError(f"malformed status line {status_line!r}") from None
        answer_headers = {}
        cookies = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            answer_headers[name] = value
            if name == "set-cookie":
                cname, _, cvalue = value.split(";", 1)[0].partition("=")
                cookies[cname.strip()] = cvalue.strip()
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            data = b""
        elif "content-length" in answer_headers:
            data = await reader.readexactly(int(answer_headers["content-length"]))
        elif answer_headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await reader.readuntil(b"\r\n"))[:-2].split(b";")[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")  # no trailers are sent by uvicorn
                    break
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
            data = b"".join(chunks)
        else:  # body until the server closes
            data = await reader.read()
            await self.close()
        if answer_headers.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, answer_headers, data, cookies)


def cpu_seconds() -> float:
    """CPU time (user + system) this process has used: the load generator's own share of the cores."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between closest ranks (NumPy's default).

    Examples
    --------
    >>> percentile([10.0, 20.0, 30.0, 40.0, 50.0], 95)
    48.0
    """
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summary(values: list[float]) -> dict[str, float]:
    """``n``, ``mean``, ``p50``, ``p95``, ``p99`` and ``max`` of latencies (ms)."""
    if not values:
        return {"n": 0, "mean": float("nan"), "p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    return {
        "n": len(values),
        "mean": statistics.fmean(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values),
    }


@dataclass
class Recorder:
    """Latencies (ms) and errors per kind of request, and the wall-clock time of the run."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, dict[str, int]] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    stopped: float | None = None

    def add(self, kind: str, ms: float) -> None:
        """Record one answered request of ``kind``."""
        self.latencies.setdefault(kind, []).append(ms)

    def error(self, kind: str, what: str) -> None:
        """Record a failed request of ``kind``: ``what`` is the status (``"500"``) or the exception name."""
        per = self.errors.setdefault(kind, {})
        per[what] = per.get(what, 0) + 1

    def stop(self) -> None:
        """Mark the end of the measured run."""
        self.stopped = time.perf_counter()

    @property
    def wall(self) -> float:
        """Seconds from start to :meth:`stop` (or now)."""
        return (self.stopped or time.perf_counter()) - self.started

    def error_count(self) -> int:
        """All failed requests."""
        return sum(sum(per.values()) for per in self.errors.values())

    def table(self) -> list[str]:
        """Lines: per kind and for all, requests, throughput and p50/p95/p99/max in ms, then errors."""
        wall = self.wall
        out = [f"{'kind':28s} {'n':>7s} {'req/s':>7s} {'p50':>8s} {'p95':>8s} {'p99':>8s} {'max':>8s}"]
        every: list[float] = []
        for kind, values in sorted(self.latencies.items()):
            every += values
            s = summary(values)
            out.append(
                f"{kind:28s} {s['n']:7d} {s['n'] / wall:7.1f} {s['p50']:8.1f} {s['p95']:8.1f} "
                f"{s['p99']:8.1f} {s['max']:8.1f}"
            )
        s = summary(every)
        out.append(
            f"{'all':28s} {s['n']:7d} {s['n'] / wall:7.1f} {s['p50']:8.1f} {s['p95']:8.1f} "
            f"{s['p99']:8.1f} {s.get('max', float('nan')):8.1f}"
        )
        errors = ", ".join(
            f"{kind} {what}: {n}"
            for kind, per in sorted(self.errors.items())
            for what, n in sorted(per.items())
        )
        out.append(f"errors: {self.error_count()}" + (f" ({errors})" if errors else ""))
        return out
