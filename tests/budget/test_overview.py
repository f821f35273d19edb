import pytest
from django.urls import reverse

from budget.services import commit, spend_direct

pytestmark = pytest.mark.django_db


def test_the_overview_shows_a_bar_per_line_and_the_totals_against_funding(client, programme, grants_line,
                                                                          assessor, finance_officer):
    commit(grants_line, "3000.00", by=assessor)
    spend_direct(grants_line, "1000.00", by=finance_officer)
    client.force_login(finance_officer)

    page = client.get(reverse("budget:overview")).content.decode()

    assert page.count('class="stacked-bar-svg"') == 8  # seven lines and the total
    assert "Eenmalige grote isolatiemaatregel" in page
    assert "€\xa01.950.000,00" in page  # allocated and funded
    assert "uitgegeven €\xa01.000,00, verplicht €\xa03.000,00" in page  # text for screen readers
    assert 'class="month-bar"' in page


def test_bar_widths_are_written_with_a_decimal_point_even_in_dutch(client, programme, grants_line, finance_officer):
    spend_direct(grants_line, "1000.00", by=finance_officer)  # 0.17 % of €600,000
    client.force_login(finance_officer)

    page = client.get(reverse("budget:overview")).content.decode()

    assert 'width="0.17"' in page


def test_the_overview_without_spending_says_so(client, programme, assessor):
    client.force_login(assessor)

    page = client.get(reverse("budget:overview")).content.decode()

    assert "Er is nog niets uitgegeven." in page


def test_the_overview_takes_the_same_number_of_queries_however_much_is_booked(
        client, programme, grants_line, handymen_line, assessor, finance_officer, django_assert_max_num_queries):
    client.force_login(finance_officer)
    client.get(reverse("budget:overview"))
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("budget:overview"))
    for month in range(1, 13):
        import datetime

        spend_direct(handymen_line, "100.00", by=finance_officer, booked_on=datetime.date(2023, month, 1))
        commit(grants_line, "100.00", by=assessor)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("budget:overview"))


def test_without_a_programme_the_overview_is_404(client, finance_officer):
    client.force_login(finance_officer)

    assert client.get(reverse("budget:overview")).status_code == 404
