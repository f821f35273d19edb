from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    name = "eligibility"
    verbose_name = _("Eligibility")

    def ready(self):
        # `rules` autodiscovers `eligibility.rules`, which holds the pure eligibility rules;
        # the permissions live in their own module.
        from eligibility import permissions  # noqa: F401
