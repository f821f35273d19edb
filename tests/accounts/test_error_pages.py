"""Error pages (DEBUG off) are Dutch, in the site's layout, with the way back to the start page."""

import pytest
from django.test import Client
from django.views.defaults import server_error

from tests.factories import HouseholdFactory

START = 'href="/"'


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def assert_site_page(response, status: int, heading: str):
    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html
    assert "css/warmhuis.css" in html
    assert "Naar de startpagina" in html
    assert START in html


@pytest.mark.django_db
def test_an_unknown_address_is_a_dutch_404_with_the_way_back(client, coordinator):
    client.force_login(coordinator)

    response = client.get("/no-such-page/")

    assert_site_page(response, 404, "Pagina niet gevonden")
    assert "Hoofdmenu" in response.content.decode()  # the navigation of the logged-in user


@pytest.mark.django_db
def test_a_page_the_role_may_not_see_is_a_dutch_403_with_the_way_back(client, handyman):
    client.force_login(handyman)

    response = client.get("/budget/")

    assert_site_page(response, 403, "Geen toegang")


@pytest.mark.django_db
def test_a_household_that_is_not_yours_is_the_dutch_404(client, handyman2, programme, handyman):
    household = HouseholdFactory(programme=programme, handyman=handyman)
    client.force_login(handyman2)

    assert_site_page(client.get(f"/households/{household.pk}/"), 404, "Pagina niet gevonden")


@pytest.mark.django_db
def test_a_bad_request_is_a_dutch_400(client, settings):
    response = client.get("/", HTTP_HOST="not-ours.example")  # DisallowedHost: a SuspiciousOperation

    assert_site_page(response, 400, "Verzoek niet begrepen")


@pytest.mark.django_db
def test_an_expired_form_is_a_dutch_403_that_says_what_to_do(settings):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/login/", {"username": "coordinator", "password": "demo"})

    assert_site_page(response, 403, "Het formulier is verlopen")
    assert "laad de pagina opnieuw" in response.content.decode()


def test_the_500_page_renders_without_a_request_context_or_database(rf):
    # No django_db mark: any database query here would fail the test.
    response = server_error(rf.get("/"))

    assert_site_page(response, 500, "Er ging iets mis")
    assert '<html lang="nl">' in response.content.decode()


@pytest.mark.django_db
def test_an_error_in_a_view_is_the_dutch_500(coordinator, monkeypatch):
    import accounts.views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(accounts.views, "primary_role", broken)
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)

    assert_site_page(client.get("/"), 500, "Er ging iets mis")
