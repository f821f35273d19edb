"""The register of privacy statements: the coordinator's list and new-version form, and the public page that shows a
version's text to residents (no account: the application form links to it). See households.privacy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.errors import Refused
from budget.models import Programme
from budget.views import programme_asked_for
from households import privacy
from households.forms import PrivacyStatementForm
from households.models import PrivacyStatement

PERMISSION = "households.manage_privacy_statements"


def _require(request: HttpRequest, programme: Programme) -> None:
    if not request.user.has_perm(PERMISSION, programme):
        raise PermissionDenied(PERMISSION)


@login_required
@require_GET
def privacy_statements(request: HttpRequest) -> HttpResponse:
    """The programme's versions, newest first, with the one that applies today marked."""
    programme = programme_asked_for(request)
    _require(request, programme)
    return render(request, "households/privacy_statements.html", {
        "programme": programme, "programmes": Programme.objects.order_by("-starts_on", "slug"),
        "statements": privacy.statements(programme), "current": privacy.current_statement(programme)})


@login_required
@require_http_methods(["GET", "POST"])
def privacy_statement_new(request: HttpRequest) -> HttpResponse:
    programme = programme_asked_for(request)
    _require(request, programme)
    form = PrivacyStatementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = privacy.record_statement(programme, by=request.user, **form.cleaned_data)
        except Refused as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Version %(version)s of the privacy statement is in the register.")
                             % {"version": statement.version})
            return redirect(f"{reverse('households:privacy_statements')}?programme={programme.slug}")
    return render(request, "households/privacy_statement_new.html", {"programme": programme, "form": form})


@require_GET
def privacy_statement(request: HttpRequest, programme: str, version: str) -> HttpResponse:
    """One version's text, for anyone (the public form links to it)."""
    the_programme = get_object_or_404(Programme, slug=programme)
    statement = get_object_or_404(PrivacyStatement.objects.select_related("programme"), programme=the_programme,
                                  version=version)
    return _statement_page(request, statement)


@require_GET
def privacy_statement_current(request: HttpRequest, programme: str) -> HttpResponse:
    """The version that applies today."""
    statement = privacy.current_statement(get_object_or_404(Programme, slug=programme))
    if statement is None:
        raise Http404("The programme has no privacy statement yet.")
    return _statement_page(request, statement)


def _statement_page(request: HttpRequest, statement: PrivacyStatement) -> HttpResponse:
    current = privacy.current_statement(statement.programme)
    return render(request, "households/privacy_statement.html", {
        "statement": statement, "programme": statement.programme,
        "is_current": current is not None and current.pk == statement.pk, "current": current})
