"""The coordinator imports households from a spreadsheet: every row checked, then all or nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent
from households.imports import HEADERS, TEMPLATE_COLUMNS
from households.models import Household, HouseholdImport
from households.resources import HouseholdResource
from households.tasks import import_households
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

HEADER = "contact_name;household_type;residents;net_monthly_income;energy_allowance;referral_source;street;" \
         "house_number;postcode;city;energy_label;tenure;housing_corporation;handyman;consent_given_on;" \
         "consent_statement_version;consent_processing"
GOOD_ROWS = [
    "Mevrouw J. Jansen;Alleenstaande, AOW-leeftijd;1;1.385,50;ja;income_consultant;Larenseweg;12;1221cn;"
    "Hilversum;E;Eigenaar-bewoner;;handyman;15-03-2023;2022-1;ja",
    "Fam. El Amrani;couple;4;2410,00;nee;Woningcorporatie;Liebergerweg;45;1221 JS;Hilversum;F;"
    "social_rent;Dudok Wonen;;;;",
]


def csv_upload(*rows, header=HEADER, name="huishoudens.csv"):
    return SimpleUploadedFile(name, ("\n".join([header, *rows]) + "\n").encode("utf-8"), content_type="text/csv")


def run_import(programme, coordinator, upload) -> HouseholdImport:
    job = HouseholdImport.objects.create(programme=programme, filename=upload.name, content=upload.read(),
                                         requested_by=coordinator)
    import_households.call(job.pk)
    job.refresh_from_db()
    return job


def test_a_good_file_registers_every_row_with_consent_and_handyman(programme, coordinator, handyman):
    job = run_import(programme, coordinator, csv_upload(*GOOD_ROWS))

    assert job.status == HouseholdImport.Status.DONE, job.errors
    assert job.registered == 2 and job.rows_checked == 2
    assert job.content is None  # the uploaded personal data is not kept
    jansen = Household.objects.get(contact_name="Mevrouw J. Jansen")
    assert jansen.reference == "HIL-00001"
    assert str(jansen.net_monthly_income) == "1385.50"
    assert jansen.household_type == "single_pension_age"
    assert jansen.dwelling.postcode == "1221 CN" and jansen.dwelling.tenure == "owner_occupier"
    assert jansen.handyman == handyman
    assert jansen.status == Household.Status.ACTIVE  # consent for processing recorded
    amrani = Household.objects.get(contact_name="Fam. El Amrani")
    assert amrani.referral_source == "housing_corporation"
    assert amrani.status == Household.Status.REGISTERED
    assert AuditEvent.objects.for_object(jansen).filter(action="registered", actor=coordinator).exists()


def test_one_wrong_row_registers_nothing_and_reports_each_error_by_row_and_column(programme, coordinator,
                                                                                  handyman):
    bad = ("Dhr. P. Jansen;single;1;-5;ja;other;Havenstraat;6;1234 SS;Hilversum;Z;private_rent;;nobody;;;")
    job = run_import(programme, coordinator, csv_upload(GOOD_ROWS[0], bad, GOOD_ROWS[1]))

    assert job.status == HouseholdImport.Status.REJECTED
    assert not Household.objects.exists()
    wrong = {(error["row"], error["column"]) for error in job.errors}
    assert wrong == {(3, "net_monthly_income"), (3, "postcode"), (3, "energy_label"), (3, "handyman")}
    messages = {error["column"]: error["message"] for error in job.errors}
    assert "negatief" in messages["net_monthly_income"]  # the pages' Dutch messages
    assert "postcode" in messages["postcode"].lower()


def test_references_from_the_old_system_are_kept_and_a_duplicate_in_the_file_is_refused(programme, coordinator):
    HouseholdFactory(programme=programme, reference="CRM-7")
    header = "reference;" + HEADER
    rows = ["CRM-8;" + GOOD_ROWS[1], "CRM-8;" + GOOD_ROWS[1].replace("45", "47"), "CRM-7;" + GOOD_ROWS[1]]

    job = run_import(programme, coordinator, csv_upload(*rows, header=header))

    assert job.status == HouseholdImport.Status.REJECTED
    assert [(error["row"], error["column"], error["message"]) for error in job.errors] == [
        (3, "reference", "Dit kenmerk staat ook op regel 2.")]
    assert Household.objects.count() == 1


@pytest.mark.parametrize(("header", "expected"), [
    ("contact_name;household_type", "ontbreken"),
    (HEADER + ";shoe_size", "shoe_size"),
])
def test_a_file_with_missing_or_unknown_columns_is_refused_as_a_whole(programme, coordinator, header, expected):
    job = run_import(programme, coordinator, csv_upload("x;y", header=header))

    assert job.status == HouseholdImport.Status.REJECTED
    assert expected in job.errors[0]["message"]
    assert job.errors[0]["row"] is None


def test_an_xlsx_file_with_numbers_and_dates_in_cells_is_read_exactly(programme, coordinator):
    import datetime

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["contact_name", "household_type", "net_monthly_income", "referral_source", "street",
                  "house_number", "postcode", "city", "tenure", "floor_area_m2", "energy_label_date"])
    sheet.append(["A. de Wit", "single", 1234.56, "other", "Kerkelaan", 3, "1211JR", "Hilversum", "owner_occupier",
                  84.5, datetime.datetime(2021, 6, 1)])
    content = io.BytesIO()
    workbook.save(content)

    job = run_import(programme, coordinator, SimpleUploadedFile("lijst.xlsx", content.getvalue()))

    assert job.status == HouseholdImport.Status.DONE, job.errors
    household = Household.objects.get()
    assert str(household.net_monthly_income) == "1234.56"
    assert str(household.dwelling.floor_area_m2) == "84.5"
    assert household.dwelling.energy_label_date == datetime.date(2021, 6, 1)
    assert household.dwelling.house_number == 3


def test_an_export_of_the_register_can_be_imported_into_another_programme_year(programme, coordinator):
    HouseholdFactory(programme=programme, reference="HIL-00001", contact_name="Export Test",
                     dwelling__postcode="1211 AB")
    exported = HouseholdResource().export().export("csv")
    Household.objects.all().delete()

    job = run_import(programme, coordinator, SimpleUploadedFile("export.csv", exported.encode("utf-8")))

    assert job.status == HouseholdImport.Status.DONE, job.errors
    assert Household.objects.get().reference == "HIL-00001"


def test_the_template_has_every_column_the_import_reads(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("households:import_template"))

    header = response.content.decode("utf-8-sig").splitlines()[0].split(";")
    assert header == [HEADERS[column] for column in TEMPLATE_COLUMNS]
    assert header[:6] == ["Kenmerk", "Contactpersoon", "Telefoon", "E-mail", "Leefsituatie", "Aantal bewoners"]
    assert response["Content-Disposition"].startswith("attachment")


def test_the_template_with_its_example_row_imports_as_it_is(client, coordinator, programme):
    client.force_login(coordinator)
    template = client.get(reverse("households:import_template")).content

    job = run_import(programme, coordinator, SimpleUploadedFile("sjabloon.csv", template))

    assert job.status == HouseholdImport.Status.DONE, job.errors
    household = Household.objects.get()
    assert household.household_type == "single_pension_age" and household.dwelling.tenure == "owner_occupier"
    assert str(household.net_monthly_income) == "1385.00"


def test_the_coordinator_uploads_sees_the_dry_run_and_imports(client, coordinator, handyman, programme,
                                                               immediate_tasks):
    client.force_login(coordinator)
    assert reverse("households:import") in client.get(reverse("households:list")).text

    response = client.post(reverse("households:import"), {"programme": programme.pk, "file": csv_upload(*GOOD_ROWS)})

    job = HouseholdImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("households:import_status", args=[job.pk])
    status = client.get(response["Location"])
    assert "Gecontroleerd: nog niets ingelezen" in status.text and "Nieuw: <strong>2</strong>" in status.text
    assert not Household.objects.exists()
    polled = client.get(response["Location"], headers={"HX-Request": "true"})
    assert "hx-trigger" not in polled.text  # checked: polling stops, the import waits for the coordinator

    imported = client.post(reverse("households:import_commit", args=[job.pk]))

    assert imported["Location"] == reverse("households:import_status", args=[job.pk])
    assert Household.objects.count() == 2
    assert "Het bestand is ingelezen." in client.get(imported["Location"]).text


@pytest.mark.parametrize(("name", "content", "code"), [
    ("lijst.pdf", b"%PDF-1.7", "wrong_type"),
    ("lijst.xlsx", b"not a zip", "not_xlsx"),
    ("lijst.csv", b"PK\x03\x04 zip", "not_csv"),
])
def test_uploads_of_the_wrong_type_are_refused_and_nothing_is_queued(client, coordinator, programme, name,
                                                                     content, code):
    client.force_login(coordinator)

    response = client.post(reverse("households:import"),
                           {"programme": programme.pk, "file": SimpleUploadedFile(name, content)})

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["file"][0].code == code
    assert not HouseholdImport.objects.exists()


def test_an_upload_over_20_mb_is_refused(client, coordinator, programme):
    client.force_login(coordinator)
    big = SimpleUploadedFile("groot.csv", HEADER.encode() + b"\n" + b"x" * (20 * 1024 * 1024))

    response = client.post(reverse("households:import"), {"programme": programme.pk, "file": big})

    assert response.context["form"].errors.as_data()["file"][0].code == "too_large"
    assert not HouseholdImport.objects.exists()


def test_an_amount_with_only_a_thousands_dot_is_refused_as_ambiguous(programme, coordinator, handyman):
    row = GOOD_ROWS[0].replace("1.385,50", "1.385")

    job = run_import(programme, coordinator, csv_upload(row))

    assert job.status == HouseholdImport.Status.REJECTED
    assert [(error["column"], "16.500,00" in error["message"]) for error in job.errors] == [
        ("net_monthly_income", True)]


def test_no_import_is_left_waiting_when_its_task_cannot_be_queued(client, coordinator, programme, monkeypatch):
    class BrokenQueue:
        def enqueue(self, *args):
            raise RuntimeError("task queue down")

    monkeypatch.setattr("households.views.check_households_import", BrokenQueue())
    client.force_login(coordinator)

    with pytest.raises(RuntimeError):
        client.post(reverse("households:import"), {"programme": programme.pk, "file": csv_upload(*GOOD_ROWS)})

    assert not HouseholdImport.objects.exists()


def zip_file() -> bytes:
    import zipfile

    content = io.BytesIO()
    with zipfile.ZipFile(content, "w") as archive:
        archive.writestr("notes.txt", "geen spreadsheet")
    return content.getvalue()


RANDOM = bytes(range(256)) * 8


@pytest.mark.parametrize(("name", "content", "sentence"), [
    ("lijst.xlsx", zip_file(), "Dit bestand is geen leesbaar Excel-bestand (.xlsx)."),
    ("lijst.xlsx", b"PK\x03\x04" + RANDOM, "Dit bestand is geen leesbaar Excel-bestand (.xlsx)."),
    ("lijst.xlsx", RANDOM, "Dit bestand is geen leesbaar Excel-bestand (.xlsx)."),
    ("lijst.csv", RANDOM, "Dit bestand is geen tekstbestand in UTF-8"),
    ("lijst.csv", b"", "Dit bestand is niet te lezen als lijst"),
], ids=["zip", "random-after-zip-magic", "random-xlsx", "random-csv", "empty-csv"])
def test_a_file_that_is_not_a_spreadsheet_gets_a_dutch_sentence_about_the_file(programme, coordinator, name, content,
                                                                               sentence):
    job = run_import(programme, coordinator, SimpleUploadedFile(name, content))

    assert job.status == HouseholdImport.Status.REJECTED
    assert [(error["row"], sentence in error["message"]) for error in job.errors] == [(None, True)], job.errors


def test_the_dutch_headers_of_the_template_and_the_code_names_are_both_read(programme, coordinator):
    dutch = "Contactpersoon;Leefsituatie;Aangemeld via;Straat;Huisnummer;Postcode;Plaats;Eigendom;Netto maandinkomen"
    codes = "contact_name;household_type;referral_source;street;house_number;postcode;city;tenure;net_monthly_income"
    row = "A. de Wit;Alleenstaande;Anders;Kerkelaan;3;1211JR;Hilversum;Eigenaar-bewoner;1.250,50"

    for header in (dutch, codes, dutch.upper().replace(" ", "  ")):
        job = run_import(programme, coordinator, csv_upload(row, header=header))
        assert job.status == HouseholdImport.Status.DONE, (header, job.errors)
    assert {str(income) for income in Household.objects.values_list("net_monthly_income", flat=True)} == {"1250.50"}


def test_a_wrong_choice_lists_the_allowed_values_under_the_dutch_header(client, programme, coordinator):
    header = "Contactpersoon;Leefsituatie;Aangemeld via;Straat;Huisnummer;Postcode;Plaats;Eigendom"
    row = "A. de Wit;eenpersoons;Anders;Kerkelaan;3;1211JR;Hilversum;huurder"

    job = run_import(programme, coordinator, csv_upload(row, header=header))
    client.force_login(coordinator)
    page = client.get(reverse("households:import_status", args=[job.pk])).content.decode()

    assert job.status == HouseholdImport.Status.REJECTED
    messages = {error["column"]: error["message"] for error in job.errors}
    assert messages == {
        "household_type": "Kies uit: Alleenstaande, Alleenstaande ouder, Gehuwden / samenwonenden, "
                          "Alleenstaande, AOW-leeftijd, Gehuwden / samenwonenden, AOW-leeftijd.",
        "tenure": "Kies uit: Eigenaar-bewoner, Sociale huur (corporatie), Particuliere huur."}
    assert "<strong>Leefsituatie</strong>: Kies uit" in page and "household_type" not in page
