"""The handyman's products package pages: proposing products with − / + against what is left of the limit per
dwelling, a package's page, cancelling, and the household page's packages section."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from households.models import Household
from households.selectors import households_visible_to


def _visible_household(request: HttpRequest, pk: int) -> Household:
    """The household if the user may see it; 404 otherwise (its existence is not revealed)."""
    return get_object_or_404(households_visible_to(request.user), pk=pk)


@login_required
def propose_package(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = _visible_household(request, household_pk)
    if not request.user.has_perm("subsidy.propose_package", household):
        raise PermissionDenied("subsidy.propose_package")
    return render(request, "subsidy/package_propose.html", {"household": household})


urlpatterns = [
    path("huishoudens/<int:household_pk>/pakket/", propose_package, name="propose_package"),
]
