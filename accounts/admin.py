"""Admin pieces every app uses: an audit trail for corrections made in the admin, read-only registers."""

from django.contrib import admin

from accounts.audit import record_event
from accounts.models import AuditEvent


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
