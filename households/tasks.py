"""Background work of the household register (Django tasks; `manage.py db_worker` runs them)."""

from django.tasks import task

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
