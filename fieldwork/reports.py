"""The resident's report (DESIGN.md "fieldwork/"; issue 12, "The resident's report"): after the intake and after the
installation, a one-page PDF for the resident — the advice, the measures installed, the estimated yearly savings
and who to call — rendered in the background (`fieldwork.tasks.render_resident_report`), e-mailed when the
household has an address, printable from the household page otherwise.

- Written in plain Dutch, the household's language, whoever recorded the visit (`REPORT_LANGUAGE`), on the
  programme's letterhead (`accounts.pdf`: the shipped fonts, only our static files fetched, PDF/UA).
- The advice: the large measure that would save most and suits the resident, with the indicative cost and yearly
  saving the intake stored (`IntakeFindings.advice_figures`: the programme's indicative table on the day of the
  intake), whether DIY is possible, the handyman's advice and the findings in short.
- The estimated yearly savings are that table's figures for the advised measure, and the report says so: an
  estimate, with its source (DOMAIN.md: reports use the table, not the plan's worked examples).
- After the installation: the products and quantities really installed (the household's installed package).
- Who to call: the handyman, the programme's contact details, the community worker when the household has one.

A report that is ready already is left as it is (a task run twice renders and sends once); a rendering that fails
leaves the report `failed` (logged, the error raised: the task records it). The e-mail goes to the household's
address with the PDF attached when `announce` is true (a visit entered afterwards, the demo, is not announced).
"""

import datetime
import logging
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.audit import moment_of_acts
from accounts.pdf import render_pdf_template
from accounts.uploads import random_name
from budget.money import euro
from eligibility.codes import EnergyLabel, LargeMeasure, Tenure
from fieldwork.models import Glazing, Insulation, ResidentReport, Visit
from subsidy.models import Package

logger = logging.getLogger(__name__)

REPORT_LANGUAGE = "nl"  # the household's language: the programme's letters and e-mails are Dutch
TEMPLATE = "fieldwork/resident_report.html"
EMAIL_TEMPLATES = "fieldwork/email/resident_report"  # _subject.txt, .txt, .html
BLANK_LINES = re.compile(r"\n{3,}")
ADVICE_WORDS = 80  # the handyman's advice as far as one page holds it; the rest is said at the visit


def request_report(visit: Visit) -> ResidentReport:
    """A report for the visit just recorded, rendered by the background worker after commit."""
    report = ResidentReport.objects.create(visit=visit)
    announce = moment_of_acts() is None  # a visit entered afterwards (the demo) is not e-mailed now

    def enqueue():
        from fieldwork.tasks import render_resident_report

        render_resident_report.enqueue(report.pk, announce=announce)

    transaction.on_commit(enqueue)
    return report


def render_report(report_id: int, *, announce: bool = True) -> ResidentReport:
    """Render the PDF and mark the report ready; e-mail it to the household when `announce` and it has an address.

    A report that is ready already is left as it is; a failed one may be rendered again. On an error the report is
    marked failed and the error raised. Of two runs at once, only the one that marks the report ready sends it. An
    e-mail that cannot be sent leaves the report ready (printable from the household page, `emailed_to` empty) and
    raises.
    """
    report = ResidentReport.objects.select_related(
        "visit__handyman", "visit__household__dwelling", "visit__household__programme",
        "visit__household__community_worker").get(pk=report_id)
    if report.status == ResidentReport.Status.READY:
        return report
    stored = ""
    try:
        with translation.override(REPORT_LANGUAGE):
            context = report_context(report)
        pdf = render_pdf_template(TEMPLATE, context, language=REPORT_LANGUAGE)
        stored = report.file.storage.save(f"resident-reports/{random_name('pdf')}", ContentFile(pdf))
        rendered_at = timezone.now()
        claimed = (ResidentReport.objects.filter(pk=report.pk).exclude(status=ResidentReport.Status.READY)
                   .update(file=stored, status=ResidentReport.Status.READY, rendered_at=rendered_at))
    except Exception:
        logger.exception("Resident report %s of visit %s could not be rendered", report.pk, report.visit_id)
        if stored:
            report.file.storage.delete(stored)
        ResidentReport.objects.filter(pk=report.pk).exclude(status=ResidentReport.Status.READY) \
            .update(status=ResidentReport.Status.FAILED)
        report.status = ResidentReport.Status.FAILED
        raise
    if not claimed:  # another run made it ready meanwhile (and sent it): this copy is not needed
        report.file.storage.delete(stored)
        return ResidentReport.objects.get(pk=report.pk)
    report.file.name, report.status, report.rendered_at = stored, ResidentReport.Status.READY, rendered_at
    household = report.visit.household
    if announce and household.email:
        send_report(report, pdf)
    return report


def send_report(report: ResidentReport, pdf: bytes) -> None:
    """The e-mail to the household with the report attached; its address is recorded on the report."""
    household = report.visit.household
    with translation.override(REPORT_LANGUAGE):
        context = email_context(report)
        subject = " ".join(render_to_string(f"{EMAIL_TEMPLATES}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"{EMAIL_TEMPLATES}.txt", context)
        html = render_to_string(f"{EMAIL_TEMPLATES}.html", context)
        attachment_name = file_name(report)
    text = BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in text.strip().splitlines())) + "\n"
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [household.email])
    message.attach_alternative(html, "text/html")
    message.attach(attachment_name, pdf, "application/pdf")
    message.send()
    ResidentReport.objects.filter(pk=report.pk).update(emailed_to=household.email)
    report.emailed_to = household.email


def file_name(report: ResidentReport) -> str:
    """The name a report is downloaded and attached under, e.g. `verslag-intake-HIL-00042.pdf`."""
    with translation.override(REPORT_LANGUAGE):
        name = pgettext("file name of a resident's report", "report")
        kind = {Visit.Kind.INTAKE: pgettext("file name of a resident's report", "intake"),
                Visit.Kind.INSTALLATION: pgettext("file name of a resident's report", "installation")}.get(
            report.visit.kind, report.visit.kind)
    return f"{name}-{kind}-{report.visit.household.reference}.pdf"


# --- What the report says ---------------------------------------------------------------------------------------


def report_context(report: ResidentReport) -> dict:
    """The template context of a resident's report (call it in the report's language).

    The report is dated on the day of the visit, so it reads the same however often it is rendered.
    """
    visit = report.visit
    household = visit.household
    dwelling = household.dwelling
    programme = household.programme
    intake = visit if visit.kind == Visit.Kind.INTAKE else \
        Visit.objects.filter(household=household, kind=Visit.Kind.INTAKE).first()
    findings = getattr(intake, "findings", None) if intake is not None else None
    installation = visit.kind == Visit.Kind.INSTALLATION
    worker = household.community_worker
    return {
        "report": report,
        "visit": visit,
        "installation": installation,
        "household": household,
        "programme": programme,
        "sender_lines": _lines(programme.letter_sender),
        "recipient_lines": [household.contact_name, dwelling.address_line, f"{dwelling.postcode} {dwelling.city}"],
        "letter_date": timezone.localdate(visit.done_at) if visit.done_at else timezone.localdate(),
        "reference": household.reference,
        "subject": (_("The energy-saving measures in your home") if installation
                    else _("Your energy advice")),
        "address": str(dwelling),
        "owner_occupier": dwelling.tenure == Tenure.OWNER_OCCUPIER,
        "handyman_name": _name(visit.handyman),
        "contact_details": programme.contact_details,
        "community_worker_name": _name(worker) if worker is not None else "",
        "findings": findings_lines(findings) if findings is not None and not installation else [],
        "advice": advice_context(findings, programme),
        "installed": installed_items(visit) if installation else [],
    }


def advice_context(findings, programme) -> dict | None:
    """The advised large measure with the indicative cost and yearly saving from the programme's table (as the
    intake stored them), DIY, the handyman's advice; None when the intake advised nothing."""
    if findings is None or not (findings.advised_measure or findings.advice):
        return None
    figures = findings.advice_figures or {}
    cost = _range(figures.get("cost_minimum"), figures.get("cost_maximum"))
    savings = _range(figures.get("yearly_savings_minimum"), figures.get("yearly_savings_maximum"))
    valid_from = _day(figures.get("valid_from"))
    return {
        "measure": str(LargeMeasure(findings.advised_measure).label) if findings.advised_measure else "",
        "cost": cost,
        "savings": savings,
        "source": (_("Source: the indicative table of costs and savings of the programme %(programme)s, valid from "
                     "%(date)s.") % {"programme": programme.name, "date": date_format(valid_from, "j F Y")}
                   if valid_from else
                   _("Source: the indicative table of costs and savings of the programme %(programme)s.")
                   % {"programme": programme.name}) if (cost or savings) else "",
        "diy_possible": findings.diy_possible,
        "text": findings.advice,
        "words": ADVICE_WORDS,
    }


def findings_lines(findings) -> list[dict]:
    """What the handyman found, in short: the label, the glazing, the insulation, the energy use if known."""
    rows = []
    if findings.energy_label != EnergyLabel.UNKNOWN:
        label = str(EnergyLabel(findings.energy_label).label)
        rows.append({"name": _("Energy label"),
                     "value": _("%(label)s (estimated by our energy handyman)") % {"label": label}
                     if findings.label_estimated else label})
    rows.append({"name": _("Glazing"), "value": str(Glazing(findings.glazing).label)})
    for name, value in ((_("Roof"), findings.roof_insulation), (_("Floor"), findings.floor_insulation),
                        (_("Walls"), findings.wall_insulation)):
        if value != Insulation.UNKNOWN:
            rows.append({"name": name, "value": str(Insulation(value).label)})
    if findings.crawl_space_suitable is not None:
        rows.append({"name": _("Crawl space"),
                     "value": _("high enough for floor insulation") if findings.crawl_space_suitable
                     else _("not suitable for floor insulation")})
    use = []
    if findings.gas_m3_per_year is not None:
        use.append(_("%(amount)s m³ gas") % {"amount": _whole(findings.gas_m3_per_year)})
    if findings.electricity_kwh_per_year is not None:
        use.append(_("%(amount)s kWh electricity") % {"amount": _whole(findings.electricity_kwh_per_year)})
    if use:
        rows.append({"name": _("Energy use a year"), "value": ", ".join(use)})
    return rows


def installed_items(visit: Visit) -> list[dict]:
    """The products and quantities installed at this visit (the household's package installed then; else its
    latest installed package)."""
    installed = Package.objects.filter(household=visit.household, status=Package.Status.INSTALLED)
    package = installed.filter(installed_at=visit.done_at).first() or installed.order_by("-installed_at").first()
    if package is None:
        return []
    return [{"name": item.product.name, "quantity": item.installed_quantity, "unit": item.product.unit}
            for item in package.items.select_related("product").order_by("product__position", "pk")
            if item.installed_quantity]


def email_context(report: ResidentReport) -> dict:
    """What the e-mail says (call it in the e-mail's language)."""
    visit = report.visit
    household = visit.household
    return {
        "report": report,
        "household": household,
        "programme": household.programme,
        "installation": visit.kind == Visit.Kind.INSTALLATION,
        "visit_date": timezone.localdate(visit.done_at) if visit.done_at else None,
        "handyman_name": _name(visit.handyman),
        "contact_details": household.programme.contact_details,
    }


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _range(low, high) -> str:
    """'€ 250,00', or '€ 450,00 to € 800,00' (in the active language); '' without figures."""
    low, high = _amount(low), _amount(high)
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        return euro(low if low is not None else high)
    return _("%(low)s to %(high)s") % {"low": euro(low), "high": euro(high)}


def _amount(text) -> Decimal | None:
    try:
        return None if text in (None, "") else Decimal(str(text))
    except InvalidOperation:
        return None


def _day(text) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _whole(number: int) -> str:
    """1800 → '1.800' in Dutch."""
    return number_format(number, force_grouping=True)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
