from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households")

    def ready(self):
        from budget import progress

        progress.register(progress.HOUSEHOLDS_REACHED, count_households_reached)


def count_households_reached(programme) -> int:
    """Households reached: those the programme works or has worked with (active at least once).

    A household closed straight from registered (no consent, never active) was not reached.
    """
    from households.models import Household

    return Household.objects.filter(programme=programme).reached().count()
