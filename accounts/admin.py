"""Admin pieces every app uses: an audit trail for corrections made in the admin, read-only registers."""

from django.contrib import admin
from django.db.models import DecimalField
from import_export import widgets
from import_export.admin import ImportExportMixin
from import_export.resources import modelresource_factory

from accounts.audit import record_event
from accounts.models import AuditEvent, ViewLog
from accounts.spreadsheets import SpreadsheetResource
from accounts.viewlog import log_view, page_name


class AuditedAdmin(admin.ModelAdmin):
    """Corrections in the admin are business acts too: each save and delete leaves an audit event."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = sorted(form.changed_data) if change else []
        record_event(obj, actor=request.user, action="changed_in_admin" if change else "created_in_admin",
                     fields=changed)

    def delete_model(self, request, obj):
        record_event(obj, actor=request.user, action="deleted_in_admin", label=str(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_event(obj, actor=request.user, action="deleted_in_admin", label=str(obj))
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        """Rows changed in an inline (a programme's budget lines, say) are recorded on the parent."""
        super().save_formset(request, form, formset, change)
        created = [str(obj) for obj in formset.new_objects]
        changed = {str(obj): sorted(fields) for obj, fields in formset.changed_objects}
        deleted = [str(obj) for obj in formset.deleted_objects]
        if created or changed or deleted:
            record_event(form.instance, actor=request.user, action="changed_in_admin",
                         inline=formset.model._meta.model_name, created=created, changed=changed, deleted=deleted)


class AuditedResource(SpreadsheetResource):
    """Rows imported in the admin are business acts too: each saved row leaves an audit event."""

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        # Amounts are whole cents in the database (budget.fields.AmountField) but decimals to people.
        if isinstance(f, DecimalField):
            return widgets.DecimalWidget
        return super().widget_from_django_field(f, default)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if not kwargs.get("dry_run"):
            record_event(instance, actor=kwargs.get("user"), action="imported_in_admin")


class AuditedImportExportAdmin(ImportExportMixin, AuditedAdmin):
    """Import and export in the admin, with imported rows in the audit trail like edited ones."""

    def get_resource_classes(self, request):
        if not self.resource_classes:
            return [modelresource_factory(self.model, resource_class=AuditedResource)]
        return super().get_resource_classes(request)


class ExportInViewLog:
    """Before import_export's ExportMixin: each file exported (the export page or the action on chosen rows) is one
    row in the view log, kind export, data subject `admin-export:<app.model>` (docs/security.md, "Who looked"). For
    registers of people; rule sets and budget lines are nobody's personal data."""

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        model = self.model._meta.label_lower
        page = page_name(request)
        log_view(request, subject_key=f"admin-export:{model}", subject_label=model, kind=ViewLog.Kind.EXPORT,
                 what=f"{page} ({file_format.get_extension()})")
        return data


class ReadOnlyAdmin(admin.ModelAdmin):
    """For append-only records: they can be looked at, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "content_type", "object_id", "actor"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_id", "note", "actor__username"]
    list_select_related = ["actor", "content_type"]
