"""Labels for eligibility codes in templates, for results computed now and results stored as JSON."""

from django import template

from eligibility.codes import DiyMeasure, HouseholdType, Status, Tenure, Tier

register = template.Library()

_STATUS_CLASS = {Status.ELIGIBLE: "ok", Status.NOT_ELIGIBLE: "bad", Status.UNDECIDED: "warn"}


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value


@register.filter
def tier_label(code):
    return _label(Tier, code)


@register.filter
def status_label(code):
    return _label(Status, code)


@register.filter
def status_class(code):
    """'ok', 'bad' or 'warn': the badge colour of a tier status."""
    return _STATUS_CLASS.get(code, "warn")


@register.filter
def verdict_class(passed):
    return {True: "verdict-pass", False: "verdict-fail"}.get(passed, "verdict-undecided")


@register.filter
def household_type_label(code):
    return _label(HouseholdType, code)


@register.filter
def tenure_label(code):
    return _label(Tenure, code) if code else ""


@register.filter
def diy_measure_label(code):
    return _label(DiyMeasure, code)
