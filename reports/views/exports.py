"""Exports of the lists (households, applications, visits, packages, the ledger) as xlsx and csv.

- `start_list_export` (POST, from a list's export buttons: `{% export_buttons %}`): the list's filters and the
  format; whoever may see the list may export it (403 for the others), the rows are scoped as the list's are.
  The file is made in the background (`reports.exports.make_list_export`).
- `list_export`: where it is (htmx polls its status part until it is ready), `list_export_download`: the file.
  Both only for the user who asked, for `reports.exports.KEPT_FOR` (24 hours); anyone else gets 404.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.downloads import attachment_response
from accounts.htmx import render_page_or_fragment
from accounts.models import ViewLog
from accounts.viewlog import log_view
from reports import exports
from reports.models import ListExport

MAX_FILTERS_LENGTH = 2000  # a list's address parameters; far more than any list's filters


def _kind(name: str) -> exports.ListKind:
    kind = exports.KINDS.get(name)
    if kind is None:
        raise Http404("no such list")
    return kind


def _own_export(request: HttpRequest, pk: int, **fields) -> ListExport:
    """The user's own export, still kept, that they may still see the list of; 404 for any other."""
    export = get_object_or_404(exports.exports_of(request.user).filter(**fields).defer("content"), pk=pk)
    if export.kind not in exports.KINDS or not exports.may_see(exports.KINDS[export.kind], request.user):
        raise Http404
    return export


@login_required
@require_POST
def start_list_export(request: HttpRequest, kind: str) -> HttpResponse:
    """Ask for the list's file with the filters the list had; it is made in the background."""
    kind = _kind(kind)
    if not exports.may_see(kind, request.user):
        raise PermissionDenied(kind.permission)
    file_format = request.POST.get("file_format", "")
    filters = request.POST.get("filters", "")
    errors = []
    if file_format not in exports.FORMATS:
        errors.append(_("Choose xlsx or csv."))
    if len(filters) > MAX_FILTERS_LENGTH:
        errors.append(_("The list's filters are too long to export; narrow them down on the list."))
    if errors:
        return render(request, "reports/exports/refused.html", {"kind": kind, "errors": errors}, status=400)
    export = exports.ask_for_export(kind, by=request.user, filters=QueryDict(filters), file_format=file_format)
    return redirect("reports:list_export", pk=export.pk)


@login_required
def list_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the export is; htmx polls the status part until the file is ready."""
    export = _own_export(request, pk)
    return render_page_or_fragment(request, "reports/exports/status.html", "reports/exports/_status.html",
                                   {"file": export, "kind": exports.KINDS[export.kind]})


@login_required
def list_export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk, status=ListExport.Status.DONE)
    content = ListExport.objects.values_list("content", flat=True).get(pk=export.pk)
    if content is None:
        raise Http404("cleared")
    # A list's file holds the names and addresses of every household on it: one export, logged as one.
    log_view(request, subject_key=f"list-export:{export.pk}", subject_label=f"list-export {export.pk}",
             what=f"reports:list_export_download {export.kind}", kind=ViewLog.Kind.EXPORT)
    return attachment_response(bytes(content), filename=exports.filename(export),
                               content_type=export.content_type)


urlpatterns = [
    path("rapportage/lijsten/<slug:kind>/exporteren/", start_list_export, name="start_list_export"),
    path("rapportage/exports/<int:pk>/", list_export, name="list_export"),
    path("rapportage/exports/<int:pk>/download/", list_export_download, name="list_export_download"),
]
