"""The demo's field work: every state of the visits and packages, today's and this week's visits for `handyman`, a
household whose three visits a person can do, a package waiting for the coordinator, and a products line that
agrees with the packages (issue 12)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from budget.models import BudgetLine, LedgerEntry
from budget.selectors import reconcile
from eligibility.codes import Status
from fieldwork import services
from fieldwork.demo import TODAYS_HOUSEHOLD
from fieldwork.models import DefectReport, Evaluation, IntakeFindings, Referral, ResidentReport, Visit
from households.models import Household
from subsidy import packages
from subsidy.models import Package, ProductTier

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, programme):
    settings.DEBUG = True
    call_command("load_demo_data", verbosity=0)
    return programme


def test_twenty_households_have_all_three_visits_done_and_a_package_installed(demo):
    done = Household.objects.filter(programme=demo, visits__kind=Visit.Kind.EVALUATION,
                                    visits__done_at__isnull=False)

    assert done.count() >= 20
    assert not done.exclude(packages__status=Package.Status.INSTALLED).exists()
    assert Evaluation.objects.count() == done.count()
    assert IntakeFindings.objects.exclude(advice_figures={}).exists()
    installed = Package.objects.filter(status=Package.Status.INSTALLED)
    values = sorted(package.installed_value for package in installed)
    assert values[-1] > Decimal("330.00") and any(Decimal("250.00") <= v <= Decimal("330.00") for v in values)
    above = installed.filter(value__gt=Decimal("330.00"))
    assert above.exists() and not above.filter(decision_reason="").exists()  # the coordinator's reasons
    assert not above.exclude(decided_by__username="coordinator").exists()
    assert any(package.installed_value < package.value for package in installed)  # fewer installed than approved
    assert all(visit.done_at < timezone.now() for visit in Visit.objects.done())


def test_every_state_of_the_field_work_is_present(demo):
    assert set(Package.objects.values_list("status", flat=True)) >= {
        Package.Status.APPROVED, Package.Status.OVERRIDE_REQUESTED, Package.Status.INSTALLED}
    mid_way = Visit.objects.filter(kind=Visit.Kind.INSTALLATION, done_at=None,
                                   household__packages__status=Package.Status.APPROVED)
    assert mid_way.count() >= 2
    assert {status for report in DefectReport.objects.all() for status in [report.status]} == set(
        DefectReport.Status.values)
    assert not DefectReport.objects.exclude(household__dwelling__tenure="social_rent").exists()
    referrals = Referral.objects.filter(community_worker__username="community")
    assert referrals.filter(handled_at=None).count() == 1
    assert referrals.exclude(handled_at=None).exists()
    assert Visit.objects.filter(mode=Visit.Mode.BY_PHONE).exists()
    assert ResidentReport.objects.filter(visit__kind=Visit.Kind.INTAKE).exists()
    assert ResidentReport.objects.filter(visit__kind=Visit.Kind.INSTALLATION).exists()


def test_one_package_above_the_limit_waits_and_the_coordinator_can_approve_it(demo):
    waiting = packages.packages_waiting(demo)
    assert waiting.count() == 1
    package = waiting.get()
    assert package.value > Decimal("330.00") and package.motivation
    from django.contrib.auth import get_user_model

    coordinator = get_user_model().objects.get(username="coordinator")

    approved = packages.approve_override(package, by=coordinator, reason="Hoekwoning met veel ramen.")

    assert approved.status == Package.Status.APPROVED


def test_handyman_has_visits_today_and_later_this_week(demo):
    today = timezone.localdate()
    planned = Visit.objects.planned().filter(handyman__username="handyman")
    days = [timezone.localdate(visit.planned_at) for visit in planned]

    assert days.count(today) >= 3
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    if today < sunday:
        assert any(today < day <= sunday for day in days)
    assert all(day >= today for day in days)  # nothing left unrecorded from earlier days
    assert {visit.kind for visit in planned if timezone.localdate(visit.planned_at) == today} == set(Visit.Kind.values)


def test_todays_household_is_active_eligible_and_has_only_its_intake_planned_so_a_person_can_do_all_three(demo):
    household = Household.objects.get(programme=demo, contact_name=TODAYS_HOUSEHOLD)
    assert household.status == Household.Status.ACTIVE and household.handyman.username == "handyman"
    assert packages.tiers_open(household) == {ProductTier.SMALL: "", ProductTier.MEDIUM: ""}
    assessment = packages.latest_assessment(household)
    assert (assessment.small_status, assessment.medium_status) == (Status.ELIGIBLE, Status.ELIGIBLE)
    (intake,) = household.visits.all()
    assert intake.kind == Visit.Kind.INTAKE and not intake.is_done
    assert timezone.localdate(intake.planned_at) == timezone.localdate()
    assert not household.packages.exists()

    handyman = household.handyman
    services.record_intake(intake, by=handyman, findings={
        "glazing": "double", "roof_insulation": "none", "floor_insulation": "none", "wall_insulation": "partly",
        "advised_measure": "roof"})
    installation = services.plan_visit(household, by=handyman, planned_at=timezone.now())
    fan = demo_product(demo, "Radiatorventilator")
    packages.propose(household, by=handyman, items={fan.pk: 4})
    services.record_installation(installation, by=handyman, quantities={fan.pk: 4})
    evaluation = services.plan_visit(household, by=handyman, planned_at=timezone.now(), mode="by_phone")
    services.record_evaluation(evaluation, by=handyman, experience=5, in_use=[fan.pk])
    assert services.next_kind(household) is None


def demo_product(programme, name):
    return packages.catalogue(programme).get(name=name)


def test_the_products_line_is_booked_by_the_packages_only_and_reconciles(demo):
    line = BudgetLine.objects.get(programme=demo, kind=BudgetLine.Kind.PRODUCTS)
    installed = Package.objects.filter(programme=demo, status=Package.Status.INSTALLED)
    approved = Package.objects.filter(programme=demo, status=Package.Status.APPROVED)

    assert line.spent == installed.aggregate(total=Sum("installed_value"))["total"] > 0
    assert line.committed_open == approved.aggregate(total=Sum("value"))["total"] > 0
    package_type = ContentType.objects.get_for_model(Package)
    assert not LedgerEntry.objects.filter(line=line).exclude(source_type=package_type).exists()  # no direct orders
    assert all(row.agrees and row.invariant_holds for row in reconcile(demo))
    assert packages.dwellings_equipped(demo) == installed.values("household").distinct().count()


def test_medium_items_only_where_no_large_measure_application_is_in_the_way(demo):
    for package in Package.objects.filter(items__tier=ProductTier.MEDIUM).distinct():
        assert packages.large_measure_in_the_way(package.household) is None, package.household


def test_loading_the_demo_twice_changes_nothing(demo):
    counts = (Visit.objects.count(), Package.objects.count(), LedgerEntry.objects.count(), Referral.objects.count(),
              DefectReport.objects.count(), ResidentReport.objects.count(), Household.objects.count())

    call_command("load_demo_data", verbosity=0)

    assert counts == (Visit.objects.count(), Package.objects.count(), LedgerEntry.objects.count(),
                      Referral.objects.count(), DefectReport.objects.count(), ResidentReport.objects.count(),
                      Household.objects.count())
