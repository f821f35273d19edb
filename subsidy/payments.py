"""Payments due and their export for the bank (DESIGN.md, "payout_set ──mark_paid──▶ paid"; issue 11, item 7).

Payment due: an application whose payout is set (`payout_set`): an assessor fixed the amount, nobody has recorded
    its payment yet. It is paid to the IBAN and account holder of the payout request.
Payment batch (`subsidy.models.PaymentBatch`): the payments due of one programme, chosen when finance asks for the
    export, written in the background (`subsidy.tasks.export_payment_batch`) as
    - a spreadsheet (xlsx and csv, each cell escaped by `accounts.spreadsheets.SpreadsheetResource`), and
    - a SEPA credit transfer (ISO 20022 pain.001.001.03, the format Dutch banks accept for batch payments) from the
      programme's paying account (`payer_name`, `payer_iban`, `payer_bic`): one transaction per application, the
      amount its payout, the end-to-end id and the remittance information its reference; checked against the
      scheme's XSD before it is stored.
    Exporting pays nothing and marks nothing paid: finance records each payment on its application
    (`subsidy.services.mark_paid`) once the bank has confirmed it.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from import_export import fields
from import_export.formats.base_formats import CSV, XLSX
from sepaxml import SepaTransfer
from stdnum import iban as iban_number
from text_unidecode import unidecode

from accounts.audit import record_event
from accounts.errors import Refused
from accounts.roles import ensure_may
from accounts.spreadsheets import SpreadsheetResource
from accounts.templatetags.people import person
from subsidy.models import Application, PaymentBatch

S = Application.Status
SEPA_SCHEMA = "pain.001.001.03"
# The characters every SEPA bank accepts in names and remittance text (EPC guidelines, "SEPA character set").
NOT_IN_SEPA_CHARACTER_SET = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]+")
# How often the task writes its progress (payments written) to the batch.
PROGRESS_EVERY = 25


# --- Selectors ------------------------------------------------------------------------------------------


def payments_due(programme):
    """Applications of the programme whose payout is set and not yet paid, oldest first, with the batches (ready)
    they were exported in."""
    exported = PaymentBatch.objects.filter(status=PaymentBatch.Status.DONE).order_by("-requested_at", "-pk")
    return (Application.objects.filter(programme=programme, status=S.PAYOUT_SET)
            .select_related("household", "payout_set_by")
            .prefetch_related(Prefetch("payment_batches", queryset=exported, to_attr="exported_in"))
            .order_by("payout_set_at", "pk"))


def recently_paid(programme, *, limit: int = 20):
    return (Application.objects.filter(programme=programme, status=S.PAID)
            .select_related("household", "paid_by")
            .order_by("-paid_on", "-pk")[:limit])


def recent_batches(programme, *, limit: int = 10):
    return (PaymentBatch.objects.filter(programme=programme).select_related("requested_by")
            .order_by("-requested_at", "-pk")[:limit])


def total_of(applications) -> Decimal:
    return sum((application.payout_amount for application in applications), Decimal("0.00"))


def total_due(programme) -> Decimal:
    """The payouts due of the programme together (summed in whole cents by the database)."""
    total = (Application.objects.filter(programme=programme, status=S.PAYOUT_SET)
             .aggregate(total=Sum("payout_amount"))["total"])
    return total if total is not None else Decimal("0.00")


def formatted_iban(value: str) -> str:
    """NL91 ABNA 0417 1643 00: in groups of four, as people read it off a bank card."""
    return iban_number.format(value) if value else ""


def payer_account_problem(programme) -> str:
    """Why no SEPA file can be made for the programme (empty: it can)."""
    if not (programme.payer_name and programme.payer_iban):
        return _("The programme has no paying account (name and IBAN) yet; the coordinator enters it in the "
                 "programme's settings.")
    if not iban_number.is_valid(programme.payer_iban):
        return _("The programme's paying IBAN is not valid; the coordinator corrects it in the programme's settings.")
    return ""


# --- Asking for a batch ---------------------------------------------------------------------------------


@transaction.atomic
def request_batch(programme, *, by, execution_date: datetime.date) -> PaymentBatch:
    """A batch of the programme's payments due as they are now, written by the background worker after commit."""
    ensure_may(by, "subsidy.pay_application", programme)  # with an object: the rule decides, not a Meta permission
    problem = payer_account_problem(programme)
    if problem:
        raise Refused(problem)
    if not isinstance(execution_date, datetime.date):
        raise Refused(_("Enter the date the bank should pay."), field="execution_date")
    if execution_date < timezone.localdate():
        raise Refused(_("The bank cannot pay in the past: choose today or a later date."), field="execution_date")
    due = list(Application.objects.filter(programme=programme, status=S.PAYOUT_SET).order_by("payout_set_at", "pk"))
    if not due:
        raise Refused(_("There are no payments due to export."))
    batch = PaymentBatch.objects.create(programme=programme, requested_by=by, execution_date=execution_date,
                                        payments=len(due), total=total_of(due))
    batch.applications.set(due)
    record_event(batch, actor=by, action="payment_batch.requested", payments=len(due), total=str(batch.total),
                 execution_date=execution_date.isoformat(),
                 applications=[application.reference for application in due])

    def enqueue():
        from subsidy.tasks import export_payment_batch

        export_payment_batch.enqueue(batch.pk)

    transaction.on_commit(enqueue)
    return batch


# --- Writing a batch (the background task) --------------------------------------------------------------


class PaymentResource(SpreadsheetResource):
    """One row per payment, for checking the bank file and the administration."""

    reference = fields.Field(attribute="reference", column_name=gettext_lazy("reference"))
    applicant = fields.Field(attribute="applicant_name", column_name=gettext_lazy("applicant"))
    account_holder = fields.Field(attribute="account_holder", column_name=gettext_lazy("account holder"))
    iban = fields.Field(attribute="iban", column_name=gettext_lazy("IBAN"))
    amount = fields.Field(column_name=gettext_lazy("amount"))
    remittance = fields.Field(column_name=gettext_lazy("description"))
    payout_set_by = fields.Field(column_name=gettext_lazy("payout set by"))
    payout_set_on = fields.Field(column_name=gettext_lazy("payout set on"))
    household = fields.Field(column_name=gettext_lazy("household"))

    class Meta:
        model = Application
        fields = ["reference", "applicant", "account_holder", "iban", "amount", "remittance", "payout_set_by",
                  "payout_set_on", "household"]
        export_order = fields

    def dehydrate_amount(self, application):
        return application.payout_amount  # a number (a decimal point in csv: the file is for machines too)

    def dehydrate_remittance(self, application) -> str:
        return remittance(application)

    def dehydrate_payout_set_by(self, application) -> str:
        return person(application.payout_set_by)

    def dehydrate_payout_set_on(self, application):
        return timezone.localdate(application.payout_set_at) if application.payout_set_at else None

    def dehydrate_household(self, application) -> str:
        return application.household.reference


def remittance(application: Application) -> str:
    """The description on the applicant's bank statement: the reference first (it is what they quote)."""
    return _("%(reference)s insulation grant") % {"reference": application.reference}


def sepa_text(value: str, length: int) -> str:
    """Text in the SEPA character set: accents dropped (é → e), other characters as a space, at most `length`."""
    text = NOT_IN_SEPA_CHARACTER_SET.sub(" ", unidecode(value or ""))
    return re.sub(r"\s+", " ", text).strip()[:length].strip()


def cents(amount: Decimal) -> int:
    whole = amount * 100
    if whole != whole.to_integral_value():
        raise ValueError(f"{amount} has a fraction of a cent")
    return int(whole)


def credit_transfer(programme, applications, *, execution_date: datetime.date, progress=None) -> tuple[bytes, str]:
    """The SEPA credit-transfer file (pain.001.001.03) paying each application's payout, validated against the
    scheme (sepaxml checks it with xmlschema), and its message id. `progress(n)` hears every so many payments."""
    problem = payer_account_problem(programme)
    if problem:
        raise Refused(problem)
    payer = {"name": sepa_text(programme.payer_name, 70), "IBAN": iban_number.compact(programme.payer_iban),
             "currency": "EUR", "batch": True}
    if programme.payer_bic.strip():
        payer["BIC"] = programme.payer_bic.strip().upper()
    transfer = SepaTransfer(payer, schema=SEPA_SCHEMA, clean=False)
    for number, application in enumerate(applications, start=1):
        transfer.add_payment({
            "name": sepa_text(application.account_holder, 70) or sepa_text(application.applicant_name, 70),
            "IBAN": iban_number.validate(application.iban),  # checked at the request; a file never holds a bad one
            "amount": cents(application.payout_amount),
            "execution_date": execution_date,
            "description": sepa_text(remittance(application), 140),
            "endtoend_id": sepa_text(application.reference, 35),
        })
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number)
    return transfer.export(validate=True), transfer.msg_id


def batch_filename(batch: PaymentBatch, extension: str) -> str:
    stamp = f"{timezone.localtime(batch.requested_at):%Y%m%d-%H%M}"
    return f"betalingen-{batch.programme.slug}-{batch.pk}-{stamp}.{extension}"


def write_batch(batch_id: int) -> int:
    """Write the batch's files; returns the number of payments. Applications paid (or otherwise changed) since the
    batch was asked for are left out: a file never pays what is no longer due."""
    batch = PaymentBatch.objects.select_related("programme").get(pk=batch_id)
    PaymentBatch.objects.filter(pk=batch.pk).update(status=PaymentBatch.Status.RUNNING, payments_written=0)
    try:
        included = list(batch.applications.filter(status=S.PAYOUT_SET)
                        .select_related("household", "payout_set_by").order_by("payout_set_at", "pk"))
        gone = batch.applications.exclude(pk__in=[application.pk for application in included])
        batch.applications.remove(*gone)
        total = total_of(included)
        PaymentBatch.objects.filter(pk=batch.pk).update(payments=len(included), total=total)
        if not included:
            raise Refused(_("None of the payments in this batch is still due."))
        with override("nl"):
            dataset = PaymentResource().export(queryset=included)
            xlsx = XLSX().export_data(dataset)
            csv = CSV().export_data(dataset).encode("utf-8-sig")
            sepa, message_id = credit_transfer(
                batch.programme, included, execution_date=batch.execution_date,
                progress=lambda n: PaymentBatch.objects.filter(pk=batch.pk).update(payments_written=n))
    except Exception as error:
        # A refusal is said on the batch's page; anything else is a fault, kept in the task's result for the
        # administrator.
        PaymentBatch.objects.filter(pk=batch.pk).update(
            status=PaymentBatch.Status.FAILED, error=str(error) if isinstance(error, Refused) else "",
            finished_at=timezone.now())
        if isinstance(error, Refused):
            return 0
        raise
    batch.xlsx_file.save(f"{batch.pk}-{timezone.now():%Y%m%d%H%M%S}.xlsx", ContentFile(xlsx), save=False)
    batch.csv_file.save(f"{batch.pk}-{timezone.now():%Y%m%d%H%M%S}.csv", ContentFile(csv), save=False)
    batch.sepa_file.save(f"{batch.pk}-{timezone.now():%Y%m%d%H%M%S}.xml", ContentFile(sepa), save=False)
    PaymentBatch.objects.filter(pk=batch.pk).update(
        status=PaymentBatch.Status.DONE, payments_written=len(included), message_id=message_id,
        xlsx_file=batch.xlsx_file.name, csv_file=batch.csv_file.name, sepa_file=batch.sepa_file.name,
        finished_at=timezone.now())
    return len(included)


@dataclass(frozen=True)
class Download:
    field: str
    extension: str
    content_type: str


DOWNLOADS = {
    "xlsx": Download("xlsx_file", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": Download("csv_file", "csv", "text/csv; charset=utf-8"),
    "sepa": Download("sepa_file", "xml", "application/xml"),
}
