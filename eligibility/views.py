"""The public pages: "Kom ik in aanmerking?" (self-check) and the DIY calculator. No login, nothing stored.

Staff use the same pages. Assessing a household (stored) is a POST from the household page, to the
households app (`households:assess`), which passes the household to `eligibility.services.record_assessment`.
"""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.htmx import render_page_or_fragment
from eligibility.forms import DiyCalculatorForm, SelfCheckForm
from eligibility.parameters import NoParametersOnDate
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
