"""The import at a large city's scale (issue 10): thousands of rows in a constant number of queries, all or
nothing, the same history as the pages write, and nobody else waits for it."""

import pytest

from accounts.models import AuditEvent
from households import imports, services
from households.models import Consent, Dwelling, Household, HouseholdImport
from tests.households.test_import import GOOD_ROWS, HEADER, csv_upload, run_import

pytestmark = pytest.mark.django_db


def rows(count: int) -> list[str]:
    """`count` good rows: every other one with consent for processing and the handyman assigned."""
    return [GOOD_ROWS[number % 2].replace("Larenseweg;12", f"Larenseweg;{number + 1}")
            .replace("Liebergerweg;45", f"Liebergerweg;{number + 1}") for number in range(count)]


def test_an_import_takes_a_few_queries_per_thousand_rows_not_per_row(programme, coordinator, handyman,
                                                                      django_assert_max_num_queries):
    # Per part of the file (the first of 250 rows, then a thousand at a time): the households' ids (PostgreSQL),
    # one insert (COPY on PostgreSQL) each of households, dwellings, consents and audit events, and either the
    # progress (SQLite) or the savepoint around each part written while the next is checked (PostgreSQL; its
    # progress goes through a connection of its own); and the households already at the addresses of the rows
    # without a Kenmerk, a thousand addresses at a time; the privacy statement of the part's consents (one lookup per
    # part), and the register's versions once. 2,000 rows are three parts, 4,000 rows five.
    with django_assert_max_num_queries(51):
        small = run_import(programme, coordinator, csv_upload(*rows(2000)))
    with django_assert_max_num_queries(51 + 2 * 9):
        big = run_import(programme, coordinator, csv_upload(*rows(4000)))

    assert (small.status, small.registered, big.status, big.registered) == ("done", 2000, "done", 4000), big.errors
    assert Household.objects.filter(status=Household.Status.ACTIVE, handyman=handyman).count() == 3000
    assert Household.objects.order_by("-reference").values_list("reference", flat=True)[0] == "HIL-06000"


def test_a_wrong_last_row_of_a_big_file_registers_nothing(programme, coordinator, handyman):
    wrong = rows(2501)
    wrong[-1] = wrong[-1].replace("Hilversum;E;", "Hilversum;Z;")

    job = run_import(programme, coordinator, csv_upload(*wrong))

    assert job.status == HouseholdImport.Status.REJECTED
    assert [(error["row"], error["column"]) for error in job.errors] == [(2502, "energy_label")]
    assert not Household.objects.exists()


def test_a_reference_taken_while_the_import_checked_leaves_nothing_behind(programme, coordinator, handyman,
                                                                         monkeypatch):
    """The last row's reference is registered by someone else after the import looked the file's references up in
    the register: the write is undone entirely, and the row is named."""
    header = "reference;" + HEADER
    lines = [f"CRM-{number};{line}" for number, line in enumerate(rows(2500))]
    look_up = imports.households_by_reference
    registered_meanwhile = []

    def someone_registers_the_last_reference_meanwhile(programme, references):
        found = look_up(programme, references)
        if not registered_meanwhile:
            registered_meanwhile.append(services.register_household(
                programme=programme, by=coordinator, reference="CRM-2499",
                household={"contact_name": "Iemand anders", "household_type": "single", "referral_source": "other"},
                dwelling={"street": "Kerkelaan", "house_number": 3, "postcode": "1211 JR", "city": "Hilversum",
                          "tenure": "owner_occupier"}))
        return found

    monkeypatch.setattr(imports, "households_by_reference", someone_registers_the_last_reference_meanwhile)

    job = run_import(programme, coordinator, csv_upload(*lines, header=header))

    assert job.status == HouseholdImport.Status.REJECTED
    assert [(error["row"], error["column"]) for error in job.errors] == [(2501, "reference")]
    assert job.errors[0]["message"] == "Er is in dit programma al een huishouden met dit kenmerk."
    assert list(Household.objects.values_list("reference", flat=True)) == ["CRM-2499"]
    assert Dwelling.objects.count() == 1 and not Consent.objects.exists()
    assert AuditEvent.objects.filter(action__in=["consent_recorded", "assigned"]).count() == 0


def history(household) -> list[tuple]:
    return [(event.action, event.actor_id, event.note, sorted(event.data))
            for event in AuditEvent.objects.for_object(household).order_by("at", "pk")]


def test_an_imported_household_has_the_history_and_state_of_one_registered_through_the_pages(
        programme, coordinator, handyman):
    import datetime

    from tests.households.conftest import DWELLING, HOUSEHOLD

    run_import(programme, coordinator, csv_upload(GOOD_ROWS[0]))
    imported = Household.objects.get()
    paged = services.register_household(programme=programme, by=coordinator, household=HOUSEHOLD,
                                        dwelling={**DWELLING, "energy_label_date": None})
    services.record_consent(paged, by=coordinator, statement_version="2022-1", given_on=datetime.date(2023, 3, 15),
                            processing=True)
    services.assign_household(paged, by=coordinator, handyman=handyman, note="Uit de import")
    paged.refresh_from_db()

    assert history(imported) == history(paged)
    assert [event.data for event in AuditEvent.objects.for_object(imported).order_by("at", "pk")][1:] == [
        event.data for event in AuditEvent.objects.for_object(paged).order_by("at", "pk")][1:]
    assert (imported.status, imported.handyman, imported.registered_by) == (paged.status, paged.handyman,
                                                                           paged.registered_by)
    assert imported.reached_at is not None and paged.reached_at is not None
    consent = imported.consents.get()
    assert (consent.processing, consent.recorded_by, consent.withdrawn_at) == (True, coordinator, None)


@pytest.mark.postgres
def test_a_registration_completes_at_once_while_an_import_of_thousands_of_rows_is_writing(
        postgres_required, transactional_db, programme, coordinator, handyman, monkeypatch):
    """The import writes its rows in one long transaction, part by part as they are checked; a registration
    meanwhile must not wait for it, and the import's progress is seen meanwhile."""
    import time

    from django.db import transaction

    from tests.concurrency import held_open
    from tests.households.conftest import DWELLING, HOUSEHOLD

    write = services.register_households_in_bulk
    upload = csv_upload(*rows(3000))

    def import_and_hold(wait):
        def write_and_hold(*args, **kwargs):
            with transaction.atomic():  # the import's transaction stays open, its rows written, until the test is done
                registered = write(*args, **kwargs)
                wait()
            return registered

        monkeypatch.setattr(services, "register_households_in_bulk", write_and_hold)
        return run_import(programme, coordinator, upload)

    with held_open(import_and_hold) as outcome:
        started = time.monotonic()
        household = services.register_household(programme=programme, by=coordinator, household=HOUSEHOLD,
                                                 dwelling={**DWELLING, "energy_label_date": None})
        took = time.monotonic() - started
        progress_seen = HouseholdImport.objects.values_list("status", "rows_checked").get()

    assert took < 1
    assert progress_seen == (HouseholdImport.Status.IMPORTING, imports.FIRST_PART)  # the status page sees it
    assert household.reference == "HIL-03001"  # after the numbers the import reserved
    assert outcome["result"].status == HouseholdImport.Status.DONE and outcome["result"].registered == 3000
    assert Household.objects.count() == 3001


@pytest.mark.postgres
def test_the_copy_path_stores_exactly_the_rows_bulk_create_stores(postgres_required, programme, coordinator,
                                                                  handyman, monkeypatch):
    """On PostgreSQL the import writes with COPY: every column as an INSERT by bulk_create would store it."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime(2025, 3, 1, 9, 30, 15, 123456))
    monkeypatch.setattr(timezone, "now", lambda: moment)

    def registrations(prefix: str) -> list[services.Registration]:
        odd = {"contact_name": "Mw. O'Brien \\ \"Jansen\" é €", "phone": "", "email": "", "household_type": "single",
               "residents": 2, "net_monthly_income": None, "energy_allowance": "unknown", "referral_source": "other"}
        return [
            services.Registration(
                household={"contact_name": "Fatima el Amrani", "phone": "06 12345678", "email": "f@example.nl",
                           "household_type": "single_parent", "residents": 3,
                           "net_monthly_income": Decimal("1350.05"), "energy_allowance": "yes",
                           "referral_source": "income_consultant"},
                dwelling={"street": "Larenseweg", "house_number": 112, "postcode": "1221cm", "city": "Hilversum",
                          "energy_label": "E", "energy_label_date": datetime.date(2021, 2, 28),
                          "dwelling_type": "terraced", "build_year": 1958, "floor_area_m2": Decimal("78.5"),
                          "tenure": "social_rent", "housing_corporation": "Dudok Wonen"},
                reference=f"{prefix}-1",
                consent={"statement_version": "2022-1", "given_on": datetime.date(2023, 3, 15), "processing": True,
                         "share_address_level": True},
                assignment={"handyman": handyman, "note": "Uit de import\nregel 2\t\\N"}),
            services.Registration(household=odd, reference=f"{prefix}-2",
                                  dwelling={"street": "Kerkelaan", "house_number": 3, "postcode": "1211 JR",
                                            "city": "Hilversum", "tenure": "owner_occupier"},
                                  consent={"statement_version": "2022-1", "given_on": datetime.date(2023, 3, 15),
                                           "processing": False}),
            services.Registration(household={**odd, "contact_name": "Zonder toestemming"},
                                  dwelling={"street": "Kerkelaan", "house_number": 5, "postcode": "1211 JR",
                                            "city": "Hilversum", "tenure": "private_rent"}, reference=f"{prefix}-3"),
        ]

    def stored(prefix: str) -> list:
        households = Household.objects.filter(reference__startswith=prefix).order_by("reference")
        rows = []
        for household in households:
            dwelling = Dwelling.objects.filter(household=household).values().get()
            consents = list(Consent.objects.filter(household=household).values())
            events = list(AuditEvent.objects.for_object(household).order_by("pk").values())
            rows.append([
                {**Household.objects.filter(pk=household.pk).values().get(), "id": None, "reference": None},
                {**dwelling, "id": None, "household_id": None},
                [{**consent, "id": None, "household_id": None} for consent in consents],
                [{**event, "id": None, "object_id": None, "data": {**event["data"], "reference": None}}
                 for event in events]])
        return rows

    copied = services.register_households_in_bulk(registrations("COPY"), programme=programme, by=coordinator,
                                                  fields_checked=True)

    def bulk_create(model, rows, *, with_ids=False):
        created = model.objects.bulk_create([model(**row) for row in rows])
        for row, instance in zip(rows, created, strict=True):
            row["id"] = instance.pk

    monkeypatch.setattr(services, "insert_rows", bulk_create)
    inserted = services.register_households_in_bulk(registrations("INSERT"), programme=programme, by=coordinator,
                                                    fields_checked=True)

    assert copied == inserted == 3
    assert stored("COPY") == stored("INSERT")
    assert stored("COPY")[0][0]["net_monthly_income"] == Decimal("1350.05")
    assert stored("COPY")[0][3][2]["note"] == "Uit de import\nregel 2\t\\N"
    assert [event["data"]["reference"] for event in AuditEvent.objects.filter(action="registered").order_by("pk")
            .values("data")] == ["COPY-1", "COPY-2", "COPY-3", "INSERT-1", "INSERT-2", "INSERT-3"]
    first = Household.objects.get(reference="COPY-1")
    assert AuditEvent.objects.for_object(first).count() == 3 and first.dwelling.household_id == first.pk


def test_a_big_file_is_checked_in_several_processes_with_the_same_outcome_as_in_one(programme, coordinator, handyman,
                                                                                   monkeypatch):
    lines = rows(2500)
    lines[10] = lines[10].replace("Hilversum;E;", "Hilversum;Z;")
    lines[12] = lines[12].replace(";handyman;", ";niemand;")
    lines[2401] = lines[2401].replace(";1221 JS;", ";1221 J;")
    in_one = run_import(programme, coordinator, csv_upload(*lines))
    pools = []

    class CountedPool(imports.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(imports, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setattr(imports, "PARALLEL_FROM", 1000)
    monkeypatch.setattr(imports, "CHECK_PROCESSES", 2)
    in_two = run_import(programme, coordinator, csv_upload(*lines))
    good = run_import(programme, coordinator, csv_upload(*rows(2500)))

    assert len(pools) == 2
    assert in_two.errors == in_one.errors
    assert [(error["row"], error["column"]) for error in in_two.errors] == [
        (12, "energy_label"), (14, "handyman"), (2403, "postcode")]
    assert in_two.errors[1]["message"] == "Er is geen actieve gebruiker met deze gebruikersnaam en deze rol."
    assert (good.status, good.registered, good.rows_checked) == (HouseholdImport.Status.DONE, 2500, 2500)
    assert Household.objects.filter(status=Household.Status.ACTIVE, handyman=handyman).count() == 1250
