"""Rendered answers kept as bytes, served by a pure-ASGI middleware before FastAPI is reached.

A page of the app depends only on the store's data, its address and the language, and the page dicts are
already cached per store snapshot (:mod:`aimaq.services.web.data`). What a cached dict still costs per
request is the framework: routing, dependency injection, a thread of the pool for the ``def`` endpoint,
serialising or templating, and compressing the answer again. Under 50 concurrent clients that, not the
data, was the time (profiled with py-spy: thread hand-offs, gzip and socket writes, docs/web.md).

:class:`ResponseCache` keeps the finished answer of an anonymous ``GET`` of a read-only page: the body, its
gzip form (compressed once) and an ETag, keyed by path, query, language cookie and ``Accept-Language``. An
entry is served while

- the store snapshot it was built from is still the current one (:attr:`WebData.current
  <aimaq.services.web.data.WebData.current>`): an import, or ``WebData.invalidate()`` after a write, makes
  every entry of the old data unreachable at once; and
- it is younger than ``Settings.cache_ttl``, so a page that also shows something outside the snapshot is
  never older than the snapshot's own delay.

Nothing else is cached: a request with a login session (or any cookie but the language and pre-session
ones), an HTML page bound to a visitor (its CSRF token: every page once a pre-session exists), other
methods, answers other than 200, answers that set a cookie or say ``Cache-Control: no-store``/``private``,
and addresses outside :data:`CACHED_PREFIXES` (downloads, the workflow, login) go through the app as before.
Concurrent misses of one key wait for the first one instead of building the same page 50 times; while
an entry that is only too old is rebuilt, the others get the old one.

:func:`install` puts it innermost, inside the pre-session and site-header middlewares, so that a hit still
gets their cookies and headers. It answers before FastAPI's app-wide ``guard`` dependency: an anonymous
answer is only kept after the guard let it through, and for at most ``cache_ttl`` seconds. Switching public
reading off in the administration page empties the cache of that worker at once (the middleware puts itself
at ``app.state.response_cache``); the other workers' caches stop serving within ``cache_ttl`` seconds.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aimaq.auth.web import PRESESSION_COOKIE

__all__ = ["CACHED_PREFIXES", "CACHED_TYPES", "ResponseCache", "cacheable_path", "install"]

#: Read-only pages and their JSON twins (docs/web.md, "Pages and their JSON"). An address is cached when it
#: equals a prefix or starts with it followed by ``/``, ``.`` or ``?``.
CACHED_PREFIXES: tuple[str, ...] = (
    "/map",
    "/territories",
    "/rankings",
    "/methodologies",
    "/compare",
    "/seeds",
    "/about",
    "/api/geo",
    "/api/docs",
    "/api/openapi.json",
)
#: Downloads are built on request and not kept (a PDF or XLSX per profile would fill the memory bound).
EXCLUDED_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx", ".pdf", ".png", ".svg")
#: Answers whose media type is one of these are kept.
CACHED_TYPES: tuple[bytes, ...] = (b"application/json", b"application/geo+json", b"text/html")
#: Bodies shorter than this are sent as they are (gzip would add more than it saves).
GZIP_MIN = 1024
#: Bodies larger than this are passed through and not kept.
MAX_BODY = 8 * 1024 * 1024


def install(app: Any) -> None:
    """Add :class:`ResponseCache` to ``app`` as its innermost middleware (call before the first request);
    a second call changes nothing."""
    if not any(m.cls is ResponseCache for m in app.user_middleware):
        app.user_middleware.append(Middleware(ResponseCache))


def _is_json(path: str) -> bool:
    return path.endswith((".json", ".geojson")) or (path.startswith("/api/") and path != "/api/docs")


def cacheable_path(path: str) -> bool:
    """Whether the answer at ``path`` may be kept (see :data:`CACHED_PREFIXES`).

    Examples
    --------
    >>> [cacheable_path(p) for p in ("/", "/map.json", "/territories/abai", "/login", "/mapx")]
    [True, True, True, False, False]
    >>> cacheable_path("/territories/abai.pdf"), cacheable_path("/methodologies/x/whatif")
    (False, True)
    """
    if path == "/":
        return True
    if path.endswith(EXCLUDED_SUFFIXES):
        return False
    for prefix in CACHED_PREFIXES:
        if path.startswith(prefix) and (len(path) == len(prefix) or path[len(prefix)] in "/.?"):
            return True
    return False


@dataclass(frozen=True)
class _Entry:
    snapshot: Any
    created: float
    headers: tuple[tuple[bytes, bytes], ...]  # without content-length, content-encoding, etag
    plain: bytes
    packed: bytes | None  # gzip form, None when not worth it
    etag: bytes
    size: int


_DROPPED = {b"content-length", b"content-encoding", b"etag"}
_PRESESSION = PRESESSION_COOKIE.encode()


class ResponseCache:
    """Pure-ASGI middleware serving finished answers from memory (see the module docstring).

    Parameters
    ----------
    app : ASGIApp
        The rest of the middleware stack and the FastAPI app.
    max_bytes : int, default 64 MiB
        Bound on the kept bodies (plain + gzip); the oldest entries go first.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self._bytes = 0
        self._pending: dict[tuple, asyncio.Future[None]] = {}
        self.hits = 0
        self.misses = 0

    # ------------------------------------------------------------------ keys and freshness
    @staticmethod
    def _key(scope: Scope, cookie_name: bytes) -> tuple | None:
        """The cache key of a request, or None when its answer must come from the app."""
        path = scope["path"]
        if scope["method"] != "GET" or not cacheable_path(path):
            return None
        json_answer = _is_json(path)
        # An HTML page carries a CSRF token bound to the visitor's (pre-)session: never shared.
        if not json_answer and scope.get("state", {}).get("presession"):
            return None
        lang_cookie = accept_language = b""
        for name, value in scope["headers"]:
            if name == b"cookie":
                for part in value.split(b";"):
                    cname, _, cvalue = part.strip().partition(b"=")
                    if cname == cookie_name:
                        lang_cookie = cvalue
                    elif cname == _PRESESSION and json_answer:
                        continue  # JSON answers show no token: the pre-session does not change them
                    elif cname:
                        return None  # a login session, or a cookie this module knows nothing about
            elif name == b"accept-language":
                accept_language = value
        return (path, scope["query_string"], lang_cookie, accept_language)

    @staticmethod
    def _state(scope: Scope) -> tuple[Any, float, bytes] | None:
        """(current snapshot, ttl, language cookie name) of the app, or None outside an aimaq app."""
        app = scope.get("app")
        state = getattr(app, "state", None)
        data = getattr(state, "data", None)
        settings = getattr(state, "settings", None)
        if data is None or settings is None or not hasattr(data, "current"):
            return None
        return data.current, settings.cache_ttl, settings.cookie_name.encode()

    def _fresh(self, key: tuple, snapshot: Any, ttl: float, *, stale: bool = False) -> _Entry | None:
        """The entry of ``key`` built from ``snapshot`` and younger than ``ttl`` (with ``stale``, of any
        age: served while another request rebuilds it); an entry of another snapshot is dropped."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if snapshot is None or entry.snapshot is not snapshot:
            self._drop(key)
            return None
        if not stale and time.monotonic() - entry.created >= ttl:
            return None
        return entry

    def _drop(self, key: tuple) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= entry.size

    def _keep(self, key: tuple, entry: _Entry) -> None:
        self._drop(key)
        self._entries[key] = entry
        self._bytes += entry.size
        while self._bytes > self.max_bytes and self._entries:
            self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()
        self._bytes = 0

    # ------------------------------------------------------------------ ASGI
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        app_state = getattr(scope.get("app"), "state", None)
        if app_state is not None and getattr(app_state, "response_cache", None) is not self:
            # So that a write that changes every page (public reading switched off) can empty it.
            app_state.response_cache = self
        state = self._state(scope)
        key = self._key(scope, state[2]) if state is not None else None
        if key is None or state is None:
            await self.app(scope, receive, send)
            return
        snapshot, ttl, _ = state
        pending = self._pending.get(key)
        # While another request rebuilds an entry that is only too old (same snapshot), the old one is
        # served, as WebData serves the old snapshot while one request re-reads the store.
        entry = self._fresh(key, snapshot, ttl, stale=pending is not None)
        if entry is None and pending is not None:
            # Another request is building this answer: wait for it rather than build it again.
            await asyncio.shield(pending)
            snapshot = self._state(scope)[0]  # type: ignore[index]
            entry = self._fresh(key, snapshot, ttl)
        if entry is not None:
            self.hits += 1
            self._entries.move_to_end(key)
            await _send_entry(entry, scope, send)
            return
        self.misses += 1
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending[key] = done
        try:
            await self._build(key, scope, receive, send, snapshot)
        finally:
            if self._pending.get(key) is done:
                del self._pending[key]
            done.set_result(None)

    async def _build(self, key: tuple, scope: Scope, receive: Receive, send: Send, before: Any) -> None:
        """Run the app, holding its answer back; keep it if it qualifies, then send it."""
        start: Message | None = None
        parts: list[bytes] = []
        size = 0
        passing = False  # too large or streamed in a way not kept: send as it comes

        async def hold(message: Message) -> None:
            nonlocal start, size, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                if message["status"] != 200:
                    passing = True
                    await send(message)
                return
            if message["type"] != "http.response.body":
                # a file or trailers: not kept; what was held goes first
                passing = True
                if start is not None:
                    await send(start)
                    if parts:
                        await send({"type": "http.response.body", "body": b"".join(parts), "more_body": True})
                await send(message)
                return
            body = message.get("body", b"")
            parts.append(body)
            size += len(body)
            if size > MAX_BODY:
                passing = True
                assert start is not None
                await send(start)
                await send({"type": "http.response.body", "body": b"".join(parts), "more_body": True})
                parts.clear()
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            if message.get("more_body", False):
                return
            await self._finish(key, scope, send, start, b"".join(parts), before)

        await self.app(scope, receive, hold)

    async def _finish(
        self, key: tuple, scope: Scope, send: Send, start: Message | None, body: bytes, before: Any
    ) -> None:
        assert start is not None
        headers = list(start.get("headers", []))
        entry = _entry_of(headers, body, before)
        state = self._state(scope)
        # Kept only when one snapshot was current for the whole request (the page was built from it).
        if entry is not None and state is not None and state[0] is before and before is not None:
            self._keep(key, entry)
            await _send_entry(entry, scope, send)
            return
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})


def _entry_of(headers: list[tuple[bytes, bytes]], body: bytes, snapshot: Any) -> _Entry | None:
    """The entry for a finished 200 answer, or None when it must not be kept."""
    encoding = b""
    kept = []
    for name, value in headers:
        lname = name.lower()
        if lname == b"set-cookie":
            return None
        if lname == b"cache-control" and (b"no-store" in value or b"private" in value):
            return None
        if lname == b"content-type" and not value.startswith(CACHED_TYPES):
            return None
        if lname == b"content-encoding":
            encoding = value.strip().lower()
        elif lname not in _DROPPED:
            kept.append((lname, value))
    if encoding == b"gzip":
        packed: bytes | None = body
        plain = gzip.decompress(body)
    elif encoding:
        return None
    else:
        plain = body
        packed = gzip.compress(plain, compresslevel=6, mtime=0) if len(plain) >= GZIP_MIN else None
    if packed is not None and len(packed) >= len(plain):
        packed = None
    if packed is not None:
        vary = [v for n, v in kept if n == b"vary"]
        kept = [(n, v) for n, v in kept if n != b"vary"]
        kept.append((b"vary", b", ".join([*vary, b"Accept-Encoding"])))
    etag = b'"' + hashlib.blake2b(plain, digest_size=12).hexdigest().encode() + b'"'
    size = len(plain) + (len(packed) if packed else 0)
    return _Entry(snapshot, time.monotonic(), tuple(kept), plain, packed, etag, size)


def _accepts_gzip(scope: Scope) -> bool:
    return any(name == b"accept-encoding" and b"gzip" in value for name, value in scope["headers"])


def _etag_matches(scope: Scope, etag: bytes) -> bool:
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            return value.strip() == b"*" or etag in value
    return False


async def _send_entry(entry: _Entry, scope: Scope, send: Send) -> None:
    headers = [*entry.headers, (b"etag", entry.etag)]
    if _etag_matches(scope, entry.etag):
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    body = entry.plain
    if entry.packed is not None and _accepts_gzip(scope):
        body = entry.packed
        headers.append((b"content-encoding", b"gzip"))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
