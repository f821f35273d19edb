"""The public self-check and DIY calculator pages: no login, Dutch, nothing stored."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db

SELF_CHECK = reverse("eligibility:self_check")
DIY = reverse("eligibility:diy_calculator")


def text(response) -> str:
    """The page as a reader sees it: amounts are written with a non-breaking space after the €."""
    return response.content.decode().replace("\xa0", " ")


def answers(**overrides):
    return {"programme": "hilversum-2022", "date": "2022-09-01", "household_type": "single",
            "net_monthly_income": "1200", "energy_label": "D", "tenure": "owner_occupier", **overrides}


def test_the_self_check_is_public_and_dutch(client, programme):
    response = client.get(SELF_CHECK)

    assert response.status_code == 200
    page = text(response)
    assert "Kom ik in aanmerking?" in page
    assert "Weet ik niet" in page


def test_the_self_check_shows_the_result_per_tier_with_its_reasons(client, programme):
    response = client.post(SELF_CHECK, answers())

    page = text(response)
    assert "Uw uitkomst" in page
    assert "€ 1.360,75" in page
    assert "Kleine maatregelen" in page and "Grote isolatiemaatregel" in page
    assert page.count("Komt in aanmerking") == 3
    assert "Subsidie van ten hoogste € 5.000,00." in page


def test_income_in_dutch_notation_exactly_at_the_limit_qualifies_and_one_cent_more_does_not(client, programme):
    at_limit = text(client.post(SELF_CHECK, answers(net_monthly_income="1360,75")))
    over = text(client.post(SELF_CHECK, answers(net_monthly_income="1.360,76")))

    assert "is hoger dan de grens" not in at_limit
    assert "Het netto maandinkomen van € 1.360,76 is hoger dan de grens van € 1.360,75" in over


def test_a_tenant_with_an_unknown_label_hears_the_handyman_decides(client, programme):
    page = text(client.post(SELF_CHECK, answers(energy_label="unknown", tenure="social_rent")))

    assert "de energieklusser stelt het vast bij het intakebezoek" in page
    assert "Nog niet te bepalen" in page
    assert "Alleen eigenaar-bewoners" in page


def test_the_energy_allowance_letter_replaces_the_income(client, programme):
    page = text(client.post(SELF_CHECK, answers(net_monthly_income="", energy_allowance_received="on")))

    assert "geldt als bewijs van inkomen" in page


def test_without_income_or_letter_the_form_asks_for_one_in_dutch(client, programme):
    response = client.post(SELF_CHECK, answers(net_monthly_income=""))

    assert response.context["result"] is None
    assert "Vul het netto maandinkomen in" in text(response)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("net_monthly_income", "-5", "minstens 0"),
    ("net_monthly_income", "veel", "Voer een getal in."),
    ("net_monthly_income", "1200,555", "niet meer dan 2 cijfers achter de komma"),
    ("household_type", "commune", "Selecteer een geldige keuze"),
])
def test_bad_answers_get_dutch_field_errors(client, programme, field, value, message):
    response = client.post(SELF_CHECK, answers(**{field: value}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in text(response)


def test_a_date_before_the_first_norms_is_a_field_error(client, programme):
    response = client.post(SELF_CHECK, answers(date="2021-12-31"))

    assert "date" in response.context["form"].errors
    assert "2021-12-31" in response.context["form"].errors["date"][0]


def test_an_empty_date_means_today(client, programme):
    response = client.post(SELF_CHECK, answers(date=""))

    assert response.context["result"] is not None


def test_the_self_check_stores_nothing(client, programme):
    client.post(SELF_CHECK, answers())

    assert AuditEvent.objects.count() == 0


def test_staff_use_the_same_page(client, programme, handyman):
    client.force_login(handyman)

    assert "Uw uitkomst" in text(client.post(SELF_CHECK, answers()))


def test_the_diy_calculator_shows_every_line(client, programme):
    response = client.get(DIY, {"programme": "hilversum-2022", "date": "2022-09-01", "measure": "roof",
                                "area_m2": "70"})

    page = text(response)
    assert response.status_code == 200
    assert "Isolatiemateriaal: 70 m² × 1,1 (snijverlies) × € 30,00 per m²" in page
    assert "€ 2.310,00" in page and "€ 420,00" in page and "€ 2.730,00" in page
    assert 'hx-trigger="input delay:300ms, change, submit"' in page


def test_htmx_gets_only_the_result_as_the_area_is_typed(client, programme):
    response = client.get(DIY, {"programme": "hilversum-2022", "measure": "facade", "area_m2": "200"},
                          HTTP_HX_REQUEST="true")

    page = text(response)
    assert "<html" not in page
    assert "€ 5.000,00" in page
    assert "170 m²" in page


def test_the_diy_calculator_explains_bad_input(client, programme):
    page = text(client.get(DIY, {"programme": "hilversum-2022", "measure": "roof", "area_m2": "-3"},
                      HTTP_HX_REQUEST="true"))

    assert "Oppervlakte (m²)" in page
    assert "minstens 0" in page


def test_the_diy_calculator_starts_empty(client, programme):
    response = client.get(DIY)

    assert response.status_code == 200
    assert "Kies een maatregel en vul de oppervlakte in." in text(response)


@pytest.mark.parametrize(("typed", "language", "amount"), [
    ("1360,75", "nl", "1360.75"), ("1.360,75", "nl", "1360.75"), ("€ 1.360,00", "nl", "1360.00"),
    ("1360.75", "en", "1360.75"), ("1360", "en", "1360")])
def test_amounts_are_read_as_people_type_them(typed, language, amount):
    from decimal import Decimal

    from django.utils import translation

    from budget.forms import AmountField

    with translation.override(language):
        assert AmountField(decimal_places=3).clean(typed) == Decimal(amount)


def test_the_self_check_refuses_an_amount_with_only_a_thousands_dot_as_the_import_does(client, programme):
    response = client.post(SELF_CHECK, answers(net_monthly_income="1.385"))

    assert response.context["form"].errors["net_monthly_income"] == [
        "Schrijf het bedrag zonder duizendtalpunt, of met centen: bijvoorbeeld 16500 of 16.500,00."]


@pytest.mark.parametrize(("typed", "error"), [
    ("1385,50", None), ("1.385,50", None), ("100000,01", "Dit is geen maandinkomen: controleer het bedrag."),
])
def test_the_self_check_reads_incomes_like_the_register_and_bounds_them(client, programme, typed, error):
    response = client.post(SELF_CHECK, answers(net_monthly_income=typed))

    errors = response.context["form"].errors.get("net_monthly_income", [])
    assert (error in errors[0]) if error else errors == []


def test_the_diy_calculator_refuses_an_area_no_home_has(client, programme):
    response = client.get(DIY, {"programme": "hilversum-2022", "measure": "roof", "area_m2": "1000000"})

    assert "area_m2" in response.context["form"].errors
