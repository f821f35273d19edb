"""Ledger entries are never changed or deleted: not by the model, not by the admin, not in the database."""

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from accounts.append_only import AppendOnlyError
from budget.models import LedgerEntry
from budget.services import spend_direct

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(handymen_line, finance_officer):
    return spend_direct(handymen_line, "100.00", by=finance_officer, note="invoice")


def test_the_model_refuses_to_save_an_existing_entry_again(entry):
    entry.note = "changed"

    with pytest.raises(ValueError, match="append-only"):
        entry.save()


def test_the_model_refuses_to_delete_an_entry(entry):
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_the_admin_shows_entries_read_only(entry, coordinator):
    request = RequestFactory().get("/admin/")
    request.user = coordinator
    admin = site._registry[LedgerEntry]

    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)


@pytest.mark.parametrize("statement", [
    "UPDATE budget_ledgerentry SET amount = 1 WHERE id = %s",
    "DELETE FROM budget_ledgerentry WHERE id = %s",
])
def test_the_database_refuses_to_change_or_delete_an_entry(entry, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry.pk])

    assert LedgerEntry.objects.get(pk=entry.pk).amount == entry.amount


def test_a_queryset_update_is_refused_too(entry):
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(note="changed")


def test_a_queryset_update_that_slips_past_the_model_is_refused_by_the_database(entry):
    from django.db.models.query import QuerySet

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        QuerySet.update(LedgerEntry.objects.filter(pk=entry.pk), note="changed")
