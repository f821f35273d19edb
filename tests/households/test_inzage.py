"""The resident's request for access (inzageverzoek): the export holds every record of the household, with who changed
and who viewed it, and nothing of another household; only coordinators ask for it and download it."""

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import AuditEvent, ViewLog
from fieldwork import services as fieldwork
from households.inzage import KEPT_FOR, collect, forget_old_exports, make_inzage_export, request_inzage
from households.models import Dwelling, InzageExport
from households.viewlog import subject_key
from subsidy import packages
from subsidy.models import Application
from tests.factories import application_in, assessed_household, product

FINDINGS = {"energy_label": "E", "glazing": "single", "roof_insulation": "none", "floor_insulation": "none",
            "wall_insulation": "partly", "crawl_space_suitable": True, "gas_m3_per_year": 1800,
            "advised_measure": "floor", "diy_possible": True}


def soon(hours: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


def full_household(people, *, name: str, iban: str, words: str):
    """A household with everything the programme keeps: consent, assessments, an application in payout with its
    documents and letter, a package installed, the three visits with findings and evaluation, a referral, a defect
    report, events and view log rows. `words` marks its free text, so it can be looked for in another's export."""
    handyman = people["handyman"]
    household = assessed_household(handyman, contact_name=name, community_worker=people["community"])
    application = application_in("payout_set", people, household=household, applicant_name=name)
    Application.objects.filter(pk=application.pk).update(iban=iban, account_holder=name)
    intake = fieldwork.plan_visit(household, by=handyman, planned_at=soon(1))
    fieldwork.record_intake(intake, by=handyman, findings={**FINDINGS, "advice": f"Advies {words}"},
                            notes=f"Notitie {words}", referral={"reason": f"Hulp {words}"})
    installation = fieldwork.plan_visit(household, by=handyman, planned_at=soon(24))
    lamp = product("LED-lamp")
    packages.propose(household, by=handyman, items={lamp.pk: 4})
    fieldwork.record_installation(installation, by=handyman, quantities={lamp.pk: 3})
    evaluation = fieldwork.plan_visit(household, by=handyman, planned_at=soon(48), mode="by_phone")
    fieldwork.record_evaluation(evaluation, by=handyman, experience=4, in_use=[lamp.pk], remarks=f"Warmer {words}")
    # The resident now rents the home (sold to a corporation): the handyman reports a defect to it.
    Dwelling.objects.filter(household=household).update(tenure="social_rent", housing_corporation="Dudok Wonen")
    household.refresh_from_db()
    fieldwork.report_defect(household, by=handyman, description=f"Schimmel {words}")
    ViewLog.objects.create(user=people["assessor"], subject_key=subject_key(household),
                           subject_label=household.reference, what=f"Huishouden {household.reference}")
    return household


@pytest.fixture
def households(people, immediate_tasks):
    mine = full_household(people, name="Fatima el Amrani", iban="NL91ABNA0417164300", words="appelboom")
    other = full_household(people, name="Kees Jansen", iban="NL02RABO0123456789", words="perenboom")
    return mine, other


def sections(data) -> dict:
    return {section["title"]: section for section in data["sections"]}


def test_the_export_holds_every_record_of_the_household_with_its_trail_and_views(households, people):
    mine, _other = households

    data = collect(mine)

    by_title = sections(data)
    assert by_title["Huishouden"]["rows"][0]["Contactpersoon"] == "Fatima el Amrani"
    assert by_title["Woning"]["rows"][0]["Woningcorporatie"] == "Dudok Wonen"
    assert len(by_title["Toestemming"]["rows"]) == 1
    assert len(by_title["Toetsingen"]["rows"]) >= 1
    application = by_title["Aanvragen grote maatregel"]["rows"][0]
    assert application["IBAN"] == "NL91ABNA0417164300"
    assert application["Subsidie"] == "4200.00"
    assert {row["Soort"] for row in by_title["Documenten"]["rows"]} >= {"Offerte", "Factuur"}
    assert len(by_title["Besluiten"]["rows"]) == 1
    assert by_title["Productpakketten"]["rows"][0]["Producten"] == "4 × LED-lamp à 4.50; geplaatst: 3"
    assert len(by_title["Bezoeken"]["rows"]) == 3
    assert by_title["Bevindingen en advies van de intake"]["rows"][0]["Advies"] == "Advies appelboom"
    assert by_title["Evaluaties"]["rows"][0]["Opmerkingen"] == "Warmer appelboom"
    assert by_title["Doorverwijzingen naar een opbouwwerker"]["rows"][0]["Reden"] == "Hulp appelboom"
    assert by_title["Meldingen aan de woningcorporatie"]["rows"][0]["Wat er mis is"] == "Schimmel appelboom"
    records = {event["record"] for event in data["audit_trail"]}
    assert {f"Huishouden {mine.reference}", "Doorverwijzing", "Melding aan de corporatie"} <= records
    assert any(record.startswith("Aanvraag ") for record in records)
    assert any(record.startswith("Bezoek: ") for record in records)
    assert any(record.startswith("Pakket ") for record in records)
    assert [view["what"] for view in data["view_log"]] == [f"Huishouden {mine.reference}"]
    assert data["view_log"][0]["by"] == people["assessor"].get_full_name()
    assert not any("status link" in label or "statuslink" in label.lower()
                   for section in data["sections"] for row in section["rows"] for label in row)


def test_the_export_holds_nothing_of_another_household(households, people, client, immediate_tasks,
                                                        django_capture_on_commit_callbacks):
    mine, other = households
    client.force_login(people["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("households:inzage_request", args=[mine.pk]))
    export = InzageExport.objects.get(household=mine)
    assert response.url == reverse("households:inzage", args=[export.pk])

    content = client.get(reverse("households:inzage_download", args=[export.pk, "json"])).content.decode("utf-8")
    pdf = client.get(reverse("households:inzage_download", args=[export.pk, "pdf"])).content
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    other_application = Application.objects.get(household=other)
    for text in (content, pdf_text.replace("\n", " ")):
        assert mine.reference in text
        assert "appelboom" in text
        for theirs in ("Kees Jansen", other.reference, other_application.reference, "NL02RABO0123456789",
                       "perenboom", other.email):
            assert theirs not in text
    assert json.loads(content)["reference"] == mine.reference


def test_the_pdf_opens_and_names_the_household_and_every_download_is_logged(households, people, client,
                                                                             django_capture_on_commit_callbacks):
    mine, _other = households
    coordinator = people["coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        export = request_inzage(mine, by=coordinator)
    client.force_login(coordinator)

    response = client.get(reverse("households:inzage_download", args=[export.pk, "pdf"]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    reader = PdfReader(io.BytesIO(response.content))
    assert mine.reference in reader.pages[0].extract_text()
    assert "Wie heeft wat bekeken" in "".join(page.extract_text() for page in reader.pages)
    logged = ViewLog.objects.of_subject(subject_key(mine)).filter(kind=ViewLog.Kind.EXPORT).get()
    assert logged.user == coordinator
    event = AuditEvent.objects.for_object(mine).get(action="inzage_requested")
    assert event.actor == coordinator


def test_the_json_is_utf8_indented_with_iso_dates_and_amounts_as_strings(households, people):
    mine, _other = households
    export = InzageExport.objects.create(household=mine, requested_by=people["coordinator"])

    make_inzage_export.call(export.pk)

    export.refresh_from_db()
    assert export.status == InzageExport.Status.DONE
    content = bytes(export.json).decode("utf-8")
    assert content.startswith("{\n  ")
    assert "Fatima el Amrani" in content  # not escaped as \u sequences
    data = json.loads(content)
    application = sections(data)["Aanvragen grote maatregel"]["rows"][0]
    assert application["Offertebedrag"] == "4200.00"
    datetime.datetime.fromisoformat(application["Ingediend op"])
    datetime.date.fromisoformat(sections(data)["Toestemming"]["rows"][0]["Gegeven op"])


@pytest.mark.parametrize("role", ["handyman", "community", "assessor", "finance"])
def test_only_the_coordinator_may_ask_for_the_export(households, people, role):
    mine, _other = households
    with pytest.raises(PermissionDenied):
        request_inzage(mine, by=people[role])
    assert not InzageExport.objects.exists()


def test_the_page_polls_until_the_export_is_made_then_offers_both_files(households, people, client):
    mine, _other = households
    export = InzageExport.objects.create(household=mine, requested_by=people["coordinator"])
    client.force_login(people["coordinator"])

    waiting = client.get(reverse("households:inzage", args=[export.pk])).content.decode()
    make_inzage_export.call(export.pk)
    ready = client.get(reverse("households:inzage", args=[export.pk]), headers={"HX-Request": "true"}).content.decode()

    assert "hx-trigger" in waiting and "wacht" in waiting
    assert "hx-trigger" not in ready
    assert reverse("households:inzage_download", args=[export.pk, "pdf"]) in ready
    assert reverse("households:inzage_download", args=[export.pk, "json"]) in ready


def test_the_household_page_offers_the_request_to_the_coordinator_only(households, people, client):
    mine, _other = households
    button = reverse("households:inzage_request", args=[mine.pk])
    for role, shown in (("coordinator", True), ("assessor", False), ("handyman", False)):
        client.force_login(people[role])
        assert (button in client.get(reverse("households:detail", args=[mine.pk])).content.decode()) is shown, role


def test_old_exports_are_emptied_and_no_longer_downloaded(households, people, client):
    mine, _other = households
    export = InzageExport.objects.create(household=mine, requested_by=people["coordinator"])
    make_inzage_export.call(export.pk)
    later = timezone.now() + KEPT_FOR + datetime.timedelta(minutes=1)

    assert forget_old_exports(timezone.now()) == 0
    assert forget_old_exports(later) == 1

    export.refresh_from_db()
    assert (export.pdf, export.json, export.status) == (None, None, InzageExport.Status.DONE)
    client.force_login(people["coordinator"])
    assert client.get(reverse("households:inzage_download", args=[export.pk, "pdf"])).status_code == 404


def test_collect_reads_a_fixed_number_of_queries_however_many_records(people, immediate_tasks,
                                                                      django_assert_max_num_queries):
    one = full_household(people, name="Een Huishouden", iban="NL91ABNA0417164300", words="een")
    with django_assert_max_num_queries(40) as first:
        collect(one)
    many = full_household(people, name="Veel Huishouden", iban="NL91ABNA0417164300", words="veel")
    for number in range(5):
        ViewLog.objects.create(user=people["coordinator"], subject_key=subject_key(many),
                               subject_label=many.reference, what=f"pagina {number}")
        fieldwork.refer(many, by=people["handyman"], reason=f"Nog een keer {number}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        data = collect(many)
    assert len(sections(data)["Doorverwijzingen naar een opbouwwerker"]["rows"]) == 6
