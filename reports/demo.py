"""Demo data: three saved "wat als" scenarios for the coordinator to compare side by side (never in production;
see accounts.demo). Run after the other apps' demo data, on their register. Idempotent: does nothing when the
programme already has saved scenarios."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from budget.models import Programme
from reports.models import Scenario
from reports.scenarios import ScenarioValues, save_scenario

PROGRAMME = "hilversum-2022"
SCENARIOS = [  # name, income percentage, worst label that does not qualify, maximum grant
    ("Inkomensgrens 150%", "150", "B", "5000.00"),
    ("Label D of slechter", "130", "C", "5000.00"),
    ("Grote subsidie € 7.000", "130", "B", "7000.00"),
]


def load() -> None:
    programme = Programme.objects.filter(slug=PROGRAMME).first()
    if programme is None or Scenario.objects.filter(programme=programme).exists():
        return
    coordinator = get_user_model().objects.get(username="coordinator")
    for name, percentage, label, maximum in SCENARIOS:
        values = ScenarioValues(income_percentage=Decimal(percentage), worst_non_qualifying_label=label,
                                max_large_grant=Decimal(maximum))
        save_scenario(programme, values, name=name, by=coordinator)
