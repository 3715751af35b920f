"""The web app in Debian's Chromium: the map draws 20 regions offline, a click opens the profile, the
language switch changes the labels, pages have no console errors. Screenshots: test-artifacts/screenshots/.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

MAP_READY = "#map[data-state=ready]"


def test_map_renders_20_regions_offline(watched) -> None:
    page = watched.page
    page.goto(watched.base + "/?indicator=gerd_internal&period=2024")
    page.wait_for_selector(MAP_READY, timeout=30_000)
    assert page.locator("#map path.choroplethlocation").count() == 20
    assert page.locator("#map .colorbar").count() == 1  # the legend
    watched.screenshot("map_en")
    assert watched.foreign_requests() == []
    assert watched.errors == []


def test_click_on_a_region_opens_its_profile(watched) -> None:
    page = watched.page
    page.goto(watched.base + "/?indicator=gerd_internal&period=2024")
    page.wait_for_selector(MAP_READY, timeout=30_000)
    # Pavlodar (KZ-55) by its trace point: read the location order plotly drew, then click that path.
    codes = page.evaluate("() => document.getElementById('map').data[0].locations")
    index = codes.index("pavlodar")
    region = page.locator("#map path.choroplethlocation").nth(index)
    box = region.bounding_box()
    # the visual centre of a convex-ish region lies inside it; hover first so plotly registers the point
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = page.locator("#map .hoverlayer .hovertext")
    tooltip.wait_for(timeout=5_000)
    # seed 001, Table 1, l.768: Pavlodar 2024 = 1,772.8 mln KZT
    text = tooltip.text_content()  # an SVG element: no inner_text
    assert "Pavlodar Region" in text and "1,772.8" in text
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"/territories/pavlodar$"), timeout=10_000)
    assert page.locator("h1").inner_text() == "Pavlodar Region"
    watched.screenshot("profile_pavlodar_en")
    assert watched.errors == []


def test_pre_2022_data_shows_old_borders_and_a_banner(watched) -> None:
    page = watched.page
    page.goto(watched.base + "/?indicator=doctoral_students&period=2020")
    page.wait_for_selector(MAP_READY, timeout=30_000)
    assert page.locator("#map path.choroplethlocation").count() == 17
    assert "pre-2022 borders" in page.locator("#borders-banner").inner_text()
    watched.screenshot("map_pre2022_en")
    assert watched.errors == [] and watched.foreign_requests() == []


def test_language_switch_changes_labels_and_is_remembered(watched) -> None:
    page = watched.page
    page.goto(watched.base + "/territories")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Territories"
    page.locator(".lang-switch a[data-lang=ru]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Территории"
    assert page.locator("a", has_text="Жамбылская область").count() >= 1
    watched.screenshot("territories_ru")
    page.goto(watched.base + "/about")  # no ?lang: the cookie remembers Russian
    assert page.locator("h1").inner_text() == "О проекте"
    page.locator(".lang-switch a[data-lang=kk]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Жоба туралы"
    watched.screenshot("about_kk")
    assert watched.errors == []


def test_map_in_kazakh_with_keyboard_navigation(watched) -> None:
    page = watched.page
    page.goto(watched.base + "/?lang=kk&indicator=gerd_internal&period=2024")
    page.wait_for_selector(MAP_READY, timeout=30_000)
    assert page.locator("label[for=indicator]").inner_text() == "Көрсеткіш"
    # The skip link is the first stop of the keyboard; it moves the focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Every region is reachable by keyboard in the table under the map.
    links = page.locator("#map-table tbody th a")
    assert links.count() == 20
    links.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/territories/\w+$"))
    watched.screenshot("profile_kk")
    assert watched.errors == []


def test_profile_cites_the_seed_line_and_the_viewer_highlights_it(watched) -> None:
    page = watched.page
    page.goto(watched.base + "/territories/atyrau")
    citation = page.locator("a.citation", has_text="l.774").first
    citation.click()
    page.wait_for_url(re.compile(r"/seeds/001\?lines=774#l774$"))
    line = page.locator("#l774")
    assert "cited" in (line.get_attribute("class") or "")
    assert "759.5" in line.inner_text()
    watched.screenshot("seed_001_l774")
    assert watched.errors == []


@pytest.mark.parametrize("width", [1280, 768])
def test_pages_fit_laptop_and_tablet_widths(watched, width: int) -> None:
    page = watched.page
    page.set_viewport_size({"width": width, "height": 900})
    for url in ("/", "/territories", "/territories/abai", "/about"):
        page.goto(watched.base + url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {width}px"
    page.goto(watched.base + "/")
    page.wait_for_selector(MAP_READY, timeout=30_000)
    watched.screenshot(f"map_{width}px")
    assert watched.errors == [] and watched.foreign_requests() == []
