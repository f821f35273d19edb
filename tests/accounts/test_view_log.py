"""The view log ("Wie keek?"): append-only in the model, the queryset and the database; the coordinator's page."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.db.models.query import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.append_only import AppendOnlyError
from accounts.models import ViewLog
from accounts.viewlog_views import PAGE_SIZE

pytestmark = pytest.mark.django_db

URL = reverse("accounts:view_log")


def looked(user, *, subject="household:1", label="HV-0001", kind=ViewLog.Kind.PAGE, what="households:detail",
           at=None) -> ViewLog:
    return ViewLog.objects.create(user=user, subject_key=subject, subject_label=label, kind=kind, what=what,
                                  path="/households/1/", at=at or timezone.now())


@pytest.fixture
def row(handyman):
    return looked(handyman)


def test_the_model_refuses_to_save_a_row_again_or_delete_it(row):
    row.what = "something else"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()


def test_the_queryset_refuses_update_and_delete(row):
    with pytest.raises(AppendOnlyError):
        ViewLog.objects.filter(pk=row.pk).update(what="x")
    with pytest.raises(AppendOnlyError):
        ViewLog.objects.filter(pk=row.pk).delete()

    assert ViewLog.objects.get(pk=row.pk).what == "households:detail"


@pytest.mark.parametrize("statement", [
    "UPDATE accounts_viewlog SET what = 'x' WHERE id = %s",
    "DELETE FROM accounts_viewlog WHERE id = %s",
])
def test_the_database_refuses_to_change_or_delete_a_row(row, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [row.pk])

    assert ViewLog.objects.get(pk=row.pk).what == "households:detail"


def test_an_update_that_slips_past_the_model_is_refused_by_the_database(row):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        QuerySet.update(ViewLog.objects.filter(pk=row.pk), what="x")


def test_the_admin_does_not_offer_the_view_log_for_changing():
    registered = site._registry.get(ViewLog)
    if registered is None:
        return  # not in the admin at all: the page is the coordinator's only view of it
    assert not registered.has_add_permission(None)
    assert not registered.has_change_permission(None)
    assert not registered.has_delete_permission(None)


def test_the_coordinator_sees_who_looked_newest_first(client, coordinator, handyman, assessor):
    looked(handyman, label="HV-0001", at=timezone.now() - datetime.timedelta(hours=2))
    looked(assessor, label="HV-0002", subject="household:2", what="subsidy:document 7 (quote)",
           kind=ViewLog.Kind.DOCUMENT)
    client.force_login(coordinator)

    page = client.get(URL).content.decode()

    assert page.index("HV-0002") < page.index("HV-0001")
    assert "subsidy:document 7 (quote)" in page
    assert handyman.username in page or handyman.get_full_name() in page


def test_the_filters_narrow_the_rows(client, coordinator, handyman, assessor):
    long_ago = timezone.now() - datetime.timedelta(days=40)
    looked(handyman, label="HV-0001", at=long_ago)
    looked(handyman, label="HV-0002", subject="household:2", kind=ViewLog.Kind.LETTER)
    looked(assessor, label="HV-0003", subject="household:3")
    client.force_login(coordinator)

    def shown(**query):
        page = client.get(URL, query).content.decode()
        return {label for label in ("HV-0001", "HV-0002", "HV-0003") if label in page}

    assert shown(user=handyman.pk) == {"HV-0001", "HV-0002"}
    assert shown(subject="household:3") == {"HV-0003"}
    assert shown(subject_label="HV-0001") == {"HV-0001"}
    assert shown(kind="letter") == {"HV-0002"}
    assert shown(date_from=(timezone.localdate() - datetime.timedelta(days=1)).isoformat()) == {"HV-0002", "HV-0003"}
    assert shown(date_to=(timezone.localdate() - datetime.timedelta(days=30)).isoformat()) == {"HV-0001"}


def test_a_wrong_period_is_said_on_its_field_and_shows_nothing(client, coordinator, handyman):
    looked(handyman)
    client.force_login(coordinator)

    response = client.get(URL, {"date_from": "2026-02-01", "date_to": "2026-01-01"})

    assert response.status_code == 200
    assert "HV-0001" not in response.content.decode()
    assert response.context["filters"].errors["date_to"]


@pytest.mark.parametrize(("field", "day"), [("date_to", "9999-12-31"), ("date_from", "0001-01-01")])
def test_a_date_out_of_range_is_said_on_its_field(client, coordinator, handyman, field, day):
    looked(handyman)
    client.force_login(coordinator)

    response = client.get(URL, {field: day})

    assert response.status_code == 200
    assert response.context["filters"].errors[field]
    assert "HV-0001" not in response.content.decode()


@pytest.mark.parametrize("cursor", ["2026-01-01T00:00:00+00:00_99999999999999999999", "x_1", "2026-01-01_-5"])
def test_a_tampered_cursor_shows_the_newest_page(client, coordinator, handyman, cursor):
    looked(handyman)
    client.force_login(coordinator)

    response = client.get(URL, {"older_than": cursor})

    assert response.status_code == 200
    assert "HV-0001" in response.content.decode()


def test_the_pages_follow_on_from_where_the_last_ended(client, coordinator, handyman):
    start = timezone.now() - datetime.timedelta(days=1)
    rows = [looked(handyman, label=f"HV-{n:04d}", at=start + datetime.timedelta(minutes=n))
            for n in range(PAGE_SIZE + 5)]
    client.force_login(coordinator)

    first = client.get(URL).context["page"]
    second = client.get(URL, {"older_than": first.older}).context["page"]

    assert [row.pk for row in first.rows] == [row.pk for row in reversed(rows)][:PAGE_SIZE]
    assert [row.pk for row in second.rows] == [row.pk for row in reversed(rows)][PAGE_SIZE:]
    assert second.older is None


def test_the_page_asks_the_same_number_of_queries_however_many_rows(client, coordinator, handyman, assessor,
                                                                     django_assert_max_num_queries):
    looked(handyman)
    client.force_login(coordinator)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for n in range(30):
        looked(assessor if n % 2 else handyman, label=f"HV-{n:04d}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)


def test_the_household_page_links_the_coordinator_to_who_looked_at_it(client, coordinator, handyman, programme):
    from tests.factories import HouseholdFactory

    household = HouseholdFactory(programme=programme, handyman=handyman)
    link = f'{URL}?subject=household:{household.pk}'

    client.force_login(coordinator)
    assert link in client.get(reverse("households:detail", args=[household.pk])).content.decode()
    client.force_login(handyman)
    assert link not in client.get(reverse("households:detail", args=[household.pk])).content.decode()


def test_the_coordinator_finds_the_page_in_the_navigation(client, coordinator, handyman):
    client.force_login(coordinator)
    assert URL in client.get(reverse("accounts:start")).content.decode()
    client.force_login(handyman)
    assert URL not in client.get(reverse("accounts:start")).content.decode()
