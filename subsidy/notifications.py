"""E-mail to the applicant (and their community worker) about their application, sent by the background worker.

- On submission: the reference, the status link, what happens next and the decision's deadline.
- On a request for information: the question, the status link, and that the decision term is paused.
- On the decision: the decision with the letter attached. It is sent once the letter's PDF is ready
  (`subsidy.letters.render_letter` calls `notify_decision`), so `notify` leaves approve and reject alone.
- On payment: the amount, the date and the last four digits of the account (never the whole IBAN).

The applicant gets the message at the e-mail address they gave, with their private status link. The household's
community worker, when it has one, gets a message of their own, without the applicant's status link (they see the
application when logged in). Nobody with an address, no e-mail. The texts are templates in
`templates/subsidy/email/` (plain text and a simple HTML alternative), in Dutch, the programme's language, whoever
caused the act.
"""

import logging
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from budget.money import euro
from subsidy.models import Application, DecisionLetter, Route

logger = logging.getLogger(__name__)

EMAIL_LANGUAGE = "nl"
# The acts whose e-mail `notify` sends; a decision's e-mail goes with its letter (`notify_decision`).
ACTS = ("submit", "request_info", "mark_paid")
# The templates' tags leave runs of empty lines in the plain text: one empty line between paragraphs.
BLANK_LINES = re.compile(r"\n{3,}")
DECISIONS = {DecisionLetter.Kind.APPROVAL: "approve", DecisionLetter.Kind.REJECTION: "reject"}


def notify(application_id: int, act: str) -> None:
    """Called after an act's commit; sends the e-mail that belongs to the act, if any (submission, information
    request, payment) through the background worker."""
    if act not in ACTS:
        return
    from subsidy.tasks import send_application_email

    send_application_email.enqueue(application_id, act)


def notify_decision(letter_id: int) -> None:
    """The decision e-mail with its letter attached, once the letter is ready."""
    from subsidy.tasks import send_decision_email

    send_decision_email.enqueue(letter_id)


def _application(application_id: int) -> Application:
    return Application.objects.select_related("programme", "household__dwelling", "household__community_worker") \
        .get(pk=application_id)


def send_act_email(application_id: int, act: str) -> int:
    """Send the e-mail of an act (one of ACTS); the number of messages sent."""
    if act not in ACTS:
        raise ValueError(f"No e-mail for the act {act!r}")
    return send(_application(application_id), act)


def send_decision_email(letter_id: int) -> int:
    """Send the decision e-mail with the letter's PDF attached; the number of messages sent."""
    from subsidy.letters import file_name

    letter = DecisionLetter.objects.get(pk=letter_id)
    if letter.status != DecisionLetter.Status.READY:
        raise ValueError(f"Decision letter {letter_id} is not ready")
    application = _application(letter.application_id)
    with letter.file.open("rb") as file:
        content = file.read()
    return send(application, DECISIONS[letter.kind], letter=letter,
                attachment=(file_name(letter), content, "application/pdf"))


def send(application: Application, act: str, *, letter: DecisionLetter | None = None, attachment=None) -> int:
    """The act's message to the applicant and, separately, to the household's community worker."""
    messages = []
    worker = application.household.community_worker
    with translation.override(EMAIL_LANGUAGE):
        context = email_context(application, act, letter=letter)
        if application.email:
            messages.append(_message(act, context, to=application.email, attachment=attachment))
        if worker is not None and worker.email and worker.email.lower() != application.email.lower():
            worker_context = {**context, "worker": worker, "status_url": ""}
            messages.append(_message(act, worker_context, to=worker.email, attachment=attachment))
    for message in messages:
        message.send()
    if not messages:
        logger.info("No e-mail address for application %s: the %s e-mail is not sent", application.pk, act)
    return len(messages)


def _message(act: str, context: dict, *, to: str, attachment=None) -> EmailMultiAlternatives:
    subject = " ".join(render_to_string(f"subsidy/email/{act}_subject.txt", context).split())
    context = {**context, "subject": subject}
    text = render_to_string(f"subsidy/email/{act}.txt", context)
    text = BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in text.strip().splitlines())) + "\n"
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(render_to_string(f"subsidy/email/{act}.html", context), "text/html")
    if attachment is not None:
        message.attach(*attachment)
    return message


def email_context(application: Application, act: str, *, letter: DecisionLetter | None = None) -> dict:
    """What the e-mails say (call it in the e-mail's language)."""
    programme = application.programme
    context = {
        "application": application,
        "programme": programme,
        "reference": application.reference,
        "measure": application.get_measure_display(),
        "diy": application.route == Route.DIY,
        "address": str(application.household.dwelling),
        "status_url": status_url(application),
        "contact_details": programme.contact_details,
        "worker": None,
        "letter": letter,
    }
    if act == "approve":
        from subsidy.letters import validity_context

        context["granted"] = euro(application.granted_amount)
        if application.decided_at is not None:
            context.update(validity_context(application))
    if act == "mark_paid":
        context["amount"] = euro(application.payout_amount)
        context["account_ending"] = iban_ending(application.iban)
    return context


def iban_ending(iban: str) -> str:
    """The last four characters of an IBAN: all an e-mail shows of the account."""
    compact = "".join((iban or "").split())
    return compact[-4:]


def status_url(application: Application) -> str:
    """The applicant's private status link, absolute (e-mails are read outside the site)."""
    return settings.SITE_URL + reverse("subsidy:status", args=[application.status_token])
