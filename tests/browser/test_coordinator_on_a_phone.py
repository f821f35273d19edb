"""The coordinator's pages fit a 375 px phone: the reallocation between budget lines."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_household_journey import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_reallocation_page_fits_a_phone_and_names_the_lines_in_dutch(page, live_server, programme, coordinator):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "coordinator")

    page.goto(f"{live_server.url}/budget/programmes/{programme.slug}/reallocate/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Herverdelen tussen posten")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    source = page.get_by_label("Van begrotingspost")
    expect(source.locator("option").first).to_have_text("— kies een post —")
    source.select_option(label="Energieklussers (€ 400.000,00 beschikbaar)")
