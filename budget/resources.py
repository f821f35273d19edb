"""A line's ledger as spreadsheet rows (django-import-export), for the background export.

Cells that a spreadsheet would read as a formula (starting with =, +, -, @, a tab or a carriage return)
are written as text: import-export's own escaping (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT) only
strips a leading "=", so free text such as notes is also prefixed with an apostrophe here.
"""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from budget.models import LedgerEntry

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class LedgerEntryResource(resources.ModelResource):
    entry = fields.Field(attribute="pk", column_name=_("entry"))
    booked_on = fields.Field(attribute="booked_on", column_name=_("booking date"))
    kind = fields.Field(column_name=_("kind"))
    amount = fields.Field(column_name=_("amount"))
    line = fields.Field(column_name=_("budget line"))
    booked_by = fields.Field(column_name=_("booked by"))
    refers_to = fields.Field(attribute="refers_to_id", column_name=_("refers to"))
    reversed = fields.Field(column_name=_("reversed"))
    note = fields.Field(column_name=_("note"))

    class Meta:
        model = LedgerEntry
        fields = ["entry", "booked_on", "kind", "amount", "line", "booked_by", "refers_to", "reversed", "note"]
        export_order = fields

    def dehydrate_kind(self, entry) -> str:
        return str(entry.get_kind_display())

    def dehydrate_amount(self, entry) -> str:
        return str(entry.amount)  # a decimal point, whatever the language: the file is for machines too

    def dehydrate_line(self, entry) -> str:
        return as_text(entry.line.name)

    def dehydrate_booked_by(self, entry) -> str:
        return as_text(entry.booked_by.get_full_name() or entry.booked_by.username)

    def dehydrate_reversed(self, entry) -> str:
        return str(_("yes") if entry.is_reversed else _("no"))

    def dehydrate_note(self, entry) -> str:
        return as_text(entry.note)
