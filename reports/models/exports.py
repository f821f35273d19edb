"""An export of one of the lists (households, applications, visits, packages, the ledger) with its filters."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models.base import MadeInBackground


class ListExport(MadeInBackground):
    kind = models.CharField(_("list"), max_length=30)
    filters = models.JSONField(_("filters"), default=dict, blank=True,
                               help_text=_("The list's filters when the export was asked for."))

    class Meta(MadeInBackground.Meta):
        verbose_name = _("list export")
        verbose_name_plural = _("list exports")
