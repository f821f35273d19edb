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
    # Per thousand rows: one insert each of households, dwellings, consents and audit events, and the progress.
    with django_assert_max_num_queries(35):
        small = run_import(programme, coordinator, csv_upload(*rows(2000)))
    with django_assert_max_num_queries(35 + 2 * 5):
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
    """The last row's reference is registered by someone else after the checks: the write is undone entirely."""
    header = "reference;" + HEADER
    lines = [f"CRM-{number};{line}" for number, line in enumerate(rows(2500))]
    check_references = imports.duplicate_references

    def someone_registers_the_last_reference_meanwhile(rows, *, programme):
        errors = check_references(rows, programme=programme)
        services.register_household(programme=programme, by=coordinator, reference="CRM-2499",
                                    household={"contact_name": "Iemand anders", "household_type": "single",
                                               "referral_source": "other"},
                                    dwelling={"street": "Kerkelaan", "house_number": 3, "postcode": "1211 JR",
                                              "city": "Hilversum", "tenure": "owner_occupier"})
        return errors

    monkeypatch.setattr(imports, "duplicate_references", someone_registers_the_last_reference_meanwhile)

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
    """The import writes all its rows in one long transaction; a registration meanwhile must not wait for it."""
    import threading
    import time

    from django.db import connection, transaction

    from tests.households.conftest import DWELLING, HOUSEHOLD

    holding, finished = threading.Event(), threading.Event()
    write = services.register_households_in_bulk

    def write_and_hold(*args, **kwargs):
        with transaction.atomic():  # the import's transaction stays open, its rows written, until the test is done
            registered = write(*args, **kwargs)
            holding.set()
            finished.wait(timeout=60)
        return registered

    monkeypatch.setattr(services, "register_households_in_bulk", write_and_hold)
    upload = csv_upload(*rows(3000))
    outcome = {}

    def importing():
        try:
            outcome["job"] = run_import(programme, coordinator, upload)
        finally:
            connection.close()

    importer = threading.Thread(target=importing)
    importer.start()
    try:
        assert holding.wait(timeout=120)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        started = time.monotonic()
        household = services.register_household(programme=programme, by=coordinator, household=HOUSEHOLD,
                                                 dwelling={**DWELLING, "energy_label_date": None})
        took = time.monotonic() - started
    finally:
        finished.set()
        importer.join(timeout=120)

    assert took < 1
    assert household.reference == "HIL-03001"  # after the numbers the import reserved
    assert outcome["job"].status == HouseholdImport.Status.DONE and outcome["job"].registered == 3000
    assert Household.objects.count() == 3001
