"""Read-side queries for large-measure applications: who sees which, the lists, the queue and their counts.

Scoping follows the household (`subsidy.view_application`): assessors, finance officers and the coordinator see
every application; handymen and community workers those of the households they work on
(`households.rules.households_worked_on_by`, the same predicate as the household register).

The queue (DESIGN.md, "The large-measure application: states"): applications awaiting a decision, the running
ones by deadline (the nearest first), then those whose term is suspended while the applicant provides
information, by the day they were paused.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from budget.fields import AmountField, amount_value
from budget.models import BudgetLine
from budget.money import to_cents
from eligibility.parameters import rule_set_on
from households.models import Household
from households.rules import households_worked_on_by
from households.selectors import of_households_visible_to
from subsidy import deadlines
from subsidy.models import (
    DEADLINE_ORDER,
    Application,
    Package,
    PackageItem,
    Product,
    ProductPrice,
    ProductTier,
    queue_group,
)
from subsidy.packages import catalogue, packages_waiting, products_line

S = Application.Status

def applications_visible_to(user) -> QuerySet[Application]:
    """The applications `user` may see (the list-level twin of `subsidy.view_application`)."""
    return of_households_visible_to(user, Application.objects.with_list_details())


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=Application.AWAITING_DECISION, decision_due_on__lt=today)


def due_soon_q(today: datetime.date, days: int = deadlines.NEAR_DUE_DAYS) -> Q:
    return Q(status__in=Application.AWAITING_DECISION, decision_due_on__gte=today,
             decision_due_on__lte=today + datetime.timedelta(days=days))


def by_deadline(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Awaiting a decision by deadline (the nearest first), the suspended ones after them by the day they were
    paused; then the others, newest first (the order of the index `application_by_deadline`)."""
    return applications.order_by(queue_group(), *DEADLINE_ORDER)


def search_applications(applications: QuerySet[Application], *, today: datetime.date, status: str = "",
                        overdue: bool = False, due_soon: bool = False, measure: str = "", route: str = "",
                        q: str = "") -> QuerySet[Application]:
    """The list's filters; each one given narrows the list."""
    if status:
        applications = applications.filter(status=status)
    if overdue:
        applications = applications.filter(overdue_q(today))
    if due_soon:
        applications = applications.filter(due_soon_q(today))
    if measure:
        applications = applications.filter(measure=measure)
    if route:
        applications = applications.filter(route=route)
    q = q.strip()
    if q:
        applications = applications.filter(Q(reference__icontains=q) | Q(applicant_name__icontains=q))
    return by_deadline(applications)


def application_counts(applications: QuerySet[Application], today: datetime.date) -> dict:
    """How many applications there are per state, overdue and due within the week, in one query.

    {"total", "overdue", "due_soon", "awaiting", "by_status": {status: n}}.
    """
    counts = applications.order_by().aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_q(today)),
        due_soon=Count("pk", filter=due_soon_q(today)),
        awaiting=Count("pk", filter=Q(status__in=Application.AWAITING_DECISION)),
        **{f"status_{status}": Count("pk", filter=Q(status=status)) for status in S.values},
    )
    return {"total": counts["total"], "overdue": counts["overdue"], "due_soon": counts["due_soon"],
            "awaiting": counts["awaiting"],
            "by_status": {status: counts[f"status_{status}"] for status in S.values}}


def queue(applications: QuerySet[Application]) -> QuerySet[Application]:
    """The assessor's queue: submitted, in review and information requested, by deadline."""
    return by_deadline(applications.filter(status__in=Application.AWAITING_DECISION))


def with_urgency(applications, today: datetime.date) -> list[Application]:
    """The rows, each awaiting a decision with its `urgency` against its deadline (None for the others)."""
    rows = list(applications)
    for application in rows:
        application.urgency = (deadlines.urgency(application.decision_due_on, today)
                               if application.is_awaiting_decision else None)
    return rows


def applications_of_household(household) -> QuerySet[Application]:
    """A household's applications, newest first (the household page's section)."""
    return Application.objects.filter(household=household).order_by("-created_at", "-pk")


def grant_valid_until(application: Application) -> tuple[int, datetime.date] | None:
    """The rule set's validity (months, as of the submission) and the last day to request the payout of a decided
    grant; None before a decision."""
    if application.decided_at is None:
        return None
    decided_on = timezone.localdate(application.decided_at)
    submitted_on = timezone.localdate(application.submitted_at) if application.submitted_at else decided_on
    months = rule_set_on(application.programme, submitted_on).grant_validity_months
    return months, deadlines.add_months(decided_on, months)


# --- Products packages: the coordinator's catalogue, the packages waiting for a decision, and their figures -------
#
# Override: a package above what was left of the limit per dwelling that the coordinator approved (with a recorded
#     reason); it counts while approved or installed (a cancelled one received nothing).
# Value per dwelling: what the installed packages of one dwelling installed, together (a second package adds to
#     the first). The average is over the dwellings equipped: those with at least one installed package.
# Bands: the distribution of the value per dwelling in steps of €50 from €0 up to the limit (the last step ends at
#     the limit and includes it), and one band above the limit.

BAND_WIDTH = Decimal("50.00")
OVERRIDES_SHOWN = 50


def catalogue_for_editing(programme, day: datetime.date) -> QuerySet[Product]:
    """Every product of the programme, active or not, small measures first, each with its unit price on `day`
    (`price`) and the first price scheduled after `day` (`next_price` from `next_price_from`), in one query."""
    later = ProductPrice.objects.filter(product=OuterRef("pk"), valid_from__gt=day).order_by("valid_from")
    small_first = Case(When(tier=ProductTier.SMALL, then=Value(0)), default=Value(1))
    return (catalogue(programme, day, active_only=False)
            .annotate(next_price=Subquery(later.values("unit_price")[:1], output_field=AmountField()),
                      next_price_from=Subquery(later.values("valid_from")[:1]), tier_order=small_first)
            .order_by("tier_order", "position", "name", "pk"))


def price_history(product: Product) -> QuerySet[ProductPrice]:
    """A product's prices, the latest date first, with who set them."""
    return product.prices.select_related("set_by").order_by("-valid_from")


def packages_waiting_with_items(programme) -> QuerySet[Package]:
    """The programme's packages waiting for the coordinator, oldest first, with their household, dwelling,
    handyman and items (a fixed number of queries however many there are)."""
    items = PackageItem.objects.select_related("product").order_by("tier", "product__position", "pk")
    return packages_waiting(programme).prefetch_related(Prefetch("items", queryset=items))


def packages_waiting_for(user) -> QuerySet[Package]:
    """Packages waiting for a decision that `user` may take: not of a household they work on
    (`subsidy.decide_package`)."""
    return Package.objects.waiting_for_decision().exclude(
        household__in=Household.objects.filter(households_worked_on_by(user)).values("pk"))


def overrides_q() -> Q:
    return Q(decided_by__isnull=False, status__in=(Package.Status.APPROVED, Package.Status.INSTALLED))


def overrides(programme) -> QuerySet[Package]:
    """The programme's overrides, the latest decision first, with who decided."""
    return (Package.objects.filter(overrides_q(), programme=programme).with_list_details()
            .order_by("-decided_at", "-pk"))


@dataclass(frozen=True)
class Band:
    """Dwellings whose value lies from `low` up to `high` (`high` itself only for the last band within the limit;
    `high` None: above the limit)."""

    low: Decimal
    high: Decimal | None
    dwellings: int

    @property
    def above_limit(self) -> bool:
        return self.high is None


def band_edges(limit: Decimal, width: Decimal = BAND_WIDTH) -> list[tuple[Decimal, Decimal | None]]:
    """(low, high) per band: €0–50, €50–100, …, up to the limit, then (limit, None)."""
    edges, low = [], Decimal("0.00")
    while low < limit:
        edges.append((low, min(low + width, limit)))
        low += width
    return [*edges, (limit, None)]


def _in_band(low: Decimal, high: Decimal | None, limit: Decimal) -> Q:
    if high is None:
        return Q(total__gt=limit)
    return Q(total__gte=low) & (Q(total__lte=high) if high == limit else Q(total__lt=high))


@dataclass(frozen=True)
class InstalledValue:
    dwellings: int  # equipped: with at least one of the packages installed
    total: Decimal
    average: Decimal | None  # per dwelling equipped; None: none
    bands: list[Band]


def installed_value(packages: QuerySet[Package], limit: Decimal) -> InstalledValue:
    """What the installed ones of `packages` installed per dwelling: the dwellings, the total, the average per
    dwelling and the bands against `limit`, in one query (the packages' figures and the programme report)."""
    edges = band_edges(limit)
    per_dwelling = (packages.filter(status=Package.Status.INSTALLED).order_by()
                    .values("household").annotate(total=Sum("installed_value")))
    installed = per_dwelling.aggregate(
        total_value=Sum("total"), dwellings=Count("household"),
        **{f"band_{index}": Count("household", filter=_in_band(low, high, limit))
           for index, (low, high) in enumerate(edges)})
    dwellings = installed["dwellings"] or 0
    total = installed["total_value"] or Decimal("0.00")
    return InstalledValue(
        dwellings=dwellings, total=total, average=to_cents(total / dwellings) if dwellings else None,
        bands=[Band(low, high, installed[f"band_{index}"]) for index, (low, high) in enumerate(edges)])


@dataclass(frozen=True)
class PackageFigures:
    limit: Decimal
    dwellings_equipped: int
    installed_total: Decimal
    average: Decimal | None  # None: no dwelling equipped yet
    bands: list[Band]
    overrides: int
    overrides_above_limit: Decimal  # together, what the overrides approved above what was left
    waiting: int
    line: BudgetLine

    @property
    def average_above_limit(self) -> bool:
        return self.average is not None and self.average > self.limit


def package_figures(programme, day: datetime.date) -> PackageFigures:
    """The packages' figures on `day` against the rule set's limit per dwelling of that day, from aggregate
    queries: their number does not grow with the packages."""
    limit = rule_set_on(programme, day).products_limit_per_dwelling
    installed = installed_value(Package.objects.filter(programme=programme), limit)
    left_when_proposed = Greatest(F("limit") - F("received_before"), amount_value(Decimal("0.00")))
    decisions = Package.objects.filter(programme=programme).aggregate(
        overrides=Count("pk", filter=overrides_q()),
        above_limit=Sum(F("value") - left_when_proposed, filter=overrides_q()),
        waiting=Count("pk", filter=Q(status=Package.Status.OVERRIDE_REQUESTED)))
    return PackageFigures(
        limit=limit, dwellings_equipped=installed.dwellings, installed_total=installed.total,
        average=installed.average, bands=installed.bands,
        overrides=decisions["overrides"], overrides_above_limit=decisions["above_limit"] or Decimal("0.00"),
        waiting=decisions["waiting"], line=products_line(programme))
