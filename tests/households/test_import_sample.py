"""The xlsx template, and the done-when of issue 13: the coordinator checks a 1,000-row xlsx with three wrong rows,
sees them in the dry run, corrects them and imports; importing the corrected file again changes nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.models import AuditEvent
from households.imports import HEADERS, TEMPLATE_COLUMNS
from households.models import Household, HouseholdImport

pytestmark = pytest.mark.django_db


def test_the_xlsx_template_has_the_dutch_columns_an_example_row_and_the_allowed_values(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("households:import_template_xlsx"))

    assert response["Content-Disposition"].startswith('attachment; filename="warmhuis-huishoudens-sjabloon.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Huishoudens", "Toegestane waarden"]
    rows = list(book["Huishoudens"].values)
    assert list(rows[0]) == [HEADERS[column] for column in TEMPLATE_COLUMNS]
    assert dict(zip(rows[0], rows[1], strict=True))["Eigendom"] == "Eigenaar-bewoner"
    allowed = dict(list(book["Toegestane waarden"].values)[1:])
    assert allowed["Eigendom"] == "Eigenaar-bewoner; Sociale huur (corporatie); Particuliere huur"
    assert allowed["Toestemming verwerking"] == "ja of nee"


def test_the_xlsx_template_as_it_is_checks_as_one_new_household(client, coordinator, programme, immediate_tasks):
    client.force_login(coordinator)
    template = client.get(reverse("households:import_template_xlsx")).content

    client.post(reverse("households:import"),
                {"programme": programme.pk, "file": SimpleUploadedFile("sjabloon.xlsx", template)})

    job = HouseholdImport.objects.get()
    assert (job.status, job.created, job.refused) == (HouseholdImport.Status.CHECKED, 1, 0), job.errors


def test_the_import_page_lists_the_allowed_values_and_both_templates(client, coordinator):
    client.force_login(coordinator)

    page = client.get(reverse("households:import")).text

    assert reverse("households:import_template_xlsx") in page and reverse("households:import_template") in page
    assert "<th scope=\"row\">Energielabel</th><td>A++++; A+++; A++; A+; A; B; C; D; E; F; G; Onbekend</td>" in page


def upload(client, programme, path) -> HouseholdImport:
    with open(path, "rb") as file:
        response = client.post(reverse("households:import"), {"programme": programme.pk, "file": file})
    job = HouseholdImport.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    return job


def test_a_thousand_rows_with_three_wrong_ones_corrected_and_imported_then_again_unchanged(
        client, coordinator, programme, immediate_tasks, tmp_path):
    call_command("sample_import_file", rows=1000, bad=3, out=str(tmp_path / "huishoudens.xlsx"))
    client.force_login(coordinator)

    wrong = upload(client, programme, tmp_path / "huishoudens.xlsx")

    assert (wrong.status, wrong.created, wrong.refused) == (HouseholdImport.Status.REJECTED, 997, 3)
    assert [(row["row"], [error["header"] for error in row["errors"]]) for row in wrong.outcomes[:3]] == [
        (268, ["Postcode"]), (300, ["Energielabel"]), (704, ["Netto maandinkomen"])]
    page = client.get(reverse("households:import_status", args=[wrong.pk])).text
    assert "Geweigerd: <strong>3</strong>" in page and "<strong>Energielabel</strong>: Kies uit:" in page
    assert not Household.objects.exists()

    fixed = upload(client, programme, tmp_path / "huishoudens-verbeterd.xlsx")
    assert (fixed.status, fixed.created, fixed.refused) == (HouseholdImport.Status.CHECKED, 1000, 0)
    client.post(reverse("households:import_commit", args=[fixed.pk]))
    fixed.refresh_from_db()
    assert (fixed.status, fixed.registered) == (HouseholdImport.Status.DONE, 1000)
    assert Household.objects.filter(reference__startswith="CRM-").count() == 1000
    events = AuditEvent.objects.count()

    again = upload(client, programme, tmp_path / "huishoudens-verbeterd.xlsx")
    assert (again.status, again.unchanged, again.created, again.updated) == (HouseholdImport.Status.CHECKED, 1000, 0,
                                                                             0)
    client.post(reverse("households:import_commit", args=[again.pk]))
    again.refresh_from_db()
    assert (again.status, again.unchanged) == (HouseholdImport.Status.DONE, 1000)
    assert Household.objects.count() == 1000
    new_events = AuditEvent.objects.order_by("pk")[events:]  # only who pressed Importeren; nothing on the register
    assert [(event.action, event.object_id) for event in new_events] == [("household_import_started", str(again.pk))]
