"""The bench writes its rows with their own ids (`accounts.bulk.insert_rows(…, own_ids=True)`: COPY on
PostgreSQL), so that other rows can refer to them; afterwards each table's sequence is moved past them.
COPY skips `save()` and the model's checks: the callers give every value the invariants need (statuses,
cached totals, reference counter) themselves.
"""

from django.db import connection, models


def reset_sequence(model: type[models.Model]) -> None:
    """After rows were written with their own ids: the next id the database hands out comes after them."""
    statements = connection.ops.sequence_reset_sql(_no_style(), [model])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(highest=models.Max("pk"))["highest"] or 0) + 1


def _no_style():
    from django.core.management.color import no_style

    return no_style()
