"""A NUL character anywhere a user can type is a 400, never a database error (PostgreSQL cannot hold NUL)."""

import pytest
from rest_framework.test import APIClient

from households.models import Household

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("address", [
    "/budget/?programme=hilversum%00-2022",
    "/households/?q=Mul%00der",
    "/api/v1/households/?tenure=%00",
])
def test_a_nul_in_the_query_is_a_bad_request(client, coordinator, programme, address):
    client.force_login(coordinator)

    assert client.get(address).status_code == 400


def test_a_nul_in_a_programme_code_is_a_400_on_that_field(coordinator, programme):
    api = APIClient()
    api.force_authenticate(coordinator)

    response = api.post("/api/v1/households/", {"programme": "\x00hilversum-2022", "contact_name": "Jan"},
                        format="json")

    assert response.status_code == 400
    assert "programme" in response.json()
    assert not Household.objects.exists()


def test_a_nul_in_the_public_checks_programme_is_a_400(programme):
    response = APIClient().post("/api/v1/calculations/diy", {
        "programme": "hilversum\x00-2022", "date": "2022-09-01", "measure": "roof", "area_m2": "70"}, format="json")

    assert response.status_code == 400
    assert "programme" in response.json()
