"""`{{ user|person }}`: who did something, by name; an act without a staff user is named as such."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def person(user, nobody: str = "") -> str:
    """The user's full name (or username); for no user, `nobody` or "the system"."""
    if user is None:
        return nobody or _("the system")
    return user.get_full_name() or user.username
