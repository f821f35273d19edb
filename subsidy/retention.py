"""What the subsidy app removes when a household is anonymised, and how long it keeps it first (issue 14;
`households.retention`; docs/security.md, "Retention and anonymisation").

Hold (`application_hold`): an application not ended (draft, in review, approved, in payout) keeps the household's
    personal data for as long as it runs; a paid one until the programme's `financial_retention_years` after
    payment, a rejected one as long after the decision (the financial audit's legal term; Awb and AWR: 7 years).
    A withdrawn or lapsed application holds nothing.
Anonymiser (`anonymise_applications`): of each application the applicant's name (the fixed `ANONYMISED`), e-mail,
    phone, IBAN, account holder, income and the free text (area check, extension, information requested, the
    decision's explanation, the income in the reasons for rejection); the status link's token is replaced, so the
    old link answers 404 like any unknown one; its documents and decision letters are deleted, files and rows.
    Of each products package its free text. Amounts, measures, statuses, dates and the ledger stay.
Payment batch files (`forget_expired_batch_files`, a forgetter of `accounts.retention`, called by the daily run): a
    batch's spreadsheets and SEPA file name every payee with their IBAN; they are the bank's record of the payments,
    kept for the programme's `financial_retention_years` after the batch (its execution date, or when it was
    finished if later), then deleted. The batch's row stays, with its payments, total and applications. Anonymising a
    household does not touch them: within that term a batch file may still name a household anonymised meanwhile
    (an application exported but never paid holds nothing), as the bank's own copy does.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.audit import record_event
from budget.models import Programme
from households.retention import ANONYMISED, add_months, end_of_term, forget_files, redact_audit_trail
from subsidy.models import Application, DecisionLetter, Document, Package, PaymentBatch, new_status_token

BATCH_FILES = ("xlsx_file", "csv_file", "sepa_file")

S = Application.Status
ENDED = (S.REJECTED, S.WITHDRAWN, S.LAPSED, S.PAID)
INCOME_RULE = "income"


def application_hold(household, *, now):
    """True while an application of the household runs; else the end of the financial term of its latest paid or
    rejected application (None: nothing to keep)."""
    years = household.programme.financial_retention_years
    until = None
    for status, paid_on, decided_at in (Application.objects.filter(household=household)
                                        .values_list("status", "paid_on", "decided_at")):
        if status not in ENDED:
            return True
        if status == S.PAID:
            moment = end_of_term(paid_on or decided_at, years)
        elif status == S.REJECTED and decided_at is not None:
            moment = end_of_term(decided_at, years)
        else:
            continue
        until = moment if until is None else max(until, moment)
    return until


def _without_income_reason(reasons: list) -> list:
    return [{**reason, "reason": ANONYMISED} if reason.get("rule") == INCOME_RULE else reason
            for reason in reasons or []]


def anonymise_applications(household, *, now) -> dict:
    applications = list(Application.objects.filter(household=household).only("pk", "rejection_reasons"))
    for application in applications:
        Application.objects.filter(pk=application.pk).update(
            applicant_name=ANONYMISED, email="", phone="", iban="", account_holder="", net_monthly_income=None,
            diy_check_note="", extension_reason="", info_requested="", decision_note="",
            rejection_reasons=_without_income_reason(application.rejection_reasons),
            status_token=new_status_token())
    documents = Document.objects.filter(application__household=household)
    letters = DecisionLetter.objects.filter(application__household=household)
    removed_documents = forget_files(document.file for document in documents.only("file"))
    removed_letters = forget_files(letter.file for letter in letters.only("file"))
    documents.delete()
    letters.delete()
    packages = Package.objects.filter(household=household)
    package_ids = list(packages.values_list("pk", flat=True))
    packages.filter(~Q(motivation="") | ~Q(decision_reason="") | ~Q(cancel_reason="")).update(
        motivation="", decision_reason="", cancel_reason="")
    return {"applications": len(applications), "documents": removed_documents, "letters": removed_letters,
            "packages": len(package_ids),
            "audit_notes": (redact_audit_trail(Application, [application.pk for application in applications])
                            + redact_audit_trail(Package, package_ids))}


def batch_files_kept_until(batch: PaymentBatch) -> datetime.datetime:
    """The end of the financial term of the batch's files: from its execution date, or when it was finished if
    later."""
    years = batch.programme.financial_retention_years
    until = end_of_term(batch.execution_date, years)
    return until if batch.finished_at is None else max(until, end_of_term(batch.finished_at, years))


@transaction.atomic
def forget_expired_batch_files(now: datetime.datetime) -> int:
    """Delete the files of the payment batches whose financial term has passed (once the transaction commits); the
    batches stay. One "payment_batch.files_removed" event each, by the system. Returns how many batches."""
    with_files = ~Q(**{field: "" for field in BATCH_FILES})
    forgotten = 0
    for programme in Programme.objects.all():
        since = add_months(now, -12 * programme.financial_retention_years)
        batches = (PaymentBatch.objects.filter(with_files, programme=programme,
                                               execution_date__lte=timezone.localdate(since))
                   .filter(Q(finished_at__lte=since) | Q(finished_at=None)).select_related("programme")
                   .select_for_update(of=("self",)))
        for batch in batches:
            if batch_files_kept_until(batch) > now:
                continue
            forget_files(getattr(batch, field) for field in BATCH_FILES)
            PaymentBatch.objects.filter(pk=batch.pk).update(**dict.fromkeys(BATCH_FILES, ""))
            record_event(batch, actor=None, action="payment_batch.files_removed",
                         financial_retention_years=programme.financial_retention_years,
                         execution_date=batch.execution_date.isoformat())
            forgotten += 1
    return forgotten
