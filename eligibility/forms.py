"""Forms of the public self-check and the DIY calculator (Dutch field errors; nothing is stored)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budget.forms import AmountField
from budget.models import Programme
from eligibility.bounds import MAX_AREA_M2, MAX_MONTHLY_INCOME
from eligibility.codes import DiyMeasure, EnergyLabel, HouseholdType, Tenure
from eligibility.rules import Circumstances


class ProgrammeDateForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.all(), to_field_name="slug", empty_label=None)
    date = forms.DateField(
        label=_("Reference date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The rules valid on this day are used; empty means today."))

    def clean_date(self):
        return self.cleaned_data.get("date") or timezone.localdate()


class SelfCheckForm(ProgrammeDateForm):
    household_type = forms.ChoiceField(label=_("Your household"), choices=HouseholdType.choices,
                                       widget=forms.RadioSelect)
    net_monthly_income = AmountField(
        label=_("Net household income per month (€)"), required=False, min_value=Decimal("0"),
        max_value=MAX_MONTHLY_INCOME, max_digits=9, decimal_places=2,
        error_messages={"max_value": _("This is not a monthly income: check the amount.")},
        help_text=_("Everything the household receives per month after tax, e.g. 1360,75."))
    energy_allowance_received = forms.BooleanField(
        label=_("I received the letter that the energy allowance of €1,300 was paid"), required=False,
        help_text=_("Then the letter is proof of income and you need not give your income."))
    energy_label = forms.ChoiceField(label=_("Energy label of the home"), initial=EnergyLabel.UNKNOWN, choices=[
        (value, _("I don't know") if value == EnergyLabel.UNKNOWN else label) for value, label in EnergyLabel.choices])
    tenure = forms.ChoiceField(label=_("Do you own or rent the home?"), choices=Tenure.choices,
                               widget=forms.RadioSelect)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("energy_allowance_received") and cleaned.get("net_monthly_income") is None \
                and "net_monthly_income" not in self.errors:
            self.add_error("net_monthly_income", _(
                "Give the net monthly income, or tick that you received the energy-allowance letter."))
        return cleaned

    def circumstances(self) -> Circumstances:
        data = self.cleaned_data
        return Circumstances(household_type=data["household_type"], net_monthly_income=data["net_monthly_income"],
                             energy_allowance_received=data["energy_allowance_received"],
                             energy_label=data["energy_label"], tenure=data["tenure"], large_measures_taken=0)


class DiyCalculatorForm(ProgrammeDateForm):
    measure = forms.ChoiceField(label=_("Measure"), choices=DiyMeasure.choices)
    area_m2 = AmountField(
        label=_("Area (m²)"), min_value=Decimal("0"), max_value=MAX_AREA_M2, max_digits=7, decimal_places=2,
        help_text=_("The area to insulate; a handyman checks it."))
