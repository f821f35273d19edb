from django.contrib import admin

from accounts.admin import AuditedAdmin, AuditedImportExportAdmin, AuditedResource, ReadOnlyAdmin
from budget.models import BudgetLine, FundingSource, LedgerEntry, Programme, Reallocation


class BudgetLineResource(AuditedResource):
    """Import/export of lines without the cached ledger totals, which only budget.services may write."""

    class Meta:
        model = BudgetLine
        clean_model_instances = True  # the model's checks (never below committed + spent) per row
        fields = ["id", "programme", "kind", "name", "allocated", "position"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        # obj is the programme: once money is booked, allocations move only by reallocation (with a reason).
        if obj is not None and Programme.has_bookings(obj.pk):
            return ["allocated", "committed_open", "spent"]
        return ["committed_open", "spent"]


class FundingSourceInline(admin.TabularInline):
    model = FundingSource
    extra = 0
    filter_horizontal = ["funds_lines"]


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["slug", "name", "municipality", "starts_on", "ends_on", "target_households",
                    "target_large_measures"]
    search_fields = ["slug", "name", "municipality"]
    inlines = [BudgetLineInline, FundingSourceInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(AuditedImportExportAdmin):
    resource_classes = [BudgetLineResource]
    list_display = ["name", "programme", "kind", "allocated", "committed_open", "spent"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and Programme.has_bookings(obj.programme_id):
            return ["allocated", "committed_open", "spent"]
        return ["committed_open", "spent"]
    list_filter = ["programme", "kind"]
    list_select_related = ["programme"]


@admin.register(FundingSource)
class FundingSourceAdmin(AuditedAdmin):
    list_display = ["name", "programme", "amount"]
    list_filter = ["programme"]
    list_select_related = ["programme"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["booked_on", "line", "kind", "amount", "booked_by", "refers_to", "note"]
    list_filter = ["kind", "line__programme", "line"]
    date_hierarchy = "booked_on"
    search_fields = ["note"]
    list_select_related = ["line", "booked_by", "refers_to"]


@admin.register(Reallocation)
class ReallocationAdmin(ReadOnlyAdmin):
    list_display = ["at", "from_line", "to_line", "amount", "by", "reason"]
    list_filter = ["programme"]
    list_select_related = ["from_line", "to_line", "by"]
