# ruff: noqa: S311 (seeded generators make the same programme on every run; nothing here is a secret)
"""Building a programme at a large city's scale: staff, households in every stage, and a busy ledger.

The Hilversum programme of the reference data is scaled up: its allocations and funding grow with the
number of households (while nothing is booked, through the models' own save), staff are created with
their roles, and households, dwellings, consents, audit events and ledger entries are written in bulk
(`bench.bulk`) with the values the services would have given them: reference numbers `HIL-00001…`
with the programme's reference counter past them, a status that matches the consent, `reached_at` for
households that were active, bookings that never over-commit a line. The lines' cached totals are then
brought in line with the ledger, and `reconcile_budget` must say that every line agrees.
"""

import datetime
import io
import random
import time
from dataclasses import dataclass
from decimal import Decimal

import psycopg
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from accounts.bulk import insert_rows
from accounts.models import AuditEvent
from accounts.roles import Role
from bench import applications, fieldwork, ledger
from bench.bulk import next_id, reset_sequence
from budget.models import BudgetLine, FundingSource, LedgerEntry, Programme
from eligibility.codes import EnergyLabel, HouseholdType, Tenure
from households.models import (
    Consent,
    DwellingType,
    EnergyAllowance,
    Household,
    ReferenceCounter,
    ReferralSource,
)
from households.models import Dwelling as DwellingModel
from households.privacy import statement_of
from households.services import REFERENCE_DIGITS
from subsidy.models import Application, Package

PROGRAMME = "hilversum-2022"
HILVERSUM_HOUSEHOLDS = 1_500  # the reference programme's target: its allocations are for this many
CHUNK = 10_000
STATEMENT_VERSION = "2022-1"
UTC = datetime.UTC

SURNAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
            "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
            "de Graaf", "van der Meer", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Berg", "van Dijk",
            "Kramer", "Yilmaz", "el Amrani", "Öztürk", "Nguyen", "Kaya", "Boukhari", "Haddou", "Koster", "Prins",
            "Postma", "Willems", "Scholten", "Groen", "Lambrecht", "Verhoeven", "Timmermans", "Maas"]
TITLES = ["Mevrouw", "Dhr.", "Fam.", "Dhr. en mevr."]
STREETS = ["Larenseweg", "Liebergerweg", "Egelshoek", "Geuzenweg", "Havenstraat", "Kerkelaan", "Bussumergrintweg",
           "Diependaalselaan", "Neuweg", "Vaartweg", "Rembrandtlaan", "Jan van der Heijdenstraat",
           "Soestdijkerstraatweg", "Erfgooiersstraat", "Kapittelweg", "Johannes Geradtsweg", "Oostereind",
           "Schapenkamp", "Kamerlingh Onneslaan", "Minckelersstraat", "Lorentzweg", "Noorderweg", "Zuiderweg",
           "Oude Amersfoortseweg", "Loosdrechtseweg", "Melkpad", "Groest", "Leeuwenstraat", "Stationsstraat",
           "Gijsbrecht van Amstelstraat", "Hoge Naarderweg", "Naarderstraat", "Utrechtseweg", "Vreelandseweg"]
POSTCODE_AREAS = [1211, 1212, 1213, 1214, 1215, 1216, 1217, 1218, 1221, 1222, 1223]
CORPORATIONS = ["Dudok Wonen", "de Alliantie", "Het Gooi en Omstreken"]
LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
STATUS_SHARES = [(Household.Status.REGISTERED, 15), (Household.Status.ACTIVE, 70), (Household.Status.CLOSED, 15)]


@dataclass(frozen=True)
class Scale:
    households: int = 100_000
    entries: int = 1_000_000

    def __str__(self) -> str:
        return f"{self.households:,} households, {self.entries:,} ledger entries"


@dataclass(frozen=True)
class Staff:
    coordinator: object
    finance: list
    assessor: object
    handymen: list
    community_workers: list


# --- The dedicated database ------------------------------------------------------------------------


class BenchRefused(Exception):
    """The bench will not run here (not PostgreSQL, or a database it must not drop)."""


def ensure_database(scale: Scale, *, rebuild: bool = False, say=print) -> None:
    """The bench's own PostgreSQL database at `scale`: reused when it is already there, else made anew."""
    if connection.vendor != "postgresql":
        raise BenchRefused("The bench needs PostgreSQL: set DATABASE_URL=postgres://… (make bench uses "
                           "postgres://postgres@127.0.0.1:5432/warmhuis_bench unless DATABASE_URL is set).")
    name = connection.settings_dict["NAME"]
    if "bench" not in name:
        raise BenchRefused(f"The bench drops and recreates its database; {name!r} does not look like a bench "
                           "database (its name must contain 'bench', e.g. warmhuis_bench).")
    if not rebuild and _database_exists(name):
        call_command("migrate", verbosity=0)  # fixes made since the last build (indexes) apply to the data
        if _is_at_scale(scale):
            _vacuum()  # rows left dead by earlier runs' undone imports (autovacuum may be off)
            say(f"Reusing database {name} ({scale}); {reconciled()}")
            return
    say(f"Building database {name} ({scale}) …")
    start = time.perf_counter()
    _recreate(name)
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    build(scale, say=say)
    _vacuum()
    say(f"Built in {time.perf_counter() - start:,.0f} s.")


def _vacuum() -> None:
    """VACUUM ANALYZE: the planner's statistics and visibility maps, as a database in use would have them."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _maintenance_connection() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(dbname="postgres", host=settings["HOST"] or None, port=settings["PORT"] or None,
                           user=settings["USER"] or None, password=settings["PASSWORD"] or None, autocommit=True)


def _database_exists(name: str) -> bool:
    with _maintenance_connection() as maintenance:
        return maintenance.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def _recreate(name: str) -> None:
    connection.close()
    quoted = connection.ops.quote_name(name)
    with _maintenance_connection() as maintenance:
        maintenance.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        maintenance.execute(f"CREATE DATABASE {quoted}")


def _is_at_scale(scale: Scale) -> bool:
    programme = Programme.objects.filter(slug=PROGRAMME).first()
    return (programme is not None
            and Household.objects.filter(programme=programme).count() == scale.households
            and LedgerEntry.objects.filter(line__programme=programme).count() == scale.entries
            and Application.objects.filter(programme=programme).exists()
            and Package.objects.filter(programme=programme).exists())


# --- The programme ---------------------------------------------------------------------------------


def build(scale: Scale, *, seed: int = 10, say=print) -> Programme:
    """Fill the (reference) programme at `scale`; fails unless the ledger then reconciles."""
    programme = Programme.objects.get(slug=PROGRAMME)
    with transaction.atomic():
        _scale_budget(programme, max(1.0, scale.households / HILVERSUM_HOUSEHOLDS), households=scale.households)
        staff = _create_staff(scale)
        say(f"  {len(staff.handymen)} handymen, {len(staff.community_workers)} community workers")
        _write_households(programme, staff, scale.households, random.Random(seed), say=say)
        ledger.write_entries(programme, [*staff.finance, staff.assessor], scale.entries,
                             random.Random(seed + 1), say=say)
        _bring_cached_totals_in_line(programme, say=say)
        applications.write_applications(programme, staff, random.Random(seed + 2), say=say)
        fieldwork.write_fieldwork(programme, staff, random.Random(seed + 3), say=say)
    say("  " + reconciled())
    return programme


def reconciled() -> str:
    """`reconcile_budget`'s verdict; raises CommandError when a line differs from its ledger."""
    report = io.StringIO()
    call_command("reconcile_budget", programme=PROGRAMME, stdout=report)
    return report.getvalue().strip().splitlines()[-1]


def _scale_budget(programme: Programme, factor: float, *, households: int) -> None:
    """A city this size has a budget to match; set while nothing is booked, as the finance pages would."""
    def scaled(amount: Decimal) -> Decimal:
        return (amount * Decimal(str(factor))).quantize(Decimal("1"))

    for line in BudgetLine.objects.filter(programme=programme):
        line.allocated = scaled(line.allocated)
        line.save(update_fields=["allocated"])
    for source in FundingSource.objects.filter(programme=programme):
        source.amount = scaled(source.amount)
        source.save(update_fields=["amount"])
    programme.target_households = max(programme.target_households, households)
    programme.save(update_fields=["target_households"])


def _create_staff(scale: Scale) -> Staff:
    handymen = min(30, max(2, scale.households // 3_000))
    community_workers = min(20, max(2, scale.households // 5_000))
    return Staff(
        coordinator=_user("bench-coordinator", Role.COORDINATOR),
        finance=[_user(f"bench-finance-{n}", Role.FINANCE_OFFICER) for n in (1, 2)],
        assessor=_user("bench-assessor", Role.ASSESSOR),
        handymen=[_user(f"bench-handyman-{n:02d}", Role.HANDYMAN) for n in range(1, handymen + 1)],
        community_workers=[_user(f"bench-community-{n:02d}", Role.COMMUNITY_WORKER)
                           for n in range(1, community_workers + 1)],
    )


def _user(username: str, role: Role):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": username.split("-", 1)[1].replace("-", " ").title(),
                                     "last_name": "Bench"})
    if created:
        user.set_unusable_password()  # the bench logs in with force_login
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=role.value))
    return user


# --- Households ------------------------------------------------------------------------------------


def _write_households(programme: Programme, staff: Staff, count: int, rng: random.Random, *, say) -> None:
    household_type = ContentType.objects.get_for_model(Household).pk
    first_id, first_event = next_id(Household), next_id(AuditEvent)
    dwelling_id, consent_id = next_id(DwellingModel), next_id(Consent)
    start = datetime.datetime.combine(programme.starts_on, datetime.time(9), UTC)
    span = datetime.datetime.now(UTC) - datetime.timedelta(days=3) - start
    statuses = [status for status, share in STATUS_SHARES for _ in range(share)]
    statement_id = statement_of(programme, STATEMENT_VERSION).pk
    event_id, consent_id = first_event, consent_id
    for chunk_start in range(0, count, CHUNK):
        households, dwellings, consents, events = [], [], [], []
        for number in range(chunk_start + 1, min(count, chunk_start + CHUNK) + 1):
            created_at = start + span * (number / (count + 1)) + datetime.timedelta(minutes=rng.randrange(60))
            household = _household(programme, number, first_id + number - 1, created_at, rng.choice(statuses),
                                   staff, rng)
            households.append(household)
            dwellings.append(_dwelling(dwelling_id + number - 1, household["id"], rng))
            if household["status"] != Household.Status.REGISTERED:
                consents.append(_consent(consent_id, household, staff, rng, statement_id=statement_id))
                consent_id += 1
            for event in _events(household, staff, household_type):
                events.append({"id": event_id, **event})
                event_id += 1
        insert_rows(Household, households, own_ids=True)
        insert_rows(DwellingModel, dwellings, own_ids=True)
        insert_rows(Consent, consents, own_ids=True)
        insert_rows(AuditEvent, events, own_ids=True)
        say(f"  {chunk_start + len(households):,} households")
    for model in (Household, DwellingModel, Consent, AuditEvent):
        reset_sequence(model)
    ReferenceCounter.objects.update_or_create(programme=programme, defaults={"last_number": count})


def _household(programme, number: int, pk: int, created_at, status: str, staff: Staff, rng) -> dict:
    registered_by = staff.coordinator if rng.random() < 0.6 else rng.choice(staff.community_workers)
    working = status != Household.Status.REGISTERED
    handyman = rng.choice(staff.handymen) if working and rng.random() < 0.9 else None
    helped_by = registered_by if registered_by != staff.coordinator else (
        rng.choice(staff.community_workers) if rng.random() < 0.3 else None)
    income = None if rng.random() < 0.1 else Decimal(rng.randrange(95_000, 320_000)) / 100
    updated_at = created_at + datetime.timedelta(days={"registered": 0, "active": 5, "closed": 150}[status])
    return {
        "id": pk, "programme_id": programme.pk,
        "reference": f"{programme.reference_prefix}-{number:0{REFERENCE_DIGITS}d}",
        "contact_name": f"{rng.choice(TITLES)} {rng.choice(LETTERS)}. {rng.choice(SURNAMES)}",
        "phone": f"06 {rng.randrange(10_000_000, 99_999_999)}", "email": "",
        "household_type": rng.choice(HouseholdType.values), "residents": rng.randint(1, 6),
        "net_monthly_income": income, "energy_allowance": rng.choice(EnergyAllowance.values),
        "referral_source": rng.choice(ReferralSource.values),
        "handyman_id": handyman.pk if handyman else None,
        "community_worker_id": helped_by.pk if helped_by else None,
        "registered_by_id": registered_by.pk, "status": status,
        "reached_at": created_at + datetime.timedelta(days=2) if working else None,
        "created_at": created_at, "updated_at": min(updated_at, datetime.datetime.now(UTC)),
    }


def _dwelling(pk: int, household_id: int, rng) -> dict:
    tenure = rng.choice(Tenure.values)
    return {
        "id": pk, "household_id": household_id, "street": rng.choice(STREETS), "house_number": rng.randint(1, 400),
        "house_letter": "", "house_number_addition": "",
        "postcode": postcode(rng), "city": "Hilversum",
        "bag_id": "", "energy_label": rng.choice(EnergyLabel.values), "energy_label_date": None,
        "dwelling_type": rng.choice(DwellingType.values), "build_year": rng.randint(1900, 1995),
        "floor_area_m2": Decimal(rng.randint(400, 1400)) / 10, "tenure": tenure,
        "housing_corporation": rng.choice(CORPORATIONS) if tenure == Tenure.SOCIAL_RENT else "",
    }


def postcode(rng) -> str:
    """A Hilversum postcode as stored ('1217 GH'); SA, SD and SS are never used in Dutch postcodes."""
    while (letters := rng.choice(LETTERS) + rng.choice(LETTERS)) in {"SA", "SD", "SS"}:
        pass
    return f"{rng.choice(POSTCODE_AREAS)} {letters}"


def _consent(pk: int, household: dict, staff: Staff, rng, *, statement_id: int) -> dict:
    given_at = household["reached_at"]
    return {"id": pk, "household_id": household["id"], "statement_id": statement_id,
            "given_on": given_at.date(), "processing": True, "share_address_level": rng.random() < 0.3,
            "recorded_by_id": staff.coordinator.pk, "recorded_at": given_at, "withdrawn_at": None,
            "withdrawn_by_resident": False}


def _events(household: dict, staff: Staff, content_type_id: int) -> list[dict]:
    """What the services would have recorded: registered, consent recorded, assigned, closed."""
    subject = {"content_type_id": content_type_id, "object_id": str(household["id"]), "note": ""}
    created_at = household["created_at"]
    events = [{**subject, "actor_id": household["registered_by_id"], "action": "registered",
               "data": {"reference": household["reference"]}, "at": created_at}]
    if household["reached_at"]:
        events.append({**subject, "actor_id": staff.coordinator.pk, "action": "consent_recorded",
                       "data": {"statement_version": STATEMENT_VERSION, "processing": True, "activated": True},
                       "at": household["reached_at"]})
    if household["handyman_id"] or household["community_worker_id"]:
        events.append({**subject, "actor_id": staff.coordinator.pk, "action": "assigned",
                       "data": {}, "at": created_at + datetime.timedelta(days=5)})
    if household["status"] == Household.Status.CLOSED:
        events.append({**subject, "actor_id": staff.coordinator.pk, "action": "closed",
                       "note": "Bezoeken afgerond", "data": {}, "at": household["updated_at"]})
    return events


# --- The lines' cached totals ----------------------------------------------------------------------


def _bring_cached_totals_in_line(programme: Programme, *, say) -> None:
    """The cached totals (and per-month summaries) follow the bulk-written ledger (`rebuild_line_totals`)."""
    from budget.services import rebuild_line_totals

    for line in BudgetLine.objects.filter(programme=programme):
        rebuild_line_totals(line)
    say("  cached totals rebuilt from the ledger (budget.services.rebuild_line_totals)")
