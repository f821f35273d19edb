"""The programme report's figures (reports.selectors.programme_figures) on a known programme in March 2026.

Everything is made through the factories and the services on the days it happened (the services' clock is moved,
as in tests/subsidy/test_deadlines.py), and every number of the figures is asserted. The range is 1 up to and
including 31 March 2026: a moment at 00:00 on the first day and one at 23:59 on the last day count, one at 23:59 the
day before and one at 00:00 the day after do not (the programme's time zone, Europe/Amsterdam; the change to summer
time on 29 March lies inside the range).
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.errors import Refused
from budget import services as budget
from budget.models import BudgetLine
from config import routers
from eligibility.models import LargeMeasureCost
from fieldwork.models import Visit
from reports.selectors import (
    Count,
    LargeMeasures,
    LeadTimes,
    MeasureRow,
    Packages,
    Reach,
    SavingRow,
    Visits,
    programme_figures,
)
from subsidy import packages, services
from subsidy.models import Document, Package
from tests.factories import HouseholdFactory, application_in, assessed_household, pdf_file, product

D = datetime.date
MARCH = (D(2026, 3, 1), D(2026, 3, 31))
LATER = D(2026, 5, 15)  # "today" for what is overdue now
CONTRACTOR, DIY = "Door een aannemer (offerte)", "Zelf doen (zelfwerkzaamheid, berekening)"


def at(day: datetime.date, hour: int = 12, minute: int = 0, second: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute, second))


class Clock:
    """Moves the services' now (timezone.now) to a moment in Amsterdam."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def set(self, moment: datetime.datetime) -> datetime.datetime:
        self.monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


# --- The known programme --------------------------------------------------------------------------------------------


def reached(moment, source, tenure, postcode):
    return HouseholdFactory(active=True, reached_at=moment, referral_source=source, dwelling__tenure=tenure,
                            dwelling__postcode=postcode)


def visit(household, handyman, kind, planned_at, done_at=None):
    return Visit.objects.create(household=household, kind=kind, handyman=handyman, planned_at=planned_at,
                                done_at=done_at)


def installed_package(clock, people, items: dict, *, proposed, installed_at=None, reason=""):
    """A package of `items` (product name → quantity) proposed on `proposed` (above the limit: approved by the
    coordinator with `reason`) and, when `installed_at` is given, installed in full then."""
    handyman = people["handyman"]
    quantities = {product(name).pk: quantity for name, quantity in items.items()}
    clock.set(proposed)
    package = packages.propose(assessed_household(handyman), by=handyman, items=quantities)
    if package.status == Package.Status.OVERRIDE_REQUESTED:
        package = packages.approve_override(package, by=people["coordinator"], reason=reason)
    if installed_at is not None:
        clock.set(installed_at)
        package = packages.install(package, by=handyman, quantities=quantities)
    return package


def paid(clock, application, people, *, payout: str, requested, paid_on):
    community = people["community"]
    clock.set(requested)
    services.add_document(application, by=community, kind=Document.Kind.INVOICE, file=pdf_file("factuur.pdf"))
    services.add_document(application, by=community, kind=Document.Kind.ACCEPTED_QUOTE, file=pdf_file("akkoord.pdf"))
    application = services.request_payout(application, by=community, invoice_amount=payout,
                                          iban="NL91ABNA0417164300", account_holder="J. de Vries")
    application = services.set_payout(application, by=people["assessor"], amount=payout)
    clock.set(at(paid_on))
    return services.mark_paid(application, by=people["finance"], paid_on=paid_on, iban="NL91ABNA0417164300")


@pytest.fixture
def march(programme, people, clock):
    """The known programme (see each test for what it asserts)."""
    handyman, assessor = people["handyman"], people["assessor"]

    # Households reached: seven in March (two on its edges), one the day before, one the day after, one never.
    inside = [
        reached(at(D(2026, 3, 1), 0, 0), "income_consultant", "owner_occupier", "1211 AB"),
        reached(at(D(2026, 3, 31), 23, 59, 59), "income_consultant", "owner_occupier", "1211 JL"),
        reached(at(D(2026, 3, 10)), "housing_corporation", "social_rent", "1217 GH"),
        reached(at(D(2026, 3, 11)), "housing_corporation", "social_rent", "1211 AB"),
        reached(at(D(2026, 3, 12)), "self_registration", "private_rent", "1221 CE"),
        reached(at(D(2026, 3, 15)), "income_consultant", "owner_occupier", "1217 GH"),
        reached(at(D(2026, 3, 20)), "community_worker", "owner_occupier", "1211 AB"),
    ]
    reached(at(D(2026, 2, 28), 23, 59, 59), "other", "owner_occupier", "1222 PN")
    reached(at(D(2026, 4, 1), 0, 0), "other", "owner_occupier", "1222 PN")
    HouseholdFactory(referral_source="other")  # registered, never active: never reached

    # Visits: done in March two intakes (on its edges), an installation and an evaluation; done outside it an intake
    # and an installation; planned in March and not done one; planned in March and done in April one.
    visit(inside[0], handyman, "intake", at(D(2026, 2, 27)), at(D(2026, 3, 1), 0, 0))
    visit(inside[1], handyman, "intake", at(D(2026, 3, 2)), at(D(2026, 3, 31), 23, 59))
    visit(inside[0], handyman, "installation", at(D(2026, 3, 10)), at(D(2026, 3, 15)))
    visit(inside[0], handyman, "evaluation", at(D(2026, 3, 18)), at(D(2026, 3, 20)))
    visit(inside[2], handyman, "intake", at(D(2026, 2, 20)), at(D(2026, 2, 28), 23, 59))
    visit(inside[1], handyman, "installation", at(D(2026, 3, 30)), at(D(2026, 4, 1), 0, 0))
    visit(inside[3], handyman, "intake", at(D(2026, 3, 25)))
    visit(inside[4], handyman, "intake", at(D(2026, 4, 2)))
    visit(inside[5], handyman, "intake", at(D(2026, 3, 5)), at(D(2026, 4, 2)))

    # Packages installed in March: € 250 (at its first moment), € 330, € 450 (an override); € 100 proposed in March
    # and installed at the first moment of April.
    installed_package(clock, people, {"Isolerende gordijnen": 5}, proposed=at(D(2026, 2, 25)),
                      installed_at=at(D(2026, 3, 1), 0, 0))
    installed_package(clock, people, {"Isolerende gordijnen": 5, "Isolerende raamfolie": 4},
                      proposed=at(D(2026, 3, 2)), installed_at=at(D(2026, 3, 9)))
    installed_package(clock, people, {"Isolerende gordijnen": 9}, proposed=at(D(2026, 3, 3)),
                      installed_at=at(D(2026, 3, 31), 23, 0), reason="Negen ramen op het noorden")
    installed_package(clock, people, {"Isolerende gordijnen": 2}, proposed=at(D(2026, 3, 25)),
                      installed_at=at(D(2026, 4, 1), 0, 0))

    # Large-measure applications submitted in March.
    clock.set(at(D(2026, 3, 1), 0, 0))
    roof = application_in("in_review", people, measure="roof", quote_amount=Decimal("4200.00"))
    clock.set(at(D(2026, 3, 16)))
    roof = services.approve(roof, by=assessor)
    roof = paid(clock, roof, people, payout="4000.00", requested=at(D(2026, 3, 20)), paid_on=D(2026, 3, 25))

    clock.set(at(D(2026, 3, 31), 23, 59))
    floor = application_in("in_review", people, diy=True, measure="floor", diy_area_m2=Decimal("70"))
    clock.set(at(D(2026, 4, 3)))
    services.approve(floor, by=assessor)

    clock.set(at(D(2026, 3, 4)))
    rejected = application_in("in_review", people, measure="roof")
    clock.set(at(D(2026, 3, 30)))  # after the change to summer time
    services.reject(rejected, by=assessor, note="Geen eigenaar-bewoner.")

    clock.set(at(D(2026, 3, 5)))
    application_in("in_review", people, measure="roof")  # open; due on 2 April

    clock.set(at(D(2026, 3, 6)))
    glass = application_in("in_review", people, measure="glass", quote_amount=Decimal("3800.00"))
    clock.set(at(D(2026, 3, 9)))
    glass = services.request_info(glass, by=assessor, message="Stuur het eigendomsbewijs.")
    clock.set(at(D(2026, 3, 14)))
    glass = services.provide_info(glass, by=services.Actor.APPLICANT, note="Bijgevoegd")
    clock.set(at(D(2026, 3, 31), 23, 59, 59))
    services.approve(glass, by=assessor)

    clock.set(at(D(2026, 3, 10)))
    attic = application_in("in_review", people, diy=True, measure="attic_floor", diy_area_m2=Decimal("70"))
    clock.set(at(D(2026, 3, 12)))
    services.approve(attic, by=assessor)

    # Submitted outside March: one decided in March, one open since February (overdue), one submitted in April.
    clock.set(at(D(2026, 2, 27)))
    cavity = application_in("in_review", people, measure="cavity_wall", quote_amount=Decimal("2500.00"))
    clock.set(at(D(2026, 3, 2)))
    services.approve(cavity, by=assessor)
    clock.set(at(D(2026, 2, 20)))
    application_in("in_review", people, measure="roof")  # due on 20 March
    clock.set(at(D(2026, 4, 1), 0, 0))
    application_in("submitted", people, measure="roof")  # due on 29 April: overdue on LATER, but not March's

    # Direct bookings on the execution organisation's line: February, the last day of March, the first of April.
    line = BudgetLine.objects.get(programme=programme, kind="execution")
    clock.set(at(D(2026, 4, 1)))
    for amount, day in (("1000.00", D(2026, 2, 10)), ("500.00", D(2026, 3, 31)), ("700.00", D(2026, 4, 1))):
        budget.spend_direct(line, amount, by=people["finance"], booked_on=day)
    clock.set(at(D(2026, 12, 1)))
    return programme


# --- Each section of the figures -------------------------------------------------------------------------------------


def test_households_reached_in_the_range_by_source_tenure_and_postcode_area_against_the_target(march):
    figures = programme_figures(march, *MARCH, today=LATER)

    assert figures.reach == Reach(
        households=7, target=1500, reached_to_date=8,
        by_referral_source=[Count("income_consultant", "Inkomensconsulent", 3),
                            Count("housing_corporation", "Woningcorporatie", 2),
                            Count("community_worker", "Opbouwwerker", 1),
                            Count("self_registration", "Zelf aangemeld", 1)],
        by_tenure=[Count("owner_occupier", "Eigenaar-bewoner", 4),
                   Count("social_rent", "Sociale huur (corporatie)", 2),
                   Count("private_rent", "Particuliere huur", 1)],
        by_postcode_area=[Count("1211", "1211", 4), Count("1217", "1217", 2), Count("1221", "1221", 1)])
    assert (figures.programme_id, figures.programme_name) == (march.pk, "Aanpak energiearmoede Hilversum 2022")
    assert (figures.starts_on, figures.ends_on) == MARCH


def test_visits_done_in_the_range_per_kind_and_those_planned_in_it_not_yet_done(march):
    figures = programme_figures(march, *MARCH, today=LATER)

    assert figures.visits == Visits(by_kind=[Count("intake", "Intake", 2), Count("installation", "Installatie", 1),
                                             Count("evaluation", "Evaluatie", 1)], planned=1)


def test_packages_installed_in_the_range_per_dwelling_against_the_limit(march):
    figures = programme_figures(march, *MARCH, today=LATER)

    bands = [("0–50", "€ 0–50", 0), ("50–100", "€ 50–100", 0), ("100–150", "€ 100–150", 0),
             ("150–200", "€ 150–200", 0), ("200–250", "€ 200–250", 0), ("250–300", "€ 250–300", 1),
             ("300–330", "€ 300–330", 1), ("330+", "meer dan € 330", 1)]
    assert figures.packages == Packages(
        dwellings=3, value=Decimal("1030.00"), average_per_dwelling=Decimal("343.33"), limit=Decimal("330.00"),
        bands=[Count(*band) for band in bands], above_limit=1)


def test_large_measures_submitted_in_the_range_by_measure_and_route_approved_and_paid_as_they_stand(march):
    figures = programme_figures(march, *MARCH, today=LATER)

    assert figures.large_measures == LargeMeasures(
        rows=[MeasureRow("roof", "Dakisolatie", "contractor", CONTRACTOR, 1, Decimal("4200.00"), 1, Decimal("4000.00")),
              MeasureRow("floor", "Vloerisolatie", "diy", DIY, 1, Decimal("1267.00"), 0, Decimal("0.00")),
              MeasureRow("glass", "HR++-glas", "contractor", CONTRACTOR, 1, Decimal("3800.00"), 0, Decimal("0.00")),
              MeasureRow("attic_floor", "Zoldervloerisolatie", "diy", DIY, 1, Decimal("1036.00"), 0,
                         Decimal("0.00"))],
        submitted=6, approved=4, granted=Decimal("10303.00"), paid=1, paid_amount=Decimal("4000.00"),
        average_grant=Decimal("2575.75"), assumed_average=Decimal("3000.00"), target=200)


def test_lead_times_of_the_applications_decided_in_the_range(march):
    figures = programme_figures(march, *MARCH, today=LATER)

    # Decided in March, in calendar days from submission: the attic floor 2, the cavity wall 3 (submitted in
    # February), the roof 15, the glass 25 (5 of them suspended), the rejected roof 26 (across summer time).
    # Median 15; 90th percentile between the 4th and 5th: 25 + 0.6 × (26 − 25).
    assert figures.lead_times == LeadTimes(decided=5, median_days=Decimal("15.0"), p90_days=Decimal("25.6"),
                                           overdue=2, suspended_applications=1, suspended_days=5)


def test_overdue_counts_what_is_open_now_past_its_date_and_submitted_up_to_the_ranges_end(march):
    assert programme_figures(march, *MARCH, today=D(2026, 3, 21)).lead_times.overdue == 1  # February's
    assert programme_figures(march, *MARCH, today=D(2026, 4, 3)).lead_times.overdue == 2  # and March's open roof
    assert programme_figures(march, D(2026, 3, 1), D(2026, 4, 30), today=LATER).lead_times.overdue == 3


def test_estimated_yearly_savings_of_the_approved_measures_from_the_indicative_table_named_as_source(march):
    savings = programme_figures(march, *MARCH, today=LATER).savings

    assert savings.rows == [SavingRow("roof", "Dakisolatie", 1, Decimal("450.00"), Decimal("800.00")),
                            SavingRow("floor", "Vloerisolatie", 1, Decimal("250.00"), Decimal("250.00")),
                            SavingRow("glass", "HR++-glas", 1, Decimal("380.00"), Decimal("500.00"))]
    assert (savings.yearly_low, savings.yearly_high) == (Decimal("1080.00"), Decimal("1550.00"))
    assert savings.not_estimated == 1  # the attic floor has no row in the table
    assert savings.source == ("Indicatieve tabel grote maatregelen (regeling hilversum-2022-v1, geldig vanaf "
                              "1 januari 2022)")


def test_the_table_valid_on_the_ranges_end_is_used_and_named(march):
    LargeMeasureCost.objects.create(programme=march, valid_from=D(2026, 3, 31), measure="roof",
                                    cost_minimum="4600.00", cost_maximum="5200.00",
                                    yearly_savings_minimum="500.00", yearly_savings_maximum="850.00")

    before, on = (programme_figures(march, D(2026, 3, 1), day, today=LATER).savings
                  for day in (D(2026, 3, 30), D(2026, 3, 31)))

    assert before.rows[0] == SavingRow("roof", "Dakisolatie", 1, Decimal("450.00"), Decimal("800.00"))
    assert before.source.endswith("geldig vanaf 1 januari 2022)")
    assert on.rows[0] == SavingRow("roof", "Dakisolatie", 1, Decimal("500.00"), Decimal("850.00"))
    assert on.source.endswith("geldig vanaf 31 maart 2026)")


def test_a_grant_withdrawn_after_approval_is_submitted_but_not_approved(march, people, clock):
    clock.set(at(D(2026, 3, 20)))
    application = application_in("approved", people, measure="floor", quote_amount=Decimal("2000.00"))
    services.withdraw(application, by=people["community"])

    large_measures = programme_figures(march, *MARCH, today=LATER).large_measures

    assert (large_measures.submitted, large_measures.approved, large_measures.granted) == (
        7, 4, Decimal("10303.00"))
    assert [(row.measure, row.route, row.approved) for row in large_measures.rows][1:3] == [
        ("floor", "contractor", 0), ("floor", "diy", 1)]


def test_budget_burn_per_line_up_to_the_ranges_end_against_the_linear_plan(march):
    burn = {line.name: line for line in programme_figures(march, *MARCH, today=LATER).budget}

    assert list(burn) == ["Uitvoeringsorganisatie", "Energieklussers", "Welzijnspartner (Versa Welzijn: opbouwwerkers)",
                          "Energiebesparende producten (klein en middelgroot)", "Communicatie / bereiken huishoudens",
                          "Eenmalige grote isolatiemaatregel (subsidies)",
                          "Inhuur capaciteit beoordelaars (indien nodig)"]
    grants = burn["Eenmalige grote isolatiemaatregel (subsidies)"]
    # Committed: cavity wall 2,500 + attic floor 1,036 + roof 4,200 + glass 3,800 − the roof's 200 released at the
    # payout − its 4,000 paid; the floor's 1,267 came on 3 April. The plan: 1,551 of the programme's 1,826 days.
    assert (grants.allocated, grants.committed, grants.spent, grants.planned) == (
        Decimal("600000.00"), Decimal("7336.00"), Decimal("4000.00"), Decimal("509638.55"))
    products = burn["Energiebesparende producten (klein en middelgroot)"]
    assert (products.committed, products.spent, products.planned) == (
        Decimal("100.00"), Decimal("1030.00"), Decimal("424698.80"))
    execution = burn["Uitvoeringsorganisatie"]
    assert (execution.committed, execution.spent, execution.planned) == (
        Decimal("0.00"), Decimal("1500.00"), Decimal("127409.64"))
    handymen = burn["Energieklussers"]
    assert (handymen.committed, handymen.spent, handymen.planned) == (
        Decimal("0.00"), Decimal("0.00"), Decimal("339759.04"))

    # A point per month from the programme's first (January 2022), each as of its last day: the spending so far and
    # the plan.
    assert len(execution.months) == 51
    assert execution.months[0] == (D(2022, 1, 1), Decimal("0.00"), Decimal("2546.55"))
    assert execution.months[-2:] == [(D(2026, 2, 1), Decimal("1000.00"), Decimal("124863.09")),
                                     (D(2026, 3, 1), Decimal("1500.00"), Decimal("127409.64"))]
    assert grants.months[-2:] == [(D(2026, 2, 1), Decimal("0.00"), Decimal("499452.35")),
                                  (D(2026, 3, 1), Decimal("4000.00"), Decimal("509638.55"))]


def test_a_range_ending_within_a_month_counts_that_months_bookings_up_to_its_last_day(march):
    burn = {line.name: line for line in programme_figures(march, D(2026, 3, 1), D(2026, 3, 20), today=LATER).budget}

    grants = burn["Eenmalige grote isolatiemaatregel (subsidies)"]
    # Up to 20 March: committed 2,500 + 1,036 + 4,200 − 200 released when the payout was set that day; paid nothing.
    assert (grants.committed, grants.spent, grants.planned) == (Decimal("7536.00"), Decimal("0.00"),
                                                                Decimal("506024.10"))
    assert grants.months[-1] == (D(2026, 3, 1), Decimal("0.00"), Decimal("506024.10"))
    assert burn["Uitvoeringsorganisatie"].months[-1] == (D(2026, 3, 1), Decimal("1000.00"), Decimal("126506.02"))


def test_the_plan_is_the_whole_allocation_from_the_programmes_last_day_on(march):
    burn = programme_figures(march, D(2027, 1, 1), D(2027, 2, 28), today=LATER).budget

    execution = burn[0]
    assert (execution.planned, execution.spent) == (Decimal("150000.00"), Decimal("2200.00"))
    assert execution.months[-1] == (D(2027, 2, 1), Decimal("2200.00"), Decimal("150000.00"))


def test_a_day_range_counts_its_first_and_last_moments(march):
    first = programme_figures(march, D(2026, 3, 1), D(2026, 3, 1), today=LATER)
    last = programme_figures(march, D(2026, 3, 31), D(2026, 3, 31), today=LATER)

    assert (first.reach.households, first.visits.by_kind[0].count, first.packages.dwellings) == (1, 1, 1)
    assert (first.large_measures.submitted, first.lead_times.decided) == (1, 0)
    assert (last.reach.households, last.visits.by_kind[0].count, last.packages.dwellings) == (1, 1, 1)
    assert (last.large_measures.submitted, last.lead_times.decided) == (1, 1)
    assert last.lead_times.median_days == Decimal("25.0")


def test_a_range_without_anything_has_zeros_and_no_averages(march):
    figures = programme_figures(march, D(2025, 6, 1), D(2025, 6, 30), today=LATER)

    assert (figures.reach.households, figures.reach.by_referral_source, figures.reach.by_postcode_area) == (0, [], [])
    assert figures.visits == Visits(by_kind=[Count("intake", "Intake", 0), Count("installation", "Installatie", 0),
                                             Count("evaluation", "Evaluatie", 0)], planned=0)
    assert (figures.packages.dwellings, figures.packages.value, figures.packages.average_per_dwelling) == (
        0, Decimal("0.00"), None)
    assert (figures.large_measures.rows, figures.large_measures.average_grant) == ([], None)
    assert (figures.lead_times.decided, figures.lead_times.median_days, figures.lead_times.p90_days) == (0, None, None)
    assert (figures.savings.rows, figures.savings.yearly_low, figures.savings.yearly_high) == (
        [], Decimal("0.00"), Decimal("0.00"))


def test_a_range_that_ends_before_it_starts_is_refused(programme):
    with pytest.raises(Refused, match="De periode eindigt voordat hij begint") as refused:
        programme_figures(programme, D(2026, 3, 31), D(2026, 3, 1))
    assert refused.value.field == "ends_on"


def test_every_read_of_the_figures_is_a_report_read_that_goes_to_the_replica_when_there_is_one(march, monkeypatch):
    reads = []
    read_from = routers.ReportsOnReplicaRouter.db_for_read

    def spy(router, model, **hints):
        reads.append((model._meta.label, routers._reading_reports.get()))
        return read_from(router, model, **hints)

    monkeypatch.setattr(routers.ReportsOnReplicaRouter, "db_for_read", spy)
    programme_figures(march, *MARCH, today=LATER)

    assert {label for label, _ in reads} >= {"households.Household", "fieldwork.Visit", "subsidy.Package",
                                              "subsidy.Application", "eligibility.LargeMeasureCost",
                                              "budget.LineMonth", "budget.LedgerEntry"}
    assert all(on_replica for _, on_replica in reads)


# --- Speed ----------------------------------------------------------------------------------------------------------


def some_of_everything(clock, people, day: datetime.date, number: int):
    """`number` households reached on `day`, each with an intake done, a package installed and an application
    approved."""
    handyman = people["handyman"]
    for index in range(number):
        household = reached(at(day), "other", "owner_occupier", f"12{20 + index} AB")
        visit(household, handyman, "intake", at(day), at(day))
        installed_package(clock, people, {"Isolerende gordijnen": 1 + index}, proposed=at(day), installed_at=at(day))
        clock.set(at(day))
        application = application_in("in_review", people, measure=("roof", "glass", "floor")[index % 3])
        services.approve(application, by=people["assessor"])


def queries_of_the_figures(programme) -> int:
    with CaptureQueriesContext(connection) as queries:
        programme_figures(programme, *MARCH, today=LATER)
    return len(queries)


def test_the_figures_read_the_same_number_of_queries_however_much_there_is(programme, people, clock):
    some_of_everything(clock, people, D(2026, 3, 10), 1)
    few = queries_of_the_figures(programme)

    some_of_everything(clock, people, D(2026, 3, 11), 6)
    many = queries_of_the_figures(programme)

    assert few == many
    assert many <= 14
