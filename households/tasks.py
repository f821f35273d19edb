"""Background work of the household register (Django tasks; `manage.py db_worker` runs them)."""

from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation

from households.imports import (
    FIRST_DATA_ROW,
    MAX_ERRORS,
    FileError,
    RowRefused,
    check_row,
    duplicate_references,
    read_table,
    register_rows,
)
from households.models import HouseholdImport

PROGRESS_EVERY = 25  # rows between progress updates


def _update(job: HouseholdImport, **fields) -> None:
    HouseholdImport.objects.filter(pk=job.pk).update(**fields)


def _finish(job: HouseholdImport, status: str, *, errors=(), registered: int = 0) -> None:
    """The end of an import; the uploaded file (personal data) is not kept."""
    _update(job, status=status, errors=list(errors)[:MAX_ERRORS], registered=registered, content=None,
            finished_at=timezone.now())


@task()
def import_households(import_id: int) -> int:
    """Check every row of the uploaded file; register all of them, or none. Returns the number registered."""
    job = HouseholdImport.objects.select_related("programme", "requested_by").get(pk=import_id)
    _update(job, status=HouseholdImport.Status.CHECKING)
    try:
        with translation.override(job.language):
            return _import(job)
    except Exception:
        _finish(job, HouseholdImport.Status.FAILED)
        raise


def _import(job: HouseholdImport) -> int:
    try:
        rows = read_table(bytes(job.content), job.filename)
    except FileError as error:
        _finish(job, HouseholdImport.Status.REJECTED, errors=[{"row": None, "column": "", "message": str(error)}])
        return 0
    _update(job, rows_total=len(rows))
    checked = []
    for index, row in enumerate(rows):
        checked.append(check_row(FIRST_DATA_ROW + index, row, programme=job.programme))
        if (index + 1) % PROGRESS_EVERY == 0:
            _update(job, rows_checked=index + 1)
    _update(job, rows_checked=len(rows))
    errors = [error for each in checked for error in each.errors] + duplicate_references(checked)
    if errors:
        _finish(job, HouseholdImport.Status.REJECTED, errors=sorted(errors, key=lambda error: error["row"]))
        return 0
    try:
        with transaction.atomic():
            registered = register_rows(checked, programme=job.programme, by=job.requested_by)
    except RowRefused as refused:  # a rule the checks could not see (e.g. a reference taken meanwhile)
        _finish(job, HouseholdImport.Status.REJECTED, errors=refused.errors)
        return 0
    _finish(job, HouseholdImport.Status.DONE, registered=registered)
    return registered
