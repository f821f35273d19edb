"""Log out everywhere (accounts.sessions.end_sessions): the user themself, or the coordinator for a staff member.

POST /account/overal-uitloggen/                 ends all of the user's own sessions, this one too → the login page
POST /medewerkers/<pk>/overal-uitloggen/        the coordinator ends someone's sessions (reason optional) → back
                                                to the staff page (or the page named in `next`, if ours)
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import sessions
from accounts.roles import ensure_may


class EndSessionsForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=500,
                             error_messages={"max_length": gettext_lazy("Keep the reason under 500 characters.")})


@require_POST
@login_required
def end_my_sessions(request):
    me = get_object_or_404(get_user_model(), pk=request.user.pk)  # the record itself, not the request's lazy user
    sessions.end_sessions(me, by=me)
    logout(request)
    messages.success(request, _("You were logged out everywhere: on this device and on every other one."))
    return redirect("accounts:login")


@require_POST
@login_required
def end_sessions(request, pk: int):
    user = get_object_or_404(get_user_model(), pk=pk)
    ensure_may(request.user, "accounts.end_sessions", user)  # before anything is said about the form
    form = EndSessionsForm(request.POST)
    if not form.is_valid():
        for error in form.errors["reason"]:
            messages.error(request, error)
        return redirect(_back(request))
    sessions.end_sessions(user, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("%(user)s was logged out everywhere.") % {"user": user.get_full_name() or user})
    if user == request.user:
        logout(request)
        return redirect("accounts:login")
    return redirect(_back(request))


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("accounts:staff")
