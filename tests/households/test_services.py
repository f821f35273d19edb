"""The business acts on the register: one transaction, one audit event, permission checked."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent
from households.models import Consent, Dwelling, Household
from households.services import (
    assign_household,
    close_household,
    record_consent,
    register_household,
    reopen_household,
    update_household,
    withdraw_consent,
)
from tests.factories import HouseholdFactory, PrivacyStatementFactory
from tests.households.conftest import DWELLING, HOUSEHOLD

TODAY = datetime.date.today()


def register(programme, by, **overrides):
    household = {**HOUSEHOLD, **overrides.pop("household", {})}
    dwelling = {**DWELLING, "energy_label_date": None, **overrides.pop("dwelling", {})}
    return register_household(programme=programme, by=by, household=household, dwelling=dwelling, **overrides)


def test_registering_gives_the_next_reference_of_the_programme(programme, community_worker):
    first = register(programme, community_worker)
    second = register(programme, community_worker)

    assert first.reference == "HIL-00001"
    assert second.reference == "HIL-00002"
    assert first.status == Household.Status.REGISTERED
    assert first.registered_by == community_worker


def test_registering_stores_the_dwelling_with_a_normalised_postcode(programme, coordinator):
    household = register(programme, coordinator)

    dwelling = Dwelling.objects.get(household=household)
    assert dwelling.postcode == "1221 CM"
    assert dwelling.floor_area_m2 == Decimal("78.5")
    assert household.net_monthly_income == Decimal("1350.00")


def test_registering_records_one_audit_event(programme, coordinator):
    household = register(programme, coordinator)

    event = AuditEvent.objects.for_object(household).get()
    assert (event.action, event.actor, event.data["reference"]) == ("registered", coordinator, "HIL-00001")


def test_the_next_reference_follows_the_highest_number_even_past_99999(programme, coordinator):
    HouseholdFactory(programme=programme, reference="HIL-99999")
    HouseholdFactory(programme=programme, reference="HIL-00005")
    HouseholdFactory(programme=programme, reference="HIL-PAPER")

    assert register(programme, coordinator).reference == "HIL-100000"


def test_a_given_reference_is_kept(programme, coordinator):
    assert register(programme, coordinator, reference="HIL-00042").reference == "HIL-00042"
    assert register(programme, coordinator).reference == "HIL-00043"


def test_a_duplicate_reference_is_refused_and_nothing_is_saved(programme, coordinator):
    register(programme, coordinator, reference="HIL-00042")

    with pytest.raises(ValidationError) as refused:
        register(programme, coordinator, reference="HIL-00042")

    assert "reference" in refused.value.message_dict
    assert Household.objects.count() == 1


@pytest.mark.parametrize(("part", "field", "value"), [
    ("dwelling", "postcode", "0123 AB"),
    ("dwelling", "build_year", TODAY.year + 1),
    ("dwelling", "floor_area_m2", Decimal("0")),
    ("dwelling", "energy_label", "H"),
    ("household", "net_monthly_income", Decimal("-1.00")),
])
def test_bad_input_is_refused_by_the_service_too_and_nothing_is_saved(programme, coordinator, part, field, value):
    with pytest.raises(ValidationError) as refused:
        register(programme, coordinator, **{part: {field: value}})

    assert field in refused.value.message_dict
    assert Household.objects.count() == 0
    assert Dwelling.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_social_rent_needs_the_housing_corporation(programme, coordinator):
    with pytest.raises(ValidationError) as refused:
        register(programme, coordinator, dwelling={"tenure": "social_rent", "housing_corporation": ""})

    assert "housing_corporation" in refused.value.message_dict


@pytest.mark.parametrize("who", ["handyman", "assessor", "finance"])
def test_only_community_workers_and_the_coordinator_register(programme, users_by_role, who):
    with pytest.raises(PermissionDenied):
        register(programme, users_by_role[who])
    assert Household.objects.count() == 0


def test_updating_changes_household_and_dwelling_and_names_the_fields(household, coordinator):
    update_household(household, by=coordinator, household_changes={"residents": 4, "contact_name":
                                                                    household.contact_name},
                     dwelling_changes={"energy_label": "C", "postcode": "1217gh"})

    household.refresh_from_db()
    assert household.residents == 4
    assert household.dwelling.energy_label == "C"
    assert household.dwelling.postcode == "1217 GH"
    event = AuditEvent.objects.for_object(household).get()
    assert event.action == "changed"
    assert event.data["fields"] == ["residents", "dwelling.energy_label", "dwelling.postcode"]


def test_the_assigned_handyman_may_update_but_another_may_not(household, handyman, handyman2):
    update_household(household, by=handyman, household_changes={}, dwelling_changes={"build_year": 1970})

    with pytest.raises(PermissionDenied):
        update_household(household, by=handyman2, household_changes={}, dwelling_changes={"build_year": 1971})
    household.dwelling.refresh_from_db()
    assert household.dwelling.build_year == 1970


def test_consent_for_processing_activates_the_household(household, community_worker):
    consent = record_consent(household, by=community_worker, statement_version="2022-1", given_on=TODAY,
                             processing=True, share_address_level=False)

    household.refresh_from_db()
    assert household.status == Household.Status.ACTIVE
    assert consent.recorded_by == community_worker
    event = AuditEvent.objects.for_object(household).get()
    assert event.action == "consent_recorded" and event.data["activated"] is True


def test_consent_without_processing_leaves_the_household_registered(household, coordinator):
    record_consent(household, by=coordinator, statement_version="2022-1", given_on=TODAY, processing=False)

    household.refresh_from_db()
    assert household.status == Household.Status.REGISTERED


def test_new_consent_replaces_the_earlier_one(household, coordinator):
    PrivacyStatementFactory(programme=household.programme, version="2023-1")
    first = record_consent(household, by=coordinator, statement_version="2022-1", given_on=TODAY, processing=True)
    second = record_consent(household, by=coordinator, statement_version="2023-1", given_on=TODAY, processing=True,
                            share_address_level=True)

    first.refresh_from_db()
    assert first.withdrawn_at is not None
    assert list(Consent.objects.filter(household=household, withdrawn_at=None)) == [second]


def test_an_active_household_cannot_lose_its_consent_for_processing(programme, coordinator):
    household = HouseholdFactory(programme=programme, active=True)
    PrivacyStatementFactory(programme=programme, version="2023-1")

    with pytest.raises(ValidationError) as refused:
        record_consent(household, by=coordinator, statement_version="2023-1", given_on=TODAY, processing=False)

    assert "processing" in refused.value.message_dict
    assert household.consents.filter(withdrawn_at=None).count() == 1


def test_the_coordinator_assigns_a_handyman_and_a_community_worker(household, coordinator, handyman2,
                                                                  community_worker):
    assign_household(household, by=coordinator, handyman=handyman2, community_worker=community_worker)

    household.refresh_from_db()
    assert household.handyman == handyman2
    event = AuditEvent.objects.for_object(household).get()
    assert event.data == {"handyman": "handyman2", "community_worker": "community"}


def test_only_a_handyman_can_be_assigned_as_handyman(household, coordinator, assessor):
    with pytest.raises(ValidationError) as refused:
        assign_household(household, by=coordinator, handyman=assessor)

    assert "handyman" in refused.value.message_dict


@pytest.mark.parametrize("who", ["handyman", "community", "assessor", "finance"])
def test_only_the_coordinator_assigns(household, users_by_role, who):
    with pytest.raises(PermissionDenied):
        assign_household(household, by=users_by_role[who], handyman=users_by_role["handyman2"])


def test_closing_records_the_reason(household, coordinator):
    close_household(household, by=coordinator, reason="Verhuisd naar Utrecht")

    household.refresh_from_db()
    assert household.status == Household.Status.CLOSED
    assert AuditEvent.objects.for_object(household).get().note == "Verhuisd naar Utrecht"


def test_a_closed_household_cannot_be_closed_again(programme, coordinator):
    household = HouseholdFactory(programme=programme, closed=True)

    with pytest.raises(ValidationError):
        close_household(household, by=coordinator, reason="again")


def test_the_handyman_may_not_close(household, handyman):
    with pytest.raises(PermissionDenied):
        close_household(household, by=handyman, reason="no")
    household.refresh_from_db()
    assert household.status == Household.Status.REGISTERED


def test_factory_traits_are_named_after_states(programme):
    assert HouseholdFactory(programme=programme).status == Household.Status.REGISTERED
    active = HouseholdFactory(programme=programme, active=True)
    assert active.status == Household.Status.ACTIVE and active.has_processing_consent()
    assert HouseholdFactory(programme=programme, closed=True).status == Household.Status.CLOSED
    assert Dwelling.objects.filter(household=active).exists()


def test_withdrawing_consent_ends_it_and_closes_an_active_household(programme, handyman, coordinator):
    household = HouseholdFactory(programme=programme, active=True, handyman=handyman)

    withdraw_consent(household, by=handyman, note="Belde op: wil niet meer meedoen")

    household.refresh_from_db()
    assert household.status == Household.Status.CLOSED
    consent = household.consents.get()
    assert consent.withdrawn_at is not None and consent.withdrawn_by_resident
    event = AuditEvent.objects.for_object(household).get(action="consent_withdrawn")
    assert event.actor == handyman and event.data["closed"] is True
    assert event.note == "Belde op: wil niet meer meedoen"


def test_withdrawing_without_consent_in_force_is_refused_and_changes_nothing(programme, coordinator):
    household = HouseholdFactory(programme=programme)

    with pytest.raises(ValidationError):
        withdraw_consent(household, by=coordinator)

    assert not AuditEvent.objects.for_object(household).exists()


def test_a_registered_household_stays_registered_when_consent_without_processing_is_withdrawn(programme,
                                                                                            coordinator):
    household = HouseholdFactory(programme=programme)
    record_consent(household, by=coordinator, statement_version="2022-1", given_on=TODAY, processing=False)

    withdraw_consent(household, by=coordinator)

    household.refresh_from_db()
    assert household.status == Household.Status.REGISTERED
    assert not household.consents.filter(withdrawn_at=None).exists()


def test_reopening_needs_new_consent_after_a_withdrawal(programme, coordinator):
    household = HouseholdFactory(programme=programme, active=True)
    withdraw_consent(household, by=coordinator)

    with pytest.raises(ValidationError) as refused:
        reopen_household(household, by=coordinator, reason="Wil toch graag hulp")
    assert refused.value.code == "processing_needed"

    record_consent(household, by=coordinator, statement_version="2022-1", given_on=TODAY, processing=True)
    reopen_household(household, by=coordinator, reason="Wil toch graag hulp")

    household.refresh_from_db()
    assert household.status == Household.Status.ACTIVE
    assert AuditEvent.objects.for_object(household).filter(action="reopened").get().note == "Wil toch graag hulp"


def test_only_a_closed_household_can_be_reopened(programme, coordinator):
    household = HouseholdFactory(programme=programme, active=True)

    with pytest.raises(ValidationError):
        reopen_household(household, by=coordinator, reason="?")


@pytest.mark.parametrize("who", ["handyman", "assessor", "finance"])
def test_handymen_assessors_and_finance_may_not_reopen(programme, users_by_role, who):
    household = HouseholdFactory(programme=programme, closed=True, handyman=users_by_role["handyman"])

    with pytest.raises(PermissionDenied):
        reopen_household(household, by=users_by_role[who], reason="no")
    household.refresh_from_db()
    assert household.status == Household.Status.CLOSED
