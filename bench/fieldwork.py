"""Field work at a city's scale (issue 12): the three visits and a products package for the households reached.

Written in bulk (`accounts.bulk.insert_rows`) with the values the services would have given them. Of the active
households with a handyman: about half have all three visits done and an installed package (three products, some
installing fewer than approved, a few above the limit with a coordinator's reason); a fifth are mid-way (intake
done, package approved, the installation planned in the coming weeks — some today); a tenth have only their intake
planned; one in a hundred has a package waiting for the coordinator. The ledger is not touched (the bench's ledger
has its own products spending); the pages that read visits and packages — the agenda, the workload, the package
figures and queue, the household page, the API — are what is measured.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from accounts.bulk import insert_rows
from bench.bulk import next_id, reset_sequence
from budget.models import Programme
from fieldwork.models import Visit
from households.models import Household
from subsidy.models import Package, PackageItem
from subsidy.packages import catalogue

P = Package.Status
LIMIT = Decimal("330.00")


def write_fieldwork(programme: Programme, staff, rng: random.Random, *, say) -> int:
    households = list(Household.objects.filter(programme=programme, status=Household.Status.ACTIVE)
                      .exclude(handyman=None).order_by("pk").values("pk", "handyman_id"))
    products = [(product.pk, product.tier, product.price)
                for product in catalogue(programme, datetime.date(2022, 1, 1)).filter(tier="small")]
    products += [(product.pk, product.tier, product.price)
                 for product in catalogue(programme, datetime.date(2022, 1, 1)).filter(tier="medium")]
    assert products and all(price for _pk, _tier, price in products), "the bench needs the product catalogue"
    now = timezone.now()
    today_at = timezone.localtime(now).replace(hour=9, minute=0, second=0, microsecond=0)
    visit_id, package_id, item_id = next_id(Visit), next_id(Package), next_id(PackageItem)
    visits, packages, items = [], [], []

    def visit(household, kind, planned_at, done=False):
        visits.append({"id": visit_id + len(visits), "household_id": household["pk"], "kind": kind,
                       "handyman_id": household["handyman_id"], "planned_at": planned_at,
                       "mode": "by_phone" if kind == "evaluation" and rng.random() < 0.5 else "at_home",
                       "done_at": planned_at if done else None, "notes": "", "planned_by_id": household["handyman_id"],
                       "created_at": planned_at, "updated_at": planned_at})

    def package(household, status, proposed_at):
        waiting = status == P.OVERRIDE_REQUESTED
        chosen = rng.sample([p for p in products if p[1] == "medium"] if waiting else products, 3)
        lines = [(pk, tier, price, 8 if waiting else rng.randint(1, 4)) for pk, tier, price in chosen]
        value = sum((price * quantity for _pk, _tier, price, quantity in lines), Decimal("0.00"))
        installed = None
        number = package_id + len(packages)
        for pk, tier, price, quantity in lines:
            done = quantity - (1 if status == P.INSTALLED and quantity > 1 and rng.random() < 0.2 else 0)
            items.append({"id": item_id + len(items), "package_id": number, "product_id": pk, "tier": tier,
                          "unit_price": price, "quantity": quantity,
                          "installed_quantity": done if status == P.INSTALLED else None})
            if status == P.INSTALLED:
                installed = (installed or Decimal("0.00")) + price * done
        above = value > LIMIT
        packages.append({
            "id": number, "programme_id": programme.pk, "household_id": household["pk"], "status": status,
            "version": 1, "proposed_by_id": household["handyman_id"], "proposed_on": proposed_at.date(),
            "value": value, "limit": LIMIT, "received_before": Decimal("0.00"),
            "motivation": "Grote woning, veel radiatoren" if above else "",
            "decided_by_id": staff.coordinator.pk if above and status != P.OVERRIDE_REQUESTED else None,
            "decided_at": proposed_at if above and status != P.OVERRIDE_REQUESTED else None,
            "decision_reason": "Vier radiatoren op enkel glas" if above and status != P.OVERRIDE_REQUESTED else "",
            "commitment_id": None, "installed_value": installed,
            "installed_at": proposed_at + datetime.timedelta(days=14) if status == P.INSTALLED else None,
            "installed_by_id": household["handyman_id"] if status == P.INSTALLED else None, "cancel_reason": "",
            "created_at": proposed_at, "updated_at": proposed_at})

    for household in households:
        draw = rng.random()
        if draw < 0.5:  # all three visits done, package installed
            start = now - datetime.timedelta(days=rng.randint(60, 1200))
            visit(household, "intake", start, done=True)
            package(household, P.INSTALLED, start)
            visit(household, "installation", start + datetime.timedelta(days=14), done=True)
            visit(household, "evaluation", start + datetime.timedelta(days=60), done=True)
        elif draw < 0.7:  # mid-way: the installation is planned
            start = now - datetime.timedelta(days=rng.randint(3, 30))
            visit(household, "intake", start, done=True)
            package(household, P.APPROVED, start)
            visit(household, "installation", today_at + datetime.timedelta(days=rng.randint(0, 27),
                                                                           hours=rng.randint(0, 7)))
        elif draw < 0.8:  # the intake is planned
            visit(household, "intake", today_at + datetime.timedelta(days=rng.randint(0, 27), hours=rng.randint(0, 7)))
        elif draw < 0.81:  # above the limit, waiting for the coordinator
            start = now - datetime.timedelta(days=rng.randint(1, 10))
            visit(household, "intake", start, done=True)
            package(household, P.OVERRIDE_REQUESTED, start)
    insert_rows(Visit, visits, own_ids=True)
    insert_rows(Package, packages, own_ids=True)
    insert_rows(PackageItem, items, own_ids=True)
    for model in (Visit, Package, PackageItem):
        reset_sequence(model)
    say(f"  {len(visits):,} visits, {len(packages):,} products packages")
    return len(visits)

