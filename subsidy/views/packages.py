"""The handyman's products package pages: proposing products with − / + against what is left of the limit per
dwelling, a package's page, cancelling, and the household page's packages section.

What is left: the limit per dwelling (the rule set's €330) less what the dwelling already received
(`subsidy.packages.allowance`). The pages show it as a bar: received | this package within what is left | above
it | still left. A package above what is left goes to the coordinator; the page says so before it is sent.

A household or package the user may not see answers 404 (its existence is not revealed); one they may see but not
act on answers 403. The proposal page works without script (number fields; the total is computed here when the
form comes back with errors); static/js/packages.js adds the − / + buttons' behaviour and the live total.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from accounts.audit import history_of
from accounts.errors import Conflict, Refused
from accounts.templatetags.people import person
from budget.models import LedgerEntry
from budget.money import euro
from households.models import Household
from households.selectors import households_visible_to
from households.viewlog import log_household_page
from subsidy import packages
from subsidy.models import Package, ProductTier
from subsidy.package_forms import CancelPackageForm, ProposalForm, quantity_field_name

S = Package.Status
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")

TIER_HEADINGS = {ProductTier.SMALL: gettext_lazy("Small measures"), ProductTier.MEDIUM: gettext_lazy("Medium measures")}

EVENT_LABELS = {
    "package.proposed": pgettext_lazy("package event", "proposed"),
    "package.approve": pgettext_lazy("package event", "approved at once, within what was left of the limit"),
    "package.request_override": pgettext_lazy("package event", "sent to the coordinator: above the limit"),
    "package.approve_override": pgettext_lazy("package event", "approved above the limit"),
    "package.decline": pgettext_lazy("package event", "declined"),
    "package.install": pgettext_lazy("package event", "installed"),
    "package.cancel": pgettext_lazy("package event", "cancelled"),
}


# --- What is left of the limit, as a bar ----------------------------------------------------------------------


def _percent(part: Decimal, whole: Decimal) -> str:
    """An SVG width in a viewBox 100 wide: always with a decimal point, whatever the page's language."""
    return f"{(part * HUNDRED / whole):.2f}" if whole > 0 else "0.00"


@dataclass(frozen=True)
class AllowanceBar:
    """The limit per dwelling, what the dwelling received, and a package's value (`proposed`) against what is left.

    The bar is drawn on a scale of the limit, or of all together when they go above it: received | the package
    within what is left | the package above it | still left, with a mark at the limit.
    """

    limit: Decimal
    received: Decimal
    proposed: Decimal = ZERO

    @property
    def left(self) -> Decimal:
        return max(self.limit - self.received, ZERO)

    @property
    def within(self) -> Decimal:
        return min(self.proposed, self.left)

    @property
    def above(self) -> Decimal:
        return max(self.proposed - self.left, ZERO)

    @property
    def left_after(self) -> Decimal:
        return max(self.left - self.proposed, ZERO)

    @property
    def scale(self) -> Decimal:
        return max(self.limit, self.received + self.proposed)

    def widths(self) -> dict[str, str]:
        """Each part's x and width in the SVG's 100 units, and the amounts the script starts from."""
        received, within, above = self.received, self.within, self.above
        return {
            "received": _percent(received, self.scale),
            "within_x": _percent(received, self.scale), "within": _percent(within, self.scale),
            "above_x": _percent(received + within, self.scale), "above": _percent(above, self.scale),
            "limit_x": _percent(self.limit, self.scale),
            # For static/js/packages.js, which redraws the bar as the quantities change.
            "limit_amount": f"{self.limit:.2f}", "received_amount": f"{self.received:.2f}",
        }


def _bar(allowance: packages.Allowance, proposed: Decimal = ZERO) -> AllowanceBar:
    return AllowanceBar(limit=allowance.limit, received=allowance.received, proposed=proposed)


# --- Finding the household and the package ------------------------------------------------------------------


def _visible_household(request: HttpRequest, pk: int) -> Household:
    """The household if the user may see it; 404 otherwise (its existence is not revealed)."""
    return get_object_or_404(households_visible_to(request.user), pk=pk)


def _visible_package(request: HttpRequest, pk: int) -> Package:
    """The package if the user may see it; 404 otherwise."""
    package = get_object_or_404(Package.objects.select_related(
        "household", "household__dwelling", "programme", "proposed_by", "decided_by", "installed_by", "commitment",
        "commitment__line"), pk=pk)
    if not request.user.has_perm("subsidy.view_package", package):
        raise Http404
    return package


def _require(request: HttpRequest, permission: str, obj) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(permission)


def _put_error(form, error: Refused) -> None:
    """A service's refusal on the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


# --- Proposing --------------------------------------------------------------------------------------------------


def _tiers(form: ProposalForm, closed: dict[str, str]) -> list[dict]:
    """The catalogue per tier (small first), each product with its field and what it adds up to."""
    quantities = form.quantities() if form.is_bound else {}
    tiers = []
    for tier in ProductTier:
        rows = []
        for product in (product for product in form.products if product.tier == tier):
            quantity = quantities.get(product.pk, 0)
            rows.append({"product": product, "field": form[quantity_field_name(product.pk)],
                         "line_total": (product.price or ZERO) * quantity})
        if rows:
            tiers.append({"tier": tier, "heading": TIER_HEADINGS[tier], "closed": closed.get(tier, ""), "rows": rows})
    return tiers


def _total(form: ProposalForm, closed: dict[str, str]) -> Decimal:
    """The value of what the form asks for (its valid quantities of products that may be proposed)."""
    prices = {product.pk: product.price for product in form.products
              if product.price is not None and product.tier not in closed}
    return sum((prices[pk] * quantity for pk, quantity in form.quantities().items() if pk in prices), ZERO)


def _ordered_catalogue(household: Household) -> list:
    """The programme's active products with today's price (one query), small tier first."""
    tier_order = {tier: index for index, tier in enumerate(ProductTier)}
    products = packages.catalogue(household.programme)
    return sorted(products, key=lambda product: (tier_order.get(product.tier, 99), product.position, product.name))


def _approved_or_waiting(package: Package) -> str:
    if package.status == S.APPROVED:
        return _("Package %(number)s is approved at once: it fits within what is left of the limit per dwelling, "
                 "and %(value)s is committed on the products line.") % {"number": package.pk,
                                                                         "value": euro(package.value)}
    return _("Package %(number)s goes above what is left of the limit per dwelling by %(above)s: it waits for the "
             "coordinator's decision. Nothing is committed until then.") % {"number": package.pk,
                                                                             "above": euro(package.above_limit)}


@login_required
def propose_package(request: HttpRequest, household_pk: int) -> HttpResponse:
    """The catalogue with a quantity per product against what is left of the limit per dwelling; one proposal."""
    household = _visible_household(request, household_pk)
    _require(request, "subsidy.propose_package", household)
    log_household_page(request, household)
    closed = {tier: why for tier, why in packages.tiers_open(household).items() if why}
    form = ProposalForm(request.POST or None, products=_ordered_catalogue(household), closed_tiers=closed)
    conflict, status = "", 200
    if request.method == "POST" and form.is_valid():
        try:
            package = packages.propose(household, by=request.user, items=form.quantities(),
                                       motivation=form.cleaned_data["motivation"])
        except Refused as error:
            _put_error(form, error)
        except Conflict as error:
            conflict, status = str(error), 409
        else:
            messages.success(request, _approved_or_waiting(package))
            return redirect("subsidy:package", pk=package.pk)
    bar = _bar(packages.allowance(household), _total(form, closed) if form.is_bound else ZERO)
    open_package = packages.open_package(household)
    return render(request, "subsidy/package_propose.html", {
        "household": household,
        "dwelling": getattr(household, "dwelling", None),
        "form": form,
        "tiers": _tiers(form, closed),
        "bar": bar,
        "widths": bar.widths(),
        "open_package": open_package,
        "conflict": conflict,
        "may_see_household": request.user.has_perm("households.view_household", household),
    }, status=status)


# --- A package's page, and cancelling it ----------------------------------------------------------------------


def _bookings(package: Package) -> dict:
    """The package's entries on the products line: its commitment and what drew on it (spent, released)."""
    if package.commitment_id is None:
        return {"entries": [], "committed": ZERO, "spent": ZERO, "released": ZERO}
    entries = list(LedgerEntry.objects.filter(Q(pk=package.commitment_id) | Q(refers_to_id=package.commitment_id))
                   .order_by("booked_at", "pk"))
    kind = LedgerEntry.Kind

    def total(of_kind):
        return sum((entry.amount for entry in entries if entry.kind == of_kind), ZERO)

    return {"entries": entries, "committed": total(kind.COMMITMENT), "spent": total(kind.EXPENDITURE),
            "released": total(kind.RELEASE)}


def _status_label(code: str) -> str:
    try:
        return str(S(code).label)
    except ValueError:
        return code or ""


def _timeline(package: Package) -> list[dict]:
    entries = []
    for event in history_of(package):
        data = event.data or {}
        before, after = data.get("from_status", ""), data.get("to_status", "")
        moved = bool(before and after and before != after)  # an act that changed the state: from → to
        entries.append({"at": event.at, "who": person(event.actor),
                        "label": EVENT_LABELS.get(event.action, event.action),
                        "from": _status_label(before) if moved else "", "to": _status_label(after) if moved else "",
                        "note": event.note})
    return entries


def package_context(request: HttpRequest, package: Package, *, cancel_form=None, conflict: str = "") -> dict:
    items = list(package.items.select_related("product"))
    may_cancel = package.status in Package.CANCELLABLE and request.user.has_perm("subsidy.cancel_package", package)
    return {
        "package": package,
        "household": package.household,
        "dwelling": getattr(package.household, "dwelling", None),
        "items": items,
        "installed": package.status == S.INSTALLED,
        "bar": AllowanceBar(limit=package.limit, received=package.received_before, proposed=package.value),
        "widths": AllowanceBar(limit=package.limit, received=package.received_before,
                               proposed=package.value).widths(),
        "bookings": _bookings(package),
        "timeline": _timeline(package),
        "cancel_form": (cancel_form or CancelPackageForm(initial={"version": package.version})) if may_cancel
        else None,
        "conflict": conflict,
        "may_see_household": request.user.has_perm("households.view_household", package.household),
    }


@login_required
def package_detail(request: HttpRequest, pk: int) -> HttpResponse:
    package = _visible_package(request, pk)
    log_household_page(request, package.household, detail=str(package.pk))
    return render(request, "subsidy/package.html", package_context(request, package))


@login_required
@require_POST
def cancel_package(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a package that is not installed, with the reason; an approved one's commitment is released."""
    package = _visible_package(request, pk)
    _require(request, "subsidy.cancel_package", package)
    form = CancelPackageForm(request.POST)
    if form.is_valid():
        try:
            packages.cancel(package, by=request.user, reason=form.cleaned_data["reason"],
                            version=form.cleaned_data["version"])
        except Refused as error:
            _put_error(form, error)
        except Conflict as error:
            package = _visible_package(request, pk)
            return render(request, "subsidy/package.html", package_context(request, package, conflict=str(error)),
                          status=409)
        else:
            messages.success(request, _("Package %(number)s is cancelled.") % {"number": package.pk})
            return redirect("subsidy:package", pk=package.pk)
    return render(request, "subsidy/package.html", package_context(request, package, cancel_form=form))


urlpatterns = [
    path("huishoudens/<int:household_pk>/pakket/", propose_package, name="propose_package"),
    path("pakketten/<int:pk>/", package_detail, name="package"),
    path("pakketten/<int:pk>/annuleren/", cancel_package, name="cancel_package"),
]


# --- The household page's section (registered in subsidy.apps) --------------------------------------------------


def household_section(request: HttpRequest, household: Household) -> dict | None:
    """The household's packages, what is left of the limit per dwelling, and the way to propose one for whom may
    (while no package is open)."""
    if not request.user.has_perm("households.view_household", household):
        return None
    household_packages = list(Package.objects.filter(household=household).order_by("-created_at", "-pk"))
    try:
        bar = _bar(packages.allowance(household))
    except Refused:  # no rule set on this day: no limit to show
        bar = None
    open_package = next((package for package in household_packages if package.is_open), None)
    may_propose = open_package is None and request.user.has_perm("subsidy.propose_package", household)
    return {
        "packages": household_packages,
        "bar": bar,
        "widths": bar.widths() if bar else {},
        "open_package": open_package,
        "propose_url": reverse("subsidy:propose_package", args=[household.pk]) if may_propose else "",
    }
