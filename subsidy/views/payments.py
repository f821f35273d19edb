"""Finance's pages for the payout (issue 11, item 7): the payments due, recording a payment, and the export of the
payments due as a batch for the bank (a spreadsheet and a SEPA file, `subsidy.payments`).

Finance officers and the coordinator see the payments due and the batches (`subsidy.view_payments`); only finance
officers record payments and ask for an export (`subsidy.pay_application`). Views parse input, call one service
or selector, and render.
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.downloads import attachment_response
from accounts.errors import Conflict, NotAllowed, Refused
from accounts.htmx import render_page_or_fragment
from accounts.models import ViewLog
from accounts.viewlog import log_view, page_name
from budget.forms import DateInput
from budget.models import Programme
from budget.money import euro
from budget.views import programme_asked_for
from households.viewlog import log_household_page
from subsidy import payments as selectors
from subsidy import services
from subsidy.models import Application, PaymentBatch

S = Application.Status
DUE_PER_PAGE = 50  # a batch's payments are all in its export; the page shows them 50 at a time


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(label=gettext_lazy("Payment date"), widget=DateInput(),
                              help_text=gettext_lazy("The day the bank paid it, as on the bank statement."))
    iban = forms.CharField(label=gettext_lazy("Paid to IBAN"), max_length=42,
                           help_text=gettext_lazy("The account the bank paid to, e.g. NL91 ABNA 0417 1643 00."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class PaymentBatchForm(forms.Form):
    execution_date = forms.DateField(
        label=gettext_lazy("Pay on"), widget=DateInput(),
        help_text=gettext_lazy("The date the bank should carry out the transfers (today or later)."))


def _require(request: HttpRequest, permission: str, obj=None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(permission)


def _payments_context(request: HttpRequest, programme: Programme, batch_form: PaymentBatchForm | None = None) -> dict:
    due = selectors.payments_due(programme)
    page = Paginator(due, DUE_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    # With the object: the Meta permission of the same name (the coordinator's admin rights) must not answer for
    # the rule, and Django's ModelBackend only answers for checks without an object.
    may_pay = request.user.has_perm("subsidy.pay_application", programme)
    return {
        "programme": programme,
        "programmes": Programme.objects.order_by("-starts_on", "slug"),
        "rows": [{"application": application, "iban": selectors.formatted_iban(application.iban),
                  "exported_in": application.exported_in[:1]} for application in page.object_list],
        "page_obj": page,
        "querystring": params.urlencode(),
        "due_count": page.paginator.count,
        "total": selectors.total_due(programme),
        "paid": [{"application": application, "iban": selectors.formatted_iban(application.iban)}
                 for application in selectors.recently_paid(programme)],
        "batches": selectors.recent_batches(programme),
        "may_pay": may_pay,
        "payer_problem": selectors.payer_account_problem(programme),
        "payer_iban": selectors.formatted_iban(programme.payer_iban),
        "batch_form": batch_form or PaymentBatchForm(initial={"execution_date": _next_working_day()}),
    }


def _next_working_day() -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@login_required
def payments(request: HttpRequest) -> HttpResponse:
    """The payments due (payout set, not yet paid) with their total, the batches and what was paid lately."""
    _require(request, "subsidy.view_payments")
    return render(request, "subsidy/payments/list.html", _payments_context(request, programme_asked_for(request)))


@login_required
def mark_paid(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the bank paid one application: the commitment becomes expenditure (four eyes)."""
    application = get_object_or_404(
        Application.objects.select_related("household", "programme", "payout_set_by"), pk=pk)
    _require(request, "subsidy.pay_application", application)
    if application.status != S.PAYOUT_SET and request.method == "GET":
        messages.info(request, _("%(reference)s is not waiting for payment (it is “%(status)s”).")
                      % {"reference": application.reference, "status": application.get_status_display()})
        return redirect(_payments_url(application))
    log_household_page(request, application.household, detail=application.reference)
    status = 200
    if request.method == "POST":
        form = MarkPaidForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.mark_paid(application, by=request.user, paid_on=data["paid_on"], iban=data["iban"],
                                   version=data["version"])
            except NotAllowed as error:
                form.add_error(None, error.message)
                status = 403
            except Conflict as error:
                form.add_error(None, error.message)
                status = 409
            except Refused as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("The payment of %(amount)s for %(reference)s is recorded.")
                                 % {"amount": euro(application.payout_amount), "reference": application.reference})
                return redirect(_payments_url(application))
    else:
        form = MarkPaidForm(initial={"paid_on": timezone.localdate(), "version": application.version,
                                     "iban": selectors.formatted_iban(application.iban)})
    return render(request, "subsidy/payments/mark_paid.html", {
        "application": application,
        "form": form,
        "iban": selectors.formatted_iban(application.iban),
        "set_it_yourself": application.payout_set_by_id == request.user.pk,
    }, status=status)


def _payments_url(application: Application) -> str:
    return f"{reverse('subsidy:payments')}?programme={application.programme.slug}"


@login_required
@require_POST
def start_batch(request: HttpRequest) -> HttpResponse:
    """Ask for the export of the payments due; it is made in the background."""
    programme = programme_asked_for(request)
    _require(request, "subsidy.pay_application", programme)
    form = PaymentBatchForm(request.POST)
    if form.is_valid():
        try:
            batch = selectors.request_batch(programme, by=request.user,
                                            execution_date=form.cleaned_data["execution_date"])
        except Refused as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("subsidy:payment_batch", pk=batch.pk)
    return render(request, "subsidy/payments/list.html", _payments_context(request, programme, form), status=400)


def _batch(pk: int) -> PaymentBatch:
    return get_object_or_404(PaymentBatch.objects.select_related("programme", "requested_by"), pk=pk)


@login_required
def batch_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the export is; htmx polls the status part until the files are ready."""
    _require(request, "subsidy.view_payments")
    batch = _batch(pk)
    included = [{"application": application, "iban": selectors.formatted_iban(application.iban)}
                for application in batch.applications.select_related("household").order_by("payout_set_at", "pk")]
    return render_page_or_fragment(request, "subsidy/payments/batch.html", "subsidy/payments/_batch_status.html",
                                   {"batch": batch, "included": included})


@login_required
def batch_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    _require(request, "subsidy.view_payments")
    download = selectors.DOWNLOADS.get(kind)
    batch = _batch(pk)
    if download is None or batch.status != PaymentBatch.Status.DONE:
        raise Http404("not ready")
    if not getattr(batch, download.field):
        raise Http404("deleted after the financial term")  # subsidy.retention.forget_expired_batch_files
    # The bank's file names every payee with their account: one export of many households' data.
    log_view(request, subject_key=f"payment-batch:{batch.pk}", subject_label=f"payment-batch {batch.pk}",
             what=f"{page_name(request)} {kind}", kind=ViewLog.Kind.EXPORT)
    return attachment_response(getattr(batch, download.field), content_type=download.content_type,
                               filename=selectors.batch_filename(batch, download.extension))


urlpatterns = [
    path("payments/", payments, name="payments"),
    path("payments/<int:pk>/paid/", mark_paid, name="mark_paid"),
    path("payments/batches/", start_batch, name="start_payment_batch"),
    path("payments/batches/<int:pk>/", batch_status, name="payment_batch"),
    path("payments/batches/<int:pk>/<slug:kind>/", batch_download, name="payment_batch_download"),
]
