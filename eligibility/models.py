"""Dated parameters of the eligibility rules and calculators (DOMAIN.md; issue "Eligibility").

Every number a rule or calculator uses is a row here, valid from a date, loaded from
`fixtures/reference/02*.json` and editable by the coordinator in the admin. A lookup takes the row
with the latest `valid_from` on or before the reference date (`eligibility.parameters`).

SocialMinimumNorm (bijstandsnorm): the statutory net monthly minimum income per norm category,
    as published, including the holiday allowance (vakantietoeslag).
RuleSet: one programme's eligibility settings and limits from a date (its `version` is recorded in
    every assessment).
DiyRate: the grant rate per m² of a DIY insulation measure (zelfwerkzaamheid), its maximum area and
    the minimum thermal resistance (Rd) the insulation must reach.
LargeMeasureCost: the indicative cost range and yearly savings of a large measure, used to check
    that a contractor's quote is plausible.
Assessment: a household assessed on a date, with the inputs, verdicts and parameter values used.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.append_only import AppendOnlyModel, AppendOnlyQuerySet
from eligibility.bounds import EARLIEST_RULE_DATE, LATEST_RULE_DATE, MAX_AREA_M2, MAX_PARAMETER_AMOUNT
from eligibility.codes import ContractorMeasure, DiyMeasure, EnergyLabel, NormCategory, Status

AMOUNT = {"max_digits": 12, "decimal_places": 2,
          "validators": [MinValueValidator(Decimal("0.00")), MaxValueValidator(MAX_PARAMETER_AMOUNT)]}
VALID_FROM = [MinValueValidator(EARLIEST_RULE_DATE), MaxValueValidator(LATEST_RULE_DATE)]


class SocialMinimumNorm(models.Model):
    valid_from = models.DateField(_("valid from"), validators=VALID_FROM)
    category = models.CharField(_("norm category"), max_length=20, choices=NormCategory.choices)
    amount = models.DecimalField(_("net monthly amount incl. holiday allowance"), **AMOUNT)
    holiday_allowance_percentage = models.DecimalField(
        _("holiday allowance (%)"), max_digits=5, decimal_places=2, default=Decimal("5.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Share of the published amount that is holiday allowance: without it, the norm is "
                    "(100 − this) percent of the amount."),
    )

    class Meta:
        verbose_name = _("social-minimum norm")
        verbose_name_plural = _("social-minimum norms")
        ordering = ["-valid_from", "category"]
        constraints = [
            models.UniqueConstraint(fields=["category", "valid_from"], name="one_norm_per_category_and_date"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="norm_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.valid_from}: {self.amount}"


class RuleSet(models.Model):
    programme = models.ForeignKey("budget.Programme", on_delete=models.PROTECT, related_name="rule_sets",
                                  verbose_name=_("programme"))
    valid_from = models.DateField(_("valid from"), validators=VALID_FROM)
    version = models.CharField(_("version"), max_length=40, unique=True,
                               help_text=_("Recorded in every assessment, e.g. hilversum-2022-v1."))
    income_percentage = models.DecimalField(
        _("income limit (percentage of the norm)"), max_digits=6, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(1000)])
    norm_includes_holiday_allowance = models.BooleanField(
        _("norm includes holiday allowance"), default=False,
        help_text=_("Hilversum: no, the limit is a percentage of the norm without holiday allowance."))
    worst_non_qualifying_label = models.CharField(
        _("worst label that does not qualify"), max_length=7,
        choices=[c for c in EnergyLabel.choices if c[0] != EnergyLabel.UNKNOWN],
        help_text=_("B: labels C and worse qualify."))
    large_requires_owner_occupier = models.BooleanField(_("large measure only for owner-occupiers"), default=True)
    large_measures_per_dwelling = models.PositiveSmallIntegerField(_("large measures per dwelling"), default=1,
                                                                   validators=[MaxValueValidator(10)])
    max_large_grant = models.DecimalField(_("maximum large grant"), **AMOUNT)
    products_limit_per_dwelling = models.DecimalField(_("products limit per dwelling (small + medium)"), **AMOUNT)
    diy_cutting_loss_factor = models.DecimalField(
        _("DIY cutting-loss factor"), max_digits=4, decimal_places=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)])
    diy_finishing_rate = models.DecimalField(_("DIY finishing rate per m²"), **AMOUNT)
    isde_percentage = models.DecimalField(
        _("ISDE share (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    isde_minimum_measures = models.PositiveSmallIntegerField(_("ISDE: minimum number of measures"), default=2,
                                                             validators=[MaxValueValidator(20)])
    zero_interest_income_limit = models.DecimalField(
        _("Warmtefonds zero interest: yearly income limit"), **AMOUNT)
    loan_minimum = models.DecimalField(_("Warmtefonds loan minimum"), **AMOUNT)
    loan_maximum = models.DecimalField(_("Warmtefonds loan maximum"), **AMOUNT)
    decision_term_days = models.PositiveSmallIntegerField(_("decision term (days)"), default=28,
                                                          validators=[MinValueValidator(1), MaxValueValidator(365)])
    grant_validity_months = models.PositiveSmallIntegerField(
        _("grant validity (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("An approved grant lapses when no payout is requested within this many months."))

    class Meta:
        verbose_name = _("programme rule set")
        verbose_name_plural = _("programme rule sets")
        ordering = ["programme", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "valid_from"], name="one_rule_set_per_programme_and_date"),
            models.CheckConstraint(condition=models.Q(loan_maximum__gte=models.F("loan_minimum")),
                                   name="rule_set_loan_maximum_not_below_minimum"),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.valid_from})"


class DiyRate(models.Model):
    programme = models.ForeignKey("budget.Programme", on_delete=models.PROTECT, related_name="diy_rates",
                                  verbose_name=_("programme"))
    valid_from = models.DateField(_("valid from"), validators=VALID_FROM)
    measure = models.CharField(_("measure"), max_length=20, choices=DiyMeasure.choices)
    rate_per_m2 = models.DecimalField(_("rate per m² (incl. VAT)"), **AMOUNT)
    max_area_m2 = models.DecimalField(_("maximum area (m²)"), max_digits=7, decimal_places=2,
                                      validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AREA_M2)])
    min_rd = models.DecimalField(_("minimum Rd (m²K/W)"), max_digits=4, decimal_places=2,
                                 validators=[MinValueValidator(0), MaxValueValidator(50)])

    class Meta:
        verbose_name = _("DIY rate")
        verbose_name_plural = _("DIY rates")
        ordering = ["programme", "-valid_from", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "measure", "valid_from"],
                                    name="one_diy_rate_per_measure_and_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.valid_from}: {self.rate_per_m2}/m²"


class LargeMeasureCost(models.Model):
    programme = models.ForeignKey("budget.Programme", on_delete=models.PROTECT, related_name="large_measure_costs",
                                  verbose_name=_("programme"))
    valid_from = models.DateField(_("valid from"), validators=VALID_FROM)
    measure = models.CharField(_("measure"), max_length=20, choices=ContractorMeasure.choices)
    cost_minimum = models.DecimalField(_("indicative cost from"), **AMOUNT)
    cost_maximum = models.DecimalField(_("indicative cost to"), **AMOUNT)
    yearly_savings_minimum = models.DecimalField(_("yearly savings from"), **AMOUNT)
    yearly_savings_maximum = models.DecimalField(_("yearly savings to"), **AMOUNT)

    class Meta:
        verbose_name = _("indicative cost of a large measure")
        verbose_name_plural = _("indicative costs of large measures")
        ordering = ["programme", "-valid_from", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "measure", "valid_from"],
                                    name="one_measure_cost_per_measure_and_date"),
            models.CheckConstraint(condition=models.Q(cost_maximum__gte=models.F("cost_minimum")),
                                   name="measure_cost_range_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.valid_from}"


class AssessmentQuerySet(AppendOnlyQuerySet):
    def for_household(self, household) -> "AssessmentQuerySet":
        return self.filter(household=household).select_related("assessed_by", "rule_set")


class Assessment(AppendOnlyModel):
    """A household assessed against the programme's rules on a date: what was known, what was decided, why.

    Stored as it was: the inputs, every verdict with its reason (in the language of the moment,
    Dutch by default) and the parameter values used, so that a later change of the parameters or of
    the household never changes a past assessment. Never edited; a reassessment is a new row.
    """

    household = models.ForeignKey("households.Household", on_delete=models.CASCADE, related_name="assessments",
                                  verbose_name=_("household"))
    programme = models.ForeignKey("budget.Programme", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("programme"))
    reference_date = models.DateField(_("reference date"))
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="assessments",
                                 verbose_name=_("rule set"))
    rule_set_version = models.CharField(_("rule set version"), max_length=40)
    inputs = models.JSONField(_("inputs"))
    income_limit = models.DecimalField(_("income limit"), max_digits=12, decimal_places=2)
    small_status = models.CharField(_("small measures"), max_length=20, choices=Status.choices)
    medium_status = models.CharField(_("medium measures"), max_length=20, choices=Status.choices)
    large_status = models.CharField(_("large measure"), max_length=20, choices=Status.choices)
    tiers = models.JSONField(_("result per tier"), help_text=_("Per tier: status, verdicts with reasons."))
    parameters = models.JSONField(_("parameter values used"))
    # Empty: assessed by the system (an application submitted through the public form).
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("assessed by"))
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True, db_index=True)

    append_only_message = "An assessment is a record of its moment: reassess instead of editing it."
    # The income in the inputs and in the income rule's verdict: anonymisation removes it
    # (accounts.append_only.redact); the statuses, the limit and the parameters stay.
    redactable_fields = ("inputs", "tiers")

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("eligibility assessment")
        verbose_name_plural = _("eligibility assessments")
        ordering = ["-assessed_at", "-pk"]
        indexes = [models.Index(fields=["household", "-assessed_at"], name="assessment_household_latest")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.reference_date} {self.rule_set_version}"

    def tier(self, tier: str) -> dict:
        return next(item for item in self.tiers if item["tier"] == tier)
