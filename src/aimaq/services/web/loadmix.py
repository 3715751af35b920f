"""The mixed load of issue 11, shared by ``bench/bench_load.py`` and ``tests/services/web/test_load.py``.

``clients`` concurrent clients run for ``seconds`` against the app in its own uvicorn process(es):

- readers (anonymous, like most visitors: a pre-session cookie and a CSRF token from ``/api/csrf``): map
  reads (``/map.json`` with indicators, an index, a layer), profile reads (``/territories/<code>.json``)
  and what-if computations (``POST /api/whatif/<preset>`` with a random value);
- writers (one client in :attr:`Mix.writer_every`, logged in through the ``/login`` form): workflow writes
  through the JSON API (create a foresight session, then take its ``held`` transition, each with the
  session's ``X-CSRF-Token``), and the same reads, which a logged-in session gets from the app, not from the
  response cache.

Every write is recorded with whether the server acknowledged it (201/200). :func:`check_writes` then reads
the database: every acknowledged write must be there (else it is *lost*), and no object of the run may be
half-written (an object without its creation audit record, a ``held`` state without its ``FS-2`` record or
the other way round). Unacknowledged writes (a timeout, a 5xx) may or may not be there; they are counted.

:func:`aimaq.store.db.scratch_postgres` creates (and drops) the database, :func:`serve` runs the app
like ``aimaq serve``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aimaq.services.web.loadgen import Connection, Recorder

__all__ = [
    "LOAD_USER",
    "Mix",
    "Run",
    "WriteCheck",
    "check_writes",
    "create_load_user",
    "run_mix",
    "serve",
    "warm",
]

#: Map reads: the default map, indicators with their periods, an index and a layer.
MAP_URLS: tuple[str, ...] = (
    "/map.json",
    "/map.json?indicator=gerd_internal&period=2024",
    "/map.json?indicator=gerd_internal&period=2020",
    "/map.json?index=seed001_scientific_potential&column=score",
    "/map.json?index=seed004_monotown_potential&column=potential",
    "/map.json?layer=monotowns",
    "/api/geo/regions.geojson",
)
#: Profiles: regions, a city, districts and monotowns (each with its indices).
PROFILE_CODES: tuple[str, ...] = (
    "abai",
    "karaganda",
    "almaty_city",
    "east_kazakhstan",
    "atyrau",
    "satpayev",
    "karazhal",
    "balkhash",
    "temirtau",
    "zaisan",
)
#: What-if: (preset, territory, indicator, low, high); the value is drawn in [low, high].
WHAT_IFS: tuple[tuple[str, str, str, float, float], ...] = (
    ("seed004_monotown_potential", "karazhal", "mono_lsg_satisfaction_pct", 0.0, 100.0),
    ("seed004_monotown_potential", "satpayev", "mono_lsg_satisfaction_pct", 0.0, 100.0),
)
LANGS: tuple[str, ...] = ("kk", "ru", "en")
#: The account the writers log in as (created by :func:`create_load_user`).
LOAD_USER = ("loadtest", "load test correct horse battery")


@dataclass(frozen=True)
class Mix:
    """Shares of each kind of request. Readers split theirs over map, profile and what-if; writers spend
    ``writer_write`` of their requests on writes and the rest on map and profile reads."""

    map: float = 0.45
    profile: float = 0.40
    whatif: float = 0.15
    writer_every: int = 5
    writer_write: float = 0.5


@dataclass
class Write:
    """One workflow write: what, on which object, and whether the server acknowledged it."""

    kind: str  # "create" or "transition"
    title: str
    object_id: int | None
    acknowledged: bool
    status: str


@dataclass
class Run:
    """What a run did: latencies and errors per kind, and every write."""

    tag: str
    recorder: Recorder = field(default_factory=Recorder)
    writes: list[Write] = field(default_factory=list)


@dataclass(frozen=True)
class WriteCheck:
    """The database after a run (see :func:`check_writes`)."""

    acknowledged: int
    lost: tuple[str, ...]
    half_written: tuple[str, ...]
    unacknowledged: int
    unacknowledged_present: int

    def lines(self) -> list[str]:
        """A summary for the console."""
        out = [
            f"writes acknowledged: {self.acknowledged}; lost: {len(self.lost)}; "
            f"half-written: {len(self.half_written)}; unacknowledged: {self.unacknowledged} "
            f"({self.unacknowledged_present} of them in the database)"
        ]
        out += [f"  lost: {x}" for x in self.lost[:20]]
        out += [f"  half-written: {x}" for x in self.half_written[:20]]
        return out


# ---------------------------------------------------------------------------------------------- the clients
class _Client:
    def __init__(self, base: str, run: Run, rng: random.Random, index: int) -> None:
        self.conn = Connection(base, {"Accept-Encoding": "gzip"})
        self.run = run
        self.rng = rng
        self.index = index
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.held: list[tuple[int, str]] = []  # created, not yet moved to held: (id, title)
        self.count = 0

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    async def call(self, method: str, path: str, body: bytes | None = None, **headers: str) -> Any:
        answer = await self.conn.request(method, path, body=body, headers=self._headers(headers))
        self.cookies.update(answer.cookies)
        return answer

    async def start(self, login: tuple[str, str] | None) -> None:
        """Get a CSRF token (and a pre-session cookie); log in through the form when ``login`` is given."""
        answer = await self.call("GET", "/api/csrf")
        self.csrf = answer.json()["csrf_token"]
        if login is None:
            return
        form = urlencode({"username": login[0], "password": login[1], "csrf_token": self.csrf, "next": "/"})
        answer = await self.call(
            "POST", "/login", form.encode(), **{"Content-Type": "application/x-www-form-urlencoded"}
        )
        if answer.status != 303 or "aimaq_session" not in self.cookies:
            raise RuntimeError(f"login as {login[0]!r} failed: HTTP {answer.status}")
        answer = await self.call("GET", "/api/csrf")  # a token bound to the login session
        self.csrf = answer.json()["csrf_token"]

    async def timed(self, kind: str, method: str, path: str, body: Any = None, ok: int = 200) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", "X-CSRF-Token": self.csrf} if data else {}
        t0 = time.perf_counter()
        try:
            answer = await self.call(method, path, data, **headers)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            self.run.recorder.error(kind, type(exc).__name__)
            await self.conn.close()
            return None
        ms = (time.perf_counter() - t0) * 1000
        if answer.status != ok:
            self.run.recorder.error(kind, str(answer.status))
            return answer
        self.run.recorder.add(kind, ms)
        return answer

    async def read_map(self, kind: str) -> None:
        url = self.rng.choice(MAP_URLS)
        sep = "&" if "?" in url else "?"
        await self.timed(kind, "GET", f"{url}{sep}lang={self.rng.choice(LANGS)}")

    async def read_profile(self, kind: str) -> None:
        code = self.rng.choice(PROFILE_CODES)
        await self.timed(kind, "GET", f"/territories/{code}.json?lang={self.rng.choice(LANGS)}")

    async def what_if(self) -> None:
        name, territory, indicator, low, high = self.rng.choice(WHAT_IFS)
        value = round(self.rng.uniform(low, high), 1)
        body = {"values": [{"territory": territory, "indicator": indicator, "value": value}]}
        await self.timed("what-if", "POST", f"/api/whatif/{name}", body)

    async def write(self) -> None:
        if self.held and self.rng.random() < 0.5:
            object_id, title = self.held.pop(0)
            body = {
                "to": "held",
                "reason": "load test",
                "attrs": {"held_on": dt.date.today().isoformat(), "participants": ["BEN-2"]},
            }
            answer = await self.timed("write", "POST", f"/api/workflow/objects/{object_id}/transition", body)
            self._record("transition", title, object_id, answer, 200)
            return
        self.count += 1
        title = f"{self.run.tag} c{self.index} n{self.count}"
        body = {"entity": "ForesightSession", "territory": "karaganda", "title": title, "reason": "load test"}
        answer = await self.timed("write", "POST", "/api/workflow/objects", body, ok=201)
        object_id = self._record("create", title, None, answer, 201)
        if object_id is not None:
            self.held.append((object_id, title))

    def _record(self, kind: str, title: str, object_id: int | None, answer: Any, ok: int) -> int | None:
        acknowledged = answer is not None and answer.status == ok
        if acknowledged and object_id is None:
            object_id = int(answer.json()["object"]["id"])
        status = "error" if answer is None else str(answer.status)
        self.run.writes.append(Write(kind, title, object_id, acknowledged, status))
        return object_id


async def run_mix(
    base: str,
    *,
    clients: int = 50,
    seconds: float = 300.0,
    mix: Mix | None = None,
    login: tuple[str, str] = LOAD_USER,
    seed: int = 1,
) -> Run:
    """Run ``clients`` concurrent clients for ``seconds`` (see the module docstring) and return the record.

    Clients start together after each has its CSRF token (writers: their login), so that set-up is not
    measured.
    """
    mix = mix or Mix()
    run = Run(tag=f"load-{uuid.uuid4().hex[:8]}")
    master = random.Random(seed)
    members = [_Client(base, run, random.Random(master.random()), i) for i in range(clients)]
    writers = {i for i in range(clients) if mix.writer_every and i % mix.writer_every == 0}
    await asyncio.gather(*(c.start(login if c.index in writers else None) for c in members))
    run.recorder = Recorder()
    end = time.perf_counter() + seconds

    async def loop(c: _Client) -> None:
        writer = c.index in writers
        while time.perf_counter() < end:
            r = c.rng.random()
            if writer:
                if r < mix.writer_write:
                    await c.write()
                elif r < mix.writer_write + (1 - mix.writer_write) / 2:
                    await c.read_map("map (logged in)")
                else:
                    await c.read_profile("profile (logged in)")
            elif r < mix.map:
                await c.read_map("map")
            elif r < mix.map + mix.profile:
                await c.read_profile("profile")
            else:
                await c.what_if()
        await c.conn.close()

    await asyncio.gather(*(loop(c) for c in members))
    run.recorder.stop()
    return run


# ---------------------------------------------------------------------------------------------- the check
def check_writes(engine: Any, run: Run) -> WriteCheck:
    """Compare the run's writes with the database (``engine``: SQLAlchemy engine of the app's store)."""
    from sqlalchemy import select

    from aimaq.steering.models import AuditRecord, WorkflowObject

    o, a = WorkflowObject.__table__, AuditRecord.__table__
    with engine.connect() as conn:
        objects = {
            r.id: r
            for r in conn.execute(select(o.c.id, o.c.title, o.c.state).where(o.c.title.like(f"{run.tag} %")))
        }
        audit: dict[int, list[Any]] = {}
        if objects:
            for r in conn.execute(
                select(a.c.object_id, a.c.transition_id, a.c.from_state, a.c.to_state).where(
                    a.c.object_id.in_(list(objects))
                )
            ):
                audit.setdefault(r.object_id, []).append(r)
    by_title = {r.title: r for r in objects.values()}
    lost, half = [], []
    acknowledged = [w for w in run.writes if w.acknowledged]
    for w in acknowledged:
        row = objects.get(w.object_id) if w.object_id is not None else None
        if row is None or row.title != w.title:
            lost.append(f"{w.kind} {w.title!r} (object {w.object_id}): not in the database")
        elif w.kind == "transition" and not any(x.to_state == "held" for x in audit.get(w.object_id, [])):
            lost.append(f"transition of {w.title!r} (object {w.object_id}) to held: no audit record")
        elif w.kind == "transition" and row.state != "held":
            lost.append(f"transition of {w.title!r} (object {w.object_id}): state is {row.state!r}")
    for object_id, row in objects.items():
        records = audit.get(object_id, [])
        if not any(x.from_state is None for x in records):
            half.append(f"object {object_id} {row.title!r}: no creation audit record")
        moved = any(x.to_state == "held" for x in records)
        if moved != (row.state == "held"):
            half.append(f"object {object_id} {row.title!r}: state {row.state!r} but audit {records}")
    unacknowledged = [w for w in run.writes if not w.acknowledged]
    present = sum(
        1
        for w in unacknowledged
        if (w.kind == "create" and w.title in by_title)
        or (w.kind == "transition" and any(x.to_state == "held" for x in audit.get(w.object_id or -1, [])))
    )
    return WriteCheck(len(acknowledged), tuple(lost), tuple(half), len(unacknowledged), present)


# ---------------------------------------------------------------------------------------------- set-up
def create_load_user(store: Any, login: tuple[str, str] = LOAD_USER) -> None:
    """The writers' account: role ``academy`` (may create foresight sessions and hold them).

    The password hash uses cheap argon2 parameters so that 10 logins do not measure argon2.
    """
    from argon2 import PasswordHasher

    from aimaq.auth.service import Auth

    auth = Auth(store, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    auth.create_user(login[0], login[1], actor="bench")
    auth.grant(login[0], "academy", None, actor="bench")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(
    database_url: str,
    *,
    workers: int = 1,
    env: Mapping[str, str] | None = None,
    timeout: float = 60.0,
    factory: str = "aimaq.services.web.app:create_app",
) -> Iterator[str]:
    """Run the app in its own uvicorn process(es) on a free loopback port (as ``aimaq serve`` does, so that
    the load generator does not share their GIL); yield its base URL; stop it afterwards.

    ``factory`` is uvicorn's import string of the app factory (another one to compare a change).
    """
    import httpx

    port = _free_port()
    environ = {
        **os.environ,
        "AIMAQ_DATABASE_URL": database_url,
        "AIMAQ_WEB_LANGUAGE": "en",
        "AIMAQ_WEB_WARM": "1",
        "AIMAQ_COOKIE_SECURE": "0",
        "AIMAQ_WHATIF_PROCESSES": "1",  # as aimaq serve: what-ifs off the web worker's interpreter lock
        # one signing secret for every worker: a token from one is valid in the others
        "AIMAQ_SECRET_KEY": os.environ.get("AIMAQ_SECRET_KEY") or uuid.uuid4().hex * 2,
        **dict(env or {}),
    }
    cmd = [sys.executable, "-m", "uvicorn", factory, "--factory"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    cmd += ["--log-level", "warning", "--no-access-log"]
    proc = subprocess.Popen(cmd, env=environ)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the web app exited with code {proc.returncode} before answering")
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the web app did not answer /healthz within {timeout:.0f} s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def warm(base: str, workers: int = 1) -> None:
    """Ask every page of the mix over ``2 * workers`` connections (uvicorn hands each connection to one
    worker), so that each worker has computed its presets and built its pages before the measurement."""

    async def one() -> None:
        conn = Connection(base, {"Accept-Encoding": "gzip"})
        try:
            await conn.request("GET", "/methodologies.json")  # runs every preset (the catalogue's status)
            name, territory, indicator, low, _high = WHAT_IFS[0]
            body = {"values": [{"territory": territory, "indicator": indicator, "value": low}]}
            # the what-if process starts and computes its presets (a CSRF token: a POST)
            token = await conn.request("GET", "/api/csrf")
            cookie = "; ".join(f"{k}={v}" for k, v in token.cookies.items())
            await conn.request(
                "POST",
                f"/api/whatif/{name}",
                body=json.dumps(body).encode(),
                headers={
                    "Content-Type": "application/json",
                    "X-CSRF-Token": token.json()["csrf_token"],
                    "Cookie": cookie,
                },
            )
            for _ in range(2):
                for url in MAP_URLS:
                    await conn.request("GET", url)
                for code in PROFILE_CODES:
                    await conn.request("GET", f"/territories/{code}.json")
        finally:
            await conn.close()

    await asyncio.gather(*(one() for _ in range(2 * workers)))
