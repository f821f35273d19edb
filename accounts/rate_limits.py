"""A limit on how often one client address may do something on a public page (the application form's POST).

Counted per `accounts.addresses.client_address` in the default cache that every worker shares (as the API's
throttles and the login lockout are); the moments of the requests within the period are kept and compared with
`timezone.now()`.
"""

import hashlib
from datetime import timedelta

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from accounts.addresses import client_address


def allow(scope: str, request: HttpRequest, *, limit: int, per: timedelta) -> bool:
    """Count this request of the client's address for `scope`; False when it is one more than `limit` within `per`
    (a refused request is not counted)."""
    address = hashlib.sha256(client_address(request).encode()).hexdigest()
    key = f"rate-limit:{scope}:{address}"
    now = timezone.now().timestamp()
    recent = [moment for moment in cache.get(key, []) if moment > now - per.total_seconds()]
    if len(recent) >= limit:
        return False
    cache.set(key, [*recent, now], timeout=int(per.total_seconds()) + 60)
    return True
