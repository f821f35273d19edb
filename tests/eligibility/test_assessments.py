"""Assessing a household stores what was known, what was decided and why; its section shows it.

Who may assess, the consent it needs and the household page: tests/households/test_assessing.py.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from accounts.audit import history_of
from eligibility.models import Assessment
from eligibility.parameters import NoParametersOnDate
from eligibility.selectors import household_eligibility
from eligibility.services import changed_since, circumstances_of, record_assessment

pytestmark = pytest.mark.django_db

SEPT_2022 = datetime.date(2022, 9, 1)


@pytest.fixture
def household(programme, handyman, community_worker):
    from households.models import Dwelling, Household

    household = Household.objects.create(
        programme=programme, reference="HIL-T001", contact_name="J. Jansen", household_type="couple",
        net_monthly_income=D("1900.00"), energy_allowance="no", referral_source="other", handyman=handyman,
        community_worker=community_worker)
    Dwelling.objects.create(household=household, street="Kerkstraat", house_number=1, postcode="1211 AB",
                            city="Hilversum", energy_label="E", tenure="owner_occupier")
    return household


def test_an_assessment_stores_inputs_verdicts_parameters_version_who_and_when(household, assessor):
    assessment = record_assessment(household, by=assessor, on_date=SEPT_2022)

    assert assessment.inputs == {"household_type": "couple", "net_monthly_income": "1900.00",
                                 "energy_allowance_received": False, "energy_label": "E",
                                 "tenure": "owner_occupier", "large_measures_taken": 0}
    assert assessment.income_limit == D("1943.93")
    assert (assessment.small_status, assessment.medium_status, assessment.large_status) == (
        "eligible", "eligible", "eligible")
    assert assessment.rule_set_version == "hilversum-2022-v1"
    assert assessment.parameters["norm_valid_from"] == "2022-07-01"
    assert assessment.tier("large")["max_grant"] == "5000.00"
    assert [v["rule"] for v in assessment.tier("large")["verdicts"]] == [
        "income", "energy_label", "owner_occupier", "one_large_measure"]
    assert all(v["reason"] for v in assessment.tier("large")["verdicts"])
    assert assessment.assessed_by == assessor and assessment.assessed_at is not None
    event = history_of(household).get()
    assert event.action == "eligibility_assessed" and event.actor == assessor
    assert event.data["large"] == "eligible"


def test_a_household_without_dwelling_or_income_is_undecided_not_refused(programme, coordinator):
    from households.models import Household

    household = Household.objects.create(programme=programme, reference="HIL-T002", contact_name="A. de Vries",
                                         household_type="single", referral_source="other")

    assessment = record_assessment(household, by=coordinator, on_date=SEPT_2022)

    assert assessment.inputs["energy_label"] == "unknown"
    assert assessment.inputs["tenure"] is None
    assert {assessment.small_status, assessment.large_status} == {"undecided"}


def test_the_energy_allowance_letter_on_the_household_counts_as_proof_of_income(household, assessor):
    household.net_monthly_income = None
    household.energy_allowance = "yes"
    household.save()

    assessment = record_assessment(household, by=assessor, on_date=SEPT_2022)

    assert assessment.small_status == "eligible"


def test_a_date_before_the_first_rules_stores_nothing(household, assessor):
    with pytest.raises(NoParametersOnDate):
        record_assessment(household, by=assessor, on_date=datetime.date(2021, 6, 1))
    assert Assessment.objects.count() == 0


def test_a_change_of_income_label_tenure_or_type_makes_a_reassessment_due(household, assessor):
    assessment = record_assessment(household, by=assessor, on_date=SEPT_2022)
    assert changed_since(assessment, household) == []

    household.net_monthly_income = D("2100.00")
    household.household_type = "couple_pension_age"
    household.dwelling.energy_label = "B"
    household.dwelling.tenure = "private_rent"

    assert len(changed_since(assessment, household)) == 4


def test_a_reassessment_is_a_new_record_and_the_old_one_is_kept(household, assessor):
    first = record_assessment(household, by=assessor, on_date=SEPT_2022)
    household.net_monthly_income = D("2500.00")
    household.save()

    second = record_assessment(household, by=assessor, on_date=SEPT_2022)

    assert second.small_status == "not_eligible"
    assert Assessment.objects.get(pk=first.pk).small_status == "eligible"
    with pytest.raises(ValueError):
        first.save()


def test_the_circumstances_are_read_from_the_household(household):
    circumstances = circumstances_of(household)

    assert circumstances.household_type == "couple"
    assert circumstances.energy_label == "E"
    assert circumstances.tenure == "owner_occupier"
    assert circumstances.large_measures_taken == 0


def test_the_household_section_shows_the_latest_reasons_history_and_the_reassessment_due(
        household, assessor, django_assert_max_num_queries):
    record_assessment(household, by=assessor, on_date=SEPT_2022)
    household.net_monthly_income = D("2500.00")
    household.save()
    record_assessment(household, by=assessor, on_date=SEPT_2022)
    household.dwelling.energy_label = "unknown"
    household.dwelling.save()
    request = RequestFactory().get("/")
    request.user = assessor

    with django_assert_max_num_queries(3):
        context = household_eligibility(household)
    html = render_to_string("eligibility/_household_assessment.html",
                            {"eligibility": {**context, "assess_url": "/households/1/assess/"}}, request=request)
    text = html.replace("\xa0", " ")

    assert len(context["history"]) == 2
    assert "hoger dan de grens van € 1.943,93" in text
    assert "Opnieuw toetsen is nodig" in text
    assert "energielabel" in text
    assert "Opnieuw toetsen" in text
    assert "Eerdere toetsingen" in text


def test_without_a_way_to_assess_the_section_has_no_button(household, finance_officer):
    request = RequestFactory().get("/")
    request.user = finance_officer

    html = render_to_string("eligibility/_household_assessment.html",
                            {"eligibility": household_eligibility(household)}, request=request)

    assert "Nog niet getoetst." in html
    assert "<button" not in html
