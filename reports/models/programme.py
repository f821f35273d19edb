"""The programme report as a file (PDF or xlsx), made in the background for a programme and a date range."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models.base import MadeInBackground


class ReportFile(MadeInBackground):
    programme = models.ForeignKey("budget.Programme", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("programme"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))

    class Meta(MadeInBackground.Meta):
        verbose_name = _("programme report file")
        verbose_name_plural = _("programme report files")
        permissions = [("view_programme_report", _("Can see the programme report"))]
