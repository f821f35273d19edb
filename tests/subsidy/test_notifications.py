"""E-mail to the applicant and their community worker: what they read, who gets it, and what they never see."""

import datetime
import re

from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tasks_db.models import DBTaskResult

from accounts.audit import as_of
from households.models import Household
from subsidy import services
from subsidy.models import Application, DecisionLetter, Document
from tests.factories import application_in, pdf_file

APPLICANT = "aanvrager@example.nl"


def dutch_date(day: datetime.date) -> str:
    with translation.override("nl"):
        return date_format(day, "j F Y")


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def to(mailoutbox, address: str):
    [message] = [message for message in mailoutbox if message.to == [address]]
    return message


def status_link(application: Application) -> str:
    return f"http://127.0.0.1:8000/aanvragen/status/{application.status_token}/"


def test_on_submission_the_applicant_gets_the_reference_status_link_next_steps_and_deadline(
        people, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks):
    application = application_in("draft", people)
    services.add_document(application, by=people["community"], kind=Document.Kind.QUOTE, file=pdf_file())

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(application, by=people["community"])
    application.refresh_from_db()

    message = to(mailoutbox, APPLICANT)
    assert message.subject == f"Wij hebben uw aanvraag {application.reference} ontvangen"
    assert f"Beste {application.applicant_name}," in message.body
    assert f"Het kenmerk is {application.reference}." in message.body
    assert status_link(application) in message.body
    assert f'<a href="{status_link(application)}">' in html_of(message)
    assert "Een beoordelaar controleert de aanvraag" in message.body
    assert f"Wij beslissen binnen 28 dagen, uiterlijk op {dutch_date(application.decision_due_on)}." in message.body
    assert "Houd deze link voor uzelf" in message.body
    assert "14 035" in message.body
    assert message.attachments == []


def test_the_community_worker_gets_a_message_of_their_own_without_the_applicants_status_link(
        people, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks):
    application = application_in("draft", people)
    services.add_document(application, by=people["community"], kind=Document.Kind.QUOTE, file=pdf_file())

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(application, by=people["community"])

    assert sorted(message.to[0] for message in mailoutbox) == sorted([APPLICANT, people["community"].email])
    message = to(mailoutbox, people["community"].email)
    assert f"Beste {people['community'].get_full_name()}," in message.body
    assert f"als opbouwwerker van {application.applicant_name}" in message.body
    assert application.reference in message.subject
    assert application.status_token not in message.body
    assert application.status_token not in html_of(message)


def test_a_request_for_information_gives_the_question_the_status_link_and_says_the_term_is_paused(
        people, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks):
    application = application_in("in_review", people)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_info(application, by=people["assessor"], message="Stuur de eigendomsakte mee.\nEn het label.")

    message = to(mailoutbox, APPLICANT)
    assert message.subject == f"Meer informatie nodig voor aanvraag {application.reference}"
    assert "Stuur de eigendomsakte mee.\nEn het label." in message.body
    assert "Stuur de eigendomsakte mee.<br>En het label." in html_of(message)
    assert status_link(application) in message.body
    assert "staat de beslistermijn stil" in message.body


def test_the_approval_is_sent_with_its_letter_attached_once_the_letter_is_ready(
        people, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks):
    application = application_in("in_review", people)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve(application, by=people["assessor"])
    application.refresh_from_db()

    assert len(mailoutbox) == 2  # one decision e-mail each, with the letter; none without it
    message = to(mailoutbox, APPLICANT)
    assert message.subject == f"Aanvraag {application.reference}: de subsidie is toegekend"
    assert "Wij verlenen een subsidie van €\xa04.200,00 voor de maatregel Dakisolatie." in message.body
    assert "De beschikking zit als bijlage (pdf) bij deze e-mail." in message.body
    assert "met de factuur en de geaccepteerde offerte" in message.body
    assert status_link(application) in message.body
    [(name, content, mimetype)] = message.attachments
    assert name == f"besluit-{application.reference}.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF-")
    with application.letters.get().file.open("rb") as letter:
        assert content == letter.read()
    assert to(mailoutbox, people["community"].email).attachments[0][0] == name


def test_the_rejection_is_sent_with_its_letter_attached(people, immediate_tasks, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    application = application_in("in_review", people)

    with django_capture_on_commit_callbacks(execute=True):
        services.reject(application, by=people["assessor"], note="Geen eigenaar-bewoner.")

    message = to(mailoutbox, APPLICANT)
    assert message.subject == f"Aanvraag {application.reference}: besluit"
    assert "Wij hebben de aanvraag voor subsidie voor de maatregel Dakisolatie afgewezen." in message.body
    assert "binnen zes weken na de datum van de brief" in message.body
    [(name, content, mimetype)] = message.attachments
    assert name == f"besluit-{application.reference}.pdf"
    assert mimetype == "application/pdf" and content.startswith(b"%PDF-")


def test_the_payment_e_mail_gives_amount_and_date_and_only_the_last_four_characters_of_the_iban(
        people, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks):
    application = application_in("payout_set", people, invoice="3900.00", payout="3900.00")
    paid_on = datetime.date.today()

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_paid(application, by=people["finance"], paid_on=paid_on, iban="NL91 ABNA 0417 1643 00")

    message = to(mailoutbox, APPLICANT)
    assert message.subject == f"Aanvraag {application.reference}: de subsidie is betaald"
    assert (f"Op {dutch_date(paid_on)} hebben wij € 3.900,00 overgemaakt naar de rekening die eindigt op 4300."
            in " ".join(message.body.split()))
    for sent in mailoutbox:
        for text in (sent.body, html_of(sent)):
            assert not re.search(r"NL\s*91|ABNA|0417|1643", text)


def test_acts_without_an_e_mail_of_their_own_send_none(people, immediate_tasks, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    application = application_in("submitted", people)

    with django_capture_on_commit_callbacks(execute=True):
        services.start_review(application, by=people["assessor"])

    assert mailoutbox == []


def test_without_any_e_mail_address_nothing_is_sent(people, immediate_tasks, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    application = application_in("in_review", people, email="")
    Household.objects.filter(pk=application.household_id).update(community_worker=None)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_info(application, by=people["assessor"], message="Stuur de offerte mee.")

    assert mailoutbox == []


def test_without_the_applicants_address_the_community_worker_still_hears_of_it(
        people, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks):
    application = application_in("in_review", people, email="")

    with django_capture_on_commit_callbacks(execute=True):
        services.request_info(application, by=people["assessor"], message="Stuur de offerte mee.")

    [message] = mailoutbox
    assert message.to == [people["community"].email]
    assert "Stuur de offerte mee." in message.body


def test_the_status_link_is_on_the_sites_own_address(people, immediate_tasks, mailoutbox, settings,
                                                    django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://warmhuis.hilversum.example"
    application = application_in("in_review", people)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_info(application, by=people["assessor"], message="Stuur de offerte mee.")

    assert (f"https://warmhuis.hilversum.example/aanvragen/status/{application.status_token}/"
            in to(mailoutbox, APPLICANT).body)


def test_the_e_mail_waits_for_the_background_worker(people, mailoutbox, django_capture_on_commit_callbacks):
    application = application_in("in_review", people)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_info(application, by=people["assessor"], message="Stuur de offerte mee.")

    assert mailoutbox == []
    task = DBTaskResult.objects.get(task_path="subsidy.tasks.send_application_email")
    assert task.args_kwargs["args"] == [application.pk, "request_info"]


def test_a_decision_entered_afterwards_gets_its_letter_but_no_e_mail(people, immediate_tasks, mailoutbox,
                                                                     django_capture_on_commit_callbacks):
    application = application_in("in_review", people)

    with django_capture_on_commit_callbacks(execute=True), as_of(timezone.now() - datetime.timedelta(hours=2)):
        services.approve(application, by=people["assessor"])

    assert application.letters.get().status == DecisionLetter.Status.READY
    assert mailoutbox == []
