"""The workflow pages in Debian's Chromium: a council member logs in, records a research need, validates it
(RN-2), and sees both steps in the object's history. Screenshots: test-artifacts/screenshots/workflow_*.png.
"""

from __future__ import annotations

import re
import uuid

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "workflow browser pass"


@pytest.fixture(scope="module")
def council_user(make_user) -> str:
    """A regional science council member of Karaganda, made with Auth on the live server's store."""
    return make_user(f"council-{uuid.uuid4().hex[:6]}", PASSWORD, [("council", "karaganda")])


def test_log_in_record_a_need_move_it_on_and_see_the_history(watched, council_user: str) -> None:
    page = watched.page
    page.goto(watched.base + "/workflow/needs/new?region=karaganda")
    # anonymous visitors see the form; saving needs a login, so log in first
    page.goto(watched.base + "/login?next=/workflow/needs/new%3Fregion%3Dkaraganda")
    page.fill("#login-username", council_user)
    page.fill("#login-password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(re.compile(r"/workflow/needs/new\?region=karaganda$"), timeout=10_000)
    assert page.locator(".wf-who").count() == 0  # logged in: no "log in to act" hint

    page.select_option("#new-territory", "karaganda")
    page.fill("#new-title", "Tailings of the copper plant")
    page.fill("#new-description", "raised by the akimat at the council meeting")
    page.fill("#new-reason", "council meeting 3")
    watched.screenshot("workflow_new_need_en")
    page.click("#wf-create-form button[type=submit]")
    page.wait_for_url(re.compile(r"/workflow/needs/\d+$"), timeout=10_000)
    assert page.locator("h1").inner_text().endswith("Tailings of the copper plant")
    assert page.locator("#wf-state").inner_text() == "identified"

    move = page.locator('details[data-transition="RN-2"]')
    move.locator("summary").click()  # keyboard users open it with Enter; the form is inside
    move.locator('input[name="priority"]').fill("PI63-6 ecology")
    move.locator('input[name="reason"]').fill("urgent regional task")
    move.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/workflow/needs/\d+#history$"), timeout=10_000)
    assert page.locator("#wf-state").inner_text() == "validated"
    rows = page.locator(".wf-history tbody tr")
    assert rows.count() == 2
    newest = rows.nth(0).inner_text()
    assert "RN-2" in newest and council_user in newest and "urgent regional task" in newest
    assert "identified" in newest and "validated" in newest  # old -> new state
    assert "RN-1" in rows.nth(1).inner_text()
    watched.screenshot("workflow_need_history_en")

    page.goto(watched.base + "/workflow")
    row = page.locator('#workflow-regions tr[data-region="karaganda"]')
    assert "Tailings of the copper plant" not in row.inner_text()  # the latest changes name the object kind
    assert "Research need" in row.inner_text()
    watched.screenshot("workflow_overview_en")
    page.goto(watched.base + "/workflow/kazakhstan/targets?as_of=2026-12-31")
    assert page.locator("#targets tbody tr").count() == 5  # Table 3: five indicators
    watched.screenshot("workflow_targets_en")
    assert watched.foreign_requests() == []
    assert watched.errors == []
