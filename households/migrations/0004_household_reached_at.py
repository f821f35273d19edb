"""Households reached: a household counts once it has been active, not merely because it is closed.

Before this, "households reached" counted every active or closed household, including those closed
straight from registered (never consented, never worked with). `reached_at` is set by the
transitions into active. Existing households get it from their audit trail: the first consent that
activated them, or the first reopening; an active household without such an event (older data)
counts from its registration.
"""

from django.db import migrations, models


def backfill_reached_at(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="households", model="household").first()
    first_active = {}
    if content_type is not None:
        events = AuditEvent.objects.filter(content_type=content_type, action__in=["consent_recorded", "reopened"])
        for event in events.order_by("at", "pk").iterator():
            if event.action == "reopened" or (event.data or {}).get("activated"):
                first_active.setdefault(event.object_id, event.at)
    for household in Household.objects.exclude(status="registered").iterator():
        reached_at = first_active.get(str(household.pk))
        if reached_at is None and household.status == "active":
            reached_at = household.created_at
        if reached_at is not None:
            Household.objects.filter(pk=household.pk).update(reached_at=reached_at)


class Migration(migrations.Migration):

    dependencies = [
        ("households", "0003_household_imports"),
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="reached_at",
            field=models.DateTimeField(blank=True, editable=False, help_text="When the household first became active.", null=True, verbose_name="reached at"),
        ),
        migrations.RunPython(backfill_reached_at, migrations.RunPython.noop),
    ]
