"""A finance officer reads the programme overview, books an expenditure and exports a line's ledger."""

import re

import pytest
from playwright.sync_api import expect

from budget.models import BudgetLine, LedgerEntry
from budget.services import commit, spend_direct

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def finance_page(page, live_server, finance_officer):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.problems = problems
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Gebruikersnaam").fill("finance")
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    return page


def test_finance_sees_the_bars_and_chart_books_an_expenditure_and_exports_the_ledger(
        finance_page, live_server, programme, assessor, finance_officer, immediate_tasks):
    page = finance_page
    handymen = BudgetLine.objects.get(programme=programme, kind="handymen")
    grants = BudgetLine.objects.get(programme=programme, kind="grants")
    commit(grants, "3000.00", by=assessor, note="HIL-0004")
    spend_direct(grants, "2730.00", by=finance_officer, note="HIL-0004 paid")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Begroting").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Aanpak energiearmoede Hilversum 2022")
    expect(page.locator(".budget-lines .stacked-bar-svg")).to_have_count(7)
    expect(page.locator(".month-chart-svg .month-bar")).to_have_count(1)
    expect(page.get_by_text("Eenmalige grote isolatiemaatregel (subsidies): uitgegeven")).to_be_attached()
    expect(page.get_by_text("Grote maatregelen die de subsidiepost nog kan betalen")).to_be_visible()

    page.get_by_role("link", name="Energieklussers").click()
    page.get_by_role("link", name="Uitgave boeken").click()
    page.get_by_label("Bedrag (€)").fill("16.500,005")
    page.get_by_label("Omschrijving").fill("Energieklussers Gooi en Vecht, oktober")
    page.get_by_role("button", name="Boeken").click()
    expect(page.get_by_role("alert")).to_contain_text("hoogstens twee decimalen")

    page.get_by_label("Bedrag (€)").fill("16500,00")
    page.get_by_label("Boekdatum").fill("2022-10-31")
    page.get_by_role("button", name="Boeken").click()

    expect(page.get_by_text(re.compile(r"Uitgave van €\s16\.500,00 geboekt op Energieklussers"))).to_be_visible()
    expect(page.get_by_role("cell", name="Energieklussers Gooi en Vecht, oktober")).to_be_visible()
    assert LedgerEntry.objects.get(line=handymen).amount == 16500

    page.get_by_role("button", name="CSV").click()  # the ledger's export follows its filters (docs/reports.md)
    expect(page.get_by_text("De export staat klaar: 1 rij.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden (CSV)").click()
    content = download.value.path().read_text(encoding="utf-8-sig")
    assert "16500,00" in content and "Energieklussers Gooi en Vecht, oktober" in content
    assert page.problems == []
