from django import template

from budget.money import euro as format_euro

register = template.Library()


@register.filter
def euro(amount):
    """{{ amount|euro }} → € 1.360,75"""
    return format_euro(amount)
