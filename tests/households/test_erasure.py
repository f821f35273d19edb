"""Withdrawing consent with erasure (issue 14, item 4; AVG art. 17): the same anonymisation as the daily run, at
once when nothing holds the data, otherwise when the hold ends; the page says which."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from households.models import Household
from households.retention import ANONYMISED
from households.services import reopen_household, withdraw_consent
from tests.factories import HouseholdFactory, application_in


def test_erasure_anonymises_the_household_at_once_when_nothing_holds_it(programme, handyman):
    household = HouseholdFactory(programme=programme, active=True, handyman=handyman, contact_name="Piet Jansen")

    household = withdraw_consent(household, by=handyman, note="Wil alles gewist", erase=True)

    assert household.status == Household.Status.CLOSED
    assert household.contact_name == ANONYMISED and household.anonymised_at is not None
    anonymised = AuditEvent.objects.for_object(household).get(action="anonymised")
    assert anonymised.actor == handyman and anonymised.data["reason"] == "erasure"
    withdrawn = AuditEvent.objects.for_object(household).get(action="consent_withdrawn")
    assert withdrawn.data["erasure_requested"] is True
    assert withdrawn.note == ""  # the note is free text about the resident: it goes too


def test_erasure_of_a_household_with_a_paid_application_waits_for_the_financial_term(people):
    application = application_in("paid", people)

    household = withdraw_consent(application.household, by=people["community"], erase=True)

    assert household.status == Household.Status.CLOSED
    assert household.erasure_requested_at is not None
    assert household.anonymised_at is None
    assert household.contact_name != ANONYMISED


def test_erasure_closes_a_registered_household_too(programme, coordinator):
    household = HouseholdFactory(programme=programme, closed=True)
    Household.objects.filter(pk=household.pk).update(status="registered")

    household = withdraw_consent(household, by=coordinator, erase=True)

    assert (household.status, household.contact_name) == (Household.Status.CLOSED, ANONYMISED)


def test_an_anonymised_household_is_not_reopened(programme, coordinator):
    household = withdraw_consent(HouseholdFactory(programme=programme, active=True), by=coordinator, erase=True)

    with pytest.raises(ValidationError, match="registreer de bewoner opnieuw"):
        reopen_household(household, by=coordinator, reason="Toch weer")


def test_the_withdrawal_page_offers_erasure_and_says_the_data_is_removed(client, handyman, programme):
    household = HouseholdFactory(programme=programme, active=True, handyman=handyman, contact_name="Piet Jansen")
    client.force_login(handyman)
    url = reverse("households:withdraw_consent", args=[household.pk])

    form = client.get(url).content.decode()
    assert 'name="erase"' in form and "vraagt ook om zijn of haar persoonsgegevens te wissen" in form

    response = client.post(url, {"note": "", "erase": "on"}, follow=True)

    page = response.content.decode()
    assert "De toestemming is ingetrokken en de persoonsgegevens van het huishouden zijn verwijderd." in page
    assert "Piet Jansen" not in page and "zijn op" in page  # the page says when they were removed
    household.refresh_from_db()
    assert household.anonymised_at is not None


def test_the_withdrawal_page_says_until_when_a_paid_application_keeps_the_data(client, people):
    application = application_in("paid", people)
    client.force_login(people["community"])
    until = application.paid_on.replace(year=application.paid_on.year + 7)

    response = client.post(reverse("households:withdraw_consent", args=[application.household_id]),
                           {"note": "", "erase": "on"}, follow=True)

    assert f"worden tot {until.day} " in response.content.decode()
    assert f"{until.year} bewaard voor de financiële controle" in response.content.decode()
    assert Household.objects.get(pk=application.household_id).anonymised_at is None
