"""The coordinator's view of each handyman's visits per week and workload, and reassigning households.

- `workload`: per active handyman, the visits planned on each day of a week (a small bar chart with its numbers),
  the visits done, his active households, those without a next visit, his open trajectories and the visits planned
  in the coming four weeks (the terms are defined in `fieldwork.selectors`); previous and next week.
- `handyman_week`: one handyman's visits of the week and his open households, each with a link to reassign it, and
  a form to reassign several at once (`reassign_many`: all or nothing).
- `reassign`: one household to another handyman, with an optional note; its planned visits go along.

Only the coordinator (fieldwork.view_workload, fieldwork.reassign); the permission is checked first, so others get
403 whatever the household.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.errors import Refused
from accounts.htmx import render_page_or_fragment
from accounts.roles import Role
from fieldwork import selectors, services
from fieldwork.models import Visit
from fieldwork.selectors import HORIZON_WEEKS, Week
from fieldwork.workload_forms import ReassignForm, ReassignManyForm
from households.selectors import households_visible_to
from households.viewlog import log_household_page

CHART_HEIGHT = 24  # the day bars' height in the chart's own units (viewBox)


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(permission)


def _week(request: HttpRequest) -> Week:
    """The week the address names (`?week=2025-W03`); this week when it names none."""
    return Week.parse(request.GET.get("week"), today=timezone.localdate())


def _with_week(url: str, week: Week) -> str:
    return f"{url}?{urlencode({'week': week.iso})}"


def _handymen():
    """Users with the handyman role, active or not: a handyman who left may still have households to hand over."""
    return get_user_model().objects.filter(groups__name=Role.HANDYMAN.value)


def day_bars(counts, maximum: int, days) -> list[dict]:
    """The chart's bars for a week's counts per day, scaled to `maximum` (the highest of the page, so that bars of
    different handymen compare): x, y and height in the chart's units; a day with visits shows at least a sliver."""
    bars = []
    for offset, (count, day) in enumerate(zip(counts, days, strict=True)):
        height = 0 if not count else max(2, round(count * CHART_HEIGHT / maximum))
        bars.append({"day": day, "x": offset * 10 + 1, "y": CHART_HEIGHT - height, "height": height, "count": count})
    return bars


def _put_error(form, error: Refused, prefix: str = "") -> None:
    """A service's refusal on the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, f"{prefix}{error.message}")


# --- The workload of every handyman ---------------------------------------------------------------------------


def workload_context(week: Week, today) -> dict:
    rows = selectors.workload(week)
    maximum = max((count for row in rows for count in row.planned_per_day), default=0)
    totals = {name: sum(getattr(row, name) for row in rows)
              for name in ("planned", "done", "households", "without_next_visit", "open_trajectories",
                           "coming_weeks")}
    return {
        "week": week,
        "this_week": Week.of(today),
        "days": week.days,
        "rows": [{"figures": row, "bars": day_bars(row.planned_per_day, maximum, week.days)} for row in rows],
        "per_day_totals": [{"day": day, "count": sum(row.planned_per_day[offset] for row in rows)}
                           for offset, day in enumerate(week.days)],
        "totals": totals,
        "horizon_label": ngettext("Planned in %(weeks)s week", "Planned in %(weeks)s weeks", HORIZON_WEEKS)
        % {"weeks": HORIZON_WEEKS},
        "horizon_end": week.shifted(HORIZON_WEEKS - 1).sunday,
    }


@login_required
def workload(request: HttpRequest) -> HttpResponse:
    _require(request, "fieldwork.view_workload")
    context = workload_context(_week(request), timezone.localdate())
    return render_page_or_fragment(request, "fieldwork/workload.html", "fieldwork/_workload_table.html", context)


# --- One handyman's week --------------------------------------------------------------------------------------


HOUSEHOLDS_ON_A_PAGE = 50  # a busy handyman has thousands at a large city's scale


def _handyman_week_context(request: HttpRequest, handyman, week: Week, form: ReassignManyForm | None = None) -> dict:
    households = selectors.households_of_handyman(handyman)
    visits = list(selectors.visits_of_handyman_in_week(handyman, week))
    by_day = {day: [] for day in week.days}
    for visit in visits:
        by_day[timezone.localdate(visit.planned_at)].append(visit)
    if form is None:
        form = ReassignManyForm(current=handyman, households=households)
    page_obj = Paginator(households, HOUSEHOLDS_ON_A_PAGE).get_page(request.GET.get("page"))
    return {
        "handyman": handyman,
        "week": week,
        "this_week": Week.of(timezone.localdate()),
        "days": list(by_day.items()),
        "visit_count": len(visits),
        "done_count": sum(visit.is_done for visit in visits),
        "households": [_with_next_visit_label(household) for household in page_obj],
        "page_obj": page_obj,
        "querystring": f"week={week.iso}",
        "form": form,
        "selected": form.selected(),
        "may_reassign": request.user.has_perm("fieldwork.reassign"),
    }


def _with_next_visit_label(household):
    household.next_visit_label = Visit.Kind(household.next_visit_kind).label if household.next_visit_kind else ""
    return household


@login_required
def handyman_week(request: HttpRequest, user_pk: int) -> HttpResponse:
    _require(request, "fieldwork.view_workload")
    handyman = get_object_or_404(_handymen(), pk=user_pk)
    return render(request, "fieldwork/workload_handyman.html",
                  _handyman_week_context(request, handyman, _week(request)))


@login_required
@require_POST
def reassign_many(request: HttpRequest, user_pk: int) -> HttpResponse:
    """Several of the handyman's households to one new handyman: one `reassign` each, in one transaction, so either
    all move or (on the first refusal) none."""
    _require(request, "fieldwork.reassign")
    handyman = get_object_or_404(_handymen(), pk=user_pk)
    week = _week(request)
    form = ReassignManyForm(request.POST, current=handyman, households=selectors.households_of_handyman(handyman))
    if form.is_valid():
        chosen, new = list(form.cleaned_data["households"]), form.cleaned_data["handyman"]
        household = None
        try:
            with transaction.atomic():
                for household in chosen:
                    services.reassign(household, by=request.user, handyman=new, note=form.cleaned_data["note"])
        except Refused as error:
            _put_error(form, error, prefix=f"{household.reference}: " if household else "")
        else:
            messages.success(request, ngettext(
                "%(count)s household is reassigned to %(name)s; its planned visits went along.",
                "%(count)s households are reassigned to %(name)s; their planned visits went along.",
                len(chosen)) % {"count": len(chosen), "name": new.get_full_name() or new.username})
            return redirect(_with_week(reverse("fieldwork:handyman_week", args=[handyman.pk]), week))
    return render(request, "fieldwork/workload_handyman.html",
                  _handyman_week_context(request, handyman, week, form=form))


# --- Reassigning one household --------------------------------------------------------------------------------


@login_required
def reassign(request: HttpRequest, household_pk: int) -> HttpResponse:
    _require(request, "fieldwork.reassign")
    household = get_object_or_404(households_visible_to(request.user).select_related("handyman"), pk=household_pk)
    log_household_page(request, household)
    week = _week(request)
    current = household.handyman
    form = ReassignForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        new = form.cleaned_data["handyman"]
        try:
            services.reassign(household, by=request.user, handyman=new, note=form.cleaned_data["note"])
        except Refused as error:
            _put_error(form, error)
        else:
            moved = Visit.objects.filter(household=household, done_at=None).count()
            messages.success(request, ngettext(
                "Household %(reference)s is reassigned to %(name)s; %(count)s planned visit went along.",
                "Household %(reference)s is reassigned to %(name)s; %(count)s planned visits went along.",
                moved) % {"reference": household.reference, "name": new.get_full_name() or new.username,
                          "count": moved})
            if current is None:
                return redirect("households:detail", pk=household.pk)
            return redirect(_with_week(reverse("fieldwork:handyman_week", args=[current.pk]), week))
    visits = list(Visit.objects.filter(household=household).select_related("handyman").order_by("planned_at", "pk"))
    return render(request, "fieldwork/reassign.html", {
        "household": household,
        "current": current,
        "form": form,
        "week": week,
        "planned_visits": [visit for visit in visits if not visit.is_done],
        "done_visits": [visit for visit in visits if visit.is_done],
    })


# --- The household page ---------------------------------------------------------------------------------------


def household_section(request: HttpRequest, household) -> dict | None:
    """The household page's field-work handyman with a link to reassign, for whoever may reassign (one query)."""
    if not request.user.has_perm("fieldwork.reassign"):
        return None
    return {"household": household, "handyman": household.handyman,
            "planned": Visit.objects.filter(household=household, done_at=None).count()}


urlpatterns = [
    path("veldwerk/werkverdeling/", workload, name="workload"),
    path("veldwerk/werkverdeling/<int:user_pk>/", handyman_week, name="handyman_week"),
    path("veldwerk/werkverdeling/<int:user_pk>/herverdelen/", reassign_many, name="reassign_many"),
    path("huishoudens/<int:household_pk>/herverdelen/", reassign, name="reassign"),
]
