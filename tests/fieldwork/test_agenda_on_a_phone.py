"""On a 375 px phone the handyman plans the next visit from his agenda with one thumb, and the household page's
field-work section fits without sideways scrolling."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fieldwork import services
from fieldwork.models import Visit
from tests.browser.test_household_journey import PHONE, log_in
from tests.factories import assessed_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("SCREENSHOTS", "")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def snap(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def test_the_handyman_plans_the_intake_from_his_start_page_on_a_phone(page, live_server, programme, handyman,
                                                                      community_worker):
    waiting = assessed_household(handyman, community_worker=community_worker, contact_name="Fatima el Amrani",
                                 phone="06 12345678", dwelling__street="Gijsbrecht van Amstelstraat")
    today = assessed_household(handyman, contact_name="Jan de Vries", phone="035 6231234")
    services.plan_visit(today, by=handyman, planned_at=timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(23, 30))))
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "handyman")

    expect(page.get_by_role("heading", name="Vandaag")).to_be_visible()
    expect(page.get_by_role("link", name="Bel Jan de Vries: 035 6231234")).to_have_attribute("href", "tel:0356231234")
    assert fits(page), "the start page scrolls sideways"
    snap(page, "start")
    plan = page.get_by_role("link", name="Plan de intake")
    assert plan.bounding_box()["height"] >= 44
    plan.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Plan de intake")
    assert fits(page), "the plan page scrolls sideways"
    page.get_by_label("Datum").fill((timezone.localdate() + datetime.timedelta(days=2)).isoformat())
    page.get_by_label("Tijd").fill("10:30")
    page.get_by_role("button", name="Plan de intake").click()

    expect(page.locator(".messages")).to_contain_text("De intake is gepland op")
    assert Visit.objects.get(household=waiting).kind == Visit.Kind.INTAKE
    page.goto(f"{live_server.url}/households/{waiting.pk}/")
    section = page.locator("#fieldwork")
    expect(section).to_contain_text("Gepland op")
    expect(section.get_by_role("link", name="Verzetten")).to_be_visible()
    assert fits(page), "the household page scrolls sideways"
    snap(page, "household")
    page.goto(f"{live_server.url}/veldwerk/agenda/")
    assert fits(page), "the agenda scrolls sideways"
    snap(page, "agenda")


def test_the_community_worker_handles_a_referral_on_a_phone(page, live_server, programme, handyman,
                                                            community_worker):
    household = assessed_household(handyman, community_worker=community_worker, contact_name="Fatima el Amrani")
    services.refer(household, by=handyman, reason="Hulp bij de aanvraag voor vloerisolatie.")
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "community")

    expect(page.get_by_role("heading", name="Doorverwijzingen aan u")).to_be_visible()
    page.get_by_role("link", name="Al uw doorverwijzingen").click()
    assert fits(page), "the referrals scroll sideways"
    snap(page, "referrals")
    page.get_by_label("Toelichting").fill("Gebeld; afspraak op dinsdag.")
    page.get_by_role("button", name="Markeren als afgehandeld").click()

    expect(page.locator(".messages")).to_contain_text("is afgehandeld")
    expect(page.get_by_text("Geen open doorverwijzingen.")).to_be_visible()
