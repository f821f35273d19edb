from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidyConfig(AppConfig):
    name = "subsidy"
    verbose_name = _("Subsidy")

    def ready(self):
        from budget import progress
        from households import extensions

        progress.register(progress.LARGE_MEASURES, count_large_measures)
        extensions.register_large_measures_counter(count_large_measures_of_household)

        from accounts import start
        from accounts.roles import Role

        start.register_page(_("Payments"), "subsidy:payments", roles={Role.FINANCE_OFFICER: 25, Role.COORDINATOR: 35})


def count_large_measures(programme) -> int:
    """Large measures granted: applications approved, in payout or paid (not withdrawn, lapsed or rejected)."""
    from subsidy.models import Application

    return Application.objects.filter(programme=programme).granted().count()


def count_large_measures_of_household(household) -> int:
    from subsidy.services import large_measures_granted

    return large_measures_granted(household)
