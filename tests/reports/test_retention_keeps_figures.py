"""Anonymisation keeps the figures (issue 14, "Tests"): the programme report's totals are the same before and
after the households behind them lost their personal data, whatever they had: visits, a products package, a paid
or a rejected application."""

import datetime

from django.utils import timezone

from fieldwork.models import Visit
from households.models import Household
from households.retention import anonymise_household
from reports.selectors import programme_figures
from subsidy import packages
from tests.factories import HouseholdFactory, application_in, assessed_household, product

NOW = timezone.now()


def test_the_programme_reports_totals_are_unchanged_after_anonymisation(people, programme,
                                                                         django_capture_on_commit_callbacks):
    handyman = people["handyman"]
    equipped = assessed_household(handyman)
    package = packages.propose(equipped, by=handyman, items={product("LED-lamp").pk: 4,
                                                             product("Radiatorfolie").pk: 1})
    packages.install(package, by=handyman, quantities={item.product_id: item.quantity
                                                       for item in package.items.all()})
    Visit.objects.create(household=equipped, kind="intake", handyman=handyman, planned_at=NOW, done_at=NOW,
                         notes="Mevrouw heeft het koud.")
    paid = application_in("paid", people).household
    rejected = application_in("rejected", people).household
    HouseholdFactory(programme=programme, closed=True)
    Household.objects.filter(pk__in=[equipped.pk, paid.pk, rejected.pk]).update(status="closed", closed_at=NOW)
    today = timezone.localdate()
    period = (today - datetime.timedelta(days=60), today)
    before = programme_figures(programme, *period)
    assert (before.reach.households, before.packages.dwellings, before.large_measures.paid) == (4, 1, 1)

    with django_capture_on_commit_callbacks(execute=True):
        for household in Household.objects.filter(status="closed"):
            anonymise_household(household, now=NOW, reason="erasure")

    assert Household.objects.filter(anonymised_at__isnull=False).count() == 4
    assert programme_figures(programme, *period) == before
