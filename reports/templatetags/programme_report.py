"""`{% programme_headline as headline %}`: the programme report's headline for the start pages of the coordinator
and the finance officer: households reached and large measures granted against the targets (two counts)."""

from django import template
from django.utils import timezone

from budget import progress
from budget.charts import progress as progress_width
from budget.models import Programme

register = template.Library()


@register.simple_tag
def programme_headline():
    today = timezone.localdate()
    programmes = Programme.objects.order_by("-starts_on", "slug")
    programme = programmes.filter(starts_on__lte=today, ends_on__gte=today).first() or programmes.first()
    if programme is None:
        return None
    households = progress.count(progress.HOUSEHOLDS_REACHED, programme) or 0
    large_measures = progress.count(progress.LARGE_MEASURES, programme) or 0
    return {
        "programme": programme,
        "households": households,
        "households_width": progress_width(households, programme.target_households),
        "large_measures": large_measures,
        "large_measures_width": progress_width(large_measures, programme.target_large_measures),
    }
