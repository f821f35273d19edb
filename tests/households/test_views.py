"""The household pages: who sees which households, search, filters, sorting, and the acts."""

import datetime

import pytest
from django.urls import reverse

from households.models import Household
from tests.factories import HouseholdFactory, PrivacyStatementFactory

TODAY = datetime.date.today()


def listed(response) -> list[str]:
    return [household.reference for household in response.context["households"]]


@pytest.fixture
def register(programme, users_by_role):
    """Three households: one for each handyman, one registered by the community worker."""
    return {
        "henk": HouseholdFactory(programme=programme, reference="HIL-00001", contact_name="Jan Jansen",
                                 handyman=users_by_role["handyman"], dwelling__postcode="1211 AB",
                                 dwelling__street="Kerkstraat", dwelling__energy_label="E"),
        "hatice": HouseholdFactory(programme=programme, reference="HIL-00002", contact_name="Ayse Kaya",
                                   handyman=users_by_role["handyman2"], dwelling__postcode="1217 GH",
                                   dwelling__street="Larenseweg", dwelling__energy_label="C",
                                   dwelling__social_rent=True),
        "carla": HouseholdFactory(programme=programme, reference="HIL-00003", contact_name="Piet de Boer",
                                  registered_by=users_by_role["community"], active=True,
                                  dwelling__postcode="1221 CE", dwelling__street="Neuweg"),
    }


@pytest.mark.parametrize(("who", "sees"), [
    ("handyman", ["HIL-00001"]),
    ("handyman2", ["HIL-00002"]),
    ("community", ["HIL-00003"]),
    ("assessor", ["HIL-00001", "HIL-00002", "HIL-00003"]),
    ("finance", ["HIL-00001", "HIL-00002", "HIL-00003"]),
    ("coordinator", ["HIL-00001", "HIL-00002", "HIL-00003"]),
])
def test_each_role_sees_only_its_households(client, users_by_role, register, who, sees):
    client.force_login(users_by_role[who])

    response = client.get(reverse("households:list"), {"sort": "reference"})

    assert response.status_code == 200
    assert listed(response) == sees


def test_a_household_that_is_not_yours_is_not_found(client, handyman2, register):
    client.force_login(handyman2)

    assert client.get(reverse("households:detail", args=[register["henk"].pk])).status_code == 404
    assert client.get(reverse("households:detail", args=[register["hatice"].pk])).status_code == 200


@pytest.mark.parametrize(("query", "found"), [
    ({"q": "jansen"}, ["HIL-00001"]),
    ({"q": "hil-00002"}, ["HIL-00002"]),
    ({"q": "1217gh"}, ["HIL-00002"]),
    ({"q": "1221"}, ["HIL-00003"]),
    ({"q": "larense"}, ["HIL-00002"]),
    ({"status": "active"}, ["HIL-00003"]),
    ({"tenure": "social_rent"}, ["HIL-00002"]),
    ({"label": "E"}, ["HIL-00001"]),
    ({"status": "nonsense", "q": "kaya"}, ["HIL-00002"]),
])
def test_the_coordinator_searches_and_filters(client, coordinator, register, query, found):
    client.force_login(coordinator)

    response = client.get(reverse("households:list"), {**query, "sort": "reference"})

    assert listed(response) == found


@pytest.mark.parametrize("query", ["Neuweg 203", "neuweg 203", "Neuweg  203 b", "Neuweg 203B", "1221 CE 203",
                                   "1221CE 203", "1221ce 203b"])
def test_street_or_postcode_with_house_number_finds_the_household(client, coordinator, register, query):
    HouseholdFactory(programme=register["carla"].programme, reference="HIL-00004", dwelling__street="Neuweg",
                     dwelling__postcode="1221 CE", dwelling__house_number=20)  # a neighbour, not found
    register["carla"].dwelling.house_number = 203
    register["carla"].dwelling.house_letter = "B"
    register["carla"].dwelling.save()
    client.force_login(coordinator)

    assert listed(client.get(reverse("households:list"), {"q": query})) == ["HIL-00003"]


@pytest.mark.parametrize("query", ["Neuweg 204", "Neuweg 203 c", "1221 CE 20 3", "Kerkstraat 203"])
def test_an_address_with_another_number_finds_nothing(client, coordinator, register, query):
    register["carla"].dwelling.house_number = 203
    register["carla"].dwelling.house_letter = "B"
    register["carla"].dwelling.save()
    client.force_login(coordinator)

    assert listed(client.get(reverse("households:list"), {"q": query})) == []


def test_filter_by_handyman(client, coordinator, handyman2, register):
    client.force_login(coordinator)

    assert listed(client.get(reverse("households:list"), {"handyman": handyman2.pk})) == ["HIL-00002"]


@pytest.mark.parametrize(("sort", "order"), [
    ("reference", ["HIL-00001", "HIL-00002", "HIL-00003"]),
    ("-reference", ["HIL-00003", "HIL-00002", "HIL-00001"]),
    ("name", ["HIL-00002", "HIL-00001", "HIL-00003"]),
    ("street", ["HIL-00001", "HIL-00002", "HIL-00003"]),
    ("-postcode", ["HIL-00003", "HIL-00002", "HIL-00001"]),
])
def test_the_list_sorts_by_its_columns(client, coordinator, register, sort, order):
    client.force_login(coordinator)

    response = client.get(reverse("households:list"), {"sort": sort})

    assert listed(response) == order
    column = next(c for c in response.context["columns"] if c["key"] == sort.lstrip("-"))
    assert column["aria_sort"] == ("descending" if sort.startswith("-") else "ascending")


def test_the_list_is_paginated_and_keeps_the_search(client, coordinator, programme):
    HouseholdFactory.create_batch(30, programme=programme, contact_name="Familie Smit")
    client.force_login(coordinator)

    first = client.get(reverse("households:list"), {"q": "smit"})
    second = client.get(reverse("households:list"), {"q": "smit", "page": 2})

    assert len(listed(first)) == 25
    assert len(listed(second)) == 5
    assert "q=smit&amp;page=2" in first.content.decode()


def test_an_htmx_search_gets_only_the_results(client, coordinator, register):
    client.force_login(coordinator)

    response = client.get(reverse("households:list"), {"q": "kaya"}, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert "HIL-00002" in content and "HIL-00001" not in content
    assert "<html" not in content
    assert response.templates[0].name == "households/_results.html"


def test_the_detail_page_shows_household_dwelling_consent_people_and_history(client, coordinator, register):
    household = register["carla"]
    client.force_login(coordinator)

    response = client.get(reverse("households:detail", args=[household.pk]))

    content = response.content.decode()
    for section in ('id="household"', 'id="dwelling"', 'id="consent"', 'id="people"', 'id="history"'):
        assert section in content
    assert household.dwelling.postcode in content
    assert "Neuweg" in content
    assert response.context["may"] == {"edit": True, "consent": True, "assign": True, "close": True, "reopen": False,
                                       "withdraw": True, "erase": False}  # erasure: on the withdrawal page


def test_the_assessor_sees_the_household_but_no_actions(client, assessor, register):
    client.force_login(assessor)

    response = client.get(reverse("households:detail", args=[register["henk"].pk]))

    assert not any(response.context["may"].values())
    assert reverse("households:edit", args=[register["henk"].pk]) not in response.content.decode()


def test_the_community_worker_registers_a_household(client, community_worker, registration_data):
    client.force_login(community_worker)

    response = client.post(reverse("households:create"), registration_data, follow=True)

    household = Household.objects.get()
    assert household.registered_by == community_worker
    assert "Huishouden HIL-00001 is aangemeld." in response.content.decode()
    assert client.get(reverse("households:list")).context["households"][0] == household


def test_the_handyman_edits_the_dwelling_of_his_household(client, handyman, register):
    household = register["henk"]
    client.force_login(handyman)
    form = client.get(reverse("households:edit", args=[household.pk])).context
    data = {**{name: field.value() or "" for name, field in
               ((n, form["household_form"][n]) for n in form["household_form"].fields)},
            **{name: form["dwelling_form"][name].value() or "" for name in form["dwelling_form"].fields}}
    data.update({"energy_label": "B", "energy_label_date": "2024-03-01"})

    response = client.post(reverse("households:edit", args=[household.pk]), data)

    assert response.status_code == 302, response.context["dwelling_form"].errors
    household.refresh_from_db()
    assert household.dwelling.energy_label == "B"
    assert household.dwelling.energy_label_date == datetime.date(2024, 3, 1)


def test_recording_consent_activates_the_household(client, handyman, register):
    household = register["henk"]
    client.force_login(handyman)

    response = client.post(reverse("households:consent", args=[household.pk]), {
        "statement_version": "2022-1", "given_on": TODAY.isoformat(), "decision": "consents"})

    assert response.status_code == 302
    household.refresh_from_db()
    assert household.status == Household.Status.ACTIVE
    assert household.consents.get().recorded_by == handyman


def test_the_consent_form_with_nothing_chosen_says_what_is_missing_and_records_nothing(client, coordinator,
                                                                                         register):
    household = register["henk"]
    client.force_login(coordinator)

    response = client.post(reverse("households:consent", args=[household.pk]), {
        "statement_version": "2022-1", "given_on": TODAY.isoformat()})

    assert response.status_code == 200
    assert response.context["form"].errors["decision"] == [
        "Kies of de bewoner toestemming geeft voor verwerking of die weigert."]
    assert "De toestemming is vastgelegd" not in response.content.decode()
    assert not household.consents.exists()
    household.refresh_from_db()
    assert household.status == Household.Status.REGISTERED


def test_a_refusal_is_recorded_and_shown_as_a_refusal(client, coordinator, register):
    household = register["henk"]
    client.force_login(coordinator)

    response = client.post(reverse("households:consent", args=[household.pk]), {
        "statement_version": "2022-1", "given_on": "2024-05-02", "decision": "refuses"}, follow=True)

    page = response.content.decode()
    assert "De weigering van de bewoner is vastgelegd; het huishouden blijft aangemeld." in page
    assert "De bewoner heeft verwerking geweigerd op 2 mei 2024." in page
    assert "toestemming voor verwerking geweigerd" in page  # the history
    assert "toestemming vastgelegd" not in page
    assert "De bewoner trekt de toestemming in" not in page
    consent = household.consents.get()
    assert (consent.processing, consent.share_address_level) == (False, False)
    household.refresh_from_db()
    assert household.status == Household.Status.REGISTERED


def test_a_resident_who_refuses_processing_does_not_share_at_address_level(client, coordinator, register):
    client.force_login(coordinator)

    response = client.post(reverse("households:consent", args=[register["henk"].pk]), {
        "statement_version": "2022-1", "given_on": TODAY.isoformat(), "decision": "refuses",
        "share_address_level": "on"})

    assert "share_address_level" in response.context["form"].errors
    assert not register["henk"].consents.exists()


def test_consent_in_the_future_is_refused(client, coordinator, register):
    client.force_login(coordinator)

    response = client.post(reverse("households:consent", args=[register["henk"].pk]), {
        "statement_version": "2022-1", "given_on": (TODAY + datetime.timedelta(days=1)).isoformat(),
        "decision": "consents"})

    assert "given_on" in response.context["form"].errors
    assert not register["henk"].consents.exists()


def test_the_coordinator_assigns_a_handyman(client, coordinator, handyman2, register):
    household = register["carla"]
    client.force_login(coordinator)

    response = client.post(reverse("households:assign", args=[household.pk]), {"handyman": handyman2.pk})

    assert response.status_code == 302
    household.refresh_from_db()
    assert household.handyman == handyman2


def test_only_handymen_can_be_chosen_as_handyman(client, coordinator, assessor, register):
    client.force_login(coordinator)

    response = client.post(reverse("households:assign", args=[register["carla"].pk]), {"handyman": assessor.pk})

    assert "handyman" in response.context["form"].errors


def test_the_community_worker_closes_a_household_with_a_reason(client, community_worker, register):
    household = register["carla"]
    client.force_login(community_worker)

    empty = client.post(reverse("households:close", args=[household.pk]), {"reason": ""})
    assert "reason" in empty.context["form"].errors

    response = client.post(reverse("households:close", args=[household.pk]), {"reason": "Verhuisd"})

    assert response.status_code == 302
    household.refresh_from_db()
    assert household.status == Household.Status.CLOSED


def test_a_handyman_gets_no_handyman_filter(client, handyman, coordinator, register):
    client.force_login(handyman)
    assert "handyman" not in client.get(reverse("households:list")).context["filters"].fields

    client.force_login(coordinator)
    assert "handyman" in client.get(reverse("households:list")).context["filters"].fields


def test_selects_without_a_value_say_choose_in_dutch(client, coordinator):
    client.force_login(coordinator)

    content = client.get(reverse("households:create")).content.decode()

    assert "— kies —" in content
    assert "Select an option" not in content


def test_the_detail_page_keeps_earlier_consent_visible(client, coordinator, register):
    household = register["henk"]
    PrivacyStatementFactory(programme=household.programme, version="2023-1")
    client.force_login(coordinator)
    for version in ("2022-1", "2023-1"):
        client.post(reverse("households:consent", args=[household.pk]), {
            "statement_version": version, "given_on": TODAY.isoformat(), "decision": "consents"})

    content = client.get(reverse("households:detail", args=[household.pk])).content.decode()

    assert "Eerdere toestemming" in content
    assert "2022-1" in content and "vervangen op" in content


def test_the_handyman_records_that_the_resident_withdraws_consent(client, handyman, programme):
    household = HouseholdFactory(programme=programme, active=True, handyman=handyman)
    client.force_login(handyman)
    detail = client.get(reverse("households:detail", args=[household.pk]))
    assert reverse("households:withdraw_consent", args=[household.pk]) in detail.text

    response = client.post(reverse("households:withdraw_consent", args=[household.pk]), {"note": "Aan de deur"})

    assert response.status_code == 302
    household.refresh_from_db()
    assert household.status == Household.Status.CLOSED
    page = client.get(reverse("households:detail", args=[household.pk])).text
    assert "Geen toestemming van kracht" in page or "No consent is in force" in page
    assert reverse("households:withdraw_consent", args=[household.pk]) not in page


def test_the_coordinator_reopens_a_closed_household_from_its_page(client, coordinator, programme):
    household = HouseholdFactory(programme=programme, closed=True)
    client.force_login(coordinator)
    detail = client.get(reverse("households:detail", args=[household.pk]))
    assert reverse("households:reopen", args=[household.pk]) in detail.text

    empty = client.post(reverse("households:reopen", args=[household.pk]), {"reason": ""})
    assert "reason" in empty.context["form"].errors

    response = client.post(reverse("households:reopen", args=[household.pk]), {"reason": "Terug in het programma"})

    assert response.status_code == 302
    household.refresh_from_db()
    assert household.status == Household.Status.ACTIVE
