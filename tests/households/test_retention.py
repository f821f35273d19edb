"""Retention and anonymisation (issue 14, item 4): when a household's personal data is due, what anonymisation
removes and keeps, that it happens once, and that the daily run reads the candidates without scanning the register."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.append_only import AppendOnlyError, redact
from accounts.audit import history_of, record_event
from accounts.models import AuditEvent
from eligibility.models import Assessment
from households.models import Household, InzageExport
from households.retention import (
    ANONYMISED,
    add_months,
    anonymise_household,
    candidates,
    due_for_anonymisation,
    retention_due_at,
    retention_review,
)
from households.services import assess_eligibility
from tests.factories import HouseholdFactory
from tests.households.test_register_at_scale import plan_of

NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 12, 0))


def months_ago(months: int, days: int = 0) -> datetime.datetime:
    return NOW - datetime.timedelta(days=round(months * 30.44) + days)


def closed_household(programme, *, closed_at, **fields) -> Household:
    return HouseholdFactory(programme=programme, closed=True, closed_at=closed_at, contact_name="Fatima el Amrani",
                            phone="06 12345678", email="fatima@example.nl", net_monthly_income="1350.00",
                            dwelling__street="Larenseweg", dwelling__house_number=112, dwelling__house_letter="a",
                            dwelling__house_number_addition="2", dwelling__postcode="1221 CM",
                            dwelling__bag_id="0402010001234567", dwelling__energy_label="E",
                            dwelling__build_year=1958, dwelling__floor_area_m2="78.5", **fields)


def test_an_open_household_is_never_due(programme):
    household = HouseholdFactory(programme=programme, active=True)

    assert retention_due_at(household, now=NOW) is None


def test_a_closed_household_is_due_the_programmes_months_after_closing(programme):
    household = closed_household(programme, closed_at=timezone.make_aware(datetime.datetime(2024, 1, 31, 9, 0)))

    assert programme.retention_months_after_closing == 24
    assert retention_due_at(household, now=NOW) == timezone.make_aware(datetime.datetime(2026, 1, 31, 9, 0))


def test_an_erasure_asked_for_is_due_at_once(programme):
    asked = months_ago(0, days=1)
    household = closed_household(programme, closed_at=asked, erasure_requested_at=asked)

    assert retention_due_at(household, now=NOW) == asked


def test_due_lists_only_the_households_whose_period_passed(programme):
    due = closed_household(programme, closed_at=months_ago(25))
    closed_household(programme, closed_at=months_ago(23))  # not yet
    HouseholdFactory(programme=programme, active=True)
    closed_household(programme, closed_at=months_ago(30), anonymised_at=months_ago(6))  # done already

    assert [verdict.household for verdict in due_for_anonymisation(NOW)] == [due]
    assert [verdict.reason for verdict in due_for_anonymisation(NOW)] == ["retention"]


def test_a_programme_with_a_shorter_period_has_its_households_due_sooner(programme):
    programme.retention_months_after_closing = 6
    programme.save()
    household = closed_household(programme, closed_at=months_ago(7))

    assert [verdict.household for verdict in due_for_anonymisation(NOW, programme)] == [household]


def left_registered(programme, *, last_changed, **fields) -> Household:
    household = HouseholdFactory(programme=programme, contact_name="Fatima el Amrani", **fields)
    Household.objects.filter(pk=household.pk).update(updated_at=last_changed)  # auto_now: set afterwards
    household.refresh_from_db()
    return household


def test_a_household_left_registered_is_due_the_programmes_months_after_its_last_change(programme):
    """Consent never given, refused, or withdrawn without erasure: nobody works with the household, and its data
    would otherwise be kept for ever."""
    due = left_registered(programme, last_changed=months_ago(25))
    left_registered(programme, last_changed=months_ago(23))  # not yet
    active = HouseholdFactory(programme=programme, active=True)
    Household.objects.filter(pk=active.pk).update(updated_at=months_ago(30))  # worked with: kept while open

    assert retention_due_at(due, now=NOW) == add_months(due.updated_at, 24)
    assert [(verdict.household, verdict.reason) for verdict in due_for_anonymisation(NOW)] == [(due, "retention")]


def test_anonymising_a_household_left_registered_closes_it(programme):
    household = left_registered(programme, last_changed=months_ago(25))

    anonymise_household(household, now=NOW, reason="retention")

    household.refresh_from_db()
    assert (household.status, household.closed_at, household.contact_name) == ("closed", NOW, ANONYMISED)
    assert household.reached_at is None  # never reached: the figures count it as before


def test_finding_the_due_households_does_not_read_the_register(programme, django_assert_num_queries):
    closed_household(programme, closed_at=months_ago(25))
    left_registered(programme, last_changed=months_ago(25))
    # the programmes, the closed and the registered candidates, the due ones' applications
    with django_assert_num_queries(5) as few:
        due_for_anonymisation(NOW)
    HouseholdFactory.create_batch(20, programme=programme, active=True)
    for months in range(20):
        closed_household(programme, closed_at=months_ago(months))  # closed, not yet due
        left_registered(programme, last_changed=months_ago(months))  # registered, not yet due
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(due_for_anonymisation(NOW)) == 2


def test_the_candidates_are_read_through_their_partial_indexes(postgres_required, programme):
    closed_household(programme, closed_at=months_ago(25))
    left_registered(programme, last_changed=months_ago(25))
    closed, registered = candidates(NOW)

    assert "household_to_anonymise" in plan_of(closed)
    assert "household_left_registered" in plan_of(registered)


@pytest.fixture
def anonymised(programme, handyman):
    household = closed_household(programme, closed_at=months_ago(25), handyman=handyman)
    removed = anonymise_household(household, now=NOW, reason="retention")
    household.refresh_from_db()
    household.dwelling.refresh_from_db()
    return household, removed


def test_anonymising_removes_the_households_personal_data(anonymised):
    household, _removed = anonymised

    assert household.contact_name == ANONYMISED
    assert (household.phone, household.email, household.net_monthly_income) == ("", "", None)
    dwelling = household.dwelling
    assert (dwelling.house_number, dwelling.house_letter, dwelling.house_number_addition, dwelling.bag_id) == (
        None, "", "", "")
    assert household.anonymised_at == NOW


def test_anonymising_keeps_what_the_figures_need(anonymised, handyman):
    household, _removed = anonymised

    assert (household.status, household.household_type, household.residents, household.referral_source) == (
        "closed", "single", 1, "income_consultant")
    assert household.reached_at is not None and household.closed_at is not None
    assert household.handyman == handyman
    dwelling = household.dwelling
    assert (dwelling.postcode, dwelling.street, dwelling.city) == ("1221 CM", "Larenseweg", "Hilversum")
    assert (dwelling.energy_label, dwelling.build_year, dwelling.floor_area_m2, dwelling.tenure) == (
        "E", 1958, Decimal("78.5"), "owner_occupier")
    assert dwelling.address_line == "Larenseweg "


def test_anonymising_records_one_event_by_the_system_with_what_it_removed(anonymised):
    household, removed = anonymised

    (event,) = [event for event in history_of(household) if event.action == "anonymised"]
    assert event.actor is None
    assert event.data["reason"] == "retention"
    assert event.data["removed"] == removed
    assert removed["households"]["dwelling"] == 1
    assert set(removed) >= {"households", "eligibility", "subsidy", "fieldwork"}


def test_an_inzage_export_keeps_its_row_as_the_record_of_the_answer_and_loses_its_files(programme, coordinator):
    household = closed_household(programme, closed_at=months_ago(25))
    export = InzageExport.objects.create(household=household, requested_by=coordinator,
                                         status=InzageExport.Status.DONE, pdf=b"%PDF Fatima el Amrani",
                                         json=b'{"naam": "Fatima el Amrani"}', finished_at=months_ago(26))

    removed = anonymise_household(household, now=NOW, reason="retention")

    export.refresh_from_db()
    assert (export.status, export.requested_by, export.finished_at) == (
        InzageExport.Status.DONE, coordinator, months_ago(26))
    assert (export.pdf, export.json) == (None, None)
    assert removed["households"]["inzage_exports"] == 1


def test_anonymising_twice_changes_nothing_the_second_time(anonymised):
    household, _removed = anonymised
    events = AuditEvent.objects.for_object(household).count()

    assert anonymise_household(household, now=NOW + datetime.timedelta(days=1), reason="retention") is None

    household.refresh_from_db()
    assert household.anonymised_at == NOW
    assert AuditEvent.objects.for_object(household).count() == events


def test_the_notes_in_the_households_history_are_blanked_and_the_acts_stay(programme, coordinator):
    household = closed_household(programme, closed_at=months_ago(25))
    record_event(household, actor=coordinator, action="closed", note="Mevrouw El Amrani verhuist naar Almere.")
    record_event(household, actor=coordinator, action="deleted_in_admin", label="TST-1 Fatima el Amrani")

    anonymise_household(household, now=NOW, reason="retention")

    closed = AuditEvent.objects.for_object(household).get(action="closed")
    assert (closed.note, closed.actor) == ("", coordinator)
    assert "label" not in AuditEvent.objects.for_object(household).get(action="deleted_in_admin").data


def test_the_income_goes_from_the_stored_assessments_and_their_verdicts_stay(programme, handyman):
    household = HouseholdFactory(programme=programme, active=True, handyman=handyman, energy_allowance="no",
                                 net_monthly_income="1350.00")
    assessment = assess_eligibility(household, by=handyman)
    assert "1.350,00" in str(assessment.tiers) or "1350" in str(assessment.tiers)
    Household.objects.filter(pk=household.pk).update(status="closed", closed_at=months_ago(25))

    anonymise_household(household, now=NOW, reason="retention")

    after = Assessment.objects.get(pk=assessment.pk)
    assert after.inputs["net_monthly_income"] is None
    assert "1350" not in str(after.tiers) and "1.350" not in str(after.tiers)
    assert (after.small_status, after.medium_status, after.large_status) == (
        assessment.small_status, assessment.medium_status, assessment.large_status)
    assert after.income_limit == assessment.income_limit


def test_append_only_records_still_refuse_an_ordinary_update(programme, coordinator):
    household = HouseholdFactory(programme=programme)
    record_event(household, actor=coordinator, action="closed", note="Verhuisd.")

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.for_object(household).update(note="")
    with pytest.raises(AppendOnlyError):
        Assessment.objects.filter(household=household).update(inputs={})


def test_redacting_refuses_a_field_the_record_does_not_declare(programme, coordinator):
    household = HouseholdFactory(programme=programme)
    record_event(household, actor=coordinator, action="closed", note="Verhuisd.")

    with pytest.raises(AppendOnlyError, match="action"):
        redact(AuditEvent.objects.for_object(household), action="")
    assert AuditEvent.objects.for_object(household).get(action="closed").note == "Verhuisd."


def test_an_anonymised_household_is_no_longer_reviewed(anonymised):
    assert retention_review(NOW + datetime.timedelta(days=1)) == []


def test_an_anonymised_household_takes_no_details_or_consent_again(programme, coordinator):
    from django.core.exceptions import ValidationError

    from households.services import record_consent, update_household

    household = closed_household(programme, closed_at=months_ago(30))
    anonymise_household(household, reason="retention")
    consents = household.consents.count()

    with pytest.raises(ValidationError, match="als nieuw huishouden"):
        update_household(household, by=coordinator, household_changes={"contact_name": "J. Jansen"},
                         dwelling_changes={})
    with pytest.raises(ValidationError):
        record_consent(household, by=coordinator, statement_version="2022-1", given_on=timezone.localdate(),
                       processing=True)
    household.refresh_from_db()
    assert household.contact_name != "J. Jansen"
    assert household.consents.count() == consents


def test_an_anonymised_households_page_offers_no_acts_on_its_details(client, programme, coordinator):
    from django.urls import reverse

    household = closed_household(programme, closed_at=months_ago(30))
    anonymise_household(household, reason="retention")
    client.force_login(coordinator)

    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()

    for act in ("edit", "consent", "assign", "withdraw_consent", "assess"):
        assert reverse(f"households:{act}", args=[household.pk]) not in page, act
    assert "zijn op" in page and "verwijderd" in page
