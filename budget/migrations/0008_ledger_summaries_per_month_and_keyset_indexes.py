"""Why: the spending-per-month chart added up the whole ledger on every overview and ledger page, and
the ledger pages counted and skipped all earlier rows (issue 10). A per-line, per-month summary and an
entry count on the line, kept by budget.services with each entry, and indexes for keyset pages.
The summaries of existing ledgers are computed here once.
"""

import budget.fields
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def summarise_existing_ledgers(apps, schema_editor):
    from budget.models import ledger_effect  # pure: how an entry moves its line

    BudgetLine = apps.get_model("budget", "BudgetLine")
    LedgerEntry = apps.get_model("budget", "LedgerEntry")
    LineMonth = apps.get_model("budget", "LineMonth")
    months, counts = {}, {}
    rows = LedgerEntry.objects.values_list("line_id", "kind", "amount", "booked_on", "refers_to_id",
                                          "refers_to__kind", "refers_to__refers_to_id")
    for line_id, kind, amount, booked_on, refers_to, reversed_kind, reversed_refers_to in rows.iterator():
        reverses = (reversed_kind, reversed_refers_to is not None) if kind == "reversal" else None
        committed, spent = ledger_effect(kind, amount, draws_on_commitment=refers_to is not None, reverses=reverses)
        key = (line_id, booked_on.replace(day=1))
        total = months.setdefault(key, [0, 0, 0])
        total[0] += committed
        total[1] += spent
        total[2] += 1
        counts[line_id] = counts.get(line_id, 0) + 1
    LineMonth.objects.bulk_create(
        LineMonth(line_id=line_id, month=month, committed=committed, spent=spent, entries=entries)
        for (line_id, month), (committed, spent, entries) in months.items())
    for line_id, count in counts.items():
        BudgetLine.objects.filter(pk=line_id).update(entry_count=count)


class Migration(migrations.Migration):

    dependencies = [
        ('budget', '0007_amounts_in_whole_cents'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LineMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='The first day of the month.', verbose_name='month')),
                ('committed', budget.fields.AmountField(default=Decimal('0.00'), verbose_name='change in open commitments')),
                ('spent', budget.fields.AmountField(default=Decimal('0.00'), verbose_name='change in spending')),
                ('entries', models.PositiveIntegerField(default=0, verbose_name='entries')),
            ],
            options={
                'verbose_name': 'month of a budget line',
                'verbose_name_plural': 'months of budget lines',
                'ordering': ['line', 'month'],
            },
        ),
        migrations.RemoveIndex(
            model_name='ledgerentry',
            name='budget_ledg_line_id_00ad99_idx',
        ),
        migrations.AddField(
            model_name='budgetline',
            name='entry_count',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='ledger entries'),
        ),
        migrations.AddIndex(
            model_name='ledgerentry',
            index=models.Index(fields=['line', 'booked_on', 'id'], name='ledger_line_by_date'),
        ),
        migrations.AddIndex(
            model_name='ledgerentry',
            index=models.Index(fields=['line', 'kind', 'booked_on', 'id'], name='ledger_line_kind_by_date'),
        ),
        migrations.AddField(
            model_name='linemonth',
            name='line',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='months', to='budget.budgetline', verbose_name='budget line'),
        ),
        migrations.AddConstraint(
            model_name='linemonth',
            constraint=models.UniqueConstraint(fields=('line', 'month'), name='one_summary_per_line_and_month'),
        ),
        migrations.RunPython(summarise_existing_ledgers, migrations.RunPython.noop),
    ]
