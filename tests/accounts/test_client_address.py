"""The client's address behind 0, 1 or 2 trusted proxies: never an address the client wrote itself."""

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from accounts.addresses import client_address
from eligibility.api import PublicCalculationThrottle

FORGED = "6.6.6.6"


def request_with(remote: str = "10.0.0.2", forwarded: str | None = None, **headers):
    meta = {"REMOTE_ADDR": remote, **headers}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_address_is_the_connections_and_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_address(request_with("198.51.100.7", forwarded=FORGED)) == "198.51.100.7"
    assert client_address(request_with("198.51.100.7", HTTP_X_REAL_IP=FORGED)) == "198.51.100.7"


def test_behind_one_proxy_the_address_the_proxy_appended_counts_not_what_the_client_wrote(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    # The client sent "X-Forwarded-For: 6.6.6.6"; our proxy appended the address it saw.
    assert client_address(request_with(forwarded=f"{FORGED}, 198.51.100.7")) == "198.51.100.7"
    assert client_address(request_with(forwarded="198.51.100.7")) == "198.51.100.7"


def test_behind_two_proxies_the_second_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    # Client → load balancer (appends the client) → nginx (appends the load balancer) → app.
    assert client_address(request_with(forwarded=f"{FORGED}, 198.51.100.7, 10.0.0.1")) == "198.51.100.7"
    assert client_address(request_with(forwarded=f"{FORGED}, {FORGED}, 198.51.100.7, 10.0.0.1")) == "198.51.100.7"


def test_fewer_entries_than_proxies_gives_the_leftmost(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_address(request_with(forwarded="198.51.100.7")) == "198.51.100.7"


@pytest.mark.parametrize("forwarded", ["", "   ", "not-an-address", "198.51.100.7:443", "<script>", "1.2.3.4.5"])
def test_a_malformed_or_empty_header_falls_back_to_the_connection(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_address(request_with("10.0.0.2", forwarded=forwarded)) == "10.0.0.2"


def test_no_other_header_a_client_can_send_is_read(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    request = request_with("10.0.0.2", HTTP_X_REAL_IP=FORGED, HTTP_FORWARDED=f"for={FORGED}", HTTP_CLIENT_IP=FORGED)

    assert client_address(request) == "10.0.0.2"


def test_ipv6_addresses_are_kept_in_one_spelling(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_address(request_with(forwarded="2001:DB8:0:0::1")) == "2001:db8::1"


@pytest.mark.django_db
@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_the_api_throttle_counts_per_client_address_whatever_the_client_forges(settings, monkeypatch, programme,
                                                                               proxies):
    from django.core.cache import cache

    cache.clear()
    settings.TRUSTED_PROXY_COUNT = proxies
    monkeypatch.setattr(PublicCalculationThrottle, "rate", "3/minute", raising=False)
    api = APIClient(REMOTE_ADDR="10.0.0.2")
    body = {"programme": "hilversum-2022", "date": "2022-09-01", "measure": "roof", "area_m2": "70"}
    # What the proxies append after the client's own (forged, different each time) entry.
    appended = {0: "", 1: ", 198.51.100.7", 2: ", 198.51.100.7, 10.0.0.1"}[proxies]

    statuses = [api.post("/api/v1/calculations/diy", body, format="json",
                         HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}{appended}").status_code for attempt in range(5)]

    assert statuses == [200, 200, 200, 429, 429]
