"""The client's address: who is on the other end of a request, as far as the proxies we trust can tell.

Every proxy in front of the app appends the address it saw to `X-Forwarded-For`; whatever stands to the left of
what our own proxies wrote was written by the client and proves nothing. With `settings.TRUSTED_PROXY_COUNT` = N
(DJANGO_TRUSTED_PROXY_COUNT) the client is the Nth address from the right: the one our outermost proxy saw. With
N = 0 (no proxy, the default) the header is ignored and the client is REMOTE_ADDR. Other headers a client can
simply send (X-Real-IP, Forwarded, Client-IP) are never read.

One function for every limit that counts per address: the API's throttles (accounts.throttling), the login lockout
(accounts.lockout) and the public application form.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    """`value` as a normalised IP address, or None when it is not one (a port, a name, garbage)."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's IP address as the trusted proxies saw it (see the module's docstring)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry for entry in forwarded.split(",") if entry.strip()] if forwarded else []
    if not entries:
        return remote
    # Fewer entries than proxies: a proxy in front of us saw the client directly and wrote it first.
    seen_by_outermost_proxy = entries[-min(proxies, len(entries))]
    return _address(seen_by_outermost_proxy) or remote
