"""Assessing a household's eligibility from its page: who may, and only with the resident's consent
for processing (the page says processing starts at consent). What is stored: tests/eligibility/test_assessments.py."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from eligibility.models import Assessment
from households.services import assess_eligibility, record_consent, withdraw_consent
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

SEPT_2022 = datetime.date(2022, 9, 1)
NO_CONSENT = ("De bewoner heeft nog geen toestemming gegeven voor verwerking, dus de toetsing wacht nog. Het "
              "huishouden wordt actief zodra de bewoner toestemming geeft voor verwerking; leg die eerst vast.")


@pytest.fixture
def consented(programme, handyman, community_worker, coordinator):
    return HouseholdFactory(programme=programme, handyman=handyman, community_worker=community_worker,
                            registered_by=coordinator, household_type="single", net_monthly_income="1250.00",
                            energy_allowance="no", active=True)


@pytest.fixture
def registered(programme, handyman, community_worker, coordinator):
    return HouseholdFactory(programme=programme, handyman=handyman, community_worker=community_worker,
                            registered_by=coordinator)


def page_text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


@pytest.mark.parametrize("who", ["coordinator", "assessor", "handyman", "community"])
def test_the_coordinator_assessors_and_the_households_own_workers_may_assess(consented, users_by_role, who):
    assert assess_eligibility(consented, by=users_by_role[who], on_date=SEPT_2022).pk


@pytest.mark.parametrize("who", ["handyman2", "finance"])
def test_others_may_not_assess(consented, users_by_role, who):
    with pytest.raises(PermissionDenied):
        assess_eligibility(consented, by=users_by_role[who], on_date=SEPT_2022)
    assert Assessment.objects.count() == 0


def test_a_household_without_consent_for_processing_is_not_assessed(registered, assessor):
    with pytest.raises(ValidationError) as refused:
        assess_eligibility(registered, by=assessor, on_date=SEPT_2022)

    assert refused.value.messages == [NO_CONSENT]
    assert Assessment.objects.count() == 0


def test_a_refusal_or_a_withdrawn_consent_is_no_consent_for_assessing(registered, consented, coordinator):
    record_consent(registered, by=coordinator, statement_version="2022-1", given_on=SEPT_2022, processing=False)
    withdraw_consent(consented, by=coordinator, note="Bewoner belde")

    for household in (registered, consented):
        with pytest.raises(ValidationError):
            assess_eligibility(household, by=coordinator, on_date=SEPT_2022)
    assert Assessment.objects.count() == 0


def test_the_household_page_offers_the_first_assessment(client, consented, handyman):
    client.force_login(handyman)

    page = page_text(client.get(reverse("households:detail", args=[consented.pk])))

    assert "Toetsing" in page
    assert "Nog niet getoetst." in page
    assert reverse("households:assess", args=[consented.pk]) in page


def test_the_handyman_assesses_from_the_household_page_and_reads_the_reasons(client, consented, handyman):
    client.force_login(handyman)

    response = client.post(reverse("households:assess", args=[consented.pk]), follow=True)

    page = page_text(response)
    assert response.redirect_chain[-1][0] == reverse("households:detail", args=[consented.pk]) + "#eligibility"
    assert "Getoetst met de regels die gelden op" in page
    assert "Het netto maandinkomen van € 1.250,00 valt binnen de grens" in page
    assert "Opnieuw toetsen" in page
    assert Assessment.objects.get().assessed_by == handyman


def test_before_consent_the_page_says_why_it_cannot_assess_and_a_post_is_refused_with_that_sentence(
        client, registered, handyman):
    client.force_login(handyman)

    page = page_text(client.get(reverse("households:detail", args=[registered.pk])))
    assert reverse("households:assess", args=[registered.pk]) not in page
    assert NO_CONSENT in page

    response = client.post(reverse("households:assess", args=[registered.pk]), follow=True)

    assert NO_CONSENT in page_text(response)
    assert "Getoetst met de regels" not in page_text(response)
    assert Assessment.objects.count() == 0


def test_the_household_page_says_when_a_reassessment_is_due(client, consented, coordinator):
    client.force_login(coordinator)
    client.post(reverse("households:assess", args=[consented.pk]))
    consented.dwelling.tenure = "private_rent"
    consented.dwelling.save()

    page = page_text(client.get(reverse("households:detail", args=[consented.pk])))

    assert "Gewijzigd sinds de laatste toetsing" in page
    assert "Opnieuw toetsen is nodig" in page


def test_the_finance_officer_sees_the_assessment_but_cannot_assess(client, consented, coordinator, finance_officer):
    assess_eligibility(consented, by=coordinator, on_date=SEPT_2022)
    client.force_login(finance_officer)

    page = page_text(client.get(reverse("households:detail", args=[consented.pk])))

    assert "Getoetst op" in page
    assert reverse("households:assess", args=[consented.pk]) not in page
    assert NO_CONSENT not in page
    assert client.post(reverse("households:assess", args=[consented.pk])).status_code == 403
