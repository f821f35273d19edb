"""The products package of a dwelling (pakket kleine en middelgrote maatregelen; DESIGN.md, "The products package:
states"; DOMAIN.md, "The offer").

Product: an item of the programme's catalogue, of the small tier (LED lamp, radiator foil, draught strip, …) or the
    medium tier (radiator fan, insulating curtains, window film, wool slippers). Not deleted once used: made
    inactive instead.
ProductPrice: a product's unit price from a date on. A package keeps the price of the day it was proposed, so a
    later price never changes what was approved or installed.
Package: the products a handyman proposes for one dwelling, with quantities. Within what is left of the rule set's
    limit per dwelling (€330, less what the dwelling already received) it is approved at once; above it the
    coordinator approves it with a recorded reason (an override) or declines it. Approval commits its value on
    the energy-saving-products budget line; installation records what was really installed, spends that and
    releases the rest; cancelling an approved package releases its commitment. `subsidy.packages` holds the acts.
PackageItem: one product of a package: the quantity proposed and, once installed, the quantity installed.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from accounts.text import no_control_characters, no_control_characters_multiline
from budget.fields import AmountField

MAX_QUANTITY = 99  # of one product in one package: a typo guard, not a rule of the programme


class ProductTier(models.TextChoices):
    """The tiers of eligibility.codes.Tier a product can belong to."""

    SMALL = "small", _("Small measure")
    MEDIUM = "medium", _("Medium measure")


class Product(models.Model):
    programme = models.ForeignKey("budget.Programme", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("programme"))
    name = models.CharField(_("name"), max_length=100, validators=[no_control_characters])
    tier = models.CharField(_("tier"), max_length=10, choices=ProductTier.choices)
    unit = models.CharField(_("unit"), max_length=20, blank=True, validators=[no_control_characters],
                            help_text=_("How it is counted, e.g. “piece”, “pair”, “kit”."))
    active = models.BooleanField(_("active"), default=True,
                                 help_text=_("Inactive products cannot be proposed any more; packages keep them."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["programme", "tier", "position", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="product_name_unique_in_programme")]

    def __str__(self) -> str:
        return self.name


class ProductPrice(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices", verbose_name=_("product"))
    valid_from = models.DateField(_("valid from"))
    unit_price = AmountField(_("unit price"), validators=[MinValueValidator(Decimal("0.01"))])
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("set by"))
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("product price")
        verbose_name_plural = _("product prices")
        ordering = ["product", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["product", "valid_from"], name="one_product_price_per_date"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="product_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.valid_from}: {self.unit_price}"


class PackageQuerySet(models.QuerySet):
    def waiting_for_decision(self) -> "PackageQuerySet":
        return self.filter(status=Package.Status.OVERRIDE_REQUESTED)

    def received(self) -> "PackageQuerySet":
        """What counts against a dwelling's limit: installed packages (their installed value) and approved ones
        (their value, committed)."""
        return self.filter(status__in=(Package.Status.APPROVED, Package.Status.INSTALLED))

    def with_list_details(self) -> "PackageQuerySet":
        return self.select_related("household", "household__dwelling", "proposed_by", "decided_by")


class Package(FSMModelMixin, models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        OVERRIDE_REQUESTED = "override_requested", _("Waiting for the coordinator")
        APPROVED = "approved", pgettext_lazy("products package", "Approved")
        INSTALLED = "installed", _("Installed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    S = Status
    # A dwelling has at most one package in these states at a time.
    OPEN = (S.PROPOSED, S.OVERRIDE_REQUESTED, S.APPROVED)
    CANCELLABLE = OPEN

    programme = models.ForeignKey("budget.Programme", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("programme"))
    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="packages",
                                  verbose_name=_("household"))
    status = FSMField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED, protected=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("proposed by"))
    proposed_on = models.DateField(_("proposed on"), help_text=_("The prices and the limit of this day apply."))
    value = AmountField(_("value"), help_text=_("Quantities proposed × their unit prices."))
    limit = AmountField(_("limit per dwelling"), help_text=_("The rule set's limit on the day it was proposed."))
    received_before = AmountField(_("received before"), default=Decimal("0.00"),
                                  help_text=_("What the dwelling had already received when this was proposed."))
    motivation = models.TextField(_("motivation"), blank=True, validators=[no_control_characters_multiline],
                                  help_text=_("Why the dwelling needs more than the limit (for the coordinator)."))

    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"),
                                   help_text=_("Empty: approved at once, within the limit."))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True,
                                       validators=[no_control_characters_multiline])
    commitment = models.ForeignKey("budget.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("commitment"))

    installed_value = AmountField(_("installed value"), null=True, blank=True)
    installed_at = models.DateTimeField(_("installed at"), null=True, blank=True)
    installed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("installed by"))
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True,
                                     validators=[no_control_characters_multiline])

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PackageQuerySet.as_manager()

    class Meta:
        verbose_name = _("products package")
        verbose_name_plural = _("products packages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["household", "status"], name="package_household_status"),
            models.Index(fields=["programme", "status", "-created_at"], name="package_programme_status"),
            models.Index(fields=["-created_at", "-id"], name="package_newest_first"),  # the lists' order
        ]
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(status__in=("proposed", "override_requested",
                                                                                   "approved")),
                                    name="one_open_package_per_household"),
            models.CheckConstraint(condition=Q(value__gt=0), name="package_value_positive"),
            models.CheckConstraint(condition=Q(installed_value=None) | Q(installed_value__lte=F("value")),
                                   name="package_installed_at_most_approved"),
        ]

    def __str__(self) -> str:
        return _("Package %(number)s") % {"number": self.pk}

    @property
    def allowance(self) -> Decimal:
        """What was left of the limit when it was proposed."""
        return max(self.limit - self.received_before, Decimal("0.00"))

    @property
    def above_limit(self) -> Decimal:
        return max(self.value - self.allowance, Decimal("0.00"))

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    # Transitions: called only by subsidy.packages, which checks who acts and books on the products line.

    @transition(field=status, source=S.PROPOSED, target=S.APPROVED)
    def approve(self):
        """Within what is left of the limit: approved by the rules."""

    @transition(field=status, source=S.PROPOSED, target=S.OVERRIDE_REQUESTED)
    def request_override(self):
        """Above it: the coordinator decides."""

    @transition(field=status, source=S.OVERRIDE_REQUESTED, target=S.APPROVED)
    def approve_override(self):
        pass

    @transition(field=status, source=S.OVERRIDE_REQUESTED, target=S.DECLINED)
    def decline(self):
        pass

    @transition(field=status, source=S.APPROVED, target=S.INSTALLED)
    def install(self):
        pass

    @transition(field=status, source=list(CANCELLABLE), target=S.CANCELLED)
    def cancel(self):
        pass


class PackageItem(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="items", verbose_name=_("package"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product"))
    tier = models.CharField(_("tier"), max_length=10, choices=ProductTier.choices)
    unit_price = AmountField(_("unit price"), help_text=_("The price on the day the package was proposed."))
    quantity = models.PositiveSmallIntegerField(_("quantity"), validators=[MinValueValidator(1),
                                                                          MaxValueValidator(MAX_QUANTITY)])
    installed_quantity = models.PositiveSmallIntegerField(_("quantity installed"), null=True, blank=True)

    class Meta:
        verbose_name = _("package item")
        verbose_name_plural = _("package items")
        ordering = ["package", "tier", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["package", "product"], name="product_once_per_package"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="package_item_quantity_positive"),
            models.CheckConstraint(condition=Q(installed_quantity=None) | Q(installed_quantity__lte=F("quantity")),
                                   name="package_item_installed_at_most_proposed"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"

    @property
    def value(self) -> Decimal:
        return self.quantity * self.unit_price

    @property
    def installed_value(self) -> Decimal | None:
        return None if self.installed_quantity is None else self.installed_quantity * self.unit_price
