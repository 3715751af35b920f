"""The response cache (aimaq.services.web.cache): what is kept, for how long, and what never is."""

from __future__ import annotations

import gzip

import pytest
from fastapi.testclient import TestClient

from aimaq.dataset import Dataset
from aimaq.services.web import cache
from aimaq.services.web.app import Settings, create_app


class SwappableStore:
    """A store whose data a test can replace (as an import in another process would)."""

    def __init__(self, data: Dataset) -> None:
        self.data = data

    def dataset(self) -> Dataset:
        return self.data


@pytest.fixture()
def store(seed_store) -> SwappableStore:
    return SwappableStore(seed_store.data)


@pytest.fixture()
def cached(store, bundled_dir):
    app = create_app(store, Settings(bundled_dir=bundled_dir, default_language="en", cache_ttl=60))
    cache.install(app)
    cache.install(app)  # idempotent: one middleware
    assert sum(m.cls is cache.ResponseCache for m in app.user_middleware) == 1
    with TestClient(app) as c:
        c.get("/healthz")
        # The first page read loads the snapshot: an answer is kept only when one snapshot was current for
        # its whole request, so the first one is not.
        c.get("/territories.json")
        yield c


def _middleware(client: TestClient) -> cache.ResponseCache:
    layer = client.app.middleware_stack
    while not isinstance(layer, cache.ResponseCache):
        layer = layer.app
    return layer


def test_second_read_is_served_from_memory_with_the_same_body(cached) -> None:
    first = cached.get("/map.json?indicator=gerd_internal&period=2020")
    mw = _middleware(cached)
    hits = mw.hits
    again = cached.get("/map.json?indicator=gerd_internal&period=2020")
    assert mw.hits == hits + 1
    assert again.status_code == 200 and again.content == first.content
    assert again.json()["regions"] == first.json()["regions"]
    assert again.headers["content-type"] == "application/json"
    assert "default-src 'self'" in again.headers["content-security-policy"]  # outer middlewares still run


def test_gzip_form_and_etag_revalidation(cached) -> None:
    plain = cached.get("/territories.json", headers={"Accept-Encoding": "identity"})
    packed = cached.get("/territories.json", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["vary"]
    assert packed.content == plain.content  # httpx decoded the gzip body
    etag = plain.headers["etag"]
    assert etag == packed.headers["etag"]
    again = cached.get("/territories.json", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert gzip.decompress(gzip.compress(plain.content)) == plain.content


def test_language_is_part_of_the_key(cached) -> None:
    def get(url: str, **headers: str) -> dict:
        cached.cookies.clear()  # ?lang= is remembered in a cookie; each read here starts without one
        return cached.get(url, headers=headers).json()

    for _ in range(2):  # the second round is served from memory
        en = get("/territories/atyrau.json?lang=en")
        ru = get("/territories/atyrau.json?lang=ru")
        kk = get("/territories/atyrau.json", **{"Accept-Language": "kk"})
        by_cookie = get("/territories/atyrau.json", Cookie="aimaq_lang=ru")
        assert (en["lang"], ru["lang"], kk["lang"], by_cookie["lang"]) == ("en", "ru", "kk", "ru")
        assert len({en["name"], ru["name"], kk["name"]}) == 3 and by_cookie["name"] == ru["name"]


def test_a_change_of_the_data_is_served_at_once_after_invalidate(cached, store, seed_store) -> None:
    url = "/territories/atyrau.json"
    before = cached.get(url).json()
    obs = seed_store.data.observations.copy()
    obs.loc[(obs["territory"] == "atyrau") & (obs["period"] == "2024"), "value"] = 1.0
    store.data = Dataset(obs, seed_store.data.territories, seed_store.data.indicators, seed_store.data.notes)
    assert cached.get(url).json() == before  # within the ttl: the kept answer, like the page cache
    cached.app.state.data.invalidate()  # what a write through this process does
    after = cached.get(url).json()
    assert {o["value"] for o in after["observations"] if o["period"] == "2024"} == {1.0}


def test_entries_expire_with_the_snapshot(store, bundled_dir, monkeypatch) -> None:
    app = create_app(store, Settings(bundled_dir=bundled_dir, default_language="en", cache_ttl=5))
    cache.install(app)
    now = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: now[0])
    monkeypatch.setattr("aimaq.services.web.data.time.monotonic", lambda: now[0])
    with TestClient(app) as c:
        c.get("/territories.json")  # loads the snapshot: not kept
        mw = _middleware(c)
        c.get("/territories.json")  # kept
        c.get("/territories.json")
        assert (mw.hits, mw.misses) == (1, 2)
        now[0] += 6  # past the ttl: the snapshot is re-read (same data: kept) and the answer rebuilt
        c.get("/territories.json")
        c.get("/territories.json")
        assert (mw.hits, mw.misses) == (2, 3)


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/map.json", {"Cookie": "aimaq_session=abc"}),  # a login session: never shared
        ("/map.json", {"Cookie": "tracking=1"}),  # a cookie the cache knows nothing about
        ("/territories/nowhere.json", {}),  # 404
        ("/territories/atyrau.csv", {}),  # downloads are not kept
        ("/healthz", {}),  # not a page
        ("/territories", {}),  # an HTML page carries the visitor's CSRF token
    ],
)
def test_never_kept(cached, url, headers) -> None:
    cached.get(url, headers=headers)
    mw = _middleware(cached)
    hits = mw.hits
    second = cached.get(url, headers=headers)
    assert mw.hits == hits
    assert "etag" not in second.headers


def test_a_post_is_never_answered_from_memory(cached) -> None:
    cached.get("/map.json")
    mw = _middleware(cached)
    hits = mw.hits
    cached.post("/map.json")
    assert mw.hits == hits


def test_cacheable_paths() -> None:
    assert cache.cacheable_path("/map.json") and cache.cacheable_path("/api/geo/regions.geojson")
    assert not cache.cacheable_path("/workflow") and not cache.cacheable_path("/login")
    assert not cache.cacheable_path("/rankings/x.xlsx") and not cache.cacheable_path("/territoriesx")


def test_an_old_entry_is_served_while_one_request_rebuilds_it(monkeypatch, run_async) -> None:
    import asyncio
    from types import SimpleNamespace

    now = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: now[0])
    builds: list[int] = []
    gate: list[asyncio.Event] = []

    async def inner(scope, receive, send) -> None:
        builds.append(1)
        n = len(builds)
        if gate:
            await gate[0].wait()
        headers = [(b"content-type", b"text/html")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": f"build {n}".encode(), "more_body": False})

    snapshot = object()
    settings = SimpleNamespace(cache_ttl=5, cookie_name="aimaq_lang")
    state = SimpleNamespace(data=SimpleNamespace(current=snapshot), settings=settings)
    mw = cache.ResponseCache(inner)

    async def get() -> bytes:
        scope = {"type": "http", "method": "GET", "path": "/about", "query_string": b"", "headers": []}
        scope["app"] = SimpleNamespace(state=state)
        out: list[dict] = []

        async def send(message) -> None:
            out.append(message)

        await mw(scope, None, send)
        return b"".join(m.get("body", b"") for m in out if m["type"] == "http.response.body")

    async def scenario() -> list[bytes]:
        first = await get()
        now[0] += 6  # the entry is older than the ttl; the snapshot is the same
        gate.append(asyncio.Event())
        leader = asyncio.create_task(get())
        for _ in range(5):
            await asyncio.sleep(0)
        during = await asyncio.wait_for(get(), 1)  # not blocked behind the rebuild: the old answer
        gate[0].set()
        rebuilt = await leader
        gate.clear()
        after = await get()
        state.data.current = object()  # new data: the old answer is never served again
        fresh = await get()
        return [first, during, rebuilt, after, fresh]

    assert run_async(scenario()) == [b"build 1", b"build 1", b"build 2", b"build 2", b"build 3"]
