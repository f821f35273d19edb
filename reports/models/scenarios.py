"""A "wat als" scenario: the register assessed again with other rule values, saved with its results."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scenario(models.Model):
    programme = models.ForeignKey("budget.Programme", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("programme"))
    name = models.CharField(_("name"), max_length=200)
    parameters = models.JSONField(_("rule values changed"), default=dict,
                                  help_text=_("The rule values this scenario uses instead of those in force."))
    results = models.JSONField(_("results"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("made by"))
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["-created_at", "-pk"]
        permissions = [("run_scenarios", _("Can run and save scenarios"))]

    def __str__(self) -> str:
        return self.name
