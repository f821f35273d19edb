"""Every form page links its help texts and error messages to their fields: each id in an aria-describedby exists.

Django points a field's aria-describedby at `<id>_helptext` (and `<id>_error` when it has errors); the
templates that render fields (components/field.html and those rendering fields by hand) must give the
help text and the errors those ids. Each page is rendered empty and after a post with errors.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from budget.models import BudgetLine
from budget.services import commit
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


class DescribedBy(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.described_by: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for target in (attributes.get("aria-describedby") or "").split():
            self.described_by.append((attributes.get("name") or tag, target))


def references(html: str) -> tuple[int, list[tuple[str, str]]]:
    """How many aria-describedby references the page has, and those that point at nothing."""
    parser = DescribedBy()
    parser.feed(html)
    return len(parser.described_by), [(name, target) for name, target in parser.described_by
                                      if target not in parser.ids]


@pytest.fixture
def pages(programme, coordinator, finance_officer, assessor):
    grants_line = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.GRANTS)
    household = HouseholdFactory(programme=programme, registered_by=coordinator)
    closed = HouseholdFactory(programme=programme, registered_by=coordinator, status="closed")
    entry = commit(grants_line, "100.00", by=assessor, note="HIL-00001")
    return [
        (None, reverse("eligibility:self_check"), {"net_monthly_income": "veel"}),
        (None, reverse("eligibility:diy_calculator"), None),
        (coordinator, reverse("households:create"), {"net_monthly_income": "13000,00"}),
        (coordinator, reverse("households:edit", args=[household.pk]), {"net_monthly_income": "13000,00"}),
        (coordinator, reverse("households:consent", args=[household.pk]), {"given_on": "x"}),
        (coordinator, reverse("households:assign", args=[household.pk]), {"handyman": "x"}),
        (coordinator, reverse("households:close", args=[household.pk]), {}),
        (coordinator, reverse("households:reopen", args=[closed.pk]), {}),
        (coordinator, reverse("households:import"), {}),
        (coordinator, reverse("households:list") + "?q=x", None),
        (finance_officer, reverse("budget:ledger", args=[grants_line.pk]) + "?date_from=x", None),
        (finance_officer, reverse("budget:book_expenditure", args=[grants_line.pk]), {"amount": "1.385"}),
        (finance_officer, reverse("budget:reverse_entry", args=[entry.pk]), {}),
        (coordinator, reverse("budget:reallocate", args=[programme.slug]), {"amount": "x"}),
        (finance_officer, reverse("reports:programme") + "?starts_on=x&ends_on=2021-01-01", None),
    ]


def test_every_form_page_links_each_help_text_and_error_to_its_field(client, pages):
    described = 0
    for user, url, post in pages:
        if user:
            client.force_login(user)
        else:
            client.logout()
        responses = [client.get(url)] + ([client.post(url.split("?")[0], post)] if post is not None else [])
        for response in responses:
            assert response.status_code == 200, (url, response.status_code)
            count, dangling = references(response.content.decode())
            assert dangling == [], url
            described += count
    assert described >= 20  # help texts and errors on most pages


def test_a_help_text_has_the_id_django_points_at(client, coordinator, programme):
    client.force_login(coordinator)

    html = client.get(reverse("households:create")).content.decode()

    assert 'aria-describedby="id_reference_helptext"' in html
    assert 'id="id_reference_helptext"' in html
