"""The resident's report after the intake and after the installation: what the resident reads in the PDF (text taken
from it), that it fits on one page, when it is e-mailed (with an address, once), a failure, and the household page."""

import datetime
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from fieldwork import reports, services
from fieldwork.models import ResidentReport
from fieldwork.tasks import render_resident_report
from subsidy import packages
from tests.factories import assessed_household, product

FINDINGS = {"energy_label": "E", "label_estimated": True, "glazing": "single", "roof_insulation": "insulated",
            "floor_insulation": "none", "wall_insulation": "partly", "crawl_space_suitable": True,
            "gas_m3_per_year": 1800, "electricity_kwh_per_year": 2400, "advised_measure": "floor",
            "diy_possible": True, "advice": "Isoleer de vloer vanuit de kruipruimte; die is hoog genoeg."}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def household(programme, handyman, community_worker):
    return assessed_household(handyman, community_worker=community_worker, email="bewoner@example.nl")


def a_while_ago(hours: int = 2):
    return timezone.now() - datetime.timedelta(hours=hours)


def intake_done(household, handyman, capture, **findings) -> ResidentReport:
    """The intake recorded; its report rendered by the (immediate) background task after commit."""
    visit = services.plan_visit(household, by=handyman, planned_at=a_while_ago(3))
    with capture(execute=True):
        services.record_intake(visit, by=handyman, findings={**FINDINGS, **findings}, done_at=a_while_ago(2))
    return visit.reports.get()


def installation_done(household, handyman, capture) -> ResidentReport:
    visit = services.plan_visit(household, by=handyman, planned_at=a_while_ago(2))
    fan, foil = product("Radiatorventilator"), product("Radiatorfolie")
    packages.propose(household, by=handyman, items={fan.pk: 4, foil.pk: 2})
    with capture(execute=True):
        services.record_installation(visit, by=handyman, quantities={fan.pk: 3, foil.pk: 2}, done_at=a_while_ago(1))
    return visit.reports.get()


def pages_of(report: ResidentReport) -> list[str]:
    with report.file.open("rb") as file:
        reader = pypdf.PdfReader(io.BytesIO(file.read()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def text_of(report: ResidentReport) -> str:
    return " ".join(pages_of(report))


def test_the_intake_report_gives_the_advice_with_its_figures_and_source_in_dutch_on_one_page(
        household, handyman, community_worker, django_capture_on_commit_callbacks, mailoutbox):
    report = intake_done(household, handyman, django_capture_on_commit_callbacks)
    report.refresh_from_db()

    assert report.status == ResidentReport.Status.READY and report.rendered_at is not None
    assert report.file.name.startswith("resident-reports/") and household.reference not in report.file.name
    pages = pages_of(report)
    assert len(pages) == 1
    text = pages[0]
    # Who writes to whom.
    assert "Gemeente Hilversum" in text and "Postbus 9900" in text
    assert household.contact_name in text and household.dwelling.address_line in text
    assert "Uw energieadvies" in text
    # The findings in short.
    assert "Energielabel E (geschat door onze energieklusser)" in text
    assert "Enkel glas" in text and "1.800 m³ gas" in text
    # The advice: the measure, the indicative cost and yearly saving from the programme's table, DIY, the text.
    assert "Vloerisolatie" in text
    assert "Geschatte besparing € 250,00 per jaar" in text
    assert "Indicatieve kosten € 1.500,00 tot € 2.900,00" in text
    assert "Zelf doen? Mogelijk" in text
    assert "Isoleer de vloer vanuit de kruipruimte" in text
    assert "schattingen" in text
    assert ("Bron: de indicatieve tabel van kosten en besparingen van het programma Aanpak energiearmoede "
            "Hilversum 2022, geldig vanaf 1 januari 2022.") in text
    # Who to call.
    assert handyman.get_full_name() in text
    assert community_worker.get_full_name() in text
    assert "14 035 · energiearmoede@hilversum.example" in text


def test_the_installation_report_lists_what_was_installed_and_the_estimated_savings_with_their_source(
        household, handyman, django_capture_on_commit_callbacks):
    intake_done(household, handyman, django_capture_on_commit_callbacks)
    report = installation_done(household, handyman, django_capture_on_commit_callbacks)
    report.refresh_from_db()

    pages = pages_of(report)
    assert len(pages) == 1
    text = pages[0]
    assert "De energiebesparende maatregelen in uw woning" in text
    assert "Radiatorventilator 3 stuk" in text  # three of the four proposed were installed
    assert "Radiatorfolie 2 rol" in text
    assert "Geschatte besparing € 250,00 per jaar" in text
    assert "Bron: de indicatieve tabel van kosten en besparingen" in text
    assert handyman.get_full_name() in text


def test_a_long_advice_still_fits_on_one_page(household, handyman, django_capture_on_commit_callbacks):
    long_advice = " ".join(["Isoleer de vloer en het dak, en vervang het enkel glas door HR++-glas."] * 40)
    report = intake_done(household, handyman, django_capture_on_commit_callbacks, advice=long_advice,
                         wishes="Warme voeten in de winter.")
    report.refresh_from_db()

    assert len(pages_of(report)) == 1


def test_the_report_is_emailed_to_the_household_with_the_pdf_attached_once(
        household, handyman, django_capture_on_commit_callbacks, mailoutbox):
    report = intake_done(household, handyman, django_capture_on_commit_callbacks)
    report.refresh_from_db()

    assert report.emailed_to == "bewoner@example.nl"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["bewoner@example.nl"]
    assert message.subject == f"Uw energieadvies ({household.reference})"
    assert "In het bijgevoegde verslag (pdf)" in message.body
    assert "14 035 · energiearmoede@hilversum.example" in message.body
    (name, content, content_type), = message.attachments
    assert (name, content_type) == (f"verslag-intake-{household.reference}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")

    render_resident_report.enqueue(report.pk)  # the task run twice: no second rendering, no second e-mail
    reports.render_report(report.pk)

    assert len(mailoutbox) == 1
    assert ResidentReport.objects.get(pk=report.pk).file.name == report.file.name


def test_without_an_email_address_the_report_is_ready_to_print_and_not_sent(
        programme, handyman, django_capture_on_commit_callbacks, mailoutbox):
    household = assessed_household(handyman, email="")
    report = intake_done(household, handyman, django_capture_on_commit_callbacks)
    report.refresh_from_db()

    assert report.status == ResidentReport.Status.READY
    assert report.emailed_to == ""
    assert mailoutbox == []


def test_a_visit_entered_afterwards_is_not_announced(household, handyman, mailoutbox):
    visit = services.plan_visit(household, by=handyman, planned_at=a_while_ago(3))
    services.record_intake(visit, by=handyman, findings=FINDINGS, done_at=a_while_ago(2))
    report = visit.reports.get()

    reports.render_report(report.pk, announce=False)

    report.refresh_from_db()
    assert report.status == ResidentReport.Status.READY
    assert report.emailed_to == "" and mailoutbox == []


def test_a_report_that_cannot_be_rendered_is_marked_failed_and_sent_to_nobody(household, handyman, monkeypatch,
                                                                             mailoutbox):
    visit = services.plan_visit(household, by=handyman, planned_at=a_while_ago(3))
    services.record_intake(visit, by=handyman, findings=FINDINGS, done_at=a_while_ago(2))
    report = visit.reports.get()  # pending: the commit never came in this test

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint failed")

    monkeypatch.setattr(reports, "render_pdf_template", broken)
    with pytest.raises(RuntimeError):
        reports.render_report(report.pk)

    report.refresh_from_db()
    assert report.status == ResidentReport.Status.FAILED
    assert not report.file
    assert mailoutbox == []

    monkeypatch.undo()
    reports.render_report(report.pk)  # rendered again it becomes ready and is sent
    report.refresh_from_db()
    assert report.status == ResidentReport.Status.READY
    assert len(mailoutbox) == 1


def test_the_household_page_lists_the_reports_being_prepared_ready_and_emailed(
        client, household, handyman, django_capture_on_commit_callbacks):
    intake = intake_done(household, handyman, django_capture_on_commit_callbacks)
    visit = services.plan_visit(household, by=handyman, planned_at=a_while_ago(2))
    fan = product("Radiatorventilator")
    packages.propose(household, by=handyman, items={fan.pk: 2})
    services.record_installation(visit, by=handyman, quantities={fan.pk: 2}, done_at=a_while_ago(1))
    client.force_login(handyman)

    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()

    assert "Verslagen voor de bewoner" in page
    assert "Wordt opgesteld" in page  # the installation's report: its commit never came in this test
    assert reverse("fieldwork:resident_report", args=[intake.pk]) in page
    assert "Gemaild naar bewoner@example.nl" in page


def test_the_report_downloads_as_a_pdf_attachment(client, household, handyman, django_capture_on_commit_callbacks):
    report = intake_done(household, handyman, django_capture_on_commit_callbacks)
    client.force_login(handyman)

    response = client.get(reverse("fieldwork:resident_report", args=[report.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="verslag-intake-{household.reference}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_household_page_section_reads_its_reports_in_one_query_however_many(
        rf, household, handyman, django_capture_on_commit_callbacks, django_assert_num_queries):
    from django.template.loader import render_to_string

    from fieldwork.views.residents import household_section

    intake_done(household, handyman, django_capture_on_commit_callbacks)
    installation_done(household, handyman, django_capture_on_commit_callbacks)
    request = rf.get("/")
    request.user = handyman

    with django_assert_num_queries(1):
        section = household_section(request, household)
        page = render_to_string("fieldwork/_household_reports.html", {"section": section})

    assert len(section["reports"]) == 2 and page.count("Downloaden om te printen (pdf)") == 2
