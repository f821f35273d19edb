from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_answers_ok_without_login(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_answers_503_when_the_database_is_unreachable(client):
    with mock.patch("accounts.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("accounts:start"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_login_page_is_in_dutch(client):
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert "Inloggen" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "heading"),
    [("handyman", "Energieklusser"), ("community", "Opbouwwerker"), ("assessor", "Beoordelaar"),
     ("finance", "Financieel medewerker"), ("coordinator", "Coördinator")],
)
def test_each_role_lands_on_its_own_start_page(client, users_by_role, who, heading):
    client.force_login(users_by_role[who])

    response = client.get(reverse("accounts:start"))

    assert response.status_code == 200
    assert heading in response.content.decode()


def test_a_user_without_a_role_is_refused(client, roles):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))

    assert client.get(reverse("accounts:start")).status_code == 403


@pytest.mark.parametrize(("path", "current"), [
    ("/rapportage/", ["Programmarapportage"]),
    ("/rapportage/wat-als/", ["Wat als"]),
    ("/rapportage/provincie/", ["Export voor de provincie"]),
    ("/", []),  # the start page's entry is "/", which every address begins with: never marked
])
def test_the_navigation_marks_one_page_as_current_the_one_the_address_is_in(client, users_by_role, path, current):
    client.force_login(users_by_role["coordinator"])

    items = client.get(path).context["nav_items"]

    assert [str(item["label"]) for item in items if item["active"]] == current
