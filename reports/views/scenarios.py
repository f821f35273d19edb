"""The "wat als" scenarios: what changes if a rule were different, saved and shown side by side.

- `scenarios` (GET): the form; with its values, the scenario on the register now (reports.scenarios.run_scenario)
  and the saved scenarios to compare. Running stores nothing.
- `save_scenario` (POST): runs it again on the register as it is and stores it (reports.scenarios.save_scenario).
- `scenario`: a saved scenario with the results it had when saved; `compare`: two to four saved side by side.
Coordinator and finance officer (`reports.run_scenarios`); every other role 403.
"""

from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.errors import Refused
from accounts.roles import ensure_may
from accounts.text import is_id
from budget.charts import progress
from budget.forms import AmountField
from budget.models import Programme
from budget.money import euro
from config.routers import reports_on_replica
from eligibility.codes import LABEL_SCALE, HouseholdType, Tenure, Tier
from eligibility.parameters import NoParametersOnDate, rule_set_on
from reports.models import Scenario
from reports.scenarios import (
    MAX_GRANT_MAXIMUM,
    MAX_GRANT_MINIMUM,
    PERCENTAGE_MAXIMUM,
    PERCENTAGE_MINIMUM,
    TAKE_UP_MAXIMUM,
    TAKE_UP_MINIMUM,
    ScenarioResult,
    ScenarioValues,
    first_qualifying_label,
    run_scenario,
    save_scenario,
    worst_non_qualifying,
)

PERMISSION = "reports.run_scenarios"
SAVED_SHOWN = 50
COMPARE_MINIMUM, COMPARE_MAXIMUM = 2, 4
LABEL_KEY = "worst_non_qualifying_label"


def _programmes():
    return Programme.objects.order_by("-starts_on", "slug")


def label_threshold(label: str) -> str:
    """"D or worse" for D; the worst label on its own."""
    return label if label == LABEL_SCALE[-1] else _("%(label)s or worse") % {"label": label}


class ScenarioForm(forms.Form):
    """The rule values of a scenario; validated here with a sentence per field, refused again by the service."""

    programme = forms.ModelChoiceField(label=gettext_lazy("Programme"), queryset=Programme.objects.none(),
                                       to_field_name="slug", empty_label=None)
    income_percentage = AmountField(
        label=gettext_lazy("Income limit (percentage of the social minimum)"), max_digits=6, decimal_places=2,
        min_value=PERCENTAGE_MINIMUM, max_value=PERCENTAGE_MAXIMUM,
        help_text=gettext_lazy("In force: the programme's rule set of today (e.g. 130)."))
    label_from = forms.ChoiceField(
        label=gettext_lazy("Energy labels that qualify"),
        help_text=gettext_lazy("The best label that still qualifies, and every worse one."))
    max_large_grant = AmountField(
        label=gettext_lazy("Maximum large grant (€)"), max_digits=12, decimal_places=2,
        min_value=MAX_GRANT_MINIMUM, max_value=MAX_GRANT_MAXIMUM)
    take_up = AmountField(
        label=gettext_lazy("Expected take-up of the large measure (%)"), max_digits=5, decimal_places=1,
        min_value=TAKE_UP_MINIMUM, max_value=TAKE_UP_MAXIMUM, required=False,
        help_text=gettext_lazy("Of the households newly eligible for the large measure, the share expected to "
                               "apply. Empty: the take-up so far (see below how it is computed)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = _programmes()
        self.fields["label_from"].choices = [(label, label_threshold(label)) for label in LABEL_SCALE[1:]]
        percentage = _("Give an income percentage from %(low)s to %(high)s.") % {
            "low": PERCENTAGE_MINIMUM, "high": PERCENTAGE_MAXIMUM}
        grant = _("Give a maximum grant from %(low)s to %(high)s.") % {
            "low": euro(MAX_GRANT_MINIMUM), "high": euro(MAX_GRANT_MAXIMUM)}
        take_up = _("Give a take-up from %(low)s to %(high)s percent, or leave it empty.") % {
            "low": TAKE_UP_MINIMUM, "high": TAKE_UP_MAXIMUM}
        for name, sentence in (("income_percentage", percentage), ("max_large_grant", grant), ("take_up", take_up)):
            for code in ("min_value", "max_value", "max_digits", "max_whole_digits"):
                self.fields[name].error_messages[code] = sentence
        self.fields["max_large_grant"].error_messages["max_decimal_places"] = _(
            "The amount may have at most two decimals (whole cents).")

    def values(self) -> ScenarioValues:
        data = self.cleaned_data
        return ScenarioValues(income_percentage=data["income_percentage"],
                              worst_non_qualifying_label=worst_non_qualifying(data["label_from"]),
                              max_large_grant=data["max_large_grant"], take_up=data["take_up"])


class SaveForm(ScenarioForm):
    name = forms.CharField(label=gettext_lazy("Name of the scenario"), max_length=200,
                           error_messages={"required": gettext_lazy("Give the scenario a name to save it.")})


def _initial(programme: Programme) -> dict:
    """The form's values: those in force today, so a run without changes changes nobody (none before the first
    rule set: running then says why)."""
    try:
        rules = rule_set_on(programme, timezone.localdate())
    except NoParametersOnDate:
        return {"programme": programme}
    return {"programme": programme, "income_percentage": rules.income_percentage,
            "label_from": first_qualifying_label(rules.worst_non_qualifying_label),
            "max_large_grant": rules.max_large_grant}


def _programme_asked_for(request) -> Programme:
    slug = request.GET.get("programme")
    programme = _programmes().filter(slug=slug).first() if slug else _programmes().first()
    if programme is None:
        raise Http404("No programme yet: load the reference data (manage.py load_reference_data).")
    return programme


def _run(form) -> ScenarioResult | None:
    """The scenario of a valid form, or None with the refusal on its field."""
    try:
        with reports_on_replica():
            return run_scenario(form.cleaned_data["programme"], form.values())
    except Refused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
        return None


def _labelled(rows, labels: dict) -> list[dict]:
    return [{"label": labels.get(row.key) or _("Not recorded"), "row": row,
             "cells": [row.moves[str(tier)] for tier in Tier]} for row in rows]


def result_context(result: ScenarioResult) -> dict:
    """What the result's partial shows: the numbers, their labels and the bars' widths (0–100)."""
    tiers = [{"count": count, "label": Tier(count.tier).label,
              "now_width": progress(count.eligible_now, result.households),
              "scenario_width": progress(count.eligible_scenario, result.households)} for count in result.tiers]
    products, grants = result.products, result.grants
    return {
        "result": result,
        "tiers": tiers,
        "tier_labels": [Tier(tier).label for tier in Tier],
        "by_household_type": _labelled(result.by_household_type, dict(HouseholdType.choices)),
        "by_tenure": _labelled(result.by_tenure, dict(Tenure.choices)),
        "label_now": label_threshold(first_qualifying_label(result.in_force.worst_non_qualifying_label)),
        "label_scenario": label_threshold(first_qualifying_label(result.scenario.worst_non_qualifying_label)),
        "products_bars": _budget_bars(products.available, products.cost, products.allocated),
        "grants_bars": _budget_bars(grants.available, grants.cost, grants.allocated),
        "products_left": products.available - products.cost,
        "grants_left": grants.available - grants.cost,
    }


def _budget_bars(available: Decimal, cost: Decimal, allocated: Decimal) -> dict:
    return {"available": progress(max(available, Decimal(0)), allocated), "cost": progress(cost, allocated),
            "short": cost > available}


@login_required
@require_GET
def scenarios(request):
    """The form; with its values given, the scenario on the register now."""
    ensure_may(request.user, PERMISSION)
    result = None
    if "income_percentage" in request.GET:
        form = ScenarioForm(request.GET)
        if form.is_valid():
            result = _run(form)
        programme = form.cleaned_data.get("programme") if hasattr(form, "cleaned_data") else None
        programme = programme or _programme_asked_for(request)
    else:
        programme = _programme_asked_for(request)
        form = ScenarioForm(initial=_initial(programme))
    return _page(request, form, programme, result)


def _page(request, form, programme, result, save_form=None, status=200):
    saved = Scenario.objects.filter(programme=programme).select_related("created_by")[:SAVED_SHOWN]
    context = {"form": form, "programme": programme, "saved": [
        {"scenario": row, "labels": label_threshold(first_qualifying_label(row.parameters[LABEL_KEY]))}
        for row in saved]}
    if result is not None:
        context.update(result_context(result))
        context["save_form"] = save_form or SaveForm(initial={**form.cleaned_data, "programme": programme})
    return render(request, "reports/scenarios/page.html", context, status=status)


@login_required
@require_POST
def save(request):
    """Store the scenario (run again on the register as it is now); back to its page."""
    ensure_may(request.user, PERMISSION)
    form = SaveForm(request.POST)
    if form.is_valid():
        try:
            scenario = save_scenario(form.cleaned_data["programme"], form.values(), name=form.cleaned_data["name"],
                                     by=request.user)
        except Refused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
        else:
            return redirect("reports:scenario", pk=scenario.pk)
    programme = (form.cleaned_data.get("programme") if hasattr(form, "cleaned_data") else None) \
        or _programme_asked_for(request)
    run_form = ScenarioForm(request.POST)
    result = _run(run_form) if run_form.is_valid() else None
    return _page(request, run_form, programme, result, save_form=form)


@login_required
@require_GET
def scenario(request, pk: int):
    """A saved scenario, with the results it had when it was saved."""
    ensure_may(request.user, PERMISSION)
    saved = get_object_or_404(Scenario.objects.select_related("programme", "created_by"), pk=pk)
    return render(request, "reports/scenarios/scenario.html",
                  {"scenario": saved, **result_context(ScenarioResult.from_record(saved.results))})


@login_required
@require_GET
def compare(request):
    """Two to four saved scenarios side by side (chosen with the checkboxes of the scenarios page)."""
    ensure_may(request.user, PERMISSION)
    given = request.GET.getlist("scenarios")
    keys = sorted({int(key) for key in given}) if all(is_id(key) for key in given) else []
    chosen = list(Scenario.objects.filter(pk__in=keys).select_related("programme", "created_by").order_by("pk"))
    error = None
    if not COMPARE_MINIMUM <= len(chosen) <= COMPARE_MAXIMUM:
        error = _("Choose from %(low)d to %(high)d saved scenarios to compare.") % {
            "low": COMPARE_MINIMUM, "high": COMPARE_MAXIMUM}
        chosen = []
    columns = [{"scenario": saved, **result_context(ScenarioResult.from_record(saved.results))} for saved in chosen]
    rows = [{"label": Tier(tier).label, "cells": [column["result"].tier(str(tier)) for column in columns]}
            for tier in Tier]
    return render(request, "reports/scenarios/compare.html", {"columns": columns, "tier_rows": rows, "error": error},
                  status=200)


urlpatterns = [
    path("rapportage/wat-als/", scenarios, name="scenarios"),
    path("rapportage/wat-als/bewaren/", save, name="scenario_save"),
    path("rapportage/wat-als/vergelijken/", compare, name="scenario_compare"),
    path("rapportage/wat-als/<int:pk>/", scenario, name="scenario"),
]
