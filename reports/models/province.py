"""The data-platform export for the province: dwelling characteristics per postcode-6, without personal data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models.base import MadeInBackground


class ProvinceExport(MadeInBackground):
    programme = models.ForeignKey("budget.Programme", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("programme"))
    scope = models.JSONField(_("scope"), default=dict, help_text=_("What the export covers (level, period)."))

    class Meta(MadeInBackground.Meta):
        verbose_name = _("province export")
        verbose_name_plural = _("province exports")
        permissions = [("export_for_province", _("Can export the province's dwelling data"))]
