"""One dict, two forms: render a page dict with its template, or return it as JSON (Datasette ``render``).

Also the language of a request: ``?lang=`` (remembered in a cookie), else the cookie, else the browser's
``Accept-Language``, else ``Settings.default_language``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aimaq import __version__
from aimaq.i18n import LANGUAGES, Translator, negotiate, translator
from aimaq.services.web.data import N_

__all__ = [
    "STATIC_DIR",
    "TEMPLATES_DIR",
    "Lang",
    "SiteHeadersMiddleware",
    "error_response",
    "render",
    "request_language",
    "templates_env",
]

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"


def templates_env() -> Environment:
    """The Jinja2 environment: autoescaped, undefined names are errors (a typo fails the page tests)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def request_language(request: Request) -> str:
    """The language of this request (see the module docstring)."""
    settings = request.app.state.settings
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(settings.cookie_name)
    if cookie in LANGUAGES:
        return cookie
    return negotiate(request.headers.get("accept-language")) or settings.default_language


def _translator(request: Request) -> Translator:
    return translator(request_language(request))


#: A route parameter that receives the request's :class:`~aimaq.i18n.Translator`.
Lang = Annotated[Translator, Depends(_translator)]


#: Scripts, styles, images and requests from this origin only: a page that tried to load anything from the
#: internet fails in the browser tests instead of silently working online.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; font-src 'self'; frame-ancestors 'self'"
)


class SiteHeadersMiddleware:
    """Remember an explicit ``?lang=`` in a cookie and add the security headers to every response.

    A plain ASGI middleware (not ``BaseHTTPMiddleware``), so that it adds no task or body copy per request.
    """

    def __init__(self, app: ASGIApp, settings: Any) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        asked = request.query_params.get("lang")
        remember = asked in LANGUAGES and request.cookies.get(self.settings.cookie_name) != asked
        name, max_age = self.settings.cookie_name, self.settings.cookie_max_age
        cookie = f"{name}={asked}; Max-Age={max_age}; Path=/; SameSite=Lax"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if remember:
                    headers.append("Set-Cookie", cookie)
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                # The same address answers in the language of the cookie or Accept-Language.
                headers.add_vary_header("Cookie")
                headers.add_vary_header("Accept-Language")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _url_with(request: Request, **params: Any) -> str:
    query = dict(request.query_params)
    query.update({k: v for k, v in params.items() if v is not None})
    for k in [k for k, v in params.items() if v is None]:
        query.pop(k, None)
    return f"{request.url.path}?{urlencode(query)}" if query else request.url.path


def _json_twin(request: Request) -> str:
    path = request.url.path.rstrip("/") or "/index"
    if path == "/index":
        path = "/map"
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{path}.json{query}"


def script_json(obj: Any) -> str:
    r"""JSON safe inside ``<script type="application/json">``: ``<``, ``>`` and ``&`` escaped as ``\u003c``
    etc., so that no ``</script>`` or ``<!--`` in the data can end the element (as Jinja's ``tojson`` does).

    Examples
    --------
    >>> script_json({"name": "</script><!--"})
    '{"name": "\\u003c/script\\u003e\\u003c!--"}'
    """
    text = json.dumps(obj, ensure_ascii=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _json_bytes(request: Request, page: dict[str, Any], lang: str, title: str, status_code: int) -> bytes:
    """The JSON of a page, serialised once per page dict (pages are cached per store snapshot)."""
    cache: dict[int, tuple[dict[str, Any], tuple[str, str, int], bytes]] = request.app.state.json_cache
    key = (lang, title, status_code)
    hit = cache.get(id(page))
    if hit is not None and hit[0] is page and hit[1] == key:
        return hit[2]
    body = {"ok": status_code < 400, "lang": lang, "title": title} | page
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    if len(cache) > 2000:  # pages of an old snapshot: forget them all
        cache.clear()
    cache[id(page)] = (page, key, data)  # holding the page keeps its id from being reused
    return data


def render(
    request: Request,
    tr: Translator,
    template: str,
    page: dict[str, Any],
    *,
    title: str,
    as_json: bool = False,
    status_code: int = 200,
) -> Response:
    """Serve ``page`` as HTML (``template``) or, with ``as_json``, as JSON with ``ok`` and ``lang`` added.

    Parameters
    ----------
    title : str
        The page title, already translated (shown in ``<title>`` and ``<h1>``, and in the JSON).
    """
    if as_json:
        body = _json_bytes(request, page, tr.lang, title, status_code)
        return Response(body, status_code=status_code, media_type="application/json")
    from aimaq.services.web.routes._auth import csrf_token, current_user, login_url

    user = current_user(request)
    context = {
        "page": page,
        "user": user,
        "user_roles": _role_labels(user, tr),
        "csrf_token": csrf_token(request),
        "login_url": login_url(request) if request.url.path not in ("/login", "/logout") else "/login",
        "title": title,
        "lang": tr.lang,
        "languages": [
            {"code": code, "name": translator(code).language_name, "url": _url_with(request, lang=code)}
            for code in LANGUAGES
        ],
        "_": tr.gettext,
        "ngettext": tr.ngettext,
        "num": tr.format_number,
        "path": request.url.path,
        "request_query": request.url.query,
        "url_with": lambda **kw: _url_with(request, **kw),
        "json_url": _json_twin(request),
        "version": __version__,
        "tojson": script_json,
    }
    html = request.app.state.templates.get_template(template).render(context)
    return HTMLResponse(html, status_code=status_code)


#: Role names shown in the page header (the codes of ``aimaq.auth.models.ROLES``).
ROLE_LABELS: dict[str, str] = {
    "administrator": N_("Administrator"),
    "academy": N_("Academy of Sciences"),
    "council": N_("Science council"),
    "akimat": N_("Akimat"),
    "state_body": N_("State body"),
    "executor": N_("Executor"),
    "viewer": N_("Viewer"),
}


def _role_labels(user: Any, tr: Translator) -> list[str]:
    """``Akimat (karaganda)``: each grant of the user, the role in the page's language."""
    if user is None:
        return []
    out = []
    for g in user.grants:
        label = tr.gettext(ROLE_LABELS[g.role]) if g.role in ROLE_LABELS else g.role
        out.append(f"{label} ({g.territory})" if g.territory else label)
    return out


def wants_json(request: Request) -> bool:
    """Whether an error should be answered in JSON: a ``.json`` or ``/api/`` address."""
    path = request.url.path
    return path.endswith(".json") or path.endswith(".geojson") or path.startswith("/api/")


def error_response(
    request: Request,
    status_code: int,
    detail: str,
    *,
    errors: list[str] | None = None,
    reason: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    """An error page (HTML or ``{"ok": false, "errors": [...]}``) in the request's language.

    Parameters
    ----------
    reason : str, optional
        A reason code (``permission_denied``, ``conflict``, CSRF's ``missing``...), in the JSON and the page.
    extra : dict, optional
        More keys of the page dict (a conflict's ``current_version``, the ``login_url``).
    """
    tr = translator(request_language(request))
    titles = {
        404: tr.gettext("Not found"),
        400: tr.gettext("Bad request"),
        401: tr.gettext("Login required"),
        403: tr.gettext("Not allowed"),
        409: tr.gettext("Changed by someone else"),
        422: tr.gettext("Bad request"),
        503: tr.gettext("The data store is not available"),
    }
    title = titles.get(status_code, tr.gettext("Error"))
    page = {"status": status_code, "detail": detail, "errors": errors or [detail], "reason": reason}
    page |= extra or {}
    return render(
        request, tr, "error.html", page, title=title, as_json=wants_json(request), status_code=status_code
    )
