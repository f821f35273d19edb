"""The staff login: Django's, with the lockout (accounts.lockout) in front of the password check.

A locked account or address is refused before the password is even checked, so the right password does not help
while the lock lasts; a wrong one counts for both. The answer to a refused login is the same page with the message,
as HTTP 429 while locked (200 for a plain wrong password). The moment of the login and of the last activity go into
the session (accounts.sessions, on Django's `user_logged_in` signal, also for logins made elsewhere).
"""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.views.decorators.debug import sensitive_variables

from accounts import lockout
from accounts.addresses import client_address

LOCKED = "locked"


class LockoutMixin:
    """For any of Django's authentication forms (this login's, the admin's): the lockout around its `clean`."""

    @sensitive_variables()
    def clean(self):
        address = client_address(self.request)
        username = self.cleaned_data.get("username")
        until = lockout.locked_until(username, address)
        if until is not None:
            raise forms.ValidationError(lockout.refusal_message(until), code=LOCKED)
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if error.code != "invalid_login":
                raise
            until = lockout.record_failure(username, address)
            if until is not None:  # this failure was one too many
                raise forms.ValidationError(lockout.refusal_message(until), code=LOCKED) from error
            raise
        if self.user_cache is not None:
            lockout.clear_account(username)
        return cleaned

    @property
    def is_locked(self) -> bool:
        return self.has_error(forms.forms.NON_FIELD_ERRORS, code=LOCKED)


class LoginForm(LockoutMixin, AuthenticationForm):
    pass


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.is_locked:
            response.status_code = 429
        return response
