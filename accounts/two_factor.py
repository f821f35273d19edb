"""Two factors for staff (issue 14, item 1; docs/security.md, "Two factors for staff").

Terms:
- *second factor*: after the password, a six-digit code from an authenticator app (TOTP, RFC 6238: django-otp's
  `TOTPDevice`) or one of the person's backup codes (django-otp's `StaticDevice` with its `StaticToken`s, each
  accepted once);
- *enrolment*: the person scans a QR code (or types the secret) into their app and proves it with a first code;
  until then the device is unconfirmed and counts for nothing;
- *verified*: this session passed the second factor (`django_otp.login` keeps the device in the session, and
  `request.user.is_verified()` says so, via django-otp's `OTPMiddleware`).

Who needs it (`needs_second_factor`): with `SECOND_FACTOR_REQUIRED` on, every account that may use the admin
(is_staff, is_superuser) and every holder of a role in `SECOND_FACTOR_ROLES`; and anyone who has enrolled, whatever
their role, demo users included. Only a demo user who has not enrolled goes without, and only while
`DEMO_USERS_WITHOUT_SECOND_FACTOR` (DJANGO_DEBUG) is on.

BIO 9.4.2 (Beveiligde inlogprocedure), 9.2.4 (Beheer van geheime authenticatie-informatie van gebruikers).
"""

import base64
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import record_event
from accounts.demo import DEMO_USERS
from accounts.errors import Conflict, NotAllowed, Refused
from accounts.roles import ensure_may, roles_of
from accounts.sessions import end_sessions

BACKUP_CODE_COUNT = 10
DEMO_USERNAMES = frozenset(username for username, *_rest in DEMO_USERS)


# --- Who needs it --------------------------------------------------------------------------------------------


def needs_second_factor(user) -> bool:
    """Whether `user` must pass a second factor before reaching anything but the login pages."""
    if not settings.SECOND_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    required_by_role = user.is_staff or user.is_superuser or any(
        role.value in settings.SECOND_FACTOR_ROLES for role in roles_of(user))
    demo_user_excused = settings.DEMO_USERS_WITHOUT_SECOND_FACTOR and user.get_username() in DEMO_USERNAMES
    if required_by_role and not demo_user_excused:
        return True
    return has_second_factor(user)  # whoever enrolled uses it, whatever their role


def has_second_factor(user) -> bool:
    """Whether `user` has a confirmed authenticator app."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- The middleware ------------------------------------------------------------------------------------------

# What an account that still has to pass its second factor may reach: signing in and out, the second-factor pages,
# the health check and the language switch. Public pages that need no login are named in
# settings.SECOND_FACTOR_EXEMPT_URL_NAMES (accounts names no app).
EXEMPT_URL_NAMES = frozenset({
    "accounts:login", "accounts:logout", "accounts:second_factor", "accounts:enrol_second_factor", "health",
    "set_language",
})


def _exempt(request) -> bool:
    if request.path_info.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    exempt = EXEMPT_URL_NAMES | set(getattr(settings, "SECOND_FACTOR_EXEMPT_URL_NAMES", ()))
    return match.view_name in exempt


def _redirect_with_next(url_name: str, request) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}")


class SecondFactorMiddleware:
    """Staff who need a second factor and have not passed it reach only the pages to pass or set it up.

    Pages send them to the code page (enrolled) or the enrolment page (not yet), keeping where they were going in
    `next`; the API answers 403 with a Dutch sentence. Token-authenticated API clients are not session users and
    are not affected. The admin is covered like every page, and its own login page leads to ours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == reverse("admin:login"):
            return self._to_our_login(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_verified(user) or not needs_second_factor(user):
            return self.get_response(request)
        if _exempt(request):
            request.second_factor_pending = True  # base.html leaves out the navigation that would lead nowhere
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": _("Sign in with your second factor first (the code from your "
                                             "authenticator app) on the website.")}, status=403)
        if has_second_factor(user):
            return _redirect_with_next("accounts:second_factor", request)
        return _redirect_with_next("accounts:enrol_second_factor", request)

    @staticmethod
    def _to_our_login(request):
        """The admin's login page would sign in with a password only: the admin is signed in to through ours."""
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({REDIRECT_FIELD_NAME: target})}")


def _record(user, *, actor=None, action: str, **data) -> None:
    """An audit event on the account (request.user is a lazy proxy, or two: the audit trail needs the model)."""
    while isinstance(user, SimpleLazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    record_event(user, actor=actor or user, action=action, **data)


# --- Enrolment -----------------------------------------------------------------------------------------------


def pending_enrolment(user) -> TOTPDevice | None:
    """The authenticator app `user` is setting up and has not confirmed yet."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def start_enrolment(user) -> TOTPDevice:
    """An authenticator app for `user` to scan, not yet confirmed. Asking again (reloading the page) gives the same
    one, so a code already scanned stays good; a person who has a second factor is refused (a coordinator resets
    it first)."""
    if has_second_factor(user):
        raise Conflict(_("You already have a second factor. To set up another app, ask a coordinator to reset it."))
    device = pending_enrolment(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
        _record(user, action="second_factor_enrolment_started")
    return device


def confirm_enrolment(user, *, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app being set up with its first code: from now on `user` signs in with it. Returns the device
    (for `django_otp.login`) and the new backup codes, to be shown once."""
    with transaction.atomic():
        device = TOTPDevice.objects.devices_for_user(user, confirmed=False).select_for_update().order_by("-pk").first()
        if device is None:
            raise Conflict(_("There is no authenticator app being set up; start again."))
        refusal = _check_code(device, _digits(token))
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
            codes = _new_backup_codes(user)
            _record(user, action="second_factor_enrolled", backup_codes=len(codes))
            return device, codes
    raise refusal  # after the block: the failed attempt counts towards the device's throttle


def enrolment_secret(device: TOTPDevice) -> str:
    """The device's secret as the app asks it (base32), in groups of four to type it without errors."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def enrolment_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address of the device as an inline SVG QR code (no image from elsewhere; CSP)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr-code",
        title=_("QR code for your authenticator app"))


# --- Signing in with the second factor -----------------------------------------------------------------------


def verify_second_factor(user, *, token: str):
    """The device that accepts `token` (a code from the app, or a backup code, which is used up); refuses a wrong,
    reused or throttled code with a sentence the person can act on."""
    code = "".join(str(token or "").split()).replace("-", "").lower()
    if not code:
        raise Refused(_("Enter the code."), field="token")
    with transaction.atomic():
        if code.isdigit() and len(code) == 6:
            device = TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update().first()
            method = "app"
        else:
            device = StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update().first()
            method = "backup_code"
        refusal = _wrong_code() if device is None else _check_code(device, code)
        if refusal is None:
            _record(user, action="second_factor_verified", method=method)
            return device
    raise refusal  # after the block: the failed attempt counts towards the device's throttle


def _digits(token) -> str:
    return "".join(str(token or "").split())


def _check_code(device, code: str) -> Refused | None:
    """None when `device` accepts `code`, else the refusal to show. A TOTP device refuses a code it accepted before
    (its last_t) and both kinds wait longer after each wrong code (django-otp's throttling)."""
    allowed, why = device.verify_is_allowed()
    if not allowed:
        return Refused(_throttled_message(why or {}), field="token")
    if not code:
        return Refused(_("Enter the code."), field="token")
    if device.verify_token(code):
        return None
    return _wrong_code()


def _wrong_code() -> Refused:
    return Refused(_("The code is not right, or it has been used already. Check the code and try again; a code "
                     "from your app is valid for 30 seconds and only once."), field="token")


def _throttled_message(why: dict) -> str:
    if why.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and why.get("locked_until"):
        seconds = max(1, int((why["locked_until"] - timezone.now()).total_seconds() + 0.999))
        return ngettext("Too many wrong codes. Try again in %(seconds)d second.",
                        "Too many wrong codes. Try again in %(seconds)d seconds.", seconds) % {"seconds": seconds}
    return _("Too many wrong codes. Try again in a moment.")


# --- Backup codes --------------------------------------------------------------------------------------------


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Backup codes"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def regenerate_backup_codes(user) -> list[str]:
    """New backup codes for `user` (the old ones stop working), to be shown once."""
    if not has_second_factor(user):
        raise Conflict(_("Set up your authenticator app first; the backup codes come with it."))
    codes = _new_backup_codes(user)
    _record(user, action="backup_codes_regenerated", backup_codes=len(codes))
    return codes


# --- Reset by a coordinator ----------------------------------------------------------------------------------


@transaction.atomic
def reset_second_factor(person, *, by, reason: str) -> None:
    """Remove `person`'s authenticator app and backup codes (a lost phone): they set up a new one at their next
    login. Their sessions end too, so a stolen, still signed-in session does not outlive the reset."""
    ensure_may(by, "accounts.reset_second_factor", person)
    if person.pk == by.pk:
        raise NotAllowed(_("You cannot reset your own second factor; ask another coordinator."))
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Give the reason for the reset."), field="reason")
    removed = TOTPDevice.objects.filter(user=person).delete()[0] + StaticDevice.objects.filter(user=person).delete()[0]
    _record(person, actor=by, action="second_factor_reset", note=reason, removed=removed)
    end_sessions(person, by=by, reason=reason)
