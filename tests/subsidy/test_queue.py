"""The applications list, the assessor's queue and the queue on the start pages (issue 11)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from subsidy import selectors
from subsidy.models import Application
from tests.factories import ApplicationFactory, HouseholdFactory, application_in

S = Application.Status


def in_state(status, *, due_in=None, paused_days_ago=None, **fields) -> Application:
    """An application put straight into a state (for lists: the way there does not matter here)."""
    application = ApplicationFactory(**fields)
    today = timezone.localdate()
    changes = {"status": status}
    if due_in is not None:
        changes["decision_due_on"] = today + datetime.timedelta(days=due_in)
    if paused_days_ago is not None:
        changes.update(decision_due_on=None, suspended_since=today - datetime.timedelta(days=paused_days_ago))
    Application.objects.filter(pk=application.pk).update(**changes)
    application.refresh_from_db()
    return application


def rows(response) -> list[str]:
    """The references in the page's table, in order."""
    return [application.reference for application in response.context["applications"]]


def test_the_queue_lists_the_nearest_deadline_first_and_paused_ones_after_it(client, people):
    later = in_state(S.SUBMITTED, due_in=20)
    overdue = in_state(S.IN_REVIEW, due_in=-3)
    soon = in_state(S.SUBMITTED, due_in=5)
    paused = in_state(S.INFO_REQUESTED, paused_days_ago=4)
    in_state(S.APPROVED, due_in=1)
    in_state(S.DRAFT)
    client.force_login(people["assessor"])

    response = client.get(reverse("subsidy:queue"))

    assert rows(response) == [overdue.reference, soon.reference, later.reference, paused.reference]
    html = response.content.decode()
    assert "3 dagen te laat" in html
    assert "Nog 5 dagen" in html
    paused_on = (timezone.localdate() - datetime.timedelta(days=4)).strftime("%-d")
    assert f"Gepauzeerd sinds {paused_on}" in html


def test_the_queue_counts_per_state_overdue_and_due_soon(client, people):
    in_state(S.SUBMITTED, due_in=20)
    in_state(S.SUBMITTED, due_in=-1)
    in_state(S.IN_REVIEW, due_in=0)
    in_state(S.INFO_REQUESTED, paused_days_ago=1)
    in_state(S.REJECTED)
    client.force_login(people["assessor"])

    counts = client.get(reverse("subsidy:queue")).context["counts"]

    assert counts["by_status"][S.SUBMITTED] == 2
    assert counts["by_status"][S.IN_REVIEW] == 1
    assert counts["by_status"][S.INFO_REQUESTED] == 1
    assert counts["overdue"] == 1
    assert counts["due_soon"] == 1  # due today


def test_the_counts_are_one_query(people, django_assert_num_queries):
    in_state(S.SUBMITTED, due_in=3)
    in_state(S.APPROVED)

    visible = selectors.applications_visible_to(people["assessor"])

    with django_assert_num_queries(1):
        counts = selectors.application_counts(visible, timezone.localdate())

    assert counts["total"] == 2
    assert counts["by_status"][S.APPROVED] == 1


def test_the_list_filters_by_status_deadline_measure_route_and_search(client, people):
    overdue = in_state(S.IN_REVIEW, due_in=-2, applicant_name="Fatima el Amrani")
    soon = in_state(S.SUBMITTED, due_in=6, measure="floor")
    diy = in_state(S.APPROVED, diy=True, measure="floor")
    client.force_login(people["assessor"])
    url = reverse("subsidy:list")

    assert rows(client.get(url, {"status": "approved"})) == [diy.reference]
    assert rows(client.get(url, {"overdue": "on"})) == [overdue.reference]
    assert rows(client.get(url, {"due_soon": "on"})) == [soon.reference]
    assert set(rows(client.get(url, {"measure": "floor"}))) == {soon.reference, diy.reference}
    assert rows(client.get(url, {"route": "diy"})) == [diy.reference]
    assert rows(client.get(url, {"q": "amrani"})) == [overdue.reference]
    assert rows(client.get(url, {"q": soon.reference.lower()})) == [soon.reference]
    # A bad value in one filter is ignored; the others still apply.
    assert rows(client.get(url, {"status": "nonsense", "route": "diy"})) == [diy.reference]


def test_handymen_and_community_workers_see_only_their_households_applications(client, people):
    theirs = in_state(S.SUBMITTED, due_in=10, household=HouseholdFactory(
        active=True, handyman=people["handyman"], community_worker=people["community"]))
    in_state(S.SUBMITTED, due_in=10)

    for who in ("handyman", "community"):
        client.force_login(people[who])
        response = client.get(reverse("subsidy:list"))
        assert rows(response) == [theirs.reference], who
        assert response.context["counts"]["total"] == 1

    client.force_login(people["handyman2"])
    assert rows(client.get(reverse("subsidy:list"))) == []
    client.force_login(people["finance"])
    assert len(rows(client.get(reverse("subsidy:list")))) == 2


def test_the_list_reads_a_constant_number_of_queries(client, people, django_assert_max_num_queries):
    client.force_login(people["assessor"])
    for _ in range(5):
        in_state(S.SUBMITTED, due_in=3)

    with django_assert_max_num_queries(12) as few:
        assert len(rows(client.get(reverse("subsidy:list")))) == 5

    for _ in range(25):
        in_state(S.IN_REVIEW, due_in=-1, diy=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("subsidy:list"))
    assert len(rows(response)) == 25
    assert response.context["page_obj"].paginator.count == 30
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("subsidy:queue")).status_code == 200


def test_the_assessors_start_page_shows_the_queue_first_ten_by_deadline(client, people):
    applications = [in_state(S.SUBMITTED, due_in=days) for days in range(12, 0, -1)]
    in_state(S.IN_REVIEW, due_in=-4)
    client.force_login(people["assessor"])

    html = client.get(reverse("accounts:start")).content.decode()

    assert "Aanvragen die op een besluit wachten zullen hier verschijnen" not in html
    assert "Uw werkvoorraad" in html
    assert "4 dagen te laat" in html
    first = html.index(applications[-1].reference)  # due tomorrow
    assert first < html.index(applications[-2].reference)
    assert applications[1].reference not in html  # the eleventh and twelfth are on the queue page
    assert applications[0].reference not in html
    assert reverse("subsidy:queue") in html


def test_the_coordinators_start_page_shows_the_queues_counts(client, people):
    in_state(S.SUBMITTED, due_in=-1)
    in_state(S.INFO_REQUESTED, paused_days_ago=2)
    client.force_login(people["coordinator"])

    response = client.get(reverse("accounts:start"))

    html = response.content.decode()
    assert "Aanvragen die op een besluit wachten" in html
    assert reverse("subsidy:queue") in html


def test_the_navigation_offers_the_applications_to_every_role_and_the_queue_to_assessors(client, people):
    client.force_login(people["handyman"])
    html = client.get(reverse("accounts:start")).content.decode()
    assert f'href="{reverse("subsidy:list")}"' in html
    assert f'href="{reverse("subsidy:queue")}"' not in html

    client.force_login(people["assessor"])
    html = client.get(reverse("accounts:start")).content.decode()
    assert f'href="{reverse("subsidy:queue")}"' in html


def test_an_application_through_the_services_appears_in_the_queue_with_its_deadline(client, people):
    application = application_in("submitted", people)
    client.force_login(people["assessor"])

    response = client.get(reverse("subsidy:queue"))

    assert rows(response) == [application.reference]
    assert application.decision_due_on.strftime("%Y") in response.content.decode()
