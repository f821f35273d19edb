"""Personal data is never stored by a browser or proxy cache; the API docs and the admin export work under the CSP."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize("url", ["/", "/households/", "/budget/", "/api/v1/households/"])
def test_authenticated_pages_and_api_responses_are_not_stored(client, coordinator, programme, url):
    client.force_login(coordinator)

    response = client.get(url, follow=True)

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_a_households_page_is_not_stored(client, coordinator, programme):
    household = HouseholdFactory(programme=programme, registered_by=coordinator)
    client.force_login(coordinator)

    response = client.get(reverse("households:detail", args=[household.pk]))

    assert response.status_code == 200
    assert "no-store" in cache_control(response)


def test_a_refusal_is_not_stored_either(client, handyman, programme):
    client.force_login(handyman)

    assert "no-store" in cache_control(client.get("/budget/"))


def redoc_policy(client, coordinator) -> dict[str, list[str]]:
    client.force_login(coordinator)
    response = client.get("/api/v1/redoc/")
    assert response.status_code == 200
    return {name: values for name, *values in
            (directive.split() for directive in response["Content-Security-Policy"].split(";"))}


def test_the_redoc_page_may_style_itself_and_start_its_search_worker(client, coordinator):
    policy = redoc_policy(client, coordinator)

    assert "'unsafe-inline'" in policy["style-src"]
    assert not any(value.startswith("'nonce-") for value in policy["style-src"])  # a nonce would void unsafe-inline
    assert "blob:" in policy["worker-src"]
    assert policy["script-src"] == ["'self'"]  # still only our own scripts


def test_the_redoc_page_loads_nothing_the_policy_forbids(client, coordinator):
    client.force_login(coordinator)

    html = client.get("/api/v1/redoc/").content.decode()

    assert "fonts.googleapis.com" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script


def test_the_other_pages_keep_the_strict_policy(client, coordinator):
    client.force_login(coordinator)

    policy = client.get("/")["Content-Security-Policy"]

    assert "unsafe-inline" not in policy
    assert "blob:" not in policy


def test_the_admin_export_has_no_inline_handler_and_its_script_is_served(admin_client, programme):
    response = admin_client.get("/admin/households/household/export/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="select-toggle"' in html
    assert not re.search(r"\son[a-z]+=", html)
    assert "js/admin_export.js" in html
    assert finders.find("js/admin_export.js")
