from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households")

    def ready(self):
        from accounts import retention, start
        from accounts.roles import Role
        from budget import progress

        progress.register(progress.HOUSEHOLDS_REACHED, count_households_reached)
        start.register_page(_("Households"), "households:list", roles=dict.fromkeys(Role, 20))
        start.register_page(_("Privacy statements"), "households:privacy_statements", roles={Role.COORDINATOR: 90})
        from households import inzage
        from households.imports import forget_old_imports

        retention.register_forgetter("household imports", forget_old_imports)
        retention.register_forgetter("inzage exports", inzage.forget_old_exports)
        start.register_section("households/_start_summary.html", roles={
            Role.HANDYMAN: 10, Role.COMMUNITY_WORKER: 10, Role.ASSESSOR: 10, Role.COORDINATOR: 10,
            Role.FINANCE_OFFICER: 20})


def count_households_reached(programme) -> int:
    """Households reached: those the programme works or has worked with (active at least once).

    A household closed straight from registered (no consent, never active) was not reached.
    """
    from households.models import Household

    return Household.objects.filter(programme=programme).reached().count()
