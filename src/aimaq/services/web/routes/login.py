"""Log in and out: ``GET /login`` (the form), ``POST /login``, ``POST /logout``, ``GET /api/csrf``.

The login form posts a CSRF token bound to the pre-session cookie (``routes/_auth.py``); a successful login
sets the session cookie (``aimaq.auth.web.cookie_options``: HttpOnly, SameSite=Lax, Secure unless plain HTTP
on the loopback) and goes back to ``next`` when that is a path of this site. A wrong password, an unknown
user name and a locked account get the same message, so the form does not tell which user names exist
(OWASP Authentication Cheat Sheet, "Authentication and error messages").
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from aimaq.auth.errors import AuthError
from aimaq.auth.web import SESSION_COOKIE, cookie_options
from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._auth import (
    cookie_secure,
    csrf_token,
    current_user,
    get_auth,
    safe_next,
)

router = APIRouter()


def _page(
    request: Request,
    tr: Lang,
    next_url: str,
    *,
    error: str | None = None,
    username: str = "",
    status: int = 200,
) -> Response:
    auth = get_auth(request)
    page = {
        "next": next_url,
        "error": error,
        "username": username,
        "available": auth is not None,
        "logged_in_as": getattr(current_user(request), "username", None),
    }
    return render(request, tr, "login.html", page, title=tr.gettext("Log in"), status_code=status)


@router.get("/login", include_in_schema=False)
def login_form(request: Request, tr: Lang, next: Annotated[str | None, Query()] = None) -> Response:
    """The login form (in the request's language)."""
    return _page(request, tr, safe_next(next))


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    tr: Lang,
    username: Annotated[str, Form(max_length=256)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password, start a database session, set its cookie and go back to ``next``."""
    auth = get_auth(request)
    target = safe_next(next)
    if auth is None:
        return _page(request, tr, target, error=tr.gettext("Logging in needs the database."), status=503)
    address = request.client.host if request.client else None
    try:
        token, _user = auth.login(
            username, password, user_agent=request.headers.get("user-agent"), address=address
        )
    except AuthError as exc:
        if exc.reason == "inactive":
            message = tr.gettext("This account is deactivated; ask an administrator.")
        else:  # bad_credentials and locked alike: the page must not tell whether the user exists
            message = tr.gettext(
                "Wrong user name or password, or the account is locked for a while after too many failed "
                "attempts. Try again later or ask an administrator."
            )
        return _page(request, tr, target, error=message, username=username[:64], status=401)
    response = RedirectResponse(target, status_code=303)
    options = cookie_options(secure=cookie_secure(request), max_age=auth.session_ttl)
    response.set_cookie(SESSION_COOKIE, token, **options)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    """End the session in the database and drop its cookie."""
    auth = get_auth(request)
    token = request.cookies.get(SESSION_COOKIE)
    if auth is not None and token:
        auth.end_session(token)
    response = RedirectResponse("/", status_code=303)
    options = cookie_options(secure=cookie_secure(request))
    response.delete_cookie(SESSION_COOKIE, **options)
    return response


@router.get("/api/csrf", tags=["auth"], summary="A CSRF token for POST, PUT, PATCH and DELETE requests")
def csrf(request: Request) -> Response:
    """A token to send as the ``X-CSRF-Token`` header (or form field ``csrf_token``) with unsafe requests,
    valid with the cookies this response sets (the pre-session cookie) or the session cookie sent."""
    return JSONResponse({"ok": True, "csrf_token": csrf_token(request), "header": "X-CSRF-Token"})
