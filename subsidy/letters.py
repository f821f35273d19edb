"""Decision letters (beschikkingen): the approval or rejection of an application as a PDF, rendered in the
background (`subsidy.tasks.render_decision_letter`) and kept outside the web root.

A letter says what was decided and why, in Dutch (Awb 3:46, 3:47): the applicant and the dwelling; the decision;
for an approval the grant and its calculation line by line, the rules and parameter values applied (as the
assessment at submission stored them) and the conditions (the quote, the works, the payout request within the
grant's validity); for a rejection the reasons; and for both the objection clause (bezwaar within six weeks after
the date of the letter, Awb 6:7, to the Municipal Executive, with what an objection contains, Awb 6:5).

Once the PDF is stored the letter is `ready` and the decision e-mail, with the letter attached, goes to the
background worker (`subsidy.notifications`). A rendering that fails leaves the letter `failed` (logged; the task
ends with the error and is not retried by itself).
"""

import datetime
import logging
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from accounts.audit import moment_of_acts
from accounts.pdf import render_pdf_template
from accounts.uploads import random_name
from budget.money import euro
from eligibility.codes import LABEL_SCALE, NormCategory, Tier
from subsidy.models import Application, DecisionLetter, Route
from subsidy.selectors import grant_valid_until

logger = logging.getLogger(__name__)

LETTER_LANGUAGE = "nl"
TEMPLATES = {
    DecisionLetter.Kind.APPROVAL: "subsidy/letters/approval.html",
    DecisionLetter.Kind.REJECTION: "subsidy/letters/rejection.html",
}


def request_decision_letter(application: Application) -> DecisionLetter:
    """A letter for the decision just taken, rendered by the background worker after commit."""
    kind = DecisionLetter.Kind.APPROVAL if application.status == Application.Status.APPROVED \
        else DecisionLetter.Kind.REJECTION
    letter = DecisionLetter.objects.create(application=application, kind=kind)
    # A decision entered afterwards (`accounts.audit.as_of`, the demo) was announced when it was taken.
    announce = moment_of_acts() is None

    def enqueue():
        from subsidy.tasks import render_decision_letter

        render_decision_letter.enqueue(letter.pk, announce=announce)

    transaction.on_commit(enqueue)
    return letter


def render_letter(letter_id: int, *, announce: bool = True) -> DecisionLetter:
    """Render the letter's PDF, store it under a random name and mark it ready; then send the decision e-mail
    (unless `announce` is false: a decision entered afterwards).

    A letter that is ready already is left as it is (a task run twice sends one letter); a failed one may be
    rendered again. On an error the letter is marked failed and the error raised (the task records it).
    """
    letter = DecisionLetter.objects.select_related(
        "application__programme", "application__household__dwelling", "application__household__community_worker",
        "application__assessment").get(pk=letter_id)
    if letter.status == DecisionLetter.Status.READY:
        return letter
    try:
        with translation.override(LETTER_LANGUAGE):
            context = letter_context(letter)
        pdf = render_pdf_template(TEMPLATES[letter.kind], context, language=LETTER_LANGUAGE)
        letter.file.save(random_name("pdf"), ContentFile(pdf), save=False)
        letter.status = DecisionLetter.Status.READY
        letter.rendered_at = timezone.now()
        letter.save(update_fields=["file", "status", "rendered_at"])
    except Exception:
        logger.exception("Decision letter %s of application %s could not be rendered", letter.pk,
                         letter.application_id)
        DecisionLetter.objects.filter(pk=letter.pk).update(status=DecisionLetter.Status.FAILED)
        letter.status = DecisionLetter.Status.FAILED
        raise
    if announce:
        from subsidy.notifications import notify_decision

        notify_decision(letter.pk)
    return letter


def file_name(letter: DecisionLetter) -> str:
    """The name a letter is downloaded and attached under, e.g. `besluit-HIL-A00042.pdf`."""
    with translation.override(LETTER_LANGUAGE):
        name = pgettext("file name of a decision letter", "decision")
    return f"{name}-{letter.application.reference}.pdf"


# --- What the letter says -------------------------------------------------------------------------------


def letter_context(letter: DecisionLetter) -> dict:
    """The template context of a decision letter (call it in the letter's language).

    The letter is dated on the day of the decision, so it reads the same however often it is rendered.
    """
    application = letter.application
    letter_date = timezone.localdate(application.decided_at) if application.decided_at else timezone.localdate()
    programme = application.programme
    dwelling = application.household.dwelling
    calculation = application.calculation or {}
    approval = letter.kind == DecisionLetter.Kind.APPROVAL
    context = {
        "letter": letter,
        "application": application,
        "programme": programme,
        "sender_lines": _lines(programme.letter_sender),
        "recipient_lines": [application.applicant_name, dwelling.address_line, f"{dwelling.postcode} {dwelling.city}"],
        "address": str(dwelling),
        "letter_date": letter_date,
        "reference": application.reference,
        "subject": _("Decision on your application for a grant for a large insulation measure"),
        "signatory_name": programme.letter_signatory,
        "signatory_function": programme.letter_signatory_title,
        "submitted_on": timezone.localdate(application.submitted_at) if application.submitted_at else None,
        "decided_on": letter_date,
        "measure": application.get_measure_display(),
        "diy": application.route == Route.DIY,
        "objection_lines": _lines(programme.objection_addressee),
        "contact_details": programme.contact_details,
        **assessment_context(application),
    }
    if approval:
        context.update({
            "granted": euro(application.granted_amount),
            "calculation_lines": [{"label": line["label"], "amount": _euro_text(line["amount"])}
                                  for line in calculation.get("lines", [])],
            "calculation_notes": list(calculation.get("notes", [])),
            "area_checked": _number(application.diy_area_checked_m2) if application.diy_area_checked_m2 else "",
            **validity_context(application),
        })
    else:
        context.update({
            "reasons": [reason.get("reason") or reason.get("rule", "") for reason in application.rejection_reasons],
            "note": application.decision_note,
        })
    return context


def assessment_context(application: Application) -> dict:
    """The rules applied: the assessment at submission (version, date, verdicts of the large tier) and the values
    of its parameters and of the grant's calculation, with readable names."""
    assessment = application.assessment
    if assessment is None:
        return {"assessment": None, "verdicts": [], "parameter_rows": []}
    try:
        verdicts = assessment.tier(Tier.LARGE)["verdicts"]
    except StopIteration:
        verdicts = []
    values = {**assessment.parameters,
              **{key: value for key, value in (application.calculation or {}).get("parameters", {}).items()
                 if key not in assessment.parameters}}
    rows = [{"name": _("Income limit (net per month)"), "value": euro(assessment.income_limit)}]
    rows += parameter_rows(values)
    return {"assessment": assessment, "verdicts": [verdict["reason"] for verdict in verdicts],
            "parameter_rows": rows}


def validity_context(application: Application) -> dict:
    """How long the grant stands: the rule set's months from the decision, and the last day of it."""
    months, valid_until = grant_valid_until(application)
    return {"validity_months": months, "valid_until": valid_until}


# The parameters a letter names, in this order, with how their value reads; others are left out when they play no
# part in a large-measure decision, or shown under their key when unknown.
PARAMETERS = {
    "rule_set_valid_from": (gettext_lazy("Rules valid from"), "date"),
    "income_percentage": (gettext_lazy("Income limit: percentage of the social-minimum norm"), "percentage"),
    "norm_includes_holiday_allowance": (gettext_lazy("Norm including holiday allowance"), "yes_no"),
    "norm_category": (gettext_lazy("Social-minimum norm category"), "norm_category"),
    "norm_valid_from": (gettext_lazy("Social-minimum norm valid from"), "date"),
    "norm_amount": (gettext_lazy("Social-minimum norm (net per month, including holiday allowance)"), "euro"),
    "holiday_allowance_percentage": (gettext_lazy("Holiday allowance in the norm"), "percentage"),
    "norm_basis": (gettext_lazy("Norm the income limit is a percentage of"), "euro"),
    "worst_non_qualifying_label": (gettext_lazy("Energy label of the dwelling"), "label"),
    "large_requires_owner_occupier": (gettext_lazy("Large measure only for owner-occupiers"), "yes_no"),
    "large_measures_per_dwelling": (gettext_lazy("Large measures per dwelling (at most)"), "number"),
    "max_large_grant": (gettext_lazy("Maximum grant for a large measure"), "euro"),
    "rate_valid_from": (gettext_lazy("DIY rate valid from"), "date"),
    "rate_per_m2": (gettext_lazy("DIY rate per m² (including VAT)"), "euro"),
    "max_area_m2": (gettext_lazy("Maximum area for this measure"), "area"),
    "min_rd": (gettext_lazy("Minimum thermal resistance Rd"), "rd"),
    "diy_cutting_loss_factor": (gettext_lazy("Cutting-loss factor"), "number"),
    "diy_finishing_rate": (gettext_lazy("Finishing rate per m²"), "euro"),
}
NOT_SHOWN = {"rule_set_version", "income_limit", "products_limit_per_dwelling"}


def parameter_rows(values: dict) -> list[dict]:
    rows = [{"name": str(name), "value": _formatted(values[key], kind)}
            for key, (name, kind) in PARAMETERS.items() if key in values]
    rows += [{"name": key.replace("_", " "), "value": str(value)}
             for key, value in values.items() if key not in PARAMETERS and key not in NOT_SHOWN]
    return rows


def _formatted(value, kind: str) -> str:
    text = str(value)
    try:
        if kind == "euro":
            return euro(Decimal(text))
        if kind == "percentage":
            return f"{_number(Decimal(text))}%"
        if kind == "number":
            return _number(Decimal(text))
        if kind == "area":
            return f"{_number(Decimal(text))} m²"
        if kind == "rd":
            return f"{_number(Decimal(text))} m²K/W"
        if kind == "date":
            return date_format(datetime.date.fromisoformat(text), "j F Y")
    except (InvalidOperation, ValueError):
        return text
    if kind == "yes_no":
        return _("yes") if text.lower() == "true" else _("no")
    if kind == "norm_category":
        try:
            return str(NormCategory(text).label)
        except ValueError:
            return text
    if kind == "label" and text in LABEL_SCALE and text != LABEL_SCALE[-1]:
        return _("%(label)s or worse") % {"label": LABEL_SCALE[LABEL_SCALE.index(text) + 1]}
    return text


def _number(value: Decimal) -> str:
    """70 → '70', 70.50 → '70,5', 1.10 → '1,1' (in the active language), without trailing zeros."""
    text = f"{Decimal(value).normalize():f}"
    return number_format(Decimal(text), decimal_pos=max(0, -Decimal(text).as_tuple().exponent))


def _euro_text(amount) -> str:
    try:
        return euro(Decimal(str(amount)))
    except (InvalidOperation, ValueError):
        return str(amount)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
