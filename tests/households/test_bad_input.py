"""Every bad input of the issue gets a Dutch field error on the register page, and nothing is saved."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from households.models import Dwelling, Household
from tests.factories import HouseholdFactory

NEXT_YEAR = datetime.date.today().year + 1

BAD_INPUT = [
    ("postcode", "1234 A", "Vul een Nederlandse postcode in"),
    ("postcode", "0123 AB", "Vul een Nederlandse postcode in"),
    ("postcode", "1234 SS", "Vul een Nederlandse postcode in"),
    ("net_monthly_income", "-1", "Het inkomen kan niet negatief zijn."),
    ("net_monthly_income", "veel", "Vul het inkomen in als bedrag in euro"),
    ("build_year", str(NEXT_YEAR), "Vul een bouwjaar in tussen 1500 en"),
    ("build_year", "1499", "Vul een bouwjaar in tussen 1500 en"),
    ("floor_area_m2", "0", "De gebruiksoppervlakte moet groter zijn dan 0 m²."),
    ("floor_area_m2", "-12", "De gebruiksoppervlakte moet groter zijn dan 0 m²."),
    ("energy_label", "H", "Kies een energielabel van A++++ tot en met G, of onbekend."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUT, ids=[f"{f}={v}" for f, v, _m in BAD_INPUT])
def test_bad_input_gets_a_dutch_field_error_and_nothing_is_saved(client, coordinator, registration_data,
                                                                 field, value, message):
    client.force_login(coordinator)

    response = client.post(reverse("households:create"), {**registration_data, field: value})

    assert response.status_code == 200
    form = response.context["household_form" if field == "net_monthly_income" else "dwelling_form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert message in response.content.decode()
    assert Household.objects.count() == 0
    assert Dwelling.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_duplicate_reference_gets_a_dutch_field_error(client, coordinator, programme, registration_data):
    HouseholdFactory(programme=programme, reference="HIL-00042")
    client.force_login(coordinator)

    response = client.post(reverse("households:create"), {**registration_data, "reference": "hil-00042"})

    assert response.status_code == 200
    assert response.context["household_form"].errors["reference"] == [
        "Er is in dit programma al een huishouden met dit kenmerk."]
    assert Household.objects.count() == 1


def test_the_valid_form_registers(client, coordinator, registration_data):
    client.force_login(coordinator)

    response = client.post(reverse("households:create"), registration_data)

    household = Household.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("households:detail", kwargs={"pk": household.pk})
    assert household.reference == "HIL-00001"
    assert household.dwelling.postcode == "1221 CM"


def test_social_rent_without_a_corporation_is_refused(client, coordinator, registration_data):
    client.force_login(coordinator)

    response = client.post(reverse("households:create"), {**registration_data, "housing_corporation": ""})

    assert "housing_corporation" in response.context["dwelling_form"].errors
    assert Household.objects.count() == 0
