"""The index pages in Chromium: an index colours the map, a click opens the profile with its indices, the
language switch on the new pages, downloads, a what-if that moves a rank, the compare radar.
Screenshots: test-artifacts/screenshots/."""

from __future__ import annotations

import io
import re

import pytest

pytestmark = pytest.mark.browser

MAP_READY = "#map[data-state=ready]"
M4 = "seed004_monotown_potential"
M1 = "seed001_scientific_potential"


def test_an_index_class_layer_colours_the_monotowns_with_a_legend(watched) -> None:
    page = watched.page
    page.goto(watched.base + f"/?index={M4}&column=potential")
    page.wait_for_selector(MAP_READY, timeout=60_000)
    traces = page.evaluate(
        "() => document.getElementById('map').data.map(t => [t.type, t.name, (t.lon || []).length])"
    )
    points = [t for t in traces if t[0] == "scattergeo"]
    assert sum(n for _type, _name, n in points) == 8  # the 8 monotowns of Table 2
    legend = page.locator("#map-legend li").all_inner_texts()
    assert legend[0].startswith("Low potential") and len(legend) == 4  # low, medium, high, no data
    assert page.locator("#map .legendtext").count() >= 1  # plotly's own legend names the classes
    assert page.locator('#map .modebar-btn[data-title="Download as SVG"]').count() == 1
    watched.screenshot("map_index_monotowns_en")
    assert watched.errors == [] and watched.foreign_requests() == []


def test_raw_material_layer_is_one_click_away(watched) -> None:
    page = watched.page
    page.goto(watched.base + "/")
    page.locator("a[data-layer=raw_material]").click()
    page.wait_for_selector(MAP_READY, timeout=60_000)
    assert page.locator("#map path.choroplethlocation").count() == 20
    names = page.evaluate("() => document.getElementById('map').data.map(t => t.name)")
    assert "Raw-material region" in names
    watched.screenshot("map_layer_raw_material_en")
    assert watched.errors == []


def test_click_on_an_index_region_opens_its_profile_with_the_index(watched) -> None:
    page = watched.page
    page.goto(watched.base + f"/?index={M1}&column=score")
    page.wait_for_selector(MAP_READY, timeout=60_000)
    codes = page.evaluate("() => document.getElementById('map').data[0].locations")
    region = page.locator("#map path.choroplethlocation").nth(codes.index("pavlodar"))
    box = region.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = page.locator("#map .hoverlayer .hovertext")
    tooltip.wait_for(timeout=5_000)
    assert "Pavlodar Region" in tooltip.text_content() and "Score:" in tooltip.text_content()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"/territories/pavlodar$"), timeout=10_000)
    card = page.locator(f"#index-{M1}")
    assert re.search(r"rank \d+ of 20", card.inner_text())
    page.wait_for_selector(f"#contrib-{M1}[data-state=ready]", timeout=30_000)
    watched.screenshot("profile_pavlodar_indices_en")
    assert watched.errors == []


def test_language_switch_on_the_new_pages(watched) -> None:
    page = watched.page
    page.goto(watched.base + "/methodologies")
    assert page.locator("h1").inner_text() == "Methodologies"
    page.locator(".lang-switch a[data-lang=ru]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Методики"
    page.goto(watched.base + f"/rankings/{M4}")
    assert page.locator("label[for=sort]").inner_text() == "Сортировать по"
    page.locator(".lang-switch a[data-lang=kk]").click()
    page.wait_for_load_state()
    assert page.locator("label[for=sort]").inner_text() == "Сұрыптау"
    watched.screenshot("rankings_kk")
    page.goto(watched.base + f"/methodologies/{M4}")
    assert page.locator("#reproduction").inner_text() == "Қайталау есебі"
    watched.screenshot("methodology_seed004_kk")
    assert watched.errors == []


def test_exports_download_valid_files(watched) -> None:
    import pandas as pd
    from openpyxl import load_workbook

    page = watched.page
    page.goto(watched.base + f"/rankings/{M4}")
    with page.expect_download() as info:
        page.locator("#ranking-csv").click()
    frame = pd.read_csv(info.value.path(), encoding="utf-8-sig")
    assert len(frame) == 8 and "score" in frame.columns
    with page.expect_download() as info:
        page.locator("#ranking-xlsx").click()
    # a download is stored without its extension, which openpyxl insists on: read the bytes
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    assert book.active.max_row == 9  # header + 8 monotowns
    page.goto(watched.base + "/territories/karazhal")
    with page.expect_download() as info:
        page.locator("#profile-pdf").click()
    with open(info.value.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"
    assert watched.errors == []


def test_a_what_if_moves_a_rank(watched) -> None:
    page = watched.page
    page.goto(watched.base + f"/methodologies/{M4}")
    page.select_option("#wi-territory", "karazhal")
    page.select_option("#wi-indicator", "mono_lsg_satisfaction_pct")
    page.fill("#wi-value", "90")
    page.locator("#whatif-form button[type=submit]").click()
    page.wait_for_selector("#whatif-table")
    row = page.locator('#whatif-table tr[data-code="karazhal"]')
    assert "moved" in (row.get_attribute("class") or "")
    cells = row.locator("td.num").all_inner_texts()
    old_rank, new_rank = int(cells[3]), int(cells[4].split()[0])
    assert new_rank < old_rank
    watched.screenshot("whatif_seed004_en")
    assert watched.errors == []


def test_compare_shows_the_radar(watched) -> None:
    page = watched.page
    page.goto(watched.base + "/compare")
    page.select_option("#t0", "satpayev")
    page.select_option("#t1", "karazhal")
    page.select_option("#t2", "balkhash")
    page.locator("#compare-form button[type=submit]").click()
    page.wait_for_selector("#compare-radar[data-state=ready]", timeout=30_000)
    kinds = page.evaluate("() => document.getElementById('compare-radar').data.map(t => t.type)")
    assert kinds == ["scatterpolar"] * 3
    assert page.locator("#compare-indicators tbody tr").count() > 0
    watched.screenshot("compare_monotowns_en")
    assert watched.errors == [] and watched.foreign_requests() == []
