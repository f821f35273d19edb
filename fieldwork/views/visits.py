"""Recording the three visits: the intake, the installation (one phone screen) and the evaluation.

A visit whose household the user may not see answers 404 (its existence is not revealed); one they may see but
not record answers 403 on the recording pages (the household's handyman and the coordinator record). Each
recording page is one form posted to one service of `fieldwork.services`: a refusal comes back at the field it
names, a conflict (the package or the visit changed meanwhile) above the form (409); either way nothing is saved
and nothing is booked. A visit already recorded sends its recording page back to the visit's page.

The installation screen works without script: − and + are submit buttons that change the number and show the new
total without recording anything (`step`); static/js/fieldwork.js does the same in the page.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.audit import today_of_acts
from accounts.errors import Conflict, Refused
from eligibility.codes import LargeMeasure
from fieldwork import services
from fieldwork.models import Visit
from fieldwork.visit_forms import EvaluationForm, InstallationForm, IntakeForm, quantity_field_name
from households.viewlog import log_household_page
from subsidy import packages
from subsidy.models import Package, PackageItem

Kind = Visit.Kind
ZERO = Decimal("0.00")


# --- Finding the visit ----------------------------------------------------------------------------------------


def _visible_visit(request: HttpRequest, pk: int) -> Visit:
    """The visit if the user may see its household; 404 otherwise."""
    visit = get_object_or_404(Visit.objects.with_household().select_related(
        "household__programme", "household__community_worker"), pk=pk)
    if not request.user.has_perm("fieldwork.view_visit", visit):
        raise Http404
    return visit


def _visit_to_record(request: HttpRequest, pk: int, kind: str) -> Visit:
    """The visit of `kind` if the user may record it: 404 when they may not see it, 403 when they may not record."""
    visit = _visible_visit(request, pk)
    if visit.kind != kind:
        raise Http404
    if not request.user.has_perm("fieldwork.record_visit", visit):
        raise PermissionDenied("fieldwork.record_visit")
    return visit


def _already_done(request: HttpRequest, visit: Visit) -> HttpResponse:
    messages.info(request, _("This visit has been recorded already."))
    return redirect("fieldwork:visit", pk=visit.pk)


def _done_before(visit: Visit, kind: str) -> Visit | None:
    """The household's visit of `kind` if it is done, else None."""
    return Visit.objects.filter(household=visit.household, kind=kind).exclude(done_at=None).first()


def _page(request: HttpRequest, visit: Visit, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    household = visit.household
    log_household_page(request, household, detail=str(visit.pk))  # the visit's page and its three screens
    return render(request, template, {"visit": visit, "household": household, "dwelling": household.dwelling,
                                      **context}, status=status)


# --- The products of a household ------------------------------------------------------------------------------


def _installed_at_visit(visit: Visit) -> list[Package]:
    """The packages the installation visit installed (installed at the moment the visit was done)."""
    if visit.kind != Kind.INSTALLATION or not visit.is_done:
        return []
    return list(Package.objects.filter(household=visit.household, status=Package.Status.INSTALLED,
                                       installed_at=visit.done_at).prefetch_related("items__product"))


def _installed_items(household) -> list[PackageItem]:
    """Every product installed in the dwelling (of its installed packages, at least one of it)."""
    return list(PackageItem.objects.filter(package__household=household, package__status=Package.Status.INSTALLED,
                                           installed_quantity__gt=0).select_related("product")
                .order_by("package__installed_at", "tier", "pk"))


# --- The visit's page -----------------------------------------------------------------------------------------


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit's page: where, who, when; what was recorded, or the button to record it."""
    visit = _visible_visit(request, pk)
    context = {
        "may_record": not visit.is_done and request.user.has_perm("fieldwork.record_visit", visit),
        "record_url_name": f"fieldwork:record_{visit.kind}",
    }
    if visit.is_done and visit.kind == Kind.INTAKE:
        findings = getattr(visit, "findings", None)
        context.update(findings=findings, referrals=list(visit.referrals.select_related("community_worker")),
                       defect_reports=list(visit.defect_reports.all()))
    elif visit.is_done and visit.kind == Kind.INSTALLATION:
        context["installed_packages"] = _installed_at_visit(visit)
    elif visit.is_done and visit.kind == Kind.EVALUATION:
        context["evaluation"] = getattr(visit, "evaluation", None)
    return _page(request, visit, "fieldwork/visit.html", context)


# --- Visit 1: the intake --------------------------------------------------------------------------------------


def _measures(form: IntakeForm, programme) -> list[dict]:
    """Each choice of the advised measure with the programme's indicative cost and yearly saving today (if any)."""
    day = today_of_acts()
    figures = {measure: services.advice_figures(programme, measure, day) for measure in LargeMeasure.values}
    return [{"radio": radio, "figures": figures.get(radio.data["value"]) or {}}
            for radio in form["advised_measure"]]


@login_required
@require_http_methods(["GET", "POST"])
def record_intake(request: HttpRequest, pk: int) -> HttpResponse:
    """Visit 1: the dwelling's findings, the advice, and a referral or a defect report when needed."""
    visit = _visit_to_record(request, pk, Kind.INTAKE)
    if visit.is_done:
        return _already_done(request, visit)
    form = IntakeForm(request.POST if request.method == "POST" else None, household=visit.household)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            services.record_intake(visit, by=request.user, findings=form.findings(),
                                   done_at=form.cleaned_data["done_at"], referral=form.referral(),
                                   defect=form.defect())
        except Refused as error:
            form.put_refusal(error)
        except Conflict as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, _("The intake is recorded."))
            return redirect("fieldwork:visit", pk=visit.pk)
    return _page(request, visit, "fieldwork/visit_intake.html",
                 {"form": form, "measures": _measures(form, visit.household.programme)}, status=status)


# --- Visit 2: the installation --------------------------------------------------------------------------------


def _step(data, items: list[PackageItem]):
    """The form's data with the − or + of `step` ("<product id>:-1" or ":+1") applied, between 0 and approved."""
    data = data.copy()
    product, _sep, change = data.get("step", "").partition(":")
    item = next((item for item in items if str(item.product_id) == product), None)
    if item is None or change not in ("-1", "+1"):
        return data
    name = quantity_field_name(item.product_id)
    try:
        number = int(str(data.get(name, "")).strip())
    except ValueError:
        number = item.quantity
    data[name] = str(min(max(number + int(change), 0), item.quantity))
    return data


def _running_total(form: InstallationForm, package: Package, allowance: packages.Allowance) -> dict:
    """The rows of the product list and the total shown, against the approved value and what is left."""
    rows = []
    total = ZERO
    for item in form.items:
        shown = form.shown_quantity(item)
        counted = min(max(shown, 0), item.quantity)
        total += counted * item.unit_price
        rows.append({"item": item, "field": form[quantity_field_name(item.product_id)],
                     "line_total": counted * item.unit_price, "unit_cents": int(item.unit_price * 100)})
    return {"rows": rows, "total": total, "approved_value": package.value, "allowance": allowance,
            "left_after": max(allowance.left - total, ZERO), "above_limit": max(total - allowance.left, ZERO),
            "total_cents": int(total * 100), "left_cents": int(allowance.left * 100)}


@login_required
@require_http_methods(["GET", "POST"])
def record_installation(request: HttpRequest, pk: int) -> HttpResponse:
    """Visit 2 on one phone screen: the approved package's products, each with − and +, a running total, and one
    button that records what was installed."""
    visit = _visit_to_record(request, pk, Kind.INSTALLATION)
    if visit.is_done:
        return _already_done(request, visit)
    household = visit.household
    package = (Package.objects.filter(household=household, status=Package.Status.APPROVED)
               .prefetch_related("items__product").first())
    intake = _done_before(visit, Kind.INTAKE)
    context = {"package": package, "intake": intake,
               "intake_visit": Visit.objects.filter(household=household, kind=Kind.INTAKE).first(),
               "may_propose": request.user.has_perm("subsidy.propose_package", household)}
    if package is None:
        context["waiting"] = (Package.objects.filter(household=household, status__in=(
            Package.Status.PROPOSED, Package.Status.OVERRIDE_REQUESTED)).first())
        return _page(request, visit, "fieldwork/visit_installation.html", context)

    items = list(package.items.all())
    status = 200
    data = None
    if request.method == "POST":
        data = _step(request.POST, items) if request.POST.get("step") else request.POST
    form = InstallationForm(data, items=items, initial={"version": package.version})
    if request.method == "POST" and not request.POST.get("step") and form.is_valid():
        try:
            services.record_installation(visit, by=request.user, quantities=form.quantities(),
                                         done_at=form.cleaned_data["done_at"], notes=form.cleaned_data["notes"],
                                         package_version=form.cleaned_data["version"])
        except Refused as error:
            form.put_refusal(error)
        except Conflict as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, _("The installation is recorded."))
            return redirect("fieldwork:visit", pk=visit.pk)
    if form.is_bound and request.POST.get("step"):
        form.errors.clear()  # a − or + only counts again: nothing is checked or recorded yet
    allowance = packages.allowance(household, excluding=package)
    context.update(form=form, **_running_total(form, package, allowance))
    return _page(request, visit, "fieldwork/visit_installation.html", context, status=status)


# --- Visit 3: the evaluation ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def record_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """Visit 3, at home or by phone: the resident's experience and the products in use. It closes the field work."""
    visit = _visit_to_record(request, pk, Kind.EVALUATION)
    if visit.is_done:
        return _already_done(request, visit)
    installed = _installed_items(visit.household)
    form = EvaluationForm(request.POST if request.method == "POST" else None, visit=visit, installed=installed)
    status = 200
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_evaluation(visit, by=request.user, experience=data["experience"],
                                       in_use=data["in_use"], remarks=data["remarks"], mode=data["mode"],
                                       done_at=data["done_at"])
        except Refused as error:
            form.put_refusal(error)
        except Conflict as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, _("The evaluation is recorded; the field work for this household is done."))
            return redirect("fieldwork:visit", pk=visit.pk)
    return _page(request, visit, "fieldwork/visit_evaluation.html",
                 {"form": form, "installed": installed,
                  "installation": _done_before(visit, Kind.INSTALLATION)}, status=status)


urlpatterns = [
    path("bezoeken/<int:pk>/", visit_detail, name="visit"),
    path("bezoeken/<int:pk>/intake/", record_intake, name="record_intake"),
    path("bezoeken/<int:pk>/installatie/", record_installation, name="record_installation"),
    path("bezoeken/<int:pk>/evaluatie/", record_evaluation, name="record_evaluation"),
]
