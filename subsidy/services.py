"""The business acts on a large-measure application (DESIGN.md, "The large-measure application: states").

Each act is one transaction that
1. locks the application row and compares its version with the one the actor saw: when someone else changed
   the application meanwhile (two assessors approving at once), the act is refused with `Conflict` and nothing
   changes;
2. checks who acts: a staff user against `subsidy.rules.TRANSITION_PERMISSIONS` (`NotAllowed`), the applicant
   through the status link (`Actor.APPLICANT`) against `APPLICANT_ACTS`, the system (`Actor.SYSTEM`, scheduled
   jobs) against `SYSTEM_ACTS` — no act borrows a staff account;
3. checks the state (`Conflict`: not from this state) and the act's conditions (`Refused`, with a sentence and
   the field it concerns);
4. makes the django-fsm transition, raises the version, books on the grants line through `budget.services`
   (approve commits; reject, withdraw and lapse after approval, and setting a lower payout release; paying
   spends the commitment) and records one event (actor, from, to, note) that the application page shows as
   its timeline;
5. after commit: the e-mail to the applicant (`subsidy.notifications`) and the decision letter
   (`subsidy.letters`) go to the background worker.
"""

import contextvars
import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed
from stdnum import iban as iban_number
from stdnum.exceptions import ValidationError as NumberError

from accounts.audit import moment_of_acts, now_of_acts, record_event, today_of_acts
from accounts.errors import Conflict, DomainError, NotAllowed, Refused
from accounts.roles import ensure_may
from accounts.text import entered_text
from accounts.uploads import check_upload, random_name
from budget import services as budget
from budget.models import BudgetLine
from budget.money import euro
from budget.services import validate_amount
from eligibility.bounds import MAX_AREA_M2, MAX_MONTHLY_INCOME
from eligibility.codes import DiyMeasure, HouseholdType, LargeMeasure, Status, Tier
from eligibility.parameters import rule_set_on
from eligibility.rules import Circumstances
from eligibility.services import calculate_contractor_grant, calculate_diy_grant, record_assessment
from households import privacy
from households import services as households
from households.models import Household
from households.selectors import household_at_address
from subsidy import acts, deadlines, letters, notifications, selectors
from subsidy.models import Application, Document, IncomeProof, Route
from subsidy.rules import APPLICANT_ACTS, SYSTEM_ACTS, TRANSITION_PERMISSIONS

S = Application.Status

SOMEONE_ELSE = gettext_lazy("Someone else changed this application meanwhile; nothing was changed. Reload the page "
                            "to see its current state.")


class Actor(StrEnum):
    """Who acts without a staff account."""

    APPLICANT = "applicant"  # through the private status link
    SYSTEM = "system"  # a scheduled job (the lapse of grants)


def _user(by):
    return None if isinstance(by, Actor) else by


def _actor_kind(by) -> str:
    return str(by) if isinstance(by, Actor) else "staff"


_now = now_of_acts
_today = today_of_acts


# --- The frame of every act ------------------------------------------------------------------------


def _locked(application: Application, version: int | None) -> Application:
    """The application's row, locked for the act; `Conflict` when it is not the version the actor saw."""
    rows = Application.objects.select_related("household", "household__dwelling", "programme", "assessment",
                                              "commitment")
    return acts.locked(rows, application, version, someone_else=SOMEONE_ELSE)


def _ensure_may_act(application: Application, act: str, by) -> None:
    if by is Actor.APPLICANT:
        if act not in APPLICANT_ACTS:
            raise NotAllowed(_("Only the programme's staff can do this."))
    elif by is Actor.SYSTEM:
        if act not in SYSTEM_ACTS:
            raise NotAllowed()
    elif by is None or not by.has_perm(TRANSITION_PERMISSIONS.get(act, "subsidy.no_such_act"), application):
        raise NotAllowed()


def _ensure_state(application: Application, act: str) -> None:
    if not can_proceed(getattr(application, act)):
        raise Conflict(_("This cannot be done while the application is “%(status)s”.")
                       % {"status": application.get_status_display()})


def _begin(application: Application, act: str, *, by, version: int | None) -> Application:
    locked = _locked(application, version)
    _ensure_may_act(locked, act, by)
    _ensure_state(locked, act)
    return locked


def _finish(application: Application, act: str, *, by, note: str = "", **data) -> Application:
    """Make the transition, save, record the event; notify the applicant after commit."""
    acts.transition(application, act, actor=_user(by), by=_actor_kind(by), note=note, **data)
    if moment_of_acts() is None:  # acts entered afterwards (as_of) were announced when they happened
        pk = application.pk
        transaction.on_commit(lambda: notifications.notify(pk, act))
    return application


def _event(application: Application, action: str, *, by, note: str = "", **data) -> None:
    """An act that does not change the state (a document, an extension, the area check)."""
    Application.objects.filter(pk=application.pk).update(version=F("version") + 1, updated_at=_now())
    application.refresh_from_db(fields=["version", "updated_at"])
    record_event(application, actor=_user(by), action=f"application.{action}", note=note,
                 from_status=application.status, to_status=application.status, by=_actor_kind(by), **data)


# --- Files uploaded with an act ---------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A file uploaded with an act; `field` is the form or API field a refusal of it belongs to."""

    kind: str
    file: object
    field: str = "file"


def _attach(application: Application, uploads: Sequence[Upload], *, by) -> None:
    for upload in uploads:
        try:
            add_document(application, by=by, kind=upload.kind, file=upload.file)
        except DomainError as error:
            if error.field == "file":
                error.field = upload.field
            raise


_stored_files: contextvars.ContextVar[list | None] = contextvars.ContextVar("stored_files", default=None)


def _files_removed_on_failure(act):
    """A refused act rolls back its documents' rows, not their files on disk: those are deleted here too."""
    @functools.wraps(act)
    def run(*args, **kwargs):
        if _stored_files.get() is not None:  # inside another act that stores files: that one cleans up
            return act(*args, **kwargs)
        token = _stored_files.set([])
        try:
            return act(*args, **kwargs)
        except BaseException:
            for file in _stored_files.get():
                file.delete(save=False)
            raise
        finally:
            _stored_files.reset(token)
    return run


# --- Applying ---------------------------------------------------------------------------------------

ANSWER_FIELDS = ("applicant_name", "email", "phone", "owner_occupier", "measure", "route", "quote_amount",
                 "diy_area_m2", "household_type", "net_monthly_income", "income_proof", "declaration_true",
                 "privacy_statement_version")


def check_answers(answers: dict) -> dict:
    """The applicant's answers, cleaned, or Refused naming the field (the form and the API share this)."""
    clean = {name: answers.get(name) for name in ANSWER_FIELDS if name in answers}
    if not answers.get("owner_occupier"):
        raise Refused(_("The large-measure grant is for owner-occupiers who live in the home. Tenants can get "
                        "small and medium measures: an energy handyman visits and installs them."),
                      field="owner_occupier")
    if clean.get("measure") not in LargeMeasure.values:
        raise Refused(_("Choose the measure."), field="measure")
    route = clean.get("route")
    if route == Route.CONTRACTOR:
        clean["quote_amount"] = _amount(clean.get("quote_amount"), field="quote_amount")
        clean["diy_area_m2"] = None
    elif route == Route.DIY:
        if clean["measure"] not in DiyMeasure.values:
            raise Refused(_("This measure is done by a contractor only; choose the contractor route or another "
                            "measure."), field="measure")
        clean["diy_area_m2"] = _area(clean.get("diy_area_m2"), field="diy_area_m2")
        clean["quote_amount"] = None
    else:
        raise Refused(_("Choose a contractor or do it yourself."), field="route")
    if clean.get("household_type") not in HouseholdType.values:
        raise Refused(_("Choose the household type."), field="household_type")
    if clean.get("income_proof") not in IncomeProof.values:
        raise Refused(_("Choose how you show your income."), field="income_proof")
    income = clean.get("net_monthly_income")
    if clean["income_proof"] == IncomeProof.INCOME_DETAILS or income not in (None, ""):
        clean["net_monthly_income"] = _income(income)
    else:
        clean["net_monthly_income"] = None
    clean["applicant_name"] = entered_text(clean.get("applicant_name"), field="applicant_name", required=True)
    clean["email"] = entered_text(clean.get("email"), field="email", required=False)
    clean["phone"] = entered_text(clean.get("phone"), field="phone", required=False)
    clean["declaration_true"] = bool(clean.get("declaration_true"))
    clean["privacy_statement_version"] = entered_text(clean.get("privacy_statement_version"),
                                                      field="privacy_statement_version", required=False)
    return clean


def _amount(value, *, field: str) -> Decimal:
    if value in (None, ""):
        raise Refused(_("Enter the amount."), field=field)
    try:
        return validate_amount(value)
    except Refused as error:
        raise Refused(error.message, field=field) from None


def _area(value, *, field: str) -> Decimal:
    try:
        area = Decimal(str(value).strip().replace(",", "."))
    except (ArithmeticError, ValueError):
        raise Refused(_("Enter the area in m², e.g. 70 or 70.5."), field=field) from None
    if not area.is_finite() or area <= 0:
        raise Refused(_("The area must be more than 0 m²."), field=field)
    if area != area.quantize(Decimal("0.01")) or area > MAX_AREA_M2:
        raise Refused(_("Enter the area in m² with at most two decimals (at most 5,000 m²)."), field=field)
    return area


def _income(value) -> Decimal:
    if value in (None, ""):
        raise Refused(_("Enter the net monthly income of the household."), field="net_monthly_income")
    try:
        income = Decimal(str(value).strip())
    except (ArithmeticError, ValueError):
        raise Refused(_("Enter the income as a number, e.g. 1250.00."), field="net_monthly_income") from None
    if not income.is_finite() or income < 0 or income != income.quantize(Decimal("0.01")) \
            or income > MAX_MONTHLY_INCOME:
        raise Refused(_("Enter the net monthly income in euros with at most two decimals."),
                      field="net_monthly_income")
    return income


@transaction.atomic
def open_application(household: Household, *, by, answers: dict) -> Application:
    """A draft application for the household (by its community worker or the coordinator, or the applicant)."""
    if not isinstance(by, Actor):
        ensure_may(by, "subsidy.apply_for_household", household)
    clean = check_answers(answers)
    version = clean.pop("privacy_statement_version", "")
    clean["privacy_statement"] = (privacy.statement_of(household.programme_id, version,
                                                       field="privacy_statement_version") if version else None)
    in_progress = (Application.objects.filter(household=household, status__in=Application.IN_PROGRESS)
                   .values_list("reference", flat=True).first())
    if in_progress:
        raise Refused(_("This home already has an application in progress (%(reference)s): follow it through its "
                        "status link, or ask the programme to withdraw it first.") % {"reference": in_progress})
    application = Application(programme_id=household.programme_id, household=household,
                              helped_by=_user(by), **clean)
    application.save()
    application.reference = f"{household.programme.reference_prefix}-A{application.pk:05d}"
    Application.objects.filter(pk=application.pk).update(reference=application.reference)
    record_event(application, actor=_user(by), action="application.opened", from_status="", to_status=S.DRAFT,
                 by=_actor_kind(by), household=household.reference)
    return application


@_files_removed_on_failure
@transaction.atomic
def apply(programme, *, by, answers: dict, address: dict, consent: dict, documents: list[tuple[str, object]],
          household: Household | None = None, energy_label: str = "") -> Application:
    """The application form, submitted: find the household at the address or register it (with the consent given
    in the form), open the application, attach the documents and submit it, all or nothing.

    `by`: `Actor.APPLICANT` (the public form) or the community worker (or coordinator) filling it in; `household`:
    given when the form was opened from the household's page.
    """
    check_answers(answers)  # before anything is written: the form's own errors first
    if household is None:
        household = household_at_address(programme, **{key: address.get(key, "") for key in (
            "postcode", "house_number", "house_letter", "house_number_addition")})
        if household is not None and household.status == Household.Status.CLOSED:
            household = None  # new residents at an address the programme worked with before
    if household is None:
        household = households.register_applicant(
            programme=programme, by=_user(by), statement_version=consent["statement_version"], given_on=_today(),
            share_address_level=consent.get("share_address_level", False),
            household={"contact_name": answers["applicant_name"], "email": answers.get("email", ""),
                       "phone": answers.get("phone", ""), "household_type": answers["household_type"],
                       "net_monthly_income": answers.get("net_monthly_income") or None,
                       "energy_allowance": "yes" if answers["income_proof"] == IncomeProof.ENERGY_ALLOWANCE_LETTER
                       else "unknown",
                       "referral_source": "self_registration" if _user(by) is None else "community_worker"},
            dwelling={**address, "tenure": "owner_occupier", "energy_label": energy_label or "unknown"})
    elif not household.has_processing_consent():
        households.record_applicants_consent(household, by=_user(by), statement_version=consent["statement_version"],
                                             given_on=_today(),
                                             share_address_level=consent.get("share_address_level", False))
    if _user(by) is not None:
        ensure_may(by, "subsidy.apply_for_household", household)
    application = open_application(household, by=by, answers={
        **answers, "privacy_statement_version": consent["statement_version"]})
    for kind, file in documents:
        add_document(application, by=by, kind=kind, file=file)
    return submit_application(application, by=by)


def _missing_documents(application: Application, kinds) -> list[str]:
    have = set(application.documents.values_list("kind", flat=True))
    return [str(Document.Kind(kind).label) for kind in kinds if kind not in have]


def documents_needed_to_submit(application: Application) -> list[str]:
    kinds = [Document.Kind.QUOTE] if application.route == Route.CONTRACTOR else []
    if application.income_proof == IncomeProof.ENERGY_ALLOWANCE_LETTER:
        kinds.append(Document.Kind.ENERGY_ALLOWANCE_LETTER)
    return kinds


def documents_needed_for_payout(application: Application) -> list[str]:
    kinds = [Document.Kind.INVOICE]
    if application.route == Route.CONTRACTOR:
        kinds.append(Document.Kind.ACCEPTED_QUOTE)
    return kinds


def large_measures_granted(household, *, excluding: Application | None = None) -> int:
    """Large measures approved or paid for the household's dwelling (one dwelling per household)."""
    granted = Application.objects.filter(household=household).granted()
    if excluding is not None:
        granted = granted.exclude(pk=excluding.pk)
    return granted.count()


def grant_calculation(application: Application, on_date: datetime.date, *, area_m2: Decimal | None = None) -> dict:
    """The grant for the application under the programme's parameters on the date, line by line.

    DIY: on `area_m2` (the area the handyman saw, when given), else the area applied for.
    """
    programme = application.programme
    if application.route == Route.DIY:
        grant = calculate_diy_grant(programme, on_date, application.measure, area_m2 or application.diy_area_m2)
        return {"route": Route.DIY, "grant": str(grant.grant), "area_m2": str(grant.area_m2),
                "area_used_m2": str(grant.area_used_m2), "lines": [line.as_record() for line in grant.lines],
                "notes": list(grant.notes), "warnings": [], "parameters": grant.parameters}
    grant = calculate_contractor_grant(programme, on_date, application.measure, application.quote_amount)
    rules = rule_set_on(programme, on_date)
    lines = [{"label": _("Quote"), "amount": str(grant.quote)}]
    if grant.grant != grant.quote:
        lines.append({"label": _("Grant (at most the maximum)"), "amount": str(grant.grant)})
    return {"route": Route.CONTRACTOR, "grant": str(grant.grant), "lines": lines, "notes": list(grant.notes),
            "warnings": list(grant.warnings),
            "parameters": {"rule_set_version": rules.version, "max_large_grant": str(rules.max_large_grant)}}


@transaction.atomic
def submit_application(application: Application, *, by, version: int | None = None) -> Application:
    """Submit: the grant is calculated and the household assessed as of today; the decision term starts."""
    application = _begin(application, "submit", by=by, version=version)
    if not application.declaration_true:
        raise Refused(_("Declare that you filled in everything truthfully."), field="declaration_true")
    if application.privacy_statement_id is None:
        raise Refused(_("Consent to the privacy statement is needed to process the application."),
                      field="privacy_consent")
    missing = _missing_documents(application, documents_needed_to_submit(application))
    if missing:
        raise Refused(_("Add these documents first: %(documents)s.") % {"documents": ", ".join(missing)},
                      field="documents")
    today = _today()
    calculation = grant_calculation(application, today)
    dwelling = application.household.dwelling
    circumstances = Circumstances(
        household_type=application.household_type, net_monthly_income=application.net_monthly_income,
        energy_allowance_received=application.income_proof == IncomeProof.ENERGY_ALLOWANCE_LETTER,
        energy_label=dwelling.energy_label or "unknown", tenure="owner_occupier" if application.owner_occupier
        else dwelling.tenure, large_measures_taken=large_measures_granted(application.household))
    assessment = record_assessment(application.household, by=_user(by), on_date=today, circumstances=circumstances)
    application.assessment = assessment
    application.calculation = calculation
    application.requested_grant = Decimal(calculation["grant"])
    application.submitted_at = _now()
    application.term_days = rule_set_on(application.programme, today).decision_term_days
    application.decision_due_on = deadlines.decision_due_on(today, term_days=application.term_days)
    return _finish(application, "submit", by=by, grant=calculation["grant"],
                   large_status=assessment.large_status)


# --- Review ----------------------------------------------------------------------------------------


@transaction.atomic
def start_review(application: Application, *, by, version: int | None = None) -> Application:
    application = _begin(application, "start_review", by=by, version=version)
    return _finish(application, "start_review", by=by)


@transaction.atomic
def request_info(application: Application, *, by, message: str, version: int | None = None) -> Application:
    """Ask the applicant (and their community worker) for information; the decision term is suspended."""
    application = _begin(application, "request_info", by=by, version=version)
    message = entered_text(message, field="message", required=True,
                           message=_("Say what information is needed, so the applicant can provide it."))
    application.info_requested = message
    application.suspended_since = _today()
    application.decision_due_on = None
    return _finish(application, "request_info", by=by, note=message)


@_files_removed_on_failure
@transaction.atomic
def provide_info(application: Application, *, by, note: str = "", uploads: Sequence[Upload] = (),
                 version: int | None = None) -> Application:
    """The information is there (an answer given, files added with it); the term runs again, moved by the pause."""
    application = _begin(application, "provide_info", by=by, version=version)
    note = entered_text(note, field="note", required=False)
    _attach(application, uploads, by=by)
    suspended = deadlines.days_suspended(application.suspended_since, _today())
    application.suspended_days += suspended
    application.suspended_since = None
    application.decision_due_on = _due_on(application)
    return _finish(application, "provide_info", by=by, note=note, days_suspended=suspended)


def _due_on(application: Application) -> datetime.date:
    return deadlines.decision_due_on(timezone.localdate(application.submitted_at), term_days=application.term_days,
                                     suspended_days=application.suspended_days,
                                     extended_days=application.extended_days)


@transaction.atomic
def extend_term(application: Application, *, by, days, reason: str, version: int | None = None) -> Application:
    """Extend the decision term once, with a reason, by at most the term (Awb 4:14)."""
    application = _locked(application, version)
    ensure_may(by, "subsidy.review_application", application)
    if not application.is_awaiting_decision:
        raise Conflict(_("Only the term of an application awaiting a decision can be extended."))
    days = deadlines.check_extension(days, term_days=application.term_days,
                                     already_extended=application.extended_days)
    reason = entered_text(reason, field="reason", required=True, message=_("Give the reason for the extension."))
    application.extended_days = days
    application.extension_reason = reason
    if not application.is_suspended:
        application.decision_due_on = _due_on(application)
    application.save(update_fields=["extended_days", "extension_reason", "decision_due_on"])
    _event(application, "term_extended", by=by, note=reason, days=days)
    return application


def approval_problems(application: Application) -> list[str]:
    """Why the application cannot be approved (empty: it can): eligibility, documents, one measure per dwelling."""
    problems = []
    if application.assessment is None or application.assessment.large_status != Status.ELIGIBLE:
        problems.append(_("The assessment at submission does not find the household eligible for the large "
                          "measure."))
    missing = _missing_documents(application, documents_needed_to_submit(application))
    if missing:
        problems.append(_("Documents missing: %(documents)s.") % {"documents": ", ".join(missing)})
    if application.route == Route.DIY and application.diy_area_checked_m2 is None:
        problems.append(_("A handyman has not yet checked the DIY area."))
    allowed = rule_set_on(application.programme, _submitted_on(application)).large_measures_per_dwelling
    if large_measures_granted(application.household, excluding=application) >= allowed:
        problems.append(_("The dwelling already has an approved or paid large measure (at most %(n)s per "
                          "dwelling).") % {"n": allowed})
    return problems


def _submitted_on(application: Application) -> datetime.date:
    return timezone.localdate(application.submitted_at) if application.submitted_at else _today()


def grants_line(programme) -> BudgetLine:
    return BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.GRANTS)


@transaction.atomic
def approve(application: Application, *, by, note: str = "", version: int | None = None) -> Application:
    """Grant it: the DIY calculation on the area seen, or the quote at most the maximum, committed on the grants
    line in this transaction (refused with the amount available when the line cannot carry it)."""
    application = _begin(application, "approve", by=by, version=version)
    note = entered_text(note, field="note", required=False)
    problems = approval_problems(application)
    if problems:
        raise Refused(" ".join(problems))
    calculation = grant_calculation(application, _submitted_on(application),
                                    area_m2=application.diy_area_checked_m2)
    grant = Decimal(calculation["grant"])
    application.commitment = budget.commit(grants_line(application.programme), grant, by=by, source=application,
                                           booked_on=_today(),
                                           note=_("Grant %(reference)s") % {"reference": application.reference})
    application.calculation = calculation
    application.granted_amount = grant
    application.decided_at = _now()
    application.decided_by = by
    application.decision_note = note
    _finish(application, "approve", by=by, note=note, grant=str(grant))
    letters.request_decision_letter(application)
    return application


def rejection_grounds(application: Application) -> list[dict]:
    """The failed verdicts of the large tier at submission, which the assessor may name as reasons."""
    if application.assessment is None:
        return []
    return [verdict for verdict in application.assessment.tier(Tier.LARGE)["verdicts"] if verdict["passed"] is False]


@transaction.atomic
def reject(application: Application, *, by, reasons: list[str] = (), note: str = "",
           version: int | None = None) -> Application:
    """Reject, with reasons picked from the failed verdicts and/or an explanation."""
    application = _begin(application, "reject", by=by, version=version)
    grounds = {verdict["rule"]: verdict["reason"] for verdict in rejection_grounds(application)}
    unknown = [reason for reason in reasons if reason not in grounds]
    if unknown:
        raise Refused(_("Pick the reasons from the rules the household does not meet."), field="reasons")
    note = entered_text(note, field="note", required=not reasons,
                        message=_("Give the reason for the rejection: pick a rule or explain it."))
    application.rejection_reasons = [{"rule": rule, "reason": grounds[rule]} for rule in reasons]
    application.decided_at = _now()
    application.decided_by = by
    application.decision_note = note
    _finish(application, "reject", by=by, note=note, reasons=list(reasons))
    letters.request_decision_letter(application)
    return application


@transaction.atomic
def withdraw(application: Application, *, by, note: str = "", version: int | None = None) -> Application:
    """Withdrawn by the applicant (status link) or on their behalf; the commitment of a grant is released."""
    application = _begin(application, "withdraw", by=by, version=version)
    note = entered_text(note, field="note", required=False)
    if application.status == S.APPROVED:
        # Booked by the system for the withdrawal (whoever withdraws needs no budget rights; the timeline says who).
        budget.release(application.commitment, by=None, booked_on=_today(),
                       note=_("Application %(reference)s withdrawn") % {"reference": application.reference})
    return _finish(application, "withdraw", by=by, note=note)


def lapse_due(today: datetime.date) -> list[Application]:
    """Approved applications without a payout request after the rule set's validity period (months)."""
    return [application for application in Application.objects.filter(status=S.APPROVED).select_related("programme")
            if selectors.grant_valid_until(application)[1] < today]


@transaction.atomic
def lapse(application: Application, *, version: int | None = None) -> Application:
    """The validity period passed without a payout request: the grant lapses and its commitment is released."""
    application = _begin(application, "lapse", by=Actor.SYSTEM, version=version)
    budget.release(application.commitment, by=None, booked_on=_today(),
                   note=_("Grant %(reference)s lapsed") % {"reference": application.reference})
    return _finish(application, "lapse", by=Actor.SYSTEM)


# --- Payout ---------------------------------------------------------------------------------------------


def check_iban(value) -> str:
    try:
        return iban_number.validate(value or "")
    except NumberError:
        raise Refused(_("This IBAN is not valid: check the number (e.g. NL91 ABNA 0417 1643 00)."),
                      field="iban") from None


@_files_removed_on_failure
@transaction.atomic
def request_payout(application: Application, *, by, invoice_amount, iban: str, account_holder: str,
                   uploads: Sequence[Upload] = (), version: int | None = None) -> Application:
    """After the works: the invoice (and for a contractor the accepted quote; uploaded with the request or before)
    and the account to pay to."""
    application = _begin(application, "request_payout", by=by, version=version)
    _attach(application, uploads, by=by)
    missing = _missing_documents(application, documents_needed_for_payout(application))
    if missing:
        raise Refused(_("Add these documents first: %(documents)s.") % {"documents": ", ".join(missing)},
                      field="documents")
    application.invoice_amount = _amount(invoice_amount, field="invoice_amount")
    application.iban = check_iban(iban)
    application.account_holder = entered_text(account_holder, field="account_holder", required=True,
                                              message=_("Enter the name of the account holder."))
    if len(application.account_holder) > 70:
        raise Refused(_("The account holder's name is at most 70 characters."), field="account_holder")
    application.payout_requested_at = _now()
    return _finish(application, "request_payout", by=by, invoice=str(application.invoice_amount))


@transaction.atomic
def set_payout(application: Application, *, by, amount, note: str = "", version: int | None = None) -> Application:
    """Fix the amount to pay: at most the grant and at most the invoice; the rest of the commitment is released."""
    application = _begin(application, "set_payout", by=by, version=version)
    amount = _amount(amount, field="amount")
    note = entered_text(note, field="note", required=False)
    if amount > application.granted_amount:
        raise Refused(_("The payout can be at most the grant of %(grant)s.")
                      % {"grant": euro(application.granted_amount)}, field="amount")
    if amount > application.invoice_amount:
        raise Refused(_("The payout can be at most the invoice of %(invoice)s.")
                      % {"invoice": euro(application.invoice_amount)}, field="amount")
    rest = application.granted_amount - amount
    if rest:
        budget.release(application.commitment, rest, by=by, booked_on=_today(),
                       note=_("Payout of %(reference)s set lower than the grant")
                       % {"reference": application.reference})
    application.payout_amount = amount
    application.payout_set_by = by
    application.payout_set_at = _now()
    return _finish(application, "set_payout", by=by, note=note, amount=str(amount), released=str(rest))


@transaction.atomic
def mark_paid(application: Application, *, by, paid_on: datetime.date, iban: str,
              version: int | None = None) -> Application:
    """Finance records the payment: the commitment becomes expenditure. Four eyes: not by who set the payout."""
    application = _begin(application, "mark_paid", by=by, version=version)
    if application.payout_set_by_id == by.pk:
        raise NotAllowed(_("You set this payout; someone else records its payment (four eyes)."))
    if not isinstance(paid_on, datetime.date):
        raise Refused(_("Enter the payment date."), field="paid_on")
    if paid_on > _today():
        raise Refused(_("The payment date cannot be in the future."), field="paid_on")
    application.iban = check_iban(iban)
    budget.spend_commitment(application.commitment, application.payout_amount, by=by, source=application,
                            booked_on=paid_on,
                            note=_("Payment of grant %(reference)s") % {"reference": application.reference})
    application.paid_on = paid_on
    application.paid_by = by
    return _finish(application, "mark_paid", by=by, amount=str(application.payout_amount),
                   paid_on=paid_on.isoformat())


# --- Documents and the area check ------------------------------------------------------------------

# The applicant adds documents while the application is open and for the payout; not after it ended.
OPEN_FOR_DOCUMENTS = (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.APPROVED, S.PAYOUT_REQUESTED)


@_files_removed_on_failure
@transaction.atomic
def add_document(application: Application, *, by, kind: str, file, version: int | None = None) -> Document:
    """Attach a file (PDF, JPEG or PNG by content, at most 10 MB), stored outside the web root under a random name.

    With `version`: the application is locked and must be the version the page showed (else Conflict).
    """
    if version is not None:
        application = _locked(application, version)
    if isinstance(by, Actor):
        if by is not Actor.APPLICANT:
            raise NotAllowed()
    else:
        ensure_may(by, "subsidy.upload_document", application)
    if kind not in Document.Kind.values:
        raise Refused(_("Choose the kind of document."), field="kind")
    if application.status not in OPEN_FOR_DOCUMENTS:
        raise Conflict(_("Documents cannot be added while the application is “%(status)s”.")
                       % {"status": application.get_status_display()})
    content_type = check_upload(file, field="file")
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[content_type]
    name = entered_text(getattr(file, "name", "") or f"document.{extension}", field="file", required=True)[-200:]
    document = Document(application=application, kind=kind, original_name=name.rsplit("/", 1)[-1],
                        content_type=content_type, size=file.size, uploaded_by=_user(by))
    document.file.save(random_name(extension), file, save=False)
    if _stored_files.get() is not None:
        _stored_files.get().append(document.file)
    document.save()
    _event(application, "document_added", by=by, document=document.pk, kind=kind, name=document.original_name)
    return document



@_files_removed_on_failure
@transaction.atomic
def check_diy_area(application: Application, *, by, area_m2, note: str = "", photo=None,
                   version: int | None = None) -> Application:
    """The handyman records the area he saw (it decides the DIY grant), optionally with a photo."""
    application = _locked(application, version)
    ensure_may(by, "subsidy.check_diy_area", application)
    if application.route != Route.DIY:
        raise Refused(_("Only a DIY application has an area to check."), field="area_m2")
    if application.status not in (S.DRAFT, *Application.AWAITING_DECISION):
        raise Conflict(_("The area can be checked until the application is decided."))
    area = _area(area_m2, field="area_m2")
    application.diy_area_checked_m2 = area
    application.diy_checked_by = by
    application.diy_checked_at = _now()
    application.diy_check_note = entered_text(note, field="note", required=False)
    application.save(update_fields=["diy_area_checked_m2", "diy_checked_by", "diy_checked_at", "diy_check_note"])
    if photo is not None:
        add_document(application, by=by, kind=Document.Kind.AREA_PHOTO, file=photo)
    _event(application, "area_checked", by=by, note=application.diy_check_note, area_m2=str(area))
    return application
