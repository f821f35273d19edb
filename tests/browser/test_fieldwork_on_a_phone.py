"""Visit 2 on a phone (375 × 812): the handyman opens the installation visit of his household (intake done, package
approved), lowers one product with −, sees the total follow, records the installation and sees it done. The page
never scrolls sideways, its buttons are thumb-sized, and the products line has spent what was installed."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from budget.models import BudgetLine
from fieldwork import services
from subsidy import packages
from tests.browser.test_application_journey import watched
from tests.browser.test_household_journey import PHONE, log_in
from tests.factories import assessed_household, product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FINDINGS = {"energy_label": "E", "glazing": "single", "roof_insulation": "none", "floor_insulation": "none",
            "wall_insulation": "partly", "advised_measure": "floor"}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def smallest_side(locator) -> float:
    box = locator.bounding_box()
    return min(box["width"], box["height"])


@pytest.fixture
def installation_visit(programme, handyman):
    """Handyman's household: the intake done, 4 LED lamps and 2 radiator fans (€ 108,00) approved."""
    household = assessed_household(handyman, contact_name="Fatima el Amrani")
    now = timezone.now()
    intake = services.plan_visit(household, by=handyman, planned_at=now + datetime.timedelta(hours=1))
    services.record_intake(intake, by=handyman, findings=FINDINGS)
    packages.propose(household, by=handyman, items={product("LED-lamp").pk: 4, product("Radiatorventilator").pk: 2})
    return services.plan_visit(household, by=handyman, planned_at=now + datetime.timedelta(hours=2))


def test_the_handyman_records_the_installation_on_a_phone(page, live_server, programme, handyman,
                                                        installation_visit):
    page = watched(page)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "handyman")

    page.goto(f"{live_server.url}/bezoeken/{installation_visit.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bezoek 2: Installatie")
    expect(page.get_by_text("Fatima el Amrani")).to_be_visible()
    assert no_sideways_scroll(page)
    page.get_by_role("link", name="Installatie vastleggen").click()

    total = page.locator("[data-total]")
    expect(total).to_have_text("€\u00a0108,00")
    fans = page.get_by_label("Radiatorventilator", exact=True)
    expect(fans).to_have_value("2")
    less = page.get_by_role("button", name="Eén minder: Radiatorventilator")
    assert smallest_side(less) >= 44
    assert smallest_side(page.get_by_role("button", name="Eén meer: Radiatorventilator")) >= 44
    assert no_sideways_scroll(page)

    less.click()
    expect(fans).to_have_value("1")
    expect(total).to_have_text("€\u00a063,00")
    expect(page.get_by_text("Over na deze installatie")).to_contain_text("€\u00a0267,00")
    page.get_by_role("button", name="Eén meer: LED-lamp").click()  # approved 4: it stays at 4
    expect(page.get_by_label("LED-lamp", exact=True)).to_have_value("4")
    expect(total).to_have_text("€\u00a063,00")

    installed = page.get_by_role("button", name="Geïnstalleerd", exact=True)
    assert smallest_side(installed) >= 44
    installed.click()

    expect(page.get_by_text("De installatie is vastgelegd.")).to_be_visible()
    expect(page.get_by_role("heading", name="Geïnstalleerde producten")).to_be_visible()
    expect(page.get_by_text("1 × Radiatorventilator")).to_be_visible()
    assert no_sideways_scroll(page)
    line = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.PRODUCTS)
    assert (line.spent, line.committed_open) == (Decimal("63.00"), Decimal("0.00"))
    assert page.problems == []
