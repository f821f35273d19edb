"""The household API: the same scoping as the pages, the dwelling nested, 400 naming the field, never 500."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import AuditEvent
from households.models import Dwelling, Household
from tests.factories import HouseholdFactory
from tests.households.conftest import DWELLING, HOUSEHOLD

NEXT_YEAR = datetime.date.today().year + 1
LIST = reverse("api-v1:household-list")


def detail(household) -> str:
    return reverse("api-v1:household-detail", kwargs={"pk": household.pk})


@pytest.fixture
def payload():
    dwelling = {**DWELLING, "energy_label_date": None}
    return {"programme": "hilversum-2022", **HOUSEHOLD, "dwelling": dwelling}


def test_the_coordinator_registers_a_household_with_its_dwelling(api, coordinator, programme, payload):
    api.force_authenticate(coordinator)

    response = api.post(LIST, payload, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"] == "HIL-00001"
    assert body["status"] == "registered"
    assert body["net_monthly_income"] == "1350.00"
    assert body["dwelling"]["postcode"] == "1221 CM"
    assert body["programme"] == "hilversum-2022"
    household = Household.objects.get()
    assert household.registered_by == coordinator
    assert AuditEvent.objects.for_object(household).get().action == "registered"


BAD_INPUT = [
    (("dwelling", "postcode"), "1234 A", "Vul een Nederlandse postcode in"),
    (("dwelling", "postcode"), "0123 AB", "Vul een Nederlandse postcode in"),
    (("dwelling", "postcode"), "1234 SS", "Vul een Nederlandse postcode in"),
    (("net_monthly_income",), "-1.00", "Het inkomen kan niet negatief zijn."),
    (("net_monthly_income",), "veel", "Vul het inkomen in als bedrag in euro"),
    (("dwelling", "build_year"), NEXT_YEAR, "Vul een bouwjaar in tussen 1500 en"),
    (("dwelling", "build_year"), 1499, "Vul een bouwjaar in tussen 1500 en"),
    (("dwelling", "floor_area_m2"), "0", "De gebruiksoppervlakte moet groter zijn dan 0 m²."),
    (("dwelling", "floor_area_m2"), "-3", "De gebruiksoppervlakte moet groter zijn dan 0 m²."),
    (("dwelling", "energy_label"), "H", "Kies een energielabel van A++++ tot en met G, of onbekend."),
    (("dwelling", "housing_corporation"), "", "Vul de woningcorporatie in"),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD_INPUT,
                         ids=[f"{'.'.join(p)}={v}" for p, v, _m in BAD_INPUT])
def test_bad_input_is_a_400_naming_the_field_in_dutch_and_nothing_is_saved(api, coordinator, programme, payload,
                                                                           path, value, message):
    api.force_authenticate(coordinator)
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value

    response = api.post(LIST, payload, format="json")

    assert response.status_code == 400
    errors = response.json()
    for key in path:
        errors = errors[key]
    assert message in " ".join(errors)
    assert Household.objects.count() == 0
    assert Dwelling.objects.count() == 0


def test_a_duplicate_reference_is_a_400_on_reference(api, coordinator, programme, payload):
    HouseholdFactory(programme=programme, reference="HIL-00042")
    api.force_authenticate(coordinator)

    response = api.post(LIST, {**payload, "reference": "HIL-00042"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"reference": ["Er is in dit programma al een huishouden met dit kenmerk."]}
    assert Household.objects.count() == 1


@pytest.mark.parametrize("body", [{}, {"dwelling": "Kerkstraat 1"}, {"programme": "nowhere"}, []])
def test_malformed_bodies_are_400(api, coordinator, programme, body):
    api.force_authenticate(coordinator)

    assert api.post(LIST, body, format="json").status_code == 400


def test_a_body_that_is_not_json_is_400(api, coordinator, programme):
    api.force_authenticate(coordinator)

    assert api.post(LIST, "{not json", content_type="application/json").status_code == 400


@pytest.mark.parametrize(("who", "sees"), [
    ("handyman", ["HIL-00001"]),
    ("handyman2", []),
    ("community", ["HIL-00002"]),
    ("assessor", ["HIL-00001", "HIL-00002"]),
    ("finance", ["HIL-00001", "HIL-00002"]),
    ("coordinator", ["HIL-00001", "HIL-00002"]),
])
def test_the_list_is_scoped_like_the_pages(api, users_by_role, programme, who, sees):
    HouseholdFactory(programme=programme, reference="HIL-00001", handyman=users_by_role["handyman"])
    HouseholdFactory(programme=programme, reference="HIL-00002", registered_by=users_by_role["community"])
    api.force_authenticate(users_by_role[who])

    response = api.get(LIST, {"sort": "reference"})

    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == sees


def test_a_household_that_is_not_yours_is_404(api, handyman2, programme, handyman):
    household = HouseholdFactory(programme=programme, handyman=handyman)
    api.force_authenticate(handyman2)

    assert api.get(detail(household)).status_code == 404
    assert api.patch(detail(household), {"contact_name": "X"}, format="json").status_code == 404


def test_the_assessor_reads_but_may_not_change(api, assessor, programme):
    household = HouseholdFactory(programme=programme)
    api.force_authenticate(assessor)

    assert api.get(detail(household)).status_code == 200
    assert api.patch(detail(household), {"contact_name": "X"}, format="json").status_code == 403


def test_the_handyman_patches_the_dwelling_of_his_household(api, handyman, programme):
    household = HouseholdFactory(programme=programme, handyman=handyman, dwelling__postcode="1211 AB",
                                 dwelling__energy_label="E")
    api.force_authenticate(handyman)

    response = api.patch(detail(household), {"dwelling": {"energy_label": "B", "postcode": "1217gh"}}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["dwelling"]["energy_label"] == "B"
    household.dwelling.refresh_from_db()
    assert household.dwelling.postcode == "1217 GH"
    assert sorted(AuditEvent.objects.for_object(household).get().data["fields"]) == ["dwelling.energy_label",
                                                                                  "dwelling.postcode"]


def test_a_bad_patch_is_400_and_changes_nothing(api, coordinator, programme):
    household = HouseholdFactory(programme=programme)
    api.force_authenticate(coordinator)

    response = api.patch(detail(household), {"residents": 2, "dwelling": {"build_year": 1200}}, format="json")

    assert response.status_code == 400
    assert "build_year" in response.json()["dwelling"]
    household.refresh_from_db()
    assert household.residents == 1


def test_put_replaces_the_details_but_not_programme_reference_or_status(api, coordinator, programme, payload):
    household = HouseholdFactory(programme=programme, reference="HIL-00007")
    api.force_authenticate(coordinator)

    response = api.put(detail(household), {**payload, "reference": "HIL-99999", "status": "closed"}, format="json")

    assert response.status_code == 200, response.json()
    household.refresh_from_db()
    assert household.contact_name == HOUSEHOLD["contact_name"]
    assert household.dwelling.street == DWELLING["street"]
    assert (household.reference, household.status) == ("HIL-00007", "registered")


@pytest.mark.parametrize("who", ["handyman", "assessor", "finance"])
def test_only_community_workers_and_the_coordinator_register(api, users_by_role, programme, payload, who):
    api.force_authenticate(users_by_role[who])

    assert api.post(LIST, payload, format="json").status_code == 403
    assert Household.objects.count() == 0


def test_anonymous_callers_are_refused(api, programme):
    assert api.get(LIST).status_code in (401, 403)


def test_token_authentication_with_a_token_from_the_command(api, handyman, programme):
    HouseholdFactory(programme=programme, handyman=handyman, reference="HIL-00001")
    call_command("drf_create_token", "handyman", verbosity=0)
    token = Token.objects.get(user=handyman)

    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(LIST)

    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == ["HIL-00001"]


def test_the_api_list_does_not_query_per_household(api, coordinator, programme, handyman, django_assert_num_queries,
                                                    django_assert_max_num_queries):
    HouseholdFactory.create_batch(3, programme=programme, handyman=handyman)
    api.force_authenticate(coordinator)
    api.get(LIST)  # warms the caches of the first request
    with django_assert_max_num_queries(6) as few:
        api.get(LIST)
    HouseholdFactory.create_batch(30, programme=programme, handyman=handyman)

    with django_assert_num_queries(len(few.captured_queries)):
        api.get(LIST)


def test_the_schema_generates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
