"""Why: reference numbers came from the highest existing one with the programme row locked, so every
booking on the programme's budget lines and every registration waited for a running import (issue 9).
A counter row per programme hands them out instead; it starts at the highest number already given."""

import django.db.models.deletion
from django.db import migrations, models


def start_at_the_highest_reference(apps, schema_editor):
    """Each programme's counter starts at the highest generated reference number it has."""
    Programme = apps.get_model("budget", "Programme")
    Household = apps.get_model("households", "Household")
    ReferenceCounter = apps.get_model("households", "ReferenceCounter")
    for programme in Programme.objects.all():
        prefix = f"{programme.reference_prefix}-"
        numbers = [int(reference[len(prefix):]) for reference in
                   Household.objects.filter(programme=programme, reference__startswith=prefix)
                   .values_list("reference", flat=True) if reference[len(prefix):].isdigit()]
        ReferenceCounter.objects.create(programme=programme, last_number=max(numbers, default=0))


class Migration(migrations.Migration):

    dependencies = [
        ('budget', '0007_amounts_in_whole_cents'),
        ('households', '0005_plausible_bounds_and_no_control_characters'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReferenceCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_number', models.PositiveIntegerField(default=0, verbose_name='last reference number')),
                ('programme', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='budget.programme', verbose_name='programme')),
            ],
            options={
                'verbose_name': 'reference counter',
                'verbose_name_plural': 'reference counters',
            },
        ),
        migrations.RunPython(start_at_the_highest_reference, migrations.RunPython.noop),
    ]
