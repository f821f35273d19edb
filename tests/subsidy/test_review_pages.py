"""An application's page for staff and the acts on it (issue 11: the review page, decisions, payout)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from budget.models import BudgetLine
from budget.money import euro
from subsidy import services
from subsidy.models import Application, DecisionLetter, Document
from tests.factories import PDF_BYTES, HouseholdFactory, application_in, pdf_file
from tests.test_forms_link_their_help_texts import references

S = Application.Status
CONFLICT = "Iemand anders heeft deze aanvraag intussen gewijzigd"


def theirs(people) -> dict:
    """The household of the application is the handyman's and the community worker's."""
    return {"household": HouseholdFactory(active=True, handyman=people["handyman"],
                                          community_worker=people["community"])}


def page(client, application) -> str:
    response = client.get(reverse("subsidy:application", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def act(client, application, name, *, version=None, **data):
    """Post the act's form as the page does: its fields under the act's prefix, with the version shown."""
    fields = {f"{name}-version": application.version if version is None else version}
    fields.update({f"{name}-{key}": value for key, value in data.items()})
    return client.post(reverse(f"subsidy:act_{name}", args=[application.pk]), fields)


def text(html: str) -> str:
    """What the page says, without its tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def events(application) -> int:
    return AuditEvent.objects.for_object(application).count()


# --- What the page shows ------------------------------------------------------------------------------


def test_the_page_shows_the_applicant_the_calculation_the_verdicts_and_the_deadline(client, people, programme):
    application = application_in("in_review", people)
    client.force_login(people["assessor"])

    html = page(client, application)

    assert application.applicant_name in html
    assert application.household.dwelling.address_line in html
    assert reverse("households:detail", args=[application.household.pk]) in html
    assert "Offerte" in html and euro(Decimal("4200")) in html
    # The large tier first, each verdict with its reason.
    assert html.index("Grote isolatiemaatregel") < html.index("Kleine maatregelen")
    assert "Het huishouden is eigenaar en bewoner van de woning." in html
    assert application.decision_due_on.strftime("%Y") in html
    line = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.GRANTS)
    assert "Nog beschikbaar op de subsidieregel" in html
    assert euro(line.available) in html


def test_the_page_says_in_words_when_the_decision_is_overdue(client, people):
    application = application_in("in_review", people)
    Application.objects.filter(pk=application.pk).update(
        decision_due_on=timezone.localdate() - datetime.timedelta(days=2))
    client.force_login(people["assessor"])

    term = text(page(client, application).split('id="term"')[1].split("</section>")[0])

    assert "2 dagen te laat" in term


def test_a_diy_application_shows_the_area_applied_for_and_the_area_the_handyman_saw(client, people):
    application = application_in("draft", people, diy=True, **theirs(people))
    services.check_diy_area(application, by=people["handyman"], area_m2="65.5", note="Gemeten bij bezoek 2")
    client.force_login(people["assessor"])

    html = page(client, application)

    measure = html[html.index('id="measure"'):html.index('id="term"')]
    assert "Aangevraagde oppervlakte" in measure and "70 m²" in measure
    assert "Gezien door de energieklusser" in measure and "65,50 m²" in measure
    assert "Gemeten bij bezoek 2" in measure


def test_the_timeline_names_who_acted_the_applicant_as_the_applicant(client, people):
    application = application_in("info_requested", people)
    services.provide_info(application, by=services.Actor.APPLICANT, note="Energielabel gestuurd")
    client.force_login(people["assessor"])

    html = page(client, application)

    timeline = text(html[html.index('id="timeline"'):])
    assert "Informatie aangeleverd door de aanvrager" in timeline
    assert "Informatie opgevraagd → In behandeling" in timeline
    assert "Energielabel gestuurd" in timeline
    assert f"Informatie opgevraagd door {people['assessor'].get_full_name()}" in timeline
    assert "Stuur het energielabel mee." in timeline


def test_documents_download_as_attachments_and_only_the_applications_own(client, people):
    application = application_in("in_review", people)
    other = application_in("in_review", people)
    document = application.documents.get()
    client.force_login(people["assessor"])

    assert reverse("subsidy:document", args=[application.pk, document.pk]) in page(client, application)
    response = client.get(reverse("subsidy:document", args=[application.pk, document.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="offerte.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert client.get(reverse("subsidy:document", args=[other.pk, document.pk])).status_code == 404


def test_a_letter_is_offered_when_ready_and_said_to_be_in_preparation_before(client, people):
    application = application_in("approved", people)
    letter = application.letters.get()
    client.force_login(people["assessor"])
    url = reverse("subsidy:letter", args=[application.pk, letter.pk])

    assert "wordt voorbereid" in page(client, application)
    assert client.get(url).status_code == 404

    letter.file.save("besluit.pdf", ContentFile(PDF_BYTES), save=False)
    letter.status = DecisionLetter.Status.READY
    letter.save()
    assert url in page(client, application)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_an_application_of_a_household_that_is_not_theirs_is_not_found(client, people):
    application = application_in("in_review", people)
    client.force_login(people["handyman2"])
    assert client.get(reverse("subsidy:application", args=[application.pk])).status_code == 404


def test_only_the_acts_the_user_may_do_now_are_offered(client, people):
    application = application_in("in_review", people, **theirs(people))

    client.force_login(people["assessor"])
    html = page(client, application)
    assert 'action="{}"'.format(reverse("subsidy:act_approve", args=[application.pk])) in html
    assert reverse("subsidy:act_withdraw", args=[application.pk]) not in html
    assert reverse("subsidy:act_start_review", args=[application.pk]) not in html

    client.force_login(people["community"])
    html = page(client, application)
    assert reverse("subsidy:act_approve", args=[application.pk]) not in html
    assert reverse("subsidy:act_withdraw", args=[application.pk]) in html

    client.force_login(people["finance"])
    assert "act-form" not in page(client, application)


def test_approval_is_offered_disabled_with_the_reasons_while_something_is_missing(client, people):
    application = application_in("in_review", people, diy=True, **theirs(people))
    Application.objects.filter(pk=application.pk).update(diy_area_checked_m2=None)
    client.force_login(people["assessor"])

    html = page(client, application)

    approve = html[html.index('id="act-approve"'):]
    approve = approve[:approve.index("</details>")]
    assert "Een energieklusser heeft de oppervlakte voor zelfwerkzaamheid nog niet gecontroleerd." in approve
    assert "disabled" in approve


# --- The acts through the page ---------------------------------------------------------------------------


def test_the_assessor_starts_the_review_requests_information_and_approves(client, people, programme):
    application = application_in("submitted", people)
    client.force_login(people["assessor"])

    assert act(client, application, "start_review").status_code == 302
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW

    response = act(client, application, "request_info", message="Stuur de eigendomsakte mee.")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.INFO_REQUESTED
    assert application.decision_due_on is None

    client.force_login(people["community"])
    assert act(client, application, "provide_info", note="Akte toegevoegd").status_code == 302
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW

    client.force_login(people["assessor"])
    response = act(client, application, "approve", note="Akkoord")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.APPROVED
    assert application.granted_amount == Decimal("4200.00")
    follow = client.get(response.url)
    assert "De aanvraag is toegekend" in follow.content.decode()


def test_a_request_for_information_without_a_message_is_refused_on_its_field(client, people):
    application = application_in("in_review", people)
    client.force_login(people["assessor"])

    response = act(client, application, "request_info", message="  ")

    assert response.status_code == 200
    assert "message" in response.context["acts"][[a["name"] for a in response.context["acts"]].index(
        "request_info")]["form"].errors
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW


def test_the_term_is_extended_once_with_a_reason(client, people):
    application = application_in("in_review", people)
    due = application.decision_due_on
    client.force_login(people["assessor"])

    response = act(client, application, "extend_term", days="40", reason="Wachten op taxatie")
    assert response.status_code == 200
    assert "28" in " ".join(response.context["acts"][[a["name"] for a in response.context["acts"]].index(
        "extend_term")]["form"].errors["days"])

    assert act(client, application, "extend_term", days="14", reason="Wachten op taxatie").status_code == 302
    application.refresh_from_db()
    assert (application.decision_due_on - due).days == 14
    html = page(client, application)
    assert "Wachten op taxatie" in html
    assert reverse("subsidy:act_extend_term", args=[application.pk]) not in html  # once only


def test_rejection_offers_the_failed_rules_and_records_the_one_ticked(client, people):
    application = application_in("in_review", people, net_monthly_income=Decimal("3000.00"))
    grounds = services.rejection_grounds(application)
    assert grounds
    client.force_login(people["assessor"])
    assert grounds[0]["reason"] in page(client, application)

    response = act(client, application, "reject")
    assert response.status_code == 200  # neither a rule nor an explanation

    response = client.post(reverse("subsidy:act_reject", args=[application.pk]), {
        "reject-version": application.version, "reject-reasons": [grounds[0]["rule"]], "reject-note": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.REJECTED
    assert application.rejection_reasons == [{"rule": grounds[0]["rule"], "reason": grounds[0]["reason"]}]


def test_the_community_worker_withdraws_on_the_applicants_behalf_after_confirming(client, people):
    application = application_in("in_review", people, **theirs(people))
    client.force_login(people["community"])

    response = act(client, application, "withdraw", note="Verhuist")
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW

    assert act(client, application, "withdraw", confirm="on", note="Verhuist").status_code == 302
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN


def test_the_community_worker_requests_the_payout_with_the_invoice_and_accepted_quote(client, people):
    application = application_in("approved", people, **theirs(people))
    client.force_login(people["community"])

    response = act(client, application, "request_payout", invoice_amount="3.950,00", iban="NL91 ABNA 0417 1643 00",
                   account_holder="J. de Vries", invoice=pdf_file("factuur.pdf"),
                   accepted_quote=pdf_file("akkoord.pdf"))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.PAYOUT_REQUESTED
    assert application.invoice_amount == Decimal("3950.00")
    assert application.iban == "NL91ABNA0417164300"
    assert set(application.documents.values_list("kind", flat=True)) >= {Document.Kind.INVOICE,
                                                                         Document.Kind.ACCEPTED_QUOTE}


def test_a_payout_request_with_a_wrong_iban_keeps_nothing_not_even_its_files(client, people):
    application = application_in("approved", people, **theirs(people))
    documents = application.documents.count()
    client.force_login(people["community"])

    response = act(client, application, "request_payout", invoice_amount="3950", iban="NL91 ABNA 0417 1643 01",
                   account_holder="J. de Vries", invoice=pdf_file("factuur.pdf"),
                   accepted_quote=pdf_file("akkoord.pdf"))

    assert response.status_code == 200
    assert "iban" in next(a for a in response.context["acts"] if a["name"] == "request_payout")["form"].errors
    application.refresh_from_db()
    assert application.status == S.APPROVED
    assert application.documents.count() == documents


def test_the_assessor_sets_the_payout_at_most_the_grant_and_the_invoice(client, people):
    application = application_in("payout_requested", people, invoice="3900.00")
    client.force_login(people["assessor"])
    html = page(client, application)
    assert euro(Decimal("3900")) in html and euro(Decimal("4200")) in html

    response = act(client, application, "set_payout", amount="4000")
    assert response.status_code == 200
    errors = next(a for a in response.context["acts"] if a["name"] == "set_payout")["form"].errors
    assert euro(Decimal("3900")) in " ".join(errors["amount"])

    assert act(client, application, "set_payout", amount="3900,00").status_code == 302
    application.refresh_from_db()
    assert application.status == S.PAYOUT_SET
    assert application.payout_amount == Decimal("3900.00")


def test_staff_add_a_document_checked_by_its_content(client, people):
    application = application_in("in_review", people)
    client.force_login(people["assessor"])
    fake = SimpleUploadedFile("eigendom.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")

    response = act(client, application, "add_document", kind="proof_of_ownership", file=fake)
    assert response.status_code == 200
    assert "file" in next(a for a in response.context["acts"] if a["name"] == "add_document")["form"].errors

    assert act(client, application, "add_document", kind="proof_of_ownership",
               file=pdf_file("eigendom.pdf")).status_code == 302
    assert application.documents.filter(kind=Document.Kind.PROOF_OF_OWNERSHIP, uploaded_by=people["assessor"]).exists()


def test_the_handyman_records_the_diy_area_check_with_a_photo(client, people):
    application = application_in("draft", people, diy=True, **theirs(people))
    client.force_login(people["handyman"])

    response = act(client, application, "check_diy_area", area_m2="64,5", note="Zolder gemeten",
                   photo=SimpleUploadedFile("zolder.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png"))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.diy_area_checked_m2 == Decimal("64.50")
    assert application.diy_checked_by == people["handyman"]
    assert application.documents.filter(kind=Document.Kind.AREA_PHOTO).exists()


def test_someone_who_may_see_but_not_decide_is_refused(client, people):
    application = application_in("in_review", people, **theirs(people))
    client.force_login(people["handyman"])
    assert act(client, application, "approve").status_code == 403
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW


STALE = [
    ("submitted", "start_review", "assessor", {}),
    ("in_review", "request_info", "assessor", {"message": "Stuur de akte"}),
    ("info_requested", "provide_info", "community", {"note": "Akte"}),
    ("in_review", "extend_term", "assessor", {"days": "7", "reason": "Taxatie"}),
    ("in_review", "approve", "assessor", {}),
    ("in_review", "reject", "assessor", {"note": "Geen eigenaar"}),
    ("in_review", "withdraw", "community", {"confirm": "on"}),
    ("approved", "request_payout", "community", {"invoice_amount": "3900", "iban": "NL91ABNA0417164300",
                                                 "account_holder": "J. de Vries", "invoice": "factuur.pdf",
                                                 "accepted_quote": "akkoord.pdf"}),
    ("payout_requested", "set_payout", "assessor", {"amount": "3900"}),
    ("in_review", "add_document", "assessor", {"kind": "other", "file": "brief.pdf"}),
    ("diy", "check_diy_area", "handyman", {"area_m2": "60"}),
]


@pytest.mark.parametrize(("state", "name", "who", "data"), STALE, ids=[case[1] for case in STALE])
def test_a_stale_page_is_told_someone_else_changed_the_application_and_nothing_changes(client, people, state, name,
                                                                                         who, data):
    if state == "diy":
        application = application_in("draft", people, diy=True, **theirs(people))
    else:
        application = application_in(state, people, **theirs(people))
    # Someone else acted meanwhile: a document added raises the version without changing the state.
    seen = application.version
    services.add_document(application, by=people["coordinator"], kind=Document.Kind.OTHER, file=pdf_file())
    application.refresh_from_db()
    before = (application.status, application.version, events(application), application.documents.count())
    data = {key: pdf_file(value) if value.endswith(".pdf") else value for key, value in data.items()}
    client.force_login(people[who])

    response = act(client, application, name, version=seen, **data)

    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.version, events(application),
            application.documents.count()) == before


def test_an_act_no_longer_possible_in_this_state_says_so_and_changes_nothing(client, people):
    application = application_in("approved", people)
    client.force_login(people["assessor"])

    response = act(client, application, "approve")

    assert response.status_code == 409
    assert "Toegekend" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.APPROVED


# --- The household page ---------------------------------------------------------------------------------


def test_the_household_page_lists_its_applications_and_offers_a_new_one_to_its_community_worker(client, people):
    application = application_in("approved", people, **theirs(people))
    household = application.household
    url = reverse("households:detail", args=[household.pk])

    client.force_login(people["community"])
    html = client.get(url).content.decode()
    assert "Aanvraag grote maatregel" in html
    assert reverse("subsidy:application", args=[application.pk]) in html
    assert application.reference in html and euro(Decimal("4200")) in html
    assert reverse("subsidy:apply_for_household", args=[household.pk]) in html

    client.force_login(people["assessor"])
    html = client.get(url).content.decode()
    assert application.reference in html
    assert reverse("subsidy:apply_for_household", args=[household.pk]) not in html


def test_each_act_links_its_help_texts_and_errors_to_its_fields(client, people):
    application = application_in("payout_requested", people, **theirs(people))
    client.force_login(people["assessor"])

    responses = [client.get(reverse("subsidy:application", args=[application.pk])),
                 act(client, application, "set_payout", amount="1.385"),
                 act(client, application, "add_document", kind="")]

    for response in responses:
        assert response.status_code == 200
        count, dangling = references(response.content.decode())
        assert dangling == []
        assert count >= 2  # the payout's and the file's help texts
    assert 'aria-invalid="true"' in responses[1].content.decode()
