"""Fixtures of the reports' tests."""

import datetime
from decimal import Decimal

import pytest

from reports.selectors import (
    Count,
    LargeMeasures,
    LeadTimes,
    LineBurn,
    MeasureRow,
    Packages,
    ProgrammeFigures,
    Reach,
    SavingRow,
    Savings,
    Visits,
)


@pytest.fixture
def known_figures(programme) -> ProgrammeFigures:
    """The programme report's figures of a known programme, written by hand (every number chosen so that the
    page, the PDF and the xlsx can be checked against it), for 1 January 2022 to 30 June 2024."""
    lines = {line.kind: line for line in programme.budget_lines.all()}
    return ProgrammeFigures(
        programme_id=programme.pk,
        programme_name=programme.name,
        starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2024, 6, 30),
        reach=Reach(
            households=412,
            target=1500,
            reached_to_date=412,
            by_referral_source=[
                Count("income_consultant", "Inkomensconsulent", 180),
                Count("housing_corporation", "Woningcorporatie", 120),
                Count("self_registration", "Zelf aangemeld", 112),
            ],
            by_tenure=[
                Count("social_rent", "Sociale huur (woningcorporatie)", 250),
                Count("owner_occupier", "Eigenaar-bewoner", 130),
                Count("private_rent", "Particuliere huur", 32),
            ],
            by_postcode_area=[Count(str(1200 + number), str(1200 + number), 30 - number) for number in range(17)],
        ),
        visits=Visits(
            by_kind=[Count("intake", "Intake", 400), Count("installation", "Installatie", 350),
                     Count("evaluation", "Evaluatie", 210)],
            planned=37,
        ),
        packages=Packages(
            dwellings=350,
            value=Decimal("101500.00"),
            average_per_dwelling=Decimal("290.00"),
            limit=Decimal("330.00"),
            bands=[Count(f"{low}–{low + 50}", f"€ {low}–{low + 50}", count) for low, count in
                   zip(range(0, 450, 50), (2, 8, 20, 40, 90, 120, 60, 6, 3), strict=True)]
                  + [Count("450+", "€ 450+", 1)],
            above_limit=4,
        ),
        large_measures=LargeMeasures(
            rows=[
                MeasureRow("roof", "Dakisolatie", "contractor", "Door een aannemer (offerte)", 20,
                           Decimal("95000.00"), 12, Decimal("57000.00")),
                MeasureRow("roof", "Dakisolatie", "diy", "Zelf doen (doe-het-zelfberekening)", 5,
                           Decimal("13650.00"), 5, Decimal("13650.00")),
                MeasureRow("floor", "Vloerisolatie", "contractor", "Door een aannemer (offerte)", 15,
                           Decimal("33000.00"), 10, Decimal("22000.00")),
            ],
            submitted=48,
            approved=40,
            granted=Decimal("141650.00"),
            paid=27,
            paid_amount=Decimal("92650.00"),
            average_grant=Decimal("3541.25"),
            assumed_average=Decimal("3000.00"),
            target=200,
        ),
        lead_times=LeadTimes(decided=44, median_days=Decimal("17"), p90_days=Decimal("31.5"), overdue=3,
                             suspended_applications=6, suspended_days=58),
        savings=Savings(
            rows=[SavingRow("roof", "Dakisolatie", 25, Decimal("11250.00"), Decimal("20000.00")),
                  SavingRow("floor", "Vloerisolatie", 15, Decimal("3750.00"), Decimal("3750.00"))],
            yearly_low=Decimal("15000.00"),
            yearly_high=Decimal("23750.00"),
            source="Indicatieve besparingen per maatregel, Aanpak energiearmoede Hilversum 2022",
            not_estimated=2,
        ),
        budget=[
            LineBurn(lines["grants"].pk, lines["grants"].name, Decimal("600000.00"), Decimal("49000.00"),
                     Decimal("92650.00"), Decimal("300000.00"),
                     months=[(datetime.date(2024, 4, 1), Decimal("60000.00"), Decimal("270000.00")),
                             (datetime.date(2024, 5, 1), Decimal("75000.00"), Decimal("285000.00")),
                             (datetime.date(2024, 6, 1), Decimal("92650.00"), Decimal("300000.00"))]),
            LineBurn(lines["products"].pk, lines["products"].name, Decimal("500000.00"), Decimal("3000.00"),
                     Decimal("101500.00"), Decimal("250000.00"),
                     months=[(datetime.date(2024, 4, 1), Decimal("80000.00"), Decimal("225000.00")),
                             (datetime.date(2024, 5, 1), Decimal("90000.00"), Decimal("237500.00")),
                             (datetime.date(2024, 6, 1), Decimal("101500.00"), Decimal("250000.00"))]),
        ],
    )
