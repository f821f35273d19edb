"""Login protection: too many failed logins lock the account, or the client's address, for a cool-off.

Terms:
- a *failure* is a login with a wrong username or password. It is counted twice: for the account (the username as
  typed, normalised: Unicode NFKC, trimmed, case-folded; also when no such account exists, so the answer never tells
  whether it does) and for the client's address (`accounts.addresses.client_address`: the address the trusted
  proxies saw, never one the client wrote).
- the *window* is the cool-off (settings.LOGIN_COOL_OFF_MINUTES): only failures within it count.
- a *lock*: when an account has LOGIN_FAILURES_PER_ACCOUNT failures within the window, or an address
  LOGIN_FAILURES_PER_ADDRESS, logins for it are refused for the cool-off — also with the right password. The message
  does not say which of the two is locked. A successful login clears the account's failures (not the address's).

The counts live in the default cache (settings.CACHES: the database cache, or Redis with DJANGO_REDIS_URL), which
every worker process shares; each key holds the moments of its failures and the end of its lock, compared with
`timezone.now()`, so the counts mean the same whichever worker reads them. A read-modify-write of a key is not
atomic: under many parallel guesses a few may go uncounted, never many (each one that is counted brings the lock
nearer). Every lock is logged (warning) and, when the account exists, recorded in its audit trail
("login_locked", with the address).

Our own rather than django-axes: axes keeps its attempts in database tables per (username, address) and its cache
handler cannot count per account and per address at once without counting both together; this module is some
hundred lines, counts in the cache the API's throttles share, and says its message in Dutch through our catalogue.
"""

import hashlib
import ipaddress
import logging
import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.audit import record_event

logger = logging.getLogger(__name__)

KEY_PREFIX = "login-lockout"


@dataclass(frozen=True)
class Counter:
    """One thing failures are counted for: an account or an address."""

    kind: str  # "account" or "address"
    value: str

    @property
    def key(self) -> str:
        return f"{KEY_PREFIX}:{self.kind}:{hashlib.sha256(self.value.encode()).hexdigest()}"

    @property
    def limit(self) -> int:
        if self.kind == "account":
            return settings.LOGIN_FAILURES_PER_ACCOUNT
        return settings.LOGIN_FAILURES_PER_ADDRESS


def normalised_username(username: str | None) -> str:
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def counters(username: str | None, address: str) -> tuple[Counter, Counter]:
    return Counter("account", normalised_username(username)), Counter("address", address_counted(address))


def address_counted(address: str) -> str:
    """What failures are counted for: an IPv4 address itself, an IPv6 address's /64 network (one household or
    office gets a whole /64 and can rotate the rest of the address at will)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def _cool_off() -> timedelta:
    return timedelta(minutes=settings.LOGIN_COOL_OFF_MINUTES)


def _state(counter: Counter) -> dict:
    return cache.get(counter.key) or {"failures": [], "locked_until": None}


def _locked_until(counter: Counter, now: datetime) -> datetime | None:
    until = _state(counter)["locked_until"]
    if until is None:
        return None
    until = datetime.fromtimestamp(until, tz=now.tzinfo)
    return until if until > now else None


def locked_until(username: str | None, address: str) -> datetime | None:
    """The end of the lock on the account or the address (the later one), or None when neither is locked."""
    now = timezone.now()
    ends = [end for counter in counters(username, address) if (end := _locked_until(counter, now))]
    return max(ends) if ends else None


def minutes_left(until: datetime) -> int:
    return max(1, math.ceil((until - timezone.now()).total_seconds() / 60))


def refusal_message(until: datetime) -> str:
    minutes = minutes_left(until)
    return ngettext("Too many failed attempts. Try again in %(minutes)d minute.",
                    "Too many failed attempts. Try again in %(minutes)d minutes.", minutes) % {"minutes": minutes}


def record_failure(username: str | None, address: str) -> datetime | None:
    """Count a failed login for the account and the address; the end of the lock when either is locked now."""
    now = timezone.now()
    window_start = (now - _cool_off()).timestamp()
    ends = []
    for counter in counters(username, address):
        state = _state(counter)
        until = state["locked_until"]
        if until is not None and until > now.timestamp():
            ends.append(datetime.fromtimestamp(until, tz=now.tzinfo))
            continue  # a lock is not lengthened by what is tried during it
        failures = [moment for moment in state["failures"] if moment > window_start] + [now.timestamp()]
        state = {"failures": failures, "locked_until": None}
        if len(failures) >= counter.limit:
            end = now + _cool_off()
            state = {"failures": [], "locked_until": end.timestamp()}
            ends.append(end)
            _record_lock(counter, username=username, address=address, until=end)
        cache.set(counter.key, state, timeout=int(_cool_off().total_seconds()) + 60)
    return max(ends) if ends else None


def clear_account(username: str | None) -> None:
    """A successful login: the account's failures are forgiven (the address's are not)."""
    cache.delete(Counter("account", normalised_username(username)).key)


def _record_lock(counter: Counter, *, username: str | None, address: str, until: datetime) -> None:
    logger.warning("Login lockout of the %s after %d failed logins (username tried: %r, address: %s) until %s",
                   counter.kind, counter.limit, username, address, until.isoformat())
    user = _account(username)
    if user is not None:
        with transaction.atomic():
            record_event(user, actor=None, action="login_locked", address=address, locked=counter.kind,
                         until=until.isoformat())


def _account(username: str | None):
    """The account a username names, as the login would find it (case-insensitively here), or None."""
    if not username:
        return None
    User = get_user_model()
    return User._default_manager.filter(**{f"{User.USERNAME_FIELD}__iexact": username.strip()}).first()
