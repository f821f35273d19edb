"""On a phone the header is one compact line; its menu opens with the button (mouse or keyboard)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("demo")
    page.locator("#id_password").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_on_a_phone_the_header_is_compact_and_the_menu_opens_and_closes(page, live_server, coordinator):
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/households/")
    header = page.locator(".site-header")
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Hoofdmenu")

    assert header.bounding_box()["height"] <= 64
    expect(nav).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_have_attribute("aria-controls", "site-menu")

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Begroting")).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()

    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    nav.get_by_role("link", name="Begroting").click()
    expect(page).to_have_url(f"{live_server.url}/budget/")


def test_on_a_wide_screen_the_navigation_shows_without_a_menu_button(page, live_server, coordinator):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, "coordinator")

    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Huishoudens")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
