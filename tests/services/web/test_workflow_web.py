"""The workflow pages and the workflow write API (routes/workflow.py) over a real store: SQLite, PostgreSQL.

Users are made with :class:`aimaq.auth.service.Auth`; a test logs one in by its session cookie and sends the
CSRF token the app would have put in the form (or the ``X-CSRF-Token`` header). Every refusal is checked to
have written nothing (a dump of the steering tables before and after).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select

from aimaq.auth.csrf import generate_token
from aimaq.auth.service import Auth
from aimaq.services.web.app import Settings, create_app
from aimaq.services.web.workflow_pages import FIELDS, REASON_LABELS, TRANSITION_FIELDS, actor_for
from aimaq.steering.errors import REASONS
from aimaq.steering.models import AuditRecord, WorkflowObject
from aimaq.steering.service import Steering
from aimaq.steering.targets import load_plan
from aimaq.steering.workflow import GUARDS, machine
from aimaq.store.repository import Store

SECRET = "w" * 40
PASSWORD = "correct horse battery"
CHEAP = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
AS_OF = "2026-12-31"
USERS = {
    "acad": ("academy", None),
    "kcouncil": ("council", "karaganda"),
    "kakimat": ("akimat", "karaganda"),
    "acouncil": ("council", "abai"),
    "reader": ("viewer", None),
}


def _steering_rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    with store.engine.connect() as conn:
        for model in (WorkflowObject, AuditRecord):
            out[model.__tablename__] = sorted(
                (tuple(r) for r in conn.execute(select(model.__table__))), key=repr
            )
    return out


class Visitor:
    """A test client, anonymous or logged in as one user, that posts forms and JSON with its CSRF token."""

    def __init__(self, app: Any, auth: Auth, username: str | None) -> None:
        self.client = TestClient(app)
        self.client.__enter__()
        if username is None:
            # an anonymous visitor gets a pre-session cookie on the first page; forms bind their token to it
            self.client.get("/workflow")
            bound = self.client.cookies.get("aimaq_presession")
        else:
            token, _user = auth.login(username, PASSWORD)
            self.client.cookies.set("aimaq_session", token)
            bound = token
        self.csrf = generate_token(SECRET, bound)

    def api(self, path: str, body: dict[str, Any], *, csrf: bool = True):
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return self.client.post(path, json=body, headers=headers)

    def form(self, path: str, data: dict[str, Any], *, csrf: bool = True):
        data = {**data, "csrf_token": self.csrf} if csrf else data
        return self.client.post(path, data=data, follow_redirects=False)

    def get(self, path: str, **kw: Any):
        return self.client.get(path, **kw)

    def close(self) -> None:
        self.client.__exit__(None, None, None)


@pytest.fixture
def site(store: Store) -> Iterator[dict[str, Any]]:
    auth = Auth(store, hasher=CHEAP)
    for name, (role, territory) in USERS.items():
        auth.create_user(name, PASSWORD, actor="test")
        auth.grant(name, role, territory, actor="test")
    settings = Settings(
        default_language="en", cache_ttl=0, warm_results=False, secret_key=SECRET, cookie_secure=False
    )
    app = create_app(store, settings, auth=auth)
    visitors: dict[str | None, Visitor] = {}

    def visitor(name: str | None) -> Visitor:
        if name not in visitors:
            visitors[name] = Visitor(app, auth, name)
        return visitors[name]

    yield {"app": app, "auth": auth, "store": store, "as": visitor}
    for v in visitors.values():
        v.close()


def _documented_session(acad: Visitor, territory: str = "karaganda") -> int:
    """A foresight session created, held and documented through the API (FS-1, FS-2, FS-3)."""
    r = acad.api(
        "/api/workflow/objects",
        {"entity": "ForesightSession", "territory": territory, "title": "Mining 2035", "reason": "AR-5"},
    )
    assert r.status_code == 201, r.text
    fs = r.json()["object"]["id"]
    held = {"held_on": "2026-03-12", "participants": ["BEN-2"]}
    r = acad.api(
        f"/api/workflow/objects/{fs}/transition",
        {"to": "held", "reason": "held", "effective_on": "2026-03-12", "attrs": held},
    )
    assert r.status_code == 200, r.text
    r = acad.api(
        f"/api/workflow/objects/{fs}/transition",
        {
            "to": "FS-3",
            "reason": "filed",
            "effective_on": "2026-03-20",
            "attrs": {"protocol": "P-1", "report": "R-1"},
        },
    )
    assert r.status_code == 200 and r.json()["object"]["state"] == "documented", r.text
    return fs


def _need(acad: Visitor, fs: int) -> int:
    r = acad.api(
        "/api/workflow/objects",
        {"entity": "RegionalNeed", "parent_id": fs, "title": "Tailings reuse", "reason": "from the session"},
    )
    assert r.status_code == 201, r.text
    return r.json()["object"]["id"]


def _ta(site: dict[str, Any], attrs: dict[str, Any]) -> int:
    """A technical assignment drafted (TA-1) for a need the Karaganda council validated (RN-2)."""
    acad = site["as"]("acad")
    need = _need(acad, _documented_session(acad))
    r = site["as"]("kcouncil").api(
        f"/api/workflow/objects/{need}/transition",
        {"to": "validated", "reason": "r", "attrs": {"priority": "p"}},
    )
    assert r.status_code == 200, r.text
    body = {"entity": "TechnicalAssignment", "parent_id": need, "title": "TA", "reason": "r", "attrs": attrs}
    r = acad.api("/api/workflow/objects", body)
    assert r.status_code == 201, r.text
    return r.json()["object"]["id"]


# ---------------------------------------------------------------------------------------------- reading
def test_pages_read_anonymously_with_json_twins(site) -> None:
    acad, anon = site["as"]("acad"), site["as"](None)
    fs = _documented_session(acad)
    need = _need(acad, fs)
    overview = anon.get("/workflow.json").json()
    assert overview["ok"] and overview["user"] is None
    karaganda = next(r for r in overview["regions"] if r["region"]["code"] == "karaganda")
    assert karaganda["stage"] == "foresight"  # a documented session: ST-2 (seed 001, l.1926-1930)
    assert karaganda["counts"]["ForesightSession"] == 1 and karaganda["counts"]["RegionalNeed"] == 1
    assert [c["transition"] for c in karaganda["latest"]][:2] == ["FS-4", "RN-1"]  # newest first
    abai = next(r for r in overview["regions"] if r["region"]["code"] == "abai")
    assert abai["stage"] is None and abai["total"] == 0
    html = anon.get("/workflow")
    assert html.status_code == 200 and "Karaganda" in html.text and 'href="/workflow/needs"' in html.text

    listing = anon.get("/workflow/needs.json?region=karaganda").json()
    assert [o["id"] for o in listing["objects"]] == [need]
    assert anon.get("/workflow/needs.json?region=abai").json()["objects"] == []
    assert anon.get("/workflow/needs").status_code == 200
    assert anon.get("/workflow/no-such-list").status_code == 404

    page = anon.get(f"/workflow/foresight-sessions/{fs}.json").json()
    assert page["object"]["state"]["code"] == "needs_registered"
    assert [c["id"] for c in page["children"]] == [need]
    assert page["transitions"] == []  # needs_registered is final
    need_page = anon.get(f"/workflow/needs/{need}.json").json()
    assert need_page["parent"]["id"] == fs
    assert {t["transition"] for t in need_page["transitions"]} == {"RN-2", "RN-3", "RN-6"}
    assert not any(t["may"] for t in need_page["transitions"])  # anonymous: no buttons
    body = anon.get(f"/workflow/needs/{need}").text
    assert "Tailings reuse" in body and 'action="/workflow/needs/' not in body
    assert anon.get(f"/workflow/projects/{need}").status_code == 404  # a need is not a project


def test_pages_in_kazakh_and_russian(site) -> None:
    anon = site["as"](None)
    kk = anon.get("/workflow?lang=kk").text
    assert "<h1>Жұмыс үдерісі</h1>" in kk and "Ғылыми қажеттіліктер" in kk
    ru = anon.get("/workflow/needs?lang=ru").text
    assert "Научные потребности" in ru
    targets = anon.get("/workflow/kazakhstan/targets.json?lang=kk").json()
    assert targets["indicators"][0]["label"] == "Өңірлерде өткізілген форсайт-сессиялар"


def test_the_buttons_shown_are_the_ones_the_user_may_take(site) -> None:
    acad = site["as"]("acad")
    need = _need(acad, _documented_session(acad))
    by_user = {}
    for name in ("acad", "kcouncil", "acouncil", "reader"):
        page = site["as"](name).get(f"/workflow/needs/{need}.json").json()
        by_user[name] = sorted(t["transition"] for t in page["transitions"] if t["may"])
    assert by_user == {"acad": ["RN-6"], "kcouncil": ["RN-2", "RN-3"], "acouncil": [], "reader": []}
    html = site["as"]("kcouncil").get(f"/workflow/needs/{need}").text
    assert 'value="RN-2"' in html and 'value="RN-6"' not in html


# ---------------------------------------------------------------------------------------------- writing
def test_create_transition_and_edit_through_the_forms_and_the_history_shows_it(site) -> None:
    acad, council = site["as"]("acad"), site["as"]("kcouncil")
    fs = _documented_session(acad)
    r = acad.form(
        "/workflow/needs/new",
        {
            "parent_id": str(fs),
            "title": "Water for Balkhash",
            "reason": "from the session",
            "description": "x",
        },
    )
    assert r.status_code == 303, r.text
    need = int(r.headers["location"].rsplit("/", 1)[1])
    r = council.form(
        f"/workflow/needs/{need}/transition",
        {
            "to": "RN-2",
            "version": "1",
            "priority": "PI63-6 water",
            "reason": "urgent",
            "effective_on": "2026-04-01",
        },
    )
    assert r.status_code == 303, r.text
    r = acad.form(
        "/workflow/technical-assignments/new",
        {
            "parent_id": str(need),
            "title": "TA: water",
            "reason": "drafted",
            "description": "first text",
            "indicators__qualitative": "better water",
            "indicators__quantitative": "m3 saved",
        },
    )
    assert r.status_code == 303, r.text
    ta_url = r.headers["location"]
    ta = acad.get(ta_url + ".json").json()
    assert ta["object"]["state"]["code"] == "draft"
    assert ta["object"]["attrs"]["indicators"] == [
        {"kind": "qualitative", "name": "better water"},
        {"kind": "quantitative", "name": "m3 saved"},
    ]
    assert acad.get(f"/workflow/needs/{need}.json").json()["object"]["state"]["code"] == "specified_as_ta"

    edit = acad.get(ta_url + "/edit.json").json()
    assert edit["version"] == 1
    r = acad.form(
        ta_url + "/edit",
        {
            "version": "1",
            "reason": "clearer",
            "description": "second text",
            "indicators__qualitative": "better water",
            "indicators__quantitative": "m3 saved",
        },
    )
    assert r.status_code == 303, r.text
    page = acad.get(ta_url + ".json").json()
    assert page["object"]["version"] == 2 and page["object"]["attrs"]["description"] == "second text"
    newest = page["history"][0]
    assert newest["transition"] == "EDIT" and newest["actor"] == "acad" and newest["reason"] == "clearer"
    description = next(c for c in newest["changes"] if c["name"] == "description")
    assert (description["old"], description["new"]) == ("first text", "second text")
    html = acad.get(ta_url).text
    assert re.search(r'class="wf-old">first text</span> → second text', html)

    need_history = acad.get(f"/workflow/needs/{need}.json").json()["history"]
    assert [(h["transition"], h["actor"], h["role"]) for h in need_history] == [
        ("RN-4", "acad", "academy"),  # the effect of TA-1, audited with its actor
        ("RN-2", "kcouncil", "council"),
        ("RN-1", "acad", "academy"),
    ]
    assert (
        need_history[1]["from_state"]["code"] == "identified"
        and need_history[1]["effective_on"] == "2026-04-01"
    )


def test_the_write_api_creates_transitions_and_edits_with_a_version(site) -> None:
    acad = site["as"]("acad")
    fs = _documented_session(acad)
    need = _need(acad, fs)
    r = site["as"]("kcouncil").api(
        f"/api/workflow/objects/{need}/transition",
        {"to": "validated", "reason": "ok", "attrs": {"priority": "P"}},
    )
    assert r.status_code == 200 and r.json()["object"]["state"] == "validated"
    r = acad.api(
        "/api/workflow/objects",
        {
            "entity": "TechnicalAssignment",
            "parent_id": need,
            "title": "TA",
            "reason": "r",
            "attrs": {"description": "a"},
        },
    )
    assert r.status_code == 201
    ta = r.json()["object"]
    assert ta["territory"] == "karaganda" and ta["url"] == f"/workflow/technical-assignments/{ta['id']}"
    r = acad.api(
        f"/api/workflow/objects/{ta['id']}/edit", {"version": 1, "reason": "r", "attrs": {"description": "b"}}
    )
    assert r.status_code == 200 and r.json()["object"]["version"] == 2
    got = acad.get(f"/api/workflow/objects/{ta['id']}").json()
    assert got["object"]["attrs"]["description"] == "b" and got["allowed"][0]["transition"] == "TA-2"
    schema = acad.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/workflow/objects",
        "/api/workflow/objects/{object_id}/transition",
        "/api/workflow/objects/{object_id}/edit",
    ):
        assert "post" in schema[path], path


def test_a_guard_problem_is_shown_with_the_rule_and_nothing_is_written(site) -> None:
    acad = site["as"]("acad")
    r = acad.api(
        "/api/workflow/objects",
        {"entity": "ForesightSession", "territory": "karaganda", "title": "S", "reason": "r"},
    )
    fs = r.json()["object"]["id"]
    before = _steering_rows(site["store"])
    r = acad.form(
        f"/workflow/foresight-sessions/{fs}/transition", {"to": "FS-2", "version": "1", "reason": "held"}
    )
    assert r.status_code == 422
    assert 'data-reason="guard_failed"' in r.text and "attrs.held_on is required" in r.text
    r = acad.form(
        f"/workflow/foresight-sessions/{fs}/transition",
        {"to": "FS-2", "version": "1", "reason": "held", "held_on": "12.03.2026"},
    )
    assert r.status_code == 422 and "is not a date" in r.text
    assert _steering_rows(site["store"]) == before


# ---------------------------------------------------------------------------------------------- refusals
def test_anonymous_writes_are_refused_and_write_nothing(site) -> None:
    acad, anon = site["as"]("acad"), site["as"](None)
    need = _need(acad, _documented_session(acad))
    before = _steering_rows(site["store"])
    r = anon.api(
        "/api/workflow/objects",
        {"entity": "ForesightSession", "territory": "karaganda", "title": "x", "reason": "x"},
    )
    assert r.status_code == 401 and r.json()["ok"] is False
    r = anon.api(
        f"/api/workflow/objects/{need}/transition",
        {"to": "validated", "reason": "x", "attrs": {"priority": "p"}},
    )
    assert r.status_code == 401
    r = anon.form(
        f"/workflow/needs/{need}/transition", {"to": "RN-2", "version": "1", "reason": "x", "priority": "p"}
    )
    assert r.status_code in (303, 401, 403)  # the login page or a refusal, never a write
    r = anon.form("/workflow/needs/new", {"parent_id": "1", "title": "x", "reason": "x"})
    assert r.status_code in (303, 401, 403)
    assert _steering_rows(site["store"]) == before


def test_a_user_of_another_region_is_refused_with_403(site) -> None:
    acad, stranger = site["as"]("acad"), site["as"]("acouncil")
    need = _need(acad, _documented_session(acad))
    before = _steering_rows(site["store"])
    r = stranger.api(
        f"/api/workflow/objects/{need}/transition",
        {"to": "validated", "reason": "x", "attrs": {"priority": "p"}},
    )
    assert r.status_code == 403
    r = stranger.form(
        f"/workflow/needs/{need}/transition", {"to": "RN-2", "version": "1", "reason": "x", "priority": "p"}
    )
    assert r.status_code == 403
    r = stranger.api(
        "/api/workflow/objects",
        {"entity": "RegionalNeed", "territory": "karaganda", "title": "x", "reason": "x"},
    )
    assert r.status_code == 403
    r = site["as"]("reader").api(
        "/api/workflow/objects",
        {"entity": "ForesightSession", "territory": "karaganda", "title": "x", "reason": "x"},
    )
    assert r.status_code == 403
    assert _steering_rows(site["store"]) == before


def test_a_post_without_the_csrf_token_is_refused(site) -> None:
    acad = site["as"]("acad")
    before = _steering_rows(site["store"])
    body = {"entity": "ForesightSession", "territory": "karaganda", "title": "x", "reason": "x"}
    assert acad.api("/api/workflow/objects", body, csrf=False).status_code == 403
    r = acad.form(
        "/workflow/foresight-sessions/new",
        {"territory": "karaganda", "title": "x", "reason": "x"},
        csrf=False,
    )
    assert r.status_code == 403
    assert _steering_rows(site["store"]) == before


def test_a_stale_version_is_refused_with_409_and_the_current_values(site) -> None:
    acad = site["as"]("acad")
    ta = _ta(site, {"description": "mine"})
    # someone else saves first: version 1 -> 2
    assert (
        site["as"]("kakimat")
        .api(
            f"/api/workflow/objects/{ta}/edit",
            {"version": 1, "reason": "theirs", "attrs": {"description": "theirs"}},
        )
        .status_code
        == 200
    )
    before = _steering_rows(site["store"])
    r = acad.form(
        f"/workflow/technical-assignments/{ta}/edit",
        {"version": "1", "reason": "late", "description": "late"},
    )
    assert r.status_code == 409
    assert 'id="wf-conflict"' in r.text and 'data-reason="stale"' in r.text
    assert ">theirs</textarea>" in r.text  # the form shows the current value
    assert 'name="version" value="2"' in r.text
    r = acad.api(
        f"/api/workflow/objects/{ta}/edit", {"version": 1, "reason": "late", "attrs": {"description": "late"}}
    )
    assert r.status_code == 409
    assert (
        r.json()["errors"][0]["reason"] == "stale" and r.json()["current"]["attrs"]["description"] == "theirs"
    )
    r = acad.api(f"/api/workflow/objects/{ta}/transition", {"to": "TA-2", "version": 1, "reason": "late"})
    assert r.status_code == 409
    assert _steering_rows(site["store"]) == before


# ---------------------------------------------------------------------------------------------- budget
def test_the_project_page_shows_the_budget_and_the_broken_rule(site) -> None:
    acad, council, akimat = site["as"]("acad"), site["as"]("kcouncil"), site["as"]("kakimat")
    indicators = [{"kind": "qualitative", "name": "a"}, {"kind": "quantitative", "name": "b"}]
    ta = _ta(site, {"indicators": indicators})
    assert (
        acad.api(f"/api/workflow/objects/{ta}/transition", {"to": "TA-2", "reason": "r"}).status_code == 200
    )
    r = council.api(
        f"/api/workflow/objects/{ta}/transition",
        {"to": "TA-3", "reason": "r", "attrs": {"council_decision": "D-7"}},
    )
    assert r.status_code == 200, r.text
    r = acad.form(
        "/workflow/projects/new",
        {
            "parent_id": str(ta),
            "title": "Water project",
            "reason": "r",
            "funding_type": "grant",
            "total_cost": "100 000 000",
            "academy_participation": "1",
            "consortium__lead": "KarTU",
        },
    )
    assert r.status_code == 303, r.text
    project = int(r.headers["location"].rsplit("/", 1)[1])
    commitment = akimat.api(
        "/api/workflow/objects",
        {
            "entity": "FundingCommitment",
            "parent_id": project,
            "title": "Local",
            "reason": "r",
            "attrs": {"source": "local_budget", "amount": 4e7},
        },
    ).json()["object"]["id"]
    assert (
        akimat.api(
            f"/api/workflow/objects/{commitment}/transition", {"to": "confirmed", "reason": "r"}
        ).status_code
        == 200
    )
    page = acad.get(f"/workflow/projects/{project}.json").json()
    expected = Steering(site["store"]).budget(project)
    assert page["budget"]["valid"] is False and expected["valid"] is False
    assert (
        page["budget"]["local_share_pct"] == pytest.approx(expected["local_share_pct"]) == pytest.approx(40.0)
    )
    assert (
        [p["rule"] for p in page["budget"]["problems"]] == [p["rule"] for p in expected["problems"]] == ["R1"]
    )
    html = acad.get(f"/workflow/projects/{project}").text
    assert 'data-rule="R1"' in html and "l.1893-1904" in html  # the rule is cited with its seed lines


# ---------------------------------------------------------------------------------------------- targets
@pytest.mark.parametrize("region", ["kazakhstan", "karaganda"])
def test_the_targets_page_shows_steering_targets(site, region: str) -> None:
    acad = site["as"]("acad")
    _documented_session(acad)  # FS-3 on 2026-03-20: indicator 1 counts one session in 2026
    page = acad.get(f"/workflow/{region}/targets.json?as_of={AS_OF}").json()
    steering = Steering(site["store"])
    expected = steering.targets(
        None if region == "kazakhstan" else region, as_of=dt.date.fromisoformat(AS_OF)
    )
    cells = {(i["no"], c["year"]): c for i in page["indicators"] for c in i["cells"]}
    assert len(cells) == len(expected) == len(load_plan())
    for row in expected.to_dict("records"):
        cell = cells[(row["indicator_no"], row["year"])]
        for key in ("plan", "actual"):
            want = row[key]
            if want is None or (isinstance(want, float) and math.isnan(want)):
                assert cell[key] is None
            else:
                assert cell[key] == pytest.approx(want)
        assert cell["light"] == row["light"] and cell["evidence"] == list(row["evidence"])
    assert cells[(1, 2026)]["actual"] == 1.0
    assert page["national"] is (region == "kazakhstan")
    if region == "kazakhstan":
        assert cells[(1, 2026)]["plan"] == 5.0 and cells[(1, 2026)]["light"] == "red"  # 1 of 5: below 50 %
    html = acad.get(f"/workflow/{region}/targets?as_of={AS_OF}").text
    assert 'data-light="red"' in html or region != "kazakhstan"
    csv_rows = list(
        csv.DictReader(
            io.StringIO(acad.get(f"/workflow/{region}/targets.csv?as_of={AS_OF}").content.decode("utf-8-sig"))
        )
    )
    assert len(csv_rows) == len(expected)
    first = next(r for r in csv_rows if r["indicator_no"] == "1" and r["year"] == "2026")
    assert float(first["actual"]) == 1.0 and first["light"] == cells[(1, 2026)]["light"]
    xlsx = acad.get(f"/workflow/{region}/targets.xlsx?as_of={AS_OF}")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert acad.get("/workflow/atlantis/targets.json").status_code == 404


# ---------------------------------------------------------------------------------------------- tables
def test_every_guarded_transition_has_its_form_fields_and_every_reason_a_label() -> None:
    # a guard reads attrs.<name>; the form of that transition must ask for it (except the guards that read
    # other objects only)
    reads_other_objects = {"TA-12", "PR-10"}
    for tid in GUARDS:
        if tid in reads_other_objects:
            continue
        assert TRANSITION_FIELDS.get(tid), tid
        assert all(name in FIELDS for name in TRANSITION_FIELDS[tid])
    ids = {t.id for ts in machine().transitions.values() for t in ts}
    assert set(TRANSITION_FIELDS) <= ids
    assert set(REASON_LABELS) == set(REASONS)


def test_the_actor_comes_from_the_grant_for_the_object_region() -> None:
    from aimaq.auth.service import Grant, Principal

    both = Principal(1, "u", None, None, (Grant("academy"), Grant("council", "karaganda")))
    assert actor_for(both, "karaganda", ["council"]).role == "council"
    assert actor_for(both, "karaganda", ["academy"]).role == "academy"
    assert actor_for(both, "abai", ["council"]).role == "academy"  # the national grant; steering refuses it
    scoped = Principal(2, "v", None, None, (Grant("academy", "abai"), Grant("viewer")))
    assert actor_for(scoped, "karaganda") is None and actor_for(scoped, "abai").role == "academy"
    assert actor_for(None, "karaganda") is None
