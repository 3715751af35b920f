"""The uncertainty view on the web: the JSON contract (202 while computing, then 200; 409 without data), the
uncertainty page and its downloads, robustness statements in profiles and rank-interval bars in rankings.

One app over the bundled store with its own :class:`Uncertainties` of 64 replications, so that the runs take
a fraction of a second.
"""

from __future__ import annotations

import html
import io
import time

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from aimaq.services.uncertainty import Uncertainties
from aimaq.services.web.app import Settings, create_app

CONTRACT = {"preset", "status", "reason", "n", "seed", "year", "factors", "territories"}
ROW = {
    "code",
    "name",
    "nominal_rank",
    "median_rank",
    "rank_q05",
    "rank_q95",
    "share_in_interval",
    "nominal_class",
    "class_probability",
    "p_nominal_class",
    "confidence",
    "statement",
}
MONO = "seed004_monotown_potential"


@pytest.fixture(scope="module")
def app(bundled_store):
    app = create_app(bundled_store, Settings(default_language="en", cache_ttl=3600, warm_results=False))
    app.state.pages.uncertainty = Uncertainties(app.state.pages.results, n=64, seed=0)
    yield app
    app.state.pages.uncertainty.close()


@pytest.fixture()
def client(app) -> TestClient:
    with TestClient(app) as c:
        yield c


def _settled(client: TestClient, url: str, timeout: float = 120) -> tuple[int, dict]:
    """GET ``url`` until it stops answering 202 (as the pages' script does)."""
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(url)
        if r.status_code != 202 or time.monotonic() > deadline:
            return r.status_code, r.json()
        assert r.headers["retry-after"] == "1"
        time.sleep(0.05)


def _engine(app, name: str):
    st = app.state.pages.uncertainty.wait(name, timeout=120)
    assert st.state == "ready", st.reason
    return st.result


def test_json_answers_202_while_computing_then_the_contract(client: TestClient, app) -> None:
    first = client.get(f"/api/uncertainty/{MONO}.json?lang=en")
    assert first.status_code == 202
    body = first.json()
    assert body["status"] == "computing" and body["territories"] == [] and body["reason"] is None
    assert first.headers["retry-after"] == "1" and first.headers["cache-control"] == "no-store"
    code, body = _settled(client, f"/api/uncertainty/{MONO}.json?lang=en")
    assert code == 200 and set(body) >= CONTRACT
    assert (body["preset"], body["status"], body["n"], body["seed"], body["year"]) == (
        MONO,
        "ready",
        64,
        0,
        "2020",
    )
    u = _engine(app, MONO)
    # the preset's own uncertainty: block, labelled by the names it gives its factors
    assert [(f["key"], f["label"]) for f in body["factors"]] == [(f.key, f.name) for f in u.analysis.factors]
    assert body["factors"] and all(f["ST"] is None or f["ST"] >= -0.1 for f in body["factors"])
    # NaN (the ranks do not move under these factors: no variance to split) travels as null
    assert [f["ST"] for f in body["factors"]] == [
        None if v != v else round(v, 4) for v in u.sensitivity["ST"]
    ]
    rows = {r["code"]: r for r in body["territories"]}
    assert len(rows) == 8 and all(set(r) >= ROW for r in rows.values())
    for code, r in rows.items():
        assert r["rank_q05"] <= r["median_rank"] <= r["rank_q95"]
        assert r["nominal_rank"] == int(u.summary.at[code, "nominal_rank"])
        assert r["statement"] == "; ".join(u.statements(code, "en"))
        assert r["confidence"] in {"high", "medium", "low"}
        assert sum(r["class_probability"].values()) == pytest.approx(1.0, abs=1e-3)
        assert r["p_nominal_class"] == r["class_probability"].get(r["nominal_class"], 0.0)
    assert rows["karazhal"]["name"] == "Karazhal"
    # one territory only: the profile's poll
    one = client.get(f"/api/uncertainty/{MONO}.json?territory=karazhal&lang=ru").json()
    assert [r["code"] for r in one["territories"]] == ["karazhal"]
    assert one["territories"][0]["statement"] == "; ".join(u.statements("karazhal", "ru"))


def test_a_classification_only_preset_has_classes_and_no_ranks(client: TestClient, app) -> None:
    name = "seed003_depression_groups_lloyd"
    code, body = _settled(client, f"/api/uncertainty/{name}.json?lang=en")
    assert code == 200 and body["territories"]
    r = body["territories"][0]
    assert r["rank_q05"] is None and r["median_rank"] is None and r["nominal_rank"] is None
    assert r["nominal_class"] is not None and r["classification"] == body["classification"]
    assert not r["statement"].startswith("rank")
    # another classification of the same run, chosen by name
    other = body["classifications"][-1]["id"]
    chosen = client.get(f"/api/uncertainty/{name}.json?classification={other}").json()
    assert chosen["classification"] == other
    assert all(t["classification"] == other for t in chosen["territories"])
    bad = client.get(f"/api/uncertainty/{name}.json?classification=nope")
    assert bad.status_code == 400 and "'nope' is not one of" in bad.json()["detail"]


def test_a_preset_without_data_is_409_with_the_reason(client: TestClient) -> None:
    code, body = _settled(client, "/api/uncertainty/seed002_raw_material_region.json?lang=ru")
    assert code == 409 and body["status"] == "unavailable" and body["ok"] is False
    assert body["reason_code"] == "missing_data" and "has no observation in the data" in body["reason"]
    assert body["reason_text"].startswith("Данных, нужных этой методике")
    assert client.get("/api/uncertainty/nope.json").status_code == 404
    bad_year = client.get(f"/api/uncertainty/{MONO}.json?year=1990")
    assert bad_year.status_code == 400 and "choose one of [2020]" in bad_year.json()["detail"]


def test_profile_statement_is_the_engine_statement(client: TestClient, app) -> None:
    u = _engine(app, MONO)
    page = client.get("/territories/karazhal.json?lang=kk").json()
    index = next(i for i in page["indices"] if i["methodology"] == MONO)
    unc = index["uncertainty"]
    assert unc["status"] == "ready" and unc["statements"] == u.statements("karazhal", "kk")
    assert unc["statement"] == "; ".join(u.statements("karazhal", "kk"))
    assert unc["confidence"] in {"high", "medium", "low"} and unc["confidence_text"].endswith("сенімділік")
    text = html.unescape(client.get("/territories/karazhal?lang=kk").text)
    assert unc["statement"] in text and f'id="robustness-{MONO}" data-state="ready"' in text
    assert "64 қайталау" in text


def test_profile_says_computing_and_names_the_json_to_poll(client: TestClient) -> None:
    # Zaisan's seed 003 presets have not been asked for yet in this app: the first page queues them
    page = client.get("/territories/zaisan.json?lang=en&first=1").json()
    states = {i["methodology"]: i["uncertainty"] for i in page["indices"]}
    computing = [name for name, s in states.items() if s["status"] == "computing"]
    assert len(computing) >= len(states) - 1  # (the lloyd grouping was asked for above)
    some = computing[0]
    assert states[some]["text"] == "computing…" and states[some]["statement"] == ""
    assert states[some]["json_url"] == f"/api/uncertainty/{some}.json?territory=zaisan&lang=en"
    text = client.get("/territories/zaisan?lang=en&first=1").text
    assert 'data-uncertainty-kind="statement"' in text and "/static/uncertainty.js" in text
    code, body = _settled(client, states[some]["json_url"])
    assert code == 200 and body["territories"][0]["code"] == "zaisan"


def test_ranking_rows_carry_their_rank_interval(client: TestClient, app) -> None:
    u = _engine(app, MONO)
    page = client.get(f"/rankings/{MONO}.json").json()
    assert page["uncertainty"]["status"] == "ready" and page["uncertainty"]["n"] == 64
    for row in page["rows"]:
        iv = row["interval"]
        lo, hi = int(u.summary.at[row["code"], "rank_q05"]), int(u.summary.at[row["code"], "rank_q95"])
        assert (iv["lo"], iv["hi"]) == (lo, hi)
        assert iv["text"] == (f"rank {lo}" if lo == hi else f"rank {lo}–{hi}")
        assert 0 <= iv["bar"]["left"] <= 100 and iv["bar"]["width"] >= 1
    by_interval = client.get(f"/rankings/{MONO}.json?sort=interval&order=desc").json()
    medians = [r["interval"]["median"] for r in by_interval["rows"]]
    assert medians == sorted(medians, reverse=True) and by_interval["sort"] == "interval"
    text = client.get(f"/rankings/{MONO}").text
    assert text.count('class="rank-interval"') == 8 and 'data-sort="num"><a href="/rankings/' in text
    csv = pd.read_csv(io.BytesIO(client.get(f"/rankings/{MONO}.csv").content), encoding="utf-8-sig")
    assert {"median_rank", "rank_q05", "rank_q95"} <= set(csv.columns)


def test_ranking_of_a_year_not_yet_computed_polls(client: TestClient) -> None:
    name = "seed003_innovation_activity_level"
    r = client.get(f"/rankings/{name}?year=2013")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert f'data-uncertainty-url="/api/uncertainty/{name}.json?year=2013&amp;lang=en"' in r.text
    code, body = _settled(client, f"/api/uncertainty/{name}.json?year=2013")
    assert code == 200 and body["year"] == "2013"


def test_uncertainty_page_and_downloads(client: TestClient, app) -> None:
    _engine(app, MONO)
    r = client.get(f"/methodologies/{MONO}/uncertainty")
    assert r.status_code == 200 and "cache-control" not in r.headers
    text = html.unescape(r.text)
    for part in (
        'id="unc-ranks"',
        'id="unc-classes-0"',
        "Table 2, M4",
        'id="unc-factors"',
        'id="unc-no-shift"',
    ):
        assert part in text
    assert "<dt>Replications</dt><dd>64" in text and "<dt>Seed</dt><dd>0" in text
    page = client.get(f"/methodologies/{MONO}/uncertainty.json").json()
    assert page["rank_chart"]["names"] and len(page["class_charts"]) == 1
    assert [r["median_rank"] for r in page["territories"]] == sorted(
        r["median_rank"] for r in page["territories"]
    )
    csv = client.get(f"/methodologies/{MONO}/uncertainty.csv")
    assert csv.status_code == 200
    assert f"{MONO}_uncertainty_2020_n64_seed0.csv" in csv.headers["content-disposition"]
    table = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig")
    assert len(table) == 8 and {"rank_q05", "rank_q95", "confidence", "potential_p_low", "statement"} <= set(
        table.columns
    )
    xlsx = client.get(f"/methodologies/{MONO}/uncertainty.xlsx")
    assert xlsx.status_code == 200 and pd.read_excel(io.BytesIO(xlsx.content)).shape[0] == 8
    assert f'href="/methodologies/{MONO}/uncertainty"' in client.get(f"/methodologies/{MONO}").text
    # seed 001 has no uncertainty: block: the default view (weights ±20 %), whose ranks do move
    u = _engine(app, "seed001_scientific_potential")
    assert u.sensitivity["ST"].notna().all()
    ru = html.unescape(client.get("/methodologies/seed001_scientific_potential/uncertainty?lang=ru").text)
    assert "Неопределённость" in ru and "Что варьируется и какой выбор важен" in ru
    assert 'id="unc-sobol"' in ru and "веса ±20 %" in ru and 'id="unc-no-shift"' not in ru


@pytest.mark.parametrize(
    ("factor", "lang", "label"),
    [
        ({"key": "weight", "kind": "weights", "label": "weight", "noise": 0.25}, "ru", "веса ±25 %"),
        ({"key": "weight", "kind": "weights", "label": "weight", "noise": 0.2}, "kk", "салмақтар ±20 %"),
        (
            {"key": "data.cells", "kind": "cells", "label": "data.cells", "cells": [{}] * 3},
            "ru",
            "3 спорные ячейки источника, оба прочтения",
        ),
        (
            {
                "key": "aggregate.method",
                "kind": "choice",
                "label": "aggregate.method",
                "levels": ["arithmetic_mean", "geometric_mean"],
            },
            "en",
            "aggregate.method: one of arithmetic_mean, geometric_mean",
        ),
        (
            {"key": "classify.classes", "kind": "choice", "label": "reading of 'above 67'", "levels": []},
            "kk",
            "reading of 'above 67'",
        ),
    ],
)
def test_factor_labels_in_words(factor: dict, lang: str, label: str) -> None:
    from aimaq.i18n import translator
    from aimaq.services.web.uncertainty_pages import factor_label

    assert factor_label(factor, translator(lang)) == label


def test_uncertainty_page_while_computing_and_without_data(client: TestClient) -> None:
    name = "seed000_ris3_wheel_ec_scale"  # no test above asks for it (no region profile)
    r = client.get(f"/methodologies/{name}/uncertainty")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert 'data-uncertainty-kind="page"' in r.text and "computing…" in r.text
    assert client.get(f"/methodologies/{name}/uncertainty.csv").status_code in (409, 200)
    missing = client.get("/methodologies/seed002_raw_material_subtype/uncertainty")
    _settled(client, "/api/uncertainty/seed002_raw_material_subtype.json")
    missing = client.get("/methodologies/seed002_raw_material_subtype/uncertainty?x=1")
    assert missing.status_code == 200 and 'id="unc-status"' in missing.text
    assert "has no observation in the data" in html.unescape(missing.text)
    assert client.get("/methodologies/seed002_raw_material_subtype/uncertainty.csv").status_code == 409


def test_every_preset_has_an_uncertainty_view(client: TestClient, app) -> None:
    # 16 replications without the Sobol design: this test is about every preset answering, not the numbers
    pages = app.state.pages
    kept, pages.uncertainty = pages.uncertainty, Uncertainties(pages.results, n=16, seed=0, sensitivity=False)
    try:
        for name in pages.results.presets():
            code, body = _settled(client, f"/api/uncertainty/{name}.json")
            assert code in (200, 409), (name, code, body)
            if code == 200:
                assert body["territories"] and body["n"] == 16, name
            else:
                assert body["reason"], name
    finally:
        pages.uncertainty.close()
        pages.uncertainty = kept


def test_start_up_warming_queues_the_uncertainty_runs(bundled_store) -> None:
    from aimaq.services.web.app import _warm_results

    app = create_app(bundled_store, Settings(default_language="en", cache_ttl=3600, warm_results=False))
    app.state.pages.uncertainty = Uncertainties(app.state.pages.results, n=64, seed=0)
    try:
        _warm_results(app)
        # Nobody asked for the run: only the warm-up can have queued it (start=False never starts one).
        deadline = time.monotonic() + 120
        while (st := app.state.pages.uncertainty.status(MONO, start=False)).state == "computing":
            assert time.monotonic() < deadline, "the warm-up did not queue the uncertainty run"
            time.sleep(0.1)
        assert st.state == "ready" and st.result is not None
    finally:
        app.state.pages.uncertainty.close()
