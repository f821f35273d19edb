"""Households as spreadsheet rows (django-import-export): one row per household, its dwelling flattened.

Used by the admin's export. Personal data leaves the system only this way, for staff with the
export permission; every cell is safe to open in a spreadsheet (accounts.spreadsheets.SpreadsheetResource).
"""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from accounts.spreadsheets import SpreadsheetResource
from households.models import Dwelling, Household

DWELLING_COLUMNS = [
    ("street", _("street")),
    ("house_number", _("house number")),
    ("house_letter", _("house letter")),
    ("house_number_addition", _("addition")),
    ("postcode", _("postcode")),
    ("city", _("city")),
    ("energy_label", _("energy label")),
    ("dwelling_type", _("dwelling type")),
    ("build_year", _("build year")),
    ("floor_area_m2", _("floor area (m²)")),
    ("tenure", _("tenure")),
    ("housing_corporation", _("housing corporation")),
]


class HouseholdResource(SpreadsheetResource):
    programme = fields.Field(attribute="programme__slug", column_name="programme")
    handyman = fields.Field(attribute="handyman__username", column_name="handyman")
    community_worker = fields.Field(attribute="community_worker__username", column_name="community_worker")

    class Meta:
        model = Household
        fields = ["programme", "reference", "contact_name", "phone", "email", "household_type", "residents",
                  "net_monthly_income", "energy_allowance", "referral_source", "status", "handyman",
                  "community_worker", "created_at"]
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name, _label in DWELLING_COLUMNS:
            model_field = Dwelling._meta.get_field(name)  # its widget, so numbers are exported as numbers
            widget = self.widget_from_django_field(model_field)(**self.widget_kwargs_for_field(name, model_field))
            self.fields[f"dwelling_{name}"] = fields.Field(attribute=f"dwelling__{name}", column_name=name,
                                                           widget=widget)

    def get_export_order(self):
        return (*self._meta.fields, *(f"dwelling_{name}" for name, _label in DWELLING_COLUMNS))

    def get_queryset(self):
        return Household.objects.with_register_details()
