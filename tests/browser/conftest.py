"""One uvicorn server for all browser tests, over a temporary store with the bundled data, and Chromium.

The server runs in a thread on a free localhost port. The store is :class:`aimaq.store.repository.Store`
initialised in a temporary SQLite file with ``store/bundled``; while the bundled data does not load, the tests
fall back to the transcribed seed tables of ``tests/services/web/_seed_store.py`` and say so.

Chromium is Debian's ``/usr/bin/chromium`` (``bash scripts/install-browser.sh`` installs it); Playwright's own
browser download is never used.
"""

from __future__ import annotations

import importlib.util
import socket
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
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
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # One server per worker: with `pytest -n 2 --dist loadgroup` all browser tests run on the same worker.
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.xdist_group("browser"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _seed_store_module():
    path = Path(__file__).resolve().parents[1] / "services" / "web" / "_seed_store.py"
    name = "aimaq_tests_web_seed_store"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory):
    from aimaq.store.repository import Store

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('browser_store') / 'aimaq.sqlite'}")
    try:
        store.init(load_bundled=True)
        return store, None
    except Exception as exc:  # the bundled data is being written in parallel
        warnings.warn(
            f"browser tests use seed tables: the bundled store does not load ({exc!s:.200})", stacklevel=1
        )
        module = _seed_store_module()
        return module.SeedStore(), module.make_bundled_dir(tmp_path_factory.mktemp("bundled"))


@pytest.fixture(scope="session")
def make_user(web_store) -> Callable[..., str]:
    """``make_user(name, password, grants=[(role, territory)])``: an account in the live server's store, with
    a cheap password hash; skips the test when the server runs over seed tables without a database."""
    store, _bundled = web_store

    def make(name: str, password: str, grants: list[tuple[str, str | None]]) -> str:
        if getattr(store, "engine", None) is None:
            pytest.skip("the live server runs over the transcribed seed tables: no database for logins")
        from argon2 import PasswordHasher

        from aimaq.auth.service import Auth

        auth = Auth(store, hasher=PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
        auth.create_user(name, password, actor="cli:browser-test", grants=grants)
        return name

    return make


@pytest.fixture(scope="session")
def live_server(web_store) -> Iterator[str]:
    """The base URL of the app served by uvicorn in a thread."""
    import uvicorn

    from aimaq.services.web.app import Settings, create_app

    store, bundled_dir = web_store
    # warm_results: the presets are computed in a thread while the first tests look at the map; the
    # uncertainty runs start when a page asks (the pages' polling is what the tests look at)
    settings = Settings(
        bundled_dir=bundled_dir, default_language="en", warm_results=True, warm_uncertainty=False
    )
    app = create_app(store, settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start within 30 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/install-browser.sh` (as root) first")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@dataclass
class Watched:
    """A page with everything it requested and every console error, for the offline/no-error checks."""

    page: object
    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [
            u for u in self.requests if not u.startswith(self.base) and not u.startswith(("data:", "blob:"))
        ]

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture()
def watched(browser, live_server) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    w = Watched(page, live_server)
    page.on("request", lambda r: w.requests.append(r.url))
    page.on("console", lambda m: w.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: w.errors.append(str(e)))
    yield w
    context.close()
