"""The register at a large city's scale (issue 10): its pages are served by indexes, not by reading every household.

The plan tests run on PostgreSQL (skipped on SQLite): with sequential scans and sorts priced out (a table of a
few rows is otherwise read whole), the plan must name the index, which shows the index exists and that the
query's conditions and order are ones it answers.
"""

import pytest
from django.db import connection
from django.urls import reverse

from households.models import Household
from households.selectors import HouseholdPaginator, household_counts, households_visible_to, search_households
from tests.factories import HouseholdFactory

TRIGRAM_INDEXES = ["household_contact_name_trgm", "household_reference_trgm", "dwelling_street_trgm",
                   "dwelling_postcode_trgm"]


def plan_of(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    return queryset.explain()


def first_page(queryset):
    return HouseholdPaginator(queryset, 25).get_page(1).object_list


@pytest.mark.parametrize("q", ["122", "Jansen", "HIL-0004"])
def test_the_search_is_answered_by_the_trigram_indexes_on_both_sides(postgres_required, programme, q):
    HouseholdFactory.create_batch(3, programme=programme)
    searched = search_households(households_visible_to_all(), q=q)

    plan = plan_of(searched)

    for index in TRIGRAM_INDEXES:
        assert index in plan


def test_a_postcode_area_is_found_by_the_postcode_index_from_its_start(postgres_required, programme):
    plan = plan_of(search_households(households_visible_to_all(), q="1221"))

    assert "Index Scan on dwelling_postcode " in plan and "~>=~ '1221'" in plan
    assert "dwelling_postcode_trgm" not in plan


@pytest.mark.django_db
def test_a_postcode_area_finds_what_a_search_anywhere_in_the_postcode_finds(programme):
    """Four digits are found from the postcode's start: the same households as a search anywhere in it."""
    wanted = [HouseholdFactory(programme=programme, dwelling__postcode=postcode).pk
              for postcode in ("1221 AB", "1221 ZZ")]
    by_reference = HouseholdFactory(programme=programme, reference="HIL-01221").pk
    for postcode in ("1212 AB", "1222 AB", "2122 AB"):
        HouseholdFactory(programme=programme, dwelling__postcode=postcode)

    found = set(search_households(households_visible_to_all(), q="1221").values_list("pk", flat=True))

    assert found == {*wanted, by_reference}


def test_a_postcode_with_house_number_is_found_by_the_postcode_index(postgres_required, programme):
    plan = plan_of(search_households(households_visible_to_all(), q="1221 CE 203"))

    assert "Index Scan on dwelling_postcode " in plan


@pytest.mark.parametrize(("sort", "index"), [
    ("", "household_newest_first"),
    ("name", "household_by_name"),
])
def test_a_page_of_the_register_is_read_from_the_index_of_its_order(postgres_required, programme, sort, index):
    HouseholdFactory.create_batch(3, programme=programme)

    plan = plan_of(first_page(search_households(households_visible_to_all(), sort=sort)))

    assert f"using {index} on households_household" in plan


def test_the_handymans_list_and_the_recently_changed_are_read_from_their_indexes(postgres_required, programme,
                                                                                 handyman):
    HouseholdFactory.create_batch(3, programme=programme, handyman=handyman)

    own_list = plan_of(first_page(households_visible_to(handyman)))
    recent = plan_of(Household.objects.exclude(status=Household.Status.CLOSED).order_by("-updated_at", "-pk")[:5])

    assert "household_handyman_newest" in own_list
    assert "household_recently_changed" in recent


def test_a_page_joins_the_dwelling_and_people_only_for_its_own_rows(postgres_required, programme):
    HouseholdFactory.create_batch(3, programme=programme, dwelling__postcode="1221 CE")

    plan = first_page(search_households(households_visible_to_all(), q="1221")).explain()

    # The page's 25 ids are chosen (Limit) below the joins, not after joining every match.
    assert plan.index("Limit") > plan.index("Join")


def test_the_pages_of_a_search_sorted_on_the_dwelling_follow_each_other(client, coordinator, programme):
    for number in range(30):
        HouseholdFactory(programme=programme, contact_name="Familie Smit", dwelling__postcode=f"12{number + 10} AB")
    client.force_login(coordinator)

    pages = [client.get(reverse("households:list"), {"q": "smit", "sort": "-postcode", "page": page})
             for page in (1, 2)]

    postcodes = [household.dwelling.postcode for page in pages for household in page.context["households"]]
    assert postcodes == [f"12{number + 10} AB" for number in reversed(range(30))]
    assert pages[0].context["page_obj"].paginator.count == 30


def test_the_start_page_counts_every_status_and_the_unassigned_in_one_query(coordinator, programme, handyman,
                                                                            django_assert_num_queries):
    HouseholdFactory(programme=programme)
    HouseholdFactory(programme=programme, active=True, handyman=handyman)
    HouseholdFactory(programme=programme, active=True)
    HouseholdFactory(programme=programme, closed=True)
    households_visible_to(coordinator)  # the user's roles, asked once (cached on the user)

    with django_assert_num_queries(1):
        counts = household_counts(coordinator)

    assert counts == {"registered": 1, "active": 2, "closed": 1, "total": 4, "without_handyman": 2}


def households_visible_to_all():
    return Household.objects.with_register_details()


@pytest.mark.django_db
def test_a_searched_list_is_counted_in_the_query_that_chooses_its_page(programme, django_assert_num_queries):
    HouseholdFactory.create_batch(30, programme=programme, dwelling__postcode="1221 AB")
    HouseholdFactory.create_batch(5, programme=programme, dwelling__postcode="1400 AB")
    searched = search_households(households_visible_to_all(), q="1221")
    apart = HouseholdPaginator(searched, 25)

    with django_assert_num_queries(2) as queries:  # the page's ids with the count, then their details
        second = HouseholdPaginator(searched, 25, count_with_page=True).get_page(2)
        rows = [(household.pk, household.dwelling.postcode) for household in second]

    assert "COUNT(" in queries.captured_queries[0]["sql"] and "OVER ()" in queries.captured_queries[0]["sql"]

    assert (second.paginator.count, second.number, len(rows), second.has_next()) == (30, 2, 5, False)
    assert rows == [(household.pk, household.dwelling.postcode) for household in apart.get_page(2)]
    assert [household.pk for household in HouseholdPaginator(searched, 25, count_with_page=True).get_page(1)] == [
        household.pk for household in apart.get_page(1)]
    beyond = HouseholdPaginator(searched, 25, count_with_page=True).get_page(9)
    assert (beyond.number, len(beyond)) == (2, 5)  # past the end: the last page, as Django's paginator answers
    assert HouseholdPaginator(searched, 25, count_with_page=True).get_page("x").number == 1
    nothing = HouseholdPaginator(search_households(households_visible_to_all(), q="Zwolle"), 25, count_with_page=True)
    assert (nothing.get_page(1).paginator.count, len(nothing.get_page(1))) == (0, 0)
