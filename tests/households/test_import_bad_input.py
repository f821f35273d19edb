"""Bad input to the import (issue 13): each reported clearly in Dutch, nothing imported, nothing executed, nothing
stored (not even the file's content)."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from households.models import Household, HouseholdImport
from tests.households.test_import import GOOD_ROWS, HEADER, csv_upload
from tests.households.test_import_dry_run import WITH_REFERENCE, dry_run

pytestmark = pytest.mark.django_db

AMRANI = GOOD_ROWS[1]


def refused_rows(job) -> list[tuple]:
    return [(row["row"], [(error["header"], error["message"]) for error in row["errors"]])
            for row in job.outcomes if row["outcome"] == "refused"]


def assert_nothing_imported(job):
    assert job.status == HouseholdImport.Status.REJECTED and job.content is None
    assert not Household.objects.exists() and not AuditEvent.objects.filter(action="registered").exists()


@pytest.mark.parametrize(("wrong", "header", "message"), [
    (AMRANI.replace(";1221 JS;", ";;"), "Postcode", "Dit veld is vereist."),
    (AMRANI.replace("Hilversum;F;", "Hilversum;Q;"), "Energielabel",
     "Kies uit: A++++, A+++, A++, A+, A, B, C, D, E, F, G, Onbekend."),
    (AMRANI.replace(";2410,00;", ";abc;"), "Netto maandinkomen",
     "Vul het inkomen in als bedrag in euro, bijvoorbeeld 1250,00."),
], ids=["missing-postcode", "unknown-label", "income-abc"])
def test_a_wrong_cell_refuses_its_row_in_the_dry_run_with_a_dutch_message(programme, coordinator, wrong, header,
                                                                          message):
    job = dry_run(programme, coordinator, AMRANI, wrong, header=HEADER)

    assert refused_rows(job) == [(3, [(header, message)])]
    assert (job.created, job.refused) == (1, 1)
    assert_nothing_imported(job)


def test_a_reference_twice_in_a_file_refuses_the_second_row(programme, coordinator):
    job = dry_run(programme, coordinator, "CRM-1;" + AMRANI, "crm-1;" + AMRANI.replace("45", "47"))

    assert refused_rows(job) == [(3, [("Kenmerk", "Dit kenmerk staat ook op regel 2.")])]
    assert_nothing_imported(job)


@pytest.mark.parametrize("first", ["=", "+", "-", "@"])
def test_a_name_that_a_spreadsheet_would_run_as_a_formula_is_refused(programme, coordinator, first):
    formula = first + "SUM(A1:A9)*1"

    job = dry_run(programme, coordinator, formula + AMRANI[len("Fam. El Amrani"):], header=HEADER)

    assert refused_rows(job) == [(2, [("Contactpersoon", "Een spreadsheet leest tekst die begint met =, +, - of @ "
                                                          "als formule: haal dat eerste teken weg.")])]
    assert_nothing_imported(job)


def test_a_formula_in_an_xlsx_cell_is_refused_not_evaluated(programme, coordinator):
    book = openpyxl.Workbook()
    book.active.append(["Contactpersoon", "Leefsituatie", "Aangemeld via", "Straat", "Huisnummer", "Postcode",
                        "Plaats", "Eigendom"])
    book.active.append(["=1+1", "Alleenstaande", "Anders", "@SUM(A1)", 3, "1211 JR", "Hilversum", "Eigenaar-bewoner"])
    content = io.BytesIO()
    book.save(content)
    job = HouseholdImport.objects.create(programme=programme, filename="lijst.xlsx", content=content.getvalue(),
                                         requested_by=coordinator)
    from households.tasks import check_households_import

    check_households_import.call(job.pk)
    job.refresh_from_db()

    assert [header for _row, errors in refused_rows(job) for header, _message in errors] == ["Contactpersoon", "Straat"]
    assert_nothing_imported(job)


def zip_of_text() -> bytes:
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w") as archive:
        archive.writestr("notities.txt", "geen spreadsheet")
    return content.getvalue()


@pytest.mark.parametrize(("name", "content", "sentence"), [
    ("lijst.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "Dit is geen xlsx-bestand."),
    ("lijst.csv", b"%PDF-1.7\n\x00\x01\x02binary", "Dit is geen csv-tekstbestand."),
    ("lijst.csv", bytes(range(256)) * 4, "Dit is geen csv-tekstbestand."),
    ("lijst.csv", b"", "Het verstuurde bestand is leeg."),
    ("lijst.xlsx", b"", "Het verstuurde bestand is leeg."),
], ids=["pdf-renamed-xlsx", "pdf-renamed-csv", "binary-junk-csv", "empty-csv", "empty-xlsx"])
def test_a_file_that_is_not_a_spreadsheet_by_content_is_refused_at_upload(client, programme, coordinator, name,
                                                                          content, sentence):
    client.force_login(coordinator)

    response = client.post(reverse("households:import"),
                           {"programme": programme.pk, "file": SimpleUploadedFile(name, content)})

    assert response.status_code == 200
    assert sentence in response.context["form"].errors["file"][0]
    assert not HouseholdImport.objects.exists()  # nothing stored, not even the content


def test_a_zip_that_is_not_an_xlsx_is_refused_at_upload_and_nothing_is_stored(client, programme, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("households:import"), {
        "programme": programme.pk, "file": SimpleUploadedFile("lijst.xlsx", zip_of_text())})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Dit is geen xlsx-bestand. Sla het in Excel op als .xlsx of .csv."]
    assert not HouseholdImport.objects.exists()  # the workbook's parts are looked for before anything is kept


def test_a_file_of_50_mb_is_refused_before_it_is_read(programme, coordinator, monkeypatch):
    parsed = []
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: parsed.append(self) or ({}, {}))
    client = Client(enforce_csrf_checks=True)  # the CSRF check would read the body: it must not come first
    client.force_login(coordinator)
    big = SimpleUploadedFile("groot.csv", HEADER.encode() + b"\n" + b"x" * (50 * 1024 * 1024))

    response = client.post(reverse("households:import"), {"programme": programme.pk, "file": big})

    assert response.status_code == 413
    assert "Het bestand is groter dan 20 MB. Splits het in kleinere bestanden." in response.text
    assert parsed == [] and not HouseholdImport.objects.exists()


def test_an_upload_without_the_csrf_token_is_still_refused(programme, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)

    response = client.post(reverse("households:import"), {"programme": programme.pk, "file": csv_upload(AMRANI)})

    assert response.status_code == 403 and not HouseholdImport.objects.exists()


def test_an_empty_list_with_only_the_column_names_is_rejected(programme, coordinator):
    job = dry_run(programme, coordinator, header=WITH_REFERENCE)

    assert job.errors[0]["message"] == "Het bestand heeft geen regels onder de kolomnamen."
    assert_nothing_imported(job)
