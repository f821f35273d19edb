"""Erasure (issue 14, item 4; AVG art. 17), asked for when withdrawing consent or later, without consent in force:
the same anonymisation as the daily run, at once when nothing holds the data, otherwise when the hold ends; the page
says which."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from households.models import Household
from households.retention import ANONYMISED
from households.services import reopen_household, request_erasure, withdraw_consent
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


def test_erasure_asked_for_after_the_consent_was_withdrawn_removes_the_data(programme, handyman):
    household = HouseholdFactory(programme=programme, active=True, handyman=handyman, contact_name="Piet Jansen")
    withdraw_consent(household, by=handyman)

    household = request_erasure(household, by=handyman, note="Belde op 3 maart")

    assert (household.status, household.contact_name) == (Household.Status.CLOSED, ANONYMISED)
    assert household.erasure_requested_at is not None
    events = AuditEvent.objects.for_object(household)
    asked = events.get(action="erasure_requested")
    assert (asked.actor, asked.note, asked.data["closed"]) == (handyman, "", False)  # the note goes with the rest
    anonymised = events.get(action="anonymised")
    assert (anonymised.actor, anonymised.data["reason"]) == (handyman, "erasure")


def test_erasure_of_a_household_that_never_consented_closes_it(programme, coordinator):
    household = HouseholdFactory(programme=programme)  # registered, no consent

    household = request_erasure(household, by=coordinator)

    assert (household.status, household.contact_name) == (Household.Status.CLOSED, ANONYMISED)
    assert AuditEvent.objects.for_object(household).get(action="erasure_requested").data["closed"] is True


def test_erasure_asked_for_later_also_waits_for_the_financial_term(people):
    application = application_in("paid", people)
    withdraw_consent(application.household, by=people["community"])

    household = request_erasure(application.household, by=people["community"])

    assert household.erasure_requested_at is not None
    assert (household.anonymised_at, household.contact_name != ANONYMISED) == (None, True)


def test_withdrawing_with_erasure_asks_for_it_the_same_way(programme, handyman):
    household = withdraw_consent(HouseholdFactory(programme=programme, active=True, handyman=handyman),
                                 by=handyman, erase=True)

    actions = [event.action for event in AuditEvent.objects.for_object(household).order_by("pk")]
    assert actions[-3:] == ["consent_withdrawn", "erasure_requested", "anonymised"]


def test_erasure_is_refused_with_consent_in_force_twice_or_without_the_permission(programme, handyman, assessor,
                                                                                   people):
    active = HouseholdFactory(programme=programme, active=True, handyman=handyman)
    with pytest.raises(ValidationError, match="intrekken"):
        request_erasure(active, by=handyman)
    held = application_in("paid", people).household
    withdraw_consent(held, by=people["community"], erase=True)
    with pytest.raises(ValidationError, match="al vastgelegd"):
        request_erasure(held, by=people["community"])
    with pytest.raises(PermissionDenied):
        request_erasure(HouseholdFactory(programme=programme), by=assessor)

    active.refresh_from_db()
    assert (active.status, active.erasure_requested_at) == (Household.Status.ACTIVE, None)


def test_the_household_page_offers_erasure_once_no_consent_is_in_force(client, programme, handyman):
    household = HouseholdFactory(programme=programme, active=True, handyman=handyman, contact_name="Piet Jansen")
    client.force_login(handyman)
    detail = reverse("households:detail", args=[household.pk])
    erasure = reverse("households:request_erasure", args=[household.pk])
    assert erasure not in client.get(detail).content.decode()  # consent in force: the withdrawal page asks it

    withdraw_consent(household, by=handyman)
    assert erasure in client.get(detail).content.decode()
    form = client.get(erasure).content.decode()
    response = client.post(erasure, {"note": ""}, follow=True)

    assert "Persoonsgegevens van" in form and 'name="note"' in form
    page = response.content.decode()
    assert "De persoonsgegevens van het huishouden zijn verwijderd." in page
    assert "Piet Jansen" not in page and erasure not in page
    assert "om wissen gevraagd" in page  # the history says so


def test_the_erasure_page_says_until_when_a_paid_application_keeps_the_data(client, people):
    application = application_in("paid", people)
    withdraw_consent(application.household, by=people["community"])
    client.force_login(people["community"])
    until = application.paid_on.replace(year=application.paid_on.year + 7)

    response = client.post(reverse("households:request_erasure", args=[application.household_id]), {"note": ""},
                           follow=True)

    page = response.content.decode()
    assert "Het verzoek om wissen is vastgelegd." in page
    assert f"worden tot {until.day} " in page and f"{until.year} bewaard voor de financiële controle" in page

