"""The coordinator corrects and exports the register in the admin; every correction is audited."""

import datetime
import io

import openpyxl
import pytest
import tablib
from import_export.formats.base_formats import CSV, XLSX

from accounts.models import AuditEvent
from households.models import Consent, Dwelling, Household
from households.privacy import statement_of
from households.resources import HouseholdResource


@pytest.fixture
def household(programme, coordinator):
    household = Household.objects.create(
        programme=programme, reference="HIL-00042", contact_name="=HYPERLINK(\"http://evil\")",
        household_type="single", referral_source="other", net_monthly_income="1200.00", registered_by=coordinator,
    )
    Dwelling.objects.create(household=household, street="Kerkstraat", house_number=12, postcode="1211 AB",
                            city="Hilversum", tenure="owner_occupier", energy_label="D")
    Consent.objects.create(household=household, statement=statement_of(programme, "2022-1"),
                           given_on=datetime.date(2022, 9, 1), processing=True, recorded_by=coordinator)
    return household


def test_export_flattens_the_dwelling_and_escapes_formulae(household, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        dataset = HouseholdResource().export()
    csv_text = CSV().export_data(dataset)
    rows = tablib.Dataset().load(csv_text, format="csv").dict

    assert rows[0]["reference"] == "HIL-00042"
    assert rows[0]["postcode"] == "1211 AB"
    assert rows[0]["programme"] == "hilversum-2022"
    assert rows[0]["net_monthly_income"] == "1200,00"  # Dutch spreadsheets read a decimal comma
    assert not rows[0]["contact_name"].startswith("=")


def test_the_coordinator_corrects_a_household_in_the_admin_and_it_is_audited(client, coordinator, household):
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)
    url = f"/admin/households/household/{household.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"contact_name": "Jan de Vries", "dwelling-TOTAL_FORMS": "1", "dwelling-INITIAL_FORMS": "1",
                 "dwelling-MIN_NUM_FORMS": "0", "dwelling-MAX_NUM_FORMS": "1",
                 "dwelling-0-id": household.dwelling.pk, "dwelling-0-household": household.pk,
                 "dwelling-0-street": "Kerkstraat", "dwelling-0-house_number": "12",
                 "dwelling-0-postcode": "1211ab", "dwelling-0-city": "Hilversum",
                 "dwelling-0-energy_label": "D", "dwelling-0-tenure": "owner_occupier",
                 "consents-TOTAL_FORMS": "1", "consents-INITIAL_FORMS": "1", "consents-MIN_NUM_FORMS": "0",
                 "consents-MAX_NUM_FORMS": "1000", "consents-0-id": household.consents.get().pk,
                 "consents-0-household": household.pk})

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    household.refresh_from_db()
    assert household.contact_name == "Jan de Vries"
    assert household.dwelling.postcode == "1211 AB"
    events = {event.data.get("inline", "household"): event for event in AuditEvent.objects.for_object(household)}
    assert {event.action for event in events.values()} == {"changed_in_admin"}
    assert {event.actor for event in events.values()} == {coordinator}
    assert "contact_name" in events["household"].data["fields"]
    assert events["dwelling"].data["changed"] == {str(household.dwelling): ["postcode"]}


def test_consent_cannot_be_edited_in_the_admin(client, coordinator, household):
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)
    consent = household.consents.get()

    assert client.get("/admin/households/consent/add/").status_code == 403
    response = client.post(f"/admin/households/consent/{consent.pk}/change/", {"processing": ""})
    consent.refresh_from_db()
    assert consent.processing is True
    assert response.status_code == 403


def test_households_are_not_added_in_the_admin_and_only_handymen_can_be_assigned_there(client, coordinator,
                                                                                       household, assessor):
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)

    assert client.get("/admin/households/household/add/").status_code == 403
    form = client.get(f"/admin/households/household/{household.pk}/change/").context["adminform"].form
    assert assessor not in form.fields["handyman"].queryset
    assert coordinator not in form.fields["community_worker"].queryset


FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=["equals", "plus", "minus", "at", "tab", "carriage-return"])
@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_every_cell_a_spreadsheet_would_read_as_a_formula_is_exported_as_text(household, start, file_format):
    Household.objects.filter(pk=household.pk).update(contact_name=f"{start}cmd|' /C calc'!A0")
    Dwelling.objects.filter(household=household).update(street=f"{start}1+1", city="@SUM(A1)")

    rows = exported_rows(file_format)

    # (csv read back turns a carriage return into a line feed: what counts is the apostrophe before it)
    assert rows[0]["contact_name"][0] == "'" and rows[0]["contact_name"][2:] == "cmd|' /C calc'!A0"
    assert rows[0]["street"][0] == "'" and rows[0]["street"][2:] == "1+1"
    assert rows[0]["city"] == "'@SUM(A1)"


def test_numbers_stay_numbers_in_the_export(household):
    rows = exported_rows(XLSX)

    assert rows[0]["net_monthly_income"] == 1200 and rows[0]["house_number"] == 12


def test_a_control_character_stored_earlier_does_not_break_the_export(household):
    Household.objects.filter(pk=household.pk).update(contact_name="Jan\x1b[31mJansen\x07")
    Dwelling.objects.filter(household=household).update(street="Kerk\x0bstraat", housing_corporation="Dudok\x85")

    for file_format in (CSV, XLSX):
        rows = exported_rows(file_format)
        assert rows[0]["contact_name"] == "Jan[31mJansen"
        assert rows[0]["street"] == "Kerkstraat" and rows[0]["housing_corporation"] == "Dudok"


def exported_rows(file_format) -> list[dict]:
    """The register exported as the admin does it, read back as a spreadsheet program would."""
    binary = file_format is XLSX
    data = file_format().export_data(HouseholdResource().export(force_native_type=binary))
    if not binary:
        return tablib.Dataset().load(data, format="csv").dict
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]
