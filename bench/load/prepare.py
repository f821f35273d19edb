"""`python -m bench.load.prepare --out users.json`: the load run's database and its 50 staff users.

Creates the database when it is missing (its name must contain "load": this adds users with a password written to a
file), migrates, loads the reference and demo data (run with DJANGO_DEBUG on: demo data refuses otherwise) and makes
the load users: 20 handymen with 5 households each (consent given, a community worker helping, the intake planned
this week), 10 community workers, 10 assessors, 5 finance officers and 5 coordinators, plus one account the abuse
run locks by guessing. Every run gives them a new random password (one hash for all) and, where their role needs a
second factor (settings.SECOND_FACTOR_ROLES), a new confirmed TOTP device; the throttle and lockout counts of an
earlier run are cleared from the cache. What the locust users need is written to --out as JSON.
"""

import argparse
import datetime
import io
import json
import os
import secrets
import sys

ROLES = [  # (role, how many, username prefix)
    ("handyman", 20, "load-handyman"),
    ("community_worker", 10, "load-community"),
    ("assessor", 10, "load-assessor"),
    ("finance_officer", 5, "load-finance"),
    ("coordinator", 5, "load-coordinator"),
]
HOUSEHOLDS_PER_HANDYMAN = 5
GUESSED = "load-guessed"  # the abuse run's wrong passwords lock this account, nobody else's
PROGRAMME = "hilversum-2022"
STATEMENT_VERSION = "2022-1"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load.prepare", description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="where to write the load users (JSON)")
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or "load" not in name:
        print("load: the run needs its own PostgreSQL database whose name contains 'load' "
              "(default postgres://postgres@127.0.0.1:5432/warmhuis_load).", file=sys.stderr)
        return 2
    _create_database_if_missing(connection)

    from django.core.management import call_command

    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("migrate", **quiet)
    call_command("createcachetable", **quiet)
    call_command("load_reference_data", **quiet)
    call_command("load_demo_data", **quiet)
    users = make_load_users()
    from django.core.cache import cache

    cache.clear()  # an earlier run's throttle and lockout counts
    with open(options.out, "w", encoding="utf-8") as out:
        json.dump(users, out)
    print(f"load: database {name} ready with {len(users['staff'])} load users.")
    return 0


def _create_database_if_missing(connection) -> None:
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(dbname="postgres", host=settings["HOST"] or None, port=settings["PORT"] or None,
                         user=settings["USER"] or None, password=settings["PASSWORD"] or None,
                         autocommit=True) as maintenance:
        if maintenance.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]]).fetchone() is None:
            maintenance.execute(f"CREATE DATABASE {connection.ops.quote_name(settings['NAME'])}")


def make_load_users() -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from budget.models import Programme
    from households.models import Household
    from subsidy.models import Application

    User = get_user_model()
    programme = Programme.objects.get(slug=PROGRAMME)
    password = secrets.token_urlsafe(16)
    staff = []
    with transaction.atomic():
        for role, count, prefix in ROLES:
            group = Group.objects.get(name=role)
            for number in range(1, count + 1):
                user, _created = User.objects.get_or_create(
                    username=f"{prefix}-{number:02d}",
                    defaults={"first_name": prefix.split("-")[1].title(), "last_name": f"Load {number:02d}"})
                user.groups.add(group)
                staff.append({"username": user.username, "role": role, "pk": user.pk})
        guessed, _created = User.objects.get_or_create(username=GUESSED, defaults={"last_name": "Load"})
        guessed.groups.add(Group.objects.get(name="handyman"))
        User.objects.filter(username__startswith="load-").update(password=make_password(password))

        TOTPDevice.objects.filter(user__username__startswith="load-", name="load").delete()
        for person in staff:
            person["password"] = password
            person["key"] = None
            if person["role"] in settings.SECOND_FACTOR_ROLES:
                device = TOTPDevice.objects.create(user_id=person["pk"], name="load", confirmed=True,
                                                   key=secrets.token_hex(20))
                person["key"] = device.key

        by_username = {user.username: user for user in User.objects.filter(username__startswith="load-")}
        handymen = [p for p in staff if p["role"] == "handyman"]
        community = [p for p in staff if p["role"] == "community_worker"]
        if not Household.objects.filter(handyman__username__startswith="load-").exists():
            _give_households(programme, [by_username[p["username"]] for p in handymen],
                             [by_username[p["username"]] for p in community])

    worked_on = {}
    for household in Household.objects.filter(programme=programme).values("pk", "handyman_id", "community_worker_id",
                                                                          "registered_by_id"):
        for field in ("handyman_id", "community_worker_id", "registered_by_id"):
            if household[field]:
                worked_on.setdefault(household[field], set()).add(household["pk"])
    every_household = sorted(Household.objects.filter(programme=programme).values_list("pk", flat=True))
    applications = sorted(Application.objects.filter(programme=programme).values_list("pk", flat=True))
    for person in staff:
        if person["role"] in ("handyman", "community_worker"):
            person["households"] = sorted(worked_on.get(person["pk"], ()))
        else:
            person["households"] = every_household
    return {"staff": staff, "guessed": GUESSED, "applications": applications, "programme": PROGRAMME}


def _give_households(programme, handymen: list, community_workers: list) -> None:
    """Five households for each load handyman, as the coordinator registers and assigns them, the intake planned."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from fieldwork.services import plan_visit
    from households.services import assign_household, record_consent, register_household

    coordinator = get_user_model().objects.get(username="coordinator")  # the demo coordinator
    today = timezone.localdate()
    number = 0
    for handyman in handymen:
        for _ in range(HOUSEHOLDS_PER_HANDYMAN):
            number += 1
            household = register_household(
                programme=programme, by=coordinator,
                household={"contact_name": f"Bewoner Load {number:03d}", "phone": f"06 {10_000_000 + number}",
                           "email": "", "household_type": "single", "residents": 1 + number % 4,
                           "net_monthly_income": None, "energy_allowance": "yes",
                           "referral_source": "community_worker"},
                dwelling={"street": "Larenseweg", "house_number": 300 + number, "postcode": "1221CN",
                          "city": "Hilversum", "energy_label": "E", "dwelling_type": "terraced", "build_year": 1936,
                          "floor_area_m2": None, "tenure": "owner_occupier", "housing_corporation": ""})
            record_consent(household, by=coordinator, statement_version=STATEMENT_VERSION, given_on=today,
                           processing=True)
            assign_household(household, by=coordinator, handyman=handyman,
                             community_worker=community_workers[number % len(community_workers)])
            day = today + datetime.timedelta(days=number % 5)
            plan_visit(household, by=coordinator, planned_at=timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(9 + number % 8, 0))))


if __name__ == "__main__":
    sys.exit(main())
