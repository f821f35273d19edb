"""The data-platform export for the province: dwelling characteristics per postcode-6, without personal data."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models.base import MadeInBackground

# A file per address holds personal data (addresses with their dwellings): it is kept this long after it was made,
# then its content is emptied (reports.province.clear_old_address_files); the record of the export stays.
ADDRESS_FILE_KEPT_FOR = datetime.timedelta(hours=24)


class ProvinceExport(MadeInBackground):
    class Level(models.TextChoices):
        """What one row of the file describes."""

        POSTCODE6 = "postcode6", _("Per postcode-6 (counts, suppressed below 5)")
        ADDRESS = "address", _("Per address (only households that consented to address-level sharing)")

    programme = models.ForeignKey("budget.Programme", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("programme"))
    scope = models.JSONField(_("scope"), default=dict, help_text=_("What the export covers (its level)."))
    counts = models.JSONField(_("counts"), default=dict, blank=True,
                              help_text=_("What the file holds: rows, dwellings, suppressed cells, addresses."))

    class Meta(MadeInBackground.Meta):
        verbose_name = _("province export")
        verbose_name_plural = _("province exports")
        permissions = [("export_for_province", _("Can export the province's dwelling data"))]

    @property
    def may_be_downloaded(self) -> bool:
        """Made, and still kept (a file per address only for `ADDRESS_FILE_KEPT_FOR`)."""
        return super().may_be_downloaded and (
            self.level != self.Level.ADDRESS or timezone.now() - self.finished_at < ADDRESS_FILE_KEPT_FOR)

    @property
    def level(self) -> str:
        return self.scope.get("level", "")

    @property
    def level_label(self) -> str:
        return self.Level(self.level).label if self.level in self.Level.values else self.level
