"""Login in Debian's Chromium: a login-only action is refused without login; log in, save a RIS3
self-assessment, see it on the region's wheel; log out. Screenshots: test-artifacts/screenshots/.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "browser test passphrase"
USER = "browser-akimat"


@pytest.fixture(scope="module")
def akimat_user(make_user) -> str:
    """An akimat user of Atyrau region in the live server's store (created once)."""
    return make_user(USER, PASSWORD, [("akimat", "atyrau")])


def test_login_only_action_is_refused_then_a_saved_score_shows_on_the_wheel(watched, akimat_user) -> None:
    page = watched.page
    # without login: the form sends the visitor to the login page, with the way back
    page.goto(watched.base + "/ris3/atyrau")
    assert re.search(r"/login\?next=%2Fris3%2Fatyrau$", page.url)
    assert page.locator("#login-form").is_visible()
    # a wrong password: one message that does not say whether the user exists
    page.fill("#login-username", akimat_user)
    page.fill("#login-password", "wrong wrong wrong")
    page.click("#login-form button[type=submit]")
    assert "Wrong user name or password" in page.locator("#login-error").inner_text()
    # log in with the keyboard, back to the form
    page.fill("#login-password", PASSWORD)
    page.press("#login-password", "Enter")
    page.wait_for_url(re.compile(r"/ris3/atyrau$"))
    assert akimat_user in page.locator("#user-box").inner_text()
    # score every criterion 1 with a note, except criterion 13 (0: no roadmaps)
    for no in range(1, 19):
        cid = f"c{no:02d}"
        page.select_option(f"#score-{cid}", "0" if no == 13 else "1")
        page.fill(f"#evidence-{cid}", f"strategy 2026, p. {no}")
    page.fill("#ris3-date", "2026-04-01")
    watched.screenshot("ris3_form_en")
    page.click("#ris3-save")
    page.wait_for_selector("#ris3-saved")
    # the profile's wheel is now this assessment: policy mix (step 5) 2 of 3, the rest 3
    page.click("#ris3-saved a")
    page.wait_for_selector("#ris3")
    page.wait_for_selector("#ris3-wheel .main-svg", timeout=30_000)
    wheel = page.evaluate("() => document.getElementById('ris3-wheel').data[0].r")
    assert wheel[:6] == [3, 3, 3, 3, 2, 3]
    assert "2026-04-01" in page.content()
    watched.screenshot("ris3_profile_wheel_en")
    # log out: the form is refused again
    page.click("#logout-button")
    page.wait_for_selector("#login-link")
    page.goto(watched.base + "/ris3/atyrau")
    assert "/login?next=" in page.url
    assert watched.foreign_requests() == []
    # the one error is the wrong password's answer, 401 by design
    assert [e for e in watched.errors if "status of 401" not in e] == []
