"""Administration in Debian's Chromium: an administrator logs in, creates a user, grants a role for a
territory, and finds both in the audit log. Screenshots: test-artifacts/screenshots/admin_*.png.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "browser admin passphrase"
ADMIN = "browser-admin"
NEW_USER = "browser-analyst"


@pytest.fixture(scope="module")
def admin_user(make_user) -> str:
    """An administrator in the live server's store (created once)."""
    return make_user(ADMIN, PASSWORD, [("administrator", None)])


def test_admin_creates_a_user_grants_a_role_and_sees_both_in_the_audit_log(watched, admin_user) -> None:
    page = watched.page
    page.goto(watched.base + "/admin/users")
    assert "/login?next=%2Fadmin%2Fusers" in page.url
    page.fill("#login-username", admin_user)
    page.fill("#login-password", PASSWORD)
    page.press("#login-password", "Enter")
    page.wait_for_url(re.compile(r"/admin/users$"))
    assert page.locator("#admin-link").is_visible()
    # create a user; a password that breaks the rules first: refused, the name kept, nothing created
    page.fill("#new-username", NEW_USER)
    page.fill("#new-display-name", "Analyst <b>one</b>")
    page.fill("#new-password", "short")
    page.fill("#new-password-repeat", "short")
    page.click("#create-user-button")
    page.wait_for_selector("#admin-errors")
    assert "at least 10 characters (got 5)" in page.locator("#admin-errors").inner_text()
    assert page.locator("#new-username").input_value() == NEW_USER
    assert page.locator(f"#user-{NEW_USER}").count() == 0
    page.fill("#new-password", "a long enough passphrase")
    page.fill("#new-password-repeat", "a long enough passphrase")
    page.click("#create-user-button")
    page.wait_for_selector("#admin-done")
    assert f"User {NEW_USER} was created." in page.locator("#admin-done").inner_text()
    row = page.locator(f"#user-{NEW_USER}")
    assert "Analyst <b>one</b>" in row.inner_text()  # shown as text, not markup
    # grant the akimat role for Karaganda region, with the keyboard-usable disclosure and pickers
    row.locator("summary").click()
    row.locator(".grant-form select[name=role]").select_option("akimat")
    row.locator(".grant-form select[name=territory]").select_option("karaganda")
    watched.screenshot("admin_users_grant_en")
    row.locator(".grant-form button[type=submit]").click()
    page.wait_for_selector("#admin-done")
    assert f"The role was granted to {NEW_USER}." in page.locator("#admin-done").inner_text()
    assert "Akimat" in page.locator(f"#user-{NEW_USER} .grants").inner_text()
    # the audit log, filtered by the administrator: the grant (newest) above the creation
    page.goto(watched.base + "/admin/audit")
    page.fill("#f-user", admin_user)
    page.click("#audit-filters button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/audit\?"))
    rows = page.locator("#audit-log tbody tr")
    first, second = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "grant" in first and "karaganda" in first and NEW_USER in first
    assert "create" in second and NEW_USER in second
    watched.screenshot("admin_audit_en")
    assert watched.foreign_requests() == []
    # the one error is the refused password's answer, 422 by design
    assert [e for e in watched.errors if "status of 422" not in e] == []
