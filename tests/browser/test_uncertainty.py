"""The uncertainty view in Chromium: rank-interval bars in a ranking (filled in by polling while the run
computes, still sortable), the robustness statement of a profile, and the uncertainty page's charts.
Screenshots: test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

M4 = "seed004_monotown_potential"
# East Kazakhstan's districts: a ranking that the other browser tests do not open, so that its run is
# usually still computing when the page is served (unless the app's warm-up has run it already)
INTEGRAL = "seed003_integral_index"
STATEMENT = re.compile(r"^rank \d+(–\d+)? of \d+ in \d+ % of replications")


def test_ranking_fills_in_its_interval_bars_and_stays_sortable(watched) -> None:
    page = watched.page
    response = page.goto(watched.base + f"/rankings/{INTEGRAL}?lang=en")
    served = response.text()
    n = page.locator("#ranking-table tbody tr").count()
    assert n == 19
    if 'data-uncertainty-kind="ranking"' in served:
        # served before the run was done: the script polls the JSON and draws the bars itself
        assert 'class="rank-interval"' not in served and "computing…" in served
        page.wait_for_selector("#ranking-table[data-state=ready]", timeout=60_000)
    assert page.locator("#ranking-table td.interval .ri-bar").count() == n
    texts = page.locator("#ranking-table td.interval .ri-text").all_inner_texts()
    assert all(re.fullmatch(r"rank \d+(–\d+)?", t) for t in texts), texts
    # the text alternative says what the bar shows; the bar itself is hidden from screen readers
    assert page.locator("#ranking-table td.interval .rank-interval[aria-hidden=true]").count() == n
    watched.screenshot("ranking_rank_intervals_en")
    header = page.locator("#ranking-table thead th.interval a")
    header.click()
    assert page.locator("#ranking-table thead th.interval").get_attribute("aria-sort") == "ascending"
    medians = [
        float(v)
        for v in page.locator("#ranking-table tbody td.interval").evaluate_all(
            "cells => cells.map(c => c.getAttribute('data-value'))"
        )
    ]
    assert medians == sorted(medians)
    assert watched.errors == [] and watched.foreign_requests() == []


def test_profile_shows_the_robustness_statement(watched) -> None:
    page = watched.page
    page.goto(watched.base + "/territories/karazhal?lang=en")
    robust = page.locator(f"#robustness-{M4}")
    page.wait_for_selector(f"#robustness-{M4}[data-state=ready]", timeout=60_000)
    text = robust.locator(".robustness-text").inner_text()
    assert STATEMENT.match(text), text
    api = page.request.get(watched.base + f"/api/uncertainty/{M4}.json?territory=karazhal&lang=en").json()
    assert text == api["territories"][0]["statement"]
    assert robust.locator(".confidence").inner_text() in {
        "(high confidence)",
        "(medium confidence)",
        "(low confidence)",
    }
    robust.scroll_into_view_if_needed()
    watched.screenshot("profile_robustness_karazhal_en")
    # every index of the profile settles: a statement or the reason it is unavailable
    page.wait_for_function(
        "() => [...document.querySelectorAll('.robustness')].every(e => e.dataset.state !== 'computing')",
        timeout=60_000,
    )
    assert watched.errors == []


def test_uncertainty_page_draws_its_charts(watched) -> None:
    page = watched.page
    page.goto(watched.base + "/methodologies/seed001_scientific_potential/uncertainty?lang=ru")
    # a computing page reloads itself when its run is ready
    page.wait_for_selector("#unc-ranks[data-state=ready]", timeout=60_000)
    page.wait_for_selector("#unc-sobol[data-state=ready]", timeout=30_000)
    page.wait_for_selector("#unc-classes-0[data-state=ready]", timeout=30_000)
    assert page.locator("#unc-table tbody tr").count() == 20
    assert "Неопределённость" in page.locator("h1").inner_text()
    watched.screenshot("uncertainty_page_seed001_ru")
    assert watched.errors == [] and watched.foreign_requests() == []
