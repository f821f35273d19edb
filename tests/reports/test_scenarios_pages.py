"""The "wat als" page: the form with the values in force, a scenario's result, bad input refused per field with
nothing stored, saving, a saved scenario's page and comparing saved scenarios; the query count does not grow with the
register.

The pages use the rules of today (norms of 1 January 2026: single € 1,401.50; 130% without holiday allowance is
€ 1,730.86, 150% is € 1,997.15).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from reports.models import Scenario
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:scenarios")
SAVE = reverse("reports:scenario_save")
COMPARE = reverse("reports:scenario_compare")
WHAT_IF = {"programme": "hilversum-2022", "income_percentage": "150", "label_from": "D", "max_large_grant": "7000"}


def single(income, label, tenure="owner_occupier"):
    return HouseholdFactory(household_type="single", net_monthly_income=income, energy_allowance="no",
                            dwelling__energy_label=label, dwelling__tenure=tenure)


@pytest.fixture
def register(programme):
    single("1850.00", "E")  # above 130%, within 150%: moves in
    single("1900.00", "F", "social_rent")  # moves into small and medium
    single("1500.00", "C")  # label C no longer qualifies: moves out
    single("1500.00", "D")  # stays
    return programme


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_form_starts_from_the_values_in_force_and_runs_nothing(coordinator_client, register):
    response = coordinator_client.get(PAGE)

    assert response.status_code == 200
    form = response.context["form"]
    shown = [form[name].as_widget() for name in ("income_percentage", "max_large_grant")]
    assert 'value="130,00"' in shown[0] and 'value="5000,00"' in shown[1]
    assert form["label_from"].value() == "C"
    assert "result" not in response.context
    content = response.content.decode()
    assert "Wat als" in content
    assert "C of slechter" in content


def test_a_scenario_shows_who_moves_and_what_it_costs(coordinator_client, register):
    response = coordinator_client.get(PAGE, WHAT_IF)

    result = response.context["result"]
    assert result.households == 4
    small, large = result.tier("small"), result.tier("large")
    assert (small.eligible_now, small.eligible_scenario, small.moved_in, small.moved_out) == (2, 3, 2, 1)
    assert (large.eligible_now, large.eligible_scenario, large.moved_in, large.moved_out) == (2, 2, 1, 1)
    assert result.products.cost == 2 * result.products.expected_value
    content = response.content.decode()
    assert "Subsidiabele huishoudens nu en in het scenario" in content
    assert "Wie erin en eruit gaat" in content
    assert "Effect op de begroting" in content
    assert "€\xa0660,00" in content  # 2 × € 330 on the products line
    assert Scenario.objects.count() == 0


@pytest.mark.parametrize("field, value, sentence", [
    ("income_percentage", "0", "Geef een inkomenspercentage van 50 tot en met 300."),
    ("income_percentage", "1000", "Geef een inkomenspercentage van 50 tot en met 300."),
    ("income_percentage", "abc", "Voer een getal in."),
    ("max_large_grant", "100", "Geef een maximale subsidie van €\xa0500,00 tot en met €\xa050.000,00."),
    ("max_large_grant", "1000000", "Geef een maximale subsidie van €\xa0500,00 tot en met €\xa050.000,00."),
    ("label_from", "Z", "Selecteer een geldige keuze. Z is geen beschikbare keuze."),
    ("take_up", "0", "Geef een opkomst van 1 tot en met 100 procent, of laat het veld leeg."),
])
def test_bad_values_are_refused_on_their_field_and_nothing_runs_or_is_stored(coordinator_client, register, field,
                                                                             value, sentence):
    response = coordinator_client.get(PAGE, {**WHAT_IF, field: value})

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [sentence]
    assert "result" not in response.context

    saved = coordinator_client.post(SAVE, {**WHAT_IF, field: value, "name": "Fout"})

    assert saved.status_code == 200
    assert saved.context["form"].errors[field] == [sentence]
    assert Scenario.objects.count() == 0


def test_saving_stores_the_name_values_results_who_and_when(coordinator_client, coordinator, register):
    response = coordinator_client.post(SAVE, {**WHAT_IF, "name": "Grens naar 150%"})

    scenario = Scenario.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:scenario", args=[scenario.pk])
    assert (scenario.name, scenario.created_by, scenario.programme) == ("Grens naar 150%", coordinator, register)
    assert scenario.parameters == {"income_percentage": "150", "worst_non_qualifying_label": "C",
                                   "max_large_grant": "7000", "take_up": None}
    assert scenario.results["tiers"][0] == {"tier": "small", "eligible_now": 2, "eligible_scenario": 3, "moved_in": 2,
                                            "moved_out": 1, "undecided_now": 0, "undecided_scenario": 0}
    event = AuditEvent.objects.get(action="scenario_saved")
    assert (event.actor, event.note) == (coordinator, "Grens naar 150%")

    page = coordinator_client.get(response.url)
    content = page.content.decode()
    assert "Grens naar 150%" in content
    assert "D of slechter" in content
    assert page.context["result"].tier("small").moved_in == 2


def test_saving_without_a_name_is_refused_and_stores_nothing(coordinator_client, register):
    response = coordinator_client.post(SAVE, {**WHAT_IF, "name": "  "})

    assert response.status_code == 200
    assert response.context["save_form"].errors["name"] == ["Geef het scenario een naam om het te bewaren."]
    assert response.context["result"].tier("small").moved_in == 2  # the result is still shown
    assert Scenario.objects.count() == 0


def test_saved_scenarios_are_listed_and_compared_side_by_side(coordinator_client, finance_officer, register):
    coordinator_client.post(SAVE, {**WHAT_IF, "name": "150%"})
    coordinator_client.post(SAVE, {**WHAT_IF, "label_from": "C", "name": "150%, labels blijven"})
    first, second = Scenario.objects.order_by("pk")

    page = coordinator_client.get(PAGE)
    assert [row["scenario"].name for row in page.context["saved"]] == ["150%, labels blijven", "150%"]

    coordinator_client.force_login(finance_officer)
    response = coordinator_client.get(COMPARE, {"scenarios": [first.pk, second.pk]})

    assert [column["scenario"].name for column in response.context["columns"]] == ["150%", "150%, labels blijven"]
    small = response.context["tier_rows"][0]["cells"]
    assert [(count.moved_in, count.moved_out) for count in small] == [(2, 1), (2, 0)]
    content = response.content.decode()
    assert "Scenario&#x27;s naast elkaar" in content or "Scenario's naast elkaar" in content


@pytest.mark.parametrize("chosen", [0, 1, 5])
def test_comparing_needs_two_to_four_scenarios(coordinator_client, coordinator, register, chosen):
    from reports.scenarios import ScenarioValues, save_scenario

    values = ScenarioValues.from_record({"income_percentage": "150", "worst_non_qualifying_label": "C",
                                         "max_large_grant": "7000.00"})
    keys = [save_scenario(register, values, name=f"S{n}", by=coordinator).pk for n in range(chosen)]

    response = coordinator_client.get(COMPARE, {"scenarios": keys})

    assert response.context["error"] == "Kies 2 tot en met 4 bewaarde scenario's om te vergelijken."
    assert response.context["columns"] == []


def test_the_number_of_queries_does_not_grow_with_the_register(coordinator_client, register):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(PAGE, WHAT_IF).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(20):
        single("1850.00", "E")
        single("1500.00", "C", "private_rent")
    assert queries() == few


def test_the_save_button_stores_the_values_the_result_was_computed_with(coordinator_client, register):
    import re

    page = coordinator_client.get(PAGE, {**WHAT_IF, "take_up": "45"}).content.decode()
    save_form = page[page.index(f'action="{SAVE}"'):]
    save_form = save_form[:save_form.index("</form>")]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', save_form))
    del hidden["csrfmiddlewaretoken"]

    coordinator_client.post(SAVE, {**hidden, "name": "Via de knop"})

    scenario = Scenario.objects.get()
    assert scenario.parameters == {"income_percentage": "150", "worst_non_qualifying_label": "C",
                                   "max_large_grant": "7000", "take_up": "45"}
    assert scenario.results["grants"]["take_up"] == "45"


def test_the_coordinator_and_finance_find_the_page_in_the_navigation(client, coordinator, finance_officer,
                                                                     assessor, programme):
    for user, shown in ((coordinator, True), (finance_officer, True), (assessor, False)):
        client.force_login(user)
        assert (f'href="{PAGE}"' in client.get(reverse("accounts:start")).content.decode()) is shown


def test_the_fields_link_their_help_texts_and_errors(coordinator_client, register):
    from tests.test_forms_link_their_help_texts import references

    for response in (coordinator_client.get(PAGE), coordinator_client.get(PAGE, {**WHAT_IF, "income_percentage": "0"}),
                     coordinator_client.post(SAVE, {**WHAT_IF, "name": ""})):
        count, dangling = references(response.content.decode())
        assert count >= 3
        assert dangling == []


@pytest.mark.parametrize("name", ["Grens\x00150", "Grens\x07150"])
def test_a_name_with_a_control_character_is_refused(coordinator_client, register, name):
    response = coordinator_client.post(SAVE, {**WHAT_IF, "name": name})

    assert response.status_code == 200
    assert response.context["save_form"].errors["name"]
    assert not Scenario.objects.exists()


def test_comparing_with_an_id_no_database_takes_says_what_to_choose(coordinator_client, register):
    response = coordinator_client.get(COMPARE, {"scenarios": ["99999999999999999999999", "1"]})

    assert response.status_code == 200
    assert "Kies 2 tot en met 4 bewaarde scenario" in response.content.decode()
