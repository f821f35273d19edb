"""The handyman's package pages: proposing against what is left of the €330, a package's page, cancelling, and the
household page's section. The pages speak Dutch."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.models import BudgetLine
from subsidy import packages
from subsidy.models import Package, Product, ProductPrice, ProductTier
from tests.factories import application_in, assessed_household, product


@pytest.fixture
def household(programme, handyman, community_worker):
    return assessed_household(handyman, community_worker=community_worker)


@pytest.fixture
def as_handyman(client, handyman):
    client.force_login(handyman)
    return client


def products_line_totals(programme):
    line = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.PRODUCTS)
    return line.committed_open, line.spent


def propose_url(household):
    return reverse("subsidy:propose_package", args=[household.pk])


def quantities(items: dict) -> dict:
    """The form's fields for {product name: quantity}."""
    return {f"quantity_{product(name).pk}": quantity for name, quantity in items.items()}


# 5 radiator fans (€225) + curtains (€50) + slippers (€35) + a draught strip (€8) + a letterbox brush (€12) = €330.00
EXACTLY_330 = {"Radiatorventilator": 5, "Isolerende gordijnen": 1, "Wollen sloffen": 1, "Tochtstrip": 1,
               "Brievenbusborstel": 1}


def page_text(response) -> str:
    """The page's words, without tags and with one space between them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace("\xa0", " ")


# --- Proposing --------------------------------------------------------------------------------------------------


def test_the_proposal_page_shows_the_catalogue_per_tier_with_prices_and_what_is_left(as_handyman, household):
    response = as_handyman.get(propose_url(household))

    assert response.status_code == 200
    text = page_text(response)
    assert text.index("Kleine maatregelen") < text.index("Middelgrote maatregelen")
    assert "LED-lamp" in text and "€ 4,50 per stuk" in text
    assert "Radiatorventilator" in text and "€ 45,00 per stuk" in text
    assert "€ 330,00" in text  # the limit per dwelling
    assert 'name="quantity_{}" '.format(product("LED-lamp").pk) in response.content.decode()
    assert 'value="0"' in response.content.decode()


def test_exactly_330_euros_is_approved_at_once_through_the_page(as_handyman, household, programme):
    response = as_handyman.post(propose_url(household), quantities(EXACTLY_330), follow=True)

    package = Package.objects.get(household=household)
    assert response.redirect_chain == [(reverse("subsidy:package", args=[package.pk]), 302)]
    assert package.status == Package.Status.APPROVED
    assert package.value == Decimal("330.00")
    assert "direct goedgekeurd" in page_text(response)
    assert products_line_totals(programme) == (Decimal("330.00"), Decimal("0.00"))


def test_one_cent_above_330_euros_waits_for_the_coordinator_through_the_page(as_handyman, household, programme,
                                                                           coordinator):
    packages.set_price(product("Tochtstrip"), by=coordinator, unit_price="8.01", valid_from=datetime.date.today())

    response = as_handyman.post(propose_url(household), {**quantities(EXACTLY_330), "motivation": "Vier radiatoren"},
                                follow=True)

    package = Package.objects.get(household=household)
    assert package.status == Package.Status.OVERRIDE_REQUESTED
    assert package.value == Decimal("330.01")
    assert package.motivation == "Vier radiatoren"
    text = page_text(response)
    assert "wacht op het besluit van de coördinator" in text
    assert "€ 0,01" in text
    assert products_line_totals(programme) == (Decimal("0.00"), Decimal("0.00"))


def test_the_page_says_when_the_total_goes_above_what_is_left(as_handyman, household):
    # A form that comes back (here: a bad motivation) shows the total the server computed, and the note.
    response = as_handyman.post(propose_url(household), {**quantities({"Radiatorventilator": 8}),
                                                         "motivation": "bel\x07"})

    assert response.status_code == 200
    text = page_text(response)
    assert "€ 360,00" in text
    assert "dit pakket gaat naar de coördinator voor een besluit" in text
    assert not Package.objects.exists()


def test_medium_items_are_shown_closed_with_the_reason_beside_a_large_measure_application(client, programme,
                                                                                          users_by_role, handyman):
    application = application_in("in_review", users_by_role, household__handyman=handyman)
    household = application.household
    from households.services import assess_eligibility
    assess_eligibility(household, by=handyman)
    client.force_login(handyman)

    response = client.get(propose_url(household))

    text = page_text(response)
    assert "De woning heeft een aanvraag voor een grote maatregel" in text
    assert application.reference in text
    html = response.content.decode()
    fan = product("Radiatorventilator").pk
    assert re.search(rf'<input[^>]*name="quantity_{fan}"[^>]*disabled', html)
    assert not re.search(rf'<input[^>]*name="quantity_{product("LED-lamp").pk}"[^>]*disabled', html)

    # A quantity posted for a closed product anyway is refused at its field, with the sentence; nothing is saved.
    response = client.post(propose_url(household), quantities({"Radiatorventilator": 2, "LED-lamp": 2}))
    assert response.status_code == 200
    assert "De woning heeft een aanvraag voor een grote maatregel" in response.context["form"].errors[
        f"quantity_{fan}"][0]
    assert not Package.objects.exists()


def test_a_household_the_assessment_finds_above_the_income_limit_gets_no_products(client, programme, handyman):
    household = assessed_household(handyman, net_monthly_income="9000.00", energy_allowance="no")
    client.force_login(handyman)

    response = client.get(propose_url(household))

    text = page_text(response)
    assert "komt het huishouden niet in aanmerking voor kleine maatregelen" in text
    assert "komt het huishouden niet in aanmerking voor middelgrote maatregelen" in text
    response = client.post(propose_url(household), quantities({"LED-lamp": 1}))
    assert "komt het huishouden niet in aanmerking voor kleine maatregelen" in str(
        response.context["form"].errors[f"quantity_{product('LED-lamp').pk}"])
    assert not Package.objects.exists()


@pytest.mark.parametrize(("quantity", "error"), [
    ("0", "Kies ten minste één product."),
    ("-1", "Geef 0 of meer (0: niets ervan)."),
    ("abc", "Geef een heel getal."),
    ("1.5", "Geef een heel getal."),
    ("100", "Geef hoogstens 99."),
])
def test_bad_quantities_give_a_dutch_error_and_nothing_is_saved_or_booked(as_handyman, household, programme,
                                                                         quantity, error):
    before = products_line_totals(programme)

    response = as_handyman.post(propose_url(household), {f"quantity_{product('LED-lamp').pk}": quantity})

    assert response.status_code == 200
    assert error in page_text(response)
    assert not Package.objects.exists()
    assert products_line_totals(programme) == before == (Decimal("0.00"), Decimal("0.00"))


def test_a_bad_quantity_keeps_the_others_and_the_server_counts_them(as_handyman, household):
    response = as_handyman.post(propose_url(household), quantities({"LED-lamp": 2, "Tochtstrip": "x"}))

    text = page_text(response)
    assert "Geef een heel getal." in text
    assert "Dit pakket € 9,00" in text
    assert not Package.objects.exists()


def test_a_second_proposal_while_one_is_open_points_to_the_open_one(as_handyman, household, handyman):
    package = packages.propose(household, by=handyman, items={product("LED-lamp").pk: 2})

    response = as_handyman.get(propose_url(household))
    assert reverse("subsidy:package", args=[package.pk]) in response.content.decode()
    assert "name=\"quantity_" not in response.content.decode()

    response = as_handyman.post(propose_url(household), quantities({"LED-lamp": 1}))
    assert response.status_code == 409
    assert Package.objects.count() == 1


def test_the_proposal_page_does_not_query_more_with_a_larger_catalogue(as_handyman, household, programme):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert as_handyman.get(propose_url(household)).status_code == 200
        return len(captured)

    before = queries()
    for number in range(12):
        extra = Product.objects.create(programme=programme, name=f"Extra {number}", position=20 + number,
                                       tier=ProductTier.SMALL if number % 2 else ProductTier.MEDIUM)
        ProductPrice.objects.create(product=extra, valid_from=datetime.date(2022, 1, 1), unit_price="3.00")

    assert queries() == before
    assert before <= 16


# --- A package's page and cancelling it --------------------------------------------------------------------------


def test_the_package_page_shows_items_figures_decision_bookings_and_timeline(as_handyman, household, handyman):
    handyman.first_name, handyman.last_name = "Henk", "Klusser"
    handyman.save()
    package = packages.propose(household, by=handyman, items={product("LED-lamp").pk: 4,
                                                               product("Radiatorventilator").pk: 2})

    response = as_handyman.get(reverse("subsidy:package", args=[package.pk]))

    text = page_text(response)
    assert "LED-lamp" in text and "€ 4,50" in text and "€ 18,00" in text
    assert "€ 108,00" in text  # the value: 4 × € 4,50 + 2 × € 45,00
    assert "€ 330,00" in text
    assert "Goedgekeurd" in text  # the status
    assert "Henk Klusser" in text
    assert "het systeem" in text  # approved at once by the rules
    assert response.context["bookings"]["committed"] == Decimal("108.00")
    assert 'name="version"' in response.content.decode()


def test_cancelling_needs_a_reason_and_releases_the_commitment(as_handyman, household, handyman, programme):
    package = packages.propose(household, by=handyman, items={product("LED-lamp").pk: 4})
    url = reverse("subsidy:cancel_package", args=[package.pk])

    response = as_handyman.post(url, {"version": package.version, "reason": " "})
    assert response.status_code == 200
    assert "Zeg waarom het pakket wordt geannuleerd." in page_text(response)
    assert products_line_totals(programme) == (Decimal("18.00"), Decimal("0.00"))

    response = as_handyman.post(url, {"version": package.version, "reason": "Bewoner wil het niet"}, follow=True)
    package.refresh_from_db()
    assert package.status == Package.Status.CANCELLED
    assert "Bewoner wil het niet" in page_text(response)
    assert products_line_totals(programme) == (Decimal("0.00"), Decimal("0.00"))


def test_cancelling_from_a_stale_page_changes_nothing(as_handyman, household, handyman, programme):
    package = packages.propose(household, by=handyman, items={product("LED-lamp").pk: 4})

    response = as_handyman.post(reverse("subsidy:cancel_package", args=[package.pk]),
                                {"version": package.version - 1, "reason": "Oud scherm"})

    assert response.status_code == 409
    package.refresh_from_db()
    assert package.status == Package.Status.APPROVED
    assert products_line_totals(programme) == (Decimal("18.00"), Decimal("0.00"))


def test_another_handyman_gets_404_for_the_pages_of_a_household_not_his(client, household, handyman, handyman2):
    package = packages.propose(household, by=handyman, items={product("LED-lamp").pk: 4})
    client.force_login(handyman2)

    assert client.get(propose_url(household)).status_code == 404
    assert client.post(propose_url(household), quantities({"LED-lamp": 1})).status_code == 404
    assert client.get(reverse("subsidy:package", args=[package.pk])).status_code == 404
    assert client.post(reverse("subsidy:cancel_package", args=[package.pk]),
                       {"version": package.version, "reason": "x"}).status_code == 404
    assert Package.objects.get().status == Package.Status.APPROVED


# --- The household page's section --------------------------------------------------------------------------------


def test_the_household_page_shows_the_packages_what_is_left_and_the_way_to_propose(as_handyman, household,
                                                                                  handyman):
    detail = reverse("households:detail", args=[household.pk])

    response = as_handyman.get(detail)
    text = page_text(response)
    assert "Kleine en middelgrote maatregelen" in text
    assert "€ 330,00 over van € 330,00 per woning" in text
    assert propose_url(household) in response.content.decode()

    first = packages.propose(household, by=handyman, items={product("Radiatorventilator").pk: 2})
    packages.install(first, by=handyman, quantities={product("Radiatorventilator").pk: 1})
    second = packages.propose(household, by=handyman, items={product("LED-lamp").pk: 2})

    response = as_handyman.get(detail)
    text = page_text(response)
    assert "€ 276,00 over van € 330,00 per woning" in text  # 330 − 45 installed − 9 approved
    assert reverse("subsidy:package", args=[first.pk]) in response.content.decode()
    assert reverse("subsidy:package", args=[second.pk]) in response.content.decode()
    assert "Geplaatst" in text
    assert propose_url(household) not in response.content.decode()  # the second is still open


def test_the_household_section_offers_no_proposal_to_who_may_not_propose(client, household, community_worker):
    client.force_login(community_worker)

    response = client.get(reverse("households:detail", args=[household.pk]))

    assert "Kleine en middelgrote maatregelen" in page_text(response)
    assert propose_url(household) not in response.content.decode()


def test_an_installed_package_shows_what_was_installed_spent_and_released(as_handyman, household, handyman):
    fan, lamp = product("Radiatorventilator"), product("LED-lamp")
    package = packages.propose(household, by=handyman, items={fan.pk: 4, lamp.pk: 2})  # € 189,00
    packages.install(package, by=handyman, quantities={fan.pk: 3, lamp.pk: 2})  # € 144,00

    response = as_handyman.get(reverse("subsidy:package", args=[package.pk]))

    text = page_text(response)
    assert "Geplaatst" in text and "€ 144,00" in text
    bookings = response.context["bookings"]
    assert (bookings["committed"], bookings["spent"], bookings["released"]) == (
        Decimal("189.00"), Decimal("144.00"), Decimal("45.00"))
    assert response.context["cancel_form"] is None  # an installed package is not cancelled


def test_the_household_page_does_not_query_more_with_more_packages(as_handyman, household, handyman):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert as_handyman.get(reverse("households:detail", args=[household.pk])).status_code == 200
        return len(captured)

    package = packages.propose(household, by=handyman, items={product("LED-lamp").pk: 1})
    packages.cancel(package, by=handyman, reason="Dubbel")
    before = queries()
    for _number in range(5):
        package = packages.propose(household, by=handyman, items={product("LED-lamp").pk: 1})
        packages.cancel(package, by=handyman, reason="Dubbel")

    assert queries() == before
