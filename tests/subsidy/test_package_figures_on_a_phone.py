"""The coordinator's package pages fit a 375 px phone: the figures (gauge, distribution, overrides), the packages
waiting for a decision and the catalogue scroll only downwards."""

import pytest
from playwright.sync_api import expect

from subsidy import packages
from tests.browser.test_household_journey import PHONE, log_in
from tests.factories import assessed_household, product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinators_package_pages_fit_a_phone(page, live_server, programme, coordinator, handyman):
    curtains = {product("Isolerende gordijnen").pk: 9}
    package = packages.propose(assessed_household(handyman), by=handyman, items=curtains, motivation="Negen ramen")
    package = packages.approve_override(package, by=coordinator, reason="Negen ramen op het noorden")
    packages.install(package, by=handyman, quantities=curtains)
    packages.propose(assessed_household(handyman), by=handyman, items={product("Radiatorventilator").pk: 8},
                     motivation="Acht radiatoren")
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "coordinator")

    pages = (("/pakketten/cijfers/", "Pakketcijfers"), ("/pakketten/wachtend/", "Pakketten die wachten op een besluit"),
             ("/producten/", "Productcatalogus"), (f"/producten/{product('LED-lamp').pk}/", "LED-lamp"))
    for path, heading in pages:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
