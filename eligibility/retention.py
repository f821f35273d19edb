"""Removing a household's income from its stored assessments when the household is anonymised (issue 14;
`households.retention.anonymise_household` calls it; docs/security.md, "Retention and anonymisation").

An assessment is append-only: it is a record of its moment. The income the resident declared is personal data,
so when the household's retention period has passed it goes, through the one sanctioned path for that
(`accounts.append_only.redact`): the input `net_monthly_income` becomes empty, and the income rule's verdict loses
its sentence (which quotes the income) and the income among its parameters. Whether the rule passed, the statuses,
the limit and every parameter of the rule set stay: the figures and what was decided do not change.
"""

from accounts.append_only import redact
from eligibility.models import Assessment
from eligibility.rules import INCOME

REDACTED_REASON = "—"  # language-neutral, as households.retention.ANONYMISED


def without_income(inputs: dict) -> dict:
    return {**(inputs or {}), "net_monthly_income": None}


def without_income_verdicts(tiers: list) -> list:
    def verdict(item: dict) -> dict:
        if item.get("rule") != INCOME:
            return item
        parameters = {name: value for name, value in (item.get("parameters") or {}).items()
                      if name != "net_monthly_income"}
        return {**item, "reason": REDACTED_REASON, "parameters": parameters}

    return [{**tier, "verdicts": [verdict(item) for item in tier.get("verdicts", [])]} for tier in tiers or []]


def remove_income_from_assessments(household) -> int:
    """The household's assessments without the income; returns how many."""
    return redact(Assessment.objects.filter(household_id=household.pk), inputs=without_income,
                  tiers=without_income_verdicts)
