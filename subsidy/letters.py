"""Decision letters (beschikkingen): the approval or rejection of an application as a PDF, rendered in the
background (`subsidy.tasks.render_decision_letter`) and kept outside the web root."""

from django.db import transaction

from subsidy.models import Application, DecisionLetter


def request_decision_letter(application: Application) -> DecisionLetter:
    """A letter for the decision just taken, rendered by the background worker after commit."""
    kind = DecisionLetter.Kind.APPROVAL if application.status == Application.Status.APPROVED \
        else DecisionLetter.Kind.REJECTION
    letter = DecisionLetter.objects.create(application=application, kind=kind)

    def enqueue():
        from subsidy.tasks import render_decision_letter

        render_decision_letter.enqueue(letter.pk)

    transaction.on_commit(enqueue)
    return letter
