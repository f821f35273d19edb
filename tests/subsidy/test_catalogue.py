"""The coordinator's catalogue pages: products per tier with today's price and a price scheduled for later, adding
and changing products, and new prices that apply from their date (what was proposed keeps its price)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.audit import history_of
from subsidy import packages
from subsidy.models import Product, ProductPrice, ProductTier
from tests.factories import assessed_household, product

TODAY = datetime.date.today
CATALOGUE = reverse("subsidy:catalogue")
ADD = reverse("subsidy:add_product")


def page_text(response) -> str:
    """The page's HTML with its non-breaking spaces (€ 4,50) as plain ones."""
    return response.content.decode().replace("\xa0", " ")


def edit_url(item: Product) -> str:
    return reverse("subsidy:edit_product", args=[item.pk])


def price_url(item: Product) -> str:
    return reverse("subsidy:set_price", args=[item.pk])


@pytest.fixture
def coordinator_client(client, coordinator, programme):
    client.force_login(coordinator)
    return client


def new_product(**changes) -> dict:
    return {"name": "Deurdranger", "tier": "small", "unit": "stuk", "unit_price": "7,50",
            "valid_from": TODAY().isoformat(), **changes}


# --- The catalogue page ---------------------------------------------------------------------------------------


def test_the_catalogue_shows_each_tier_with_todays_price_a_scheduled_price_and_whether_it_is_active(
        coordinator_client, coordinator):
    later = TODAY() + datetime.timedelta(days=30)
    packages.set_price(product("LED-lamp"), by=coordinator, unit_price="5.00", valid_from=later)
    packages.change_product(product("Wollen sloffen"), by=coordinator, name="Wollen sloffen", unit="paar",
                            active=False, position=9)

    response = coordinator_client.get(CATALOGUE)

    page = page_text(response)
    assert response.status_code == 200
    assert page.index(str(ProductTier.SMALL.label)) < page.index(str(ProductTier.MEDIUM.label))
    lamp = next(item for item in response.context["products"] if item.name == "LED-lamp")
    assert (lamp.price, lamp.next_price, lamp.next_price_from) == (Decimal("4.50"), Decimal("5.00"), later)
    assert "€ 4,50" in page
    assert "€ 5,00 vanaf" in page
    slippers = next(item for item in response.context["products"] if item.name == "Wollen sloffen")
    assert not slippers.active
    assert "inactief" in page
    assert "wat is voorgesteld of geïnstalleerd houdt zijn prijs" in page


def test_the_catalogue_reads_a_constant_number_of_queries(coordinator_client, coordinator, programme,
                                                          django_assert_max_num_queries):
    coordinator_client.get(CATALOGUE)
    with django_assert_max_num_queries(20) as few:
        coordinator_client.get(CATALOGUE)
    for number in range(10):
        packages.add_product(programme, by=coordinator, name=f"Product {number}", tier="medium",
                             unit_price="3.00", valid_from=TODAY())

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = page_text(coordinator_client.get(CATALOGUE))

    assert "Product 9" in page


def test_a_programme_chooser_shows_only_when_there_are_several(coordinator_client):
    assert 'id="programme-choice"' not in page_text(coordinator_client.get(CATALOGUE))


# --- Adding a product -----------------------------------------------------------------------------------------


def test_the_coordinator_adds_a_product_with_its_first_price(coordinator_client, coordinator, programme):
    response = coordinator_client.post(ADD, new_product())

    added = Product.objects.get(programme=programme, name="Deurdranger")
    assert response.status_code == 302
    assert response.url == edit_url(added)
    assert (added.tier, added.unit, added.active) == ("small", "stuk", True)
    assert list(added.prices.values_list("valid_from", "unit_price", "set_by")) == [
        (TODAY(), Decimal("7.50"), coordinator.pk)]
    assert packages.catalogue(programme).get(pk=added.pk).price == Decimal("7.50")
    assert history_of(added).get().action == "product.added"


@pytest.mark.parametrize(("price", "error"), [
    ("0", "De prijs moet meer zijn dan € 0,00."),
    ("-1", "De prijs moet meer zijn dan € 0,00."),
    ("abc", "Vul de prijs in euro's in, bijvoorbeeld 4,50."),
    ("1,001", "De prijs mag hoogstens twee decimalen hebben (hele centen)."),
    ("1.001", "Schrijf het bedrag zonder duizendtalpunt, of met centen: bijvoorbeeld 16500 of 16.500,00."),
    ("", "Dit veld is vereist."),
])
def test_a_wrong_price_is_refused_on_its_field_and_nothing_is_saved(coordinator_client, programme, price, error):
    before = Product.objects.count(), ProductPrice.objects.count()

    response = coordinator_client.post(ADD, new_product(unit_price=price))

    assert response.status_code == 200
    assert response.context["form"].errors == {"unit_price": [error]}
    assert (Product.objects.count(), ProductPrice.objects.count()) == before


@pytest.mark.parametrize(("day", "error"), [
    ("2026-02-31", "Vul een geldige datum in, bijvoorbeeld 31-12-2026."),
    ("morgen", "Vul een geldige datum in, bijvoorbeeld 31-12-2026."),
    ((TODAY() - datetime.timedelta(days=1)).isoformat(),
     "Een nieuwe prijs geldt vanaf vandaag of een latere datum; wat eerder is voorgesteld houdt zijn prijs."),
])
def test_a_wrong_date_is_refused_on_its_field_and_nothing_is_saved(coordinator_client, programme, day, error):
    response = coordinator_client.post(ADD, new_product(valid_from=day))

    assert response.context["form"].errors == {"valid_from": [error]}
    assert not Product.objects.filter(name="Deurdranger").exists()


def test_a_name_already_in_the_catalogue_is_refused_whatever_its_capitals(coordinator_client, programme):
    response = coordinator_client.post(ADD, new_product(name="led-lamp"))

    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["De catalogus heeft al een product met de naam “led-lamp”."]}
    assert "Er is niets opgeslagen" in page_text(response)
    assert Product.objects.filter(programme=programme, name__iexact="led-lamp").count() == 1


def test_an_empty_form_names_every_required_field(coordinator_client):
    errors = coordinator_client.post(ADD, {}).context["form"].errors

    assert set(errors) == {"name", "tier", "unit_price", "valid_from"}
    assert errors["tier"] == ["Kies een kleine of een middelgrote maatregel."]


# --- Changing a product ---------------------------------------------------------------------------------------


def test_the_coordinator_renames_reorders_and_deactivates_a_product(coordinator_client, programme):
    slippers = product("Wollen sloffen")

    response = coordinator_client.post(edit_url(slippers), {"name": "Wollen sokken", "unit": "paar",
                                                             "position": "2"})

    slippers.refresh_from_db()
    assert response.status_code == 302
    assert (slippers.name, slippers.position, slippers.active) == ("Wollen sokken", 2, False)
    assert slippers not in packages.catalogue(programme)
    event = history_of(slippers).get()
    assert event.data["changed"] == {"name": ["Wollen sloffen", "Wollen sokken"], "position": [9, 2],
                                     "active": [True, False]}


def test_renaming_to_another_products_name_is_refused(coordinator_client):
    slippers = product("Wollen sloffen")

    response = coordinator_client.post(edit_url(slippers), {"name": "Tochtstrip", "unit": "paar", "position": "9",
                                                             "active": "on"})

    assert response.context["form"].errors == {"name": ["De catalogus heeft al een product met de naam “Tochtstrip”."]}
    slippers.refresh_from_db()
    assert slippers.name == "Wollen sloffen"


def test_the_product_page_shows_the_price_history_with_what_applies_today(coordinator_client, coordinator):
    lamp = product("LED-lamp")
    later = TODAY() + datetime.timedelta(days=10)
    packages.set_price(lamp, by=coordinator, unit_price="5.25", valid_from=later)

    response = coordinator_client.get(edit_url(lamp))

    page = page_text(response)
    assert [price.unit_price for price in response.context["history"]] == [Decimal("5.25"), Decimal("4.50")]
    assert response.context["current"].unit_price == Decimal("4.50")
    assert "gepland" in page
    assert "de referentiegegevens" in page  # the fixture's first price was set by nobody


# --- New prices -----------------------------------------------------------------------------------------------


def test_a_new_price_applies_from_its_date_and_what_was_proposed_keeps_its_price(
        coordinator_client, programme, handyman):
    lamp = product("LED-lamp")
    in_two_days = TODAY() + datetime.timedelta(days=2)

    response = coordinator_client.post(price_url(lamp), {"unit_price": "5,10", "valid_from": in_two_days.isoformat()})

    assert response.status_code == 302
    assert [packages.catalogue(programme, TODAY() + datetime.timedelta(days=days)).get(pk=lamp.pk).price
            for days in (0, 1, 2, 3)] == [Decimal("4.50"), Decimal("4.50"), Decimal("5.10"), Decimal("5.10")]
    proposed = packages.propose(assessed_household(handyman), by=handyman, items={lamp.pk: 2})
    assert proposed.value == Decimal("9.00")

    coordinator_client.post(price_url(lamp), {"unit_price": "4,75", "valid_from": TODAY().isoformat()})

    later = packages.propose(assessed_household(handyman), by=handyman, items={lamp.pk: 2})
    assert later.value == Decimal("9.50")
    proposed = packages.install(proposed, by=handyman, quantities={lamp.pk: 2})
    assert proposed.installed_value == Decimal("9.00")


def test_a_new_price_for_today_replaces_todays_price_for_new_proposals(coordinator_client, programme):
    lamp = product("LED-lamp")

    coordinator_client.post(price_url(lamp), {"unit_price": "4,75", "valid_from": TODAY().isoformat()})

    assert packages.catalogue(programme).get(pk=lamp.pk).price == Decimal("4.75")


@pytest.mark.parametrize(("data", "field", "error"), [
    ({"unit_price": "0", "valid_from": "today"}, "unit_price", "De prijs moet meer zijn dan € 0,00."),
    ({"unit_price": "-1", "valid_from": "today"}, "unit_price", "De prijs moet meer zijn dan € 0,00."),
    ({"unit_price": "abc", "valid_from": "today"}, "unit_price", "Vul de prijs in euro's in, bijvoorbeeld 4,50."),
    ({"unit_price": "1,001", "valid_from": "today"}, "unit_price",
     "De prijs mag hoogstens twee decimalen hebben (hele centen)."),
    ({"unit_price": "5", "valid_from": "2026-13-01"}, "valid_from",
     "Vul een geldige datum in, bijvoorbeeld 31-12-2026."),
    ({"unit_price": "5", "valid_from": "yesterday"}, "valid_from",
     "Een nieuwe prijs geldt vanaf vandaag of een latere datum; wat eerder is voorgesteld houdt zijn prijs."),
])
def test_a_wrong_new_price_is_refused_on_its_field_and_nothing_changes(coordinator_client, data, field, error):
    lamp = product("LED-lamp")
    days = {"today": TODAY().isoformat(), "yesterday": (TODAY() - datetime.timedelta(days=1)).isoformat()}
    data = {**data, "valid_from": days.get(data["valid_from"], data["valid_from"])}

    response = coordinator_client.post(price_url(lamp), data)

    assert response.status_code == 200
    assert response.context["price_form"].errors == {field: [error]}
    assert lamp.prices.count() == 1


def test_the_service_refuses_a_price_from_a_day_gone_by(coordinator, programme):
    from accounts.errors import Refused

    with pytest.raises(Refused) as refused:
        packages.set_price(product("LED-lamp"), by=coordinator, unit_price="5.00",
                           valid_from=TODAY() - datetime.timedelta(days=1))

    assert refused.value.field == "valid_from"


def test_only_the_coordinator_edits_the_catalogue(client, finance_officer, programme):
    client.force_login(finance_officer)

    assert client.post(price_url(product("LED-lamp")), {"unit_price": "1,00",
                                                        "valid_from": TODAY().isoformat()}).status_code == 403
    assert product("LED-lamp").prices.count() == 1
