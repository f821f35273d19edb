"""The handyman's agenda (his start page and the agenda page), and planning the visits from the household page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fieldwork import services
from fieldwork.models import Visit
from tests.factories import HouseholdFactory, assessed_household
from tests.fieldwork.test_visits import FINDINGS


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def today() -> datetime.date:
    return timezone.localdate()


def page_of(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def household(programme, handyman, community_worker):
    return assessed_household(handyman, community_worker=community_worker, contact_name="Fatima el Amrani",
                              phone="06 12345678", dwelling__street="Neuweg", dwelling__house_number=203)


# --- The agenda ------------------------------------------------------------------------------------------------


def test_the_handymans_start_page_is_his_agenda_with_todays_visit_and_its_phone(client, handyman, household):
    services.plan_visit(household, by=handyman, planned_at=at(today(), 23, 45))

    page = page_of(client, handyman, reverse("accounts:start"))

    assert "Vandaag" in page and "Deze week" in page and "Geen volgend bezoek gepland" in page
    assert "23:45" in page and "1. Intake" in page
    assert "Fatima el Amrani" in page and "Neuweg 203, Hilversum" in page
    assert 'href="tel:0612345678"' in page
    assert page.index("Vandaag") < page.index("Uw huishoudens")  # the agenda comes before the households


def test_his_households_without_a_next_visit_each_have_a_plan_button(client, handyman, household):
    page = page_of(client, handyman, reverse("accounts:start"))

    assert "volgende: intake" in page
    assert reverse("fieldwork:plan_visit", args=[household.pk]) in page
    assert "Plan de intake" in page


def test_a_household_with_its_next_visit_planned_or_closed_is_not_waiting(client, handyman, household, programme):
    services.plan_visit(household, by=handyman, planned_at=at(today() + datetime.timedelta(days=2), 10))
    HouseholdFactory(programme=programme, handyman=handyman, closed=True, contact_name="Gesloten Huishouden")

    page = page_of(client, handyman, reverse("accounts:start"))

    assert reverse("fieldwork:plan_visit", args=[household.pk]) not in page
    assert "Gesloten Huishouden" not in page
    assert "Voor al uw huishoudens is het volgende bezoek gepland." in page


def test_after_the_intake_the_installation_is_next_to_plan(client, handyman, household):
    intake = services.plan_visit(household, by=handyman, planned_at=timezone.now() - datetime.timedelta(hours=1))
    services.record_intake(intake, by=handyman, findings=FINDINGS)

    page = page_of(client, handyman, reverse("fieldwork:agenda"))

    assert "volgende: installatie" in page and "Plan de installatie" in page


def test_the_agenda_page_shows_the_coming_weeks_and_the_visits_not_recorded(client, handyman, household, programme):
    in_two_weeks = today() + datetime.timedelta(weeks=2)
    services.plan_visit(household, by=handyman, planned_at=at(in_two_weeks, 9, 30))
    other = assessed_household(handyman, contact_name="Jan de Vries")
    services.plan_visit(other, by=handyman, planned_at=at(today() - datetime.timedelta(days=3), 14))

    page = page_of(client, handyman, reverse("fieldwork:agenda"))

    assert "De komende 4 weken" in page
    assert f"Week {int(in_two_weeks.strftime('%V'))}" in page and "09:30" in page
    assert "Eerder, nog niet vastgelegd" in page and "Jan de Vries" in page


def test_another_handyman_sees_nothing_of_his_households(client, handyman, handyman2, household):
    services.plan_visit(household, by=handyman, planned_at=at(today(), 23, 45))

    page = page_of(client, handyman2, reverse("fieldwork:agenda"))
    start = page_of(client, handyman2, reverse("accounts:start"))

    assert "Fatima el Amrani" not in page and "Fatima el Amrani" not in start
    assert "Geen bezoeken vandaag." in page
    assert client.get(reverse("households:detail", args=[household.pk])).status_code == 404
    assert client.get(reverse("fieldwork:plan_visit", args=[household.pk])).status_code == 404


def test_the_agenda_is_the_handymans_own(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("fieldwork:agenda")).status_code == 403


# The session, the user, his groups; today's and the coming weeks' visits (one query), the visits not recorded,
# the households without a next visit and their number; the navigation asks nothing more.
AGENDA_QUERIES = 7


@pytest.mark.parametrize("how_many", [2, 12])
def test_the_agenda_costs_the_same_number_of_queries_for_2_and_for_12_households(
        client, handyman, programme, django_assert_max_num_queries, how_many):
    for number in range(how_many):
        household = assessed_household(handyman)
        services.plan_visit(household, by=handyman, planned_at=at(today() + datetime.timedelta(days=number % 20),
                                                                   8 + number % 10))
        assessed_household(handyman)  # waiting for its intake
    client.force_login(handyman)

    with django_assert_max_num_queries(AGENDA_QUERIES):
        response = client.get(reverse("fieldwork:agenda"))

    assert len(response.context["unplanned"]) == how_many


# The session, the user, his groups; today's and this week's visits (one query), the first households without a next
# visit and, when there are more, their number; the households summary's counts and latest households.
START_QUERIES = 11


@pytest.mark.parametrize("how_many", [2, 12])
def test_the_start_page_costs_the_same_too(client, handyman, programme, django_assert_max_num_queries, how_many):
    for number in range(how_many):
        household = assessed_household(handyman)
        services.plan_visit(household, by=handyman, planned_at=at(today(), 23, number % 60))
        assessed_household(handyman)
    client.force_login(handyman)

    with django_assert_max_num_queries(START_QUERIES):
        response = client.get(reverse("accounts:start"))

    assert response.content.decode().count("1. Intake") == how_many



# --- The household page: the visits and planning the next ------------------------------------------------------


def test_the_household_page_shows_the_three_visits_in_order_with_their_state(client, handyman, household):
    intake = services.plan_visit(household, by=handyman, planned_at=timezone.now() - datetime.timedelta(hours=2))
    services.record_intake(intake, by=handyman, findings=FINDINGS)
    services.plan_visit(household, by=handyman, planned_at=at(today() + datetime.timedelta(days=3), 11))

    page = page_of(client, handyman, reverse("households:detail", args=[household.pk]))

    assert "Veldwerk" in page
    assert page.index("Intake") < page.index("Installatie") < page.index("Evaluatie")
    assert "Gedaan op" in page and "Gepland op" in page and "Nog niet gepland." in page
    assert "Plan de evaluatie" in page
    assert 'value="by_phone"' in page  # only the evaluation may be by phone


def test_the_intake_is_not_offered_by_phone(client, handyman, household):
    page = page_of(client, handyman, reverse("households:detail", args=[household.pk]))

    assert "Plan de intake" in page
    assert 'value="by_phone"' not in page


def test_who_sees_the_household_but_may_not_plan_sees_no_form(client, community_worker, handyman, household):
    services.plan_visit(household, by=handyman, planned_at=at(today() + datetime.timedelta(days=1), 10))

    page = page_of(client, community_worker, reverse("households:detail", args=[household.pk]))

    assert "Veldwerk" in page and "Gepland op" in page
    assert reverse("fieldwork:plan_visit", args=[household.pk]) not in page
    assert "Verzetten" not in page


def test_planning_from_the_household_page_plans_the_next_visit(client, handyman, household):
    client.force_login(handyman)
    day = today() + datetime.timedelta(days=5)

    response = client.post(reverse("fieldwork:plan_visit", args=[household.pk]),
                           {"plan-day": day.isoformat(), "plan-time": "13:30"})

    assert response.status_code == 302
    assert response["Location"] == reverse("households:detail", args=[household.pk]) + "#fieldwork"
    visit = Visit.objects.get(household=household)
    assert (visit.kind, visit.handyman, visit.mode) == (Visit.Kind.INTAKE, handyman, Visit.Mode.AT_HOME)
    assert timezone.localtime(visit.planned_at) == at(day, 13, 30)
    assert "De intake is gepland op" in client.get(response["Location"]).content.decode()


def test_the_plan_button_of_the_agenda_returns_to_the_agenda(client, handyman, household):
    client.force_login(handyman)
    day = today() + datetime.timedelta(days=1)

    response = client.post(reverse("fieldwork:plan_visit", args=[household.pk]) + "?next=/veldwerk/agenda/",
                           {"plan-day": day.isoformat(), "plan-time": "09:00", "next": "/veldwerk/agenda/"})

    assert response["Location"] == "/veldwerk/agenda/"


def test_a_plan_without_date_and_time_says_so_and_saves_nothing(client, handyman, household):
    client.force_login(handyman)

    response = client.post(reverse("fieldwork:plan_visit", args=[household.pk]), {})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Dit veld is vereist.") == 2
    assert not Visit.objects.exists()


def test_a_plan_more_than_a_year_ahead_is_refused_on_the_date(client, handyman, household):
    client.force_login(handyman)
    day = today() + datetime.timedelta(days=400)

    response = client.post(reverse("fieldwork:plan_visit", args=[household.pk]),
                           {"plan-day": day.isoformat(), "plan-time": "10:00"})

    assert response.status_code == 200
    assert response.context["form"].errors["day"] == ["Plan het bezoek binnen een jaar."]
    assert not Visit.objects.exists()


def test_by_phone_for_the_intake_is_ignored_it_is_at_home(client, handyman, household):
    client.force_login(handyman)

    client.post(reverse("fieldwork:plan_visit", args=[household.pk]),
                {"plan-day": today().isoformat(), "plan-time": "23:00", "plan-mode": "by_phone"})

    assert Visit.objects.get(household=household).mode == Visit.Mode.AT_HOME


def test_the_evaluation_can_be_planned_by_phone(client, handyman, household):
    Visit.objects.bulk_create([
        Visit(household=household, kind=kind, handyman=handyman, planned_at=timezone.now(), done_at=timezone.now())
        for kind in (Visit.Kind.INTAKE, Visit.Kind.INSTALLATION)])
    client.force_login(handyman)

    client.post(reverse("fieldwork:plan_visit", args=[household.pk]),
                {"plan-day": today().isoformat(), "plan-time": "23:00", "plan-mode": "by_phone"})

    assert Visit.objects.get(household=household, kind=Visit.Kind.EVALUATION).mode == Visit.Mode.BY_PHONE


def test_a_closed_household_gets_no_visit_planned(client, handyman, programme):
    household = HouseholdFactory(programme=programme, handyman=handyman, closed=True)
    client.force_login(handyman)

    response = client.post(reverse("fieldwork:plan_visit", args=[household.pk]),
                           {"plan-day": today().isoformat(), "plan-time": "23:00"})

    assert response.status_code == 409
    assert "Bezoeken worden alleen gepland voor actieve huishoudens" in response.content.decode()
    assert not Visit.objects.exists()


def test_when_all_three_are_planned_the_page_says_so(client, handyman, household):
    Visit.objects.bulk_create([Visit(household=household, kind=kind, handyman=handyman, planned_at=timezone.now())
                               for kind in Visit.ORDER])

    page = page_of(client, handyman, reverse("fieldwork:plan_visit", args=[household.pk]))

    assert "Alle drie de bezoeken zijn al gepland." in page


# --- Rescheduling ----------------------------------------------------------------------------------------------


def test_the_handyman_moves_a_planned_visit(client, handyman, household):
    visit = services.plan_visit(household, by=handyman, planned_at=at(today() + datetime.timedelta(days=1), 10))
    page = page_of(client, handyman, reverse("households:detail", args=[household.pk]))
    assert reverse("fieldwork:reschedule_visit", args=[visit.pk]) in page
    day = today() + datetime.timedelta(days=8)

    response = client.post(reverse("fieldwork:reschedule_visit", args=[visit.pk]),
                           {"plan-day": day.isoformat(), "plan-time": "15:15"})

    assert response.status_code == 302
    visit.refresh_from_db()
    assert timezone.localtime(visit.planned_at) == at(day, 15, 15)


def test_the_reschedule_form_shows_when_it_is_planned_now(client, handyman, household):
    tomorrow = today() + datetime.timedelta(days=1)
    visit = services.plan_visit(household, by=handyman, planned_at=at(tomorrow, 10, 5))

    page = page_of(client, handyman, reverse("fieldwork:reschedule_visit", args=[visit.pk]))

    assert 'value="10:05"' in page
    assert f'value="{tomorrow.isoformat()}"' in page


def test_a_visit_done_cannot_be_moved(client, handyman, household):
    visit = services.plan_visit(household, by=handyman, planned_at=timezone.now() - datetime.timedelta(hours=1))
    services.record_intake(visit, by=handyman, findings=FINDINGS)
    client.force_login(handyman)
    before = Visit.objects.get(pk=visit.pk).planned_at

    response = client.post(reverse("fieldwork:reschedule_visit", args=[visit.pk]),
                           {"plan-day": today().isoformat(), "plan-time": "23:00"})

    assert response.status_code == 409
    assert "Dit bezoek is gedaan; het kan niet worden verzet." in response.content.decode()
    assert Visit.objects.get(pk=visit.pk).planned_at == before


def test_another_handyman_cannot_move_it(client, handyman, handyman2, household):
    visit = services.plan_visit(household, by=handyman, planned_at=at(today() + datetime.timedelta(days=1), 10))
    client.force_login(handyman2)

    response = client.post(reverse("fieldwork:reschedule_visit", args=[visit.pk]),
                           {"plan-day": today().isoformat(), "plan-time": "23:00"})

    assert response.status_code == 404


def test_the_household_page_costs_the_same_with_or_without_field_work(client, handyman, household,
                                                                   community_worker, programme):
    bare = assessed_household(handyman, community_worker=community_worker)
    for _ in range(4):
        services.refer(household, by=handyman, reason="Hulp", community_worker=community_worker)
    for _ in Visit.ORDER:
        services.plan_visit(household, by=handyman, planned_at=at(today() + datetime.timedelta(days=1), 10))
    client.force_login(handyman)

    counts = []
    for shown in (bare, household):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("households:detail", args=[shown.pk]))
        counts.append(len(queries))

    assert counts[0] == counts[1]
