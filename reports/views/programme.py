"""The programme report: its page (figures and charts for a date range and a programme), PDF and xlsx.

Who: the coordinator and the finance officer (`reports.view_programme_report`); everyone else 403, anonymous to
the login. A report file holds the programme's figures, no personal data: whoever may see the report may see and
download every file, not only the one they asked for.

The period: from the programme's start to today (at most its end) unless chosen. A period reaching beyond the
programme is clipped to it, and the page says so; a period wholly outside it, or ending before it starts, is
refused on its field.
"""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

import reports.selectors
from accounts.downloads import attachment_response
from accounts.htmx import render_page_or_fragment
from accounts.roles import ensure_may
from budget.forms import DateInput
from budget.models import Programme
from eligibility.parameters import NoParametersOnDate, rule_set_on
from reports.models import FileFormat, ReportFile
from reports.programme import decision_term_days, file_name, report_context, request_report_file

PERMISSION = "reports.view_programme_report"
FILE_FORMATS = [(FileFormat.PDF, "PDF"), (FileFormat.XLSX, "Excel (xlsx)")]


def programmes():
    return Programme.objects.order_by("-starts_on", "slug")


def default_programme(today: datetime.date) -> Programme:
    """The latest programme running today, else the latest to start."""
    running = programmes().filter(starts_on__lte=today, ends_on__gte=today).first()
    programme = running or programmes().first()
    if programme is None:
        raise Http404("No programme yet: load the reference data (manage.py load_reference_data).")
    return programme


def _day(date: datetime.date) -> str:
    return formats.date_format(date, "j F Y")


class ReportForm(forms.Form):
    """The programme and the period of the report (GET), and for a file its format (POST)."""

    programme = forms.ModelChoiceField(programmes(), to_field_name="slug", label=gettext_lazy("Programme"),
                                       empty_label=None)
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    ends_on = forms.DateField(label=gettext_lazy("To"), widget=DateInput())
    file_format = forms.ChoiceField(choices=FILE_FORMATS, required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, today: datetime.date):
        """`data` as asked; what is left out is the default: the programme running today, from its start to
        today (at most its end)."""
        data = data.copy()
        chosen = programmes().filter(slug=data.get("programme")).first() if data.get("programme") else None
        programme = chosen or default_programme(today)
        if not data.get("programme"):
            data["programme"] = programme.slug
        if not data.get("starts_on"):
            data["starts_on"] = programme.starts_on.isoformat()
        if not data.get("ends_on"):
            data["ends_on"] = min(today, programme.ends_on).isoformat()
        super().__init__(data)
        self.clipped = False

    def clean(self):
        data = super().clean()
        programme, starts_on, ends_on = data.get("programme"), data.get("starts_on"), data.get("ends_on")
        if programme is None or starts_on is None or ends_on is None:
            return data
        if starts_on > programme.ends_on:
            self.add_error("starts_on", _("The programme runs until %(date)s: choose a start date on or before it.")
                           % {"date": _day(programme.ends_on)})
        if ends_on < programme.starts_on:
            self.add_error("ends_on", _("The programme starts on %(date)s: choose an end date on or after it.")
                           % {"date": _day(programme.starts_on)})
        if starts_on > ends_on:
            self.add_error("ends_on", _("The end date is before the start date."))
        if self.errors:
            return data
        data["starts_on"], data["ends_on"] = max(starts_on, programme.starts_on), min(ends_on, programme.ends_on)
        self.clipped = (data["starts_on"], data["ends_on"]) != (starts_on, ends_on)
        try:  # the limit per dwelling and the savings table are those of the rule set valid on the last day
            rule_set_on(programme, data["ends_on"])
        except NoParametersOnDate:
            self.add_error("ends_on", _("The programme has no rule set valid on %(date)s yet: choose a later end "
                                        "date, or add its rule set in the reference data first.")
                           % {"date": _day(data["ends_on"])})
        return data


def _page(request, form: ReportForm):
    """The page: the form, and the figures when the programme and the period are right (a file's missing format
    is shown beside the download buttons)."""
    context = {"form": form}
    if form.is_valid() or set(form.errors) == {"file_format"}:
        programme, starts_on, ends_on = (form.cleaned_data[name] for name in ("programme", "starts_on", "ends_on"))
        figures = reports.selectors.programme_figures(programme, starts_on, ends_on)
        context.update(report_context(figures, term_days=decision_term_days(programme, ends_on)),
                       programme=programme, starts_on=starts_on, ends_on=ends_on)
    return render(request, "reports/programme/report.html", context)


@login_required
@require_GET
def report(request):
    """The figures of a programme in a period, in sections with pictures; the files to download."""
    ensure_may(request.user, PERMISSION)
    return _page(request, ReportForm(request.GET, today=timezone.localdate()))


@login_required
@require_POST
def request_file(request):
    """Ask for the report as a PDF or an xlsx: made in the background, then its page offers it."""
    ensure_may(request.user, PERMISSION)
    form = ReportForm(request.POST, today=timezone.localdate())
    if form.is_valid() and not form.cleaned_data["file_format"]:
        form.add_error("file_format", _("Choose PDF or Excel."))
    if not form.is_valid():
        return _page(request, form)
    data = form.cleaned_data
    report_file = request_report_file(data["programme"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                                      file_format=data["file_format"], by=request.user)
    return redirect("reports:programme_file", pk=report_file.pk)


def _report_file(pk: int, **conditions) -> ReportFile:
    return get_object_or_404(ReportFile.objects.select_related("programme", "requested_by"), pk=pk, **conditions)


@login_required
@require_GET
def file_status(request, pk: int):
    """Where the file is; htmx polls this page's status part until it can be downloaded."""
    ensure_may(request.user, PERMISSION)
    report_file = _report_file(pk)
    return render_page_or_fragment(request, "reports/programme/file.html", "reports/programme/_file_status.html",
                                   {"file": report_file})


@login_required
@require_GET
def file_download(request, pk: int):
    ensure_may(request.user, PERMISSION)
    report_file = _report_file(pk, status=ReportFile.Status.DONE)
    return attachment_response(bytes(report_file.content), filename=file_name(report_file),
                               content_type=report_file.content_type)


urlpatterns = [
    path("rapportage/", report, name="programme"),
    path("rapportage/programma/bestanden/", request_file, name="programme_file_request"),
    path("rapportage/programma/bestanden/<int:pk>/", file_status, name="programme_file"),
    path("rapportage/programma/bestanden/<int:pk>/download/", file_download, name="programme_file_download"),
]
