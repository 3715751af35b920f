"""Who is asking, and may they: login sessions, CSRF and role checks of the web app, in one place.

Every route runs :func:`guard` first (an app-wide dependency set by ``create_app``). It finds the logged-in
user from the session cookie, refuses an unsafe request (POST, PUT, PATCH, DELETE) that does not carry a
valid CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``; :mod:`aimaq.auth.csrf`), and, when
public reading is switched off, sends anonymous visitors to the login page. :class:`PresessionMiddleware`
gives every visitor a random pre-session cookie, so that anonymous forms (the login form) have a session to
bind their token to. Routes then ask::

    from aimaq.services.web.routes._auth import current_user, require_permission, require_user

    @router.get("/workflow/{region}")
    def region_page(request: Request, tr: Lang, region: str) -> Response:
        user = current_user(request)                       # Principal, or None for an anonymous visitor
        ...

    @router.post("/workflow/{region}/needs")
    def add_need(request: Request, tr: Lang, region: str, title: Annotated[str, Form()]) -> Response:
        user = require_permission(request, "steer", region)  # anonymous -> login; wrong role/region -> 403
        ...                                                   # the CSRF token was checked before this runs

Write routes as plain ``def`` (FastAPI runs them in a thread pool): the permission check reads the database.
Every template gets ``csrf_token`` and ``user``; a form that posts carries
``<input type="hidden" name="csrf_token" value="{{ csrf_token }}">`` and a ``fetch()`` call sends the
header ``X-CSRF-Token`` with the value of ``<meta name="csrf-token">`` (``base.html``). A script without a
page asks ``GET /api/csrf`` for a token (it sets the pre-session cookie too).

Errors become responses in :func:`install`: :class:`~aimaq.auth.csrf.CSRFError` and
:class:`~aimaq.auth.errors.PermissionDenied` 403, :class:`~aimaq.auth.errors.ConflictError` 409 (with the
version stored now), :class:`~aimaq.auth.errors.AuthError` 401 for ``bad_credentials`` and ``locked`` and
400 otherwise, :class:`LoginRequired` a redirect to ``/login?next=...`` for a page asked with GET, 401 for
``.json`` and ``/api/`` addresses, 403 for a form posted without login.
"""

from __future__ import annotations

import ipaddress
import secrets
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aimaq.auth.csrf import CSRFError, generate_token, secret_key
from aimaq.auth.errors import AuthError, ConflictError, PermissionDenied
from aimaq.auth.service import Auth, Principal
from aimaq.auth.web import (
    CSRF_FIELD,
    CSRF_HEADER,
    PRESESSION_COOKIE,
    SAFE_METHODS,
    SESSION_COOKIE,
    check_request,
    cookie_options,
)

__all__ = [
    "AuthSource",
    "LoginRequired",
    "PresessionMiddleware",
    "cookie_secure",
    "csrf_token",
    "current_user",
    "get_auth",
    "guard",
    "install",
    "require_permission",
    "require_user",
    "safe_next",
]

#: Paths an anonymous visitor may open when public reading is off (besides the ``/static`` mount).
OPEN_PATHS: frozenset[str] = frozenset({"/login", "/logout", "/healthz", "/api/csrf", "/favicon.ico"})
_OPEN_PREFIXES = ("/static/", "/assets/")
_UNSET = object()


class LoginRequired(Exception):
    """The page or action needs a logged-in user; :func:`install` answers with the login page."""


class AuthSource:
    """The app's :class:`~aimaq.auth.service.Auth` (None when its store has no database) and signing secret,
    both made on first use so that ``create_app()`` touches neither the database nor ``$AIMAQ_HOME``.

    Parameters
    ----------
    make_auth : callable
        Returns the Auth, or None when the app runs over a store without a database (logins impossible,
        public reading on).
    secret : str, optional
        The CSRF signing secret; default :func:`aimaq.auth.csrf.secret_key`.
    """

    def __init__(self, make_auth: Callable[[], Auth | None], secret: str | None = None) -> None:
        self._make_auth = make_auth
        self._auth: Any = _UNSET
        self._secret = secret
        self._lock = threading.Lock()

    @property
    def auth(self) -> Auth | None:
        if self._auth is _UNSET:
            with self._lock:
                if self._auth is _UNSET:
                    self._auth = self._make_auth()
        return self._auth

    @property
    def secret(self) -> str:
        if self._secret is None:
            with self._lock:
                if self._secret is None:
                    self._secret = secret_key()
        return self._secret


def get_auth(request: Request) -> Auth | None:
    """The app's :class:`~aimaq.auth.service.Auth`, or None when its store has no database."""
    return request.app.state.auth.auth


# ---------------------------------------------------------------------------------------------- cookies
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cookie_secure(request: Request) -> bool:
    """Whether cookies get the ``Secure`` flag: ``Settings.cookie_secure`` when set, else always except for
    plain HTTP to a loopback address (``make run`` on 127.0.0.1), where a Secure cookie would be dropped."""
    forced = request.app.state.settings.cookie_secure
    if forced is not None:
        return bool(forced)
    return not (request.url.scheme == "http" and _is_loopback(request.url.hostname))


class PresessionMiddleware:
    """Give every visitor without one a random pre-session cookie (``aimaq_presession``), the value that an
    anonymous form's CSRF token is bound to; the value is in ``request.state.presession`` at once."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if request.cookies.get(PRESESSION_COOKIE):
            await self.app(scope, receive, send)
            return
        value = secrets.token_urlsafe(24)
        scope.setdefault("state", {})["presession"] = value
        options = cookie_options(secure=cookie_secure(request))
        header = f"{PRESESSION_COOKIE}={value}; Path={options['path']}; HttpOnly; SameSite=Lax"
        if options["secure"]:
            header += "; Secure"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("Set-Cookie", header)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _binding(request: Request) -> str | None:
    # The same rule as aimaq.auth.web.check_request: the login session, else the pre-session.
    return (
        request.cookies.get(SESSION_COOKIE)
        or request.cookies.get(PRESESSION_COOKIE)
        or getattr(request.state, "presession", None)
    )


def csrf_token(request: Request) -> str:
    """A CSRF token for forms and ``fetch()`` calls of this request's page ("" when there is no session)."""
    token = getattr(request.state, "csrf_token", None)
    if token is None:
        bound = _binding(request)
        token = generate_token(request.app.state.auth.secret, bound) if bound else ""
        request.state.csrf_token = token
    return token


# ---------------------------------------------------------------------------------------------- users
def current_user(request: Request) -> Principal | None:
    """The logged-in user of the request, or None (anonymous, expired session, or no database)."""
    if not hasattr(request.state, "user"):
        token = request.cookies.get(SESSION_COOKIE)
        auth = get_auth(request)
        try:
            request.state.user = auth.validate_session(token) if (auth and token) else None
        except SQLAlchemyError:
            request.state.user = None
    return request.state.user


def require_user(request: Request) -> Principal:
    """The logged-in user; :class:`LoginRequired` for an anonymous visitor."""
    user = current_user(request)
    if user is None:
        raise LoginRequired(request.url.path)
    return user


def require_permission(request: Request, action: str, territory: str | None = None) -> Principal:
    """The logged-in user if ``permissions.csv`` lets their roles do ``action`` (on ``territory``).

    Raises
    ------
    LoginRequired
        For an anonymous visitor.
    PermissionDenied
        When the user's roles or their territories do not allow it (the message names both).
    """
    user = require_user(request)
    auth = get_auth(request)
    if auth is None:  # no database: nobody can be logged in, so this is not reached with a user
        raise LoginRequired(request.url.path)
    auth.require(user, action, territory)
    return user


def safe_next(value: str | None, default: str = "/") -> str:
    """A same-site path to go back to after login, or ``default``: never another host (open redirect).

    Examples
    --------
    >>> safe_next("/territories/abai?lang=kk")
    '/territories/abai?lang=kk'
    >>> [safe_next(v) for v in ("https://evil.example/", "//evil.example", "/\\\\evil.example", "x:y")]
    ['/', '/', '/', '/']
    """
    if not value or len(value) > 2000 or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path in ("/login", "/logout"):
        return default
    return value


def login_url(request: Request) -> str:
    """``/login?next=<this page>``."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/login?next={quote(here, safe='')}"


# ---------------------------------------------------------------------------------------------- the guard
async def guard(request: Request) -> None:
    """The app-wide dependency: CSRF on unsafe methods, the user, and the public-reading switch.

    Raises
    ------
    CSRFError
        An unsafe method without a valid token (403; nothing has run yet, so nothing was written).
    LoginRequired
        Public reading is off and the visitor is anonymous (except on :data:`OPEN_PATHS` and static files).
    """
    source = request.app.state.auth
    form_token = None
    header_token = request.headers.get(CSRF_HEADER)
    unsafe = request.method.upper() not in SAFE_METHODS
    if unsafe and not header_token:
        kind = request.headers.get("content-type", "")
        if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()  # Starlette keeps it: the route reads the same form
            value = form.get(CSRF_FIELD)
            form_token = value if isinstance(value, str) else None
    cookies = dict(request.cookies)
    if PRESESSION_COOKIE not in cookies and getattr(request.state, "presession", None):
        cookies[PRESESSION_COOKIE] = request.state.presession
    auth = source.auth
    # CSRF first: a forged request learns nothing and changes nothing, whoever it claims to be.
    if auth is None:
        if unsafe:
            check_request(
                None, source.secret, method=request.method, cookies=cookies,
                form_token=form_token, header_token=header_token,
            )  # fmt: skip
        request.state.user = None
        return
    try:
        user = await run_in_threadpool(
            check_request, auth, source.secret, method=request.method, cookies=cookies,
            form_token=form_token, header_token=header_token,
        )  # fmt: skip
        request.state.user = user
        anonymous_here = user is None and not _open(request.url.path)
        if anonymous_here and not await run_in_threadpool(lambda: auth.public_read):
            raise LoginRequired(request.url.path)
    except SQLAlchemyError as exc:
        from aimaq.services.web.data import StoreUnavailable

        # Fail closed (no page while the switch cannot be read), with the data pages' advice.
        raise StoreUnavailable(
            f"cannot read the aimaq store's users and settings ({exc.__class__.__name__}); create it with "
            "`aimaq init`, or point AIMAQ_DATABASE_URL / --db at an existing one"
        ) from exc


def _open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(_OPEN_PREFIXES)


# ---------------------------------------------------------------------------------------------- errors
def _error(
    request: Request, status: int, exc: Exception, reason: str | None = None, **extra: Any
) -> Response:
    from aimaq.services.web.render import error_response

    message = getattr(exc, "message", None) or str(exc)
    return error_response(
        request, status, message, reason=reason or getattr(exc, "reason", None), extra=extra
    )


def _wants_json(request: Request) -> bool:
    from aimaq.services.web.render import wants_json

    return wants_json(request) or "application/json" in request.headers.get("accept", "")


def install(app: FastAPI) -> None:
    """Register the responses to :class:`LoginRequired` and the :mod:`aimaq.auth` errors."""

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _wants_json(request):
            body = {
                "ok": False,
                "status": 401,
                "reason": "login_required",
                "detail": "log in first: POST /login with username, password and csrf_token",
                "login_url": login_url(request),
            }
            return JSONResponse(body, status_code=401)
        if request.method.upper() in ("GET", "HEAD"):
            return RedirectResponse(login_url(request), status_code=303)
        message = LoginRequired("log in first; nothing was done")
        return _error(request, 403, message, reason="login_required", login_url=login_url(request))

    @app.exception_handler(CSRFError)
    async def csrf_refused(request: Request, exc: CSRFError) -> Response:
        return _error(request, 403, exc)

    @app.exception_handler(PermissionDenied)
    async def permission_denied(request: Request, exc: PermissionDenied) -> Response:
        return _error(request, 403, exc)

    @app.exception_handler(ConflictError)
    async def conflict(request: Request, exc: ConflictError) -> Response:
        return _error(request, 409, exc, current_version=exc.found, your_version=exc.expected)

    @app.exception_handler(AuthError)
    async def auth_error(request: Request, exc: AuthError) -> Response:
        return _error(request, 401 if exc.reason in ("bad_credentials", "locked") else 400, exc)
