"""A line's ledger as spreadsheet rows (django-import-export), for the background export.

Every export resource of the project is an `accounts.spreadsheets.SpreadsheetResource`: each cell goes through
`accounts.text.spreadsheet_cell`, so text a spreadsheet would read as a formula (starting with =, +, -,
@, a tab or a carriage return) is written as text, and control characters that an xlsx file cannot
hold are dropped. Numbers stay numbers. (import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT
only strips a leading "=" and turns every cell into text, so it is off.)
"""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from accounts.spreadsheets import SpreadsheetResource
from accounts.templatetags.people import person
from budget.models import LedgerEntry


class LedgerEntryResource(SpreadsheetResource):
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

    def dehydrate_amount(self, entry):
        return entry.amount  # a number (a decimal point in csv, whatever the language: the file is for machines too)

    def dehydrate_line(self, entry) -> str:
        return entry.line.name

    def dehydrate_booked_by(self, entry) -> str:
        return person(entry.booked_by)

    def dehydrate_reversed(self, entry) -> str:
        return str(_("yes") if entry.is_reversed else _("no"))

    def dehydrate_note(self, entry) -> str:
        return entry.note
