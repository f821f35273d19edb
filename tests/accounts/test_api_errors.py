"""One exception handler answers the domain's refusals in the API, with the sentences the pages show."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from accounts.errors import Conflict, NotAllowed, Refused
from budget.exceptions import InsufficientBudget
from budget.models import BudgetLine
from eligibility.calculators import InterestRateNeeded
from eligibility.parameters import NoParametersOnDate
from households.models import Household
from tests.factories import HouseholdFactory
from tests.households.conftest import DWELLING, HOUSEHOLD


def answer_to(error: Exception):
    """What the API answers when a view (any view) lets `error` through."""

    class Raising(APIView):
        permission_classes = [AllowAny]
        authentication_classes: list = []
        throttle_classes: list = []

        def post(self, request):
            raise error

    response = Raising.as_view()(APIRequestFactory().post("/", {}, format="json"))
    response.render()
    return response


def test_a_refusal_is_a_400_with_its_sentence_on_its_field():
    response = answer_to(Refused("Vul een bedrag in.", field="amount"))

    assert response.status_code == 400
    assert response.data == {"amount": ["Vul een bedrag in."]}


def test_a_refusal_without_a_field_concerns_the_request_as_a_whole():
    response = answer_to(Refused("Dit kan niet."))

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Dit kan niet."]}


def test_not_allowed_is_a_403_with_its_sentence():
    response = answer_to(NotAllowed("Alleen de coördinator mag dit."))

    assert response.status_code == 403
    assert response.data == {"detail": "Alleen de coördinator mag dit."}


def test_djangos_permission_denied_is_a_403_that_does_not_name_the_permission():
    response = answer_to(PermissionDenied("budget.book_expenditure"))

    assert response.status_code == 403
    assert response.data == {"detail": "Dit mag u niet doen."}


def test_a_conflict_is_a_409_with_its_sentence():
    response = answer_to(Conflict("Het huishouden is intussen gewijzigd."))

    assert response.status_code == 409
    assert response.data == {"detail": "Het huishouden is intussen gewijzigd."}


def test_a_services_validation_error_is_a_400_per_field():
    response = answer_to(DjangoValidationError({"reference": ["Bestaat al."], "__all__": ["Samen ongeldig."]}))

    assert response.status_code == 400
    assert response.data == {"reference": ["Bestaat al."], "non_field_errors": ["Samen ongeldig."]}


def test_the_apps_errors_are_the_domains_refusals():
    assert issubclass(InsufficientBudget, Refused)
    assert issubclass(NoParametersOnDate, Refused)
    assert issubclass(InterestRateNeeded, Refused)
    assert issubclass(NotAllowed, PermissionDenied)  # the pages answer it with their 403 page


@pytest.mark.django_db
def test_a_refused_booking_answers_the_pages_sentence_in_dutch(programme, finance_officer):
    line = programme.budget_lines.get(kind=BudgetLine.Kind.GRANTS)  # €600,000.00 allocated
    api = APIClient()
    api.force_authenticate(finance_officer)

    response = api.post(f"/api/v1/programmes/hilversum-2022/budget-lines/{line.pk}/expenditures/",
                        {"amount": "600000.01"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"amount": ["Op „Eenmalige grote isolatiemaatregel (subsidies)” is nog maar "
                                          "€\xa0600.000,00 beschikbaar; er is €\xa0600.000,01 nodig."]}


@pytest.mark.django_db
def test_a_booking_the_role_may_not_make_is_403(programme, assessor):
    line = programme.budget_lines.get(kind=BudgetLine.Kind.GRANTS)
    api = APIClient()
    api.force_authenticate(assessor)

    response = api.post(f"/api/v1/programmes/hilversum-2022/budget-lines/{line.pk}/expenditures/",
                        {"amount": "1.00"}, format="json")

    assert response.status_code == 403


@pytest.mark.django_db
def test_a_date_before_the_first_rules_is_a_400_on_date(programme):
    response = APIClient().post("/api/v1/calculations/diy", {
        "programme": "hilversum-2022", "date": "2010-01-01", "measure": "floor", "area_m2": "40"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["date"]
    assert "2010-01-01" in response.json()["date"][0]


@pytest.mark.django_db
def test_a_services_refusal_of_a_household_nests_dwelling_fields(coordinator, programme):
    HouseholdFactory(programme=programme, reference="HIL-00042")
    api = APIClient()
    api.force_authenticate(coordinator)

    response = api.post(reverse("api-v1:household-list"), {
        "programme": "hilversum-2022", "reference": "HIL-00042", **HOUSEHOLD,
        "dwelling": {**DWELLING, "energy_label_date": None}}, format="json")

    assert response.status_code == 400
    assert response.json() == {"reference": ["Er is in dit programma al een huishouden met dit kenmerk."]}
    assert Household.objects.count() == 1
