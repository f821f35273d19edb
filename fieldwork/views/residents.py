"""The resident's report (PDF) after the intake and after the installation: its download, and the household page's
section listing the household's reports (registered in `fieldwork.apps.register_resident_reports`)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from accounts.downloads import attachment_response
from accounts.models import ViewLog
from fieldwork import reports
from fieldwork.models import ResidentReport
from households.viewlog import log_household_page


@login_required
def resident_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's PDF as a download, for whoever sees its visit; 404 for others and while it is not ready."""
    report = get_object_or_404(ResidentReport.objects.select_related("visit__household"), pk=pk)
    if not request.user.has_perm("fieldwork.view_visit", report.visit):
        raise Http404
    if report.status != ResidentReport.Status.READY or not report.file:
        raise Http404
    log_household_page(request, report.visit.household, detail=f"{report.pk} ({report.visit.kind})",
                       kind=ViewLog.Kind.LETTER)
    return attachment_response(report.file, filename=reports.file_name(report), content_type="application/pdf")


urlpatterns = [
    path("verslagen/<int:pk>/", resident_report, name="resident_report"),
]


# --- The household page's section (households.extensions) -------------------------------------------------------


def household_section(request: HttpRequest, household) -> dict | None:
    """The household's reports for the resident, newest first: the visit, the status, e-mailed to whom."""
    if not request.user.has_perm("households.view_household", household):
        return None
    reports_of_household = list(ResidentReport.objects.filter(visit__household=household)
                                .select_related("visit").order_by("-created_at", "-pk"))
    if not reports_of_household:
        return None
    return {"reports": reports_of_household}
