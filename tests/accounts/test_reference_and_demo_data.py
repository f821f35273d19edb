from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Sum

from accounts.roles import Role, roles_of
from budget.models import BudgetLine, FundingSource, Programme

pytestmark = pytest.mark.django_db


def test_the_hilversum_programme_has_its_seven_budget_lines_totalling_1_950_000(programme):
    lines = BudgetLine.objects.filter(programme=programme)

    assert lines.count() == 7
    assert lines.aggregate(total=Sum("allocated"))["total"] == Decimal("1950000.00")
    assert lines.get(kind=BudgetLine.Kind.GRANTS).allocated == Decimal("600000.00")
    assert programme.target_households == 1500
    assert programme.target_large_measures == 200


def test_the_funding_sources_add_up_to_the_budget(programme):
    total = FundingSource.objects.filter(programme=programme).aggregate(total=Sum("amount"))["total"]

    assert total == Decimal("1950000.00")


def test_loading_reference_data_twice_keeps_edits(programme):
    programme.target_households = 1600
    programme.save()

    call_command("load_reference_data", verbosity=0)

    assert Programme.objects.get(slug="hilversum-2022").target_households == 1600


def test_demo_data_creates_one_user_per_role_with_password_demo(settings):
    settings.DEBUG = True
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)  # idempotent

    expected = {"handyman": Role.HANDYMAN, "handyman2": Role.HANDYMAN, "community": Role.COMMUNITY_WORKER,
                "assessor": Role.ASSESSOR, "assessor2": Role.ASSESSOR, "finance": Role.FINANCE_OFFICER,
                "finance2": Role.FINANCE_OFFICER, "coordinator": Role.COORDINATOR}
    for username, role in expected.items():
        user = authenticate(username=username, password="demo")
        assert user is not None, username
        assert roles_of(user) == [role]
