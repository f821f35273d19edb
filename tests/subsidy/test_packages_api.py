"""The products package API (/api/v1/packages/, /api/v1/products/): proposing, the coordinator's decision, installing
and cancelling through the API, held to the €330 per dwelling and booked on the products line as on the pages; the
same scoping (another handyman's package is 404); 403 for the wrong role, 409 for the wrong state or a stale
version, 400 naming the field (a product's refusal on its item), never 500."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from accounts.roles import Role
from budget.models import BudgetLine, Programme
from subsidy import packages
from subsidy.models import Package, Product, ProductPrice
from tests.factories import UserFactory, application_in, assessed_household, product

S = Package.Status
LIST = reverse("api-v1:package-list")
PRODUCTS = reverse("api-v1:product-list")


def detail(package) -> str:
    return reverse("api-v1:package-detail", kwargs={"pk": package.pk})


def act_url(package, act: str) -> str:
    return reverse(f"api-v1:package-{act.replace('_', '-')}", kwargs={"pk": package.pk})


def dutch(message: str, **values) -> str:
    with translation.override("nl"):
        return gettext(message) % values if values else gettext(message)


def totals(programme) -> tuple[Decimal, Decimal]:
    line = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.PRODUCTS)
    return line.committed_open, line.spent


def as_user(api, user) -> APIClient:
    api.force_authenticate(user)
    return api


@pytest.fixture
def household(people):
    """Assigned to `handyman` and `community`, assessed eligible for small and medium measures."""
    return assessed_household(people["handyman"], community_worker=people["community"])


def items(**quantities) -> list[dict]:
    return [{"product": product(name).pk, "quantity": quantity} for name, quantity in quantities.items()]


def exactly_330() -> list[dict]:
    """5 radiator fans (€225), curtains (€50), slippers (€35), a draught strip (€8), a letterbox brush (€12)."""
    return [{"product": product(name).pk, "quantity": quantity} for name, quantity in (
        ("Radiatorventilator", 5), ("Isolerende gordijnen", 1), ("Wollen sloffen", 1), ("Tochtstrip", 1),
        ("Brievenbusborstel", 1))]


def propose(api, user, household, package_items, **more):
    return as_user(api, user).post(LIST, {"household": household.pk, "items": package_items, **more}, format="json")


def waiting(household, people) -> Package:
    """A package of eight radiator fans (€360): above the limit, waiting for the coordinator."""
    return packages.propose(household, by=people["handyman"], items={product("Radiatorventilator").pk: 8},
                            motivation="Acht radiatoren")


def approved(household, people, lamps=4) -> Package:
    return packages.propose(household, by=people["handyman"], items={product("LED-lamp").pk: lamps})


# --- Proposing ------------------------------------------------------------------------------------------------


def test_a_package_of_exactly_330_euros_is_approved_at_once_and_committed(api, people, household, programme):
    response = propose(api, people["handyman"], household, exactly_330())

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "approved"
    assert (body["value"], body["limit"], body["received_before"], body["allowance"], body["above_limit"]) == (
        "330.00", "330.00", "0.00", "330.00", "0.00")
    assert body["decided_by"] is None
    assert body["proposed_by"] == "handyman"
    assert body["household"] == household.pk
    fans = body["items"][-1] if body["items"][-1]["name"] == "Radiatorventilator" else next(
        item for item in body["items"] if item["name"] == "Radiatorventilator")
    assert (fans["quantity"], fans["unit_price"], fans["value"], fans["installed_quantity"]) == (
        5, "45.00", "225.00", None)
    assert [(event["action"], event["to_status"], event["by"]) for event in body["timeline"]] == [
        ("package.approve", "approved", "system"), ("package.proposed", "proposed", "staff")]
    assert totals(programme) == (Decimal("330.00"), Decimal("0.00"))


def test_a_package_one_cent_above_the_limit_waits_for_the_coordinator_and_books_nothing(api, people, household,
                                                                                        programme):
    packages.set_price(product("Tochtstrip"), by=people["coordinator"], unit_price="8.01",
                       valid_from=datetime.date.today())

    response = propose(api, people["handyman"], household, exactly_330(), motivation="Vier radiatoren")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["value"], body["above_limit"], body["motivation"]) == (
        "override_requested", "330.01", "0.01", "Vier radiatoren")
    assert totals(programme) == (Decimal("0.00"), Decimal("0.00"))


def test_the_coordinator_proposes_for_any_household_by_its_reference(api, people, household):
    response = as_user(api, people["coordinator"]).post(
        LIST, {"household": household.reference, "items": items(**{"LED-lamp": 2})}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["value"] == "9.00"


def test_a_second_package_counts_what_the_first_installed(api, people, household):
    first = approved(household, people, lamps=4)
    packages.install(first, by=people["handyman"], quantities={product("LED-lamp").pk: 2})  # €9 of €18

    response = propose(api, people["handyman"], household, items(Radiatorventilator=7))  # €315 of €321 left

    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["received_before"], response.json()["allowance"]) == (
        "approved", "9.00", "321.00")


def test_a_dwelling_with_an_open_package_gets_a_409_and_nothing_new(api, people, household):
    approved(household, people)

    response = propose(api, people["handyman"], household, items(Tochtstrip=1))

    assert response.status_code == 409
    assert response.json()["detail"] == dutch("This dwelling already has a package that is not installed yet: "
                                              "install or cancel that one first.")
    assert Package.objects.count() == 1


@pytest.mark.parametrize("role", ["community", "assessor", "finance"])
def test_roles_that_do_not_propose_get_403_and_nothing_is_proposed(api, people, household, role):
    assert propose(api, people[role], household, items(Tochtstrip=1)).status_code == 403
    assert not Package.objects.exists()


def test_a_handyman_who_sees_the_household_as_community_worker_may_not_propose_for_it(api, people):
    both = UserFactory(username="handyman-community", role=Role.HANDYMAN)
    both.groups.add(people["community"].groups.get())
    helped = assessed_household(people["handyman"], community_worker=both)

    response = propose(api, both, helped, items(Tochtstrip=1))

    assert response.status_code == 403
    assert response.json()["detail"] == dutch("Only the household's handyman or the coordinator can propose "
                                              "products for it.")
    assert not Package.objects.exists()


def test_another_handyman_cannot_propose_for_the_household_nor_learn_that_it_exists(api, people, household):
    response = propose(api, people["handyman2"], household, items(Tochtstrip=1))

    assert response.status_code == 400
    assert response.json() == {"household": [dutch("No household with this id or reference that you may see.")]}
    assert not Package.objects.exists()


# --- Bad input: a 400 naming the field, nothing proposed, nothing booked ---------------------------------------

LAMP = "LED-lamp"

# the item sent (the product filled in by name), the field of the item named, the sentence
BAD_ITEMS = [
    ({"quantity": 0}, "quantity", "Ensure this value is greater than or equal to {min_value}.", {"min_value": 1}),
    ({"quantity": -1}, "quantity", "Ensure this value is greater than or equal to {min_value}.", {"min_value": 1}),
    ({"quantity": "abc"}, "quantity", "A valid integer is required.", {}),
    ({"quantity": 1.5}, "quantity", "A valid integer is required.", {}),
    ({"quantity": 100}, "quantity", "Ensure this value is less than or equal to {max_value}.", {"max_value": 99}),
    ({"quantity": None}, "quantity", "This field may not be null.", {}),
    ({"quantity": True}, "quantity", "A valid integer is required.", {}),
    ({}, "quantity", "This field is required.", {}),
    ({"product": "abc", "quantity": 1}, "product", "A valid integer is required.", {}),
    ({"product": None, "quantity": 1}, "product", "This field may not be null.", {}),
    ({"product": 999999, "quantity": 1}, "product", "This product is not in the programme's catalogue.", {}),
    ({"colour": "rood", "quantity": 1}, "colour", "Unknown field.", {}),
]


def drf(message: str, **values) -> str:
    """One of DRF's messages (with {braces}) in Dutch."""
    return dutch(message).format(**values)


@pytest.mark.parametrize(("item", "field", "message", "values"), BAD_ITEMS,
                         ids=[f"{field}={item.get(field, 'missing')!r}" for item, field, _m, _v in BAD_ITEMS])
def test_a_bad_item_is_a_400_on_that_item_and_nothing_is_proposed(api, people, household, programme, item, field,
                                                                  message, values):
    bad = {"product": product(LAMP).pk, **item}

    response = propose(api, people["handyman"], household, [*items(Tochtstrip=1), bad])

    assert response.status_code == 400, response.json()
    assert response.json() == {"items": {"1": {field: [drf(message, **values)]}}}
    assert not Package.objects.exists()
    assert totals(programme) == (Decimal("0.00"), Decimal("0.00"))


def test_an_inactive_product_is_refused_on_its_item(api, people, household):
    Product.objects.filter(pk=product(LAMP).pk).update(active=False)

    response = propose(api, people["handyman"], household, [*items(Tochtstrip=1), *items(**{LAMP: 2})])

    assert response.status_code == 400
    assert response.json() == {"items": {"1": {"product": [dutch("“%(product)s” is no longer in the catalogue.",
                                                                  product=LAMP)]}}}
    assert not Package.objects.exists()


def test_a_product_of_another_programme_is_refused_on_its_item(api, people, household, programme):
    other = Programme.objects.get(pk=programme.pk)
    other.pk, other.slug, other.reference_prefix = None, "elders-2022", "ELD"
    other.save()
    elsewhere = Product.objects.create(programme=other, name=LAMP, tier="small")
    ProductPrice.objects.create(product=elsewhere, valid_from=datetime.date(2022, 1, 1), unit_price="4.50")

    response = propose(api, people["handyman"], household, [{"product": elsewhere.pk, "quantity": 1}])

    assert response.status_code == 400
    not_in_it = dutch("This product is not in the programme's catalogue.")
    assert response.json() == {"items": {"0": {"product": [not_in_it]}}}
    assert not Package.objects.exists()


def test_medium_items_are_refused_on_their_item_while_a_large_measure_is_in_progress(api, people, programme):
    application = application_in("in_review", people, household__handyman=people["handyman"])
    from households.services import assess_eligibility

    assess_eligibility(application.household, by=people["handyman"])

    response = propose(api, people["handyman"], application.household, items(**{LAMP: 2, "Radiatorventilator": 1}))

    assert response.status_code == 400
    [error] = response.json()["items"]["1"]["product"]
    assert error.startswith("Radiatorventilator: ") and application.reference in error
    assert list(response.json()["items"]) == ["1"]
    assert not Package.objects.exists()


@pytest.mark.parametrize(("body", "errors"), [
    ({"items": []}, {"items": ["Choose at least one product."]}),
    ({"items": "abc"}, {"items": {"non_field_errors": [drf('Expected a list of items but got type "{input_type}".',
                                                           input_type="str")]}}),
    ({"items": None}, {"items": ["This field may not be null."]}),
    ({"motivation": None}, {"motivation": ["This field may not be null."]}),
    ({"motivation": ["a"]}, {"motivation": ["Not a valid string."]}),
    ({"household": None}, {"household": ["This field may not be null."]}),
    ({"household": "HIL-99999"}, {"household": ["No household with this id or reference that you may see."]}),
    ({"colour": "rood"}, {"colour": ["Unknown field."]}),
    ({"items": [{"product": 1, "quantity": 1}, {"product": 1, "quantity": 2}]},
     {"items": ["Each product once, with its quantity."]}),
])
def test_a_bad_body_is_a_400_naming_the_field(api, people, household, body, errors):
    sent = {"household": household.pk, "items": items(Tochtstrip=1), **body}

    response = as_user(api, people["handyman"]).post(LIST, sent, format="json")

    assert response.status_code == 400, response.json()
    expected = {field: value if isinstance(value, dict) else [dutch(message) for message in value]
                for field, value in errors.items()}
    assert response.json() == expected
    assert not Package.objects.exists()


def test_a_body_that_is_not_json_is_a_400(api, people, household):
    response = as_user(api, people["handyman"]).post(LIST, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert not Package.objects.exists()


# --- Reading --------------------------------------------------------------------------------------------------


def test_the_list_shows_each_role_the_packages_of_the_households_it_sees(api, people, household):
    mine = approved(household, people)
    other = approved(assessed_household(people["handyman2"]), {"handyman": people["handyman2"]})

    def listed(role):
        response = as_user(api, people[role]).get(LIST)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert listed("handyman") == {mine.pk}
    assert listed("handyman2") == {other.pk}
    assert listed("community") == {mine.pk}
    for role in ("assessor", "finance", "coordinator"):
        assert listed(role) == {mine.pk, other.pk}


def test_the_list_filters_on_status_and_household(api, people, household):
    mine = waiting(household, people)
    second = assessed_household(people["handyman"])
    other = approved(second, people)
    coordinator = as_user(api, people["coordinator"])

    assert [row["id"] for row in coordinator.get(LIST, {"status": "override_requested"}).json()["results"]] == [
        mine.pk]
    assert [row["id"] for row in coordinator.get(LIST, {"household": second.pk}).json()["results"]] == [other.pk]
    assert coordinator.get(LIST, {"household": 10**30}).status_code == 400
    response = coordinator.get(LIST, {"status": "lost"})
    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_the_list_reads_the_same_number_of_queries_however_many_packages(api, people,
                                                                         django_assert_max_num_queries):
    coordinator = as_user(api, people["coordinator"])
    approved(assessed_household(people["handyman"]), people)
    with django_assert_max_num_queries(20) as few:
        coordinator.get(LIST)
    for _ in range(5):
        approved(assessed_household(people["handyman"]), people)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coordinator.get(LIST)
    assert response.json()["count"] == 6


def test_a_package_of_another_handymans_household_is_not_found_for_reading_or_any_act(api, people, household):
    package = waiting(household, people)
    other = as_user(api, people["handyman2"])

    assert other.get(detail(package)).status_code == 404
    for act, body in (("approve_override", {"reason": "x"}), ("decline", {"reason": "x"}), ("cancel", {"reason": "x"}),
                      ("install", {"items": []})):
        assert other.post(act_url(package, act), body, format="json").status_code == 404
    package.refresh_from_db()
    assert package.status == S.OVERRIDE_REQUESTED


# --- The coordinator's decision -------------------------------------------------------------------------------


def test_the_coordinator_approves_an_override_with_a_reason_and_it_is_committed(api, people, household, programme):
    package = waiting(household, people)

    response = as_user(api, people["coordinator"]).post(
        act_url(package, "approve_override"), {"reason": "Grote woning", "version": package.version}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["decided_by"], body["decision_reason"], body["version"]) == (
        "approved", "coordinator", "Grote woning", package.version + 1)
    assert body["timeline"][0]["action"] == "package.approve_override"
    assert totals(programme) == (Decimal("360.00"), Decimal("0.00"))


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_an_override_without_a_reason_is_a_400_and_nothing_is_committed(api, people, household, programme, body):
    package = waiting(household, people)

    response = as_user(api, people["coordinator"]).post(act_url(package, "approve_override"), body, format="json")

    assert response.status_code == 400
    assert response.json() == {"reason": ["Geef de reden om boven de limiet per woning te gaan."]}
    package.refresh_from_db()
    assert package.status == S.OVERRIDE_REQUESTED
    assert totals(programme) == (Decimal("0.00"), Decimal("0.00"))


def test_the_coordinator_declines_with_a_reason(api, people, household, programme):
    package = waiting(household, people)

    response = as_user(api, people["coordinator"]).post(act_url(package, "decline"),
                                                        {"reason": "Vier ventilatoren volstaan"}, format="json")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decision_reason"]) == ("declined",
                                                                               "Vier ventilatoren volstaan")
    assert totals(programme) == (Decimal("0.00"), Decimal("0.00"))


@pytest.mark.parametrize("role", ["handyman", "community", "assessor", "finance"])
def test_only_the_coordinator_decides_an_override(api, people, household, role):
    package = waiting(household, people)

    response = as_user(api, people[role]).post(act_url(package, "approve_override"), {"reason": "Ja"}, format="json")

    assert response.status_code == 403
    package.refresh_from_db()
    assert package.status == S.OVERRIDE_REQUESTED


def test_a_coordinator_does_not_decide_for_a_household_they_are_the_handyman_of(api, people):
    coordinator_handyman = UserFactory(username="coordinator-handyman", role=Role.COORDINATOR)
    coordinator_handyman.groups.add(people["handyman"].groups.get())
    package = waiting(assessed_household(coordinator_handyman), {"handyman": coordinator_handyman})

    response = as_user(api, coordinator_handyman).post(act_url(package, "approve_override"), {"reason": "Ja"},
                                                       format="json")

    assert response.status_code == 403


# act, a package that the act is not allowed on, who tries, a body that would do
REFUSED_STATE = [
    ("approve_override", approved, "coordinator", lambda: {"reason": "Ja"}),
    ("decline", approved, "coordinator", lambda: {"reason": "Nee"}),
    ("install", waiting, "handyman", lambda: {"items": items(Radiatorventilator=8)}),
]


@pytest.mark.parametrize(("act", "make", "role", "body"), REFUSED_STATE, ids=[act for act, *_r in REFUSED_STATE])
def test_an_act_the_state_does_not_allow_is_a_409_and_changes_nothing(api, people, household, programme, act, make,
                                                                      role, body):
    package = make(household, people)
    before = totals(programme)

    response = as_user(api, people[role]).post(act_url(package, act), body(), format="json")

    assert response.status_code == 409
    assert response.json()["detail"] == dutch("This cannot be done while the package is “%(status)s”.",
                                              status=dutch(str(package.get_status_display())))
    status, version = package.status, package.version
    package.refresh_from_db()
    assert (package.status, package.version) == (status, version)
    assert totals(programme) == before


def test_a_stale_version_is_a_409_and_changes_nothing(api, people, household, programme):
    package = waiting(household, people)

    response = as_user(api, people["coordinator"]).post(act_url(package, "approve_override"),
                                                        {"reason": "Ja", "version": package.version + 1},
                                                        format="json")

    assert response.status_code == 409
    assert response.json()["detail"] == dutch(str(packages.SOMEONE_ELSE))
    assert totals(programme) == (Decimal("0.00"), Decimal("0.00"))


def test_a_version_that_is_not_a_number_is_a_400(api, people, household):
    package = waiting(household, people)

    response = as_user(api, people["coordinator"]).post(act_url(package, "decline"),
                                                        {"reason": "Nee", "version": "abc"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["version"]


# --- Installing and cancelling --------------------------------------------------------------------------------


def test_installing_fewer_spends_what_was_installed_and_releases_the_difference(api, people, household, programme):
    package = approved(household, people, lamps=4)  # €18.00

    response = as_user(api, people["handyman"]).post(act_url(package, "install"),
                                                      {"items": items(**{LAMP: 3}), "version": package.version},
                                                      format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["installed_value"], body["installed_by"]) == ("installed", "13.50", "handyman")
    assert (body["items"][0]["installed_quantity"], body["items"][0]["installed_value"]) == (3, "13.50")
    assert totals(programme) == (Decimal("0.00"), Decimal("13.50"))


@pytest.mark.parametrize(("quantity", "message"), [
    (5, "Give at most %(n)s."),
    (-1, None),
    ("abc", None),
])
def test_installing_more_than_approved_or_a_bad_quantity_is_a_400_on_the_item(api, people, household, programme,
                                                                              quantity, message):
    package = approved(household, people, lamps=4)

    response = as_user(api, people["handyman"]).post(act_url(package, "install"),
                                                      {"items": items(**{LAMP: quantity})}, format="json")

    assert response.status_code == 400
    assert list(response.json()["items"]) == ["0"]
    error = response.json()["items"]["0"]
    assert list(error) == ["quantity"]
    if message:
        assert error["quantity"] == [dutch(message, n=4)]
    package.refresh_from_db()
    assert package.status == S.APPROVED
    assert totals(programme) == (Decimal("18.00"), Decimal("0.00"))


@pytest.mark.parametrize(("sent", "message"), [
    ([], "Nothing was installed: cancel the package instead."),
    ([{"product": 9, "quantity": 1}], "Only the package's products can be installed."),
])
def test_installing_nothing_or_another_product_is_a_400_on_items(api, people, household, programme, sent, message):
    package = approved(household, people)

    response = as_user(api, people["handyman"]).post(act_url(package, "install"), {"items": sent}, format="json")

    assert response.status_code == 400
    assert response.json() == {"items": [dutch(message)]}
    assert totals(programme) == (Decimal("18.00"), Decimal("0.00"))


def test_cancelling_an_approved_package_releases_it_and_needs_a_reason(api, people, household, programme):
    package = approved(household, people)
    handyman = as_user(api, people["handyman"])

    refused = handyman.post(act_url(package, "cancel"), {}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"reason": [dutch("Say why the package is cancelled.")]}
    assert totals(programme) == (Decimal("18.00"), Decimal("0.00"))

    response = handyman.post(act_url(package, "cancel"), {"reason": "Bewoner wil niets"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancel_reason"]) == ("cancelled", "Bewoner wil niets")
    assert totals(programme) == (Decimal("0.00"), Decimal("0.00"))


@pytest.mark.parametrize("act", ["install", "cancel"])
@pytest.mark.parametrize("role", ["community", "assessor", "finance"])
def test_roles_that_see_a_package_but_do_not_work_on_it_cannot_install_or_cancel_it(api, people, household, act,
                                                                                    role):
    package = approved(household, people)

    response = as_user(api, people[role]).post(act_url(package, act),
                                               {"items": items(**{LAMP: 4})} if act == "install" else {"reason": "x"},
                                               format="json")

    assert response.status_code == 403
    package.refresh_from_db()
    assert package.status == S.APPROVED


# --- The catalogue --------------------------------------------------------------------------------------------


def test_the_catalogue_lists_the_active_products_with_todays_price(api, people, programme):
    Product.objects.filter(pk=product("Wollen sloffen").pk).update(active=False)
    packages.set_price(product(LAMP), by=people["coordinator"], unit_price="5.00",
                       valid_from=datetime.date.today())

    response = as_user(api, people["handyman"]).get(PRODUCTS, {"programme": programme.slug})

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert "Wollen sloffen" not in rows
    assert (rows[LAMP]["price"], rows[LAMP]["tier"], rows[LAMP]["programme"]) == ("5.00", "small", programme.slug)
    assert rows["Radiatorventilator"]["price"] == "45.00"


def test_the_catalogue_of_an_unknown_programme_is_not_found(api, people, programme):
    handyman = as_user(api, people["handyman"])

    assert handyman.get(PRODUCTS, {"programme": "nergens"}).status_code == 404
    assert handyman.get(PRODUCTS, {"programme": "niet goed!"}).status_code == 400
    assert handyman.get(f"{PRODUCTS}?programme=hilversum%00-2022").status_code == 400


def test_the_catalogue_is_for_logged_in_users(api, programme):
    assert api.get(PRODUCTS).status_code == 403


def test_a_nul_character_in_the_motivation_or_a_reason_is_a_400(api, people, household):
    response = propose(api, people["handyman"], household, items(Tochtstrip=1), motivation="vier\x00radiatoren")
    assert response.status_code == 400
    assert list(response.json()) == ["motivation"]

    package = waiting(household, people)
    response = as_user(api, people["coordinator"]).post(act_url(package, "decline"), {"reason": "nee\x00"},
                                                        format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["reason"]
