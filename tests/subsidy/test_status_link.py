"""The applicant's status page, reached through the private link (issue 11): what it shows, what the applicant
does through it (documents, the information asked for, the payout request, withdrawing) and what it keeps to
itself (a wrong token is 404; other applications' files are 404; staff are not named)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.audit import history_of
from subsidy import services
from subsidy.models import Application, DecisionLetter, Document
from tests.factories import PDF_BYTES, application_in, pdf_file

S = Application.Status
IBAN = "NL91 ABNA 0417 1643 00"


@pytest.fixture
def people(programme, users_by_role):
    for user, (first, last) in zip(users_by_role.values(), [("Henk", "Klusman"), ("Harm", "Klusman"),
                                                            ("Olga", "Opbouw"), ("Bea", "Oordelaar"),
                                                            ("Fien", "Financiën"), ("Cor", "Dinator")], strict=True):
        user.first_name, user.last_name = first, last
        user.save()
    return users_by_role


def url(name: str, application: Application, *args) -> str:
    return reverse(f"subsidy:{name}", args=[application.status_token, *args])


def page_of(client, application) -> str:
    response = client.get(url("status", application))
    assert response.status_code == 200
    return response.content.decode()


def test_a_wrong_token_is_404_and_reveals_nothing(client, people):
    application = application_in("in_review", people)
    wrong = application.status_token[:-1] + ("A" if application.status_token[-1] != "A" else "B")

    for response in (client.get(reverse("subsidy:status", args=[wrong])),
                     client.get(reverse("subsidy:status", args=["x"])),
                     client.get(reverse("subsidy:status_document", args=[wrong, application.documents.get().pk])),
                     client.post(reverse("subsidy:status_withdraw", args=[wrong]), {"version": application.version})):
        assert response.status_code == 404
        assert application.reference not in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW


def test_the_page_shows_the_reference_the_status_and_the_decision_deadline(client, people):
    application = application_in("in_review", people)

    page = page_of(client, application)

    assert application.reference in page
    assert "Wordt beoordeeld" in page
    deadline = application.decision_due_on
    assert f"Wij beslissen uiterlijk {deadline.day}" in page
    assert "U hoeft nu niets te doen" in page


def test_the_timeline_says_what_happened_without_naming_staff(client, people):
    application = application_in("approved", people)

    page = page_of(client, application)

    for happened in ("Aanvraag ingediend", "Een beoordelaar is begonnen met de beoordeling",
                     "Subsidie toegekend", "Document toegevoegd: Offerte"):
        assert happened in page
    for name in ("Olga", "Opbouw", "Bea", "Oordelaar", "community", "assessor"):
        assert name not in page


def test_while_information_is_asked_the_page_says_the_term_is_paused_and_shows_the_question(client, people):
    application = application_in("info_requested", people)

    page = page_of(client, application)

    assert "Staat stil sinds" in page
    assert "Stuur het energielabel mee." in page
    assert "Ik heb de informatie aangeleverd" in page


def test_the_applicant_provides_the_information_with_files_and_the_term_runs_again(client, people):
    application = application_in("info_requested", people)

    response = client.post(url("status_provide_info", application), {
        "version": application.version, "note": "Het label zit erbij.", "kind": "other",
        "files": [pdf_file("energielabel.pdf"), pdf_file("foto-dak.pdf")]})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    assert application.decision_due_on is not None
    added = application.documents.filter(kind="other")
    assert sorted(added.values_list("original_name", flat=True)) == ["energielabel.pdf", "foto-dak.pdf"]
    assert set(added.values_list("uploaded_by", flat=True)) == {None}
    event = history_of(application).filter(action="application.provide_info").get()
    assert event.actor is None and event.data["by"] == "applicant" and event.note == "Het label zit erbij."
    assert "De beoordelaar neemt uw aanvraag weer in behandeling" in client.get(response["Location"]).content.decode()


def test_a_bad_file_with_the_information_keeps_the_question_open_and_nothing_is_added(client, people):
    application = application_in("info_requested", people)
    documents = application.documents.count()

    response = client.post(url("status_provide_info", application), {
        "version": application.version, "note": "Zie bijlage", "files": [
            pdf_file("goed.pdf"), SimpleUploadedFile("slecht.pdf", b"MZ\x90\x00", content_type="application/pdf")]})

    assert response.status_code == 200
    assert "alleen bestanden in PDF, JPEG of PNG" in response.context["info_form"].errors["files"][0]
    application.refresh_from_db()
    assert application.status == S.INFO_REQUESTED
    assert application.documents.count() == documents


def test_the_applicant_adds_a_document_through_the_link(client, people):
    application = application_in("submitted", people)

    response = client.post(url("status_upload", application), {
        "version": application.version, "kind": "proof_of_ownership", "file": pdf_file("eigendomsakte.pdf")})

    assert response.status_code == 302
    document = application.documents.get(kind="proof_of_ownership")
    assert (document.original_name, document.uploaded_by) == ("eigendomsakte.pdf", None)
    page = client.get(response["Location"]).content.decode()
    assert "Het document is toegevoegd." in page
    assert "eigendomsakte.pdf" in page and url("status_document", application, document.pk) in page


def test_a_page_that_is_out_of_date_adds_nothing(client, people):
    application = application_in("submitted", people)
    seen = application.version
    services.start_review(application, by=people["assessor"])

    response = client.post(url("status_upload", application), {
        "version": seen, "kind": "other", "file": pdf_file("brief.pdf")})

    assert response.status_code == 200
    assert "Iemand anders heeft deze aanvraag intussen gewijzigd" in response.content.decode()
    assert not application.documents.filter(kind="other").exists()


@pytest.mark.parametrize(("upload", "message"), [
    (lambda: SimpleUploadedFile("brief.pdf", b"<html><body>nep</body></html>", content_type="application/pdf"),
     "alleen bestanden in PDF, JPEG of PNG"),
    (lambda: SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), content_type="application/pdf"),
     "groter dan 10 MB"),
])
def test_a_bad_document_is_refused_on_the_file_field(client, people, upload, message):
    application = application_in("submitted", people)

    response = client.post(url("status_upload", application), {
        "version": application.version, "kind": "other", "file": upload()})

    assert message in response.context["document_form"].errors["file"][0]
    assert 'aria-describedby="id_file_helptext id_file_error"' in response.content.decode()
    assert not application.documents.filter(kind="other").exists()


def test_after_approval_the_page_says_what_to_do_and_the_applicant_requests_the_payout(client, people):
    application = application_in("approved", people)
    page = page_of(client, application)
    assert "Ga akkoord met de offerte van uw aannemer" in page
    assert "anders vervalt de subsidie" in page

    response = client.post(url("status_payout", application), {
        "version": application.version, "invoice": pdf_file("factuur.pdf"), "accepted_quote": pdf_file("akkoord.pdf"),
        "invoice_amount": "4.150,00", "iban": IBAN.lower(), "account_holder": "F. el Amrani"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.PAYOUT_REQUESTED
    assert str(application.invoice_amount) == "4150.00"
    assert application.iban == "NL91ABNA0417164300"
    assert {"invoice", "accepted_quote"} <= set(application.documents.values_list("kind", flat=True))
    assert "wij controleren uw factuur" in client.get(response["Location"]).content.decode()


def test_a_wrong_iban_refuses_the_payout_request_and_keeps_no_documents(client, people):
    application = application_in("approved", people)
    documents = application.documents.count()

    response = client.post(url("status_payout", application), {
        "version": application.version, "invoice": pdf_file("factuur.pdf"), "accepted_quote": pdf_file("akkoord.pdf"),
        "invoice_amount": "4150", "iban": "NL92 ABNA 0417 1643 00", "account_holder": "F. el Amrani"})

    assert response.status_code == 200
    assert "IBAN is niet geldig" in response.context["payout_form"].errors["iban"][0]
    application.refresh_from_db()
    assert application.status == S.APPROVED
    assert application.documents.count() == documents


def test_the_payout_request_asks_for_the_invoice_and_the_accepted_quote(client, people):
    application = application_in("approved", people)

    errors = client.post(url("status_payout", application), {"version": application.version}).context[
        "payout_form"].errors

    assert errors == {"invoice": ["Voeg de factuur toe."],
                      "accepted_quote": ["Voeg de offerte toe die u hebt geaccepteerd."],
                      "invoice_amount": ["Vul het bedrag van de factuur in."],
                      "iban": ["Vul het IBAN van de rekening in."],
                      "account_holder": ["Vul de naam van de rekeninghouder in."]}


def test_withdrawing_asks_to_confirm_then_withdraws(client, people):
    application = application_in("in_review", people)
    assert url("status_withdraw", application) in page_of(client, application)

    confirm = client.get(url("status_withdraw", application))
    assert confirm.status_code == 200
    assert "echt intrekken" in confirm.content.decode()
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW

    response = client.post(url("status_withdraw", application), {"version": application.version, "note": "Verhuis"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    event = history_of(application).filter(action="application.withdraw").get()
    assert event.actor is None and event.data["by"] == "applicant"
    page = page_of(client, application)
    assert "Uw aanvraag is ingetrokken." in page and url("status_withdraw", application) not in page


def test_a_paid_application_says_when_it_was_paid(client, people):
    application = application_in("paid", people, invoice="3900.00", payout="3900.00")

    page = page_of(client, application)

    assert f"is betaald op {application.paid_on.day}" in page
    assert "3.900,00" in page
    assert "document_form" not in page and "Een document toevoegen" not in page


def test_documents_download_as_attachments_and_only_through_their_own_link(client, people):
    application = application_in("in_review", people)
    other = application_in("in_review", people)
    document = application.documents.get()

    response = client.get(url("status_document", application, document.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(url("status_document", other, document.pk)).status_code == 404


def test_the_decision_letter_downloads_when_ready(client, people):
    application = application_in("approved", people)
    letter = DecisionLetter.objects.create(application=application, kind="approval", status="ready",
                                           rendered_at=datetime.datetime.now(datetime.UTC))
    letter.file.save("besluit.pdf", ContentFile(PDF_BYTES))
    pending = DecisionLetter.objects.create(application=application, kind="approval")
    other = application_in("approved", people)

    page = page_of(client, application)
    response = client.get(url("status_letter", application, letter.pk))

    assert url("status_letter", application, letter.pk) in page
    assert response.status_code == 200
    assert f'filename="besluit-{application.reference}.pdf"' in response["Content-Disposition"]
    assert client.get(url("status_letter", application, pending.pk)).status_code == 404
    assert client.get(url("status_letter", other, letter.pk)).status_code == 404


def test_documents_cannot_be_added_after_the_application_ended(client, people):
    application = application_in("rejected", people)

    response = client.post(url("status_upload", application), {
        "version": application.version, "kind": "other", "file": pdf_file("laat.pdf")})

    assert response.status_code == 200
    assert "Er kunnen geen documenten worden toegevoegd zolang de aanvraag" in response.content.decode()
    assert not Document.objects.filter(application=application, kind="other").exists()


def test_a_diy_payout_needs_only_the_invoice(client, people):
    application = application_in("approved", people, diy=True)
    page = page_of(client, application)
    assert 'name="invoice"' in page and 'name="accepted_quote"' not in page
    assert "Koop de materialen en voer de werkzaamheden uit" in page

    response = client.post(url("status_payout", application), {
        "version": application.version, "invoice": pdf_file("bouwmarkt.pdf"), "invoice_amount": "2.730,00",
        "iban": IBAN, "account_holder": "F. el Amrani"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.PAYOUT_REQUESTED
