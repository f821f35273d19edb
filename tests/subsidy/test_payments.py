"""Finance's payout pages (issue 11, item 7): the payments due and their total, recording a payment (four eyes, the
IBAN's check digits, a stale page), and the export of the payments due as a spreadsheet and a SEPA file."""

import csv
import datetime
import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import sepaxml
import xmlschema
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from budget.models import BudgetLine, LedgerEntry
from budget.money import euro
from subsidy import services
from subsidy.models import Application, PaymentBatch
from subsidy.payments import request_batch, write_batch
from tests.factories import UserFactory, application_in
from tests.test_forms_link_their_help_texts import references

pytestmark = pytest.mark.django_db

S = Application.Status
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
PAIN_001_XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"


def due(people, payout="3900.00", **fields) -> Application:
    return application_in("payout_set", people, invoice=payout, payout=payout, **fields)


def today() -> datetime.date:
    return timezone.localdate()


def page(client, user, url=None) -> str:
    client.force_login(user)
    response = client.get(url or reverse("subsidy:payments"))
    assert response.status_code == 200
    return response.content.decode()


# --- The payments due ------------------------------------------------------------------------------------


def test_finance_sees_each_payment_due_with_its_account_and_the_total(client, people):
    first = due(people, payout="3900.00")
    second = due(people, payout="2500.50")
    paid = application_in("paid", people)

    html = page(client, people["finance"])

    due_part, paid_part = html.split('id="paid-heading"')
    for application in (first, second):
        assert application.reference in due_part and application.account_holder in due_part
    assert "NL91 ABNA 0417 1643 00" in due_part
    assert euro(Decimal("3900.00")) in due_part and euro(Decimal("2500.50")) in due_part
    assert f"2 betalingen te doen, {euro(Decimal('6400.50'))} in totaal." in due_part
    assert paid.reference not in due_part and paid.reference in paid_part
    assert reverse("subsidy:mark_paid", args=[first.pk]) in due_part
    assert reverse("subsidy:application", args=[first.pk]) in due_part  # the reference leads to the application


def test_the_coordinator_sees_the_payments_due_but_records_and_exports_nothing(client, people):
    application = due(people)

    html = page(client, people["coordinator"])

    assert application.reference in html
    assert reverse("subsidy:mark_paid", args=[application.pk]) not in html
    assert reverse("subsidy:start_payment_batch") not in html


def test_the_payments_page_needs_as_many_queries_for_many_payments_as_for_one(client, people, programme):
    due(people)
    application_in("paid", people)
    client.force_login(people["finance"])
    url = reverse("subsidy:payments")
    client.get(url)  # the session, the content types: cached from here on

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        due(people)
        application_in("paid", people)
    batch = request_batch(programme, by=people["finance"], execution_date=today())
    write_batch(batch.pk)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.content.decode().count('id="payment-') == 4
    assert len(many) == len(one)


# --- Recording a payment ---------------------------------------------------------------------------------


def test_finance_records_a_payment_and_the_commitment_becomes_expenditure(client, people, programme):
    application = due(people, payout="3900.00")
    grants = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.GRANTS)
    spent_before = grants.spent
    client.force_login(people["finance"])
    url = reverse("subsidy:mark_paid", args=[application.pk])

    form = client.get(url).content.decode()
    response = client.post(url, {"paid_on": today().isoformat(), "iban": "NL91 ABNA 0417 1643 00",
                                 "version": application.version}, follow=True)

    assert 'value="NL91 ABNA 0417 1643 00"' in form  # prefilled from the payout request
    application.refresh_from_db()
    grants.refresh_from_db()
    assert application.status == S.PAID and application.paid_by == people["finance"]
    assert application.paid_on == today()
    assert grants.spent - spent_before == Decimal("3900.00")
    assert f"De betaling van {euro(Decimal('3900.00'))} voor {application.reference} is vastgelegd." in \
        response.content.decode()


def test_who_set_the_payout_cannot_record_its_payment_and_nothing_is_booked(client, people):
    assessor_and_finance = UserFactory(username="beide", role="assessor")
    assessor_and_finance.groups.add(*people["finance"].groups.all())
    application = application_in("payout_requested", people)
    services.set_payout(application, by=assessor_and_finance, amount="4000.00")
    application.refresh_from_db()
    entries, events = LedgerEntry.objects.count(), AuditEvent.objects.count()
    client.force_login(assessor_and_finance)
    url = reverse("subsidy:mark_paid", args=[application.pk])

    shown = client.get(url).content.decode()
    response = client.post(url, {"paid_on": today().isoformat(), "iban": "NL91ABNA0417164300",
                                 "version": application.version})

    message = "U hebt deze uitbetaling vastgesteld; iemand anders legt de betaling vast (vier ogen)."
    assert message in shown and 'name="paid_on"' not in shown
    assert response.status_code == 403 and message in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.PAYOUT_SET
    assert (LedgerEntry.objects.count(), AuditEvent.objects.count()) == (entries, events)


def test_an_iban_with_a_wrong_check_digit_is_refused_on_its_field(client, people):
    application = due(people)
    client.force_login(people["finance"])

    response = client.post(reverse("subsidy:mark_paid", args=[application.pk]), {
        "paid_on": today().isoformat(), "iban": "NL92 ABNA 0417 1643 00", "version": application.version})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_iban_error"' in html and "Dit IBAN is niet geldig" in html
    assert 'aria-describedby="id_iban_helptext id_iban_error"' in html
    application.refresh_from_db()
    assert application.status == S.PAYOUT_SET


def test_a_payment_date_in_the_future_is_refused_on_its_field(client, people):
    application = due(people)
    client.force_login(people["finance"])

    response = client.post(reverse("subsidy:mark_paid", args=[application.pk]), {
        "paid_on": (today() + datetime.timedelta(days=3)).isoformat(), "iban": "NL91ABNA0417164300",
        "version": application.version})

    assert 'id="id_paid_on_error"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.PAYOUT_SET


def test_a_stale_page_gets_the_conflict_message_and_nothing_more_is_recorded(client, people):
    application = due(people)
    seen = application.version
    colleague = UserFactory(username="finance2", role="finance_officer")
    services.mark_paid(application, by=colleague, paid_on=today(), iban=application.iban)  # meanwhile
    entries = LedgerEntry.objects.count()
    client.force_login(people["finance"])

    response = client.post(reverse("subsidy:mark_paid", args=[application.pk]), {
        "paid_on": today().isoformat(), "iban": "NL91ABNA0417164300", "version": seen})

    assert response.status_code == 409
    assert "Iemand anders heeft deze aanvraag intussen gewijzigd" in response.content.decode()
    application.refresh_from_db()
    assert application.paid_by == colleague and LedgerEntry.objects.count() == entries


def test_an_application_that_is_not_due_sends_finance_back_to_the_list(client, people):
    application = application_in("paid", people)
    client.force_login(people["finance"])

    response = client.get(reverse("subsidy:mark_paid", args=[application.pk]), follow=True)

    assert response.redirect_chain and "wacht niet op betaling" in response.content.decode()


def test_the_mark_paid_form_links_its_help_texts_and_errors(client, people):
    application = due(people)
    client.force_login(people["finance"])
    url = reverse("subsidy:mark_paid", args=[application.pk])

    for response in (client.get(url), client.post(url, {"paid_on": "x", "iban": "", "version": application.version})):
        count, dangling = references(response.content.decode())
        assert count >= 2 and dangling == []


# --- The export ------------------------------------------------------------------------------------------


def exported(people, *applications) -> PaymentBatch:
    batch = request_batch(applications[0].programme, by=people["finance"], execution_date=today())
    write_batch(batch.pk)
    batch.refresh_from_db()
    return batch


def test_the_sepa_file_pays_each_payout_to_the_applicants_account_from_the_programmes_account(people, programme):
    first = due(people, payout="3900.00")
    second = due(people, payout="1234.56")
    Application.objects.filter(pk=second.pk).update(iban="DE89370400440532013000", account_holder="Zoë Ünal")

    batch = exported(people, first, second)

    assert batch.status == PaymentBatch.Status.DONE and batch.payments == 2
    assert batch.total == Decimal("5134.56")
    xml = batch.sepa_file.read()
    xmlschema.XMLSchema(str(PAIN_001_XSD)).validate(xml.decode())
    root = ET.fromstring(xml)
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header.findtext("p:NbOfTxs", namespaces=NS) == "2"
    assert Decimal(header.findtext("p:CtrlSum", namespaces=NS)) == Decimal("5134.56")
    info = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert info.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == programme.payer_iban
    assert info.findtext("p:Dbtr/p:Nm", namespaces=NS) == programme.payer_name
    assert info.findtext("p:ReqdExctnDt", namespaces=NS) == today().isoformat()
    transactions = info.findall("p:CdtTrfTxInf", NS)
    assert [t.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) for t in transactions] == \
        ["NL91ABNA0417164300", "DE89370400440532013000"]
    assert [Decimal(t.findtext("p:Amt/p:InstdAmt", namespaces=NS)) for t in transactions] == \
        [Decimal("3900.00"), Decimal("1234.56")]
    assert [t.findtext("p:PmtId/p:EndToEndId", namespaces=NS) for t in transactions] == \
        [first.reference, second.reference]
    remittances = [t.findtext("p:RmtInf/p:Ustrd", namespaces=NS) for t in transactions]
    assert first.reference in remittances[0] and second.reference in remittances[1]
    assert transactions[1].findtext("p:Cdtr/p:Nm", namespaces=NS) == "Zoe Unal"  # the SEPA character set


def test_the_spreadsheets_hold_each_payment_and_escape_formula_like_names(people):
    application = due(people, payout="3900.00", applicant_name="=HYPERLINK(\"http://evil\")")
    Application.objects.filter(pk=application.pk).update(account_holder="+31 J. de Vries")

    batch = exported(people, application)

    rows = list(csv.reader(io.StringIO(batch.csv_file.read().decode("utf-8-sig"))))
    assert rows[0][:5] == ["kenmerk", "aanvrager", "rekeninghouder", "IBAN", "bedrag"]
    assert rows[1][:5] == [application.reference, "'=HYPERLINK(\"http://evil\")", "'+31 J. de Vries",
                           "NL91ABNA0417164300", "3900.00"]
    sheet = openpyxl.load_workbook(io.BytesIO(batch.xlsx_file.read())).active
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    assert sheet.max_row == 2
    assert not any(isinstance(value, str) and value.startswith(("=", "+")) for value in cells)
    assert "'=HYPERLINK(\"http://evil\")" in cells


def test_exporting_marks_nothing_paid(client, people):
    application = due(people)
    spent = LedgerEntry.objects.filter(kind="expenditure").count()

    batch = exported(people, application)
    html = page(client, people["finance"], reverse("subsidy:payment_batch", args=[batch.pk]))

    application.refresh_from_db()
    assert application.status == S.PAYOUT_SET
    assert LedgerEntry.objects.filter(kind="expenditure").count() == spent
    assert "Exporteren markeert niets als betaald" in html


def test_finance_asks_for_the_export_and_follows_it_to_the_downloads(client, people, immediate_tasks,
                                                                    django_capture_on_commit_callbacks):
    application = due(people)
    client.force_login(people["finance"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("subsidy:start_payment_batch"),
                               {"execution_date": (today() + datetime.timedelta(days=1)).isoformat()})
    batch = PaymentBatch.objects.get()
    status = client.get(response.url).content.decode()
    sepa = client.get(reverse("subsidy:payment_batch_download", args=[batch.pk, "sepa"]))
    xlsx = client.get(reverse("subsidy:payment_batch_download", args=[batch.pk, "xlsx"]))

    assert response.url == reverse("subsidy:payment_batch", args=[batch.pk])
    assert list(batch.applications.all()) == [application]
    assert "De export staat klaar: 1 betaling" in status
    assert sepa["Content-Disposition"].startswith(f'attachment; filename="betalingen-hilversum-2022-{batch.pk}-')
    assert sepa["X-Content-Type-Options"] == "nosniff"
    assert b"<NbOfTxs>1</NbOfTxs>" in b"".join(sepa.streaming_content)
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    event = AuditEvent.objects.get(action="payment_batch.requested")
    assert event.actor == people["finance"] and event.data["applications"] == [application.reference]


def test_the_status_part_polls_until_the_files_are_ready(client, people):
    application = due(people)
    batch = request_batch(application.programme, by=people["finance"], execution_date=today())
    client.force_login(people["finance"])
    url = reverse("subsidy:payment_batch", args=[batch.pk])

    waiting = client.get(url, headers={"HX-Request": "true"})
    write_batch(batch.pk)
    ready = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 1s"' in waiting.content.decode() and "<html" not in waiting.content.decode()
    assert "hx-request" in waiting["Vary"].lower()
    assert "hx-trigger" not in ready
    assert reverse("subsidy:payment_batch_download", args=[batch.pk, "sepa"]) in ready


def test_a_batch_that_is_not_ready_cannot_be_downloaded(client, people):
    application = due(people)
    batch = request_batch(application.programme, by=people["finance"], execution_date=today())
    client.force_login(people["finance"])

    assert client.get(reverse("subsidy:payment_batch_download", args=[batch.pk, "sepa"])).status_code == 404
    write_batch(batch.pk)
    assert client.get(reverse("subsidy:payment_batch_download", args=[batch.pk, "pdf"])).status_code == 404


def test_a_payment_recorded_before_the_batch_is_written_is_left_out_of_it(people):
    kept = due(people, payout="3900.00")
    paid = due(people, payout="2000.00")
    batch = request_batch(kept.programme, by=people["finance"], execution_date=today())
    services.mark_paid(paid, by=people["finance"], paid_on=today(), iban=paid.iban)

    write_batch(batch.pk)

    batch.refresh_from_db()
    assert list(batch.applications.all()) == [kept]
    assert (batch.payments, batch.total) == (1, Decimal("3900.00"))
    assert paid.reference.encode() not in batch.sepa_file.read()


def test_no_export_without_payments_due_or_with_a_date_in_the_past(client, people):
    client.force_login(people["finance"])
    url = reverse("subsidy:start_payment_batch")

    nothing = client.post(url, {"execution_date": today().isoformat()})
    due(people)
    past = client.post(url, {"execution_date": (today() - datetime.timedelta(days=1)).isoformat()})

    assert nothing.status_code == 400 and "Er zijn geen betalingen te exporteren." in nothing.content.decode()
    assert past.status_code == 400 and 'id="id_execution_date_error"' in past.content.decode()
    assert not PaymentBatch.objects.exists()


def test_no_sepa_file_without_the_programmes_paying_account(client, people, programme):
    due(people)
    type(programme).objects.filter(pk=programme.pk).update(payer_iban="")
    client.force_login(people["finance"])

    html = client.get(reverse("subsidy:payments")).content.decode()
    response = client.post(reverse("subsidy:start_payment_batch"), {"execution_date": today().isoformat()})

    assert "heeft nog geen betaalrekening" in html
    assert response.status_code == 400 and not PaymentBatch.objects.exists()


def test_finance_reaches_the_payment_form_from_the_application_page(client, programme, users_by_role):
    application = application_in("payout_set", users_by_role)
    client.force_login(users_by_role["finance"])

    page = client.get(reverse("subsidy:application", args=[application.pk])).content.decode()

    assert reverse("subsidy:mark_paid", args=[application.pk]) in page
    client.force_login(users_by_role["assessor"])
    assert reverse("subsidy:mark_paid", args=[application.pk]) not in client.get(
        reverse("subsidy:application", args=[application.pk])).content.decode()
