"""The proposal page on a 375 px phone: − / + with one thumb, the running total against what is left of the €330,
the note when it goes above, and no sideways scrolling."""

import os
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from subsidy.models import Package
from tests.browser.test_household_journey import PHONE, log_in
from tests.factories import assessed_household, product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("PACKAGE_SCREENSHOTS", "")  # a folder: pictures of the page for a person to look at


def picture(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_handyman_proposes_products_with_plus_and_minus_on_a_phone(page, live_server, programme, handyman):
    household = assessed_household(handyman)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "handyman")

    page.goto(f"{live_server.url}/households/{household.pk}/")
    expect(page.get_by_role("heading", name="Kleine en middelgrote maatregelen")).to_be_visible()
    picture(page, "household")
    page.get_by_role("link", name="Producten voorstellen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Producten voorstellen")
    assert fits_the_phone(page)
    picture(page, "proposal-empty")
    fans = page.get_by_label("Radiatorventilator", exact=True)
    more_fans = page.get_by_role("button", name="één meer: Radiatorventilator")
    box = more_fans.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    for _ in range(8):
        more_fans.click()
    page.get_by_role("button", name="één minder: Radiatorventilator").click()
    expect(fans).to_have_value("7")
    total = page.locator("[data-amount=total]")
    expect(total).to_have_text("€ 315,00".replace(" ", "\xa0"))  # 7 × € 45,00
    expect(page.get_by_text("dit pakket gaat naar de coördinator voor een besluit")).to_be_hidden()

    page.get_by_role("button", name="één meer: Radiatorventilator").click()  # 8 × € 45,00 = € 360,00
    expect(total).to_have_text("€ 360,00".replace(" ", "\xa0"))
    expect(page.get_by_text("dit pakket gaat naar de coördinator voor een besluit")).to_be_visible()
    expect(page.locator("[data-amount=above]")).to_have_text("€ 30,00".replace(" ", "\xa0"))
    assert fits_the_phone(page)
    picture(page, "proposal-above")

    page.get_by_label("Waarom heeft deze woning meer nodig?").fill("Acht radiatoren onder ramen")
    page.get_by_role("button", name="Pakket voorstellen").click()

    expect(page.get_by_text("wacht op het besluit van de coördinator").first).to_be_visible()
    assert fits_the_phone(page)
    picture(page, "package")
    package = Package.objects.get(household=household)
    assert package.status == Package.Status.OVERRIDE_REQUESTED
    assert package.value == Decimal("360.00")
    assert list(package.items.values_list("product", "quantity")) == [(product("Radiatorventilator").pk, 8)]
