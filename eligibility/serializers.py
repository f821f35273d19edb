"""The public API's requests and answers (decimals travel as strings; every bad input is a 400)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api import SlugRelatedField
from budget.models import Programme
from eligibility.bounds import (
    EARLIEST_RULE_DATE,
    LATEST_RULE_DATE,
    MAX_AREA_M2,
    MAX_MEASURE_COST,
    MAX_MONTHLY_INCOME,
    MAX_YEARLY_INCOME,
)
from eligibility.codes import DiyMeasure, EnergyLabel, HouseholdType, LargeMeasure, Status, Tenure

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


class ProgrammeDateRequest(serializers.Serializer):
    programme = SlugRelatedField(
        slug_field="slug", queryset=Programme.objects.all(), help_text=_("The programme's code, e.g. hilversum-2022."))
    date = serializers.DateField(
        help_text=_("Reference date: the parameters valid on this day are used."),
        validators=[MinValueValidator(EARLIEST_RULE_DATE), MaxValueValidator(LATEST_RULE_DATE)])


class EligibilityCheckRequest(ProgrammeDateRequest):
    household_type = serializers.ChoiceField(choices=HouseholdType.choices)
    net_monthly_income = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=Decimal("0"), max_value=MAX_MONTHLY_INCOME, required=False,
        allow_null=True,
        help_text=_("Net household income per month; not needed when the energy-allowance letter was received."))
    energy_allowance_received = serializers.BooleanField(
        default=False, help_text=_("The household has the letter showing that the energy allowance was paid."))
    energy_label = serializers.ChoiceField(choices=EnergyLabel.choices)
    tenure = serializers.ChoiceField(choices=Tenure.choices)

    def validate(self, attrs):
        if not attrs.get("energy_allowance_received") and attrs.get("net_monthly_income") is None:
            raise serializers.ValidationError({"net_monthly_income": _(
                "Give the net monthly income, or say that the energy-allowance letter was received.")})
        return attrs


class VerdictAnswer(serializers.Serializer):
    rule = serializers.CharField()
    passed = serializers.BooleanField(allow_null=True)
    reason = serializers.CharField()
    parameters = serializers.DictField(child=serializers.CharField())


class TierAnswer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    verdicts = VerdictAnswer(many=True)


class LargeTierAnswer(TierAnswer):
    max_grant = serializers.DecimalField(**MONEY)


class TiersAnswer(serializers.Serializer):
    small = TierAnswer()
    medium = TierAnswer()
    large = LargeTierAnswer()


class EligibilityCheckAnswer(serializers.Serializer):
    income_limit = serializers.DecimalField(**MONEY)
    tiers = TiersAnswer()
    parameters = serializers.DictField(child=serializers.CharField())


class DiyCalculationRequest(ProgrammeDateRequest):
    measure = serializers.ChoiceField(choices=LargeMeasure.choices,
                                      help_text=_("facade, roof, attic_floor, floor or soil."))
    area_m2 = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=Decimal("0"), max_value=MAX_AREA_M2)

    def validate_measure(self, value):
        if value not in DiyMeasure.values:
            raise serializers.ValidationError(_(
                "%(measure)s cannot be done DIY: it is a contractor's measure. DIY measures: %(choices)s.")
                % {"measure": value, "choices": ", ".join(DiyMeasure.values)})
        return value


class LineAnswer(serializers.Serializer):
    label = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)


class DiyCalculationAnswer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=DiyMeasure.choices)
    area_m2 = serializers.DecimalField(max_digits=7, decimal_places=2)
    area_used_m2 = serializers.DecimalField(max_digits=7, decimal_places=2)
    grant = serializers.DecimalField(**MONEY)
    lines = LineAnswer(many=True)
    notes = serializers.ListField(child=serializers.CharField())
    parameters = serializers.DictField(child=serializers.CharField())


class MeasureCostRequest(serializers.Serializer):
    measure = serializers.ChoiceField(choices=LargeMeasure.choices)
    cost = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0"), max_value=MAX_MEASURE_COST)


class FinancingRequest(ProgrammeDateRequest):
    yearly_income = serializers.DecimalField(**MONEY, max_value=MAX_YEARLY_INCOME,
                                             help_text=_("Yearly household income (Warmtefonds test)."))
    loan_years = serializers.IntegerField(min_value=1, max_value=30)
    yearly_interest_rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, min_value=Decimal("0"), max_value=Decimal("1"), required=False,
        allow_null=True, help_text=_("Yearly rate as a fraction (0.04 = 4 percent); used when the income is above "
                                     "the zero-interest limit."))
    measures = MeasureCostRequest(many=True, allow_empty=False, max_length=10)


class FinancingAnswer(serializers.Serializer):
    total_cost = serializers.DecimalField(**MONEY)
    isde = serializers.DecimalField(**MONEY)
    municipal_grant = serializers.DecimalField(**MONEY)
    loan = serializers.DecimalField(**MONEY)
    own_contribution = serializers.DecimalField(**MONEY)
    interest_rate = serializers.CharField(help_text=_("Yearly rate as a fraction, e.g. 0.00 or 0.04."))
    loan_years = serializers.IntegerField()
    monthly_payment = serializers.DecimalField(**MONEY)
    notes = serializers.ListField(child=serializers.CharField())
    parameters = serializers.DictField(child=serializers.CharField())
