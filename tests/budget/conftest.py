import pytest

from budget.models import BudgetLine


@pytest.fixture
def grants_line(programme):
    return BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.GRANTS)


@pytest.fixture
def products_line(programme):
    return BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.PRODUCTS)


@pytest.fixture
def handymen_line(programme):
    return BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.HANDYMEN)


@pytest.fixture
def small_line(grants_line):
    """The grants line cut down to €1,000, so that limits are easy to reach."""
    BudgetLine.objects.filter(pk=grants_line.pk).update(allocated="1000.00")
    grants_line.refresh_from_db()
    return grants_line
