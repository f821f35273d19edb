"""Background work of the household register (Django tasks; `manage.py db_worker` runs them)."""

from django.tasks import task

from households.imports import run_import
from households.models import HouseholdImport


@task()
def import_households(import_id: int) -> int:
    """Check and register the households of an uploaded file (households.imports.run_import)."""
    return run_import(HouseholdImport.objects.select_related("programme", "requested_by").get(pk=import_id))
