"""The demo data shows retention (issue 14, "Done when"): after `make run`, `manage.py anonymise_expired --dry-run`
lists the household closed more than 24 months ago, -v 2 the one a paid application keeps, and the real run
anonymises the first with the programme report's totals unchanged."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from households.models import Household
from households.retention import ANONYMISED
from reports.selectors import programme_figures

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = StringIO()
    call_command("anonymise_expired", *args, stdout=out, **options)
    return out.getvalue()


def test_the_demo_has_a_household_to_anonymise_and_one_kept_for_the_financial_term(settings, programme):
    settings.DEBUG = True
    call_command("load_demo_data", verbosity=0)
    expired = Household.objects.get(programme=programme, contact_name="Dhr. B. Verhoef")
    kept = Household.objects.get(programme=programme, contact_name="Dhr. W. de Groot")
    today = timezone.localdate()
    period = (today - datetime.timedelta(days=1200), today)
    before = programme_figures(programme, *period)

    dry_run = run("--dry-run", verbosity=2)

    assert f"would anonymise {expired.reference} (hilversum-2022)" in dry_run
    assert f"kept {kept.reference} (hilversum-2022)" in dry_run and "kept until 20" in dry_run
    assert "1 household(s) would be anonymised; 1 kept longer." in dry_run

    assert "1 household(s) anonymised" in run()
    expired.refresh_from_db()
    assert expired.contact_name == ANONYMISED
    assert programme_figures(programme, *period) == before
