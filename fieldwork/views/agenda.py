"""The handyman's agenda, planning visits, the household page's field-work section, referrals and defect reports.

- The agenda (`agenda`): the handyman's visits today, the rest of this week, the coming weeks, the visits of
  earlier days still to record, and his active households whose next visit is not planned. His start page shows
  the first part of it (templates/fieldwork/_start_agenda.html, fieldwork.templatetags.fieldwork_agenda).
- Planning (`plan_visit`, `reschedule_visit`): the household's next visit (intake, installation, evaluation, in
  that order) at a day and time; only the evaluation may be by phone.
- A referral (`refer`) asks a community worker to help the household; the community worker's inbox
  (`referrals`, the coordinator sees every referral) and marking one handled (`handle_referral`).
- A defect report (`report_defect`, `update_defect`): a rented home in very bad condition reported to its housing
  corporation, then its acknowledgement and resolution, each with its date.

A household (visit, referral, report) the user may not see answers 404, its existence not revealed; one they may
see but not act on answers 403. Views parse the form, call one service and redirect; a service's refusal comes
back on the form's field in Dutch, a conflict (changed meanwhile) above the form (409), and nothing is saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.audit import today_of_acts
from accounts.errors import Conflict, Refused
from accounts.roles import Role, is_coordinator, roles_of
from accounts.text import is_id
from fieldwork import selectors, services
from fieldwork.forms import DefectReportForm, DefectUpdateForm, HandleReferralForm, PlanVisitForm, ReferralForm
from fieldwork.models import DefectReport, Referral, Visit
from households.models import Household
from households.selectors import households_visible_to
from households.viewlog import log_household_page

UNPLANNED_ON_THE_AGENDA = 50
PLAN_PREFIX = "plan"
# The services name the moment "planned_at"; the forms ask for it as a date and a time.
FORM_FIELD = {"planned_at": "day"}


# --- Finding what the user may see ---------------------------------------------------------------------------


def _visible_household(request: HttpRequest, pk: int) -> Household:
    return get_object_or_404(households_visible_to(request.user), pk=pk)


def _visible_visit(request: HttpRequest, pk: int) -> Visit:
    visit = get_object_or_404(Visit.objects.with_household(), pk=pk)
    if not request.user.has_perm("fieldwork.view_visit", visit):
        raise Http404
    return visit


def _visible_defect_report(request: HttpRequest, pk: int) -> DefectReport:
    report = get_object_or_404(DefectReport.objects.select_related("household", "household__dwelling"), pk=pk)
    if not request.user.has_perm("households.view_household", report.household):
        raise Http404
    return report


def _require(request: HttpRequest, permission: str, obj=None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(permission)


def _put_error(form, error: Refused) -> None:
    """A service's refusal on the form's field it names, or above the form."""
    name = FORM_FIELD.get(error.field, error.field)
    form.add_error(name if name in form.fields else None, str(error.message))


def _back_to(request: HttpRequest, default: str) -> str:
    """Where the act was started from (`next`, on this site only), else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _posted(request: HttpRequest):
    """The form's data on a POST, even an empty one (then every required field says so); None on a GET."""
    return request.POST if request.method == "POST" else None


def _household_page(household: Household) -> str:
    return reverse("households:detail", args=[household.pk]) + "#fieldwork"


# --- The agenda ----------------------------------------------------------------------------------------------


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    """The handyman's own agenda (another handyman's is the coordinator's workload page)."""
    if Role.HANDYMAN not in roles_of(request.user):
        raise PermissionDenied("handyman")
    today = timezone.localdate()
    unplanned, unplanned_count = selectors.first_without_next_visit(request.user, UNPLANNED_ON_THE_AGENDA)
    return render(request, "fieldwork/agenda.html", {
        "agenda": selectors.agenda_of(request.user, today, weeks_ahead=selectors.WEEKS_AHEAD, with_unrecorded=True),
        "unplanned": unplanned, "unplanned_count": unplanned_count, "weeks_ahead": selectors.WEEKS_AHEAD,
    })


# --- Planning ------------------------------------------------------------------------------------------------


def _planned_message(visit: Visit) -> str:
    moment = timezone.localtime(visit.planned_at)
    return _("The %(kind)s is planned on %(day)s at %(time)s.") % {
        "kind": visit.get_kind_display().lower(), "day": date_format(moment, "l j F Y"),
        "time": moment.strftime("%H:%M")}


@login_required
def plan_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan the household's next visit (GET: the form on its own page; the household page has it too)."""
    household = _visible_household(request, pk)
    _require(request, "fieldwork.plan_visit", household)
    log_household_page(request, household)
    kind = services.next_kind(household)
    form = PlanVisitForm(_posted(request), kind=kind, prefix=PLAN_PREFIX) if kind else None
    conflict, status = "", 200
    if kind is None:
        conflict, status = _("All three visits are planned already."), 409 if request.method == "POST" else 200
    elif request.method == "POST" and form.is_valid():
        try:
            visit = services.plan_visit(household, by=request.user, planned_at=form.planned_at(), kind=kind,
                                        mode=form.chosen_mode())
        except Refused as error:
            _put_error(form, error)
        except Conflict as error:
            conflict, status = str(error), 409
        else:
            messages.success(request, _planned_message(visit))
            return redirect(_back_to(request, _household_page(household)))
    return render(request, "fieldwork/plan.html", {
        "household": household, "kind": kind, "kind_label": Visit.Kind(kind).label if kind else "",
        "form": form, "conflict": conflict, "next": _back_to(request, "")}, status=status)


@login_required
def reschedule_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a planned visit to another day or time (the evaluation: also at home or by phone)."""
    visit = _visible_visit(request, pk)
    _require(request, "fieldwork.record_visit", visit)
    household = visit.household
    log_household_page(request, household, detail=str(visit.pk))
    form = PlanVisitForm.for_visit(visit, _posted(request), prefix=PLAN_PREFIX) if not visit.is_done else None
    conflict, status = "", 200
    if visit.is_done:
        conflict, status = _("This visit is done; it cannot be moved."), 409 if request.method == "POST" else 200
    elif request.method == "POST" and form.is_valid():
        try:
            visit = services.reschedule_visit(
                visit, by=request.user, planned_at=form.planned_at(),
                mode=form.chosen_mode() if visit.kind == Visit.Kind.EVALUATION else None)
        except Refused as error:
            _put_error(form, error)
        except Conflict as error:
            conflict, status = str(error), 409
        else:
            messages.success(request, _planned_message(visit))
            return redirect(_back_to(request, _household_page(household)))
    return render(request, "fieldwork/plan_reschedule.html", {
        "household": household, "visit": visit, "form": form, "conflict": conflict,
        "next": _back_to(request, "")}, status=status)


# --- Referrals -----------------------------------------------------------------------------------------------


@login_required
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask a community worker to help the household: the household's own one, unless another is chosen."""
    household = _visible_household(request, pk)
    _require(request, "fieldwork.refer", household)
    log_household_page(request, household)
    form = ReferralForm(_posted(request), initial={"community_worker": household.community_worker_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.refer(household, by=request.user, reason=data["reason"],
                                      community_worker=data["community_worker"])
        except Refused as error:
            _put_error(form, error)
        else:
            messages.success(request, _("The household is referred to %(name)s.")
                             % {"name": referral.community_worker.get_full_name()
                                or referral.community_worker.username})
            return redirect(_household_page(household))
    return render(request, "fieldwork/referral.html", {"household": household, "form": form})


def _may_see_inbox(user) -> bool:
    return bool({Role.COMMUNITY_WORKER, Role.COORDINATOR} & set(roles_of(user)))


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    """The community worker's referrals (the coordinator: everyone's), open ones or handled ones, newest first."""
    if not _may_see_inbox(request.user):
        raise PermissionDenied("referrals")
    handled = request.GET.get("status") == "handled"
    after = None
    if is_id(request.GET.get("after", "")):
        after = selectors.referrals_addressed_to(request.user).filter(pk=request.GET["after"]).first()
    page, more = selectors.referral_inbox(request.user, handled=handled, after=after)
    for referral in page:
        referral.may_see_household = request.user.has_perm("households.view_household", referral.household)
        if referral.handled_at is None and request.user.has_perm("fieldwork.handle_referral", referral):
            referral.handle_form = HandleReferralForm(prefix=f"referral-{referral.pk}")
    return render(request, "fieldwork/referrals.html", {
        "referrals": page, "handled": handled, "more": more, "after": page[-1].pk if more else None,
        "everyone": is_coordinator(request.user), "continued": after is not None})


@login_required
@require_POST
def handle_referral(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a referral handled, with an optional note; back to the inbox (or where the button was)."""
    referral = get_object_or_404(Referral.objects.select_related("household", "community_worker"), pk=pk)
    if not request.user.has_perm("fieldwork.handle_referral", referral):
        if request.user.has_perm("households.view_household", referral.household):
            raise PermissionDenied("fieldwork.handle_referral")
        raise Http404
    form = HandleReferralForm(request.POST, prefix=f"referral-{referral.pk}")
    conflict, status = "", 200
    if form.is_valid():
        try:
            services.handle_referral(referral, by=request.user, note=form.cleaned_data["note"])
        except Refused as error:
            _put_error(form, error)
        except Conflict as error:
            conflict, status = str(error), 409
        else:
            messages.success(request, _("The referral of %(household)s is handled.")
                             % {"household": referral.household.reference})
            return redirect(_back_to(request, reverse("fieldwork:referrals")))
    return render(request, "fieldwork/referral_handle.html", {
        "referral": referral, "form": form, "conflict": conflict, "next": _back_to(request, "")}, status=status)


# --- Defect reports ------------------------------------------------------------------------------------------


def _reportable(household: Household) -> bool:
    """A defect report goes to the housing corporation of a rented home."""
    dwelling = getattr(household, "dwelling", None)
    return dwelling is not None and dwelling.is_rented and bool(dwelling.housing_corporation)


@login_required
def report_defect(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a rented home in very bad condition to its housing corporation (the page says when it cannot)."""
    household = _visible_household(request, pk)
    _require(request, "fieldwork.report_defect", household)
    log_household_page(request, household)
    reportable = _reportable(household)
    form = DefectReportForm(_posted(request), initial={"sent_on": today_of_acts()}) if reportable else None
    if reportable and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_defect(household, by=request.user, description=data["description"],
                                   sent_on=data["sent_on"])
        except Refused as error:
            _put_error(form, error)
        else:
            messages.success(request, _("The defect report to %(corporation)s is recorded.")
                             % {"corporation": household.dwelling.housing_corporation})
            return redirect(_household_page(household))
    return render(request, "fieldwork/defect.html", {"household": household, "form": form})


@login_required
def update_defect(request: HttpRequest, pk: int) -> HttpResponse:
    """Record when the corporation acknowledged the report, and when it resolved it."""
    report = _visible_defect_report(request, pk)
    household = report.household
    _require(request, "fieldwork.report_defect", household)
    log_household_page(request, household, detail=str(report.pk))
    form = DefectUpdateForm(_posted(request), sent_on=report.sent_on,
                            initial={"acknowledged_on": report.acknowledged_on, "resolved_on": report.resolved_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.update_defect(report, by=request.user, acknowledged_on=data["acknowledged_on"],
                                            resolved_on=data["resolved_on"])
        except Refused as error:
            _put_error(form, error)
        else:
            messages.success(request, _("The defect report is now “%(status)s”.")
                             % {"status": report.get_status_display().lower()})
            return redirect(_household_page(household))
    return render(request, "fieldwork/defect_update.html", {"household": household, "report": report, "form": form})


# --- The household page's section (registered in fieldwork.apps) ---------------------------------------------


def household_section(request: HttpRequest, household: Household) -> dict | None:
    """The household's visits in order, the next one to plan (with its form for whom may plan), its referrals and
    defect reports, and the acts this user may do."""
    user = request.user
    if not user.has_perm("households.view_household", household):
        return None
    fieldwork = selectors.fieldwork_of_household(household)
    may_plan = (user.has_perm("fieldwork.plan_visit", household) and household.handyman_id is not None
                and household.status == Household.Status.ACTIVE)
    for _kind, visit in fieldwork.visits:
        if visit is not None:
            visit.may_reschedule = not visit.is_done and user.has_perm("fieldwork.record_visit", visit)
    for referral in fieldwork.referrals:
        referral.may_handle = referral.handled_at is None and user.has_perm("fieldwork.handle_referral", referral)
    may_report = user.has_perm("fieldwork.report_defect", household)
    return {
        "household": household,
        "visits": [{"kind": kind, "label": Visit.Kind(kind).label, "number": number, "visit": visit}
                   for number, (kind, visit) in enumerate(fieldwork.visits, start=1)],
        "next_kind": fieldwork.next_kind,
        "next_label": Visit.Kind(fieldwork.next_kind).label if fieldwork.next_kind else "",
        "plan_form": (PlanVisitForm(kind=fieldwork.next_kind, prefix=PLAN_PREFIX)
                      if may_plan and fieldwork.next_kind else None),
        "plan_blocked": (_("Assign a handyman to the household first.") if fieldwork.next_kind
                         and user.has_perm("fieldwork.plan_visit", household) and household.handyman_id is None
                         else ""),
        "referrals": fieldwork.referrals,
        "defect_reports": fieldwork.defect_reports,
        "may_refer": user.has_perm("fieldwork.refer", household),
        "may_report": may_report,
        "reportable": _reportable(household),
    }


urlpatterns = [
    path("veldwerk/agenda/", agenda, name="agenda"),
    path("veldwerk/huishoudens/<int:pk>/bezoek-plannen/", plan_visit, name="plan_visit"),
    path("veldwerk/bezoeken/<int:pk>/verzetten/", reschedule_visit, name="reschedule_visit"),
    path("veldwerk/huishoudens/<int:pk>/doorverwijzen/", refer, name="refer"),
    path("veldwerk/doorverwijzingen/", referrals, name="referrals"),
    path("veldwerk/doorverwijzingen/<int:pk>/afgehandeld/", handle_referral, name="handle_referral"),
    path("veldwerk/huishoudens/<int:pk>/melding/", report_defect, name="report_defect"),
    path("veldwerk/meldingen/<int:pk>/", update_defect, name="update_defect"),
]
