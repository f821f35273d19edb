from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    name = "eligibility"
    verbose_name = _("Eligibility")

    def ready(self):
        from accounts import start
        from accounts.roles import Role

        start.register_page(_("Self-check"), "eligibility:self_check", roles=dict.fromkeys(Role, 40))
        start.register_page(_("DIY calculator"), "eligibility:diy_calculator", roles=dict.fromkeys(Role, 50))
