"""The public application form's submissions are limited per client address (accounts.rate_limits)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from subsidy.models import Application

pytestmark = pytest.mark.django_db

APPLY = reverse("subsidy:apply")
TOO_MANY = "Er zijn het afgelopen uur te veel aanvragen vanaf uw adres verstuurd."


@pytest.fixture(autouse=True)
def two_an_hour(settings):
    cache.clear()
    settings.PUBLIC_APPLICATIONS_PER_HOUR = 2
    yield
    cache.clear()


def test_one_submission_too_many_from_an_address_is_refused_with_429_and_a_dutch_page(client, programme):
    statuses = [client.post(APPLY, {"applicant_name": "X"}).status_code for _ in range(2)]
    refused = client.post(APPLY, {"applicant_name": "X"})

    assert statuses == [200, 200]  # the form with its errors
    assert refused.status_code == 429
    assert TOO_MANY in refused.text
    assert Application.objects.count() == 0


def test_another_address_and_the_next_hour_may_submit_again(client, programme, clock):
    for _ in range(3):
        client.post(APPLY, {"applicant_name": "X"})

    assert client.post(APPLY, {"applicant_name": "X"}, REMOTE_ADDR="203.0.113.9").status_code == 200
    clock.advance(hours=1, seconds=1)
    assert client.post(APPLY, {"applicant_name": "X"}).status_code == 200


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, programme):
    statuses = [client.post(APPLY, {"applicant_name": "X"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
                for n in range(3)]

    assert statuses == [200, 200, 429]


def test_looking_at_the_form_is_not_limited(client, programme):
    assert [client.get(APPLY).status_code for _ in range(4)] == [200] * 4
