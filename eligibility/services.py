"""Eligibility checks and calculations on a programme's parameters for a date, and stored assessments.

`check_eligibility`, `calculate_diy_grant`, `calculate_contractor_grant` and `calculate_financing`
look up the parameters valid on the date and run the pure rules and calculators; they store
nothing (the public self-check, the DIY calculator and the public API use them, and so do staff).

`record_assessment` assesses a household passed in and stores the `Assessment` (inputs, verdicts,
parameter values, rule-set version, who and when) with an audit event. It is the eligibility half of
the business act `households.services.assess_eligibility`, which checks who may assess and that the
resident consented to processing: eligibility reads the household's data and does not know the register.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import record_event
from eligibility.calculators import (
    ContractorGrant,
    DiyGrant,
    FinancingPlan,
    MeasureCost,
    contractor_grant,
    diy_grant,
    financing_plan,
)
from eligibility.codes import EnergyLabel, Tier
from eligibility.models import Assessment
from eligibility.parameters import (
    diy_rate_on,
    measure_costs_on,
    norm_on,
    rule_set_model_on,
    rule_set_on,
    rule_set_values,
)
from eligibility.rules import Circumstances, Eligibility, assess


def check_eligibility(programme, on_date: datetime.date, circumstances: Circumstances) -> Eligibility:
    """The result per tier for these circumstances under the programme's rules on the date.

    Raises `NoParametersOnDate` when the date lies before the first norms or rules.
    """
    norm = norm_on(circumstances.household_type, on_date)
    return assess(circumstances, norm, rule_set_on(programme, on_date))


def calculate_diy_grant(programme, on_date: datetime.date, measure: str, area_m2: Decimal) -> DiyGrant:
    return diy_grant(area_m2, diy_rate_on(programme, measure, on_date), rule_set_on(programme, on_date))


def calculate_contractor_grant(programme, on_date: datetime.date, measure: str, quote: Decimal) -> ContractorGrant:
    return contractor_grant(quote, measure_costs_on(programme, measure, on_date), rule_set_on(programme, on_date))


def calculate_financing(programme, on_date: datetime.date, measures: Sequence[MeasureCost], *,
                        yearly_income: Decimal, loan_years: int,
                        yearly_interest_rate: Decimal | None) -> FinancingPlan:
    return financing_plan(measures, yearly_income=yearly_income, loan_years=loan_years,
                          yearly_interest_rate=yearly_interest_rate, params=rule_set_on(programme, on_date))


# --- Stored assessments ------------------------------------------------------------------------


def circumstances_of(household, *, large_measures_taken: int = 0) -> Circumstances:
    """What the rules need, read from a household and its dwelling (duck typing: no import of households).

    `large_measures_taken`: large measures already granted for the dwelling in the programme (the subsidy app
    records them; `households.services.assess_eligibility` asks it through `households.large_measures`).
    """
    dwelling = getattr(household, "dwelling", None)  # a missing one-to-one raises an AttributeError subclass
    income = household.net_monthly_income
    return Circumstances(
        household_type=household.household_type,
        net_monthly_income=None if income is None else Decimal(str(income)),
        energy_allowance_received=household.energy_allowance == "yes",
        energy_label=(dwelling.energy_label if dwelling is not None else EnergyLabel.UNKNOWN) or EnergyLabel.UNKNOWN,
        tenure=dwelling.tenure if dwelling is not None and dwelling.tenure else None,
        large_measures_taken=large_measures_taken,
    )


@transaction.atomic
def record_assessment(household, *, by, on_date: datetime.date | None = None, large_measures_taken: int = 0,
                      circumstances: Circumstances | None = None) -> Assessment:
    """Assess the household under its programme's rules on the date (today) and store the result.

    Called by `households.services.assess_eligibility` (who may, consent), and by the subsidy app when an
    application is submitted, with the circumstances the applicant declared (`by=None`: the system assessed
    it). Raises `NoParametersOnDate` before the first rules.
    """
    on_date = on_date or timezone.localdate()
    circumstances = circumstances or circumstances_of(household, large_measures_taken=large_measures_taken)
    rule_set = rule_set_model_on(household.programme, on_date)
    result = assess(circumstances, norm_on(circumstances.household_type, on_date), rule_set_values(rule_set))
    tiers = [
        {"tier": str(tier.tier), "status": str(tier.status),
         "verdicts": [verdict.as_record() for verdict in tier.verdicts],
         **({"max_grant": str(tier.max_grant)} if tier.max_grant is not None else {})}
        for tier in result.tiers
    ]
    statuses = {tier["tier"]: tier["status"] for tier in tiers}
    assessment = Assessment.objects.create(
        household=household, programme=household.programme, reference_date=on_date, rule_set=rule_set,
        rule_set_version=rule_set.version, inputs=circumstances.as_record(), income_limit=result.income_limit,
        small_status=statuses[Tier.SMALL], medium_status=statuses[Tier.MEDIUM], large_status=statuses[Tier.LARGE],
        tiers=tiers, parameters=result.parameters, assessed_by=by,
    )
    record_event(household, actor=by, action="eligibility_assessed",
                 note=f"{rule_set.version}, {on_date.isoformat()}", assessment=assessment.pk, **statuses)
    return assessment


# The inputs whose change makes an assessment out of date, with the words the household page uses.
ASSESSED_INPUTS = {
    "household_type": _("household type"),
    "net_monthly_income": _("net monthly income"),
    "energy_allowance_received": _("energy allowance"),
    "energy_label": _("energy label"),
    "tenure": _("tenure"),
}


def changed_since(assessment: Assessment, household) -> list[str]:
    """The assessed inputs (their names) that differ now from what the assessment used."""
    now = circumstances_of(household).as_record()
    return [str(label) for key, label in ASSESSED_INPUTS.items() if assessment.inputs.get(key) != now[key]]
