"""Background work of the subsidy app (Django's tasks API; `manage.py db_worker` runs it)."""

from django.tasks import task


@task()
def render_decision_letter(letter_id: int, announce: bool = True) -> None:
    """The decision letter's PDF; then the decision e-mail with it (not for a decision entered afterwards)."""
    from subsidy.letters import render_letter

    render_letter(letter_id, announce=announce)


@task()
def send_application_email(application_id: int, act: str) -> int:
    """The e-mail of an act (submission, information request, payment) to the applicant and community worker."""
    from subsidy.notifications import send_act_email

    return send_act_email(application_id, act)


@task()
def send_decision_email(letter_id: int) -> int:
    """The decision e-mail with the letter attached, once the letter is ready."""
    from subsidy.notifications import send_decision_email as send

    return send(letter_id)


@task()
def export_payment_batch(batch_id: int) -> int:
    """The batch's spreadsheet and SEPA file of payments due; returns the number of payments."""
    from subsidy.payments import write_batch

    return write_batch(batch_id)
