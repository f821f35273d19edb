"""The import in two steps (issue 13): a dry run that says per row what would happen and writes nothing, then the
import, all or nothing; a row with the Kenmerk of a household updates it, and importing a file again changes nothing."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from households.models import Consent, Household, HouseholdImport
from households.tasks import check_households_import, import_households
from tests.factories import PrivacyStatementFactory
from tests.households.test_import import GOOD_ROWS, HEADER, csv_upload

pytestmark = pytest.mark.django_db

WITH_REFERENCE = "reference;" + HEADER
JANSEN = "CRM-1;" + GOOD_ROWS[0]
AMRANI = "CRM-2;" + GOOD_ROWS[1]


def upload(programme, coordinator, *rows, header=WITH_REFERENCE) -> HouseholdImport:
    file = csv_upload(*rows, header=header)
    return HouseholdImport.objects.create(programme=programme, filename=file.name, content=file.read(),
                                          requested_by=coordinator)


def dry_run(programme, coordinator, *rows, header=WITH_REFERENCE) -> HouseholdImport:
    job = upload(programme, coordinator, *rows, header=header)
    check_households_import.call(job.pk)
    job.refresh_from_db()
    return job


def commit(job: HouseholdImport) -> HouseholdImport:
    import_households.call(job.pk)
    job.refresh_from_db()
    return job


def register(programme, coordinator, *rows, header=WITH_REFERENCE) -> HouseholdImport:
    job = commit(upload(programme, coordinator, *rows, header=header))
    assert job.status == HouseholdImport.Status.DONE, job.errors
    return job


def outcomes(job) -> list[tuple]:
    return [(row["row"], row["outcome"], row["reference"], row["name"],
             [(change["header"], change["old"], change["new"]) for change in row["changes"]],
             [(error["header"], error["message"]) for error in row["errors"]]) for row in job.outcomes]


def written() -> tuple[int, int, int, list]:
    return (Household.objects.count(), Consent.objects.count(), AuditEvent.objects.count(),
            list(Household.objects.order_by("pk").values_list("updated_at", flat=True)))


def test_the_dry_run_says_per_row_what_would_happen_and_writes_nothing(programme, coordinator, handyman):
    register(programme, coordinator, JANSEN, AMRANI)
    before = written()
    changed = JANSEN.replace("1.385,50", "1500,00").replace("Larenseweg;12", "Larenseweg;14")
    new = "CRM-3;" + GOOD_ROWS[1].replace("Liebergerweg;45", "Liebergerweg;47")

    job = dry_run(programme, coordinator, changed, AMRANI, new, ";" + GOOD_ROWS[1])

    assert job.status == HouseholdImport.Status.CHECKED and job.may_be_imported
    assert (job.created, job.updated, job.unchanged, job.refused) == (2, 1, 1, 0)
    assert outcomes(job) == [
        (2, "updated", "CRM-1", "Mevrouw J. Jansen",
         [("Netto maandinkomen", "1385,50", "1500,00"), ("Huisnummer", "12", "14")], []),
        (3, "unchanged", "CRM-2", "Fam. El Amrani", [], []),
        (4, "created", "CRM-3", "Fam. El Amrani", [], []),
        (5, "created", "", "Fam. El Amrani", [], []),
    ]
    assert written() == before  # no household, consent, event or change written
    assert job.content  # kept for the import


def test_the_import_writes_what_the_dry_run_showed_through_the_services(programme, coordinator, handyman):
    register(programme, coordinator, JANSEN, AMRANI)
    jansen, amrani = Household.objects.get(reference="CRM-1"), Household.objects.get(reference="CRM-2")
    amrani_before = (amrani.updated_at, AuditEvent.objects.for_object(amrani).count())
    changed = JANSEN.replace("1.385,50", "1500,00").replace("Larenseweg;12", "Larenseweg;14")
    job = dry_run(programme, coordinator, changed, AMRANI, ";" + GOOD_ROWS[1])

    job = commit(job)

    assert job.status == HouseholdImport.Status.DONE and job.content is None
    assert (job.created, job.updated, job.unchanged, job.refused, job.registered) == (1, 1, 1, 0, 1)
    jansen.refresh_from_db()
    assert str(jansen.net_monthly_income) == "1500.00" and jansen.dwelling.house_number == 14
    change = AuditEvent.objects.for_object(jansen).get(action="changed")
    assert (change.actor, change.data["fields"]) == (coordinator, ["net_monthly_income", "dwelling.house_number"])
    amrani.refresh_from_db()
    assert (amrani.updated_at, AuditEvent.objects.for_object(amrani).count()) == amrani_before  # not touched
    assert [row["reference"] for row in job.outcomes if row["outcome"] == "created"] == ["HIL-00001"]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(programme, coordinator, handyman):
    register(programme, coordinator, JANSEN, AMRANI)
    before = written()

    again = dry_run(programme, coordinator, JANSEN, AMRANI)
    assert [row["outcome"] for row in again.outcomes] == ["unchanged", "unchanged"]
    again = commit(again)

    assert (again.status, again.created, again.updated, again.unchanged) == ("done", 0, 0, 2)
    assert written() == before  # no writes, no events


def test_an_update_changes_only_the_columns_the_file_has(programme, coordinator, handyman):
    register(programme, coordinator, JANSEN)
    header = "Kenmerk;Telefoon;Energielabel"

    job = commit(dry_run(programme, coordinator, "crm-1;06 87654321;C", header=header))

    assert (job.status, job.updated) == ("done", 1)
    jansen = Household.objects.get()
    assert (jansen.phone, jansen.dwelling.energy_label, jansen.contact_name, jansen.dwelling.street) == (
        "06 87654321", "C", "Mevrouw J. Jansen", "Larenseweg")
    assert AuditEvent.objects.for_object(jansen).get(action="changed").data["fields"] == ["phone",
                                                                                         "dwelling.energy_label"]


def test_an_update_assigns_another_handyman_and_records_new_consent_as_the_pages_do(programme, coordinator, handyman,
                                                                                   handyman2):
    register(programme, coordinator, JANSEN)
    PrivacyStatementFactory(programme=programme, version="2024-1", valid_from=datetime.date(2024, 1, 1))
    changed = JANSEN.replace(";handyman;15-03-2023;2022-1;", ";handyman2;01-02-2024;2024-1;")

    job = dry_run(programme, coordinator, changed)

    assert outcomes(job)[0][4] == [("Energieklusser", "handyman", "handyman2"),
                                   ("Versie privacyverklaring", "2022-1", "2024-1"),
                                   ("Toestemming gegeven op", "15-03-2023", "01-02-2024")]
    commit(job)
    jansen = Household.objects.get()
    assert jansen.handyman == handyman2
    assert list(jansen.consents.filter(withdrawn_at=None).values_list("statement__version", flat=True)) == ["2024-1"]
    assert [event.action for event in AuditEvent.objects.for_object(jansen).order_by("pk")][-2:] == [
        "assigned", "consent_recorded"]


def test_a_refusal_of_consent_for_an_active_household_is_refused_on_its_row(programme, coordinator, handyman):
    register(programme, coordinator, JANSEN)  # consent for processing: active
    refusing = JANSEN.replace(";2022-1;ja", ";2022-1;nee")

    job = dry_run(programme, coordinator, refusing)

    assert job.status == HouseholdImport.Status.REJECTED and job.refused == 1
    assert outcomes(job)[0][5][0][0] == "Toestemming verwerking"
    assert outcomes(job)[0][5][0][1].startswith("Een actief of afgesloten huishouden houdt zijn toestemming")


def test_a_dry_run_with_a_refused_row_cannot_be_imported(client, programme, coordinator, handyman):
    job = dry_run(programme, coordinator, JANSEN, AMRANI.replace("Hilversum;F;", "Hilversum;Q;"))
    client.force_login(coordinator)

    response = client.post(reverse("households:import_commit", args=[job.pk]), follow=True)

    job.refresh_from_db()
    assert (job.status, job.refused, job.created) == (HouseholdImport.Status.REJECTED, 1, 1)
    assert job.content is None  # it cannot be imported: the personal data is not kept
    assert "Alleen een gecontroleerd bestand zonder geweigerde regels" in response.text
    assert not Household.objects.exists()


def test_the_import_checks_again_and_refuses_when_the_register_changed_meanwhile(programme, coordinator, handyman):
    import datetime

    from households import services

    register(programme, coordinator, AMRANI)  # no consent yet: registered
    refusal = AMRANI.replace("Dudok Wonen;;;;", "Dudok Wonen;;01-02-2024;2022-1;nee")
    job = dry_run(programme, coordinator, refusal, JANSEN.replace("CRM-1", "CRM-9"))
    assert (job.status, job.updated, job.created) == (HouseholdImport.Status.CHECKED, 1, 1)
    amrani = Household.objects.get()
    services.record_consent(amrani, by=coordinator, statement_version="2022-1", given_on=datetime.date(2024, 3, 1),
                            processing=True)  # meanwhile: active, and an active household keeps its consent
    before = written()

    job = commit(job)

    assert (job.status, job.refused, job.created) == (HouseholdImport.Status.REJECTED, 1, 1)
    assert [(error["row"], error["column"]) for error in job.errors] == [(2, "consent_processing")]
    assert written() == before


def test_a_second_click_on_import_imports_once(client, programme, coordinator, handyman, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    job = dry_run(programme, coordinator, JANSEN, AMRANI)
    client.force_login(coordinator)

    client.post(reverse("households:import_commit", args=[job.pk]))
    again = client.post(reverse("households:import_commit", args=[job.pk]), follow=True)

    assert Household.objects.count() == 2
    assert "Alleen een gecontroleerd bestand zonder geweigerde regels kan worden ingelezen" in again.text


def test_the_status_page_shows_the_refused_rows_first_a_page_at_a_time(client, programme, coordinator,
                                                                       django_assert_max_num_queries):
    lines = [GOOD_ROWS[1].replace("Liebergerweg;45", f"Liebergerweg;{number}") for number in range(1, 251)]
    lines[199] = lines[199].replace("Hilversum;F;", "Hilversum;Q;")
    job = dry_run(programme, coordinator, *lines, header=HEADER)
    client.force_login(coordinator)
    url = reverse("households:import_status", args=[job.pk])

    with django_assert_max_num_queries(12):
        first = client.get(url).text
    second = client.get(url, {"page": 3}).text
    refused = client.get(url, {"outcome": "refused"}).text

    assert (job.status, job.created, job.refused) == (HouseholdImport.Status.REJECTED, 249, 1)
    assert first.index("<td>201</td>") < first.index("<td>2</td>")  # the refused row first
    assert "Pagina 1 van 3" in first and "<td>101</td>" not in first
    assert "<td>251</td>" in second and "Pagina 3 van 3" in second
    assert "<td>201</td>" in refused and "<td>2</td>" not in refused
    assert "Geweigerd: <strong>1</strong>" in first and "Nieuw: <strong>249</strong>" in first


def test_a_row_without_kenmerk_at_the_address_of_a_household_says_so_in_the_dry_run(client, programme, coordinator):
    register(programme, coordinator, GOOD_ROWS[1], header=HEADER)  # HIL-00001, Liebergerweg 45, 1221 JS

    job = dry_run(programme, coordinator, GOOD_ROWS[1].replace(";1221 JS;", ";1221js;"),
                  GOOD_ROWS[1].replace("Liebergerweg;45", "Liebergerweg;47"), header=HEADER)

    assert (job.status, job.created) == (HouseholdImport.Status.CHECKED, 2)  # registered anew, if imported
    assert [row["notes"] for row in job.outcomes] == [
        ["Het programma heeft al huishouden HIL-00001 op dit adres: geef het kenmerk daarvan om dat te wijzigen."],
        []]
    client.force_login(coordinator)
    assert "al huishouden HIL-00001 op dit adres" in client.get(reverse("households:import_status",
                                                                        args=[job.pk])).text


def test_a_refused_row_is_named_by_the_kenmerk_and_name_the_file_gives(programme, coordinator, handyman):
    bad_income = "CRM-7;" + GOOD_ROWS[0].replace("1.385,50", "abc")

    job = dry_run(programme, coordinator, bad_income)

    [(row, outcome, reference, name, _changes, errors)] = outcomes(job)
    assert (row, outcome, reference, name) == (2, "refused", "CRM-7", "Mevrouw J. Jansen")
    assert [header for header, _message in errors] == ["Netto maandinkomen"]


def test_a_checked_file_not_imported_within_24_hours_is_emptied_and_cannot_be_imported(client, programme, coordinator,
                                                                                      handyman):
    import datetime

    from django.utils import timezone

    stale = dry_run(programme, coordinator, JANSEN)
    fresh = dry_run(programme, coordinator, AMRANI)
    HouseholdImport.objects.filter(pk=stale.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=25))
    client.force_login(coordinator)

    response = client.post(reverse("households:import_commit", args=[stale.pk]), follow=True)

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.content) == (HouseholdImport.Status.EXPIRED, None)
    assert (fresh.status, bytes(fresh.content) != b"") == (HouseholdImport.Status.CHECKED, True)
    assert "niet binnen 24 uur ingelezen" in response.text
    assert not Household.objects.exists()


def test_a_house_number_of_other_digits_is_refused_on_its_row(programme, coordinator, handyman):
    job = dry_run(programme, coordinator, GOOD_ROWS[0].replace("Larenseweg;12", "Larenseweg;²"), header=HEADER)

    [(row, outcome, _reference, _name, _changes, errors)] = outcomes(job)
    assert job.status == HouseholdImport.Status.REJECTED  # the row refused, not the dry run failed
    assert (row, outcome, [header for header, _message in errors]) == (2, "refused", ["Huisnummer"])


def test_an_upload_whose_length_is_no_number_is_read_as_any_other(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("households:import"), CONTENT_LENGTH="abc")

    assert response.status_code == 200  # the form again, with its errors


def test_24_hours_after_an_import_its_rows_are_forgotten_and_its_counts_kept(client, programme, coordinator, handyman):
    import datetime

    from django.utils import timezone

    old = register(programme, coordinator, JANSEN)
    recent = register(programme, coordinator, AMRANI)
    HouseholdImport.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=25))
    client.force_login(coordinator)
    shown = client.get(reverse("households:import_status", args=[old.pk])).text

    client.post(reverse("households:import"), {})  # any upload forgets what is older than 24 hours

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.outcomes, old.created) == ([], 1)
    assert [row["name"] for row in recent.outcomes] == ["Fam. El Amrani"]
    assert "Mevrouw J. Jansen" not in shown and "24 uur" in shown  # not shown once older, even before forgotten


def test_who_pressed_importeren_is_recorded_once(client, programme, coordinator, handyman):
    from django.contrib.contenttypes.models import ContentType

    job = dry_run(programme, coordinator, JANSEN)
    client.force_login(coordinator)

    client.post(reverse("households:import_commit", args=[job.pk]))
    client.post(reverse("households:import_commit", args=[job.pk]))  # the second click starts nothing

    events = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(HouseholdImport),
                                       object_id=job.pk)
    assert [(event.action, event.actor, event.note) for event in events] == [
        ("household_import_started", coordinator, job.filename)]
