"""The coordinator's staff page: who works in Warmhuis, with which roles, whether they have a second factor and
when they last signed in; resetting a person's second factor (a lost phone)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.errors import Refused
from accounts.roles import Role, ensure_may


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500,
        error_messages={"required": gettext_lazy("Give the reason for the reset.")},
        help_text=gettext_lazy("For example: phone lost, new phone. It is kept in the audit trail."),
        widget=forms.Textarea(attrs={"rows": 3}))


def staff_members():
    """Everyone who holds a role or may use the admin, with their roles and whether they have a second factor, in
    three queries however many there are."""
    role_names = [role.value for role in Role]
    return (get_user_model().objects
            .filter(Q(groups__name__in=role_names) | Q(is_staff=True) | Q(is_superuser=True), is_active=True)
            .distinct()
            .annotate(has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
            .prefetch_related(Prefetch("groups", queryset=Group.objects.filter(name__in=role_names),
                                       to_attr="role_groups"))
            .order_by("last_name", "first_name", "username"))


def _role_labels(person) -> list[str]:
    held = {group.name for group in person.role_groups}
    return [role.label for role in Role if role.value in held]


@login_required
def staff(request):
    ensure_may(request.user, "accounts.view_staff")
    people = list(staff_members())
    for person in people:
        person.role_labels = _role_labels(person)
    return render(request, "accounts/staff.html", {"people": people})


@login_required
@require_http_methods(["GET", "POST"])
def reset_second_factor(request, pk: int):
    ensure_may(request.user, "accounts.reset_second_factor")
    person = get_object_or_404(staff_members(), pk=pk)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.reset_second_factor(person, by=request.user, reason=form.cleaned_data["reason"])
        except Refused as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("The second factor of %(name)s was reset. They set up a new one at their "
                                        "next login.") % {"name": person.get_full_name() or person.username})
            return redirect("accounts:staff")
    return render(request, "accounts/staff_reset_second_factor.html", {"person": person, "form": form})
