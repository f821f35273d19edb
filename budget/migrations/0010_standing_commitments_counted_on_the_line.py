"""Why: the forecast's average grant added up every grant commitment on each overview (issue 10); the
line now keeps the number and total of its commitments that were not reversed, computed here once."""

import budget.fields
from decimal import Decimal
from django.db import migrations, models
from django.db.models import Count, Sum


def count_standing_commitments(apps, schema_editor):
    BudgetLine = apps.get_model("budget", "BudgetLine")
    LedgerEntry = apps.get_model("budget", "LedgerEntry")
    rows = (LedgerEntry.objects.filter(kind="commitment").exclude(follow_ups__kind="reversal")
            .order_by().values("line_id").annotate(total=Sum("amount"), number=Count("pk")))
    for row in rows:
        BudgetLine.objects.filter(pk=row["line_id"]).update(commitment_count=row["number"],
                                                            commitments_total=row["total"])


class Migration(migrations.Migration):

    dependencies = [
        ('budget', '0009_plausible_bounds_and_no_control_characters'),
    ]

    operations = [
        migrations.AddField(
            model_name='budgetline',
            name='commitment_count',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='commitments'),
        ),
        migrations.AddField(
            model_name='budgetline',
            name='commitments_total',
            field=budget.fields.AmountField(default=Decimal('0.00'), editable=False, verbose_name='committed in total'),
        ),
        migrations.RunPython(count_standing_commitments, migrations.RunPython.noop),
    ]
