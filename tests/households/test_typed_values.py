"""What people type reaches the register as they meant it, the same way through the pages, the API and the import.

Amounts are read one way (budget.money.amount_text); implausible numbers and dates are refused by the
bounds on the model fields; control characters are refused in every text field.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from households.forms import AssignmentForm, CloseForm, HouseholdForm, WithdrawConsentForm
from households.models import Household, HouseholdImport
from tests.factories import HouseholdFactory
from tests.households.conftest import DWELLING, HOUSEHOLD
from tests.households.test_import import csv_upload, run_import

pytestmark = pytest.mark.django_db

CREATE = reverse("households:create")
CONFIRM = "Meer dan € 10.000,00 netto per maand is ongebruikelijk in dit programma."
HOUSEHOLD_FIELDS = set(HOUSEHOLD) | {"net_monthly_income"}


def edit_data(household, **changes):
    dwelling = household.dwelling
    data = {name: getattr(household, name) for name in HouseholdForm.Meta.fields}
    data.update({name: getattr(dwelling, name) for name in DWELLING})
    data["net_monthly_income"] = ""
    return {name: "" if value is None else value for name, value in {**data, **changes}.items()}


def test_an_income_typed_with_a_decimal_comma_is_saved_as_typed(client, coordinator, programme):
    household = HouseholdFactory(programme=programme, net_monthly_income=Decimal("1200.00"))
    client.force_login(coordinator)

    response = client.post(reverse("households:edit", args=[household.pk]),
                           edit_data(household, net_monthly_income="1300,50"))

    assert response.status_code == 302, response.context["household_form"].errors
    household.refresh_from_db()
    assert household.net_monthly_income == Decimal("1300.50")


@pytest.mark.parametrize(("typed", "saved"), [("1.300,50", "1300.50"), ("€ 1300", "1300.00"), ("1300.50", "1300.50")])
def test_incomes_are_read_like_the_finance_forms_read_amounts(client, coordinator, registration_data, typed, saved):
    client.force_login(coordinator)

    client.post(CREATE, {**registration_data, "net_monthly_income": typed})

    assert Household.objects.get().net_monthly_income == Decimal(saved)


def test_an_amount_with_only_a_thousands_dot_is_refused_as_on_the_import(client, coordinator, registration_data):
    client.force_login(coordinator)

    response = client.post(CREATE, {**registration_data, "net_monthly_income": "1.385"})

    assert response.context["household_form"].errors["net_monthly_income"] == [
        "Schrijf het bedrag zonder duizendtalpunt, of met centen: bijvoorbeeld 16500 of 16.500,00."]
    assert not Household.objects.exists()


def test_an_implausible_income_is_saved_only_once_confirmed(client, coordinator, registration_data):
    client.force_login(coordinator)

    asked = client.post(CREATE, {**registration_data, "net_monthly_income": "13005,00"})
    page = asked.content.decode().replace("\xa0", " ")
    confirmed = client.post(CREATE, {**registration_data, "net_monthly_income": "13005,00", "confirm_income": "on"})

    assert CONFIRM in " ".join(asked.context["household_form"].errors["net_monthly_income"]).replace("\xa0", " ")
    assert 'type="checkbox" name="confirm_income"' in page and "Ja, dit bedrag klopt" in page
    assert confirmed.status_code == 302
    assert Household.objects.get().net_monthly_income == Decimal("13005.00")


def test_a_usual_income_asks_no_confirmation(client, coordinator, registration_data):
    client.force_login(coordinator)

    response = client.get(CREATE)
    client.post(CREATE, {**registration_data, "net_monthly_income": "10000,00"})

    assert 'type="checkbox" name="confirm_income"' not in response.content.decode()
    assert Household.objects.get().net_monthly_income == Decimal("10000.00")


def test_an_income_confirmed_earlier_is_not_asked_again_on_the_next_edit(client, coordinator, programme):
    household = HouseholdFactory(programme=programme, net_monthly_income=Decimal("12000.00"))
    client.force_login(coordinator)

    response = client.post(reverse("households:edit", args=[household.pk]),
                           edit_data(household, net_monthly_income="12000,00", contact_name="Nieuwe naam"))

    assert response.status_code == 302
    household.refresh_from_db()
    assert household.contact_name == "Nieuwe naam"


def test_the_import_asks_for_the_confirmation_column_for_an_implausible_income(programme, coordinator):
    header = "Contactpersoon;Leefsituatie;Netto maandinkomen;Aangemeld via;Straat;Huisnummer;Postcode;Plaats;Eigendom"
    row = "A. de Wit;Alleenstaande;15000,00;Anders;Kerkelaan;3;1211JR;Hilversum;Eigenaar-bewoner"

    refused = run_import(programme, coordinator, csv_upload(row, header=header))
    accepted = run_import(programme, coordinator, csv_upload(row + ";ja", header=header + ";Inkomen klopt"))

    assert refused.status == HouseholdImport.Status.REJECTED
    assert refused.errors[0]["column"] == "net_monthly_income" and CONFIRM in refused.errors[0]["message"].replace(
        "\xa0", " ")
    assert accepted.status == HouseholdImport.Status.DONE, accepted.errors


# Implausible values: (field, value typed on the page or in the file, value sent to the API, Dutch message).
IMPLAUSIBLE = [
    ("residents", "21", 21, "Een huishouden heeft hoogstens 20 bewoners."),
    ("residents", "99999", 99999, "Een huishouden heeft hoogstens 20 bewoners."),
    ("residents", "9223372036854775807", 9223372036854775807, "Een huishouden heeft hoogstens 20 bewoners."),
    ("house_number", "100000", 100000, "Een huisnummer is hoogstens 99999"),
    ("house_number", "1000000000000", 10**12, "Een huisnummer is hoogstens 99999"),
    ("energy_label_date", "0001-01-01", "0001-01-01", "vanaf 1 januari 2008"),
    ("energy_label_date", "9999-12-31", "9999-12-31", "vanaf 1 januari 2008"),
    ("energy_label_date", "2007-12-31", "2007-12-31", "vanaf 1 januari 2008"),
    ("floor_area_m2", "5000,1", "5000.1", "Een woning is hoogstens 5000 m²."),
    ("net_monthly_income", "100000,01", "100000.01", "Dit is geen maandinkomen: controleer het bedrag."),
]
IDS = [f"{field}={typed}" for field, typed, _sent, _message in IMPLAUSIBLE]


@pytest.mark.parametrize(("field", "typed", "sent", "message"), IMPLAUSIBLE, ids=IDS)
def test_an_implausible_value_is_refused_on_the_page(client, coordinator, registration_data, field, typed, sent,
                                                      message):
    client.force_login(coordinator)

    response = client.post(CREATE, {**registration_data, field: typed, "confirm_income": "on"})

    form = response.context["household_form" if field in HOUSEHOLD_FIELDS else "dwelling_form"]
    assert message in " ".join(form.errors[field])
    assert not Household.objects.exists()


@pytest.mark.parametrize(("field", "typed", "sent", "message"), IMPLAUSIBLE, ids=IDS)
def test_an_implausible_value_is_a_400_on_its_field_in_the_api(coordinator, programme, field, typed, sent, message):
    api = APIClient()
    api.force_authenticate(coordinator)
    dwelling = {**DWELLING, "energy_label_date": None}
    payload = {"programme": "hilversum-2022", **HOUSEHOLD, "dwelling": dwelling}
    (payload if field in HOUSEHOLD_FIELDS else dwelling)[field] = sent

    response = api.post(reverse("api-v1:household-list"), payload, format="json")

    assert response.status_code == 400
    errors = response.json() if field in HOUSEHOLD_FIELDS else response.json()["dwelling"]
    assert message in " ".join(errors[field])
    assert not Household.objects.exists()


@pytest.mark.parametrize(("field", "typed", "sent", "message"), IMPLAUSIBLE, ids=IDS)
def test_an_implausible_value_is_a_row_error_in_the_import(programme, coordinator, field, typed, sent, message):
    row = {"contact_name": "A. de Wit", "household_type": "single", "referral_source": "other", "street": "Kerkelaan",
           "house_number": "3", "postcode": "1211JR", "city": "Hilversum", "tenure": "owner_occupier",
           "confirm_income": "ja", field: typed}

    job = run_import(programme, coordinator, csv_upload(";".join(row.values()), header=";".join(row)))

    assert job.status == HouseholdImport.Status.REJECTED
    assert [(error["column"], message in error["message"]) for error in job.errors] == [(field, True)]


CONTROL = "Deze tekst bevat een onzichtbaar stuurteken"


@pytest.mark.parametrize("character", ["\x1b", "\x07", "\x00", "\x7f", "\x85", "\n", "\t"])
@pytest.mark.parametrize("field", ["contact_name", "street", "city", "housing_corporation"])
def test_a_control_character_in_a_name_or_address_is_refused_on_the_page(client, coordinator, registration_data,
                                                                          field, character):
    client.force_login(coordinator)

    response = client.post(CREATE, {**registration_data, field: f"Jan{character}sen"})

    form = response.context["household_form" if field in HOUSEHOLD_FIELDS else "dwelling_form"]
    assert field in form.errors
    assert not Household.objects.exists()
    if character not in "\x00":  # Django refuses a NUL itself, with its own message
        assert CONTROL in " ".join(form.errors[field])


@pytest.mark.parametrize(("form_class", "field"), [(CloseForm, "reason"), (AssignmentForm, "note"),
                                                   (WithdrawConsentForm, "note")])
def test_notes_may_have_lines_but_no_control_characters(db, form_class, field):
    with_lines = form_class(data={field: "Eerste regel\r\nTweede\tregel"})
    with_escape = form_class(data={field: "Eerste regel\x1b[31m rood"})

    assert field not in with_lines.errors
    assert CONTROL in " ".join(with_escape.errors[field])


@pytest.mark.parametrize(("path", "value"), [(("contact_name",), "Jan\x1bJansen"),
                                             (("dwelling", "street"), "Kerk\x07laan")])
def test_a_control_character_is_a_400_on_its_field_in_the_api(coordinator, programme, path, value):
    api = APIClient()
    api.force_authenticate(coordinator)
    payload = {"programme": "hilversum-2022", **HOUSEHOLD, "dwelling": {**DWELLING, "energy_label_date": None}}
    (payload["dwelling"] if path[0] == "dwelling" else payload)[path[-1]] = value

    response = api.post(reverse("api-v1:household-list"), payload, format="json")

    assert response.status_code == 400
    errors = response.json()
    for key in path:
        errors = errors[key]
    assert CONTROL in " ".join(errors)
    assert not Household.objects.exists()


def test_a_control_character_is_a_row_error_in_the_import(programme, coordinator):
    header = "Contactpersoon;Leefsituatie;Aangemeld via;Straat;Huisnummer;Postcode;Plaats;Eigendom"
    row = "A. de\x1bWit;Alleenstaande;Anders;Kerkelaan;3;1211JR;Hilversum;Eigenaar-bewoner"

    job = run_import(programme, coordinator, csv_upload(row, header=header))

    assert job.status == HouseholdImport.Status.REJECTED
    assert [(error["row"], error["column"]) for error in job.errors] == [(2, "contact_name")]
    assert CONTROL in job.errors[0]["message"]


def test_the_edit_form_shows_the_income_as_people_write_it(client, coordinator, programme):
    household = HouseholdFactory(programme=programme, net_monthly_income=Decimal("12300.50"))
    client.force_login(coordinator)

    page = client.get(reverse("households:edit", args=[household.pk])).content.decode()

    assert 'name="net_monthly_income" value="12300,50"' in page
