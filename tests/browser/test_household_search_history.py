"""The live search pushes its address; Back after opening a household shows the whole styled list again,
never the bare htmx fragment the browser fetched for that same address."""

import importlib
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_household_journey import log_in
from tests.factories import HouseholdFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cacheable_pages(monkeypatch):
    """The pages as a browser may keep them, without the site-wide `no-store` (accounts.middleware): the
    fragment and the page must differ by `Vary`, not be saved from confusion by never being stored."""
    try:
        no_store = importlib.import_module("accounts.middleware").NoStoreMiddleware
    except (ImportError, AttributeError):
        return  # no site-wide no-store: the browser may keep the pages anyway
    monkeypatch.setattr(no_store, "__call__", lambda self, request: self.get_response(request))


def test_back_after_a_live_search_and_opening_a_household_shows_the_whole_list_page(
        page, live_server, cacheable_pages, programme, coordinator):
    HouseholdFactory(programme=programme, reference="HIL-00007", contact_name="Familie Mulder")
    HouseholdFactory(programme=programme, reference="HIL-00008", contact_name="Familie de Vries")
    log_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/households/")

    page.get_by_role("searchbox", name="Zoeken").fill("Mulder")
    page.wait_for_url("**/households/?q=Mulder*")
    expect(page.get_by_text("Familie de Vries")).to_have_count(0)
    page.wait_for_load_state("networkidle")  # the live server on SQLite serves one request at a time safely
    # Back often cannot use the page kept in memory (evicted, or not kept: here an unload handler prevents it);
    # the browser then loads the address again, from its HTTP cache if it may.
    page.evaluate("window.addEventListener('unload', () => {})")
    page.get_by_role("link", name="HIL-00007").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("HIL-00007 · Familie Mulder")
    page.wait_for_load_state("networkidle")

    page.go_back()

    expect(page).to_have_url(re.compile(r"/households/\?q=Mulder"))
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Huishoudens")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Zoeken")).to_have_value("Mulder")
    assert page.locator("link[rel=stylesheet]").count() >= 1
    assert page.evaluate("getComputedStyle(document.querySelector('header.site-header')).display") != "inline"
    expect(page.get_by_role("link", name="HIL-00007")).to_be_visible()
