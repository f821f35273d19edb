"""The handyman's acts in the field (DOMAIN.md, "The three visits").

The visits come in order: an installation is recorded only after the intake, an evaluation only after the
installation; a visit is done at a moment that is not in the future; only the evaluation can be by phone. Each
act is one transaction with one audit event on the household's visit (or referral, defect report); installing
the products goes through `subsidy.packages.install`, which books on the products line. After the intake and
after the installation the resident's report is rendered in the background (`fieldwork.reports`).

A label recorded at the intake updates the dwelling (a registered label is never replaced by an estimate) and
reassesses the household when its consent allows processing.
"""

import datetime
from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import now_of_acts, record_event, today_of_acts
from accounts.errors import Conflict, Refused
from accounts.roles import Role, ensure_may, roles_of
from accounts.text import entered_text
from eligibility.codes import EnergyLabel, LargeMeasure
from eligibility.parameters import measure_costs_on
from fieldwork import reports
from fieldwork.models import DefectReport, Evaluation, IntakeFindings, Referral, Visit
from households import services as households
from households.models import Household
from subsidy import packages
from subsidy.models import Package, PackageItem

Kind = Visit.Kind
MAX_DAYS_AHEAD = 366  # planning further ahead than a year is a typo


def _refused(error: ValidationError) -> Refused:
    """A model's or a left app's ValidationError as `Refused` on its first wrong field."""
    field, messages = next(iter(error.message_dict.items()))
    return Refused(messages[0], field=None if field == "__all__" else field)


def _clean(instance, *, exclude=()) -> None:
    """The model's own checks, as `Refused` on the first wrong field."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise _refused(error) from None


def _done_at(value: datetime.datetime | None) -> datetime.datetime:
    moment = value or now_of_acts()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now_of_acts() + datetime.timedelta(minutes=5):
        raise Refused(_("A visit cannot be done in the future."), field="done_at")
    return moment


def _locked_visit(visit: Visit) -> Visit:
    return Visit.objects.select_for_update(of=("self",)).select_related("household", "household__dwelling",
                                                                        "household__programme").get(pk=visit.pk)


def _event(subject, action: str, *, by, note: str = "", **data) -> None:
    record_event(subject, actor=by, action=f"fieldwork.{action}", note=note, **data)


# --- Planning -------------------------------------------------------------------------------------------------


def next_kind(household: Household) -> str | None:
    """The next visit to plan: the first of intake, installation, evaluation not planned yet (None: all are)."""
    planned = set(Visit.objects.filter(household=household).values_list("kind", flat=True))
    return next((kind for kind in Visit.ORDER if kind not in planned), None)


def _check_planned_at(planned_at) -> datetime.datetime:
    if not isinstance(planned_at, datetime.datetime):
        raise Refused(_("Give a date and a time."), field="planned_at")
    if timezone.is_naive(planned_at):
        planned_at = timezone.make_aware(planned_at)
    if planned_at > now_of_acts() + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise Refused(_("Plan the visit within a year."), field="planned_at")
    return planned_at


def _check_mode(kind: str, mode: str) -> str:
    if mode not in Visit.Mode.values:
        raise Refused(_("Choose at home or by phone."), field="mode")
    if mode == Visit.Mode.BY_PHONE and kind != Kind.EVALUATION:
        raise Refused(_("Only the evaluation can be done by phone."), field="mode")
    return mode


@transaction.atomic
def plan_visit(household: Household, *, by, planned_at: datetime.datetime, kind: str | None = None,
               mode: str = Visit.Mode.AT_HOME, notes: str = "") -> Visit:
    """Plan the household's next visit (intake, installation, evaluation, in that order) with its handyman."""
    ensure_may(by, "fieldwork.plan_visit", household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.status != Household.Status.ACTIVE:
        raise Conflict(_("Visits are planned for active households only; this one is “%(status)s”.")
                       % {"status": household.get_status_display().lower()})
    if household.handyman_id is None:
        raise Refused(_("Assign a handyman to the household first."), field="handyman")
    expected = next_kind(household)
    if expected is None:
        raise Conflict(_("All three visits are planned already."))
    kind = kind or expected
    if kind not in Kind.values:
        raise Refused(_("Choose intake, installation or evaluation."), field="kind")
    if kind != expected:
        raise Refused(_("The visits come in order: plan the %(kind)s first.")
                      % {"kind": Kind(expected).label.lower()}, field="kind")
    visit = Visit(household=household, kind=kind, handyman_id=household.handyman_id,
                  planned_at=_check_planned_at(planned_at), mode=_check_mode(kind, mode),
                  notes=entered_text(notes, field="notes"), planned_by=by)
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        raise Conflict(_("This visit was planned meanwhile.")) from None
    _event(visit, "visit_planned", by=by, kind=kind, planned_at=visit.planned_at.isoformat())
    return visit


@transaction.atomic
def reschedule_visit(visit: Visit, *, by, planned_at: datetime.datetime, mode: str | None = None) -> Visit:
    ensure_may(by, "fieldwork.record_visit", visit)
    visit = _locked_visit(visit)
    if visit.is_done:
        raise Conflict(_("This visit is done; it cannot be moved."))
    visit.planned_at = _check_planned_at(planned_at)
    if mode is not None:
        visit.mode = _check_mode(visit.kind, mode)
    visit.save(update_fields=["planned_at", "mode", "updated_at"])
    _event(visit, "visit_rescheduled", by=by, planned_at=visit.planned_at.isoformat())
    return visit


def _ensure_open(visit: Visit, kind: str) -> None:
    if visit.kind != kind:
        raise Conflict(_("This is not the %(kind)s.") % {"kind": Kind(kind).label.lower()})
    if visit.is_done:
        raise Conflict(_("This visit has been recorded already."))


def _ensure_done_before(visit: Visit, kind: str, message: str) -> None:
    if not Visit.objects.filter(household=visit.household, kind=kind).exclude(done_at=None).exists():
        raise Refused(message, field="done_at")


def _mark_done(visit: Visit, *, by, done_at, notes: str, **data) -> Visit:
    visit.done_at = done_at
    visit.notes = entered_text(notes, field="notes")
    visit.save(update_fields=["done_at", "notes", "mode", "updated_at"])
    _event(visit, f"{visit.kind}_done", by=by, note=visit.notes, done_at=done_at.isoformat(), **data)
    return visit


# --- Visit 1: the intake --------------------------------------------------------------------------------------

FINDINGS_FIELDS = ("energy_label", "label_estimated", "glazing", "roof_insulation", "floor_insulation",
                   "wall_insulation", "crawl_space_suitable", "gas_m3_per_year", "electricity_kwh_per_year", "wishes",
                   "advised_measure", "diy_possible", "advice")


def advice_figures(programme, measure: str, day: datetime.date) -> dict:
    """The programme's indicative cost and yearly saving of a large measure on `day` ({} when it has none)."""
    if not measure:
        return {}
    values = measure_costs_on(programme, measure, day)
    return {} if values is None else values.as_record()


@transaction.atomic
def record_intake(visit: Visit, *, by, findings: Mapping, done_at: datetime.datetime | None = None, notes: str = "",
                  referral: Mapping | None = None, defect: Mapping | None = None) -> Visit:
    """Visit 1: the dwelling's findings and the advice; a referral and a defect report when needed."""
    ensure_may(by, "fieldwork.record_visit", visit)
    visit = _locked_visit(visit)
    _ensure_open(visit, Kind.INTAKE)
    done_at = _done_at(done_at)
    household = visit.household
    unknown = set(findings) - set(FINDINGS_FIELDS)
    if unknown:
        raise Refused(_("Unknown field: %(field)s.") % {"field": ", ".join(sorted(unknown))}, field="findings")
    record = IntakeFindings(visit=visit, **dict(findings))
    for name in ("wishes", "advice"):
        setattr(record, name, entered_text(getattr(record, name), field=name))
    if record.advised_measure and record.advised_measure not in LargeMeasure.values:
        raise Refused(_("Choose a large measure from the list."), field="advised_measure")
    record.advice_figures = advice_figures(household.programme, record.advised_measure,
                                           timezone.localdate(done_at))
    _clean(record, exclude=["visit"])
    record.save()
    _mark_done(visit, by=by, done_at=done_at, notes=notes, label=record.energy_label,
               advised_measure=record.advised_measure)
    _record_label(household, record, by=by)
    if referral:
        refer(household, by=by, visit=visit, **dict(referral))
    if defect:
        report_defect(household, by=by, visit=visit, **dict(defect))
    reports.request_report(visit)
    return visit


def _record_label(household: Household, findings: IntakeFindings, *, by) -> None:
    """The label found updates the dwelling (an estimate never replaces a registered label) and reassesses."""
    dwelling = household.dwelling
    label = findings.energy_label
    if label == EnergyLabel.UNKNOWN or label == dwelling.energy_label:
        return
    if findings.label_estimated and dwelling.energy_label != EnergyLabel.UNKNOWN:
        return
    households.update_household(household, by=by, household_changes={},
                                dwelling_changes={"energy_label": label})
    household.refresh_from_db()
    if household.has_processing_consent():
        households.assess_eligibility(household, by=by)


# --- Visit 2: the installation --------------------------------------------------------------------------------


@transaction.atomic
def record_installation(visit: Visit, *, by, quantities: Mapping, done_at: datetime.datetime | None = None,
                        notes: str = "", package_version: int | None = None) -> Visit:
    """Visit 2: the approved package's products as really installed (quantities may be lower)."""
    ensure_may(by, "fieldwork.record_visit", visit)
    visit = _locked_visit(visit)
    _ensure_open(visit, Kind.INSTALLATION)
    _ensure_done_before(visit, Kind.INTAKE, _("Record the intake before the installation."))
    done_at = _done_at(done_at)
    package = Package.objects.filter(household=visit.household, status=Package.Status.APPROVED).first()
    if package is None:
        raise Refused(_("The household has no approved products package to install."), field="items")
    package = packages.install(package, by=by, quantities=quantities, version=package_version, installed_at=done_at)
    _mark_done(visit, by=by, done_at=done_at, notes=notes, package=package.pk,
               installed=str(package.installed_value))
    reports.request_report(visit)
    return visit


# --- Visit 3: the evaluation ----------------------------------------------------------------------------------


@transaction.atomic
def record_evaluation(visit: Visit, *, by, experience, in_use: Iterable = (), remarks: str = "",
                      mode: str | None = None, done_at: datetime.datetime | None = None, notes: str = "") -> Visit:
    """Visit 3: the resident's experience (1–5) and which installed products are in use; closes the field work."""
    ensure_may(by, "fieldwork.record_visit", visit)
    visit = _locked_visit(visit)
    _ensure_open(visit, Kind.EVALUATION)
    _ensure_done_before(visit, Kind.INSTALLATION, _("Record the installation before the evaluation."))
    done_at = _done_at(done_at)
    try:
        experience = int(str(experience).strip())
    except ValueError:
        raise Refused(_("Give the experience as a number from 1 to 5."), field="experience") from None
    if not 1 <= experience <= 5:
        raise Refused(_("Give the experience as a number from 1 to 5."), field="experience")
    if mode is not None:
        visit.mode = _check_mode(visit.kind, mode)
    in_use = {str(product) for product in in_use}
    installed = list(PackageItem.objects.filter(package__household=visit.household,
                                                package__status=Package.Status.INSTALLED, installed_quantity__gt=0)
                     .select_related("product").order_by("package", "tier", "pk"))
    unknown = in_use - {str(item.product_id) for item in installed}
    if unknown:
        raise Refused(_("Only installed products can be in use."), field="in_use")
    evaluation = Evaluation(visit=visit, experience=experience, remarks=entered_text(remarks, field="remarks"),
                            measures_in_use=[{"product": item.product_id, "name": item.product.name,
                                              "in_use": str(item.product_id) in in_use} for item in installed])
    evaluation.save()
    return _mark_done(visit, by=by, done_at=done_at, notes=notes, experience=experience)


# --- Follow-ups: referral and defect report -------------------------------------------------------------------


@transaction.atomic
def refer(household: Household, *, by, reason: str, community_worker=None, visit: Visit | None = None) -> Referral:
    """Ask a community worker to help the household (theirs when it has one); they see it on their start page."""
    ensure_may(by, "fieldwork.refer", household)
    worker = community_worker or household.community_worker
    if worker is None:
        raise Refused(_("Choose the community worker to refer to."), field="community_worker")
    if not isinstance(worker, get_user_model()):
        worker = get_user_model().objects.filter(pk=worker, is_active=True).first()
    if worker is None or Role.COMMUNITY_WORKER not in roles_of(worker):
        raise Refused(_("Choose a community worker."), field="community_worker")
    referral = Referral(household=household, community_worker=worker, visit=visit, referred_by=by,
                        referred_at=now_of_acts(),
                        reason=entered_text(reason, field="reason", required=True,
                                            message=_("Say what the household needs help with.")))
    referral.save()
    _event(referral, "referred", by=by, note=referral.reason, community_worker=worker.pk)
    return referral


@transaction.atomic
def handle_referral(referral: Referral, *, by, note: str = "") -> Referral:
    ensure_may(by, "fieldwork.handle_referral", referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.handled_at is not None:
        raise Conflict(_("This referral has been handled already."))
    referral.handled_at = now_of_acts()
    referral.handled_note = entered_text(note, field="note")
    referral.save(update_fields=["handled_at", "handled_note"])
    _event(referral, "referral_handled", by=by, note=referral.handled_note)
    return referral


def _day(value, *, field: str, required: bool) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise Refused(_("Give the date."), field=field)
        return None
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            raise Refused(_("Give a date as YYYY-MM-DD."), field=field) from None
    if value > today_of_acts():
        raise Refused(_("The date cannot be in the future."), field=field)
    return value


@transaction.atomic
def report_defect(household: Household, *, by, description: str, sent_on=None,
                  visit: Visit | None = None) -> DefectReport:
    """A rented home in very bad condition, reported to its housing corporation."""
    ensure_may(by, "fieldwork.report_defect", household)
    dwelling = household.dwelling
    if not dwelling.is_rented or not dwelling.housing_corporation:
        raise Refused(_("A defect report goes to the housing corporation of a rented home; this dwelling has none."),
                      field="description")
    report = DefectReport(household=household, housing_corporation=dwelling.housing_corporation, visit=visit,
                          reported_by=by, sent_on=_day(sent_on, field="sent_on", required=False) or today_of_acts(),
                          description=entered_text(description, field="description", required=True,
                                                   message=_("Describe what is wrong with the home.")))
    report.save()
    _event(report, "defect_reported", by=by, note=report.description, corporation=report.housing_corporation)
    return report


@transaction.atomic
def update_defect(report: DefectReport, *, by, acknowledged_on=None, resolved_on=None) -> DefectReport:
    """The corporation acknowledged or resolved it (dates not before it was sent, nor in the future)."""
    ensure_may(by, "fieldwork.report_defect", report.household)
    report = DefectReport.objects.select_for_update().get(pk=report.pk)
    for field, value in (("acknowledged_on", acknowledged_on), ("resolved_on", resolved_on)):
        day = _day(value, field=field, required=False)
        if day is None:
            continue
        if day < report.sent_on:
            raise Refused(_("The date cannot be before the report was sent (%(day)s).") % {"day": report.sent_on},
                          field=field)
        setattr(report, field, day)
    if report.resolved_on and report.acknowledged_on and report.resolved_on < report.acknowledged_on:
        raise Refused(_("The report cannot be resolved before it was acknowledged."), field="resolved_on")
    if report.resolved_on and not report.acknowledged_on:
        report.acknowledged_on = report.resolved_on
    report.save(update_fields=["acknowledged_on", "resolved_on"])
    _event(report, "defect_updated", by=by, status=report.status)
    return report


# --- The coordinator: reassigning -----------------------------------------------------------------------------


@transaction.atomic
def reassign(household: Household, *, by, handyman, note: str = "") -> Household:
    """Give the household to another handyman (an active user with the handyman role); the visits still planned go
    with it, the visits done stay with who did them. The community worker stays as the household has it now."""
    ensure_may(by, "fieldwork.reassign", household)
    if handyman is None or not handyman.is_active or Role.HANDYMAN not in roles_of(handyman):
        raise Refused(_("Choose an active energy handyman."), field="handyman")
    note = entered_text(note, field="note")
    household = Household.objects.select_for_update().get(pk=household.pk)
    previous = household.handyman_id
    if previous == handyman.pk:
        raise Refused(_("The household is assigned to %(name)s already; choose another handyman.")
                      % {"name": handyman.get_full_name() or handyman.username}, field="handyman")
    moved = Visit.objects.filter(household=household, done_at=None).count()
    try:  # the household's community worker stays; one who lost that role is refused by the register
        household = households.assign_household(household, by=by, handyman=handyman,
                                                community_worker=household.community_worker, note=note)
    except ValidationError as error:
        raise _refused(error) from None
    _event(household, "reassigned", by=by, note=note, handyman=handyman.pk, previous_handyman=previous,
           visits_moved=moved)
    return household


def move_planned_visits(household: Household, *, previous_handyman_id) -> dict:
    """After the household's handyman changed (households.extensions): the visits still planned go to the new one,
    so he sees and records them; the visits done stay with who did them. Without a new handyman they stay put."""
    if household.handyman_id is None:
        return {}
    moved = Visit.objects.filter(household=household, done_at=None).update(handyman_id=household.handyman_id)
    return {"visits_moved": moved} if moved else {}
