"""The programme and its budget (DOMAIN.md, "Programme budget"; DESIGN.md, "The budget ledger").

Programme: one municipality's energy-poverty programme over a period, with its targets.
BudgetLine (begrotingspost): a line of the programme budget with its allocated amount.
FundingSource: where the money comes from (e.g. the specific national grant), and which lines it funds.
LedgerEntry: one append-only booking on a line: a commitment (verplichting, money reserved), its
release, an expenditure (against a commitment or direct) or the reversal of an earlier entry.
Reallocation: money moved from one line to another, with the reason.
Amounts are Decimal in euros with two decimals; `budget.money` formats them.

The invariant (DESIGN.md): for every line, open commitments + spent ≤ allocated. The line caches its
open commitments and spending (`committed_open`, `spent`), changed only by `budget.services` in the
same transaction as the entry that moves them; a check constraint keeps the invariant in the database
even if code is wrong, and `budget.selectors.reconcile` recomputes both from the ledger.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.append_only import AppendOnlyModel, AppendOnlyQuerySet
from accounts.text import no_control_characters, no_control_characters_multiline
from budget.fields import AmountField, amount_value

AMOUNT = {"max_digits": 12, "decimal_places": 2}
MAX_TARGET = 10_000_000  # households or measures: more than any programme could reach
MAX_PLANNING_AMOUNT = Decimal("1000000.00")  # an expected grant or product spend per home


class Programme(models.Model):
    slug = models.SlugField(_("code"), unique=True)
    municipality = models.CharField(_("municipality"), max_length=100, validators=[no_control_characters])
    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    reference_prefix = models.CharField(
        _("reference prefix"), max_length=8, help_text=_("Start of every household reference, e.g. HIL.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_households = models.PositiveIntegerField(_("target: households reached"),
                                                    validators=[MaxValueValidator(MAX_TARGET)])
    target_large_measures = models.PositiveIntegerField(_("target: large measures"),
                                                        validators=[MaxValueValidator(MAX_TARGET)])
    # Used by the forecast until the programme has figures of its own (DOMAIN.md, "Programme budget").
    default_average_grant = AmountField(
        _("expected average grant"), default=Decimal("3000.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_PLANNING_AMOUNT)],
        help_text=_("The forecast uses this until the first grant is committed (Hilversum: €3,000)."))
    default_product_spend_per_dwelling = AmountField(
        _("expected product spend per dwelling"), default=Decimal("330.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_PLANNING_AMOUNT)],
        help_text=_("The forecast uses this until products have been paid for (Hilversum: €330)."))

    # For the decision letters, the public form and the payment file (issue 11): who writes, who signs, where an
    # objection goes, and the account grants are paid from (the privacy statements: households.privacy's register).
    letter_sender = models.TextField(
        _("letterhead: sender and address"), blank=True, validators=[no_control_characters_multiline],
        help_text=_("E.g. Gemeente Hilversum, Postbus 9900, 1201 GM Hilversum (one line each)."))
    letter_signatory = models.CharField(_("signatory"), max_length=200, blank=True,
                                        validators=[no_control_characters])
    letter_signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True,
                                              validators=[no_control_characters])
    objection_addressee = models.TextField(
        _("objections go to"), blank=True, validators=[no_control_characters_multiline],
        help_text=_("Whom an objection (bezwaar) is sent to, with the address."))
    contact_details = models.CharField(_("contact for applicants"), max_length=200, blank=True,
                                       validators=[no_control_characters],
                                       help_text=_("Phone and e-mail applicants can ask questions at."))
    # Retention (issue 14, docs/security.md): personal data of a closed household is anonymised this many months
    # after closing; that of a household with a paid or rejected application not before the financial audit's
    # legal term (years after payment or rejection) has passed as well.
    retention_months_after_closing = models.PositiveSmallIntegerField(
        _("retention after closing (months)"), default=24, validators=[MaxValueValidator(240)],
        help_text=_("Personal data of a closed household is anonymised this many months after closing."))
    financial_retention_years = models.PositiveSmallIntegerField(
        _("financial retention (years)"), default=7, validators=[MaxValueValidator(30)],
        help_text=_("What the financial audit needs of a paid or rejected application is kept this many years "
                    "(the fiscal term is 7)."))
    payer_name = models.CharField(_("paying account: name"), max_length=70, blank=True,
                                  validators=[no_control_characters])
    payer_iban = models.CharField(_("paying account: IBAN"), max_length=34, blank=True)
    payer_bic = models.CharField(_("paying account: BIC"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "slug"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="programme_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def has_bookings(programme_id: int) -> bool:
        """Whether any money has been booked on the programme's lines (allocations then move by reallocation)."""
        return LedgerEntry.objects.filter(line__programme_id=programme_id).exists()


BELOW_COMMITTED_AND_SPENT = _("The allocated amount cannot be less than what is already committed and spent on "
                              "this line.")
ALLOCATION_THROUGH_REALLOCATION = _("Money has been booked in this programme: change the allocation through a "
                                    "reallocation (Budget → Reallocate between lines), which records the reason.")
NEW_LINE_STARTS_EMPTY = _("Money has been booked in this programme: a new line starts at €0.00 and receives money "
                          "through a reallocation.")
CACHED_TOTALS = ("committed_open", "spent", "entry_count", "commitment_count", "commitments_total")


class BudgetLine(models.Model):
    class Kind(models.TextChoices):
        EXECUTION = "execution", _("Execution organisation")
        HANDYMEN = "handymen", _("Energy handymen")
        WELFARE = "welfare", _("Welfare partner (community workers)")
        PRODUCTS = "products", _("Energy-saving products (small and medium measures)")
        COMMUNICATION = "communication", _("Communication and reaching households")
        GRANTS = "grants", _("Large insulation measure (grants)")
        ASSESSORS = "assessors", _("Hired assessor capacity")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="budget_lines",
                                  verbose_name=_("programme"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    allocated = AmountField(_("allocated"), validators=[MinValueValidator(Decimal("0.00"))])
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Cached sums of the ledger, written only by budget.services (see the module docstring).
    committed_open = AmountField(_("committed (open)"), default=Decimal("0.00"), editable=False)
    spent = AmountField(_("spent"), default=Decimal("0.00"), editable=False)
    entry_count = models.PositiveIntegerField(_("ledger entries"), default=0, editable=False)
    # Commitments that were not reversed: their number and amounts (the forecast's average grant).
    commitment_count = models.PositiveIntegerField(_("commitments"), default=0, editable=False)
    commitments_total = AmountField(_("committed in total"), default=Decimal("0.00"), editable=False)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="one_budget_line_per_kind"),
            models.CheckConstraint(condition=models.Q(allocated__gte=0), name="budget_line_allocated_not_negative"),
            models.CheckConstraint(condition=models.Q(committed_open__gte=0),
                                   name="budget_line_committed_not_negative"),
            models.CheckConstraint(condition=models.Q(spent__gte=0), name="budget_line_spent_not_negative"),
            models.CheckConstraint(
                condition=models.Q(allocated__gte=models.F("committed_open") + models.F("spent")),
                name="budget_line_never_over_committed",
                violation_error_message=BELOW_COMMITTED_AND_SPENT,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.slug}: {self.name}"

    def save(self, *args, **kwargs):
        """Save what people edit. The cached totals are written only by budget.services, with the entry that
        moves them: a form or an import that loaded the line earlier never writes back stale totals."""
        if self._state.adding:
            if any(getattr(self, name) for name in CACHED_TOTALS):
                raise ValueError("A new budget line has no bookings: its cached totals start at zero.")
        else:
            update_fields = kwargs.get("update_fields")
            if update_fields is None:
                kwargs["update_fields"] = [field.name for field in self._meta.concrete_fields
                                           if not field.primary_key and field.name not in CACHED_TOTALS]
            elif set(update_fields) & set(CACHED_TOTALS):
                raise ValueError("The cached totals are written only by budget.services.")
        self._check_allocation_unchanged_once_booked()
        super().save(*args, **kwargs)

    def clean(self):
        # Forms that do not show the cached totals (the admin) skip the database constraint's check.
        if self.allocated is not None and self.allocated < (self.committed_open or 0) + (self.spent or 0):
            raise ValidationError({"allocated": BELOW_COMMITTED_AND_SPENT}, code="below_committed_and_spent")
        self._check_allocation_unchanged_once_booked()

    def _check_allocation_unchanged_once_booked(self) -> None:
        """Once a programme has bookings, allocations move only by reallocation (with its reason)."""
        if self.programme_id is None or self.allocated is None:
            return
        if not Programme.has_bookings(self.programme_id):
            return
        if self._state.adding:
            if self.allocated != 0:
                raise ValidationError({"allocated": NEW_LINE_STARTS_EMPTY}, code="new_line_starts_empty")
            return
        stored = BudgetLine.objects.filter(pk=self.pk).values_list("allocated", flat=True).first()
        if stored is not None and stored != self.allocated:
            raise ValidationError({"allocated": ALLOCATION_THROUGH_REALLOCATION},
                                  code="allocation_through_reallocation")

    @property
    def used(self) -> Decimal:
        return self.committed_open + self.spent

    @property
    def available(self) -> Decimal:
        return self.allocated - self.committed_open - self.spent

    def balance(self) -> "Balance":
        """What the line was given, what is reserved, paid and left (from the cached totals)."""
        return Balance.of(self.allocated, self.committed_open, self.spent)


@dataclass(frozen=True)
class Balance:
    allocated: Decimal
    committed: Decimal
    spent: Decimal

    @classmethod
    def of(cls, allocated, committed, spent) -> "Balance":
        return cls(Decimal(allocated), Decimal(committed), Decimal(spent))

    @property
    def used(self) -> Decimal:
        return self.committed + self.spent

    @property
    def available(self) -> Decimal:
        return self.allocated - self.used

    @property
    def percentage_used(self) -> Decimal:
        """Committed plus spent as a percentage of the allocation, one decimal (0 for an empty line)."""
        if not self.allocated:
            return Decimal("0.0")
        return (self.used * 100 / self.allocated).quantize(Decimal("0.1"))


class FundingSource(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="funding_sources",
                                  verbose_name=_("programme"))
    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    amount = AmountField(_("amount"), validators=[MinValueValidator(Decimal("0.00"))])
    funds_lines = models.ManyToManyField(BudgetLine, blank=True, related_name="funding_sources",
                                         verbose_name=_("funds budget lines"))

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["programme", "pk"]

    def __str__(self) -> str:
        return self.name


class LedgerEntryQuerySet(AppendOnlyQuerySet):
    def with_details(self) -> "LedgerEntryQuerySet":
        """What the ledger page and the export show, without a query per row."""
        reversals = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL, refers_to=models.OuterRef("pk"))
        return self.select_related("line", "booked_by", "refers_to", "source_type").annotate(
            is_reversed=models.Exists(reversals))

    def commitments(self) -> "LedgerEntryQuerySet":
        return self.filter(kind=LedgerEntry.Kind.COMMITMENT)

    def with_open_amount(self) -> "LedgerEntryQuerySet":
        """Annotate each commitment with `open_amount`: what may still be spent or released on it.

        open = amount − releases and expenditures drawn on it + reversals of those − its own reversal.
        """
        kind = LedgerEntry.Kind
        money = AmountField()
        zero = amount_value(Decimal("0.00"))
        drawn = (LedgerEntry.objects.filter(refers_to=models.OuterRef("pk"),
                                            kind__in=[kind.RELEASE, kind.EXPENDITURE])
                 .order_by().values("refers_to").annotate(total=models.Sum("amount")).values("total"))
        undrawn = (LedgerEntry.objects.filter(kind=kind.REVERSAL, refers_to__refers_to=models.OuterRef("pk"))
                   .order_by().values("refers_to__refers_to").annotate(total=models.Sum("amount")).values("total"))
        cancelled = LedgerEntry.objects.filter(kind=kind.REVERSAL, refers_to=models.OuterRef("pk")).values("amount")
        return self.annotate(open_amount=models.ExpressionWrapper(
            models.F("amount")
            - Coalesce(models.Subquery(drawn, output_field=money), zero)
            + Coalesce(models.Subquery(undrawn, output_field=money), zero)
            - Coalesce(models.Subquery(cancelled[:1], output_field=money), zero),
            output_field=money,
        ))


class LedgerEntry(AppendOnlyModel):
    """One booking on a budget line. Never changed or deleted: a mistake is corrected by a reversal."""

    append_only_message = "Ledger entries are append-only: book a reversal instead."

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Commitment")
        RELEASE = "release", _("Release")
        EXPENDITURE = "expenditure", _("Expenditure")
        REVERSAL = "reversal", _("Reversal")

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="entries",
                             verbose_name=_("budget line"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = AmountField(_("amount"))
    booked_on = models.DateField(_("booking date"), default=timezone.localdate)
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    # Empty for a booking the system made for an act without a staff user (the applicant withdrawing through the
    # status link, a grant lapsing): the source's history says who acted.
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("booked by"))
    refers_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups",
        verbose_name=_("refers to"),
        help_text=_("The commitment a release or expenditure draws on, or the entry a reversal undoes."),
    )
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("source type"))
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    note = models.TextField(_("note"), blank=True, validators=[no_control_characters_multiline])

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-booked_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(
                condition=(models.Q(kind="commitment", refers_to__isnull=True)
                           | models.Q(kind__in=["release", "reversal"], refers_to__isnull=False)
                           | models.Q(kind="expenditure")),
                name="ledger_refers_to_what_its_kind_needs",
            ),
            models.UniqueConstraint(fields=["refers_to"], condition=models.Q(kind="reversal"),
                                    name="ledger_entry_reversed_at_most_once"),
        ]
        indexes = [
            # A line's ledger page, newest first, a page at a time from where the last one ended (keyset).
            models.Index(fields=["line", "booked_on", "id"], name="ledger_line_by_date"),
            models.Index(fields=["line", "kind", "booked_on", "id"], name="ledger_line_kind_by_date"),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.booked_on})"

    @property
    def draws_on_commitment(self) -> bool:
        return self.kind == self.Kind.EXPENDITURE and self.refers_to_id is not None

    def effect(self) -> tuple[Decimal, Decimal]:
        """How this entry moves the line's (open commitments, spent). Needs `refers_to` for a reversal."""
        reverses = None
        if self.kind == self.Kind.REVERSAL:
            reverses = (self.refers_to.kind, self.refers_to.refers_to_id is not None)
        return ledger_effect(self.kind, self.amount, draws_on_commitment=self.refers_to_id is not None,
                             reverses=reverses)


def ledger_effect(kind: str, amount: Decimal, *, draws_on_commitment: bool = False,
                  reverses: tuple[str, bool] | None = None) -> tuple[Decimal, Decimal]:
    """The change an entry makes to its line's (open commitments, spent).

    `draws_on_commitment`: an expenditure paid against a commitment (it turns reserved money into spent).
    `reverses`: for a reversal, the (kind, draws_on_commitment) of the entry it undoes.
    """
    zero = Decimal("0.00")
    if kind == LedgerEntry.Kind.COMMITMENT:
        return amount, zero
    if kind == LedgerEntry.Kind.RELEASE:
        return -amount, zero
    if kind == LedgerEntry.Kind.EXPENDITURE:
        return (-amount if draws_on_commitment else zero), amount
    if reverses is None:
        raise ValueError("A reversal needs the kind of the entry it reverses.")
    reversed_kind, reversed_draws = reverses
    committed, spent = ledger_effect(reversed_kind, amount, draws_on_commitment=reversed_draws)
    return -committed, -spent


class LineMonth(models.Model):
    """How much a line's open commitments and spending moved in one calendar month (of the booking date).

    A summary of the ledger kept by `budget.services` in the same transaction as each entry, so the
    "spending per month" charts read a few dozen rows instead of adding up the whole ledger;
    `budget.selectors.reconcile` checks it against the ledger.
    """

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="months",
                             verbose_name=_("budget line"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    committed = AmountField(_("change in open commitments"), default=Decimal("0.00"))
    spent = AmountField(_("change in spending"), default=Decimal("0.00"))
    entries = models.PositiveIntegerField(_("entries"), default=0)

    class Meta:
        verbose_name = _("month of a budget line")
        verbose_name_plural = _("months of budget lines")
        ordering = ["line", "month"]
        constraints = [models.UniqueConstraint(fields=["line", "month"], name="one_summary_per_line_and_month")]

    def __str__(self) -> str:
        return f"{self.line_id} {self.month:%Y-%m}"


class Reallocation(AppendOnlyModel):
    """Money moved between two lines of one programme, with the reason. Append-only like the ledger."""

    append_only_message = "Reallocations are append-only."

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="reallocations",
                                  verbose_name=_("programme"))
    from_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="reallocations_out",
                                  verbose_name=_("from line"))
    to_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="reallocations_in",
                                verbose_name=_("to line"))
    amount = AmountField(_("amount"))
    reason = models.TextField(_("reason"), validators=[no_control_characters_multiline])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reallocation")
        verbose_name_plural = _("reallocations")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="reallocation_amount_positive"),
            models.CheckConstraint(condition=~models.Q(from_line=models.F("to_line")),
                                   name="reallocation_between_two_lines"),
        ]

    def __str__(self) -> str:
        return f"{self.amount}: {self.from_line.name} → {self.to_line.name}"
