"""The coordinator's package pages: the catalogue (products, dated prices), packages waiting for a decision
(override or decline), and the figures (average package value per dwelling against the limit).

The catalogue and the decisions are the coordinator's (`subsidy.manage_catalogue`, `subsidy.decide_package`), the
figures also finance's (`subsidy.view_package_figures`); everyone else gets 403 (none of these pages is about a
household of theirs). A page shows one programme: the one asked for (?programme=slug) or the most recent
(`budget.views.programme_asked_for`), with a chooser when there are several. A service's refusal comes back on its
form's field with nothing changed; a package decided meanwhile comes back as a message at the top (409).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.audit import today_of_acts
from accounts.errors import Conflict, Refused
from accounts.roles import is_coordinator
from budget.charts import progress, stacked_bar
from budget.models import Programme
from budget.money import euro
from budget.views import programme_asked_for
from households.rules import works_on
from subsidy import catalogue_forms as forms
from subsidy import packages, selectors
from subsidy.models import Package, Product

# --- Shared ---------------------------------------------------------------------------------------------------


def _require(request: HttpRequest, permission: str, obj=None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(permission)


def _programmes():
    return Programme.objects.order_by("-starts_on", "slug")


def _put_error(form, error: Refused) -> None:
    """A service's refusal on the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


def _with_programme(url_name: str, programme: Programme, **kwargs) -> str:
    return f"{reverse(url_name, kwargs=kwargs or None)}?programme={programme.slug}"


# --- The catalogue --------------------------------------------------------------------------------------------


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """The programme's products per tier: today's unit price, a price scheduled for later, active or not."""
    _require(request, "subsidy.manage_catalogue")
    programme = programme_asked_for(request)
    today = today_of_acts()
    return render(request, "subsidy/catalogue.html", {
        "programme": programme, "programmes": _programmes(), "today": today,
        "products": selectors.catalogue_for_editing(programme, today)})


@login_required
def add_product(request: HttpRequest) -> HttpResponse:
    """A new product with its first price; afterwards its own page."""
    _require(request, "subsidy.manage_catalogue")
    programme = programme_asked_for(request)
    form = forms.ProductForm(request.POST if request.method == "POST" else None,
                             initial={"valid_from": today_of_acts()})
    if form.is_bound and form.is_valid():
        try:
            product = packages.add_product(programme, by=request.user, **form.cleaned_data)
        except Refused as error:
            _put_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is in the catalogue, at %(price)s from %(day)s.") % {
                "name": product.name, "price": euro(form.cleaned_data["unit_price"]),
                "day": formats.date_format(form.cleaned_data["valid_from"])})
            return redirect("subsidy:edit_product", pk=product.pk)
    return render(request, "subsidy/catalogue_add.html", {"programme": programme, "programmes": _programmes(),
                                                          "form": form})


def _product(pk: int) -> Product:
    return get_object_or_404(Product.objects.select_related("programme"), pk=pk)


def _product_page(request: HttpRequest, product: Product, *, form=None, price_form=None) -> HttpResponse:
    today = today_of_acts()
    history = list(selectors.price_history(product))
    # The price in force today: the latest one from today or before (the history is latest first).
    current = next((price for price in history if price.valid_from <= today), None)
    form = form or forms.ProductChangeForm(initial={"name": product.name, "unit": product.unit,
                                                    "position": product.position, "active": product.active})
    price_form = price_form or forms.PriceForm(initial={"valid_from": today})
    return render(request, "subsidy/catalogue_product.html", {
        "product": product, "programme": product.programme, "form": form, "price_form": price_form,
        "history": history, "current": current, "today": today})


@login_required
def edit_product(request: HttpRequest, pk: int) -> HttpResponse:
    """A product's name, unit, position and active flag; its price history and a new price (`set_price`)."""
    _require(request, "subsidy.manage_catalogue")
    product = _product(pk)
    if request.method != "POST":
        return _product_page(request, product)
    form = forms.ProductChangeForm(request.POST)
    if form.is_valid():
        try:
            packages.change_product(product, by=request.user, **form.cleaned_data)
        except Refused as error:
            _put_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": form.cleaned_data["name"]})
            return redirect("subsidy:edit_product", pk=product.pk)
    return _product_page(request, product, form=form)


@login_required
@require_POST
def set_price(request: HttpRequest, pk: int) -> HttpResponse:
    """A new unit price from a date on; what was proposed or installed keeps its price."""
    _require(request, "subsidy.manage_catalogue")
    product = _product(pk)
    price_form = forms.PriceForm(request.POST)
    if price_form.is_valid():
        data = price_form.cleaned_data
        try:
            packages.set_price(product, by=request.user, unit_price=data["unit_price"], valid_from=data["valid_from"])
        except Refused as error:
            _put_error(price_form, error)
        else:
            messages.success(request, _("“%(name)s” costs %(price)s from %(day)s on.") % {
                "name": product.name, "price": euro(data["unit_price"]),
                "day": formats.date_format(data["valid_from"])})
            return redirect("subsidy:edit_product", pk=product.pk)
    return _product_page(request, product, price_form=price_form)


# --- Packages waiting for a decision --------------------------------------------------------------------------


def _why_not_decide(user, package: Package) -> str:
    """Why this coordinator may not decide this package (`subsidy.decide_package`), or ""."""
    if user.has_perm("subsidy.decide_package", package):
        return ""
    if is_coordinator(user) and works_on(user, package.household):
        return _("You work on this household (as its handyman or community worker): another coordinator decides.")
    return _("You may not decide this package.")


WAITING_ON_A_PAGE = 20


def _waiting_page(request: HttpRequest, programme: Programme, *, bound: forms.DecisionForm | None = None,
                  bound_pk: int | None = None, refusal: str = "", status: int = 200) -> HttpResponse:
    # A page of them, oldest first (the one whose form came back is shown wherever it stands).
    page_obj = Paginator(selectors.packages_waiting_with_items(programme), WAITING_ON_A_PAGE).get_page(
        request.GET.get("page"))
    shown = list(page_obj)
    if bound_pk is not None and all(package.pk != bound_pk for package in shown):
        shown = [*selectors.packages_waiting_with_items(programme).filter(pk=bound_pk), *shown]
    rows = []
    for package in shown:
        form = bound if package.pk == bound_pk and bound is not None else forms.DecisionForm(
            prefix=f"package-{package.pk}", initial={"version": package.version})
        rows.append({"package": package, "form": form, "why_not": _why_not_decide(request.user, package)})
    return render(request, "subsidy/packages_waiting.html", {
        "programme": programme, "programmes": _programmes(), "rows": rows, "refusal": refusal,
        "page_obj": page_obj, "querystring": f"programme={programme.slug}",
        "may_see_figures": request.user.has_perm("subsidy.view_package_figures")}, status=status)


@login_required
@require_GET
def packages_waiting(request: HttpRequest) -> HttpResponse:
    """Each package above the limit per dwelling with what the coordinator needs to decide it, and its form."""
    _require(request, "subsidy.decide_package")  # the coordinator; per package: not for a household they work on
    return _waiting_page(request, programme_asked_for(request))


@login_required
@require_POST
def decide_package(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve the package above the limit with the reason recorded (its value is committed), or decline it."""
    _require(request, "subsidy.decide_package")
    package = get_object_or_404(Package.objects.select_related("household", "programme"), pk=pk)
    programme = package.programme
    why_not = _why_not_decide(request.user, package)
    if why_not:
        return _waiting_page(request, programme, refusal=why_not, status=403)
    if package.status != Package.Status.OVERRIDE_REQUESTED:
        return _waiting_page(request, programme, status=409, refusal=_(
            "Package %(number)s no longer waits for a decision (it is “%(status)s”); nothing was changed.")
            % {"number": package.pk, "status": package.get_status_display()})
    form = forms.DecisionForm(request.POST, prefix=f"package-{package.pk}")
    if form.is_valid():
        data = form.cleaned_data
        act = packages.approve_override if data["decision"] == forms.APPROVE else packages.decline
        try:
            package = act(package, by=request.user, reason=data["reason"], version=data["version"])
        except Refused as error:
            _put_error(form, error)
        except Conflict as error:
            return _waiting_page(request, programme, refusal=str(error), status=409)
        else:
            done = (_("Package %(number)s of %(household)s is approved above the limit; %(value)s is committed.")
                    if package.status == Package.Status.APPROVED else
                    _("Package %(number)s of %(household)s is declined; the handyman can propose what fits."))
            messages.success(request, done % {"number": package.pk, "household": package.household.reference,
                                              "value": euro(package.value)})
            return redirect(_with_programme("subsidy:packages_waiting", programme))
    return _waiting_page(request, programme, bound=form, bound_pk=package.pk)


# --- The figures ----------------------------------------------------------------------------------------------


def _gauge(average: Decimal | None, limit: Decimal) -> dict:
    """The average against the limit on one scale (the larger of the two fills it): the part within the limit, the
    part above it (from `above_x`), and the limit's mark, each 0–100."""
    average = average or Decimal("0.00")
    scale = max(average, limit)
    within = progress(min(average, limit), scale)
    return {"within": within, "above_x": within, "above": progress(max(average - limit, 0), scale),
            "limit_x": progress(limit, scale),
            "percentage": (average * 100 / limit).quantize(Decimal("1"), ROUND_HALF_UP) if limit else None}


def _distribution(figures: selectors.PackageFigures) -> list[dict]:
    most = max((band.dwellings for band in figures.bands), default=0)
    return [{"band": band, "width": progress(band.dwellings, most)} for band in figures.bands]


@login_required
@require_GET
def package_figures(request: HttpRequest) -> HttpResponse:
    """The average installed value per dwelling against the limit, its distribution, the overrides, the packages
    waiting and the products line."""
    _require(request, "subsidy.view_package_figures")
    programme = programme_asked_for(request)
    today = today_of_acts()
    figures = selectors.package_figures(programme, today)
    return render(request, "subsidy/package_figures.html", {
        "programme": programme, "programmes": _programmes(), "today": today, "figures": figures,
        "gauge": _gauge(figures.average, figures.limit), "distribution": _distribution(figures),
        "overrides": selectors.overrides(programme)[:selectors.OVERRIDES_SHOWN],
        "balance": figures.line.balance(), "line_bar": stacked_bar(figures.line.balance()),
        "may_decide": request.user.has_perm("subsidy.decide_package"),
        "may_see_ledger": request.user.has_perm("budget.view_ledger")})


urlpatterns = [
    path("producten/", catalogue, name="catalogue"),
    path("producten/nieuw/", add_product, name="add_product"),
    path("producten/<int:pk>/", edit_product, name="edit_product"),
    path("producten/<int:pk>/prijs/", set_price, name="set_price"),
    path("pakketten/wachtend/", packages_waiting, name="packages_waiting"),
    path("pakketten/<int:pk>/beslissen/", decide_package, name="decide_package"),
    path("pakketten/cijfers/", package_figures, name="package_figures"),
]
