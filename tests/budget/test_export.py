import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from budget.models import LedgerEntry, LedgerExport
from budget.services import commit, spend_direct
from budget.tasks import export_ledger

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def booked(grants_line, assessor, finance_officer):
    commit(grants_line, "3000.00", by=assessor, note="HIL-0001")
    spend_direct(grants_line, "125.50", by=finance_officer, note="=HYPERLINK(\"http://evil\")")
    spend_direct(grants_line, "1.00", by=finance_officer, note="+31 6 1234")
    return grants_line


def test_finance_exports_a_ledger_as_csv_in_the_background(client, finance_officer, booked, immediate_tasks):
    client.force_login(finance_officer)

    response = client.post(reverse("budget:start_export", args=[booked.pk]), {"file_format": "csv"})
    export = LedgerExport.objects.get()
    status = client.get(response.url).content.decode()
    download = client.get(reverse("budget:export_download", args=[export.pk]))

    assert export.status == "done" and export.rows == 3
    assert "De export staat klaar: 3 boekingen." in status
    assert download["Content-Disposition"].startswith('attachment; filename="grootboek-hilversum-2022-grants-')
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["boeking", "boekdatum", "soort", "bedrag"]
    assert [row[3] for row in rows[1:]] == ["3000.00", "125.50", "1.00"]
    notes = [row[-1] for row in rows[1:]]
    assert notes == ["HIL-0001", "'=HYPERLINK(\"http://evil\")", "'+31 6 1234"]


def test_the_xlsx_export_opens_and_holds_no_formula(booked, finance_officer):
    export = LedgerExport.objects.create(line=booked, file_format="xlsx", requested_by=finance_officer)

    export_ledger.call(export.pk)

    export.refresh_from_db()
    sheet = openpyxl.load_workbook(io.BytesIO(bytes(export.content))).active
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    assert not any(isinstance(value, str) and value.startswith("=") for value in cells)
    assert sheet.max_row == 4


def test_the_status_part_polls_until_the_export_is_ready(client, finance_officer, booked):
    export = LedgerExport.objects.create(line=booked, file_format="csv", requested_by=finance_officer)
    client.force_login(finance_officer)
    url = reverse("budget:export_status", args=[export.pk])

    waiting = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    export_ledger.call(export.pk)
    ready = client.get(url, HTTP_HX_REQUEST="true").content.decode()

    assert 'hx-trigger="every 1s"' in waiting and "<html" not in waiting
    assert "hx-trigger" not in ready and reverse("budget:export_download", args=[export.pk]) in ready


def test_an_export_that_is_not_ready_cannot_be_downloaded(client, finance_officer, booked):
    export = LedgerExport.objects.create(line=booked, file_format="csv", requested_by=finance_officer)
    client.force_login(finance_officer)

    assert client.get(reverse("budget:export_download", args=[export.pk])).status_code == 404


def test_starting_an_export_puts_a_task_in_the_queue(client, finance_officer, booked):
    from django_tasks_db.models import DBTaskResult

    client.force_login(finance_officer)

    client.post(reverse("budget:start_export", args=[booked.pk]), {"file_format": "xlsx"})

    assert DBTaskResult.objects.get().task_path == "budget.tasks.export_ledger"
    assert LedgerExport.objects.get().status == "pending"


def exported_rows(export) -> list[list]:
    export.refresh_from_db()
    if export.file_format == "csv":
        return list(csv.reader(io.StringIO(bytes(export.content).decode("utf-8-sig"))))
    return [list(row) for row in openpyxl.load_workbook(io.BytesIO(bytes(export.content))).active.iter_rows(
        values_only=True)]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"],
                         ids=["equals", "plus", "minus", "at", "tab", "carriage-return"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_each_formula_start_in_a_note_is_exported_as_text(grants_line, finance_officer, start, file_format):
    spend_direct(grants_line, "10.00", by=finance_officer, note=f"{start}cmd|' /C calc'!A0")
    export = LedgerExport.objects.create(line=grants_line, file_format=file_format, requested_by=finance_officer)

    export_ledger.call(export.pk)

    note = exported_rows(export)[1][-1]
    assert note[0] == "'" and note[2:] == "cmd|' /C calc'!A0"  # (csv reads a lone carriage return as a line feed)


def test_amounts_are_numbers_in_the_xlsx_export(booked, finance_officer):
    export = LedgerExport.objects.create(line=booked, file_format="xlsx", requested_by=finance_officer)

    export_ledger.call(export.pk)

    assert [row[3] for row in exported_rows(export)[1:]] == [3000, 125.5, 1]


def test_a_control_character_in_a_note_does_not_break_the_xlsx_export(grants_line, finance_officer):
    # Stored before notes were checked (the services refuse control characters now).
    LedgerEntry.objects.create(line=grants_line, kind="expenditure", amount="5.00", booked_by=finance_officer,
                               note="Factuur\x1b[31m 12\x07\nregel twee")
    export = LedgerExport.objects.create(line=grants_line, file_format="xlsx", requested_by=finance_officer)

    export_ledger.call(export.pk)

    export.refresh_from_db()
    assert export.status == "done"
    assert exported_rows(export)[-1][-1] == "Factuur[31m 12\nregel twee"
