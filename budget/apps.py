from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = _("Budget")

    def ready(self):
        from accounts import start
        from accounts.roles import Role
        from budget import ledger_guard

        ledger_guard.connect()
        start.register_page(_("Budget"), "budget:overview",
                            roles={Role.FINANCE_OFFICER: 30, Role.COORDINATOR: 30, Role.ASSESSOR: 30})
        start.register_section("budget/_start_summary.html", roles={Role.FINANCE_OFFICER: 10, Role.COORDINATOR: 20})
