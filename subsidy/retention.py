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
"""

from django.db.models import Q

from households.retention import ANONYMISED, end_of_term, forget_files, redact_audit_trail
from subsidy.models import Application, DecisionLetter, Document, Package, new_status_token

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
