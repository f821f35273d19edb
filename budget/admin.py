from django.contrib import admin
from import_export import resources
from import_export.admin import ImportExportModelAdmin

from budget.models import BudgetLine, FundingSource, LedgerEntry, Programme, Reallocation


class BudgetLineResource(resources.ModelResource):
    """Import/export of lines without the cached ledger totals, which only budget.services may write."""

    class Meta:
        model = BudgetLine
        fields = ["id", "programme", "kind", "name", "allocated", "position"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    readonly_fields = ["committed_open", "spent"]


class FundingSourceInline(admin.TabularInline):
    model = FundingSource
    extra = 0
    filter_horizontal = ["funds_lines"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "municipality", "starts_on", "ends_on", "target_households",
                    "target_large_measures"]
    search_fields = ["slug", "name", "municipality"]
    inlines = [BudgetLineInline, FundingSourceInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(ImportExportModelAdmin):
    resource_classes = [BudgetLineResource]
    list_display = ["name", "programme", "kind", "allocated", "committed_open", "spent"]
    readonly_fields = ["committed_open", "spent"]
    list_filter = ["programme", "kind"]
    list_select_related = ["programme"]


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "amount"]
    list_filter = ["programme"]
    list_select_related = ["programme"]


class AppendOnlyAdmin(admin.ModelAdmin):
    """Read-only: entries are booked through the budget pages and corrected by a reversal, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(AppendOnlyAdmin):
    list_display = ["booked_on", "line", "kind", "amount", "booked_by", "refers_to", "note"]
    list_filter = ["kind", "line__programme", "line"]
    date_hierarchy = "booked_on"
    search_fields = ["note"]
    list_select_related = ["line", "booked_by", "refers_to"]


@admin.register(Reallocation)
class ReallocationAdmin(AppendOnlyAdmin):
    list_display = ["at", "from_line", "to_line", "amount", "by", "reason"]
    list_filter = ["programme"]
    list_select_related = ["from_line", "to_line", "by"]
