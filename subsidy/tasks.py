"""Background work of the subsidy app (Django's tasks API; `manage.py db_worker` runs it)."""

from django.tasks import task


@task()
def render_decision_letter(letter_id: int) -> None:
    from subsidy.letters import render_letter

    render_letter(letter_id)


@task()
def export_payment_batch(batch_id: int) -> int:
    """The batch's spreadsheet and SEPA file of payments due; returns the number of payments."""
    from subsidy.payments import write_batch

    return write_batch(batch_id)
