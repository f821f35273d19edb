"""Staff sessions (issue 14): an idle timeout, the end at browser close, and "log out everywhere".

Terms:
- the *login moment* and the *last activity* of a session are kept in the session itself (on Django's
  `user_logged_in` signal, connected in AccountsConfig.ready, so every way of logging in sets them). The last
  activity is written at most once a minute: a session is not saved on every request.
- *idle*: no request for settings.SESSION_IDLE_MINUTES (DJANGO_SESSION_IDLE_MINUTES, 30). The next request logs the
  session out and goes to the login page with a message; an htmx request is sent there as a whole page, an API
  request simply goes on without the login (and is refused as such).
- the session cookie has no expiry date (SESSION_EXPIRE_AT_BROWSER_CLOSE), so it ends with the browser; a session
  lasts at most SESSION_COOKIE_AGE (DJANGO_SESSION_MAX_HOURS, 10 hours) from its login moment, active or not (noting
  the activity saves the session, which moves the stored session's own expiry on: the login moment decides).
- *log out everywhere* (`end_sessions`): the account's `AccountSecurity.sessions_ended_at` becomes now and its API
  tokens are deleted. Every session whose login moment lies before it is logged out at its next request. The user
  themself or a coordinator may do it; it is recorded in the account's audit trail.

The check costs no query: the user is loaded with its AccountSecurity in the same query (`ModelBackend` below,
named in AUTHENTICATION_BACKENDS) and the moments are in the session that is read anyway.
"""

from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import backends
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect
from rest_framework.authtoken.models import Token

from accounts.audit import record_event
from accounts.htmx import sent_by_htmx
from accounts.models import AccountSecurity
from accounts.roles import ensure_may

LOGIN_AT = "_login_at"
ACTIVE_AT = "_active_at"
ACTIVITY_RESOLUTION_SECONDS = 60


class ModelBackend(backends.ModelBackend):
    """Django's, loading the user's AccountSecurity with it (one query: the session check costs none)."""

    def get_user(self, user_id):
        User = auth.get_user_model()
        try:
            user = User._default_manager.select_related("security").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def on_login(sender, request, user, **kwargs) -> None:
    """`user_logged_in`: the session's login moment and first activity."""
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now().timestamp()
    request.session[LOGIN_AT] = now
    request.session[ACTIVE_AT] = now


def connect() -> None:
    auth.user_logged_in.connect(on_login, dispatch_uid="accounts.sessions.on_login")


def sessions_ended_at(user) -> datetime | None:
    try:
        security = user.security
    except AccountSecurity.DoesNotExist:
        return None
    return security.sessions_ended_at


@transaction.atomic
def end_sessions(user, *, by, reason: str = "") -> AccountSecurity:
    """Log `user` out everywhere: every session started before now, and every API token."""
    ensure_may(by, "accounts.end_sessions", user)
    security, _created = AccountSecurity.objects.select_for_update().get_or_create(user=user)
    security.sessions_ended_at = timezone.now()
    security.save(update_fields=["sessions_ended_at"])
    tokens, _counts = Token.objects.filter(user=user).delete()
    record_event(user, actor=by, action="sessions_ended", note=reason, tokens_deleted=tokens)
    return security


class SessionLimitsMiddleware:
    """Logs out a session that was idle too long or ended everywhere; notes the activity at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if auth.SESSION_KEY in request.session and request.user.is_authenticated:
            reason = self._reason_to_end(request)
            if reason is not None:
                return self._logged_out(request, reason)
        return self.get_response(request)

    def _reason_to_end(self, request) -> str | None:
        now = timezone.now().timestamp()
        session = request.session
        ended = sessions_ended_at(request.user)
        if ended is not None and session.get(LOGIN_AT, 0) < ended.timestamp():
            return _("You were logged out everywhere. Log in again.")
        login_at = session.get(LOGIN_AT)
        if login_at is not None and now - login_at > settings.SESSION_COOKIE_AGE:
            return _("You were logged out because your session lasted its longest. Log in again.")
        idle_minutes = settings.SESSION_IDLE_MINUTES
        active_at = session.get(ACTIVE_AT)
        if active_at is not None and now - active_at > idle_minutes * 60:
            return ngettext("You were logged out because you did nothing for %(minutes)d minute.",
                            "You were logged out because you did nothing for %(minutes)d minutes.",
                            idle_minutes) % {"minutes": idle_minutes}
        if active_at is None or now - active_at >= ACTIVITY_RESOLUTION_SECONDS:
            session[ACTIVE_AT] = now
        return None

    def _logged_out(self, request, reason: str):
        auth.logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)  # on as anonymous: the API answers 401/403 itself
        # MessageMiddleware comes after this one: the message is stored here, on the response it will not see.
        request._messages = default_storage(request)
        messages.info(request, reason)
        if sent_by_htmx(request):  # HtmxMiddleware comes after this one too
            page = urlsplit(request.headers.get("HX-Current-URL", ""))
            where = urlunsplit(("", "", page.path or "/", page.query, ""))
            response = HttpResponseClientRedirect(redirect_to_login(where).url)
        else:
            response = redirect_to_login(request.get_full_path())
        request._messages.update(response)
        return response
