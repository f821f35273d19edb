"""The public eligibility API under /api/v1/: no authentication, throttled, stores nothing.

POST eligibility/check           the result per tier with its reasons (like the self-check page)
POST calculations/diy            the DIY grant with every line of the calculation
POST calculations/financing      ISDE, municipal grant, Warmtefonds loan and its monthly payment
Decimals travel as strings. Every bad input is a 400 naming the field, never a 500.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.throttling import AnonRateThrottle
from eligibility.calculators import MeasureCost
from eligibility.rules import Circumstances
from eligibility.serializers import (
    DiyCalculationAnswer,
    DiyCalculationRequest,
    EligibilityCheckAnswer,
    EligibilityCheckRequest,
    FinancingAnswer,
    FinancingRequest,
)
from eligibility.services import calculate_diy_grant, calculate_financing, check_eligibility

BAD_INPUT = OpenApiResponse(description="Bad input: the body names each field that is wrong.")
THROTTLED = OpenApiResponse(description="Too many requests from this address; `Retry-After` says when to try again.")


class PublicCalculationThrottle(AnonRateThrottle):
    """Per client address; the rate is `DEFAULT_THROTTLE_RATES["public_calculation"]`."""

    scope = "public_calculation"


class PublicCalculationView(APIView):
    authentication_classes: list = []  # public: nobody logs in, nothing is stored
    permission_classes = [AllowAny]
    throttle_classes = [PublicCalculationThrottle]
    request_serializer: type[serializers.Serializer]

    def post(self, request):
        incoming = self.request_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        # NoParametersOnDate and InterestRateNeeded are refusals: a 400 on their field (accounts.api).
        return Response(self.answer(incoming.validated_data), status=status.HTTP_200_OK)

    def answer(self, data) -> dict:
        raise NotImplementedError


class EligibilityCheckView(PublicCalculationView):
    request_serializer = EligibilityCheckRequest

    @extend_schema(operation_id="eligibility_check", request=EligibilityCheckRequest,
                   responses={200: EligibilityCheckAnswer, 400: BAD_INPUT, 429: THROTTLED}, tags=["eligibility"],
                   summary="Who qualifies for which measures, and why")
    def post(self, request):
        return super().post(request)

    def answer(self, data) -> dict:
        circumstances = Circumstances(
            household_type=data["household_type"], net_monthly_income=data.get("net_monthly_income"),
            energy_allowance_received=data["energy_allowance_received"], energy_label=data["energy_label"],
            tenure=data["tenure"], large_measures_taken=0)
        result = check_eligibility(data["programme"], data["date"], circumstances)
        tiers = {}
        for tier in result.tiers:
            tiers[tier.tier] = {"status": tier.status, "verdicts": [verdict.as_record() for verdict in tier.verdicts]}
            if tier.max_grant is not None:
                tiers[tier.tier]["max_grant"] = tier.max_grant
        return EligibilityCheckAnswer({"income_limit": result.income_limit, "tiers": tiers,
                                       "parameters": result.parameters}).data


class DiyCalculationView(PublicCalculationView):
    request_serializer = DiyCalculationRequest

    @extend_schema(operation_id="calculations_diy", request=DiyCalculationRequest,
                   responses={200: DiyCalculationAnswer, 400: BAD_INPUT, 429: THROTTLED}, tags=["calculations"],
                   summary="The DIY grant for an insulation measure and area")
    def post(self, request):
        return super().post(request)

    def answer(self, data) -> dict:
        result = calculate_diy_grant(data["programme"], data["date"], data["measure"], data["area_m2"])
        return DiyCalculationAnswer({
            "measure": result.measure, "area_m2": result.area_m2, "area_used_m2": result.area_used_m2,
            "grant": result.grant, "lines": [line.as_record() for line in result.lines], "notes": list(result.notes),
            "parameters": result.parameters}).data


class FinancingView(PublicCalculationView):
    request_serializer = FinancingRequest

    @extend_schema(operation_id="calculations_financing", request=FinancingRequest,
                   responses={200: FinancingAnswer, 400: BAD_INPUT, 429: THROTTLED}, tags=["calculations"],
                   summary="Financing plan: ISDE, municipal grant and Warmtefonds loan")
    def post(self, request):
        return super().post(request)

    def answer(self, data) -> dict:
        measures = [MeasureCost(item["measure"], item["cost"]) for item in data["measures"]]
        plan = calculate_financing(data["programme"], data["date"], measures, yearly_income=data["yearly_income"],
                                   loan_years=data["loan_years"],
                                   yearly_interest_rate=data.get("yearly_interest_rate"))
        return FinancingAnswer({
            "total_cost": plan.total_cost, "isde": plan.isde, "municipal_grant": plan.municipal_grant,
            "loan": plan.loan, "own_contribution": plan.own_contribution,
            "interest_rate": rate_as_text(plan.interest_rate), "loan_years": plan.loan_years,
            "monthly_payment": plan.monthly_payment, "notes": list(plan.notes), "parameters": plan.parameters}).data


def rate_as_text(rate) -> str:
    """0 → '0.00', 0.0400 → '0.04', 0.0450 → '0.045': at least two decimals, no trailing zeros beyond."""
    text = f"{rate.normalize():f}"
    whole, _dot, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"


urlpatterns = [
    path("eligibility/check", EligibilityCheckView.as_view(), name="eligibility-check"),
    path("calculations/diy", DiyCalculationView.as_view(), name="calculation-diy"),
    path("calculations/financing", FinancingView.as_view(), name="calculation-financing"),
]
