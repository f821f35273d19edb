"""Background work of the subsidy app (Django's tasks API; `manage.py db_worker` runs it)."""

from django.tasks import task


@task()
def render_decision_letter(letter_id: int) -> None:
    from subsidy.letters import render_letter

    render_letter(letter_id)
