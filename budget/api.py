"""The budget API under /api/v1/ (docs/budget.md, "API").

GET  programmes/{slug}/budget-lines/                        each line's balance (finance, coordinator, assessors)
POST programmes/{slug}/budget-lines/{id}/expenditures/      book a direct expenditure (finance officers)
Amounts travel as decimal strings. Bad input is a 400 naming the field, never a 500; a refused booking
(more than is available) is a 400 on `amount` and books nothing.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.text import no_control_characters_multiline
from budget.models import AMOUNT, BudgetLine, LedgerEntry, Programme
from budget.selectors import budget_lines
from budget.services import spend_direct

BAD_INPUT = OpenApiResponse(description="Bad input or a refused booking: the body names each field that is wrong.")
FORBIDDEN = OpenApiResponse(description="Not logged in, or the role may not do this.")
NOT_FOUND = OpenApiResponse(description="No programme with this code, or no such line in it.")


class MayViewBudget(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.user.has_perm("budget.view_budget")


class BudgetLineBalanceSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    allocated = serializers.DecimalField(**AMOUNT, read_only=True)
    committed = serializers.DecimalField(**AMOUNT, read_only=True, source="committed_open",
                                         help_text="Open commitments: reserved, not yet paid or released.")
    spent = serializers.DecimalField(**AMOUNT, read_only=True)
    available = serializers.DecimalField(**AMOUNT, read_only=True)

    class Meta:
        model = BudgetLine
        fields = ["id", "kind", "name", "allocated", "committed", "spent", "available"]


class ExpenditureRequestSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**AMOUNT, help_text="Euros, greater than zero, at most two decimals.")
    booked_on = serializers.DateField(required=False, help_text="Booking date; today when left out.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                 validators=[no_control_characters_multiline], help_text="E.g. the invoice number.")


class LedgerEntrySerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(**AMOUNT, read_only=True)
    booked_by = serializers.CharField(source="booked_by.username", read_only=True)

    class Meta:
        model = LedgerEntry
        fields = ["id", "line", "kind", "amount", "booked_on", "booked_by", "refers_to", "note"]
        read_only_fields = fields


def _programme(slug: str) -> Programme:
    return get_object_or_404(Programme, slug=slug)


class BudgetLineListView(APIView):
    permission_classes = [IsAuthenticated, MayViewBudget]

    @extend_schema(operation_id="budget_lines_list", responses={200: BudgetLineBalanceSerializer(many=True),
                                                                403: FORBIDDEN, 404: NOT_FOUND},
                   tags=["budget"], summary="Each budget line of a programme with its balance")
    def get(self, request, slug: str):
        lines = budget_lines(_programme(slug))
        return Response(BudgetLineBalanceSerializer(lines, many=True).data)


class ExpenditureView(APIView):
    permission_classes = [IsAuthenticated, MayViewBudget]

    @extend_schema(operation_id="budget_line_expenditure_create", request=ExpenditureRequestSerializer,
                   responses={201: LedgerEntrySerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
                   tags=["budget"],
                   summary="Book a direct expenditure on a budget line")
    def post(self, request, slug: str, pk: int):
        if not request.user.has_perm("budget.book_expenditure"):
            raise PermissionDenied()
        line = get_object_or_404(BudgetLine, pk=pk, programme__slug=slug)
        incoming = ExpenditureRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        # A refusal (BudgetError) or a missing permission is answered by accounts.api.exception_handler.
        entry = spend_direct(line, data["amount"], by=request.user, note=data.get("note", ""),
                             booked_on=data.get("booked_on"))
        return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("programmes/<slug:slug>/budget-lines/", BudgetLineListView.as_view(), name="budget-line-list"),
    path("programmes/<slug:slug>/budget-lines/<int:pk>/expenditures/", ExpenditureView.as_view(),
         name="budget-line-expenditure"),
]
