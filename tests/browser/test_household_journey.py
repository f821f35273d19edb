"""The coordinator registers a household with its dwelling and consent and assigns `handyman`;
`handyman` sees it on his phone; `handyman2` does not."""

import re

import pytest
from playwright.sync_api import expect

from households.models import Household
from tests.factories import HouseholdFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen", include_hidden=True)).to_be_attached()  # folded on a phone


def log_out(page):
    if page.get_by_role("button", name="Menu").is_visible():  # on a phone the menu is folded away
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()


@pytest.fixture
def watched_page(page):
    """Fails the test on any console error (e.g. something the Content-Security-Policy blocked)."""
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.problems = problems
    return page


def test_coordinator_registers_and_assigns_handyman_sees_it_handyman2_does_not(
        watched_page, live_server, programme, coordinator, handyman, handyman2):
    page = watched_page
    log_in(page, live_server, "coordinator")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Huishoudens").click()
    page.get_by_role("link", name="Huishouden aanmelden").click()
    page.get_by_label("Contactpersoon").fill("Fatima el Amrani")
    page.get_by_label("Telefoon").fill("06 12345678")
    page.get_by_label("Leefsituatie").select_option("single_parent")
    page.get_by_label("Aantal bewoners").fill("3")
    page.get_by_label("Netto maandinkomen").fill("1350")
    page.get_by_label("Aangemeld via").select_option("income_consultant")
    page.get_by_label("Straat").fill("Larenseweg")
    page.get_by_label("Huisnummer").fill("112")
    page.get_by_label("Postcode").fill("1221 C")  # one letter short
    page.get_by_label("Plaats").fill("Hilversum")
    page.get_by_label("Energielabel", exact=False).first.select_option("E")
    page.get_by_label("Eigendom").select_option("owner_occupier")
    page.get_by_role("button", name="Aanmelden").click()

    expect(page.get_by_role("alert")).to_contain_text("Verbeter de velden")
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.get_by_role("alert").get_by_role("link", name="Postcode")).to_have_attribute("href", "#id_postcode")
    expect(page.locator("#id_postcode_error")).to_contain_text("Vul een Nederlandse postcode in")
    assert Household.objects.count() == 0

    page.get_by_label("Postcode").fill("1221cm")
    page.get_by_role("button", name="Aanmelden").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("HIL-00001 · Fatima el Amrani")
    expect(page.get_by_text("1221 CM Hilversum")).to_be_visible()
    expect(page.locator(".page-heading .badge")).to_have_text("Aangemeld")

    page.get_by_role("link", name="Toestemming vastleggen").click()
    page.get_by_label("Geeft toestemming voor verwerking door het programma").check()
    page.get_by_role("button", name="Toestemming vastleggen").click()
    expect(page.get_by_text("De toestemming is vastgelegd; het huishouden is actief.")).to_be_visible()
    expect(page.locator(".page-heading .badge")).to_have_text("Actief")

    page.get_by_role("link", name="Toewijzen").click()
    # Each handyman is offered with their current workload.
    page.get_by_label("Energieklusser").select_option(label=f"{handyman.get_full_name()} (0 actieve huishoudens)")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De toewijzing is opgeslagen.")).to_be_visible()
    expect(page.locator("#people")).to_contain_text(handyman.get_full_name())
    household = Household.objects.get()
    assert (household.status, household.handyman) == ("active", handyman)

    HouseholdFactory(programme=programme, reference="HIL-00002", contact_name="Jan Jansen")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Huishoudens").click()
    expect(page.locator(".household-table tbody tr")).to_have_count(2)
    page.get_by_label("Zoeken", exact=True).press_sequentially("amrani")  # htmx searches while typing
    expect(page.locator(".household-table tbody tr")).to_have_count(1)
    expect(page.locator(".household-table tbody")).to_contain_text("HIL-00001")
    expect(page).to_have_url(re.compile(r"q=amrani"))
    page.get_by_label("Zoeken", exact=True).fill("")
    expect(page.locator(".household-table tbody tr")).to_have_count(2)
    page.get_by_role("link", name="Kenmerk").click()  # sorts in place
    expect(page.locator(".household-table tbody tr").first).to_contain_text("HIL-00001")
    page.get_by_role("link", name="Kenmerk").click()
    expect(page.locator(".household-table tbody tr").first).to_contain_text("HIL-00002")
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Status").select_option("active")  # the filter keeps the order chosen
    expect(page).to_have_url(re.compile(r"sort=-reference"))
    expect(page.locator(".household-table tbody tr")).to_have_count(1)
    log_out(page)

    page.set_viewport_size(PHONE)
    log_in(page, live_server, "handyman")
    page.get_by_role("link", name="Huishoudens").first.click()
    card = page.locator(".household-table tbody tr").filter(has_text="HIL-00001")
    expect(card).to_be_visible()
    expect(page.locator(".household-table thead")).not_to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the list scrolls sideways"
    card.get_by_role("link", name="HIL-00001").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("HIL-00001")
    expect(page.get_by_text("Larenseweg 112")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    log_out(page)

    log_in(page, live_server, "handyman2")
    page.goto(f"{live_server.url}/households/")
    expect(page.get_by_text("Er zijn nog geen huishoudens voor u.")).to_be_visible()
    expect(page.get_by_text("HIL-00001")).to_have_count(0)
    response = page.goto(f"{live_server.url}/households/{household.pk}/")
    assert response.status == 404
    assert page.problems == [] or all(re.search(r"404|Not Found", problem) for problem in page.problems)
