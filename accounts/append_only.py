"""Append-only records: written once, never changed or deleted (DESIGN.md, "The budget ledger"; STYLE.md).

The budget ledger, reallocations, the audit trail and eligibility assessments are records of a moment.
A mistake is corrected by a new record (a reversal, a reassessment), never by editing an old one. The
base below refuses it on every path Django offers: `save()` of a stored row, `delete()` of one row, and
the queryset's bulk `update()` and `delete()`. The ledger and the view log also have database triggers
(accounts.db_guard).

One exception, for the AVG (issue 14, households.retention): personal data must not outlive its retention period,
also not in a record of a moment. `redact` is the one sanctioned path that changes stored rows: it blanks only the
fields a model declares in `redactable_fields` (free text such as an audit note, the income in an assessment's
inputs), and only anonymisation calls it. What the record says happened (who, when, which amounts) stays.
"""

from collections.abc import Callable

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


def redact(queryset, **values) -> int:
    """Overwrite personal data in append-only rows (only anonymisation calls this; see the module's docstring).

    Each keyword is a field the model declares in `redactable_fields`; its value is the blank to store, or a
    function `(stored value) -> value to store` for a structured field (JSON) of which only a part is personal.
    Any other field is refused (AppendOnlyError). Returns the number of rows changed.
    """
    model = queryset.model
    allowed = set(getattr(model, "redactable_fields", ()))
    refused = sorted(set(values) - allowed)
    if refused:
        raise AppendOnlyError(f"{model._meta.verbose_name_plural}: {', '.join(refused)} may not be redacted "
                              f"(redactable: {', '.join(sorted(allowed)) or 'none'}).")
    fixed = {name: value for name, value in values.items() if not callable(value)}
    computed: dict[str, Callable] = {name: value for name, value in values.items() if callable(value)}
    rows = models.QuerySet(model, using=queryset.db).filter(pk__in=queryset.values("pk"))
    if not computed:
        return models.QuerySet.update(rows, **fixed) if fixed else 0
    changed = 0
    for pk, *stored in rows.values_list("pk", *computed).iterator():
        new = {name: redact_value(old) for (name, redact_value), old in zip(computed.items(), stored, strict=True)}
        changed += models.QuerySet(model, using=queryset.db).filter(pk=pk).update(**fixed, **new)
    return changed
