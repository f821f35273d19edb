"""Background work of the budget app (Django tasks; `manage.py db_worker` runs them)."""

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import override
from import_export.formats.base_formats import CSV, XLSX

from budget.models import LedgerEntry, LedgerExport
from budget.resources import LedgerEntryResource

FORMATS = {LedgerExport.Format.CSV: CSV, LedgerExport.Format.XLSX: XLSX}


@task()
def export_ledger(export_id: int) -> int:
    """Write one line's ledger to the export's file; returns the number of rows."""
    export = LedgerExport.objects.select_related("line__programme").get(pk=export_id)
    LedgerExport.objects.filter(pk=export.pk).update(status=LedgerExport.Status.RUNNING)
    try:
        entries = LedgerEntry.objects.with_details().filter(line=export.line).order_by("booked_on", "pk")
        with override("nl"):
            dataset = LedgerEntryResource().export(queryset=entries)
            data = FORMATS[export.file_format]().export_data(dataset)
        content = data.encode("utf-8-sig") if isinstance(data, str) else data
    except Exception:
        LedgerExport.objects.filter(pk=export.pk).update(status=LedgerExport.Status.FAILED,
                                                         finished_at=timezone.now())
        raise
    with transaction.atomic():
        LedgerExport.objects.filter(pk=export.pk).update(status=LedgerExport.Status.DONE, rows=len(dataset),
                                                         content=content, finished_at=timezone.now())
    return len(dataset)
