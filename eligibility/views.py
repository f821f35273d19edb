"""The public pages: "Kom ik in aanmerking?" (self-check) and the DIY calculator. No login, nothing stored.

Staff use the same pages. Assessing a household (stored) is a POST from the household page.
"""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.htmx import render_page_or_fragment
from eligibility.forms import DiyCalculatorForm, SelfCheckForm
from eligibility.parameters import NoParametersOnDate
from eligibility.services import assess_household as assess
from eligibility.services import calculate_diy_grant, check_eligibility


@require_http_methods(["GET", "POST"])
def self_check(request):
    """Household type, income (or the energy-allowance letter), label and tenure → the result per tier.

    POST, not GET: the income should not end up in addresses and server logs.
    """
    result = None
    if request.method == "POST":
        form = SelfCheckForm(request.POST)
        if form.is_valid():
            try:
                result = check_eligibility(form.cleaned_data["programme"], form.cleaned_data["date"],
                                           form.circumstances())
            except NoParametersOnDate as error:
                form.add_error("date", str(error))
    else:
        form = SelfCheckForm()
    return render(request, "eligibility/self_check.html", {"form": form, "result": result})


@require_http_methods(["GET"])
def diy_calculator(request):
    """The DIY grant, recalculated as the area is typed (htmx swaps in `_diy_result.html`)."""
    calculation = None
    form = DiyCalculatorForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            calculation = calculate_diy_grant(data["programme"], data["date"], data["measure"], data["area_m2"])
        except NoParametersOnDate as error:
            form.add_error("date", str(error))
    context = {"form": form, "calculation": calculation}
    return render_page_or_fragment(request, "eligibility/diy_calculator.html", "eligibility/_diy_result.html", context)


@login_required
@require_POST
def assess_household(request, pk: int):
    """Assess (or reassess) a household now and go back to its page.

    A household the user may not see is a 404, as on the household pages; one they see but may not
    assess (a finance officer) is a 403 from the service.
    """
    household_model = apps.get_model("households", "Household")  # by name: eligibility does not import households
    household = get_object_or_404(household_model.objects.select_related("programme", "dwelling"), pk=pk)
    if not request.user.has_perm("households.view_household", household):
        raise Http404
    try:
        assessment = assess(household, by=request.user)
    except NoParametersOnDate as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Eligibility assessed with the rules valid on %(date)s.")
                         % {"date": assessment.reference_date.isoformat()})
    return redirect("households:detail", pk=household.pk)
