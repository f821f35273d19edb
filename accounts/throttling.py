"""The API's rate limits count per client address as `accounts.addresses.client_address` finds it.

DRF's own `get_ident` reads `NUM_PROXIES` and trusts whatever stands in X-Forwarded-For at that position without
checking it is an address; ours is the one function the login lockout and the public form use too. The counts live
in the default cache (settings.CACHES: the database cache, or Redis), which every worker process shares.
"""

from rest_framework import throttling

from accounts.addresses import client_address


class ClientAddressMixin:
    def get_ident(self, request) -> str:
        return client_address(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    """Anonymous API requests, per client address (`DEFAULT_THROTTLE_RATES["anon"]`)."""
