"""Login, sessions, CSRF, roles and the RIS3 self-assessment form of the web app, on SQLite and PostgreSQL.

The app runs over the shared ``store_url`` fixture (tests/conftest.py: both backends) with the small fixture
bundle plus the seed 000 criteria and scale tables, with a cheap argon2id hasher. The client talks HTTPS to
"testserver", so Secure cookies come back as a browser would send them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from aimaq.auth.service import Auth
from aimaq.auth.web import PRESESSION_COOKIE, SESSION_COOKIE
from aimaq.services.web.app import Settings, create_app
from aimaq.services.web.data import default_bundled_dir
from aimaq.services.web.routes._auth import safe_next
from aimaq.steering import ris3
from aimaq.store.repository import Store

FIXTURE = Path(__file__).parents[2] / "store" / "fixtures" / "bundled"
CHEAP = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
PASSWORD = "correct horse battery"
XSS = '<script>alert("x")</script>'


@pytest.fixture
def web_store(store_url: str, tmp_path: Path) -> Store:
    """The fixture bundle plus the seed 000 criteria and scale (the RIS3 form needs them)."""
    folder = tmp_path / "bundled"
    shutil.copytree(FIXTURE, folder)
    real = default_bundled_dir() / "reference"
    for name in (ris3.CRITERIA_TABLE, ris3.ADAPTED_SCALE_TABLE):
        for suffix in (".csv", ".md"):
            if (real / f"{name}{suffix}").is_file():
                shutil.copy(real / f"{name}{suffix}", folder / "reference" / f"{name}{suffix}")
    s = Store(store_url)
    s.init(bundled=folder)
    yield s
    s.dispose()


@pytest.fixture
def auth(web_store: Store) -> Auth:
    a = Auth(web_store, hasher=CHEAP, max_failed=3)
    a.create_user("aigerim", PASSWORD, actor="cli:root", grants=[("akimat", "karaganda")])
    a.create_user("bolat", PASSWORD, actor="cli:root", grants=[("akimat", "abai")])
    a.create_user("dana", PASSWORD, actor="cli:root", grants=[("viewer", None)])
    return a


def _client(store: Store, auth: Auth, **settings) -> TestClient:
    app = create_app(store, Settings(default_language="en", warm_results=False, **settings), auth=auth)
    return TestClient(app, base_url="https://testserver")


@pytest.fixture
def client(web_store: Store, auth: Auth) -> TestClient:
    with _client(web_store, auth) as c:
        yield c


def _token(html: str) -> str:
    """The page's CSRF token: a form's hidden field, else the ``<meta>`` every page carries."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', html
    )
    return found.group(1)


def _login(client: TestClient, user: str, password: str = PASSWORD, next_url: str = "/"):
    token = _token(client.get("/login").text)
    data = {"username": user, "password": password, "csrf_token": token, "next": next_url}
    return client.post("/login", data=data, follow_redirects=False)


def _form(client: TestClient, region: str, score: str = "1", evidence: str = "strategy p. 4") -> dict:
    page = client.get(f"/ris3/{region}")
    assert page.status_code == 200, page.text[:300]
    data = {"csrf_token": _token(page.text), "assessed_on": "2026-03-01", "document": "strategy 2026"}
    for c in range(1, 19):
        data[f"score_c{c:02d}"] = score
        data[f"evidence_c{c:02d}"] = evidence
    return data


# ---------------------------------------------------------------------------------------------- login
def test_login_sets_a_secure_session_cookie_and_the_header_shows_the_user(client, auth) -> None:
    first = client.get("/login")
    assert first.status_code == 200 and 'id="login-form"' in first.text
    pre = first.headers["set-cookie"]
    assert pre.startswith(f"{PRESESSION_COOKIE}=") and "HttpOnly" in pre and "Secure" in pre
    assert "SameSite=Lax" in pre
    response = _login(client, "aigerim")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/", "Max-Age=43200"):
        assert flag in cookie, flag
    assert "Domain" not in cookie
    token = client.cookies[SESSION_COOKIE]
    assert auth.validate_session(token).username == "aigerim"
    page = client.get("/login").text
    assert "You are logged in as aigerim." in page
    header = client.get("/about").text
    assert "Logged in as aigerim" in header and "Akimat (karaganda)" in header
    assert 'id="logout-button"' in header
    assert '<meta name="csrf-token" content="' in header and 'href="/workflow"' in header


def test_wrong_password_unknown_user_and_lockout_get_one_message(client, auth) -> None:
    wrong = _login(client, "aigerim", "not the password")
    unknown = _login(client, "nobody-here", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    message = re.search(r'id="login-error">([^<]+)<', wrong.text).group(1)
    assert message == re.search(r'id="login-error">([^<]+)<', unknown.text).group(1)
    assert "Wrong user name or password" in message and SESSION_COOKIE not in client.cookies
    for _ in range(2):  # max_failed=3: the third failure locks the account
        _login(client, "aigerim", "not the password")
    locked = _login(client, "aigerim", PASSWORD)  # the right password, but locked
    assert locked.status_code == 401
    assert re.search(r'id="login-error">([^<]+)<', locked.text).group(1) == message
    assert SESSION_COOKIE not in client.cookies


def test_login_pages_in_kazakh_and_russian(client) -> None:
    assert "Құпиясөз" in client.get("/login?lang=kk").text
    assert "Пароль" in client.get("/login?lang=ru").text


def test_logout_ends_the_session_in_the_database(client, auth) -> None:
    _login(client, "aigerim")
    token = client.cookies[SESSION_COOKIE]
    page = client.get("/about").text
    gone = client.post("/logout", data={"csrf_token": _token(page)}, follow_redirects=False)
    assert gone.status_code == 303 and f'{SESSION_COOKIE}=""' in gone.headers["set-cookie"]
    assert auth.validate_session(token) is None
    assert auth.audit(entity="auth_session")["action"].tolist()[-1] == "logout"
    assert 'id="login-link"' in client.get("/about").text


@pytest.mark.parametrize(
    "asked, expected",
    [
        ("/territories/karaganda?lang=kk", "/territories/karaganda?lang=kk"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"),  # stays a path of this site
        ("/\r\nLocation: x", "/"),
        ("javascript:alert(1)", "/"),
        ("/login", "/"),
    ],
)
def test_next_goes_back_only_to_paths_of_this_site(client, asked: str, expected: str) -> None:
    assert safe_next(asked) == expected
    response = _login(client, "aigerim", next_url=asked)
    assert response.status_code == 303 and response.headers["location"] == expected


def test_login_link_carries_next(client) -> None:
    html = client.get("/territories?level=region").text
    assert 'href="/login?next=%2Fterritories%3Flevel%3Dregion"' in html


# ---------------------------------------------------------------------------------------------- CSRF
def test_csrf_missing_or_wrong_is_403_and_nothing_is_written(client, auth, web_store, dump) -> None:
    _login(client, "aigerim")
    data = _form(client, "karaganda")
    before = dump(web_store)
    missing = client.post("/ris3/karaganda", data={k: v for k, v in data.items() if k != "csrf_token"})
    assert missing.status_code == 403 and "[missing]" in missing.text
    assert "security token" in missing.text
    forged = client.post("/ris3/karaganda", data=data | {"csrf_token": data["csrf_token"][:-4] + "AAAA"})
    assert forged.status_code == 403 and "[bad_signature]" in forged.text
    # a token of another session (the attacker's own login) is refused too
    with _client(web_store, auth) as other:
        _login(other, "bolat")
        theirs = _token(other.get("/about").text)
    stolen = client.post("/ris3/karaganda", data=data | {"csrf_token": theirs})
    assert stolen.status_code == 403 and "[wrong_session]" in stolen.text
    as_json = client.post("/api/whatif/nope", json={}, headers={"Accept": "application/json"})
    assert as_json.status_code == 403 and as_json.json()["reason"] == "missing"
    assert dump(web_store) == before
    # the same form with its token is accepted
    assert client.post("/ris3/karaganda", data=data, follow_redirects=False).status_code == 303


def test_login_form_needs_its_csrf_token(client) -> None:
    refused = client.post("/login", data={"username": "aigerim", "password": PASSWORD})
    assert refused.status_code == 403 and SESSION_COOKIE not in client.cookies


def test_api_scripts_get_a_token_from_api_csrf(client) -> None:
    token = client.get("/api/csrf").json()["csrf_token"]
    answer = client.post("/api/whatif/nope", json={"values": []}, headers={"X-CSRF-Token": token})
    assert answer.status_code != 403  # past the CSRF check: the route itself answers


# ---------------------------------------------------------------------------------------------- switches
def test_public_reading_off_sends_anonymous_visitors_to_login(client, auth) -> None:
    assert client.get("/about").status_code == 200
    auth.set_public_read(False, actor="cli:root")
    page = client.get("/territories?level=region", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fterritories%3Flevel%3Dregion"
    data = client.get("/territories.json")
    assert data.status_code == 401 and data.json()["reason"] == "login_required"
    assert client.get("/login").status_code == 200 and client.get("/healthz").status_code == 200
    assert client.get("/static/app.css").status_code == 200
    _login(client, "dana")  # a viewer reads again
    assert client.get("/territories.json").status_code == 200


def test_healthz_is_503_with_a_reason_when_the_database_is_dead(client, tmp_path) -> None:
    assert client.get("/healthz").json()["ok"] is True
    dead = Auth(create_engine(f"sqlite:///{tmp_path / 'missing' / 'no.sqlite'}"), hasher=CHEAP)
    with TestClient(create_app(object(), Settings(warm_results=False), auth=dead)) as c:
        answer = c.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["ok"] is False and "database does not answer" in answer.json()["reason"]


def test_cookie_secure_setting(web_store, auth, monkeypatch) -> None:
    app = create_app(web_store, Settings(warm_results=False), auth=auth)
    with TestClient(app, base_url="http://127.0.0.1:8000") as loopback:
        assert "Secure" not in loopback.get("/login").headers["set-cookie"]
    with TestClient(app, base_url="http://aimaq.example.kz") as remote:
        assert "Secure" in remote.get("/login").headers["set-cookie"]
    monkeypatch.setenv("AIMAQ_COOKIE_SECURE", "1")
    forced = create_app(web_store, Settings(warm_results=False), auth=auth)
    with TestClient(forced, base_url="http://127.0.0.1:8000") as c:
        assert "Secure" in c.get("/login").headers["set-cookie"]
    monkeypatch.setenv("AIMAQ_COOKIE_SECURE", "maybe")
    with pytest.raises(ValueError, match="AIMAQ_COOKIE_SECURE"):
        Settings()


# ---------------------------------------------------------------------------------------------- RIS3 form
def test_ris3_form_refuses_anonymous_and_other_regions(client, web_store) -> None:
    anonymous = client.get("/ris3/karaganda", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=%2Fris3%2Fkaraganda"
    assert client.get("/ris3/karaganda.json").status_code == 401
    token = _token(client.get("/about").text)
    posted = client.post("/ris3/karaganda", data={"csrf_token": token, "score_c01": "1"})
    assert posted.status_code == 403 and "Log in to do this" in posted.text
    _login(client, "bolat")  # akimat of Abai
    other = client.get("/ris3/karaganda")
    assert other.status_code == 403 and "bolat" in other.text and "karaganda" in other.text
    data = _form(client, "abai")  # his own region is fine
    refused = client.post("/ris3/karaganda", data=data)
    assert refused.status_code == 403 and ris3.assessments(web_store, "karaganda") == []
    assert client.get("/ris3", follow_redirects=False).headers["location"] == "/ris3/abai"


def test_viewer_may_not_assess(client) -> None:
    _login(client, "dana")
    assert client.get("/ris3/karaganda").status_code == 403
    assert "Your roles allow no RIS3 self-assessment." in client.get("/ris3").text


def test_ris3_form_saves_an_audited_assessment_and_the_profile_wheel_shows_it(
    client, auth, web_store
) -> None:
    _login(client, "aigerim")
    data = _form(client, "karaganda")
    data["score_c04"] = "0.5"
    saved = client.post("/ris3/karaganda", data=data, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].startswith("/ris3/karaganda?saved=")
    [a] = ris3.assessments(web_store, "karaganda")
    assert a.assessor == "aigerim" and a.value("c04") == 0.5 and a.total() == 17.5
    assert a.scores["c01"].evidence == "strategy p. 4" and a.document == "strategy 2026"
    entry = auth.audit(entity="ris3_assessment").iloc[-1]
    assert (entry["actor"], entry["territory"], entry["entity_key"]) == ("aigerim", "karaganda", str(a.id))
    page = client.get(saved.headers["location"]).text
    assert 'id="ris3-saved"' in page and "Prefilled from the assessment by aigerim of 2026-03-01." in page
    wheel = client.get("/territories/karaganda.json").json()["ris3"]
    assert wheel["year"] == "2026-03-01" and "aigerim" in wheel["title"]
    assert wheel["values"] == [3.0, 2.5, 3.0, 3.0, 3.0, 3.0] and len(wheel["axes"]) == 6


def test_ris3_form_lists_every_problem_and_writes_nothing(client, web_store, dump) -> None:
    _login(client, "aigerim")
    data = _form(client, "karaganda")
    data |= {"score_c02": "", "score_c03": "0.7", "evidence_c05": "  ", "assessed_on": "yesterday"}
    before = dump(web_store)
    answer = client.post("/ris3/karaganda", data=data)
    assert answer.status_code == 422 and "4 problems; nothing was saved." in answer.text
    for cid, text in [
        ("c02", "a criterion has no score"),
        ("c03", "the score is not a value of the scale"),
        ("c05", "every score needs an evidence note"),
    ]:
        assert re.search(rf'id="problem-{cid}">[^<]*{re.escape(text)}', answer.text), cid
    assert "not a date" in answer.text
    assert dump(web_store) == before


def test_evidence_notes_are_escaped(client, web_store) -> None:
    _login(client, "aigerim")
    data = _form(client, "karaganda", evidence=XSS)
    data["document"] = XSS
    assert client.post("/ris3/karaganda", data=data, follow_redirects=False).status_code == 303
    assert ris3.assessments(web_store, "karaganda")[0].scores["c01"].evidence == XSS
    for url in ("/ris3/karaganda", "/territories/karaganda"):
        html = client.get(url).text
        assert XSS not in html, url
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in client.get("/ris3/karaganda").text


def test_only_regions_have_a_form(client, auth) -> None:
    auth.create_user("admin", PASSWORD, actor="cli:root", grants=[("administrator", None)])
    _login(client, "admin")
    assert client.get("/ris3/satpayev").status_code == 404  # a monotown has no regional strategy
    assert client.get("/ris3/nowhere").status_code == 404
    listed = client.get("/ris3").text
    assert 'href="/ris3/karaganda"' in listed and 'href="/ris3/abai"' in listed
    assert 'href="/ris3/east_kazakhstan_1997"' not in listed  # only today's regions


def test_a_conflict_is_409_with_the_version_stored_now(web_store, auth) -> None:
    from aimaq.auth.errors import ConflictError

    app = create_app(web_store, Settings(default_language="en", warm_results=False), auth=auth)

    def stale() -> None:
        raise ConflictError("observation", "karaganda/gerd_internal/2020", 1, 2)

    app.add_api_route("/api/stale", stale)
    app.add_api_route("/stale", stale)
    with TestClient(app, base_url="https://testserver") as c:
        as_json = c.get("/api/stale")
        page = c.get("/stale")
    assert as_json.status_code == 409 and as_json.json()["current_version"] == 2
    assert as_json.json()["reason"] == "conflict"
    assert page.status_code == 409 and "it is at version 2 now" in page.text
