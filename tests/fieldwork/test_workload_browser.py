"""The coordinator on a phone (375 px): the workload page, one handyman's week, and reassigning two households."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fieldwork import services
from households.models import Household
from tests.browser.test_household_journey import PHONE, log_in
from tests.factories import assessed_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_coordinator_reassigns_two_households_of_a_handyman_on_a_phone(page, live_server, programme, handyman,
                                                                          handyman2, coordinator):
    first, second = assessed_household(handyman), assessed_household(handyman)
    services.plan_visit(first, by=handyman, planned_at=timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(12))))
    name = handyman.get_full_name()
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "coordinator")

    page.goto(f"{live_server.url}/veldwerk/werkverdeling/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkverdeling van de energieklussers")
    assert fits(page), "the workload page scrolls sideways"
    page.get_by_role("link", name=name).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    assert fits(page), "the handyman's week scrolls sideways"
    page.get_by_label(f"{first.reference} kiezen").check()
    page.get_by_label(f"{second.reference} kiezen").check()
    new = f"{handyman2.get_full_name()} (0 actieve huishoudens)"
    page.get_by_label("nieuwe energieklusser").select_option(label=new)
    page.get_by_role("button", name="De gekozen huishoudens herverdelen").click()

    expect(page.get_by_role("status")).to_contain_text("2 huishoudens zijn herverdeeld naar")
    assert set(Household.objects.filter(handyman=handyman2).values_list("pk", flat=True)) == {first.pk, second.pk}
    assert first.visits.get().handyman == handyman2
