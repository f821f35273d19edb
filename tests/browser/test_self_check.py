"""A resident checks on their phone whether they qualify, then calculates a DIY grant (no login)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 375, "height": 800})
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.problems = problems
    return page


def test_a_resident_checks_eligibility_and_reads_the_reasons(live_server, programme, phone):
    phone.goto(f"{live_server.url}/eligibility/self-check/")
    expect(phone.get_by_role("heading", name="Kom ik in aanmerking?", level=1)).to_be_visible()

    phone.get_by_label("Alleenstaande ouder").check()
    phone.get_by_label("Netto huishoudinkomen per maand (€)").fill("1.250,00")
    phone.get_by_label("Energielabel van de woning").select_option("unknown")
    phone.get_by_label("Sociale huur (corporatie)").check()
    phone.get_by_role("button", name="Controleren").click()

    result = phone.locator("#result")
    expect(result.get_by_role("heading", name="Uw uitkomst")).to_be_visible()
    expect(result.get_by_text("de energieklusser stelt het vast bij het intakebezoek").first).to_be_visible()
    expect(result.get_by_text(re.compile("Alleen eigenaar-bewoners kunnen de grote maatregel krijgen"))).to_be_visible()
    expect(result.locator(".tier-large .badge")).to_have_text("Komt niet in aanmerking")
    expect(result.locator(".tier-small .badge")).to_have_text("Nog niet te bepalen")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.problems == []


def test_a_resident_forgetting_the_income_is_told_what_to_fill_in(live_server, programme, phone):
    phone.goto(f"{live_server.url}/eligibility/self-check/")
    phone.get_by_label("Gehuwden / samenwonenden", exact=True).check()
    phone.get_by_label("Eigenaar-bewoner").check()
    phone.get_by_role("button", name="Controleren").click()

    expect(phone.get_by_text("Vul het netto maandinkomen in")).to_be_visible()

    phone.get_by_label("Ik heb de brief ontvangen dat de energietoeslag").check()
    phone.get_by_label("Energielabel van de woning").select_option("E")
    phone.get_by_role("button", name="Controleren").click()

    expect(phone.locator("#result .tier-large .badge")).to_have_text("Komt in aanmerking")
    expect(phone.locator("#result").get_by_text("geldt als bewijs van inkomen").first).to_be_visible()


def test_the_diy_grant_updates_while_the_area_is_typed(live_server, programme, phone):
    phone.goto(f"{live_server.url}/eligibility/diy-calculator/")
    phone.get_by_label("Maatregel").select_option("roof")

    phone.get_by_label("Oppervlakte (m²)").press_sequentially("70", delay=40)

    expect(phone.locator(".diy-grant-amount")).to_have_text(re.compile(r"€\s2\.730,00"))
    expect(phone.locator("#diy-result")).to_contain_text("420,00")
    assert phone.problems == []
