"""The map's layers (aimaq.services.web.map_layers and routes/map.py) and the pre-filled what-if form.

Earlier regions are drawn on the borders of their time as the gazetteer's ``valid_to`` and ``successor`` say;
the index menu lists only presets that can be drawn and says why the others cannot; a what-if form comes up
with the values and weights the result used.
"""

from __future__ import annotations

import time

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from aimaq.i18n import translator
from aimaq.services.web import map_layers
from aimaq.services.web.app import Settings, create_app

M4 = "seed004_monotown_potential"
RAW = "seed002_raw_material_region"
ENTERPRISES = (
    "enterprises_with_innovations"  # seed 003, Table 15: the oblast (1997-2022 borders) and its units
)


def _features(client: TestClient, url: str) -> dict[str, list]:
    return {f["id"]: f["geometry"]["coordinates"] for f in client.get(url).json()["features"]}


def test_historic_regions_follow_the_gazetteer_successors(seed_store) -> None:
    from aimaq.services.web.data import WebData

    snap = WebData(seed_store, ttl=3600).snapshot()
    hist = map_layers.historic_regions(snap.territories)
    # bundled territories.csv: the 1997-2022 versions and South Kazakhstan (until 2018-06-18)
    assert hist == {
        "almaty_region_1997": ("almaty_region", "zhetysu"),
        "karaganda_1997": ("karaganda", "ulytau"),
        "south_kazakhstan": ("turkistan", "shymkent"),
        "east_kazakhstan_1997": ("east_kazakhstan", "abai"),
    }
    valid_to = {c: snap.territories[c]["valid_to"] for c in hist}
    # a 2019 value of the old East Kazakhstan is drawn; in 2022 its successors' own values win
    assert map_layers.drawn_historic(hist, valid_to, {"east_kazakhstan_1997"}, 2019) == {
        "east_kazakhstan_1997": ("east_kazakhstan", "abai")
    }
    both = {"east_kazakhstan_1997", "east_kazakhstan", "abai"}
    assert map_layers.drawn_historic(hist, valid_to, both, 2022) == {}
    assert "east_kazakhstan_1997" in map_layers.drawn_historic(hist, valid_to, both, 2021)


def test_a_2019_indicator_of_the_old_east_kazakhstan_is_drawn_on_its_borders_with_the_flag(
    bundled_client,
) -> None:
    data = bundled_client.get(f"/map.json?indicator={ENTERPRISES}&period=2019").json()
    by_code = {r["code"]: r for r in data["regions"]}
    east = by_code["east_kazakhstan_1997"]
    assert "abai" not in by_code and "east_kazakhstan" not in by_code and len(by_code) == 19
    assert east["value"] is not None and east["territory"] == "east_kazakhstan_1997"
    assert east["historic"]["successors"] == ["east_kazakhstan", "abai"]
    assert east["historic"]["until"] == "2022-06-07"
    assert "before 2022" in east["historic"]["note"] and "Abai Region" in east["historic"]["note"]
    assert data["borders"] == "pre2022"
    assert data["merged"] == [
        {
            "code": "abai",
            "name": "Abai Region",
            "within": "east_kazakhstan",
            "within_name": "East Kazakhstan Region",
        }
    ]
    # the polygon: one feature with the polygons of East Kazakhstan and Abai, which have none of their own
    old = _features(bundled_client, data["geojson_url"])
    new = _features(bundled_client, "/api/geo/regions.geojson?borders=2022")
    assert old["east_kazakhstan_1997"] == new["east_kazakhstan"] + new["abai"]
    assert "abai" not in old and "east_kazakhstan" not in old and len(old) == 19
    html = bundled_client.get(f"/?indicator={ENTERPRISES}&period=2019").text
    assert 'id="historic-note"' in html and 'data-code="east_kazakhstan_1997" class="historic"' in html


def test_a_region_split_in_2018_is_drawn_on_its_borders_too(seed_store, bundled_dir) -> None:
    # The bundled data hold no South Kazakhstan value; add one for 2017 (before Shymkent left it in 2018).
    class Store:
        data = seed_store.data.with_values(
            pd.DataFrame(
                [
                    {
                        "territory": "south_kazakhstan",
                        "indicator": "gerd_internal",
                        "period": "2017",
                        "value": 9.5,
                    },
                    {"territory": "akmola", "indicator": "gerd_internal", "period": "2017", "value": 4.0},
                ]
            ),
            status="published",
            source="test",
        )

        def dataset(self):
            return self.data

    app = create_app(Store(), Settings(bundled_dir=bundled_dir, default_language="en", warm_results=False))
    with TestClient(app) as client:
        data = client.get("/map.json?indicator=gerd_internal&period=2017").json()
        south = next(r for r in data["regions"] if r["code"] == "south_kazakhstan")
        assert south["value"] == 9.5 and south["historic"]["successors"] == ["turkistan", "shymkent"]
        assert {r["code"] for r in data["regions"]}.isdisjoint({"turkistan", "shymkent"})
        # no successor keeps its ISO code: both are drawn within South Kazakhstan itself
        assert [(m["code"], m["within"]) for m in data["merged"]] == [
            ("turkistan", "south_kazakhstan"),
            ("shymkent", "south_kazakhstan"),
        ]
        features = _features(client, data["geojson_url"])
        assert len(features["south_kazakhstan"]) >= 2 and "shymkent" not in features
        bad = client.get("/api/geo/map.geojson?historic=atlantis")
        assert bad.status_code == 422 and "atlantis" in bad.json()["detail"]


def test_index_values_of_an_earlier_region_are_drawn_on_its_borders(bundled_app) -> None:
    pages = bundled_app.state.pages
    tr = translator("en")
    page = pages.map_page(tr, index=M4, column="score")
    # a result row of the old East Kazakhstan (as seed 003's oblast rows are), coloured like any value
    overlay = dict(page["overlay"])
    overlay["values"] = dict(overlay["values"]) | {"east_kazakhstan_1997": 30.0}
    overlay["formatted"] = dict(overlay["formatted"]) | {"east_kazakhstan_1997": "30"}
    out = map_layers.redraw(dict(page) | {"overlay": overlay, "problem": None}, pages, tr)
    east = next(r for r in out["regions"] if r["code"] == "east_kazakhstan_1997")
    assert east["value"] == 30.0 and east["formatted"] == "30" and east["historic"]["until"] == "2022-06-07"
    assert out["borders"] == "pre2022" and "east_kazakhstan_1997" in out["geojson_url"]
    assert map_layers.redraw(dict(page) | {"problem": None}, pages, tr)["borders"] == "2022"


def _menu(client: TestClient) -> dict[str, dict]:
    """The index menu once the fast presets have answered (they are probed in the background)."""
    deadline = time.monotonic() + 60
    while True:
        menu = {m["name"]: m for m in client.get("/map.json").json()["index_choices"]}
        if menu[RAW]["status"] != "computing" and menu[M4]["status"] != "computing":
            return menu
        if time.monotonic() > deadline:
            pytest.fail(f"the presets did not answer within 60 s: {menu[RAW]}, {menu[M4]}")
        time.sleep(0.5)


def test_the_index_menu_lists_only_drawable_presets_and_says_why_not(bundled_client) -> None:
    menu = _menu(bundled_client)
    assert menu[M4]["drawable"] and menu[M4]["status"] == "ok" and menu[M4]["years"] == [2020]
    raw = menu[RAW]
    assert not raw["drawable"] and raw["status"] == "missing_data"
    assert raw["reason"].startswith("its data are not in the store: ") and "'gva_b'" in raw["reason"]
    html = bundled_client.get("/").text
    assert f'<option value="{RAW}" disabled data-status="missing_data">' in html
    assert f'<option value="{M4}" data-status="ok">' in html
    assert 'id="index-missing"' in html and f'data-name="{RAW}"' in html


def test_a_preset_of_kazakhstan_as_a_whole_is_not_offered_for_the_map(bundled_client) -> None:
    deadline = time.monotonic() + 60
    name = "seed002_export_dependence"
    while (row := {m["name"]: m for m in _menu(bundled_client).values()}[name])["status"] == "computing":
        assert time.monotonic() < deadline
        time.sleep(0.5)
    assert row["status"] == "not_on_map" and not row["drawable"]
    assert "Republic of Kazakhstan" in row["reason"] or "kz" in row["reason"]
    direct = bundled_client.get(f"/map.json?index={name}")
    assert (
        direct.status_code == 409 and "none of its territories is drawn on the map" in direct.json()["detail"]
    )


def test_a_direct_url_to_an_undrawable_index_shows_the_map_with_the_reason(bundled_client) -> None:
    page = bundled_client.get(f"/?index={RAW}")
    assert page.status_code == 409
    assert 'id="map-problem"' in page.text and "cannot be drawn on the map" in page.text
    assert "gva_b" in page.text and 'id="map"' in page.text  # the indicator map is still there
    data = bundled_client.get(f"/map.json?index={RAW}").json()
    assert data["ok"] is False and data["overlay"] is None and data["problem"]["status"] == 409
    assert data["problem"]["asked"]["index"] == RAW and "gva_b" in data["detail"]
    year = bundled_client.get(f"/?index={M4}&year=1990")
    assert (
        year.status_code == 400
        and "year 1990 was not computed" in year.text
        and 'id="map-problem"' in year.text
    )
    assert bundled_client.get(f"/map.csv?index={RAW}").status_code == 409


def test_the_what_if_form_is_prefilled_with_the_nominal_values_and_weights(bundled_client) -> None:
    html = bundled_client.get(f"/methodologies/{M4}/whatif").text
    assert 'id="whatif-full-form"' in html and 'id="whatif-table"' not in html
    # seed 004, Table 1: Karazhal, satisfaction with local self-government 46 %
    assert 'name="v.karazhal.mono_lsg_satisfaction_pct" value="46"' in html
    assert 'id="wf-v.karazhal.mono_lsg_satisfaction_pct-nominal">nominal 46<' in html
    # categorical indicators keep their labels, with the labels seen as choices
    assert 'name="v.karazhal.mono_nla_innovation_exists" value="no"' in html
    # weights: the four indicators of the organisational-legal group, 1/4 each
    assert 'name="w.mono_lsg_satisfaction_pct" value="0.25"' in html
    assert '<label for="wf-w.mono_lsg_satisfaction_pct">' in html


def test_an_untouched_form_changes_nothing_and_a_changed_field_is_the_one_edit(bundled_client) -> None:
    html = bundled_client.get(f"/methodologies/{M4}/whatif").text
    import re

    fields = dict(re.findall(r'name="([vw]\.[^"]+)" value="([^"]*)"', html))
    assert len(fields) > 8 * 10
    same = bundled_client.get(f"/methodologies/{M4}/whatif", params=fields)
    assert same.status_code == 200 and 'id="whatif-table"' not in same.text
    moved = bundled_client.get(
        f"/methodologies/{M4}/whatif", params=fields | {"v.karazhal.mono_lsg_satisfaction_pct": "90"}
    )
    assert moved.status_code == 200 and 'class="moved" data-code="karazhal"' in moved.text
    assert "<code>karazhal.mono_lsg_satisfaction_pct</code> = 90.0" in moved.text  # the only edit
    assert 'name="v.karazhal.mono_lsg_satisfaction_pct" value="90" size="7" inputmode="decimal"' in moved.text
    assert re.search(r'<td class="num rank-new">6 <span class="arrow up"[^>]*>▲ 2</span>', moved.text)
    bad = bundled_client.get(
        f"/methodologies/{M4}/whatif", params={"v.karazhal.mono_lsg_satisfaction_pct": "lots"}
    )
    assert (
        bad.status_code == 422
        and "v.karazhal.mono_lsg_satisfaction_pct: &#39;lots&#39; is not a number" in bad.text
    )
    # seed 004 weights with the short form in its aggregate step: a changed weight is still an edit
    reweighted = bundled_client.get(
        f"/methodologies/{M4}/whatif", params={"w.mono_lsg_satisfaction_pct": "3"}
    )
    assert reweighted.status_code == 200 and 'id="whatif-table"' in reweighted.text
    assert "<code>mono_lsg_satisfaction_pct</code> = 3" in reweighted.text
    assert " readonly" not in reweighted.text
    # seed 001 has a weight step: a changed weight field is the edit
    m1 = "seed001_scientific_potential"
    form = bundled_client.get(f"/methodologies/{m1}/whatif").text
    assert 'name="w.doctoral_students_per_100k_log" value="0.5"' in form and " readonly" not in form
    weight = bundled_client.get(
        f"/methodologies/{m1}/whatif", params={"w.doctoral_students_per_100k_log": "3"}
    )
    assert weight.status_code == 200 and "<code>doctoral_students_per_100k_log</code> = 3" in weight.text
    missing = bundled_client.get(f"/methodologies/{RAW}/whatif")
    assert missing.status_code == 409 and "gva_b" in missing.text
