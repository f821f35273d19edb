"""The files of a payment batch (issue 14, retention): the bank's record of the payments, naming every payee with their
account, kept for the programme's financial retention after the batch was paid, then deleted by the daily run; the
batch's row and totals stay."""

import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.retention import forget_expired
from subsidy.models import PaymentBatch
from subsidy.payments import request_batch, write_batch
from tests.factories import application_in

pytestmark = pytest.mark.django_db


def batch_of(people, *, years_ago: int, days: int = 0) -> PaymentBatch:
    """A batch written now, then dated back: paid (executed and finished) `years_ago` years and `days` days ago."""
    application = application_in("payout_set", people, invoice="3900.00", payout="3900.00")
    batch = request_batch(application.programme, by=people["finance"], execution_date=timezone.localdate())
    write_batch(batch.pk)
    moment = timezone.now().replace(year=timezone.now().year - years_ago) - datetime.timedelta(days=days)
    PaymentBatch.objects.filter(pk=batch.pk).update(execution_date=timezone.localdate(moment), finished_at=moment)
    batch.refresh_from_db()
    return batch


def files_of(batch: PaymentBatch) -> list:
    return [batch.xlsx_file, batch.csv_file, batch.sepa_file]


def test_the_files_of_a_batch_older_than_the_financial_term_are_deleted_and_its_totals_stay(
        people, programme, django_capture_on_commit_callbacks):
    old, recent = batch_of(people, years_ago=7, days=2), batch_of(people, years_ago=6)
    assert programme.financial_retention_years == 7
    stored = [file.path for file in files_of(old)]

    with django_capture_on_commit_callbacks(execute=True):
        forgotten = forget_expired(timezone.now())

    old.refresh_from_db()
    recent.refresh_from_db()
    assert forgotten["payment batch files"] == 1
    assert [file.name for file in files_of(old)] == ["", "", ""]
    assert not any(Path(path).exists() for path in stored)
    assert (old.status, old.payments, old.total) == (PaymentBatch.Status.DONE, 1, Decimal("3900.00"))
    assert all(file.name and file.storage.exists(file.name) for file in files_of(recent))
    event = AuditEvent.objects.for_object(old).get(action="payment_batch.files_removed")
    assert event.actor is None and event.data["financial_retention_years"] == 7


def test_a_batch_executed_later_than_it_was_made_is_kept_from_its_execution(people):
    batch = batch_of(people, years_ago=7, days=2)
    PaymentBatch.objects.filter(pk=batch.pk).update(execution_date=timezone.localdate() - datetime.timedelta(days=2000))

    assert forget_expired(timezone.now())["payment batch files"] == 0


def test_the_daily_run_deletes_them_and_the_batch_page_says_so(client, people):
    batch = batch_of(people, years_ago=8)
    out = StringIO()

    call_command("anonymise_expired", stdout=out)
    client.force_login(people["finance"])
    page = client.get(reverse("subsidy:payment_batch", args=[batch.pk])).content.decode()
    download = client.get(reverse("subsidy:payment_batch_download", args=[batch.pk, "sepa"]))

    assert "payment batch files 1" in out.getvalue()
    assert "De bestanden van deze export zijn verwijderd" in page
    assert reverse("subsidy:payment_batch_download", args=[batch.pk, "sepa"]) not in page
    assert download.status_code == 404
