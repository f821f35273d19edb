"""The coordinator's workload per handyman and week, one handyman's week, and reassigning households.

The known week is last week (so a visit in it can be done): `handyman` has four active households — A with its
intake on Monday (done) and its installation on Wednesday, B with its intake on Wednesday, C without any visit,
D with its intake the week after next — and a closed one; `handyman2` has one household without a visit.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.errors import Refused
from accounts.models import AuditEvent
from fieldwork import selectors, services
from fieldwork.models import Visit
from fieldwork.selectors import Week
from households.models import Household
from tests.factories import HouseholdFactory, UserFactory, assessed_household

FINDINGS = {"energy_label": "E", "glazing": "single", "roof_insulation": "none", "floor_insulation": "none",
            "wall_insulation": "partly", "advised_measure": "floor", "advice": "Vloerisolatie."}


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def week():
    return Week.of(timezone.localdate()).previous


@pytest.fixture
def households(programme, handyman, handyman2, week):
    monday, wednesday = week.days[0], week.days[2]
    a, b, c, d = (assessed_household(handyman) for _ in range(4))
    intake = services.plan_visit(a, by=handyman, planned_at=at(monday, 10))
    services.record_intake(intake, by=handyman, findings=FINDINGS, done_at=at(monday, 11))
    services.plan_visit(a, by=handyman, planned_at=at(wednesday, 9))
    services.plan_visit(b, by=handyman, planned_at=at(wednesday, 14))
    services.plan_visit(d, by=handyman, planned_at=at(week.shifted(2).days[1], 10))
    HouseholdFactory(closed=True, handyman=handyman)
    other = assessed_household(handyman2)
    return {"a": a, "b": b, "c": c, "d": d, "other": other}


def figures_of(user, week):
    return next(row for row in selectors.workload(week) if row.handyman == user)


# --- The figures ---------------------------------------------------------------------------------------------


def test_the_week_counts_the_visits_planned_per_day_and_those_done(households, handyman, week):
    figures = figures_of(handyman, week)

    assert figures.planned_per_day == (1, 0, 2, 0, 0, 0, 0)
    assert figures.planned == 3
    assert figures.done == 1


def test_the_households_count_the_active_ones_those_without_a_next_visit_and_the_open_trajectories(
        households, handyman, handyman2, week):
    figures = figures_of(handyman, week)

    assert (figures.households, figures.without_next_visit, figures.open_trajectories) == (4, 1, 4)
    assert (figures_of(handyman2, week).households, figures_of(handyman2, week).without_next_visit) == (1, 1)


def test_the_coming_four_weeks_count_the_visits_from_the_weeks_monday(households, handyman, week):
    assert figures_of(handyman, week).coming_weeks == 4
    assert figures_of(handyman, week.next).coming_weeks == 1  # only D's intake is after last week


def test_a_finished_trajectory_is_neither_open_nor_without_a_next_visit(programme, handyman, week):
    household = assessed_household(handyman)
    for kind in Visit.ORDER:
        Visit.objects.create(household=household, kind=kind, handyman=handyman, planned_at=at(week.days[0], 9),
                             done_at=at(week.days[0], 10))

    figures = figures_of(handyman, week)

    assert (figures.households, figures.without_next_visit, figures.open_trajectories) == (1, 0, 0)
    assert figures.done == 3


def test_an_inactive_user_or_one_without_the_handyman_role_has_no_row(households, handyman, handyman2, week,
                                                                      community_worker):
    handyman2.is_active = False
    handyman2.save()

    assert [row.handyman for row in selectors.workload(week)] == [handyman]


def test_another_week_is_read_from_the_address_and_a_wrong_one_means_this_week():
    today = datetime.date(2025, 3, 5)

    assert Week.parse("2025-W03", today=today).monday == datetime.date(2025, 1, 13)
    assert Week.parse("2026-W53", today=today).iso == "2026-W53"
    assert Week.parse("2025-W53", today=today).monday == datetime.date(2025, 3, 3)  # 2025 has 52 weeks
    assert Week.parse("gisteren", today=today).monday == datetime.date(2025, 3, 3)
    assert Week.parse("1900-W01", today=today).monday == datetime.date(2025, 3, 3)
    assert Week.parse("2025-W01", today=today).previous.iso == "2024-W52"


# --- The pages -----------------------------------------------------------------------------------------------


def test_the_coordinator_sees_each_handymans_week_with_its_numbers(client, coordinator, households, handyman, week):
    client.force_login(coordinator)

    response = client.get(reverse("fieldwork:workload"), {"week": week.iso})

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Week {week.number}" in page
    assert reverse("fieldwork:handyman_week", args=[handyman.pk]) + f"?week={week.iso}" in page
    assert f"?week={week.previous.iso}" in page and f"?week={week.next.iso}" in page
    rows = {row["figures"].handyman: row for row in response.context["rows"]}
    assert [bar["count"] for bar in rows[handyman]["bars"]] == [1, 0, 2, 0, 0, 0, 0]
    assert "maandag:</span> <strong>1</strong>" in page  # the chart's numbers, read out with the day


def test_the_workload_page_reads_the_same_number_of_queries_for_more_handymen_and_visits(
        client, coordinator, households, handyman, week, roles, django_assert_max_num_queries):
    client.force_login(coordinator)
    url = reverse("fieldwork:workload") + f"?week={week.iso}"
    client.get(url)  # the session and the content types are cached after the first request
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(3):
        extra = UserFactory(role="handyman")
        for day in week.days[:3]:
            services.plan_visit(assessed_household(extra), by=coordinator, planned_at=at(day, 10))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 5


def test_one_handymans_week_lists_his_visits_per_day_and_his_households_to_reassign(
        client, coordinator, households, handyman, week, django_assert_max_num_queries):
    client.force_login(coordinator)
    url = reverse("fieldwork:handyman_week", args=[handyman.pk]) + f"?week={week.iso}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    more = [assessed_household(handyman) for _ in range(3)]
    for household in more:
        services.plan_visit(household, by=coordinator, planned_at=at(week.days[4], 10))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    page = response.content.decode()
    a, c = households["a"], households["c"]
    assert response.context["visit_count"] == 6 and response.context["done_count"] == 1
    assert a.reference in page and a.dwelling.address_line in page
    assert "gedaan" in page and "niet gedaan" in page
    assert reverse("fieldwork:reassign", args=[c.pk]) + f"?week={week.iso}" in page
    assert "geen volgend bezoek gepland" in page
    assert [household.reference for household in response.context["households"]] == sorted(
        household.reference for household in (a, households["b"], c, households["d"], *more))


def test_the_coordinators_start_page_shows_this_weeks_visits_per_handyman(client, coordinator, handyman,
                                                                          programme):
    household = assessed_household(handyman)
    services.plan_visit(household, by=handyman, planned_at=at(timezone.localdate(), 12))
    client.force_login(coordinator)

    page = client.get(reverse("accounts:start")).content.decode()

    assert "Bezoeken deze week" in page
    assert "1 bezoek, 0 gedaan" in page
    assert reverse("fieldwork:workload") in page  # the navigation and the section's button


def test_the_handymans_start_page_has_no_workload(client, handyman):
    client.force_login(handyman)

    page = client.get(reverse("accounts:start")).content.decode()

    assert "Bezoeken deze week" not in page
    assert reverse("fieldwork:workload") not in page


# --- Reassigning ---------------------------------------------------------------------------------------------


def test_reassigning_moves_the_planned_visits_and_leaves_the_done_ones(client, coordinator, households, handyman,
                                                                       handyman2, week):
    a = households["a"]
    client.force_login(coordinator)

    response = client.post(reverse("fieldwork:reassign", args=[a.pk]) + f"?week={week.iso}",
                           {"handyman": handyman2.pk, "note": "Klusser is ziek"})

    assert response.status_code == 302
    assert response.url == reverse("fieldwork:handyman_week", args=[handyman.pk]) + f"?week={week.iso}"
    a.refresh_from_db()
    assert a.handyman == handyman2
    visits = {visit.kind: visit.handyman for visit in a.visits.all()}
    assert visits == {Visit.Kind.INTAKE: handyman, Visit.Kind.INSTALLATION: handyman2}
    assert figures_of(handyman2, week).planned_per_day == (0, 0, 1, 0, 0, 0, 0)


def test_reassigning_records_who_when_and_the_note(coordinator, households, handyman, handyman2):
    before = timezone.now()

    services.reassign(households["a"], by=coordinator, handyman=handyman2, note="Klusser is ziek")

    event = AuditEvent.objects.for_object(households["a"]).get(action="fieldwork.reassigned")
    assert (event.actor, event.note) == (coordinator, "Klusser is ziek")
    assert before <= event.at <= timezone.now()
    assert event.data == {"handyman": handyman2.pk, "previous_handyman": handyman.pk, "visits_moved": 1}


@pytest.mark.parametrize(("choice", "message"), [
    (lambda people: "", "Kies de klusser die het overneemt."),
    (lambda people: people["community"].pk, "Kies een actieve energieklusser uit de lijst."),
    (lambda people: people["handyman"].pk, "Kies een andere klusser dan"),
])
def test_bad_input_changes_nothing(client, users_by_role, households, choice, message):
    a = households["a"]
    client.force_login(users_by_role["coordinator"])

    response = client.post(reverse("fieldwork:reassign", args=[a.pk]), {"handyman": choice(users_by_role)})

    assert response.status_code == 200
    assert message in response.content.decode()
    a.refresh_from_db()
    assert a.handyman == users_by_role["handyman"]
    assert set(a.visits.values_list("handyman__username", flat=True)) == {"handyman"}
    assert not AuditEvent.objects.filter(action="fieldwork.reassigned").exists()


def test_the_service_refuses_a_user_without_the_handyman_role_or_nobody(coordinator, community_worker, households):
    for nobody_fit in (community_worker, None):
        with pytest.raises(Refused) as refused:
            services.reassign(households["a"], by=coordinator, handyman=nobody_fit)
        assert refused.value.field == "handyman"
    households["a"].refresh_from_db()
    assert households["a"].handyman.username == "handyman"


def test_only_the_coordinator_reassigns(handyman, handyman2, households):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.reassign(households["a"], by=handyman, handyman=handyman2)


def test_several_households_are_reassigned_at_once(client, coordinator, households, handyman, handyman2, week):
    a, b = households["a"], households["b"]
    client.force_login(coordinator)

    response = client.post(reverse("fieldwork:reassign_many", args=[handyman.pk]) + f"?week={week.iso}",
                           {"households": [a.pk, b.pk], "handyman": handyman2.pk, "note": "Verhuizing"})

    assert response.status_code == 302
    assert set(Household.objects.filter(handyman=handyman2).values_list("pk", flat=True)) == {
        a.pk, b.pk, households["other"].pk}
    assert AuditEvent.objects.filter(action="fieldwork.reassigned", note="Verhuizing").count() == 2
    assert figures_of(handyman2, week).planned_per_day == (0, 0, 2, 0, 0, 0, 0)


def test_a_refusal_for_one_household_reassigns_none(client, coordinator, households, handyman, handyman2,
                                                    monkeypatch):
    a, b = households["a"], households["b"]
    calls = []
    reassign = services.reassign

    def refuse_the_second(household, **kwargs):
        calls.append(household.pk)
        if len(calls) == 2:
            raise Refused("Dit huishouden kan nu niet.", field="households")
        return reassign(household, **kwargs)

    monkeypatch.setattr(services, "reassign", refuse_the_second)
    client.force_login(coordinator)

    response = client.post(reverse("fieldwork:reassign_many", args=[handyman.pk]),
                           {"households": [a.pk, b.pk], "handyman": handyman2.pk})

    assert response.status_code == 200
    assert "Er is niets herverdeeld." in response.content.decode()
    assert "Dit huishouden kan nu niet." in response.content.decode()
    assert len(calls) == 2
    assert not Household.objects.filter(pk__in=[a.pk, b.pk], handyman=handyman2).exists()
    assert not Visit.objects.filter(handyman=handyman2).exists()
    assert not AuditEvent.objects.filter(action__in=["fieldwork.reassigned", "assigned"],
                                         object_id__in=[str(a.pk), str(b.pk)], actor=coordinator).exists()


def test_reassigning_several_refuses_a_household_that_is_not_his_and_nothing_changes(
        client, coordinator, households, handyman, handyman2):
    a, other = households["a"], households["other"]
    client.force_login(coordinator)

    response = client.post(reverse("fieldwork:reassign_many", args=[handyman.pk]),
                           {"households": [a.pk, other.pk], "handyman": handyman2.pk})

    assert response.status_code == 200
    assert "Een gekozen huishouden is niet meer van hem; laad de pagina opnieuw." in response.content.decode()
    a.refresh_from_db()
    assert a.handyman == handyman


def test_reassigning_several_without_a_selection_or_a_handyman_says_so(client, coordinator, households, handyman):
    client.force_login(coordinator)

    response = client.post(reverse("fieldwork:reassign_many", args=[handyman.pk]), {})

    page = response.content.decode()
    assert "Kies de huishoudens om te herverdelen." in page
    assert "Kies de klusser die het overneemt." in page
    assert not AuditEvent.objects.filter(action="fieldwork.reassigned").exists()
