"""The packages' figures for the coordinator and finance: the average installed value per dwelling against the limit
of € 330,00, its distribution in bands of € 50,00, the overrides with their reasons, the packages waiting and the
products line; from aggregate queries, their number the same however many packages there are."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from subsidy import packages, selectors
from subsidy.models import Package
from tests.factories import assessed_household, product

FIGURES = reverse("subsidy:package_figures")


def page_text(response) -> str:
    """The page's HTML with its non-breaking spaces (€ 4,50) as plain ones."""
    return response.content.decode().replace("\xa0", " ")


def installed(handyman, coordinator, items: dict, reason: str = "") -> Package:
    """A package of `items` (product name → quantity) proposed, approved (above the limit: with `reason`) and
    installed in full."""
    quantities = {product(name).pk: quantity for name, quantity in items.items()}
    package = packages.propose(assessed_household(handyman), by=handyman, items=quantities)
    if package.status == Package.Status.OVERRIDE_REQUESTED:
        package = packages.approve_override(package, by=coordinator, reason=reason)
    return packages.install(package, by=handyman, quantities=quantities)


@pytest.fixture
def three_installed(programme, handyman, coordinator):
    """€ 250,00, € 330,00 and € 450,00 installed (the last an override); one package of € 360,00 waiting."""
    installed(handyman, coordinator, {"Isolerende gordijnen": 5})
    installed(handyman, coordinator, {"Isolerende gordijnen": 5, "Isolerende raamfolie": 4})
    installed(handyman, coordinator, {"Isolerende gordijnen": 9}, reason="Negen ramen op het noorden")
    packages.propose(assessed_household(handyman), by=handyman, items={product("Radiatorventilator").pk: 8})


def test_the_figures_of_three_installed_packages(three_installed, programme):
    figures = selectors.package_figures(programme, datetime.date.today())

    assert figures.limit == Decimal("330.00")
    assert figures.dwellings_equipped == 3
    assert figures.installed_total == Decimal("1030.00")
    assert figures.average == Decimal("343.33")
    assert figures.average_above_limit
    assert [(band.low, band.high, band.dwellings) for band in figures.bands] == [
        (Decimal("0.00"), Decimal("50.00"), 0), (Decimal("50.00"), Decimal("100.00"), 0),
        (Decimal("100.00"), Decimal("150.00"), 0), (Decimal("150.00"), Decimal("200.00"), 0),
        (Decimal("200.00"), Decimal("250.00"), 0), (Decimal("250.00"), Decimal("300.00"), 1),
        (Decimal("300.00"), Decimal("330.00"), 1), (Decimal("330.00"), None, 1)]
    assert (figures.overrides, figures.overrides_above_limit, figures.waiting) == (1, Decimal("120.00"), 1)
    balance = figures.line.balance()
    assert (balance.committed, balance.spent) == (Decimal("0.00"), Decimal("1030.00"))


def test_a_second_package_adds_to_its_dwellings_value(programme, handyman, coordinator):
    first = installed(handyman, coordinator, {"Isolerende gordijnen": 2})
    second = packages.propose(first.household, by=handyman, items={product("Wollen sloffen").pk: 2})
    packages.install(second, by=handyman, quantities={product("Wollen sloffen").pk: 1})

    figures = selectors.package_figures(programme, datetime.date.today())

    assert (figures.dwellings_equipped, figures.average) == (1, Decimal("135.00"))
    assert [band.dwellings for band in figures.bands if band.low == Decimal("100.00")] == [1]


def test_the_page_shows_the_average_against_the_limit_the_distribution_and_the_overrides(
        three_installed, client, coordinator):
    client.force_login(coordinator)

    response = client.get(FIGURES)

    page = page_text(response)
    assert response.status_code == 200
    assert "<strong>€ 343,33</strong> per voorziene woning, tegen de limiet van € 330,00 (104%)." in page
    assert response.context["gauge"] == {"within": "96.12", "above_x": "96.12", "above": "3.88", "limit_x": "96.12",
                                         "percentage": Decimal("104")}
    assert 'role="img" aria-labelledby="average-text"' in page
    assert "van € 250,00 tot € 300,00" in page
    assert "van € 300,00 tot en met € 330,00" in page
    assert "boven € 330,00" in page
    assert [row["width"] for row in response.context["distribution"]][-3:] == ["100.00", "100.00", "100.00"]
    assert "Negen ramen op het noorden" in page
    assert coordinator.get_full_name() in page
    assert "1 pakket is goedgekeurd boven wat er over was van de limiet" in page
    assert "1 pakket wacht op het besluit van de coördinator." in page
    assert f'href="{reverse("subsidy:packages_waiting")}?programme=' in page
    assert "€ 1.030,00" in page


def test_finance_sees_the_figures_but_not_the_way_to_decide(three_installed, client, finance_officer):
    client.force_login(finance_officer)

    page = page_text(client.get(FIGURES))

    assert "€ 343,33" in page
    assert reverse("subsidy:packages_waiting") not in page


def test_before_any_installation_the_page_says_so(client, coordinator, programme):
    client.force_login(coordinator)

    response = client.get(FIGURES)

    assert response.context["figures"].average is None
    assert "Er is nog geen pakket geïnstalleerd" in page_text(response)


def test_the_figures_read_a_constant_number_of_queries(programme, handyman, coordinator, client,
                                                       django_assert_max_num_queries):
    installed(handyman, coordinator, {"Isolerende gordijnen": 9}, reason="Grote woning")
    client.force_login(coordinator)
    client.get(FIGURES)
    with django_assert_max_num_queries(20) as few:
        client.get(FIGURES)
    for quantity in range(1, 7):
        installed(handyman, coordinator, {"Isolerende gordijnen": quantity})
        installed(handyman, coordinator, {"Radiatorventilator": 8}, reason=f"Reden {quantity}")
    packages.propose(assessed_household(handyman), by=handyman, items={product("Radiatorventilator").pk: 8})

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(FIGURES)

    assert response.context["figures"].dwellings_equipped == 13
    assert response.context["figures"].overrides == 7
