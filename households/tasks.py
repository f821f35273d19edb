"""Background work of the household register (Django tasks; `manage.py db_worker` runs them)."""

from django.db import transaction
from django.tasks import task

from accounts.audit import record_event
from accounts.roles import ensure_may
from households.imports import check_import, run_import
from households.models import HouseholdImport


def _job(import_id: int) -> HouseholdImport:
    return HouseholdImport.objects.select_related("programme", "requested_by").get(pk=import_id)


@task()
def check_households_import(import_id: int) -> None:
    """The dry run of an uploaded file: what each row would do, nothing written (households.imports.check_import)."""
    check_import(_job(import_id))


@task()
def import_households(import_id: int) -> int:
    """Check the file again and register and update its households, all or none (households.imports.run_import)."""
    return run_import(_job(import_id))


@transaction.atomic
def start_import(job: HouseholdImport, *, by) -> bool:
    """Import a checked file without refused rows, once (a second call finds it importing): the task checks it again
    and writes all or nothing. The database task backend stores the task in this same transaction. Returns whether
    it started."""
    ensure_may(by, "households.import_households")
    started = HouseholdImport.objects.filter(pk=job.pk, status=HouseholdImport.Status.CHECKED, refused=0).update(
        status=HouseholdImport.Status.IMPORTING, rows_checked=0)
    if started:
        record_event(job, actor=by, action="household_import_started", note=job.filename)
        import_households.enqueue(job.pk)
    return bool(started)
