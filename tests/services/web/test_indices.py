"""The index pages over the real bundled store: methodologies, rankings, compare, indices on the map and in
profiles, what-if and exports, each as HTML and JSON (TestClient)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from aimaq.services.web.export import safe_frame, table_bytes
from aimaq.services.web.indices import DOCS_DIR, class_colours, spec_blocks

ROOT = Path(__file__).resolve().parents[3]
M4 = "seed004_monotown_potential"

PAGES = [
    ("/methodologies", "/methodologies.json", "methodologies"),
    (f"/methodologies/{M4}", f"/methodologies/{M4}.json", "reproduction"),
    ("/rankings", "/rankings.json", "methodologies"),
    (f"/rankings/{M4}", f"/rankings/{M4}.json", "rows"),
    ("/compare?t=satpayev&t=karazhal", "/compare.json?t=satpayev&t=karazhal", "radar"),
    ("/territories/karazhal", "/territories/karazhal.json", "indices"),
    (f"/?index={M4}&column=potential", f"/map.json?index={M4}&column=potential", "overlay"),
    ("/?layer=raw_material", "/map.json?layer=raw_material", "overlay"),
]


@pytest.mark.parametrize(("html", "json_url", "key"), PAGES)
def test_new_pages_are_served_as_html_and_json(bundled_client, html: str, json_url: str, key: str) -> None:
    page = bundled_client.get(html)
    assert page.status_code == 200, page.text[:300]
    assert page.headers["content-type"].startswith("text/html")
    data = bundled_client.get(json_url).json()
    assert data["ok"] is True and data[key]


def test_every_methodology_docs_page_is_shipped_with_the_package() -> None:
    # An installed aimaq has no docs/ folder: the package links docs/methodologies (one copy, never stale).
    assert DOCS_DIR.is_symlink() and DOCS_DIR.resolve() == (ROOT / "docs" / "methodologies").resolve()
    assert {p.name for p in DOCS_DIR.glob("*.md")} == {
        p.name for p in (ROOT / "docs" / "methodologies").glob("*.md")
    }


def test_methodologies_list_says_which_presets_run_on_the_data(bundled_client) -> None:
    rows = {m["name"]: m for m in bundled_client.get("/methodologies.json").json()["methodologies"]}
    assert rows[M4]["status"] == "ok" and rows[M4]["territories"] == 8
    assert rows["seed002_raw_material_region"]["status"] == "missing_data"
    assert rows["seed002_raw_material_region"]["rankings_url"] is None


def test_methodology_page_has_steps_with_seed_lines_docs_and_the_reproduction_report(bundled_client) -> None:
    data = bundled_client.get(f"/methodologies/{M4}.json").json()
    steps = {s["step"]: s["spec"] for s in data["steps"]}
    assert {"select", "normalise", "aggregate", "classify"} <= set(steps)
    assert "l.390-394" in steps["aggregate"]  # the spec's comment citing the seed line is kept
    assert data["citation"]["seed"] == "004"
    assert "<h2>Method</h2>" in data["docs_html"] and "<table>" in data["docs_html"]
    rep = data["reproduction"]
    assert rep["ok"] is True
    assert sum(rep["counts"].values()) == len(rep["cells"]) > 100
    assert {c["status"] for c in rep["cells"]} <= {"reproduced", "explained", "not_reproduced"}
    explained = [c for c in rep["cells"] if c["status"] == "explained"]
    assert explained and all(c["reason"] for c in explained)
    html = bundled_client.get(f"/methodologies/{M4}?lang=ru").text
    assert "Отчёт о воспроизведении" in html and 'id="reproduction-table"' in html
    assert 'id="whatif-form"' in html


def test_a_methodology_without_its_data_says_what_is_missing(bundled_client) -> None:
    data = bundled_client.get("/methodologies/seed002_raw_material_region.json").json()
    assert data["status"] == "missing_data" and data["reproduction"] is None
    assert any("gva_b" in e["message"] for e in data["errors"])
    assert bundled_client.get("/rankings/seed002_raw_material_region.json").status_code == 409


def test_unknown_methodology_is_a_404_listing_the_presets(bundled_client) -> None:
    r = bundled_client.get("/methodologies/nope.json")
    assert r.status_code == 404 and M4 in r.json()["detail"]


def test_rankings_sort_and_filter_on_the_server(bundled_client) -> None:
    rows = bundled_client.get(f"/rankings/{M4}.json?sort=score&order=desc").json()["rows"]
    scores = [r["score"] for r in rows]
    assert len(rows) == 8 and scores == sorted(scores, reverse=True)
    ranks = [r["rank"] for r in bundled_client.get(f"/rankings/{M4}.json").json()["rows"]]
    assert ranks == sorted(ranks)
    only = bundled_client.get(f"/rankings/{M4}.json?q=сат&lang=ru").json()["rows"]
    assert [r["code"] for r in only] == ["satpayev"]
    low = bundled_client.get(f"/rankings/{M4}.json?class=low").json()["rows"]
    assert low and all(r["classes"]["potential"]["id"] == "low" for r in low)
    bad = bundled_client.get(f"/rankings/{M4}.json?sort=colour")
    assert bad.status_code == 400 and "sort 'colour' is not one of" in bad.json()["detail"]
    html = bundled_client.get(f"/rankings/{M4}?sort=name").text
    assert 'class="data sortable"' in html and "/territories/satpayev" in html


def test_exports_are_valid_csv_and_xlsx(bundled_client) -> None:
    csv = bundled_client.get(f"/rankings/{M4}.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"]
    frame = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig")
    assert len(frame) == 8 and {"rank", "territory", "score", "potential"} <= set(frame.columns)
    from openpyxl import load_workbook

    xlsx = bundled_client.get(f"/methodologies/{M4}/reproduction.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["reproduction"] and book["reproduction"].max_row > 100
    profile = pd.read_csv(
        io.BytesIO(bundled_client.get("/territories/karazhal.csv").content), encoding="utf-8-sig"
    )
    assert "mono_lsg_satisfaction_pct" in set(profile["indicator"])
    assert bundled_client.get("/map.xlsx?layer=monotowns").status_code == 200


def test_exported_text_cells_cannot_run_as_formulas() -> None:
    frame = pd.DataFrame({"name": ['=HYPERLINK("x")', "@SUM(1)", "Қарағанды"], "value": [-1.0, 2.0, 3.0]})
    assert safe_frame(frame)["name"].tolist() == ['\'=HYPERLINK("x")', "'@SUM(1)", "Қарағанды"]
    text = table_bytes(frame, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",-1.0\n" in text  # numbers stay numbers
    with pytest.raises(ValueError, match="format 'pdf' is not one of csv, xlsx"):
        table_bytes(frame, "pdf")


def test_profile_pdf_embeds_a_font_with_kazakh_letters(bundled_client) -> None:
    r = bundled_client.get("/territories/karazhal.pdf?lang=kk")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert b"DejaVu" in r.content  # the embedded TrueType font (subset) names itself


def test_profile_lists_its_indices_with_rank_of_n_contributions_and_measures(bundled_client) -> None:
    data = bundled_client.get("/territories/karazhal.json").json()
    index = next(i for i in data["indices"] if i["methodology"] == M4)
    table = {r["code"]: r for r in bundled_client.get(f"/rankings/{M4}.json").json()["rows"]}
    assert (index["rank"], index["n"]) == (table["karazhal"]["rank"], 8)
    assert index["score"] == table["karazhal"]["score"]
    # the contributions of an additive index add up to its score (Result.explain)
    assert index["additive"] is True
    assert sum(c["contribution"] for c in index["contributions"] if c["contribution"]) == pytest.approx(
        index["score"]
    )
    cls = index["classes"][0]
    assert cls["class_id"] == table["karazhal"]["classes"]["potential"]["id"]
    assert cls["measures"]["reason"].startswith("Karazhal")
    assert cls["measures"]["measures"]
    html = bundled_client.get("/territories/karazhal?lang=kk").text
    assert "Ұсынылатын шаралар" in html and 'data-chart="bar"' in html


def test_a_region_with_seed000_scores_has_the_ris3_wheel(bundled_client) -> None:
    data = bundled_client.get("/territories/atyrau.json").json()
    wheel = data["ris3"]
    assert wheel is not None and len(wheel["axes"]) == 6 and len(wheel["values"]) == 6
    assert data["series"]  # indicators observed in several years
    assert bundled_client.get("/territories/akmola.json").json()["ris3"] is None


def test_compare_two_to_five_territories(bundled_client) -> None:
    data = bundled_client.get("/compare.json?t=satpayev&t=karazhal&t=balkhash").json()
    assert [t["code"] for t in data["territories"]] == ["satpayev", "karazhal", "balkhash"]
    radar = data["radar"]
    assert len(radar["series"]) == 3 and len(radar["axes"]) == len(radar["series"][0]["values"])
    assert all(v is None or 0 <= v <= 1 for s in radar["series"] for v in s["values"])
    assert any(i["methodology"] == M4 for i in data["indices"])
    one = bundled_client.get("/compare.json?t=satpayev")
    assert one.status_code == 400 and "choose 2 to 5 territories" in one.json()["detail"]
    bad = bundled_client.get("/compare.json?t=satpayev&t=atlantis")
    assert bad.status_code == 400 and "atlantis" in bad.json()["detail"]
    form = bundled_client.get("/compare").text
    assert form.count('name="t"') == 5 and '<label for="t0">' in form


def test_map_colours_monotowns_by_class_with_a_legend(bundled_client) -> None:
    data = bundled_client.get(f"/map.json?index={M4}&column=potential").json()
    overlay = data["overlay"]
    assert overlay["mode"] == "categorical"
    assert [c["id"] for c in overlay["categories"]] == ["low", "medium", "high"]
    assert [c["colour"] for c in overlay["categories"]] == class_colours(3)
    points = {p["code"]: p for p in data["points"]}
    assert len(points) == 8 and all(p["category"] in {"low", "medium", "high"} for p in points.values())
    score = bundled_client.get(f"/map.json?index={M4}&column=rank").json()
    assert score["overlay"]["mode"] == "numeric" and score["overlay"]["direction"] == -1
    bad = bundled_client.get(f"/map.json?index={M4}&column=nope")
    assert bad.status_code == 400 and "column 'nope'" in bad.json()["detail"]


def test_map_layers_raw_material_and_depressed(bundled_client) -> None:
    raw = bundled_client.get("/map.json?layer=raw_material").json()
    listed = {r["code"] for r in raw["regions"] if r["category"] == "listed"}
    # seed 002, l.61-64: Atyrau, West Kazakhstan, Mangystau and Kyzylorda regions
    assert listed == {"atyrau", "west_kazakhstan", "mangystau", "kyzylorda"}
    dep = bundled_client.get("/map.json?layer=depressed").json()
    assert dep["points"] and all(p["lat"] is not None for p in dep["points"])
    assert {p["category"] for p in dep["points"]} <= {c["id"] for c in dep["overlay"]["categories"]}
    assert bundled_client.get("/map.json?layer=nope").status_code == 400


def _csrf(client) -> dict[str, str]:
    """The CSRF header every POST needs (routes/_auth.py), bound to the pre-session cookie /api/csrf sets
    (set again without its Secure flag: the test client talks plain HTTP to "testserver")."""
    answer = client.get("/api/csrf")
    client.cookies.set("aimaq_presession", answer.cookies["aimaq_presession"])
    return {"X-CSRF-Token": answer.json()["csrf_token"]}


def test_what_if_api_moves_a_rank_and_reports_problems(bundled_client) -> None:
    bundled_client.headers.update(_csrf(bundled_client))
    body = {"values": [{"territory": "karazhal", "indicator": "mono_lsg_satisfaction_pct", "value": 90}]}
    data = bundled_client.post(f"/api/whatif/{M4}", json=body).json()
    assert data["ok"] is True and data["saved"] is False and "karazhal" in data["moved"]
    row = next(r for r in data["rows"] if r["code"] == "karazhal")
    assert row["rank_new"] < row["rank"]
    # nothing saved: the ranking is unchanged
    again = {r["code"]: r for r in bundled_client.get(f"/rankings/{M4}.json").json()["rows"]}
    assert again["karazhal"]["rank"] == row["rank"]
    bad = bundled_client.post(
        f"/api/whatif/{M4}",
        json={"values": [{"territory": "x", "indicator": "y", "value": 1}], "weights": {"z": 1}},
    )
    assert bad.status_code == 422
    assert [e["key"] for e in bad.json()["errors"]] == [
        "values.0.territory",
        "values.0.indicator",
        "weights.z",
    ]
    extra = bundled_client.post(f"/api/whatif/{M4}", json={"values": [], "colour": 1})
    assert extra.status_code == 422 and "colour" in extra.json()["detail"]
    empty = bundled_client.post(f"/api/whatif/{M4}", json={})
    assert empty.status_code == 422 and empty.json()["errors"][0]["key"] == "values"


def test_what_if_form_works_without_javascript(bundled_client) -> None:
    url = f"/methodologies/{M4}/whatif?territory=karazhal&indicator=mono_lsg_satisfaction_pct&value=90"
    html = bundled_client.get(url).text
    assert 'id="whatif-table"' in html and 'class="moved" data-code="karazhal"' in html
    bad = bundled_client.get(f"/methodologies/{M4}/whatif?territory=karazhal&indicator=nope&value=1")
    assert bad.status_code == 422 and "values.0.indicator" in bad.text


def test_spec_blocks_keep_comments_with_their_key() -> None:
    text = "name: x\n# Table 2, l.472-485\nclassify:\n  method: thresholds  # l.480\n"
    assert spec_blocks(text) == {
        "name": "name: x",
        "classify": "# Table 2, l.472-485\nclassify:\n  method: thresholds  # l.480",
    }


def test_a_profile_offers_a_what_if_for_each_of_its_indices(bundled_client) -> None:
    html = bundled_client.get("/territories/karazhal").text
    assert f'action="/methodologies/{M4}/whatif"' in html
    assert '<input type="hidden" name="territory" value="karazhal">' in html
    assert 'value="mono_lsg_satisfaction_pct"' in html


def test_compare_table_downloads(bundled_client) -> None:
    r = bundled_client.get("/compare.csv?t=satpayev&t=karazhal")
    frame = pd.read_csv(io.BytesIO(r.content), encoding="utf-8-sig")
    assert list(frame.columns) == ["item", "period", "Satpayev", "Karazhal"]
    assert len(frame) > 10
    assert bundled_client.get("/compare.xlsx").status_code == 400


def test_seed001_claims_are_named_in_the_reproduction_page_and_its_csv(bundled_client) -> None:
    name = "seed001_published_claims"
    data = bundled_client.get(f"/methodologies/{name}.json").json()["reproduction"]
    claims = {c["claim"] for c in data["cells"]}
    assert data["has_claims"] and {f"C{i:02d}" for i in range(1, 52)} <= claims
    html = bundled_client.get(f"/methodologies/{name}?lang=kk").text
    assert '<th scope="col">Тұжырым</th>' in html and "<td>C04</td>" in html
    csv = bundled_client.get(f"/methodologies/{name}/reproduction.csv").content
    frame = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert frame.columns[0] == "claim" and set(frame["claim"].dropna()) == claims - {""}
    # a preset whose cells check no named claim shows no claim column
    assert 'scope="col">Claim<' not in bundled_client.get(f"/methodologies/{M4}?lang=en").text
