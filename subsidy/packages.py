"""The business acts on a dwelling's products package, and the catalogue they read (DESIGN.md, "The products
package: states"; DOMAIN.md, "The offer").

The limit per dwelling is the rule set's `products_limit_per_dwelling` (Hilversum: €330) on the day a package is
proposed; what the dwelling already received counts against it: installed packages with what they installed,
an approved one with its value. A package within what is left is approved by the rules at once; above it, it
waits for the coordinator (an override, approved with a recorded reason, or declined).

Small items need the household's latest assessment to find it eligible for the small tier, medium items for the
medium tier; medium items are refused while the dwelling has a large-measure application in progress or granted
(DOMAIN.md: the large measure comes *instead of* the medium one).

Each act is one transaction: lock the package (compare the version the page or API saw), check who acts
(`subsidy.rules`), check the state, transition, book on the energy-saving-products line through
`budget.services` (approval commits; installing spends what was installed and releases the rest; cancelling an
approved package releases it), and record one event. Bookings that follow from the rules or from a handyman's
act are booked by the system (`by=None`); the package's history says who acted.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from accounts.audit import now_of_acts, record_event, today_of_acts
from accounts.errors import Conflict, NotAllowed, Refused
from accounts.roles import ensure_may
from accounts.text import entered_text, no_control_characters
from budget import services as budget
from budget.exceptions import BudgetError
from budget.fields import AmountField, amount_value
from budget.models import BudgetLine
from eligibility.codes import Status
from eligibility.models import Assessment
from eligibility.parameters import rule_set_on
from households.models import Household
from subsidy import acts
from subsidy.models import MAX_QUANTITY, Application, Package, PackageItem, Product, ProductPrice, ProductTier

S = Package.Status
ZERO = Decimal("0.00")

SOMEONE_ELSE = gettext_lazy("Someone else changed this package meanwhile; nothing was changed. Reload the page to "
                            "see its current state.")

ONE_OPEN_PACKAGE = gettext_lazy("This dwelling already has a package that is not installed yet: install or cancel "
                                "that one first.")

# The permission each act needs (subsidy.rules).
ACT_PERMISSIONS = {
    "approve_override": "subsidy.decide_package",
    "decline": "subsidy.decide_package",
    "install": "subsidy.install_package",
    "cancel": "subsidy.cancel_package",
}


# --- The catalogue ------------------------------------------------------------------------------------------


def _price_on(day: datetime.date):
    return Subquery(ProductPrice.objects.filter(product=OuterRef("pk"), valid_from__lte=day)
                    .order_by("-valid_from").values("unit_price")[:1], output_field=AmountField())


def catalogue(programme, day: datetime.date | None = None, *, active_only: bool = True):
    """The programme's products with their unit price on `day` (`price`, None before their first price)."""
    day = day or today_of_acts()
    products = Product.objects.filter(programme=programme).annotate(price=_price_on(day))
    return products.filter(active=True) if active_only else products


@transaction.atomic
def set_price(product: Product, *, by, unit_price, valid_from: datetime.date) -> ProductPrice:
    """A new unit price from `valid_from` on; packages proposed before keep theirs."""
    ensure_may(by, "subsidy.manage_catalogue", product)
    unit_price = _unit_price(unit_price)
    valid_from = _price_date(valid_from)
    price, _created = ProductPrice.objects.update_or_create(
        product=product, valid_from=valid_from, defaults={"unit_price": unit_price, "set_by": by})
    record_event(product, actor=by, action="product.price_set", price=str(unit_price),
                 valid_from=valid_from.isoformat())
    return price


# The catalogue's products are the coordinator's to add and change (`subsidy.manage_catalogue`); a product is never
# deleted once added (packages name it): it is made inactive instead.

LAST_POSITION = 32767  # Product.position is a PositiveSmallIntegerField


def _unit_price(value) -> Decimal:
    """The unit price as an amount of more than € 0,00 in whole cents, or `Refused` on the field `unit_price`."""
    try:
        return budget.validate_amount(value)
    except BudgetError as error:
        raise Refused(error.message, field="unit_price") from None


def _price_date(value) -> datetime.date:
    """A price applies from today or a later day: the days before belong to the prices that were in force."""
    if not isinstance(value, datetime.date):
        raise Refused(_("Give the date from which the price applies."), field="valid_from")
    if value < today_of_acts():
        raise Refused(_("A new price applies from today or a later date; what was proposed before keeps its price."),
                      field="valid_from")
    return value


def _product_text(value, *, field: str, max_length: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Refused(_("This field is required."), field=field)
    if len(value) > max_length:
        raise Refused(_("Use at most %(n)s characters.") % {"n": max_length}, field=field)
    try:
        no_control_characters(value)
    except ValidationError as error:
        raise Refused(error.messages[0], field=field) from None
    return value


def _product_name(programme, value, *, product: Product | None = None) -> str:
    """The name, unique in the programme's catalogue whatever its capitals (the handyman picks by name)."""
    name = _product_text(value, field="name", max_length=100, required=True)
    others = Product.objects.filter(programme=programme, name__iexact=name)
    if product is not None:
        others = others.exclude(pk=product.pk)
    if others.exists():
        raise Refused(_("The catalogue already has a product named “%(name)s”.") % {"name": name}, field="name")
    return name


def _saved_product(product: Product) -> Product:
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:  # the same name got in meanwhile
        raise Refused(_("The catalogue already has a product named “%(name)s”.") % {"name": product.name},
                      field="name") from None
    return product


@transaction.atomic
def add_product(programme, *, by, name: str, tier: str, unit: str = "", unit_price,
                valid_from: datetime.date, position: int | None = None) -> Product:
    """A new product in the programme's catalogue with its first unit price, from `valid_from` on; placed last
    in its tier unless `position` is given."""
    ensure_may(by, "subsidy.manage_catalogue", programme)
    name = _product_name(programme, name)
    if tier not in ProductTier.values:
        raise Refused(_("Choose a small or a medium measure."), field="tier")
    unit = _product_text(unit, field="unit", max_length=20, required=False)
    unit_price = _unit_price(unit_price)
    valid_from = _price_date(valid_from)
    if position is None:
        last = Product.objects.filter(programme=programme).aggregate(last=Max("position"))["last"]
        position = min((last or 0) + 1, LAST_POSITION)
    else:
        position = _quantity(position, field="position", minimum=0, maximum=LAST_POSITION)
    product = _saved_product(Product(programme=programme, name=name, tier=tier, unit=unit, position=position))
    ProductPrice.objects.create(product=product, valid_from=valid_from, unit_price=unit_price, set_by=by)
    record_event(product, actor=by, action="product.added", name=name, tier=tier, unit=unit, position=position,
                 price=str(unit_price), valid_from=valid_from.isoformat())
    return product


@transaction.atomic
def change_product(product: Product, *, by, name: str, unit: str, active: bool, position) -> Product:
    """Rename, recount, reorder, or (de)activate a product; its prices change only through `set_price`. An
    inactive product cannot be proposed any more; packages that have it keep it."""
    ensure_may(by, "subsidy.manage_catalogue", product)
    product = Product.objects.select_for_update().get(pk=product.pk)
    new = {"name": _product_name(product.programme_id, name, product=product),
           "unit": _product_text(unit, field="unit", max_length=20, required=False),
           "active": bool(active),
           "position": _quantity(position, field="position", minimum=0, maximum=LAST_POSITION)}
    changed = {field: [getattr(product, field), value] for field, value in new.items()
               if getattr(product, field) != value}
    if not changed:
        return product
    for field, (_before, after) in changed.items():
        setattr(product, field, after)
    _saved_product(product)
    record_event(product, actor=by, action="product.changed", changed=changed)
    return product


# --- What a dwelling may still receive ------------------------------------------------------------------------


def received(household: Household, *, excluding: Package | None = None) -> Decimal:
    """What the dwelling received on the products line: installed packages' installed value, an approved one's."""
    packages = Package.objects.filter(household=household).received()
    if excluding is not None:
        packages = packages.exclude(pk=excluding.pk)
    worth = Coalesce(F("installed_value"), F("value"), output_field=AmountField())
    return packages.aggregate(total=Coalesce(Sum(worth), amount_value(ZERO)))["total"]


@dataclass(frozen=True)
class Allowance:
    limit: Decimal
    received: Decimal

    @property
    def left(self) -> Decimal:
        return max(self.limit - self.received, ZERO)


def allowance(household: Household, day: datetime.date | None = None, *,
              excluding: Package | None = None) -> Allowance:
    """The limit per dwelling on `day` and what the dwelling already received."""
    day = day or today_of_acts()
    limit = rule_set_on(household.programme, day).products_limit_per_dwelling
    return Allowance(limit=limit, received=received(household, excluding=excluding))


def large_measure_in_the_way(household: Household) -> Application | None:
    """The large-measure application in progress or granted that rules out medium items, if any."""
    states = set(Application.IN_PROGRESS) | set(Application.GRANTED)
    return Application.objects.filter(household=household, status__in=states).order_by("-created_at").first()


def latest_assessment(household: Household) -> Assessment | None:
    return Assessment.objects.for_household(household).first()


def tiers_open(household: Household) -> dict[str, str]:
    """Per product tier: "" when it may be proposed, else the sentence why not (the page shows it)."""
    assessment = latest_assessment(household)
    why = {}
    for tier, status_field in ((ProductTier.SMALL, "small_status"), (ProductTier.MEDIUM, "medium_status")):
        if assessment is None:
            why[tier] = _("The household has not been assessed yet: assess its eligibility first.")
        elif getattr(assessment, status_field) != Status.ELIGIBLE:
            why[tier] = (_("The household's latest assessment does not find it eligible for small measures.")
                         if tier == ProductTier.SMALL else
                         _("The household's latest assessment does not find it eligible for medium measures."))
        else:
            why[tier] = ""
    application = large_measure_in_the_way(household)
    if application is not None and not why[ProductTier.MEDIUM]:
        why[ProductTier.MEDIUM] = (
            _("The dwelling has a large-measure application (%(reference)s, %(status)s): the large measure comes "
              "instead of the medium ones.")
            % {"reference": application.reference or application.pk, "status": application.get_status_display()})
    return why


# --- The acts -------------------------------------------------------------------------------------------------


def products_line(programme) -> BudgetLine:
    return BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.PRODUCTS)


def _quantity(value, *, field: str, minimum: int, maximum: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Refused(_("Give a whole number."), field=field) from None
    if number < minimum:
        raise Refused(_("Give at least %(n)s.") % {"n": minimum}, field=field)
    if number > maximum:
        raise Refused(_("Give at most %(n)s.") % {"n": maximum}, field=field)
    return number


def _note(package: Package, words: str) -> str:
    return _("Products package %(number)s, %(reference)s: %(words)s") % {
        "number": package.pk, "reference": package.household.reference, "words": words}


def _book_commitment(package: Package, *, by) -> None:
    package.commitment = budget.commit(products_line(package.programme), package.value, by=by, source=package,
                                       booked_on=today_of_acts(), note=_note(package, _("approved")))


@transaction.atomic
def propose(household: Household, *, by, items: Mapping | Iterable, motivation: str = "") -> Package:
    """The handyman proposes products and quantities (`items`: product id → quantity, or pairs).

    Within what is left of the limit it is approved at once and committed on the products line; above it, it
    waits for the coordinator (`approve_override`/`decline`).
    """
    ensure_may(by, "subsidy.propose_package", household)
    household = Household.objects.select_for_update().select_related("programme").get(pk=household.pk)
    if Package.objects.filter(household=household, status__in=Package.OPEN).exists():
        raise Conflict(ONE_OPEN_PACKAGE)
    motivation = entered_text(motivation, field="motivation", required=False)
    day = today_of_acts()
    pairs = list(items.items()) if isinstance(items, Mapping) else list(items)
    lines = _checked_lines(household, pairs, day)
    value = sum((price * quantity for _product, price, quantity in lines), ZERO)
    available = allowance(household, day)
    package = Package(programme=household.programme, household=household, proposed_by=by, proposed_on=day,
                      value=value, limit=available.limit, received_before=available.received, motivation=motivation)
    try:
        with transaction.atomic():
            package.save()
    except IntegrityError:  # another proposal for this dwelling got in first
        raise Conflict(ONE_OPEN_PACKAGE) from None
    PackageItem.objects.bulk_create(
        PackageItem(package=package, product=product, tier=product.tier, unit_price=price, quantity=quantity)
        for product, price, quantity in lines)
    record_event(package, actor=by, action="package.proposed", note=motivation, from_status="",
                 to_status=S.PROPOSED, value=str(value), allowance=str(available.left))
    if value <= available.left:
        _book_commitment(package, by=None)
        return _finish(package, "approve", by=None, note=_("Within what is left of the limit per dwelling."),
                       allowance=str(available.left))
    return _finish(package, "request_override", by=by, note=motivation, above_limit=str(value - available.left))


def _checked_lines(household: Household, pairs: list, day: datetime.date) -> list[tuple[Product, Decimal, int]]:
    """Each (product, unit price on `day`, quantity), or `Refused` naming the field of the first wrong one."""
    if not pairs:
        raise Refused(_("Choose at least one product."), field="items")
    ids = []
    for product_id, _quantity_given in pairs:
        try:
            ids.append(int(product_id))
        except (TypeError, ValueError):
            raise Refused(_("Unknown product."), field="items") from None
    if len(set(ids)) != len(ids):
        raise Refused(_("Each product once, with its quantity."), field="items")
    products = {product.pk: product for product in catalogue(household.programme, day, active_only=False)
                .filter(pk__in=ids)}
    open_tiers = tiers_open(household)
    lines = []
    for (_given_id, quantity), pk in zip(pairs, ids, strict=True):
        field = f"quantity_{pk}"
        product = products.get(pk)
        if product is None:
            raise Refused(_("This product is not in the programme's catalogue."), field=field)
        if not product.active:
            raise Refused(_("“%(product)s” is no longer in the catalogue.") % {"product": product.name}, field=field)
        if product.price is None:
            raise Refused(_("“%(product)s” has no price on %(day)s.") % {"product": product.name, "day": day},
                          field=field)
        quantity = _quantity(quantity, field=field, minimum=1, maximum=MAX_QUANTITY)
        if open_tiers[product.tier]:
            raise Refused(f"{product.name}: {open_tiers[product.tier]}", field=field)
        lines.append((product, product.price, quantity))
    return lines


def _locked(package: Package, version: int | None) -> Package:
    rows = Package.objects.select_related("household", "programme", "commitment")
    return acts.locked(rows, package, version, someone_else=SOMEONE_ELSE)


def _begin(package: Package, act: str, *, by, version: int | None) -> Package:
    package = _locked(package, version)
    if by is None or not by.has_perm(ACT_PERMISSIONS[act], package):
        raise NotAllowed()
    if not can_proceed(getattr(package, act)):
        raise Conflict(_("This cannot be done while the package is “%(status)s”.")
                       % {"status": package.get_status_display()})
    return package


def _finish(package: Package, act: str, *, by, note: str = "", **data) -> Package:
    return acts.transition(package, act, actor=by, by="staff" if by is not None else "system", note=note, **data)


@transaction.atomic
def approve_override(package: Package, *, by, reason: str, version: int | None = None) -> Package:
    """The coordinator approves a package above the limit, with the reason recorded; its value is committed."""
    package = _begin(package, "approve_override", by=by, version=version)
    reason = entered_text(reason, field="reason", required=True,
                          message=_("Give the reason for going above the limit per dwelling."))
    _check_tiers_still_open(package)
    package.decided_by = by
    package.decided_at = now_of_acts()
    package.decision_reason = reason
    _book_commitment(package, by=by)
    return _finish(package, "approve_override", by=by, note=reason, value=str(package.value))


def _check_tiers_still_open(package: Package) -> None:
    """A large-measure application may have come in since the proposal: medium items are checked again."""
    open_tiers = tiers_open(package.household)
    for item in package.items.select_related("product"):
        if open_tiers[item.tier]:
            raise Refused(f"{item.product.name}: {open_tiers[item.tier]}")


@transaction.atomic
def decline(package: Package, *, by, reason: str, version: int | None = None) -> Package:
    package = _begin(package, "decline", by=by, version=version)
    reason = entered_text(reason, field="reason", required=True,
                          message=_("Say why, so the handyman can propose what fits."))
    package.decided_by = by
    package.decided_at = now_of_acts()
    package.decision_reason = reason
    return _finish(package, "decline", by=by, note=reason)


@transaction.atomic
def install(package: Package, *, by, quantities: Mapping, version: int | None = None,
            installed_at: datetime.datetime | None = None) -> Package:
    """What was really installed (`quantities`: product id → number, at most the number approved; a product left
    out: none of it) is spent on the products line; the rest of the commitment is released."""
    package = _begin(package, "install", by=by, version=version)
    given = {str(key): value for key, value in quantities.items()}
    items = list(package.items.select_related("product"))
    unknown = set(given) - {str(item.product_id) for item in items}
    if unknown:
        raise Refused(_("Only the package's products can be installed."), field="items")
    total = ZERO
    for item in items:
        item.installed_quantity = _quantity(given.get(str(item.product_id), 0), field=f"quantity_{item.product_id}",
                                            minimum=0, maximum=item.quantity)
        total += item.installed_value
    if total <= 0:
        raise Refused(_("Nothing was installed: cancel the package instead."), field="items")
    PackageItem.objects.bulk_update(items, ["installed_quantity"])
    package.installed_value = total
    package.installed_at = installed_at or now_of_acts()
    package.installed_by = by
    day = timezone.localdate(package.installed_at)
    budget.spend_commitment(package.commitment, total, by=None, source=package, booked_on=day,
                            note=_note(package, _("installed")))
    if total < package.value:
        budget.release(package.commitment, package.value - total, by=None, booked_on=day,
                       note=_note(package, _("not installed, released")))
    return _finish(package, "install", by=by, installed=str(total), released=str(package.value - total))


@transaction.atomic
def cancel(package: Package, *, by, reason: str, version: int | None = None) -> Package:
    """Cancel a package that is not installed; an approved one's commitment is released."""
    package = _begin(package, "cancel", by=by, version=version)
    reason = entered_text(reason, field="reason", required=True, message=_("Say why the package is cancelled."))
    if package.status == S.APPROVED and package.commitment_id:
        budget.release(package.commitment, by=None, booked_on=today_of_acts(),
                       note=_note(package, _("cancelled, released")))
    package.cancel_reason = reason
    return _finish(package, "cancel", by=by, note=reason)


# --- Figures --------------------------------------------------------------------------------------------------


def dwellings_equipped(programme) -> int:
    """Dwellings that received small or medium measures: with at least one installed package."""
    return (Package.objects.filter(programme=programme, status=S.INSTALLED).order_by().values("household")
            .distinct().count())


def open_package(household: Household) -> Package | None:
    return (Package.objects.filter(household=household, status__in=Package.OPEN).prefetch_related("items__product")
            .first())


def packages_waiting(programme=None):
    packages = Package.objects.waiting_for_decision().with_list_details().order_by("created_at", "pk")
    return packages if programme is None else packages.filter(programme=programme)

