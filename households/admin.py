"""The household register in the admin: for corrections and exports by the coordinator.

Day-to-day work goes through the pages (and their services); the status is changed only there, by
its transitions, so it is read-only here. Every save and delete here leaves an audit event. Opening the change page
of a household or of what is its own (its dwelling, a consent, an assessment) is a look in the household's view log,
and so is every export (docs/security.md, "Who looked").
"""

from django.contrib import admin
from import_export.admin import ExportMixin

from accounts.admin import AuditedAdmin, ExportInViewLog, ReadOnlyAdmin
from accounts.roles import Role
from eligibility import admin as eligibility_admin  # registered first: its Assessment admin is logged below
from eligibility.models import Assessment
from households.forms import users_with_role
from households.models import Consent, Dwelling, Household, HouseholdImport, PrivacyStatement
from households.resources import HouseholdResource
from households.viewlog import log_household_page


class LooksInViewLog:
    """The change page (GET, after the admin's permission check) of a household or of what belongs to one is a look
    at that household (`household_of`); a save is audited instead, as on the pages."""

    def household_of(self, obj) -> Household:
        return obj.household

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            log_household_page(request, self.household_of(obj))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class DwellingInline(admin.StackedInline):
    model = Dwelling
    extra = 0
    max_num = 1
    can_delete = False


class ConsentInline(admin.TabularInline):
    """Consent is recorded on the household page, with who recorded it; here it is only shown."""

    model = Consent
    extra = 0
    fields = ["statement", "given_on", "processing", "share_address_level", "recorded_by", "withdrawn_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Household)
class HouseholdAdmin(LooksInViewLog, ExportInViewLog, ExportMixin, AuditedAdmin):
    resource_classes = [HouseholdResource]
    list_display = ["reference", "contact_name", "programme", "status", "handyman", "community_worker",
                    "created_at"]
    list_filter = ["programme", "status", "household_type", "referral_source", "dwelling__tenure",
                   "dwelling__energy_label"]
    search_fields = ["reference", "contact_name", "email", "dwelling__postcode", "dwelling__street"]
    list_select_related = ["programme", "handyman", "community_worker"]
    readonly_fields = ["reference", "status", "registered_by", "created_at", "updated_at"]
    inlines = [DwellingInline, ConsentInline]

    def household_of(self, obj) -> Household:
        return obj

    def has_add_permission(self, request):
        return False  # registered through the household pages or the import: reference number, audit, consent

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only people with the role can be assigned, as on the assignment page.
        if db_field.name == "handyman":
            kwargs["queryset"] = users_with_role(Role.HANDYMAN)
        elif db_field.name == "community_worker":
            kwargs["queryset"] = users_with_role(Role.COMMUNITY_WORKER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Dwelling)
class DwellingAdmin(LooksInViewLog, AuditedAdmin):
    list_display = ["household", "street", "house_number", "postcode", "city", "energy_label", "tenure"]
    list_filter = ["tenure", "energy_label", "dwelling_type", "city"]
    search_fields = ["street", "postcode", "bag_id", "household__reference"]
    list_select_related = ["household"]
    readonly_fields = ["household"]

    def has_add_permission(self, request):
        return False  # a dwelling is registered with its household


@admin.register(Consent)
class ConsentAdmin(LooksInViewLog, ReadOnlyAdmin):
    list_display = ["household", "statement", "given_on", "processing", "share_address_level",
                    "recorded_by", "withdrawn_at"]
    list_filter = ["statement__version", "processing", "share_address_level"]
    search_fields = ["household__reference"]
    list_select_related = ["household", "recorded_by", "statement"]


@admin.register(PrivacyStatement)
class PrivacyStatementAdmin(ReadOnlyAdmin):
    """The register is kept on its own page (households:privacy_statements): a stored version never changes."""

    list_display = ["programme", "version", "title", "valid_from", "created_by", "created_at"]
    list_filter = ["programme"]
    list_select_related = ["programme", "created_by"]


@admin.register(HouseholdImport)
class HouseholdImportAdmin(ReadOnlyAdmin):
    """Imports are records of what was registered when, by whom; the file itself is not kept."""

    list_display = ["filename", "programme", "requested_by", "requested_at", "status", "rows_total", "registered"]
    list_filter = ["status", "programme"]
    list_select_related = ["programme", "requested_by"]
    exclude = ["content"]


admin.site.unregister(Assessment)


@admin.register(Assessment)
class AssessmentAdmin(LooksInViewLog, eligibility_admin.AssessmentAdmin):
    """eligibility's admin (the income and household figures that were assessed), its look logged here: eligibility
    does not know households' view log."""
