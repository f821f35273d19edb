"""The three visits in order, recorded by the household's handyman; the products line after the installation."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.errors import Refused
from budget.models import BudgetLine
from fieldwork import services
from fieldwork.models import DefectReport, Visit
from subsidy import packages
from tests.factories import assessed_household, product

FINDINGS = {"energy_label": "E", "glazing": "single", "roof_insulation": "none", "floor_insulation": "none",
            "wall_insulation": "partly", "crawl_space_suitable": True, "gas_m3_per_year": 1800,
            "advised_measure": "floor", "diy_possible": True, "advice": "Vloerisolatie, kruipruimte is hoog genoeg."}


def soon(hours=1):
    return timezone.now() + datetime.timedelta(hours=hours)


@pytest.fixture
def household(programme, handyman):
    return assessed_household(handyman)


def test_the_three_visits_in_order_install_the_package_and_spend_it(household, handyman, programme):
    intake = services.plan_visit(household, by=handyman, planned_at=soon())
    assert intake.kind == Visit.Kind.INTAKE
    services.record_intake(intake, by=handyman, findings=FINDINGS)
    household.dwelling.refresh_from_db()
    assert household.dwelling.energy_label == "E"
    intake.findings.refresh_from_db()
    assert intake.findings.advice_figures["yearly_savings_minimum"] == "250.00"

    installation = services.plan_visit(household, by=handyman, planned_at=soon(24))
    fan = product("Radiatorventilator")
    packages.propose(household, by=handyman, items={fan.pk: 4})
    services.record_installation(installation, by=handyman, quantities={fan.pk: 3})
    line = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.PRODUCTS)
    assert (line.committed_open, line.spent) == (Decimal("0.00"), Decimal("135.00"))

    evaluation = services.plan_visit(household, by=handyman, planned_at=soon(48), mode="by_phone")
    services.record_evaluation(evaluation, by=handyman, experience=4, in_use=[fan.pk], remarks="Warmer")
    assert evaluation.evaluation.measures_in_use == [{"product": fan.pk, "name": fan.name, "in_use": True}]
    assert services.next_kind(household) is None


def test_an_installation_before_the_intake_is_refused_and_nothing_is_booked(household, handyman, programme):
    intake = services.plan_visit(household, by=handyman, planned_at=soon())
    installation = services.plan_visit(household, by=handyman, planned_at=soon(2))
    lamp = product("LED-lamp")
    packages.propose(household, by=handyman, items={lamp.pk: 2})

    with pytest.raises(Refused):
        services.record_installation(installation, by=handyman, quantities={lamp.pk: 2})
    installation.refresh_from_db()
    assert installation.done_at is None
    assert not intake.is_done
    line = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.PRODUCTS)
    assert line.spent == Decimal("0.00")


def test_a_visit_done_in_the_future_is_refused(household, handyman):
    intake = services.plan_visit(household, by=handyman, planned_at=soon())
    with pytest.raises(Refused) as refused:
        services.record_intake(intake, by=handyman, findings=FINDINGS, done_at=soon(5))
    assert refused.value.field == "done_at"
    intake.refresh_from_db()
    assert intake.done_at is None


def test_an_evaluation_before_the_installation_is_refused(household, handyman):
    intake = services.plan_visit(household, by=handyman, planned_at=soon())
    services.record_intake(intake, by=handyman, findings=FINDINGS)
    services.plan_visit(household, by=handyman, planned_at=soon(2))
    evaluation = services.plan_visit(household, by=handyman, planned_at=soon(3))
    with pytest.raises(Refused):
        services.record_evaluation(evaluation, by=handyman, experience=5)


def test_only_the_evaluation_can_be_by_phone(household, handyman):
    with pytest.raises(Refused) as refused:
        services.plan_visit(household, by=handyman, planned_at=soon(), mode="by_phone")
    assert refused.value.field == "mode"
    assert not Visit.objects.exists()


def test_another_handyman_cannot_plan_or_record(household, handyman, handyman2):
    with pytest.raises(PermissionDenied):
        services.plan_visit(household, by=handyman2, planned_at=soon())
    intake = services.plan_visit(household, by=handyman, planned_at=soon())
    with pytest.raises(PermissionDenied):
        services.record_intake(intake, by=handyman2, findings=FINDINGS)


def test_a_defect_report_goes_to_the_corporation_of_a_rented_home(programme, handyman):
    household = assessed_household(handyman, dwelling__social_rent=True)
    report = services.report_defect(household, by=handyman, description="Schimmel in de slaapkamer")
    assert report.housing_corporation == "Dudok Wonen"
    services.update_defect(report, by=handyman, acknowledged_on=datetime.date.today())
    report.refresh_from_db()
    assert report.status == DefectReport.Status.ACKNOWLEDGED


def test_reassigning_moves_the_planned_visits(household, handyman, handyman2, coordinator):
    intake = services.plan_visit(household, by=handyman, planned_at=soon())
    services.reassign(household, by=coordinator, handyman=handyman2)
    intake.refresh_from_db()
    assert intake.handyman == handyman2


def test_assigning_another_handyman_on_the_household_page_moves_the_planned_visits(household, handyman, handyman2,
                                                                                  coordinator):
    from accounts.models import AuditEvent
    from households.services import assign_household

    intake = services.plan_visit(household, by=handyman, planned_at=soon())
    assign_household(household, by=coordinator, handyman=handyman2, community_worker=None)

    intake.refresh_from_db()
    assert intake.handyman == handyman2
    assert AuditEvent.objects.for_object(household).get(action="assigned").data["visits_moved"] == 1


def test_reassigning_is_refused_clearly_when_the_households_community_worker_lost_that_role(
        household, handyman, handyman2, community_worker, coordinator):
    from django.contrib.auth.models import Group

    from accounts.roles import Role
    from households.models import Household

    Household.objects.filter(pk=household.pk).update(community_worker=community_worker)
    community_worker.groups.remove(Group.objects.get(name=Role.COMMUNITY_WORKER.value))
    community_worker._role_names = None

    with pytest.raises(Refused) as refused:
        services.reassign(household, by=coordinator, handyman=handyman2)
    assert refused.value.field == "community_worker"
    household.refresh_from_db()
    assert household.handyman == handyman


def test_the_household_page_names_a_reassignment_in_its_history(client, household, handyman, handyman2,
                                                                coordinator):
    from django.urls import reverse

    services.reassign(household, by=coordinator, handyman=handyman2, note="Verhuizing")
    client.force_login(coordinator)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()

    assert "overgedragen aan een andere energieklusser" in page
    assert "fieldwork.reassigned" not in page
