"""The programme report's page, its pictures and its files (PDF, xlsx) on a known set of figures."""

import datetime
import io
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import reports.selectors
from reports.models import ReportFile
from reports.programme import make_report_file, month_chart, report_xlsx, top_areas

pytestmark = pytest.mark.django_db

PERIOD = {"starts_on": "2022-01-01", "ends_on": "2024-06-30"}


@pytest.fixture
def asked(monkeypatch, known_figures):
    """`programme_figures` answers the known figures; the calls it got are kept."""
    calls = []

    def figures(programme, starts_on, ends_on):
        calls.append((programme.slug, starts_on, ends_on))
        return known_figures

    monkeypatch.setattr(reports.selectors, "programme_figures", figures)
    return calls


def page(client, user, **query):
    client.force_login(user)
    return client.get(reverse("reports:programme"), query)


def text_of(html: str) -> str:
    return " ".join(html.split())


def test_the_page_shows_the_known_figures_in_dutch(client, coordinator, asked):
    response = page(client, coordinator, programme="hilversum-2022", **PERIOD)

    html = text_of(response.content.decode())
    assert response.status_code == 200
    assert asked == [("hilversum-2022", datetime.date(2022, 1, 1), datetime.date(2024, 6, 30))]
    assert "Van 1 januari 2022 tot en met 30 juni 2024." in html
    assert "<strong>Huishoudens bereikt sinds de start:</strong> 412 van 1.500 (27%)" in html
    assert "In deze periode zijn 412 huishoudens bereikt." in html
    assert "<th scope=\"row\">Inkomensconsulent</th> <td class=\"num\">180</td> <td class=\"num\">44%</td>" in html
    assert "<th scope=\"row\">Overige gebieden (2)</th> <td class=\"num\">29</td>" in html
    assert "<th scope=\"row\">Intake</th> <td class=\"num\">400</td>" in html
    assert "37 bezoeken in deze periode zijn gepland en nog niet afgelegd." in html
    assert "€ 101.500,00" in html and "€ 290,00 (grens € 330,00)" in html
    assert "<strong>Grote maatregelen toegekend:</strong> 40 van 200 (20%)" in html
    assert "De gemiddelde subsidie is € 3.541,25; de begroting ging uit van € 3.000,00." in html
    assert "€ 95.000,00" in html and "€ 57.000,00" in html
    assert "17 dagen" in html and "31,5 dagen" in html and "tegen de beslistermijn van 28 dagen" in html
    assert "samen naar schatting € 15.000,00 tot € 23.750,00 per jaar" in html
    assert "Bron: Indicatieve besparingen per maatregel, Aanpak energiearmoede Hilversum 2022." in html
    assert "2 toegekende grote maatregelen zijn niet geschat: de tabel heeft geen regel voor hun maatregel." in html
    assert "Op 30 juni 2024 was € 194.150,00 uitgegeven van € 1.100.000,00" in html
    assert "het plan had toen € 550.000,00 uitgegeven" in html


def test_the_pictures_are_drawn_to_scale(client, coordinator, asked):
    html = text_of(page(client, coordinator, **PERIOD).content.decode())

    # households 412 of 1,500; the longest referral bar 180 = 100, 120 = 66.7
    assert 'width="27.47" height="10" fill="#17612f"' in html
    assert 'width="66.7" height="10" fill="#0b5394"' in html
    # bands of € 50: the limit of € 330 falls 3/5 into the seventh band (300–350): 6.6 × 36
    assert '<line x1="237.6" x2="237.6"' in html
    assert html.count('fill="#a3111a"') == 3  # the bands from € 350 up: above the limit
    # the grants line: spent 92,650 of 600,000 = 15.4, committed after it, the plan's mark at 50
    assert '<rect x="15.4" y="0" width="8.2" height="10" fill="#b06a00">' in html
    assert '<line x1="50.0" x2="50.0" y1="0" y2="10"' in html


def test_every_picture_has_its_numbers_in_text(client, coordinator, asked):
    html = page(client, coordinator, **PERIOD).content.decode()

    assert html.count('role="img"') == html.count("aria-labelledby=\"bands-caption\"") + html.count(
        'aria-labelledby="lead-caption"') + html.count('aria-labelledby="months-heading months-caption"')
    assert "<summary>De klassen als tabel</summary>" in html
    assert "<summary>Per maand als tabel</summary>" in html


def test_the_period_is_the_programme_until_today_unless_chosen(client, finance_officer, asked, programme):
    response = page(client, finance_officer)

    assert response.status_code == 200
    assert asked == [("hilversum-2022", programme.starts_on, min(timezone.localdate(), programme.ends_on))]


def test_a_period_beyond_the_programme_is_limited_to_it(client, coordinator, asked):
    html = text_of(page(client, coordinator, starts_on="2020-01-01", ends_on="2030-12-31").content.decode())

    assert asked == [("hilversum-2022", datetime.date(2022, 1, 1), datetime.date(2026, 12, 31))]
    assert "De periode is beperkt tot de looptijd van het programma (1 januari 2022 tot 31 december 2026)." in html
    assert 'name="starts_on" value="2022-01-01"' in html and 'name="ends_on" value="2026-12-31"' in html


@pytest.mark.parametrize(("query", "field", "error"), [
    ({"starts_on": "2024-06-30", "ends_on": "2024-01-01"}, "ends_on", "De einddatum ligt voor de begindatum."),
    ({"starts_on": "2027-01-01", "ends_on": "2027-06-30"}, "starts_on",
     "Het programma loopt tot 31 december 2026: kies een begindatum op of vóór die dag."),
    ({"starts_on": "2020-01-01", "ends_on": "2021-06-30"}, "ends_on",
     "Het programma begint op 1 januari 2022: kies een einddatum op of na die dag."),
    ({"starts_on": "abc", "ends_on": "2024-01-01"}, "starts_on", "Voer een geldige datum in."),
    ({"programme": "utrecht-2031"}, "programme", "Selecteer een geldige keuze. Deze keuze is niet beschikbaar."),
], ids=["end-before-start", "after-the-programme", "before-the-programme", "not-a-date", "unknown-programme"])
def test_a_wrong_period_is_refused_on_its_field(client, coordinator, asked, query, field, error):
    response = page(client, coordinator, **query)

    html = response.content.decode()
    assert response.status_code == 200
    assert asked == []
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{error}</li></ul>' in html
    assert "Download PDF" not in html


def test_a_programme_without_a_rule_set_yet_is_refused_on_the_end_date(client, coordinator, asked, programme):
    programme.pk, programme.slug, programme.reference_prefix = None, "gooi-2027", "GOO"
    programme.starts_on, programme.ends_on = datetime.date(2027, 1, 1), datetime.date(2028, 12, 31)
    programme.save()  # a new programme, its rule set not yet in the reference data

    response = page(client, coordinator, programme="gooi-2027", starts_on="2027-01-01", ends_on="2027-06-30")

    assert response.status_code == 200
    assert asked == []
    assert ("Het programma heeft nog geen regelset die geldt op 30 juni 2027"
            in text_of(response.content.decode()))


def test_the_page_asks_as_many_queries_for_many_rows_as_for_few(client, coordinator, monkeypatch, known_figures):
    many_areas = [reports.selectors.Count(str(1000 + n), str(1000 + n), n) for n in range(400)]
    bigger = replace(known_figures, reach=replace(known_figures.reach, by_postcode_area=many_areas))
    client.force_login(coordinator)
    url = reverse("reports:programme")

    monkeypatch.setattr(reports.selectors, "programme_figures", lambda *args: known_figures)
    with CaptureQueriesContext(connection) as few:
        client.get(url, PERIOD)
    monkeypatch.setattr(reports.selectors, "programme_figures", lambda *args: bigger)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url, PERIOD).content.decode()

    assert len(many) == len(few) <= 12
    assert "Overige gebieden (385)" in html


def test_the_postcode_areas_shown_are_the_fifteen_with_most_then_the_others():
    areas = [reports.selectors.Count(str(1200 + n), str(1200 + n), count) for n, count in enumerate([3, 9, 1] * 6)]

    shown = top_areas(areas)

    assert len(shown) == 16 and [area.count for area in shown[:6]] == [9] * 6
    assert shown[-1].key == "other" and shown[-1].count == 3 and sum(area.count for area in shown) == 78


def test_five_years_of_months_share_the_charts_width_and_each_january_is_named():
    months = [(datetime.date(2022 + n // 12, n % 12 + 1, 1), Decimal(100 * n), Decimal(150 * n)) for n in range(60)]
    line = reports.selectors.LineBurn(1, "Subsidies", Decimal("600000.00"), Decimal(0), Decimal(5900), Decimal(8850),
                                    months=months)

    chart = month_chart([line, line])

    assert chart["width"] == "480.0" and chart["column_width"] == "6.0"
    assert [column.label for column in chart["columns"] if column.labelled] == [
        "Jan 2022", "Jan 2023", "Jan 2024", "Jan 2025", "Jan 2026"]
    last = chart["columns"][-1]
    assert (last.x, last.spent, last.planned, last.height, last.planned_y) == (
        "473.0", Decimal(11800), Decimal(17700), "80.0", "0.0")


def test_downloading_the_pdf_makes_it_in_the_background(client, coordinator, asked, immediate_tasks):
    client.force_login(coordinator)

    response = client.post(reverse("reports:programme_file_request"),
                           {"programme": "hilversum-2022", "file_format": "pdf", **PERIOD})
    report_file = ReportFile.objects.get()
    status = text_of(client.get(response.url).content.decode())
    download = client.get(reverse("reports:programme_file_download", args=[report_file.pk]))

    assert (report_file.status, report_file.progress, report_file.requested_by) == ("done", 100, coordinator)
    assert (report_file.starts_on, report_file.ends_on) == (datetime.date(2022, 1, 1), datetime.date(2024, 6, 30))
    assert "Het rapport staat klaar." in status and "hx-trigger" not in status
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith(
        'attachment; filename="programmarapportage-hilversum-2022-20220101-20240630.pdf"')
    reader = pypdf.PdfReader(io.BytesIO(download.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Programmarapportage" in text
    assert "412 van 1.500 (27%)" in text and "40 van 200 (20%)" in text
    assert "€ 101.500,00" in text and "€ 3.541,25" in text
    assert "Bron: Indicatieve besparingen per maatregel" in text


def test_asking_for_a_file_puts_a_task_in_the_queue(client, finance_officer, asked):
    from django_tasks_db.models import DBTaskResult

    client.force_login(finance_officer)

    response = client.post(reverse("reports:programme_file_request"),
                           {"programme": "hilversum-2022", "file_format": "xlsx", **PERIOD})

    report_file = ReportFile.objects.get()
    assert response.url == reverse("reports:programme_file", args=[report_file.pk])
    assert DBTaskResult.objects.get().task_path == "reports.programme.make_report_file"
    assert (report_file.status, report_file.file_format, report_file.rows_total) == ("pending", "xlsx", 3)


def test_a_file_without_a_format_is_refused(client, coordinator, asked):
    client.force_login(coordinator)

    response = client.post(reverse("reports:programme_file_request"), {"programme": "hilversum-2022", **PERIOD})

    assert response.status_code == 200 and "Kies PDF of Excel." in response.content.decode()
    assert not ReportFile.objects.exists()


def test_the_xlsx_holds_the_figures_per_sheet(known_figures):
    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(known_figures)))

    assert workbook.sheetnames == ["Overzicht", "Huishoudens bereikt", "Bezoeken", "Pakketten", "Grote maatregelen",
                                   "Doorlooptijden", "Besparing", "Begroting"]
    overview = {row[0]: row[1:] for row in workbook["Overzicht"].iter_rows(values_only=True) if row[0]}
    assert overview["Huishoudens bereikt sinds de start"][:2] == (412, 1500)
    assert overview["Grote maatregelen toegekend"][:2] == (40, 200)
    assert overview["Van"][0] == datetime.datetime(2022, 1, 1)
    reach = list(workbook["Huishoudens bereikt"].iter_rows(values_only=True))
    assert reach[0] == ("Verwijzer", "Huishoudens") and reach[1] == ("Inkomensconsulent", 180)
    assert sum(1 for row in reach if row[0] and row[0].isdigit()) == 17  # every postcode area
    large = workbook["Grote maatregelen"]
    assert [cell.value for cell in large[2]] == ["Dakisolatie", "Door een aannemer (offerte)", 20, 95000, 12, 57000]
    assert large["D2"].number_format == '"€" #,##0.00'
    lead = {row[0]: row[1] for row in workbook["Doorlooptijden"].iter_rows(values_only=True)}
    assert lead["Mediaan, dagen van indiening tot besluit"] == 17 and lead["90e percentiel, dagen"] == 31.5
    savings = list(workbook["Besparing"].iter_rows(values_only=True))
    assert savings[3] == ("Totaal", 40, 15000, 23750)
    assert savings[4][:2] == ("Toegekend, niet geschat (geen regel in de tabel)", 2)
    assert savings[-1][:2] == ("Bron", "Indicatieve besparingen per maatregel, Aanpak energiearmoede Hilversum 2022")
    budget = list(workbook["Begroting"].iter_rows(values_only=True))
    assert budget[3] == ("Totaal", 1100000, 52000, 194150, 550000)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_text_that_looks_like_a_formula_is_written_as_text(known_figures, start):
    figures = replace(known_figures, programme_name=f"{start}HYPERLINK(\"x\")")

    sheet = openpyxl.load_workbook(io.BytesIO(report_xlsx(figures)))["Overzicht"]

    assert sheet["B2"].value == f"'{start}HYPERLINK(\"x\")" and sheet["B2"].data_type == "s"


def test_the_status_part_polls_until_the_file_is_ready(client, coordinator, asked, programme):
    report_file = ReportFile.objects.create(programme=programme, starts_on="2022-01-01", ends_on="2024-06-30",
                                            file_format="xlsx", requested_by=coordinator, rows_total=3)
    client.force_login(coordinator)
    url = reverse("reports:programme_file", args=[report_file.pk])

    waiting = client.get(url, headers={"HX-Request": "true"})
    whole = client.get(url)
    make_report_file.call(report_file.pk)
    ready = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 1s"' in waiting.content.decode() and "<html" not in waiting.content.decode()
    assert "Het rapport wacht op de achtergrondverwerking" in waiting.content.decode()
    assert "<html" in whole.content.decode() and "HX-Request" in whole["Vary"]
    assert "hx-trigger" not in ready and reverse("reports:programme_file_download", args=[report_file.pk]) in ready


def test_a_file_that_failed_says_so(client, coordinator, programme, monkeypatch):
    def broken(*args):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(reports.selectors, "programme_figures", broken)
    report_file = ReportFile.objects.create(programme=programme, starts_on="2022-01-01", ends_on="2024-06-30",
                                            file_format="pdf", requested_by=coordinator)

    with pytest.raises(RuntimeError):
        make_report_file.call(report_file.pk)

    client.force_login(coordinator)
    html = client.get(reverse("reports:programme_file", args=[report_file.pk])).content.decode()
    report_file.refresh_from_db()
    assert report_file.status == "failed" and report_file.content is None
    assert "Het maken van het rapport is mislukt." in html
    assert client.get(reverse("reports:programme_file_download", args=[report_file.pk])).status_code == 404


def test_the_finance_officer_may_download_the_file_the_coordinator_asked_for(client, coordinator, finance_officer,
                                                                              programme, asked):
    report_file = ReportFile.objects.create(programme=programme, starts_on="2022-01-01", ends_on="2024-06-30",
                                            file_format="xlsx", requested_by=coordinator)
    make_report_file.call(report_file.pk)
    client.force_login(finance_officer)

    download = client.get(reverse("reports:programme_file_download", args=[report_file.pk]))

    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert openpyxl.load_workbook(io.BytesIO(download.content))["Overzicht"]["B2"].value == programme.name


def test_the_coordinator_finds_the_report_in_the_navigation_and_its_headline_on_the_start_page(client, coordinator,
                                                                                                programme):
    client.force_login(coordinator)

    html = text_of(client.get(reverse("accounts:start")).content.decode())

    assert f'href="{reverse("reports:programme")}"' in html
    assert "<strong>Huishoudens bereikt:</strong> 0 van 1.500 (0%)" in html
    assert "<strong>Grote maatregelen toegekend:</strong> 0 van 200 (0%)" in html


def test_the_headline_counts_the_households_reached(client, finance_officer, programme):
    from tests.factories import HouseholdFactory

    for _ in range(3):
        HouseholdFactory(programme=programme, active=True)
    client.force_login(finance_officer)

    html = text_of(client.get(reverse("accounts:start")).content.decode())

    assert "<strong>Huishoudens bereikt:</strong> 3 van 1.500 (0%)" in html


# --- Through the figures themselves -----------------------------------------------------------------------------


def test_the_page_and_the_pdf_show_the_registers_figures_with_as_many_queries_for_more(client, people, programme,
                                                                                         monkeypatch,
                                                                                         immediate_tasks):
    from tests.reports.test_figures import Clock, some_of_everything

    clock = Clock(monkeypatch)
    some_of_everything(clock, people, datetime.date(2026, 3, 10), 1)
    client.force_login(people["coordinator"])
    url, march = reverse("reports:programme"), {"starts_on": "2026-03-01", "ends_on": "2026-03-31"}
    with CaptureQueriesContext(connection) as few:
        client.get(url, march)

    some_of_everything(clock, people, datetime.date(2026, 3, 11), 6)
    client.force_login(people["coordinator"])  # a day later: the idle session has ended
    with CaptureQueriesContext(connection) as many:
        html = text_of(client.get(url, march).content.decode())
    client.post(reverse("reports:programme_file_request"), {"programme": programme.slug, "file_format": "pdf",
                                                             **march})

    assert len(many) == len(few)
    assert "In deze periode zijn 7 huishoudens bereikt." in html
    assert "<strong>Huishoudens bereikt sinds de start:</strong> 7 van 1.500 (0%)" in html
    assert "<strong>Grote maatregelen toegekend:</strong> 7 van 200 (4%)" in html
    assert "<th scope=\"row\">Intake</th> <td class=\"num\">7</td> <td class=\"num\">100%</td>" in html
    report_file = ReportFile.objects.get()
    assert report_file.status == "done"
    reader = pypdf.PdfReader(io.BytesIO(bytes(report_file.content)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "7 van 1.500 (0%)" in text and "7 van 200 (4%)" in text
