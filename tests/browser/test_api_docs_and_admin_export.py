"""ReDoc renders under the Content-Security-Policy, and the admin export's "Select all" works."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_violations(page):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return violations


def log_in(page, live_server, username, password="demo"):
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def test_redoc_renders_the_api_without_csp_violations(page, live_server, coordinator, csp_violations):
    log_in(page, live_server, "coordinator")

    page.goto(f"{live_server.url}/api/v1/redoc/")

    expect(page.get_by_role("heading", name="Warmhuis API")).to_be_visible(timeout=15000)
    expect(page.get_by_text("Register a household with its dwelling").first).to_be_attached()
    assert csp_violations == []


def test_select_all_in_the_admin_export_clears_and_ticks_every_field(page, live_server, admin_user,
                                                                      csp_violations):
    log_in(page, live_server, admin_user.username, "password")
    page.goto(f"{live_server.url}/admin/households/household/export/")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    expect(fields.first).to_be_checked()

    page.locator(".select-toggle").uncheck()
    assert all(not box.is_checked() for box in fields.all())
    page.locator(".select-toggle").check()
    assert all(box.is_checked() for box in fields.all())
    assert csp_violations == []
