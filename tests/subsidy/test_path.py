"""The application's way through its states, with the grants line's totals after each step (issue 11)."""

from decimal import Decimal

from budget.models import BudgetLine
from subsidy import services
from subsidy.models import Application
from tests.factories import application_in

S = Application.Status


def grants(programme) -> BudgetLine:
    return BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.GRANTS)


def test_approval_commits_the_grant_and_a_lower_payout_releases_the_rest_then_payment_spends_it(people, programme):
    before = grants(programme)
    application = application_in("approved", people)
    line = grants(programme)
    assert application.granted_amount == Decimal("4200.00")
    assert line.committed_open - before.committed_open == Decimal("4200.00")

    application = application_in("payout_set", people, invoice="3900.00", payout="3900.00")
    line = grants(programme)
    assert application.payout_amount == Decimal("3900.00")
    assert line.committed_open - before.committed_open == Decimal("4200.00") + Decimal("3900.00")

    services.mark_paid(application, by=people["finance"], paid_on=application.payout_set_at.date(),
                       iban="NL91 ABNA 0417 1643 00")
    line = grants(programme)
    assert line.spent - before.spent == Decimal("3900.00")
    assert line.committed_open - before.committed_open == Decimal("4200.00")


def test_withdrawing_an_approved_application_releases_its_commitment(people, programme):
    application = application_in("approved", people)
    committed = grants(programme).committed_open
    services.withdraw(application, by=people["community"], note="Verhuist")
    assert grants(programme).committed_open == committed - Decimal("4200.00")
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN


def test_the_applicant_withdraws_through_the_status_link_and_the_release_is_booked_by_the_system(people, programme):
    application = application_in("approved", people)
    services.withdraw(application, by=services.Actor.APPLICANT)
    release = application.commitment.follow_ups.get()
    assert release.booked_by is None
    assert release.amount == Decimal("4200.00")


def test_a_lapsed_grant_releases_its_commitment(people, programme):
    before = grants(programme).committed_open
    application = application_in("lapsed", people)
    assert application.status == S.LAPSED
    assert grants(programme).committed_open == before


def test_diy_grant_is_calculated_on_the_area_the_handyman_saw(people, programme):
    application = application_in("approved", people, diy=True, diy_area_m2=Decimal("70"))
    assert application.granted_amount == Decimal("2730.00")  # DOMAIN.md: roof 70 m² → €2,730


def test_the_households_own_assessment_counts_its_granted_large_measure(people, programme):
    from households.services import assess_eligibility

    application = application_in("approved", people)

    assessment = assess_eligibility(application.household, by=people["coordinator"])

    assert assessment.inputs["large_measures_taken"] == 1
    assert assessment.large_status == "not_eligible"
    large = assessment.tier("large")["verdicts"]
    assert [verdict["rule"] for verdict in large if verdict["passed"] is False] == ["one_large_measure"]
