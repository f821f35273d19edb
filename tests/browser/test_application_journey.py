"""The large-measure application in the browser (issue 11), as its users click it:

1. an applicant without an account fills in the public form, submits it and follows the status link; the DIY
   route estimates the grant while the area is typed;
2. `assessor` finds it in the queue on her start page, starts the review and asks for information; the applicant
   sees the question and the pause on the status page and answers; `assessor` approves and downloads the letter;
3. `community` requests the payout from the application's page; `assessor2` sets it; `finance2` records the
   payment; the grants line has spent the payout.

Tasks (the decision letter, the e-mails) run at once: the live server commits each request, so the letter is
rendered before the approval's redirect is answered.
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.roles import Role
from budget.money import euro
from households.services import assign_household
from subsidy import services
from subsidy.models import Application, DecisionLetter
from tests.factories import PDF_BYTES, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
IBAN = "NL91 ABNA 0417 1643 00"


def watched(page):
    """The page, collecting console errors (e.g. something the Content-Security-Policy blocked) in `problems`."""
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.problems = problems
    return page


@pytest.fixture
def watched_page(page):
    return watched(page)


@pytest.fixture
def another_person(new_context):
    """A page in a browser of its own (its own cookies), for a second person at work at the same time."""
    return lambda: watched(new_context().new_page())


@pytest.fixture
def pdf(tmp_path):
    """A small PDF on disk for a file input (named as the user would name it)."""
    def make(name: str):
        path = tmp_path / name
        path.write_bytes(PDF_BYTES)
        return path
    return make


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen", include_hidden=True)).to_be_attached()


def dutch_date(day: datetime.date) -> str:
    with translation.override("nl"):
        return dateformat.format(day, "j F Y")


def fill_in_the_form(page, pdf):
    """The public form, as an owner-occupier with a contractor's quote for the roof who gives the income."""
    page.get_by_label("Uw naam").fill("Fatima el Amrani")
    page.get_by_label("E-mailadres").fill("fatima@example.nl")
    page.get_by_label("Telefoonnummer (niet verplicht)").fill("06 12345678")
    page.get_by_label("Straat").fill("Larenseweg")
    page.get_by_label("Huisnummer").fill("112")
    page.get_by_label("Postcode").fill("1221 CM")
    page.get_by_label("Plaats").fill("Hilversum")
    page.get_by_label("Energielabel van de woning").select_option("E")
    page.get_by_label("Ja, ik ben eigenaar en woon er zelf").check()
    page.get_by_label("Dakisolatie").check()
    page.get_by_label("Door een aannemer (offerte)").check()
    page.get_by_label("Bedrag van de offerte, inclusief btw (€)").fill("4.200,00")
    page.get_by_label("De offerte van de aannemer").set_input_files(pdf("offerte-dak.pdf"))
    page.get_by_label("Alleenstaande", exact=True).check()
    page.get_by_label("Ik geef het netto-inkomen van mijn huishouden op").check()
    page.get_by_label("Netto huishoudinkomen per maand (€)").fill("1.250,00")
    page.get_by_label("Ik verklaar dat ik alles naar waarheid heb ingevuld").check()
    page.get_by_label("Ik geef toestemming dat de aanpak mijn gegevens verwerkt").check()


def apply_through_the_form(page, live_server, pdf) -> str:
    """Submit the public form; the status link shown afterwards."""
    page.goto(f"{live_server.url}/aanvragen/")
    fill_in_the_form(page, pdf)
    page.get_by_role("button", name="De aanvraag indienen").click()
    expect(page.get_by_role("heading", name="Dank u: uw aanvraag is ingediend")).to_be_visible()
    return page.get_by_label("Uw statuslink").input_value()


# --- 1. The applicant -----------------------------------------------------------------------------------


def test_an_applicant_submits_the_form_and_follows_the_status_link(watched_page, live_server, programme, pdf,
                                                                   immediate_tasks):
    page = watched_page
    link = apply_through_the_form(page, live_server, pdf)

    application = Application.objects.get()
    expect(page.get_by_text(f"Uw kenmerk is {application.reference}.")).to_be_visible()
    assert link == f"{live_server.url}/aanvragen/status/{application.status_token}/"  # the token, not the id

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Uw aanvraag {application.reference}")
    expect(page.locator(".status-now")).to_have_text("Ontvangen: wacht op een beoordelaar")
    due = application.decision_due_on
    assert due == timezone.localdate() + datetime.timedelta(days=28)
    expect(page.get_by_text(f"Wij beslissen uiterlijk {dutch_date(due)}", exact=True)).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Dakisolatie")
    expect(page.locator(".facts")).to_contain_text(re.compile(r"€\s4\.200,00"))
    expect(page.get_by_role("link", name="offerte-dak.pdf")).to_be_visible()
    assert page.problems == []


def test_the_diy_route_estimates_the_grant_while_the_area_is_typed(watched_page, live_server, programme):
    page = watched_page
    page.goto(f"{live_server.url}/aanvragen/")
    page.get_by_label("Dakisolatie").check()
    page.get_by_label("Zelf doen (zelfwerkzaamheid, berekening)").check()
    expect(page.get_by_label("Bedrag van de offerte, inclusief btw (€)")).to_be_hidden()

    page.get_by_label("Te isoleren oppervlakte (m²)").press_sequentially("70", delay=40)

    expect(page.locator("#diy-estimate .diy-grant-amount")).to_have_text(re.compile(r"€\s2\.730,00"))
    expect(page.locator("#diy-estimate")).to_contain_text("420,00")
    assert page.problems == []


def test_the_public_form_fits_a_phone(watched_page, live_server, programme):
    page = watched_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/aanvragen/")
    page.get_by_label("Ik geef het netto-inkomen van mijn huishouden op").check()
    page.get_by_label("Door een aannemer (offerte)").check()
    expect(page.get_by_label("De offerte van de aannemer")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the form scrolls sideways"

    page.get_by_label("Dakisolatie").check()
    page.get_by_label("Zelf doen (zelfwerkzaamheid, berekening)").check()
    page.get_by_label("Te isoleren oppervlakte (m²)").press_sequentially("70", delay=40)
    expect(page.locator("#diy-estimate .diy-grant-amount")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the DIY estimate scrolls sideways"
    assert page.problems == []


# --- 2. The assessor and the applicant ------------------------------------------------------------------


def open_act(page, name: str):
    """One act on the application's page: its folded section opened."""
    section = page.locator(f"#act-{name}")
    section.locator("summary").click()
    expect(section.locator("form")).to_be_visible()
    return section


def test_the_assessor_asks_for_information_the_applicant_gives_it_and_she_approves_and_downloads_the_letter(
        watched_page, another_person, live_server, programme, assessor, pdf, immediate_tasks):
    applicant = watched_page
    link = apply_through_the_form(applicant, live_server, pdf)
    application = Application.objects.get()
    reference = application.reference

    staff = another_person()
    log_in(staff, live_server, "assessor")
    queue = staff.locator(".application-queue-summary")
    expect(queue.get_by_role("heading", name="Uw werkvoorraad")).to_be_visible()
    queue.get_by_role("link", name=re.compile(reference)).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"{reference} · Fatima el Amrani")
    expect(staff.locator(".page-heading .application-status")).to_have_text("Ingediend")

    open_act(staff, "start_review").get_by_role("button", name="Beoordeling starten").click()
    expect(staff.get_by_text("De beoordeling is gestart.")).to_be_visible()
    expect(staff.locator(".page-heading .application-status")).to_have_text("In behandeling")

    question = "Stuur een foto van het dak waar de isolatie komt."
    request = open_act(staff, "request_info")
    request.get_by_label("Welke informatie nodig is").fill(question)
    request.get_by_role("button", name="Informatie opvragen").click()
    expect(staff.get_by_text("De informatie is opgevraagd; de beslistermijn staat stil.")).to_be_visible()
    expect(staff.locator(".page-heading .application-status")).to_have_text("Informatie opgevraagd")

    applicant.goto(link)
    expect(applicant.locator(".status-now")).to_have_text("Wij hebben informatie van u nodig")
    expect(applicant.locator("blockquote.info-requested")).to_have_text(question)
    today = dutch_date(timezone.localdate())
    expect(applicant.get_by_text(f"Staat stil sinds {today}, zolang wij wachten op uw informatie")).to_be_visible()
    answer = applicant.locator("#info-form")
    answer.get_by_label("Uw antwoord (niet verplicht)").fill("De foto stuur ik mee; het dak is 70 m².")
    answer.get_by_label("Bestanden (niet verplicht)").set_input_files(pdf("foto-dak.pdf"))
    answer.get_by_role("button", name="Ik heb de informatie aangeleverd").click()
    expect(applicant.get_by_text("Dank u: de informatie is verstuurd.", exact=False)).to_be_visible()
    expect(applicant.locator(".status-now")).to_have_text("Wordt beoordeeld")
    expect(applicant.get_by_role("link", name="foto-dak.pdf")).to_be_visible()

    staff.reload()
    expect(staff.locator(".page-heading .application-status")).to_have_text("In behandeling")
    expect(staff.locator("#timeline")).to_contain_text("De foto stuur ik mee")
    approve = open_act(staff, "approve")
    expect(approve.locator("#approve-problems")).to_have_count(0)
    approve.get_by_role("button", name="Toekennen en subsidie vastleggen").click()
    expect(staff.get_by_text("De aanvraag is toegekend", exact=False)).to_be_visible()
    expect(staff.locator(".page-heading .application-status")).to_have_text("Toegekend")

    with staff.expect_download() as download:
        staff.locator("#letters").get_by_role("link", name="Brief: Toekenning (pdf)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    content = download.value.path().read_bytes()
    assert content.startswith(b"%PDF")
    text = " ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(content)).pages)
    assert re.search(r"€\s*4\.200,00", text), text[:2000]
    assert reference in text

    applicant.reload()
    expect(applicant.locator(".status-now")).to_have_text("Toegekend")
    expect(applicant.get_by_role("link", name="Toekenning")).to_be_visible()
    letter = DecisionLetter.objects.get(application=application)
    assert (letter.kind, letter.status) == (DecisionLetter.Kind.APPROVAL, DecisionLetter.Status.READY)
    assert applicant.problems == [] and staff.problems == []


# --- 3. The payout --------------------------------------------------------------------------------------


@pytest.fixture
def approved_application(programme, assessor, community_worker, coordinator):
    """An application as the public form submits it (services.apply: contractor, roof, quote €4,200), approved by
    `assessor`; the household the form registered is assigned to `community`."""
    answers = {"applicant_name": "Fatima el Amrani", "email": "fatima@example.nl", "phone": "",
               "owner_occupier": True, "measure": "roof", "route": "contractor", "quote_amount": Decimal("4200.00"),
               "diy_area_m2": None, "household_type": "single", "income_proof": "income_details",
               "net_monthly_income": Decimal("1250.00"), "declaration_true": True}
    address = {"street": "Larenseweg", "house_number": 112, "house_letter": "", "house_number_addition": "",
               "postcode": "1221 CM", "city": "Hilversum"}
    quote = SimpleUploadedFile("offerte-dak.pdf", PDF_BYTES, content_type="application/pdf")
    application = services.apply(programme, by=services.Actor.APPLICANT, answers=answers, address=address,
                                 consent={"statement_version": "2022-1",
                                          "share_address_level": False},
                                 documents=[("quote", quote)], energy_label="E")
    assign_household(application.household, by=coordinator, community_worker=community_worker)
    application.refresh_from_db()
    application = services.approve(services.start_review(application, by=assessor), by=assessor)
    assert application.granted_amount == Decimal("4200.00")
    return application


def test_community_requests_the_payout_assessor2_sets_it_and_finance2_records_the_payment(
        another_person, live_server, programme, approved_application, roles, pdf, immediate_tasks):
    application = approved_application
    reference = application.reference
    UserFactory(username="assessor2", role=Role.ASSESSOR)
    UserFactory(username="finance2", role=Role.FINANCE_OFFICER)
    grants = services.grants_line(programme)
    committed_before, spent_before = grants.committed_open, grants.spent

    community = another_person()
    log_in(community, live_server, "community")
    community.goto(f"{live_server.url}/applications/")
    community.get_by_role("link", name=reference).click()
    expect(community.locator(".page-heading .application-status")).to_have_text("Toegekend")
    payout = open_act(community, "request_payout")
    payout.get_by_label("Factuurbedrag (€)").fill("3.950,00")
    payout.get_by_label(re.compile(r"^IBAN")).fill(IBAN)
    payout.get_by_label("Rekeninghouder").fill("F. el Amrani")
    payout.get_by_label("Factuur", exact=True).set_input_files(pdf("factuur-dak.pdf"))
    payout.get_by_label("Geaccepteerde offerte").set_input_files(pdf("offerte-getekend.pdf"))
    payout.get_by_role("button", name="Uitbetaling aanvragen").click()
    expect(community.get_by_text("De uitbetaling is aangevraagd.")).to_be_visible()
    expect(community.locator(".page-heading .application-status")).to_have_text("Uitbetaling aangevraagd")
    expect(community.locator("#documents")).to_contain_text("factuur-dak.pdf")
    expect(community.locator("#documents")).to_contain_text("offerte-getekend.pdf")

    assessor2 = another_person()
    log_in(assessor2, live_server, "assessor2")
    assessor2.goto(f"{live_server.url}/applications/")
    assessor2.get_by_role("link", name=reference).click()
    setting = open_act(assessor2, "set_payout")
    expect(setting.locator(".facts")).to_contain_text(re.compile(r"€\s4\.200,00"))
    expect(setting.locator(".facts")).to_contain_text(re.compile(r"€\s3\.950,00"))
    setting.get_by_label("Uitbetaling (€)").fill("3.950,00")
    setting.get_by_role("button", name="Uitbetaling vaststellen").click()
    expect(assessor2.get_by_text("De uitbetaling is vastgesteld; financiën kan haar betalen.")).to_be_visible()
    expect(assessor2.locator(".page-heading .application-status")).to_have_text("Uitbetaling vastgesteld")

    finance2 = another_person()
    log_in(finance2, live_server, "finance2")
    finance2.goto(f"{live_server.url}/payments/")
    row = finance2.locator(".payments-due tbody tr").filter(has_text=reference)
    expect(row).to_contain_text(IBAN)
    expect(row).to_contain_text(re.compile(r"€\s3\.950,00"))
    row.get_by_role("link", name=re.compile("Betaling vastleggen")).click()
    expect(finance2.get_by_label("Betaald aan IBAN")).to_have_value(IBAN)
    finance2.get_by_role("button", name=re.compile(r"Betaling van €\s3\.950,00 vastleggen")).click()
    expect(finance2.get_by_text(re.compile(rf"De betaling van €\s3\.950,00 voor {reference} is vastgelegd."))) \
        .to_be_visible()
    expect(finance2.locator(".payments-due")).to_have_count(0)

    finance2.locator(".payments-paid").get_by_role("link", name=reference).click()
    expect(finance2.locator(".page-heading .application-status")).to_have_text("Betaald")
    expect(finance2.locator("#measure")).to_contain_text(re.compile(r"€\s3\.950,00"))

    finance2.goto(f"{live_server.url}/budget/")
    grants_row = finance2.locator(".budget-lines tbody tr").filter(has_text=grants.name)
    with translation.override("nl"):
        spent_now = euro(spent_before + Decimal("3950.00"))
    expect(grants_row.locator("td[data-label='Uitgegeven']")).to_have_text(spent_now)
    grants.refresh_from_db()
    assert grants.spent - spent_before == Decimal("3950.00")
    assert committed_before - grants.committed_open == Decimal("4200.00")  # the rest of the grant released
    application.refresh_from_db()
    assert (application.status, application.paid_on) == (Application.Status.PAID, timezone.localdate())
    assert community.problems == [] and assessor2.problems == [] and finance2.problems == []
