"""Recording the three visits: the intake, the installation (one phone screen) and the evaluation.

A visit whose household the user may not see answers 404 (its existence is not revealed); one they may see but
not record answers 403 on the recording pages. Each recording page is one form posted to one service of
`fieldwork.services`; a refusal comes back at the field it names, with nothing saved and nothing booked.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from fieldwork.models import Visit


def _visible_visit(request: HttpRequest, pk: int) -> Visit:
    """The visit if the user may see its household; 404 otherwise."""
    visit = get_object_or_404(Visit.objects.with_household().select_related(
        "household__programme", "household__community_worker"), pk=pk)
    if not request.user.has_perm("fieldwork.view_visit", visit):
        raise Http404
    return visit


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit's page: where, who, when; what was recorded, or the button to record it."""
    visit = _visible_visit(request, pk)
    return render(request, "fieldwork/visit.html", {
        "visit": visit, "household": visit.household, "dwelling": visit.household.dwelling,
        "may_record": not visit.is_done and request.user.has_perm("fieldwork.record_visit", visit),
    })


urlpatterns = [
    path("bezoeken/<int:pk>/", visit_detail, name="visit"),
]
