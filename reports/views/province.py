"""The data-platform export for the province: dwellings per postcode-6, suppressed below 5; CSV and JSON.

The coordinator asks for an export (programme, level, format) on one page that also lists the earlier exports;
the file is made in the background (reports.province.make_province_export) and downloaded as an attachment.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.downloads import attachment_response
from accounts.htmx import render_page_or_fragment
from accounts.models import ViewLog
from accounts.roles import ensure_may
from accounts.viewlog import log_view
from budget.models import Programme
from reports import province
from reports.models import FileFormat, ProvinceExport

PERMISSION = "reports.export_for_province"
EARLIER_EXPORTS = 25


class ProvinceExportForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.order_by("-starts_on", "slug"),
                                       empty_label=None)
    level = forms.ChoiceField(label=_("Level"), choices=ProvinceExport.Level.choices,
                              initial=ProvinceExport.Level.POSTCODE6, widget=forms.RadioSelect,
                              help_text=_("Per address only with the households whose current consent includes "
                                          "address-level sharing; without names."))
    file_format = forms.ChoiceField(label=_("Format"), widget=forms.RadioSelect, initial=FileFormat.CSV,
                                    choices=[(FileFormat.CSV, _("CSV (semicolons, UTF-8)")),
                                             (FileFormat.JSON, _("JSON (with the file's description)"))])


def _exports():
    return ProvinceExport.objects.select_related("programme", "requested_by").defer("content")


@login_required
def export_page(request):
    """The form, and the earlier exports (newest first); a valid form asks for an export and shows its progress."""
    ensure_may(request.user, PERMISSION)
    form = ProvinceExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        export = province.request_export(form.cleaned_data["programme"], by=request.user,
                                         level=form.cleaned_data["level"],
                                         file_format=form.cleaned_data["file_format"])
        return redirect("reports:province_status", pk=export.pk)
    return render(request, "reports/province/export.html", {
        "form": form, "exports": _exports()[:EARLIER_EXPORTS],
        "threshold": province.MINIMUM_CELL})


@login_required
def province_status(request, pk: int):
    """Where the export is; htmx polls its status part until the file is ready."""
    ensure_may(request.user, PERMISSION)
    export = get_object_or_404(_exports(), pk=pk)
    return render_page_or_fragment(request, "reports/province/status.html", "reports/province/_status.html",
                                   {"file": export})


@login_required
def province_download(request, pk: int):
    ensure_may(request.user, PERMISSION)
    export = get_object_or_404(ProvinceExport.objects.select_related("programme"), pk=pk)
    if not export.may_be_downloaded or export.content is None:
        raise Http404("not ready, or no longer kept")
    province.record_download(export, by=request.user)
    if export.level == ProvinceExport.Level.ADDRESS:  # the other levels are figures, no one's personal data
        log_view(request, subject_key=f"province-export:{export.pk}", subject_label=f"province-export {export.pk}",
                 what=f"reports:province_download {export.level}", kind=ViewLog.Kind.EXPORT)
    return attachment_response(bytes(export.content), filename=province.filename(export),
                               content_type=export.content_type)


urlpatterns = [
    path("rapportage/provincie/", export_page, name="province"),
    path("rapportage/provincie/<int:pk>/", province_status, name="province_status"),
    path("rapportage/provincie/<int:pk>/download/", province_download, name="province_download"),
]
