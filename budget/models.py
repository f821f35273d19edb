"""The programme and its budget (DOMAIN.md, "Programme budget"; DESIGN.md, "The budget ledger").

Programme: one municipality's energy-poverty programme over a period, with its targets.
BudgetLine (begrotingspost): a line of the programme budget with its allocated amount.
FundingSource: where the money comes from (e.g. the specific national grant), and which lines it funds.
Amounts are Decimal in euros with two decimals; `budget.money` formats them.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

AMOUNT = {"max_digits": 12, "decimal_places": 2}


class Programme(models.Model):
    slug = models.SlugField(_("code"), unique=True)
    municipality = models.CharField(_("municipality"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    reference_prefix = models.CharField(
        _("reference prefix"), max_length=8, help_text=_("Start of every household reference, e.g. HIL.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_households = models.PositiveIntegerField(_("target: households reached"))
    target_large_measures = models.PositiveIntegerField(_("target: large measures"))

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
    name = models.CharField(_("name"), max_length=200)
    allocated = models.DecimalField(_("allocated"), **AMOUNT, validators=[MinValueValidator(Decimal("0.00"))])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="one_budget_line_per_kind"),
            models.CheckConstraint(condition=models.Q(allocated__gte=0), name="budget_line_allocated_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.slug}: {self.name}"


class FundingSource(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="funding_sources",
                                  verbose_name=_("programme"))
    name = models.CharField(_("name"), max_length=200)
    amount = models.DecimalField(_("amount"), **AMOUNT, validators=[MinValueValidator(Decimal("0.00"))])
    funds_lines = models.ManyToManyField(BudgetLine, blank=True, related_name="funding_sources",
                                         verbose_name=_("funds budget lines"))

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["programme", "pk"]

    def __str__(self) -> str:
        return self.name
