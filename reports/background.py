"""Making a file in the background: what the three tasks of the reports app (the programme report's file, the
province export, the export of a list) share.

A task opens `with making(row) as made:` on its `MadeInBackground` row: the row is marked running; inside, the task
records how far it is (`made.progress(rows=…)`, `rows_total=…`) and ends with `made.done(content, …)` (in the
transaction that also records its audit event, where it has one). Anything raised inside marks the row failed, with
the time, and is raised again so the task's result says why. The status page polls the row (htmx) until it is done
or failed; the template `reports/_file_status.html` shows it.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from reports.models import MadeInBackground


class Making:
    """The row of a file being made; each call is one UPDATE of that row (the page polling it reads the change)."""

    def __init__(self, made: MadeInBackground):
        self._row = type(made).objects.filter(pk=made.pk)

    def progress(self, **fields) -> None:
        self._row.update(**fields)

    def done(self, content: bytes, **fields) -> None:
        self._row.update(status=MadeInBackground.Status.DONE, content=content, finished_at=timezone.now(), **fields)


@contextmanager
def making(made: MadeInBackground, **fields) -> Iterator[Making]:
    """Mark `made` running (with `fields`), then failed if anything inside raises."""
    row = Making(made)
    row.progress(status=MadeInBackground.Status.RUNNING, **fields)
    try:
        yield row
    except Exception:
        row.progress(status=MadeInBackground.Status.FAILED, finished_at=timezone.now())
        raise
