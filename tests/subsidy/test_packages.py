"""The products package: held to the limit per dwelling (€330), booked on the products line at every step."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.errors import Conflict, NotAllowed, Refused
from budget.models import BudgetLine
from subsidy import packages
from subsidy.models import Package
from tests.factories import application_in, assessed_household, product


def products_line(programme):
    return BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.PRODUCTS)


def totals(programme):
    line = products_line(programme)
    return line.committed_open, line.spent


@pytest.fixture
def household(programme, handyman):
    return assessed_household(handyman)


# 5 radiator fans (€225) + 1 pair of curtains (€50) + 1 pair of slippers (€35) + a draught strip (€8) + a
# letterbox brush (€12) = €330.00
def exactly_330():
    return {product("Radiatorventilator").pk: 5, product("Isolerende gordijnen").pk: 1,
            product("Wollen sloffen").pk: 1, product("Tochtstrip").pk: 1, product("Brievenbusborstel").pk: 1}


def test_a_package_of_exactly_330_euros_is_approved_at_once_and_committed(household, handyman, programme):
    package = packages.propose(household, by=handyman, items=exactly_330())

    assert package.value == Decimal("330.00")
    assert package.status == Package.Status.APPROVED
    assert package.decided_by is None
    assert totals(programme) == (Decimal("330.00"), Decimal("0.00"))


def test_a_package_one_cent_above_the_limit_waits_for_the_coordinator(household, handyman, coordinator, programme):
    packages.set_price(product("Tochtstrip"), by=coordinator, unit_price="8.01", valid_from=datetime.date.today())
    package = packages.propose(household, by=handyman, items=exactly_330(), motivation="Vier radiatoren")

    assert package.value == Decimal("330.01")
    assert package.status == Package.Status.OVERRIDE_REQUESTED
    assert package.above_limit == Decimal("0.01")
    assert totals(programme) == (Decimal("0.00"), Decimal("0.00"))


def test_a_new_price_applies_from_its_date_and_an_approved_package_keeps_its_price(household, handyman,
                                                                                    coordinator, programme):
    lamp = product("LED-lamp")
    package = packages.propose(household, by=handyman, items={lamp.pk: 2})
    packages.set_price(lamp, by=coordinator, unit_price="5.00", valid_from=datetime.date.today())

    package = packages.install(package, by=handyman, quantities={lamp.pk: 2})
    assert package.installed_value == Decimal("9.00")
    assert packages.catalogue(programme).get(pk=lamp.pk).price == Decimal("5.00")


def test_the_coordinator_approves_an_override_with_a_reason_and_it_is_committed(household, handyman, coordinator,
                                                                                 programme):
    package = packages.propose(household, by=handyman, items={product("Radiatorventilator").pk: 8})
    assert package.status == Package.Status.OVERRIDE_REQUESTED

    with pytest.raises(Refused) as refused:
        packages.approve_override(package, by=coordinator, reason="  ")
    assert refused.value.field == "reason"
    assert totals(programme) == (Decimal("0.00"), Decimal("0.00"))

    package = packages.approve_override(package, by=coordinator, reason="Acht radiatoren, grote woning")
    assert package.status == Package.Status.APPROVED
    assert package.decision_reason == "Acht radiatoren, grote woning"
    assert totals(programme) == (Decimal("360.00"), Decimal("0.00"))


def test_installing_fewer_spends_what_was_installed_and_releases_the_rest(household, handyman, programme):
    fan, curtains = product("Radiatorventilator"), product("Isolerende gordijnen")
    package = packages.propose(household, by=handyman, items={fan.pk: 4, curtains.pk: 2})
    assert totals(programme) == (Decimal("280.00"), Decimal("0.00"))

    package = packages.install(package, by=handyman, quantities={fan.pk: 3, curtains.pk: 2})

    assert package.status == Package.Status.INSTALLED
    assert package.installed_value == Decimal("235.00")
    assert totals(programme) == (Decimal("0.00"), Decimal("235.00"))


def test_a_second_package_counts_what_the_first_installed(household, handyman, programme):
    fan = product("Radiatorventilator")
    first = packages.propose(household, by=handyman, items={fan.pk: 4})
    packages.install(first, by=handyman, quantities={fan.pk: 3})  # €135 received

    assert packages.allowance(household).left == Decimal("195.00")
    second = packages.propose(household, by=handyman, items={product("Wollen sloffen").pk: 5})  # €175
    assert second.status == Package.Status.APPROVED
    assert second.received_before == Decimal("135.00")
    third_try = {product("Isolerende gordijnen").pk: 1}
    with pytest.raises(Conflict):
        packages.propose(household, by=handyman, items=third_try)  # the second is still open


def test_medium_items_are_refused_while_a_large_measure_is_in_progress(programme, users_by_role, handyman):
    application = application_in("in_review", users_by_role, household__handyman=handyman)
    household = application.household
    from households.services import assess_eligibility
    assess_eligibility(household, by=handyman)

    with pytest.raises(Refused) as refused:
        packages.propose(household, by=handyman, items={product("Radiatorventilator").pk: 1})
    assert "grote maatregel" in str(refused.value) or "large" in str(refused.value)
    small = packages.propose(household, by=handyman, items={product("LED-lamp").pk: 4})
    assert small.status == Package.Status.APPROVED
    assert totals(programme) == (Decimal("18.00"), Decimal("0.00"))


def test_items_need_the_tier_the_assessment_allows(programme, handyman):
    household = assessed_household(handyman, net_monthly_income="9000.00", energy_allowance="no")  # above the limit

    with pytest.raises(Refused):
        packages.propose(household, by=handyman, items={product("LED-lamp").pk: 1})
    assert not Package.objects.exists()


@pytest.mark.parametrize("quantity", [0, -1, "abc", "1.5", 100])
def test_bad_quantities_are_refused_and_nothing_is_booked(household, handyman, programme, quantity):
    with pytest.raises(Refused) as refused:
        packages.propose(household, by=handyman, items={product("LED-lamp").pk: quantity})
    assert refused.value.field == f"quantity_{product('LED-lamp').pk}"
    assert not Package.objects.exists()
    assert totals(programme) == (Decimal("0.00"), Decimal("0.00"))


def test_inactive_products_and_those_of_another_programme_are_refused(household, handyman, programme):
    lamp = product("LED-lamp")
    lamp.active = False
    lamp.save()
    with pytest.raises(Refused):
        packages.propose(household, by=handyman, items={lamp.pk: 1})
    with pytest.raises(Refused):
        packages.propose(household, by=handyman, items={999999: 1})
    assert not Package.objects.exists()


def test_another_handyman_can_neither_propose_nor_install(household, handyman, handyman2, programme):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        packages.propose(household, by=handyman2, items={product("LED-lamp").pk: 1})
    package = packages.propose(household, by=handyman, items={product("LED-lamp").pk: 2})
    with pytest.raises(NotAllowed):
        packages.install(package, by=handyman2, quantities={product("LED-lamp").pk: 2})
    assert totals(programme) == (Decimal("9.00"), Decimal("0.00"))


def test_cancelling_an_approved_package_releases_it(household, handyman, programme):
    package = packages.propose(household, by=handyman, items={product("LED-lamp").pk: 2})
    package = packages.cancel(package, by=handyman, reason="Bewoner wil niets")
    assert package.status == Package.Status.CANCELLED
    assert totals(programme) == (Decimal("0.00"), Decimal("0.00"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quantities=st.lists(st.integers(min_value=0, max_value=8), min_size=9, max_size=9))
def test_a_package_is_approved_at_once_exactly_when_it_fits_in_what_is_left(programme, handyman, quantities):
    household = assessed_household(handyman)
    products = list(packages.catalogue(programme).order_by("pk"))
    items = {item.pk: quantity for item, quantity in zip(products, quantities, strict=True) if quantity}
    left = packages.allowance(household).left
    if not items:
        with pytest.raises(Refused):
            packages.propose(household, by=handyman, items=items)
        return
    expected = sum((item.price * items[item.pk] for item in products if item.pk in items), Decimal("0.00"))

    package = packages.propose(household, by=handyman, items=items)

    assert package.value == expected
    assert (package.status == Package.Status.APPROVED) == (expected <= left)
    assert products_line(programme).committed_open == sum(
        (p.value for p in Package.objects.filter(status=Package.Status.APPROVED)), Decimal("0.00"))


def test_the_budget_counts_dwellings_equipped_by_their_installed_packages(client, household, handyman,
                                                                        finance_officer, programme):
    from django.urls import reverse

    from budget.selectors import forecast

    lamp = product("LED-lamp")
    package = packages.propose(household, by=handyman, items={lamp.pk: 4})
    assert forecast(programme).dwellings_equipped.reached == 0
    packages.install(package, by=handyman, quantities={lamp.pk: 4})

    outlook = forecast(programme)
    assert outlook.dwellings_equipped.reached == 1
    assert (outlook.product_spend_basis, outlook.average_product_spend) == ("dwellings_equipped", Decimal("18.00"))
    client.force_login(finance_officer)
    page = client.get(reverse("budget:overview")).content.decode()
    assert "Woningen voorzien (producten geplaatst):</strong>\n      1 van 1500" in page
