"""Transactional tests empty the database between tests: the append-only tables' DELETE triggers (accounts.db_guard)
let `manage.py flush` pass, and only it."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import ViewLog


@pytest.mark.django_db(transaction=True)
def test_flushing_the_whole_database_also_empties_the_view_log(handyman):
    ViewLog.objects.create(user=handyman, subject_key="household:1", subject_label="HV-0001",
                           kind=ViewLog.Kind.PAGE, what="households:detail", path="/households/1/",
                           at=timezone.now())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_viewlog")

    call_command("flush", interactive=False, verbosity=0)

    assert not ViewLog.objects.exists()
