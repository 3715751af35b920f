"""Administration in the browser: users, role grants, the public-reading switch and the audit log.

``GET /admin`` (overview and the public-reading switch), ``/admin/users`` (accounts: create, grant and
revoke a role for a territory, activate and deactivate, reset a password) and ``/admin/audit`` (the audit
log, newest first, filtered and paged; ``.csv`` and ``.xlsx`` downloads) each have a JSON twin
(``/admin.json``, ...). Every change is a ``POST`` carrying the CSRF token (checked by the app-wide guard
before a route runs) and calls one :class:`~aimaq.auth.service.Auth` method, which checks everything, writes
in one transaction with its audit entry, or raises :class:`~aimaq.auth.errors.AuthError` having written
nothing; the page then shows the refusal in the request's language, with the field it is about.

Who may: the actions of ``auth/data/permissions.csv`` (``manage_users``, ``settings``, ``read_audit``:
administrators only). Anonymous visitors are sent to the login page, everyone else gets 403.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from aimaq.auth.errors import REASONS, AuthError
from aimaq.auth.models import ROLES
from aimaq.auth.service import (
    MIN_PASSWORD_LENGTH,
    TERRITORY_BOUND_ROLES,
    Auth,
    Principal,
    check_password,
)
from aimaq.i18n import Translator
from aimaq.services.web.data import N_
from aimaq.services.web.export import FORMATS, table_response
from aimaq.services.web.render import ROLE_LABELS, Lang, render
from aimaq.services.web.routes._auth import get_auth, require_permission

router = APIRouter()

#: Audit entries per page.
PAGE_SIZE = 50
#: The most entries one audit download holds (a filter narrows a larger log).
EXPORT_LIMIT = 100_000

#: What a successful action says on the page it returns to (``?done=<code>&who=<user>``).
DONE: dict[str, str] = {
    "created": N_("User %(user)s was created."),
    "granted": N_("The role was granted to %(user)s."),
    "revoked": N_("The role was taken away from %(user)s."),
    "activated": N_("%(user)s was activated."),
    "deactivated": N_("%(user)s was deactivated; their sessions have ended."),
    "password": N_("The password of %(user)s was reset; their sessions have ended."),
    "public_read_on": N_("Public reading is on: anyone may read published data and results."),
    "public_read_off": N_("Public reading is off: visitors must log in to see anything."),
}

#: :func:`aimaq.auth.service.check_password`'s problems -> message ids (the numbers become placeholders).
PASSWORD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"at least (?P<min>\d+) characters \(got (?P<got>\d+)\)"),
        N_("at least %(min)s characters (got %(got)s)"),
    ),
    (re.compile(r"not one character repeated"), N_("not one character repeated")),
    (re.compile(r"not the user name"), N_("not the user name")),
    (re.compile(r"at most (?P<max>\d+) characters"), N_("at most %(max)s characters")),
)


#: The fields of the "create a user" form sent back to the page after a refusal (never the password).
CREATE_FIELDS = ("username", "display_name", "email", "lang", "role", "territory")


# ---------------------------------------------------------------------------------------------- helpers
def _auth(request: Request) -> Auth:
    auth = get_auth(request)
    if auth is None:
        raise HTTPException(503, "administration needs the database; this app runs over a read-only store")
    return auth


def _territories(request: Request, tr: Translator) -> list[dict[str, str]]:
    """The gazetteer's current territories for the picker: regions and cities first, then the rest."""
    store = request.app.state.data.store
    store = store.store() if callable(getattr(store, "store", None)) else store
    terr = store.territories()
    current = terr[terr["valid_to"].isna()] if "valid_to" in terr else terr
    order = {"country": 0, "region": 1, "city_rs": 1}
    out = [
        {
            "code": str(code),
            "name": str(row.get(f"name_{tr.lang}") or row.get("name_en") or code),
            "level": str(row.get("level") or ""),
        }
        for code, row in current.iterrows()
    ]
    out.sort(key=lambda t: (order.get(t["level"], 2), t["name"]))
    return out


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _password_problems(password: str, repeat: str, username: str, tr: Translator) -> list[str]:
    """The password rules broken, in the page's language (empty: acceptable)."""
    problems = []
    for text in check_password(password, username):
        for pattern, msgid in PASSWORD_RULES:
            found = pattern.fullmatch(text)
            if found:
                problems.append(tr.gettext(msgid) % found.groupdict())
                break
        else:
            problems.append(text)
    if password != repeat:
        problems.append(tr.gettext("the two passwords differ"))
    return problems


def _refusal(exc: AuthError, tr: Translator, field: str) -> dict[str, str]:
    """An error row for the page: the field, the reason in the page's language, and the exact message."""
    reason = tr.gettext(REASONS[exc.reason]) if exc.reason in REASONS else exc.reason
    return {"field": field, "reason": exc.reason, "message": reason, "detail": exc.message}


def _done(request: Request, tr: Translator, known: set[str] | None = None) -> str | None:
    code, who = request.query_params.get("done"), request.query_params.get("who", "")
    if code not in DONE or (known is not None and who not in known):
        return None  # a made-up banner (a link with any ?who=) is not shown
    return tr.gettext(DONE[code]) % {"user": who}


def _redirect(path: str, done: str, who: str = "", anchor: str = "") -> RedirectResponse:
    query = urlencode({"done": done, "who": who} if who else {"done": done})
    return RedirectResponse(f"{path}?{query}{anchor}", status_code=303)


def _text(value: Any) -> str | None:
    """A text cell of a frame, None for a missing one (pandas gives NaN, which JSON cannot carry)."""
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _when(value: Any) -> str | None:
    """A UTC time as ``2026-11-23 14:05 UTC`` (None stays None)."""
    if value is None or (not isinstance(value, dt.datetime) and pd.isna(value)):
        return None
    return f"{pd.Timestamp(value).to_pydatetime():%Y-%m-%d %H:%M} UTC"


# ---------------------------------------------------------------------------------------------- overview
def _overview(
    request: Request,
    tr: Translator,
    *,
    errors: list[dict[str, str]] | None = None,
    as_json: bool = False,
    status: int = 200,
) -> Response:
    auth = _auth(request)
    users = auth.users()
    admins = [
        u
        for u, roles in zip(users["username"], users["roles"], strict=True)
        if "administrator" in str(roles).split("; ")
    ]
    recent = auth.audit(limit=10, newest_first=True)
    page = {
        "users": len(users),
        "active_users": int(users["active"].sum()) if len(users) else 0,
        "administrators": admins,
        "public_read": bool(auth.public_read),
        "audit_entries": auth.count_audit(),
        "recent": [_entry(r) for r in recent.to_dict("records")],
        "errors": errors or [],
        "done": _done(request, tr),
        "links": {"users": "/admin/users", "audit": "/admin/audit"},
    }
    title = tr.gettext("Administration")
    return render(request, tr, "admin.html", page, title=title, as_json=as_json, status_code=status)


@router.get("/admin.json", tags=["admin"], summary="Administration overview (administrators)")
def admin_json(request: Request, tr: Lang) -> Response:
    """Counts of users and audit entries, the administrators, the public-reading switch, recent entries."""
    require_permission(request, "manage_users")
    return _overview(request, tr, as_json=True)


@router.get("/admin", include_in_schema=False)
def admin_page(request: Request, tr: Lang) -> Response:
    """The administration overview."""
    require_permission(request, "manage_users")
    return _overview(request, tr)


@router.post("/admin/public-read", include_in_schema=False)
def public_read(
    request: Request,
    tr: Lang,
    public_read: Annotated[str, Form(max_length=8)] = "",
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Switch public reading on or off; refused unless the confirmation box is ticked."""
    user = require_permission(request, "settings")
    errors = []
    if public_read not in ("on", "off"):
        errors.append(
            {
                "field": "public_read",
                "reason": "bad_value",
                "message": tr.gettext("Choose on or off."),
                "detail": f"public_read {public_read!r}: write on or off",
            }
        )
    if confirm != "yes":
        errors.append(
            {
                "field": "confirm",
                "reason": "bad_value",
                "message": tr.gettext("Tick the box to confirm; nothing was changed."),
                "detail": "confirm: required",
            }
        )
    if errors:
        return _overview(request, tr, errors=errors, as_json=_wants_json(request), status=422)
    _auth(request).set_public_read(public_read == "on", actor=user.username)
    cache = getattr(request.app.state, "response_cache", None)
    if cache is not None:  # pages kept for anonymous visitors must not outlive the switch in this worker
        cache.clear()
    return _redirect("/admin", f"public_read_{public_read}")


# ---------------------------------------------------------------------------------------------- users
def _grant_rows(roles: str, names: dict[str, str], tr: Translator) -> list[dict[str, Any]]:
    out = []
    for text in filter(None, str(roles or "").split("; ")):
        role, _, territory = text.partition("@")
        out.append(
            {
                "role": role,
                "label": tr.gettext(ROLE_LABELS[role]) if role in ROLE_LABELS else role,
                "territory": territory or None,
                "territory_name": names.get(territory, territory) if territory else None,
            }
        )
    return out


def _users(
    request: Request,
    tr: Translator,
    *,
    errors: list[dict[str, str]] | None = None,
    form: dict[str, str] | None = None,
    as_json: bool = False,
    status: int = 200,
) -> Response:
    auth = _auth(request)
    frame = auth.users()
    last = auth.last_logins()
    territories = _territories(request, tr)
    names = {t["code"]: t["name"] for t in territories}
    users = [
        {
            "username": r["username"],
            "display_name": _text(r["display_name"]),
            "email": _text(r["email"]),
            "lang": _text(r["lang"]),
            "active": bool(r["active"]),
            "grants": _grant_rows(r["roles"], names, tr),
            "last_login": _when(last.get(r["username"])),
            "locked_until": _when(r["locked_until"]),
            "created_at": _when(r["created_at"]),
        }
        for r in frame.to_dict("records")
    ]
    page = {
        "users": users,
        "roles": [
            {
                "code": r,
                "label": tr.gettext(ROLE_LABELS.get(r, r)),
                "needs_territory": r in TERRITORY_BOUND_ROLES,
            }
            for r in ROLES
        ],
        "territories": territories,
        "errors": errors or [],
        "form": dict.fromkeys(CREATE_FIELDS, "") | (form or {}),
        "min_password_length": MIN_PASSWORD_LENGTH,
        "done": _done(request, tr, {u["username"] for u in users}),
    }
    title = tr.gettext("Users and roles")
    return render(request, tr, "admin_users.html", page, title=title, as_json=as_json, status_code=status)


@router.get(
    "/admin/users.json", tags=["admin"], summary="Users with roles, last login, lock (administrators)"
)
def users_json(request: Request, tr: Lang) -> Response:
    """Every account: roles with territories, active, last login, locked until; the roles and territories
    the forms offer."""
    require_permission(request, "manage_users")
    return _users(request, tr, as_json=True)


@router.get("/admin/users", include_in_schema=False)
def users_page(request: Request, tr: Lang) -> Response:
    """The users page with its forms."""
    require_permission(request, "manage_users")
    return _users(request, tr)


def _refused(
    request: Request, tr: Translator, errors: list[dict[str, str]], form: dict[str, str]
) -> Response:
    return _users(request, tr, errors=errors, form=form, as_json=_wants_json(request), status=422)


@router.post("/admin/users", include_in_schema=False)
def create_user(
    request: Request,
    tr: Lang,
    username: Annotated[str, Form(max_length=256)] = "",
    display_name: Annotated[str, Form(max_length=255)] = "",
    email: Annotated[str, Form(max_length=255)] = "",
    lang: Annotated[str, Form(max_length=8)] = "",
    password: Annotated[str, Form(max_length=2048)] = "",
    password_repeat: Annotated[str, Form(max_length=2048)] = "",
    role: Annotated[str, Form(max_length=32)] = "",
    territory: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Create an account, with one first role if chosen, in one transaction."""
    admin = require_permission(request, "manage_users")
    form = {
        "username": username,
        "display_name": display_name,
        "email": email,
        "lang": lang,
        "role": role,
        "territory": territory,
    }
    # never the password back into the page
    name = username.strip().lower()
    problems = _password_problems(password, password_repeat, name, tr)
    if problems:
        errors = [
            {"field": "password", "reason": "weak_password", "message": p, "detail": p} for p in problems
        ]
        return _refused(request, tr, errors, form)
    try:
        _auth(request).create_user(
            name,
            password,
            actor=admin.username,
            display_name=display_name.strip() or None,
            email=email.strip() or None,
            lang=lang or None,
            grants=[(role, territory or None)] if role else (),
        )
    except AuthError as exc:
        field = {
            "bad_username": "username",
            "duplicate_user": "username",
            "weak_password": "password",
            "bad_value": "lang",
        }.get(exc.reason, "role")
        return _refused(request, tr, [_refusal(exc, tr, field)], form)
    return _redirect("/admin/users", "created", name, f"#user-{name}")


def _user_action(request: Request, tr: Translator, username: str, done: str, action: Any) -> Response:
    """Run ``action(auth, admin)``; back to the users page, or the page with the refusal (nothing written)."""
    admin = require_permission(request, "manage_users")
    try:
        action(_auth(request), admin)
    except AuthError as exc:
        return _refused(request, tr, [_refusal(exc, tr, f"user-{username}")], {})
    return _redirect("/admin/users", done, username, f"#user-{username}")


@router.post("/admin/users/{username}/active", include_in_schema=False)
def set_active(
    request: Request, tr: Lang, username: str, active: Annotated[str, Form(max_length=1)] = ""
) -> Response:
    """Activate (``active=1``) or deactivate (``active=0``: the user's sessions end) an account."""
    require_permission(request, "manage_users")
    if active not in ("0", "1"):
        refusal = _refusal(AuthError("bad_value", f"active {active!r}: write 1 or 0"), tr, f"user-{username}")
        return _refused(request, tr, [refusal], {})

    def run(auth: Auth, admin: Principal) -> None:
        auth.set_active(username, active == "1", actor=admin.username)

    return _user_action(request, tr, username, "activated" if active == "1" else "deactivated", run)


@router.post("/admin/users/{username}/password", include_in_schema=False)
def reset_password(
    request: Request,
    tr: Lang,
    username: str,
    password: Annotated[str, Form(max_length=2048)] = "",
    password_repeat: Annotated[str, Form(max_length=2048)] = "",
) -> Response:
    """Set a new password (the rules of ``check_password``); unlocks and ends the user's sessions."""
    require_permission(request, "manage_users")
    problems = _password_problems(password, password_repeat, username, tr)
    if problems:
        field = f"user-{username}"
        errors = [{"field": field, "reason": "weak_password", "message": p, "detail": p} for p in problems]
        return _refused(request, tr, errors, {})

    def run(auth: Auth, admin: Principal) -> None:
        auth.reset_password(username, password, actor=admin.username)

    return _user_action(request, tr, username, "password", run)


#: The two role changes: ``Auth`` method -> the ``done`` code of the page it returns to.
ROLE_CHANGES = {"grant": "granted", "revoke": "revoked"}


# Registered after /active and /password, whose fixed last segment would otherwise match {change}.
@router.post("/admin/users/{username}/{change}", include_in_schema=False)
def change_role(
    request: Request,
    tr: Lang,
    username: str,
    change: Literal["grant", "revoke"],
    role: Annotated[str, Form(max_length=32)] = "",
    territory: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Give the user a role (``grant``) or take it away (``revoke``), nationally or for a territory; the last
    active administrator keeps theirs."""

    def run(auth: Auth, admin: Principal) -> None:
        getattr(auth, change)(username, role, territory or None, actor=admin.username)

    return _user_action(request, tr, username, ROLE_CHANGES[change], run)


# ---------------------------------------------------------------------------------------------- audit
def _shown(value: Any) -> str:
    """One old or new value as text: strings as they are, the rest as JSON (``true``, ``12.5``, ``null``)."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def changes(old: Any, new: Any) -> list[dict[str, str | None]]:
    """What an audit entry changed, field by field: ``{"field", "old", "new"}`` (None: no value on that side).

    Records (dicts) list the fields that differ, or every field when only one side exists (a creation, a
    revoked grant); plain values give one row with field "".

    Examples
    --------
    >>> changes({"active": True, "lang": "kk"}, {"active": False, "lang": "kk"})
    [{'field': 'active', 'old': 'true', 'new': 'false'}]
    >>> changes(None, {"role": "akimat", "territory": "karaganda"})[1]
    {'field': 'territory', 'old': None, 'new': 'karaganda'}
    >>> changes(True, False)
    [{'field': '', 'old': 'true', 'new': 'false'}]
    """
    if isinstance(old, dict) or isinstance(new, dict):
        before = old if isinstance(old, dict) else {}
        after = new if isinstance(new, dict) else {}
        both = isinstance(old, dict) and isinstance(new, dict)
        return [
            {
                "field": key,
                "old": _shown(before[key]) if key in before else None,
                "new": _shown(after[key]) if key in after else None,
            }
            for key in dict.fromkeys([*before, *after])
            if not both or before.get(key) != after.get(key)
        ]
    if old is None and new is None:
        return []
    return [
        {
            "field": "",
            "old": None if old is None else _shown(old),
            "new": None if new is None else _shown(new),
        }
    ]


def _readable(rows: list[dict[str, str | None]]) -> str:
    """``active: true → false; lang: → kk`` (the CSV column)."""
    parts = []
    for c in rows:
        head = f"{c['field']}: " if c["field"] else ""
        parts.append(f"{head}{c['old'] or ''} → {c['new'] or ''}".strip())
    return "; ".join(parts)


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": int(row["id"]),
        "at": _when(row["at"]),
        "actor": row["actor"],
        "action": row["action"],
        "entity": row["entity"],
        "key": _text(row["entity_key"]),
        "territory": _text(row["territory"]),
        "changes": changes(row["old"], row["new"]),
        "detail": _text(row["detail"]),
    }


#: The audit page's filters: query parameter -> ``Auth.audit`` keyword.
FILTERS = {
    "user": "user",
    "action": "action",
    "table": "entity",
    "territory": "territory",
    "since": "since",
    "until": "until",
}


def _filters(request: Request, tr: Translator) -> tuple[dict[str, str], dict[str, str], list[dict[str, str]]]:
    """The filters asked (as typed), as ``Auth.audit`` keywords, and the problems with the dates."""
    asked = {k: request.query_params.get(k, "").strip()[:64] for k in FILTERS}
    kwargs, errors = {}, []
    for key, value in asked.items():
        if not value:
            continue
        if key in ("since", "until"):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                errors.append(
                    {
                        "field": key,
                        "reason": "bad_value",
                        "message": tr.gettext("Write the date as YYYY-MM-DD, e.g. 2026-11-23."),
                        "detail": f"{key} {value!r}: not a date",
                    }
                )
                continue
        kwargs[FILTERS[key]] = value
    return asked, kwargs, errors


def _audit(request: Request, tr: Translator, page_no: int, *, as_json: bool = False) -> Response:
    auth = _auth(request)
    asked, kwargs, errors = _filters(request, tr)
    total = 0 if errors else auth.count_audit(**kwargs)
    pages = max(1, -(-total // PAGE_SIZE))
    page_no = min(max(page_no, 1), pages)
    frame = (
        auth.audit(**kwargs, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE, newest_first=True)
        if total
        else None
    )
    query = {k: v for k, v in asked.items() if v}
    page = {
        "filters": asked,
        "errors": errors,
        "done": None,
        "total": total,
        "page": page_no,
        "pages": pages,
        "page_size": PAGE_SIZE,
        "entries": [] if frame is None else [_entry(r) for r in frame.to_dict("records")],
        "territories": _territories(request, tr),
        "previous": None if page_no <= 1 else f"/admin/audit?{urlencode(query | {'page': page_no - 1})}",
        "next": None if page_no >= pages else f"/admin/audit?{urlencode(query | {'page': page_no + 1})}",
        "downloads": {
            fmt: f"/admin/audit.{fmt}" + (f"?{urlencode(query)}" if query else "") for fmt in FORMATS
        },
    }
    title = tr.gettext("Audit log")
    status = 422 if errors else 200
    return render(request, tr, "admin_audit.html", page, title=title, as_json=as_json, status_code=status)


@router.get("/admin/audit.json", tags=["admin"], summary="The audit log, newest first (administrators)")
def audit_json(request: Request, tr: Lang, page: Annotated[int, Query(ge=1)] = 1) -> Response:
    """Entries newest first, 50 a page, with old -> new per field; filters ``user``, ``action``, ``table``,
    ``territory``, ``since`` and ``until`` (dates, inclusive)."""
    require_permission(request, "read_audit")
    return _audit(request, tr, page, as_json=True)


@router.get("/admin/audit.{fmt}", tags=["admin"], summary="The audit log as CSV or XLSX (administrators)")
def audit_download(request: Request, tr: Lang, fmt: str) -> Response:
    """Every entry matching the filters (at most 100 000), newest first, old and new as JSON and readably."""
    require_permission(request, "read_audit")
    if fmt not in FORMATS:
        raise HTTPException(404, f"/admin/audit.{fmt}: download as .csv or .xlsx")
    _asked, kwargs, errors = _filters(request, tr)
    if errors:
        raise HTTPException(422, "; ".join(e["detail"] for e in errors))
    frame = _auth(request).audit(**kwargs, limit=EXPORT_LIMIT, newest_first=True)
    out = pd.DataFrame(
        {
            "id": frame["id"],
            "at": [_when(v) for v in frame["at"]],
            "actor": frame["actor"],
            "action": frame["action"],
            "table": frame["entity"],
            "key": frame["entity_key"],
            "territory": frame["territory"],
            "change": [_readable(changes(o, n)) for o, n in zip(frame["old"], frame["new"], strict=True)],
            "old": [None if v is None else json.dumps(v, ensure_ascii=False) for v in frame["old"]],
            "new": [None if v is None else json.dumps(v, ensure_ascii=False) for v in frame["new"]],
            "detail": frame["detail"],
        }
    )
    return table_response(out, fmt, "aimaq-audit", sheet="audit")


@router.get("/admin/audit", include_in_schema=False)
def audit_page(request: Request, tr: Lang, page: Annotated[int, Query(ge=1)] = 1) -> Response:
    """The audit log page."""
    require_permission(request, "read_audit")
    return _audit(request, tr, page)
