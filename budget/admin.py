from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from budget.models import BudgetLine, FundingSource, Programme


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


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
    list_display = ["name", "programme", "kind", "allocated"]
    list_filter = ["programme", "kind"]
    list_select_related = ["programme"]


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "amount"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
