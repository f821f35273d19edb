"""The base of every spreadsheet export (django-import-export resources): cells that open as data.

Each exported cell goes through `accounts.text.spreadsheet_cell` (formula-like text escaped with an
apostrophe, control characters dropped, numbers left numbers); on import, the apostrophe such an export
added is taken off again, so an exported file reads back as it was.
"""

from import_export import resources

from accounts.text import spreadsheet_cell, unescaped_cell


class SpreadsheetResource(resources.ModelResource):
    def export_field(self, field, instance, **kwargs):
        return spreadsheet_cell(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        for key, value in row.items():
            row[key] = unescaped_cell(value)
