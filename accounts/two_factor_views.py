"""The second factor's pages: the code after the password, setting up an authenticator app, new backup codes, and
the person's own account page (accounts.two_factor holds the acts)."""

from urllib.parse import urlencode

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import two_factor
from accounts.errors import Conflict, Refused
from accounts.roles import roles_of


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"), max_length=32, strip=True,
        error_messages={"required": gettext_lazy("Enter the code.")},
        help_text=gettext_lazy("The six digits your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false",
                                      "autofocus": True}))


class FirstCodeForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["token"]
        field.help_text = _("The six digits your authenticator app shows for Warmhuis after scanning.")
        field.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})
        field.widget.attrs.pop("autofocus", None)


def _given_next(request) -> str:
    return request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""


def _next_url(request) -> str:
    """Where the person was going (only an address on this site), else their start page."""
    target = _given_next(request)
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, request):
    response = redirect(url_name)
    target = _given_next(request)
    if target:
        response["Location"] += f"?{urlencode({REDIRECT_FIELD_NAME: target})}"
    return response


def _refusal_on(form, error) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request):
    """After the password: the code from the app or a backup code."""
    if two_factor.is_verified(request.user):
        return redirect(_next_url(request))
    if not two_factor.has_second_factor(request.user):
        return _with_next("accounts:enrol_second_factor", request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.verify_second_factor(request.user, token=form.cleaned_data["token"])
        except Refused as error:
            _refusal_on(form, error)
        else:
            django_otp.login(request, device)
            left = two_factor.backup_codes_left(request.user)
            if left <= 3:
                messages.warning(request, _("You have %(count)d backup codes left. Make new ones on your account "
                                            "page.") % {"count": left})
            return redirect(_next_url(request))
    return render(request, "accounts/second_factor.html", {"form": form, "next": _given_next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def enrol_second_factor(request):
    """Setting up an authenticator app: scan the QR code (or type the secret), then give its first code."""
    user = request.user
    if two_factor.has_second_factor(user):
        if not two_factor.is_verified(user):
            return _with_next("accounts:second_factor", request)
        messages.info(request, _("You already have a second factor. To set up another app, ask a coordinator to "
                                 "reset it."))
        return redirect("accounts:account")
    form = FirstCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.confirm_enrolment(user, token=form.cleaned_data["token"])
        except (Refused, Conflict) as error:
            _refusal_on(form, error)
        else:
            django_otp.login(request, device)
            return render(request, "accounts/second_factor_backup_codes.html",
                          {"codes": codes, "continue_url": _next_url(request), "first_time": True})
    device = two_factor.start_enrolment(user)
    return render(request, "accounts/second_factor_enrol.html", {
        "form": form, "qr_svg": two_factor.enrolment_qr_svg(device), "secret": two_factor.enrolment_secret(device),
        "required": two_factor.needs_second_factor(user),
        "next": _given_next(request),
    })


@login_required
@require_POST
def backup_codes(request):
    """New backup codes (the old ones stop working), shown this once."""
    try:
        codes = two_factor.regenerate_backup_codes(request.user)
    except Conflict as error:
        messages.error(request, str(error))
        return redirect("accounts:account")
    return render(request, "accounts/second_factor_backup_codes.html",
                  {"codes": codes, "continue_url": resolve_url("accounts:account"), "first_time": False})


@login_required
def account(request):
    """My account: who I am, my roles, my second factor."""
    user = request.user
    return render(request, "accounts/account.html", {
        "roles": [role.label for role in roles_of(user)],
        "has_second_factor": two_factor.has_second_factor(user),
        "verified": two_factor.is_verified(user),
        "backup_codes_left": two_factor.backup_codes_left(user),
        "second_factor_needed": two_factor.needs_second_factor(user),
    })
