"""The administration pages (``routes/admin.py``) on SQLite and PostgreSQL: who may open them, every action
end to end (create, grant, revoke, deactivate, reset, public reading), refusals that write nothing, the
audit log with its filters, pages, old -> new values and CSV/XLSX download, escaping and the three languages.

The app runs over the shared ``store_url`` fixture (both backends) with the ``web_store`` of
``test_auth_web.py`` (the fixture bundle plus the RIS3 criteria, so that a granted akimat can be tried on
the RIS3 form of its region).
"""

# ruff: noqa: F401, F811  (web_store is a fixture of test_auth_web.py, imported to be used here)
from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from fastapi.testclient import TestClient
from tests.services.web.test_auth_web import CHEAP, PASSWORD, XSS, _login, _token, web_store

from aimaq.auth.service import Auth
from aimaq.auth.web import SESSION_COOKIE
from aimaq.services.web.app import Settings, create_app
from aimaq.services.web.routes.admin import changes
from aimaq.store.repository import Store

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def auth(web_store: Store) -> Auth:
    a = Auth(web_store, hasher=CHEAP)
    a.create_user("root", PASSWORD, actor="cli:root", grants=[("administrator", None)])
    a.create_user("aigerim", PASSWORD, actor="cli:root", grants=[("akimat", "karaganda")])
    a.create_user("dana", PASSWORD, actor="cli:root", grants=[("viewer", None)])
    return a


def _client(store: Store, auth: Auth) -> TestClient:
    app = create_app(store, Settings(default_language="en", warm_results=False), auth=auth)
    return TestClient(app, base_url="https://testserver")


@pytest.fixture
def admin(web_store: Store, auth: Auth) -> TestClient:
    with _client(web_store, auth) as c:
        assert _login(c, "root").status_code == 303
        yield c


@pytest.fixture
def other(web_store: Store, auth: Auth) -> TestClient:
    """A second browser, for the users the administrator creates or changes."""
    with _client(web_store, auth) as c:
        yield c


def _post(client: TestClient, path: str, page: str = "/admin/users", **data: str):
    token = _token(client.get(page).text)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _create(client: TestClient, name: str, password: str = NEW_PASSWORD, **more: str):
    return _post(client, "/admin/users", username=name, password=password, password_repeat=password, **more)


def _errors(html: str) -> list[str]:
    return re.findall(r'<li data-field="[^"]*" data-reason="([^"]+)"', html)


# ---------------------------------------------------------------------------------------------- who may
def test_anonymous_visitors_go_to_login_and_others_get_403(other: TestClient) -> None:
    for path in ("/admin", "/admin/users", "/admin/audit"):
        answer = other.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=%2Fadmin")
        assert other.get(f"{path}.json").status_code == 401
    assert other.get("/admin/audit.csv", follow_redirects=False).status_code == 303
    _login(other, "aigerim")  # an akimat, not an administrator
    for path in ("/admin", "/admin/users", "/admin/audit", "/admin.json", "/admin/audit.csv"):
        answer = other.get(path)
        assert answer.status_code == 403, path
        assert "aigerim" in answer.text and "administrator" in answer.text
    refused = _post(other, "/admin/users", page="/about", username="mallory", password=NEW_PASSWORD,
                    password_repeat=NEW_PASSWORD)  # fmt: skip
    assert refused.status_code == 403
    assert "Administration" not in other.get("/about").text  # no link for non-administrators


def test_the_overview_links_counts_and_switch(admin: TestClient) -> None:
    page = admin.get("/admin")
    assert page.status_code == 200 and 'id="admin-link"' in page.text
    data = admin.get("/admin.json").json()
    assert data["users"] == 3 and data["active_users"] == 3 and data["administrators"] == ["root"]
    assert data["public_read"] is True and data["audit_entries"] >= 7  # 3 creates, 3 grants, the login
    assert data["recent"][0]["action"] == "login" and data["recent"][0]["actor"] == "root"


# ---------------------------------------------------------------------------------------------- users
def test_create_a_user_who_can_then_log_in(admin: TestClient, other: TestClient, auth: Auth) -> None:
    answer = _create(admin, "Bolat", display_name="Болат С.", email="bolat@example.kz", lang="kk",
                     role="council", territory="abai")  # fmt: skip
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/users?done=created&who=bolat#user-bolat"
    page = admin.get(answer.headers["location"]).text
    assert "User bolat was created." in page and "Болат С." in page
    row = next(u for u in admin.get("/admin/users.json").json()["users"] if u["username"] == "bolat")
    assert row["active"] is True and row["lang"] == "kk" and row["last_login"] is None
    assert [(g["role"], g["territory"]) for g in row["grants"]] == [("council", "abai")]
    assert row["grants"][0]["territory_name"] == "Abai Region"
    users = admin.get("/admin/users.json").json()["users"]
    assert next(u for u in users if u["username"] == "aigerim")["display_name"] is None  # not NaN
    assert _login(other, "bolat", NEW_PASSWORD).status_code == 303
    assert auth.validate_session(other.cookies[SESSION_COOKIE]).username == "bolat"
    row = next(u for u in admin.get("/admin/users.json").json()["users"] if u["username"] == "bolat")
    assert row["last_login"].endswith("UTC")


def test_bad_input_is_refused_with_every_problem_and_nothing_is_written(
    admin: TestClient,
    web_store: Store,
    dump,
) -> None:
    before = dump(web_store)
    weak = _post(admin, "/admin/users", username="bolat", password="aaaaaaa", password_repeat="aaaaaab")
    assert weak.status_code == 422
    assert "at least 10 characters (got 7)" in weak.text and "the two passwords differ" in weak.text
    assert "3 problems; nothing was changed." in weak.text and _errors(weak.text) == ["weak_password"] * 3
    assert 'value="bolat"' in weak.text and "aaaaaaa" not in weak.text  # the password is never sent back
    named = _create(admin, "bolat", password="Bolat")
    assert "not the user name" in named.text
    for fields, reason in [
        ({"username": "x"}, "bad_username"),
        ({"username": "aigerim"}, "duplicate_user"),
        ({"username": "bolat", "role": "akimat"}, "scope_required"),
        ({"username": "bolat", "role": "akimat", "territory": "karagandy"}, "unknown_territory"),
        ({"username": "bolat", "role": "wizard"}, "unknown_role"),
    ]:
        name = fields.pop("username")
        answer = _create(admin, name, **fields)
        assert answer.status_code == 422 and _errors(answer.text) == [reason], (name, fields)
    assert "a user with this name exists" in _create(admin, "aigerim").text
    refused = _post(admin, "/admin/users/aigerim/grant", role="akimat", territory="karaganda")
    assert refused.status_code == 422 and _errors(refused.text) == ["duplicate_grant"]
    assert _post(admin, "/admin/users/nobody/active", active="0").status_code == 422
    assert _post(admin, "/admin/users/aigerim/promote", role="administrator").status_code == 422
    assert _post(admin, "/admin/users/aigerim/active", active="maybe").status_code == 422
    short = _post(admin, "/admin/users/aigerim/password", password="short", password_repeat="short")
    assert short.status_code == 422 and "at least 10 characters (got 5)" in short.text
    assert _post(admin, "/admin/public-read", page="/admin", public_read="off").status_code == 422
    as_json = admin.post(
        "/admin/users",
        data={"csrf_token": _token(admin.get("/admin").text), "username": "x", "password": NEW_PASSWORD,
              "password_repeat": NEW_PASSWORD},
        headers={"Accept": "application/json"},
    )  # fmt: skip
    assert as_json.status_code == 422 and as_json.json()["errors"][0]["reason"] == "bad_username"
    assert dump(web_store) == before  # not even an audit entry


def test_grant_akimat_karaganda_then_the_user_edits_karaganda_only(
    admin: TestClient, other: TestClient
) -> None:
    _create(admin, "saule")
    _login(other, "saule", NEW_PASSWORD)
    assert other.get("/ris3/karaganda").status_code == 403
    granted = _post(admin, "/admin/users/saule/grant", role="akimat", territory="karaganda")
    assert granted.status_code == 303 and "done=granted" in granted.headers["location"]
    assert other.get("/ris3/karaganda").status_code == 200
    assert other.get("/ris3/abai").status_code == 403
    revoked = _post(admin, "/admin/users/saule/revoke", role="akimat", territory="karaganda")
    assert revoked.status_code == 303
    assert other.get("/ris3/karaganda").status_code == 403


def test_deactivate_ends_the_sessions_and_reset_changes_the_password(
    admin: TestClient, other: TestClient, auth: Auth
) -> None:
    _login(other, "aigerim")
    assert other.get("/ris3/karaganda").status_code == 200
    off = _post(admin, "/admin/users/aigerim/active", active="0")
    assert off.status_code == 303
    assert "aigerim was deactivated; their sessions have ended." in admin.get(off.headers["location"]).text
    assert other.get("/ris3/karaganda", follow_redirects=False).status_code == 303  # back to login
    assert _login(other, "aigerim").status_code == 401
    assert _post(admin, "/admin/users/aigerim/active", active="1").status_code == 303
    assert _login(other, "aigerim").status_code == 303
    reset = _post(admin, "/admin/users/aigerim/password", password=NEW_PASSWORD, password_repeat=NEW_PASSWORD)
    assert reset.status_code == 303 and "done=password" in reset.headers["location"]
    assert auth.validate_session(other.cookies[SESSION_COOKIE]) is None  # the reset ended the session
    assert _login(other, "aigerim").status_code == 401
    assert _login(other, "aigerim", NEW_PASSWORD).status_code == 303


def test_the_last_administrator_cannot_deactivate_or_de_administer_themselves(admin: TestClient) -> None:
    own = _post(admin, "/admin/users/root/active", active="0")
    assert own.status_code == 422 and _errors(own.text) == ["last_administrator"]
    assert "the last active administrator cannot be deactivated" in own.text
    revoke = _post(admin, "/admin/users/root/revoke", role="administrator")
    assert revoke.status_code == 422 and _errors(revoke.text) == ["last_administrator"]
    assert admin.get("/admin").status_code == 200  # still an administrator
    _post(admin, "/admin/users/dana/grant", role="administrator")
    assert _post(admin, "/admin/users/root/revoke", role="administrator").status_code == 303
    assert admin.get("/admin").status_code == 403  # done: root is no administrator any more


def test_public_reading_off_needs_confirmation_then_anonymous_visitors_see_login(
    admin: TestClient, other: TestClient, auth: Auth
) -> None:
    assert other.get("/about").status_code == 200
    # an anonymous JSON answer kept by the response cache of the same worker must not outlive the switch
    anonymous = TestClient(admin.app, base_url="https://testserver")
    for _ in range(2):  # the first answer sets the pre-session cookie and is not kept; the second is
        assert anonymous.get("/territories.json").status_code == 200
    cache = admin.app.state.response_cache
    hits = cache.hits
    assert anonymous.get("/territories.json").status_code == 200 and cache.hits == hits + 1
    unconfirmed = _post(admin, "/admin/public-read", page="/admin", public_read="off")
    assert unconfirmed.status_code == 422 and "Tick the box to confirm" in unconfirmed.text
    assert auth.public_read is True
    off = _post(admin, "/admin/public-read", page="/admin", public_read="off", confirm="yes")
    assert off.status_code == 303 and auth.public_read is False
    assert "Public reading is off" in admin.get(off.headers["location"]).text
    answer = other.get("/territories", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    assert anonymous.get("/territories.json").status_code == 401
    assert (
        _post(admin, "/admin/public-read", page="/admin", public_read="on", confirm="yes").status_code == 303
    )
    assert other.get("/territories", follow_redirects=False).status_code == 200


def test_a_missing_csrf_token_is_403_and_nothing_is_written(
    admin: TestClient, web_store: Store, dump
) -> None:
    before = dump(web_store)
    posts = [
        ("/admin/users", {"username": "mallory", "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}),
        ("/admin/users/dana/grant", {"role": "administrator"}),
        ("/admin/users/aigerim/active", {"active": "0"}),
        ("/admin/users/aigerim/password", {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}),
        ("/admin/public-read", {"public_read": "off", "confirm": "yes"}),
    ]
    for path, data in posts:
        answer = admin.post(path, data=data, follow_redirects=False)
        assert answer.status_code == 403 and "[missing]" in answer.text, path
    assert dump(web_store) == before


# ---------------------------------------------------------------------------------------------- audit
def test_the_audit_log_shows_each_action_with_old_and_new(admin: TestClient) -> None:
    _create(admin, "bolat")
    _post(admin, "/admin/users/bolat/grant", role="akimat", territory="abai")
    _post(admin, "/admin/users/bolat/active", active="0")
    _post(
        admin, "/admin/users/bolat/password", password=NEW_PASSWORD + "!", password_repeat=NEW_PASSWORD + "!"
    )
    _post(admin, "/admin/public-read", page="/admin", public_read="off", confirm="yes")
    entries = admin.get("/admin/audit.json?user=root").json()["entries"]
    got = [(e["action"], e["entity"], e["key"]) for e in entries[:5]]
    assert got == [
        ("update", "auth_setting", "public_read"),
        ("password", "auth_user", "bolat"),
        ("update", "auth_user", "bolat"),
        ("grant", "auth_role", "bolat"),
        ("create", "auth_user", "bolat"),
    ]  # newest first
    assert entries[0]["changes"] == [{"field": "", "old": None, "new": "false"}]
    assert entries[2]["changes"] == [{"field": "active", "old": "true", "new": "false"}]
    assert entries[3]["territory"] == "abai"
    assert entries[4]["territory"] is None and entries[4]["detail"] is None
    assert {"field": "territory", "old": None, "new": "abai"} in entries[3]["changes"]
    assert "session(s) ended" in entries[1]["detail"]
    html = admin.get("/admin/audit?user=root").text
    assert "<strong>active</strong>: <del>true</del> → <ins>false</ins>" in html
    # filters: action, table, territory, date range; a bad date is reported
    assert [
        e["action"] for e in admin.get("/admin/audit.json?action=grant&territory=abai").json()["entries"]
    ] == ["grant"]
    assert admin.get("/admin/audit.json?table=auth_setting").json()["total"] == 1
    assert admin.get("/admin/audit.json?since=2000-01-01&until=2000-12-31").json()["total"] == 0
    bad = admin.get("/admin/audit.json?since=yesterday")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "since"


def test_the_audit_log_pages(admin: TestClient, auth: Auth) -> None:
    for n in range(60):
        auth.set_public_read(n % 2 == 0, actor="cli:pager")
    first = admin.get("/admin/audit.json?user=cli:pager").json()
    assert first["total"] == 60 and first["pages"] == 2 and len(first["entries"]) == 50
    assert first["next"] == "/admin/audit?user=cli%3Apager&page=2" and first["previous"] is None
    second = admin.get(first["next"].replace("/admin/audit", "/admin/audit.json")).json()
    assert len(second["entries"]) == 10 and second["previous"] is not None
    ids = [e["id"] for e in first["entries"] + second["entries"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 60


def test_audit_csv_and_xlsx_downloads(admin: TestClient, other: TestClient) -> None:
    _create(admin, "eve")
    _post(admin, "/admin/users/eve/active", active="0")
    answer = admin.get("/admin/audit.csv?user=root&action=update")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert 'filename="aimaq-audit.csv"' in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [(r["actor"], r["action"], r["key"]) for r in rows] == [("root", "update", "eve")]
    assert rows[0]["change"] == "active: true → false"
    assert '"active": false' in rows[0]["new"] and rows[0]["table"] == "auth_user"
    # a failed login records the typed name as the actor: a formula there reaches the file as text
    _login(other, "=cmd|' /c calc'!a0", "wrong password")
    failed = admin.get("/admin/audit.csv?action=login_failed").content.decode("utf-8-sig")
    assert [r["actor"] for r in csv.DictReader(io.StringIO(failed))] == ["'=cmd|' /c calc'!a0"]
    xlsx = admin.get("/admin/audit.xlsx?user=root")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["audit"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["id", "at", "actor", "action"]
    assert [c.value for c in sheet[2]][2:5] == ["root", "update", "auth_user"]
    assert admin.get("/admin/audit.pdf").status_code == 404


# -------------------------------------------------------------------------------- escaping, languages
def test_user_visible_fields_are_escaped(admin: TestClient, web_store: Store, auth: Auth) -> None:
    _create(admin, "xss", display_name=XSS, email="x@example.kz")
    with _client(web_store, auth) as c:  # a failed login writes the typed name into the log
        _login(c, XSS, "wrong password")
    for path in ("/admin/users", "/admin/audit", "/admin"):
        html = admin.get(path).text
        assert XSS not in html, path
    assert "&lt;script&gt;alert(" in admin.get("/admin/users").text
    assert "&lt;script&gt;alert(" in admin.get("/admin/audit?action=login_failed").text
    made_up = admin.get(f"/admin/users?done=created&who={XSS}").text
    assert XSS not in made_up and "was created" not in made_up  # a banner about no such user is not shown


def test_pages_in_kazakh_and_russian(admin: TestClient) -> None:
    assert "Пайдаланушылар мен рөлдер" in admin.get("/admin/users?lang=kk").text
    assert "Журнал аудита" in admin.get("/admin/audit?lang=ru").text
    weak = _post(admin, "/admin/users?lang=ru", username="bolat", password="short", password_repeat="short")
    assert "не менее 10 символов (введено 5)" in weak.text


def test_changes_lists_only_what_differs() -> None:
    assert changes({"a": 1, "b": "x"}, {"a": 2, "b": "x"}) == [{"field": "a", "old": "1", "new": "2"}]
    assert changes({"role": "akimat", "territory": None}, None) == [
        {"field": "role", "old": "akimat", "new": None},
        {"field": "territory", "old": "null", "new": None},
    ]
    assert changes(None, None) == []
