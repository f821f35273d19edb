"""Background work of the fieldwork app (Django's tasks API; `manage.py db_worker` runs it)."""

from django.tasks import task


@task()
def render_resident_report(report_id: int, announce: bool = True) -> None:
    """The resident's one-page report after the intake or the installation; e-mailed when there is an address."""
    from fieldwork.reports import render_report

    render_report(report_id, announce=announce)
