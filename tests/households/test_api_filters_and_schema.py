"""The household API's list filters refuse unknown values, and its schema says what the API answers."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.factories import HouseholdFactory

LIST = reverse("api-v1:household-list")


@pytest.fixture
def api(coordinator):
    client = APIClient()
    client.force_authenticate(coordinator)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["tenure", "label", "status", "sort"])
def test_an_unknown_filter_value_is_a_400_naming_the_filter(api, programme, name):
    HouseholdFactory(programme=programme)

    response = api.get(LIST, {name: "nonsense"})

    assert response.status_code == 400
    assert list(response.json()) == [name]
    assert response.json()[name][0].startswith("Onbekende waarde “nonsense”; kies uit: ")


@pytest.mark.django_db
def test_the_error_lists_the_allowed_labels(api, programme):
    message = api.get(LIST, {"label": "H"}).json()["label"][0]

    assert "A++++" in message and "G" in message and "unknown" in message


@pytest.mark.django_db
def test_known_filter_values_still_filter(api, programme):
    HouseholdFactory(programme=programme, dwelling__energy_label="E", dwelling__tenure="social_rent")
    HouseholdFactory(programme=programme, dwelling__energy_label="C", dwelling__tenure="social_rent")

    response = api.get(LIST, {"label": "E", "tenure": "social_rent", "status": "", "sort": "-reference"})

    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.django_db
def test_a_search_through_the_api_counts_and_pages_its_matches(api, programme, monkeypatch):
    from households.api import HouseholdPagination

    monkeypatch.setattr(HouseholdPagination, "page_size", 2)
    wanted = {HouseholdFactory(programme=programme, dwelling__postcode="1221 AB").pk for _ in range(3)}
    HouseholdFactory(programme=programme, dwelling__postcode="1400 AB")

    first, second = api.get(LIST, {"q": "1221"}).json(), api.get(LIST, {"q": "1221", "page": 2}).json()

    assert (first["count"], second["count"], second["next"]) == (3, 3, None)
    assert {row["id"] for row in first["results"] + second["results"]} == wanted
    assert api.get(LIST, {"q": "1221", "page": 3}).status_code == 404


def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_assignees_are_nullable_in_the_schema_as_they_are_in_answers():
    household = schema()["components"]["schemas"]["Household"]["properties"]

    assert household["handyman"]["nullable"] is True
    assert household["community_worker"]["nullable"] is True


@pytest.mark.parametrize(("method", "path", "statuses"), [
    ("get", "/api/v1/households/", {"200", "400", "403", "404"}),
    ("post", "/api/v1/households/", {"201", "400", "403"}),
    ("get", "/api/v1/households/{id}/", {"200", "403", "404"}),
    ("put", "/api/v1/households/{id}/", {"200", "400", "403", "404"}),
    ("patch", "/api/v1/households/{id}/", {"200", "400", "403", "404"}),
])
def test_the_household_operations_document_their_error_answers(method, path, statuses):
    assert set(schema()["paths"][path][method]["responses"]) == statuses


def test_the_filters_are_documented_with_their_values():
    parameters = {p["name"]: p for p in schema()["paths"]["/api/v1/households/"]["get"]["parameters"]}

    assert "social_rent" in parameters["tenure"]["schema"]["enum"]
    assert "A++++" in parameters["label"]["schema"]["enum"]
