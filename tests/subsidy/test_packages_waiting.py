"""Packages waiting for the coordinator: what is shown to decide, approving above the limit with a reason (the value
is committed on the products line), declining, and the refusals (no reason, a stale page, one's own household)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.translation import gettext

from accounts.roles import Role
from budget.models import BudgetLine
from subsidy import packages
from subsidy.models import Package
from tests.factories import UserFactory, assessed_household, product

WAITING = reverse("subsidy:packages_waiting")


def page_text(response) -> str:
    """The page's HTML with its non-breaking spaces (€ 4,50) as plain ones."""
    return response.content.decode().replace("\xa0", " ")


def committed(programme) -> Decimal:
    return BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.PRODUCTS).committed_open


def waiting(handyman, fans: int = 8, **household_fields) -> Package:
    """`fans` radiator fans at € 45,00 (8: € 360,00, € 30,00 above the limit of € 330,00), with a motivation."""
    household = assessed_household(handyman, **household_fields)
    package = packages.propose(household, by=handyman, items={product("Radiatorventilator").pk: fans},
                               motivation="Acht radiatoren in een tochtige woning")
    assert package.status == Package.Status.OVERRIDE_REQUESTED
    return package


def decide(client, package: Package, decision: str, reason: str, version: int | None = None):
    prefix = f"package-{package.pk}"
    return client.post(reverse("subsidy:decide_package", args=[package.pk]), {
        f"{prefix}-decision": decision, f"{prefix}-reason": reason,
        f"{prefix}-version": package.version if version is None else version})


@pytest.fixture
def coordinator_client(client, coordinator, programme):
    client.force_login(coordinator)
    return client


def test_the_page_shows_what_the_coordinator_needs_to_decide(coordinator_client, handyman):
    package = waiting(handyman)
    packages.propose(assessed_household(handyman), by=handyman, items={product("LED-lamp").pk: 2})  # approved

    response = coordinator_client.get(WAITING)

    page = page_text(response)
    assert [row["package"] for row in response.context["rows"]] == [package]
    assert package.household.reference in page
    assert handyman.get_full_name() in page
    for amount in ("€ 360,00", "€ 330,00", "€ 30,00"):
        assert amount in page
    assert "Acht radiatoren in een tochtige woning" in page
    assert "Radiatorventilator" in page
    assert f'name="package-{package.pk}-reason"' in page
    assert f'name="package-{package.pk}-decision" value="approve"' in page


def test_the_coordinator_approves_an_override_through_the_page_and_its_value_is_committed(
        coordinator_client, coordinator, handyman, programme):
    package = waiting(handyman)
    before = committed(programme)

    response = decide(coordinator_client, package, "approve", "Grote woning met acht radiatoren")

    assert response.status_code == 302
    package.refresh_from_db()
    assert package.status == Package.Status.APPROVED
    assert (package.decided_by, package.decision_reason) == (coordinator, "Grote woning met acht radiatoren")
    assert committed(programme) == before + Decimal("360.00")
    page = page_text(coordinator_client.get(response.url))
    assert "is goedgekeurd boven de limiet" in page
    assert "Er wachten geen pakketten op een besluit." in page


def test_the_coordinator_declines_with_a_reason_and_nothing_is_committed(coordinator_client, coordinator,
                                                                         handyman, programme):
    package = waiting(handyman)

    response = decide(coordinator_client, package, "decline", "Vier ventilatoren zijn genoeg")

    assert response.status_code == 302
    package.refresh_from_db()
    assert package.status == Package.Status.DECLINED
    assert package.decision_reason == "Vier ventilatoren zijn genoeg"
    assert committed(programme) == Decimal("0.00")


@pytest.mark.parametrize(("decision", "message"), [
    ("approve", "Give the reason for going above the limit per dwelling."),
    ("decline", "Say why, so the handyman can propose what fits."),
])
def test_a_decision_without_a_reason_is_refused_on_the_reason_and_nothing_changes(
        coordinator_client, handyman, programme, decision, message):
    package = waiting(handyman)

    response = decide(coordinator_client, package, decision, "   ")

    assert response.status_code == 200
    row = next(row for row in response.context["rows"] if row["package"] == package)
    assert row["form"].errors == {"reason": [gettext(message)]}
    assert "Er is niets besloten" in page_text(response)
    package.refresh_from_db()
    assert package.status == Package.Status.OVERRIDE_REQUESTED
    assert committed(programme) == Decimal("0.00")


def test_a_decision_without_approve_or_decline_is_refused(coordinator_client, handyman):
    package = waiting(handyman)

    response = decide(coordinator_client, package, "", "Reden")

    row = next(row for row in response.context["rows"] if row["package"] == package)
    assert row["form"].errors == {"decision": ["Kies goedkeuren of afwijzen."]}


def test_a_package_decided_meanwhile_is_told_and_not_decided_again(coordinator_client, coordinator, handyman,
                                                                   programme):
    package = waiting(handyman)
    seen = package.version
    packages.decline(package, by=coordinator, reason="Te veel")

    response = decide(coordinator_client, package, "approve", "Toch wel", version=seen)

    assert response.status_code == 409
    assert "wacht niet meer op een besluit" in page_text(response)
    package.refresh_from_db()
    assert package.status == Package.Status.DECLINED
    assert committed(programme) == Decimal("0.00")


def test_a_stale_version_is_a_conflict(coordinator_client, handyman, programme):
    package = waiting(handyman)

    response = decide(coordinator_client, package, "approve", "Reden", version=package.version + 1)

    assert response.status_code == 409
    package.refresh_from_db()
    assert package.status == Package.Status.OVERRIDE_REQUESTED


def test_a_coordinator_does_not_decide_for_a_household_they_work_on_and_the_page_says_why(client, roles, programme,
                                                                                          coordinator, handyman):
    also_handyman = UserFactory(username="coordinator-handyman", role=Role.COORDINATOR)
    also_handyman.groups.add(Group.objects.get(name=Role.HANDYMAN))
    own = waiting(also_handyman)
    other = waiting(handyman)
    client.force_login(also_handyman)

    page = client.get(WAITING)

    why = {row["package"]: row["why_not"] for row in page.context["rows"]}
    assert why[other] == ""
    assert why[own] == ("U werkt aan dit huishouden (als energieklusser of opbouwwerker): een andere coördinator "
                        "besluit.")
    assert f'action="{reverse("subsidy:decide_package", args=[own.pk])}"' not in page_text(page)
    response = decide(client, own, "approve", "Mijn eigen huishouden")
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == Package.Status.OVERRIDE_REQUESTED


def test_the_page_reads_a_constant_number_of_queries(coordinator_client, handyman, django_assert_max_num_queries):
    waiting(handyman)
    coordinator_client.get(WAITING)
    with django_assert_max_num_queries(25) as few:
        coordinator_client.get(WAITING)
    for _ in range(6):
        waiting(handyman, fans=9)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coordinator_client.get(WAITING)

    assert len(response.context["rows"]) == 7


def test_the_coordinators_start_page_says_how_many_packages_wait_for_their_decision(coordinator_client, handyman):
    waiting(handyman)
    waiting(handyman, fans=9)

    page = page_text(coordinator_client.get(reverse("accounts:start")))

    assert "2 pakketten wachten op uw besluit." in page
    assert f'href="{WAITING}"' in page


def test_the_navigation_offers_the_coordinator_the_catalogue_the_waiting_packages_and_the_figures(
        coordinator_client, client, finance_officer):
    labels = [item["label"] for item in coordinator_client.get(WAITING).context["nav_items"]]
    assert {"Productcatalogus", "Wachtende pakketten", "Pakketcijfers"} <= {str(label) for label in labels}

    client.force_login(finance_officer)
    finance = {str(item["label"]) for item in client.get(reverse("accounts:start")).context["nav_items"]}
    assert "Pakketcijfers" in finance
    assert not {"Productcatalogus", "Wachtende pakketten"} & finance


def test_the_waiting_packages_come_twenty_to_a_page_oldest_first(coordinator_client, handyman):
    from subsidy.views import catalogue

    size = catalogue.WAITING_ON_A_PAGE
    made = [waiting(handyman) for _ in range(size + 1)]

    first = page_text(coordinator_client.get(WAITING))
    second = page_text(coordinator_client.get(WAITING, {"page": 2}))

    assert all(f'id="package-{package.pk}"' in first for package in made[:size])
    assert f'id="package-{made[-1].pk}"' not in first and f'id="package-{made[-1].pk}"' in second
    assert "Pagina 1 van 2" in first
