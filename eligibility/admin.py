"""Reference data of the eligibility rules, managed by the coordinator (with import/export).

A change for a new date is a *new row* with a later `valid_from`, never an edit of a row that
assessments already used (docs/eligibility.md, "Changing parameters").
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import AuditedImportExportAdmin, ReadOnlyAdmin
from eligibility.models import Assessment, DiyRate, LargeMeasureCost, RuleSet, SocialMinimumNorm


@admin.register(SocialMinimumNorm)
class SocialMinimumNormAdmin(AuditedImportExportAdmin):
    save_as = True  # a change for a new date is a copy with a later valid_from
    list_display = ["valid_from", "category", "amount", "holiday_allowance_percentage"]
    list_filter = ["category", "valid_from"]
    date_hierarchy = "valid_from"


@admin.register(RuleSet)
class RuleSetAdmin(AuditedImportExportAdmin):
    save_as = True  # a change for a new date is a copy with a later valid_from
    list_display = ["version", "programme", "valid_from", "income_percentage", "norm_includes_holiday_allowance",
                    "worst_non_qualifying_label", "max_large_grant"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    fieldsets = [
        (None, {"fields": ["programme", "valid_from", "version"]}),
        (_("Income and dwelling"), {"fields": ["income_percentage", "norm_includes_holiday_allowance",
                                            "worst_non_qualifying_label"]}),
        (_("Measures and grants"), {"fields": ["large_requires_owner_occupier", "large_measures_per_dwelling",
                                            "max_large_grant", "products_limit_per_dwelling",
                                            "diy_cutting_loss_factor", "diy_finishing_rate", "decision_term_days"]}),
        (_("Financing"), {"fields": ["isde_percentage", "isde_minimum_measures", "zero_interest_income_limit",
                                  "loan_minimum", "loan_maximum"]}),
    ]


@admin.register(DiyRate)
class DiyRateAdmin(AuditedImportExportAdmin):
    save_as = True  # a change for a new date is a copy with a later valid_from
    list_display = ["measure", "programme", "valid_from", "rate_per_m2", "max_area_m2", "min_rd"]
    list_filter = ["programme", "measure"]
    list_select_related = ["programme"]


@admin.register(LargeMeasureCost)
class LargeMeasureCostAdmin(AuditedImportExportAdmin):
    save_as = True  # a change for a new date is a copy with a later valid_from
    list_display = ["measure", "programme", "valid_from", "cost_minimum", "cost_maximum",
                    "yearly_savings_minimum", "yearly_savings_maximum"]
    list_filter = ["programme", "measure"]
    list_select_related = ["programme"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    """Assessments are records of their moment: visible for checking, never added or changed here."""

    list_display = ["household", "reference_date", "rule_set_version", "small_status", "medium_status",
                    "large_status", "assessed_by", "assessed_at"]
    list_filter = ["programme", "rule_set_version", "large_status"]
    list_select_related = ["household", "assessed_by"]
    readonly_fields = [field.name for field in Assessment._meta.fields]
