"""Append-only records: written once, never changed or deleted (DESIGN.md, "The budget ledger"; STYLE.md).

The budget ledger, reallocations, the audit trail and eligibility assessments are records of a moment.
A mistake is corrected by a new record (a reversal, a reassessment), never by editing an old one. The
base below refuses it on every path Django offers: `save()` of a stored row, `delete()` of one row, and
the queryset's bulk `update()` and `delete()`. The ledger also has database triggers (budget.ledger_guard).
"""

from django.db import models


class AppendOnlyError(ValueError):
    """Raised when code tries to change or remove an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are append-only: record a new entry instead.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are append-only: record a new entry instead.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are append-only: record a new entry instead.")

    update.queryset_only = True
    delete.queryset_only = True


class AppendOnlyModel(models.Model):
    """Abstract base: rows are added, never changed or deleted.

    `append_only_message` says what to do instead, in the record's own terms.
    """

    append_only_message = "This record is append-only: record a new one instead."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(self.append_only_message)
