"""The public API's rate limits count per real client address, in a cache every worker process shares."""

import secrets

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from eligibility.api import PublicCalculationThrottle

pytestmark = pytest.mark.django_db

DIY = "/api/v1/calculations/diy"
BODY = {"programme": "hilversum-2022", "date": "2022-09-01", "measure": "roof", "area_m2": "70"}


def random_address() -> str:
    return ".".join(str(secrets.randbelow(256)) for _ in range(4))


@pytest.fixture
def five_a_minute(monkeypatch, programme):
    monkeypatch.setattr(PublicCalculationThrottle, "rate", "5/minute", raising=False)


def test_a_made_up_forwarded_for_does_not_escape_the_limit(five_a_minute):
    api = APIClient()

    statuses = [api.post(DIY, BODY, format="json", HTTP_X_FORWARDED_FOR=random_address()).status_code
                for _ in range(10)]

    assert statuses == [200] * 5 + [429] * 5


def test_behind_one_trusted_proxy_the_address_it_saw_is_the_client(five_a_minute, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # accounts.addresses.client_address, for the throttles too
    proxy = APIClient(REMOTE_ADDR="10.0.0.2")

    # The client writes whatever it likes on the left; the proxy appends the address it saw.
    first = [proxy.post(DIY, BODY, format="json", HTTP_X_FORWARDED_FOR=f"{random_address()}, 198.51.100.7")
             .status_code for _ in range(6)]
    other_client = proxy.post(DIY, BODY, format="json", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code

    assert first == [200] * 5 + [429]
    assert other_client == 200


def test_no_trusted_proxy_by_default():
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


def test_the_anonymous_limit_applies_to_the_other_anonymous_api_requests(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    api = APIClient()

    statuses = [api.get("/api/v1/schema/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_the_counts_live_in_the_database_cache_that_every_worker_shares():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    cache.set("shared", 1)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {settings.CACHES['default']['LOCATION']}")
        assert cursor.fetchone()[0] == 1
