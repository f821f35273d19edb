"""The public eligibility API: no login, stores nothing, decimals as strings, every bad input a 400."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from eligibility.api import PublicCalculationThrottle
from eligibility.models import RuleSet, SocialMinimumNorm

pytestmark = pytest.mark.django_db

CHECK = "/api/v1/eligibility/check"
DIY = "/api/v1/calculations/diy"
FINANCING = "/api/v1/calculations/financing"


@pytest.fixture
def api(programme):
    return APIClient()


def check_body(**overrides):
    return {"programme": "hilversum-2022", "date": "2022-09-01", "household_type": "single",
            "net_monthly_income": "1360.75", "energy_allowance_received": False, "energy_label": "C",
            "tenure": "owner_occupier", **overrides}


def diy_body(**overrides):
    return {"programme": "hilversum-2022", "date": "2022-09-01", "measure": "roof", "area_m2": "70", **overrides}


def financing_body(**overrides):
    return {"programme": "hilversum-2022", "date": "2022-09-01", "yearly_income": "30000", "loan_years": 15,
            "yearly_interest_rate": "0.04",
            "measures": [{"measure": m, "cost": "3000"} for m in ("roof", "floor", "cavity_wall", "glass")],
            **overrides}


def test_the_check_answers_the_income_limit_and_each_tier_with_its_verdicts(api):
    with translation.override("en"):
        response = api.post(CHECK, check_body(), format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert body["income_limit"] == "1360.75"
    assert {tier: body["tiers"][tier]["status"] for tier in ("small", "medium", "large")} == {
        "small": "eligible", "medium": "eligible", "large": "eligible"}
    assert body["tiers"]["large"]["max_grant"] == "5000.00"
    assert [v["rule"] for v in body["tiers"]["large"]["verdicts"]] == [
        "income", "energy_label", "owner_occupier", "one_large_measure"]
    assert body["tiers"]["small"]["verdicts"][0]["passed"] is True
    assert body["parameters"]["rule_set_version"] == "hilversum-2022-v1"
    assert body["parameters"]["norm_valid_from"] == "2022-07-01"


def test_one_cent_over_the_limit_is_not_eligible(api):
    body = api.post(CHECK, check_body(net_monthly_income="1360.76"), format="json").json()

    assert body["tiers"]["small"]["status"] == "not_eligible"
    assert body["tiers"]["small"]["verdicts"][0]["passed"] is False


def test_an_unknown_label_is_undecided_and_a_tenant_cannot_get_the_large_measure(api):
    body = api.post(CHECK, check_body(energy_label="unknown", tenure="social_rent"), format="json").json()

    assert body["tiers"]["small"]["status"] == "undecided"
    assert body["tiers"]["small"]["verdicts"][1]["passed"] is None
    assert body["tiers"]["large"]["status"] == "not_eligible"


def test_the_energy_allowance_letter_needs_no_income(api):
    body = check_body(energy_allowance_received=True)
    del body["net_monthly_income"]

    response = api.post(CHECK, body, format="json")

    assert response.status_code == 200
    assert response.json()["tiers"]["small"]["status"] == "eligible"


def test_the_reasons_are_dutch_by_default(api):
    body = api.post(CHECK, check_body(energy_label="unknown"), format="json").json()

    assert "energieklusser" in body["tiers"]["small"]["verdicts"][1]["reason"]


@pytest.mark.parametrize(("household_type", "limit"), [
    ("single", "1360.75"), ("single_parent", "1360.75"), ("couple", "1943.93"),
    ("single_pension_age", "1513.71"), ("couple_pension_age", "2050.54")])
def test_each_household_type_has_its_published_limit(api, household_type, limit):
    body = api.post(CHECK, check_body(household_type=household_type), format="json").json()

    assert body["income_limit"] == limit


def test_the_check_stores_nothing(api):
    from accounts.models import AuditEvent

    api.post(CHECK, check_body(), format="json")

    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(("change", "field"), [
    ({"programme": "atlantis-2022"}, "programme"),
    ({"programme": None}, "programme"),
    ({"date": "2021-12-31"}, "date"),
    ({"date": "1 september"}, "date"),
    ({"date": "0001-01-01"}, "date"),
    ({"date": "9999-12-31"}, "date"),
    ({"household_type": "commune"}, "household_type"),
    ({"net_monthly_income": "-1.00"}, "net_monthly_income"),
    ({"net_monthly_income": "veel"}, "net_monthly_income"),
    ({"net_monthly_income": "1360.755"}, "net_monthly_income"),
    ({"net_monthly_income": "NaN"}, "net_monthly_income"),
    ({"net_monthly_income": "1e400"}, "net_monthly_income"),
    ({"net_monthly_income": None}, "net_monthly_income"),
    ({"energy_allowance_received": "perhaps"}, "energy_allowance_received"),
    ({"energy_label": "H"}, "energy_label"),
    ({"tenure": "squat"}, "tenure"),
])
def test_bad_input_to_the_check_is_a_400_naming_the_field(api, change, field):
    response = api.post(CHECK, check_body(**change), format="json")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("field", ["programme", "date", "household_type", "energy_label", "tenure",
                                   "net_monthly_income"])
def test_a_missing_field_is_a_400_naming_it(api, field):
    body = check_body()
    del body[field]

    response = api.post(CHECK, body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_body_that_is_not_json_is_a_400(api):
    response = api.post(CHECK, "{not json", content_type="application/json")

    assert response.status_code == 400


def test_a_date_before_the_first_norms_says_so(api):
    SocialMinimumNorm.objects.filter(valid_from="2022-01-01").delete()
    RuleSet.objects.update(valid_from="2021-01-01")

    response = api.post(CHECK, check_body(date="2022-03-01"), format="json")

    assert response.status_code == 400
    assert "2022-03-01" in response.json()["date"][0]


# --- DIY ---------------------------------------------------------------------------------------


def test_the_diy_calculation_of_the_plans_roof_example(api):
    response = api.post(DIY, diy_body(), format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["grant"] == "2730.00"
    assert [line["amount"] for line in body["lines"]] == ["2310.00", "420.00", "2730.00"]
    assert body["area_used_m2"] == "70.00"
    assert isinstance(body["notes"], list)


def test_the_diy_calculation_caps_area_and_grant_with_notes(api):
    body = api.post(DIY, diy_body(measure="facade", area_m2="500"), format="json").json()

    assert body["area_used_m2"] == "170.00"
    assert body["grant"] == "5000.00"
    assert len(body["notes"]) == 3


@pytest.mark.parametrize(("change", "field"), [
    ({"programme": "nowhere"}, "programme"),
    ({"date": "2021-12-31"}, "date"),
    ({"measure": "cavity_wall"}, "measure"),
    ({"measure": "glass"}, "measure"),
    ({"measure": "chimney"}, "measure"),
    ({"area_m2": "-5"}, "area_m2"),
    ({"area_m2": "seventy"}, "area_m2"),
    ({"area_m2": "70.001"}, "area_m2"),
    ({"area_m2": "99999999"}, "area_m2"),
    ({"area_m2": None}, "area_m2"),
])
def test_bad_input_to_the_diy_calculation_is_a_400_naming_the_field(api, change, field):
    response = api.post(DIY, diy_body(**change), format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_contractors_measure_is_refused_for_diy_with_a_reason(api):
    with translation.override("en"):
        response = api.post(DIY, diy_body(measure="cavity_wall"), format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert "cannot be done DIY" in response.json()["measure"][0]


@pytest.mark.parametrize("field", ["programme", "date", "measure", "area_m2"])
def test_a_missing_diy_field_is_a_400_naming_it(api, field):
    body = diy_body()
    del body[field]

    response = api.post(DIY, body, format="json")

    assert response.status_code == 400
    assert field in response.json()


# --- Financing ---------------------------------------------------------------------------------


def test_the_plans_financing_example(api):
    response = api.post(FINANCING, financing_body(), format="json")

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("total_cost", "isde", "municipal_grant", "loan", "interest_rate",
                                       "monthly_payment")} == {
        "total_cost": "12000.00", "isde": "3600.00", "municipal_grant": "3000.00", "loan": "5400.00",
        "interest_rate": "0.00", "monthly_payment": "30.00"}
    assert body["loan_years"] == 15


def test_financing_above_the_income_limit_uses_the_given_rate(api):
    body = api.post(FINANCING, financing_body(yearly_income="50000"), format="json").json()

    assert body["interest_rate"] == "0.04"
    assert body["monthly_payment"] == "39.75"


def test_financing_above_the_income_limit_without_a_rate_asks_for_it(api):
    body = financing_body(yearly_income="50000")
    del body["yearly_interest_rate"]

    response = api.post(FINANCING, body, format="json")

    assert response.status_code == 400
    assert "yearly_interest_rate" in response.json()


@pytest.mark.parametrize(("change", "field"), [
    ({"programme": "nowhere"}, "programme"),
    ({"date": "2021-06-01"}, "date"),
    ({"yearly_income": "-1"}, "yearly_income"),
    ({"yearly_income": "a lot"}, "yearly_income"),
    ({"yearly_income": "30000.001"}, "yearly_income"),
    ({"loan_years": 0}, "loan_years"),
    ({"loan_years": "fifteen"}, "loan_years"),
    ({"yearly_interest_rate": "-0.01"}, "yearly_interest_rate"),
    ({"yearly_interest_rate": "x"}, "yearly_interest_rate"),
    ({"measures": []}, "measures"),
    ({"measures": "roof"}, "measures"),
    ({"measures": [{"measure": "chimney", "cost": "3000"}]}, "measures"),
    ({"measures": [{"measure": "roof", "cost": "-3000"}]}, "measures"),
    ({"measures": [{"measure": "roof", "cost": "3000.505"}]}, "measures"),
    ({"measures": [{"measure": "roof"}]}, "measures"),
])
def test_bad_input_to_the_financing_plan_is_a_400_naming_the_field(api, change, field):
    response = api.post(FINANCING, financing_body(**change), format="json")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("field", ["programme", "date", "yearly_income", "loan_years", "measures"])
def test_a_missing_financing_field_is_a_400_naming_it(api, field):
    body = financing_body()
    del body[field]

    response = api.post(FINANCING, body, format="json")

    assert response.status_code == 400
    assert field in response.json()


# --- Public, throttled ---------------------------------------------------------------------------


def test_the_api_needs_no_login_and_ignores_one(api, coordinator):
    api.force_authenticate(coordinator)

    assert api.post(DIY, diy_body(), format="json").status_code == 200


def test_the_public_api_is_throttled(api, monkeypatch):
    monkeypatch.setattr(PublicCalculationThrottle, "rate", "2/minute", raising=False)

    statuses = [api.post(DIY, diy_body(), format="json").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_the_schema_describes_the_three_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    assert {"/api/v1/eligibility/check", "/api/v1/calculations/diy", "/api/v1/calculations/financing"} <= set(paths)
    assert paths["/api/v1/eligibility/check"]["post"]["security"] == [{}]  # no authentication


def test_interest_rates_are_shown_with_at_least_two_decimals():
    from decimal import Decimal as D

    from eligibility.api import rate_as_text

    assert [rate_as_text(D(x)) for x in ("0", "0.00", "0.0400", "0.0450", "1")] == [
        "0.00", "0.00", "0.04", "0.045", "1.00"]
