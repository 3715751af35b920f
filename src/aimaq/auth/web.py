"""Framework-free glue for the web app: cookie names and settings, and one check per request that finds the
logged-in user and enforces CSRF on unsafe methods. The web app (FastAPI) wraps :func:`check_request` in a
dependency; nothing here imports a web framework, so the rules are tested without one.

Use (in ``services/web``)::

    user = check_request(auth, secret, method=request.method, cookies=request.cookies,
                         form_token=form.get(CSRF_FIELD), header_token=request.headers.get(CSRF_HEADER))
    response.set_cookie(SESSION_COOKIE, token, **cookie_options(secure=True, max_age=auth.session_ttl))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from aimaq.auth.csrf import validate_token
from aimaq.auth.service import Auth, Principal

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "PRESESSION_COOKIE",
    "SAFE_METHODS",
    "SESSION_COOKIE",
    "check_request",
    "cookie_options",
]

#: The login session cookie (the token; the database keeps its hash).
SESSION_COOKIE = "aimaq_session"
#: A random value set for anonymous visitors, so that the login form's CSRF token has a session to bind to.
PRESESSION_COOKIE = "aimaq_presession"
#: The hidden form field and the header (for fetch() calls) that carry the CSRF token.
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
#: Methods that change nothing (RFC 9110, 9.2.1) and so need no CSRF token.
SAFE_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def cookie_options(*, secure: bool = True, max_age: dt.timedelta | int | None = None) -> dict[str, Any]:
    """Keyword arguments for ``Response.set_cookie`` (Starlette): HttpOnly, SameSite=Lax, Path=/, Secure.

    OWASP Session Management Cheat Sheet, "Cookies": ``Secure`` (only over HTTPS; ``secure=False`` for plain
    HTTP on the loopback during development), ``HttpOnly`` (no script access), ``SameSite=Lax`` (not sent on
    cross-site form posts), no ``Domain`` (this host only).

    Examples
    --------
    >>> cookie_options(max_age=dt.timedelta(hours=1))
    {'httponly': True, 'samesite': 'lax', 'path': '/', 'secure': True, 'max_age': 3600}
    """
    options: dict[str, Any] = {"httponly": True, "samesite": "lax", "path": "/", "secure": secure}
    if max_age is not None:
        seconds = max_age.total_seconds() if isinstance(max_age, dt.timedelta) else max_age
        options["max_age"] = int(seconds)
    return options


def check_request(
    auth: Auth | None,
    secret: str,
    *,
    method: str,
    cookies: Mapping[str, str],
    form_token: str | None = None,
    header_token: str | None = None,
) -> Principal | None:
    """The logged-in user of a request (None when anonymous), after the CSRF check of an unsafe method.

    An unsafe method (POST, PUT, PATCH, DELETE) must carry a token made for the request's session cookie
    (or, before login, its pre-session cookie) in the form field or the header. ``auth`` None (an app over a
    store without a database) checks the token only; nobody is logged in.

    Raises
    ------
    aimaq.auth.csrf.CSRFError
        For an unsafe method without a valid token (the web app answers 403).
    """
    session_token = cookies.get(SESSION_COOKIE)
    if method.upper() not in SAFE_METHODS:
        bound_to = session_token or cookies.get(PRESESSION_COOKIE)
        validate_token(secret, form_token or header_token, bound_to)
    return auth.validate_session(session_token) if (auth is not None and session_token) else None
