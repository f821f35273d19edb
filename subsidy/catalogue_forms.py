"""Forms of the coordinator's package pages (subsidy.views.catalogue): the catalogue's products and their dated
prices, and the decision on a package waiting above the limit per dwelling. They validate, with Dutch errors per
field; the services in subsidy.packages check again and act.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.audit import today_of_acts
from accounts.text import no_control_characters, no_control_characters_multiline
from budget.forms import AmountField, DateInput
from budget.models import AMOUNT
from subsidy.forms import ActForm
from subsidy.models import ProductTier
from subsidy.packages import LAST_POSITION

PRICE_DATE_IN_THE_PAST = _("A new price applies from today or a later date; what was proposed before keeps its price.")


def _name():
    return forms.CharField(label=_("Product name"), max_length=100, validators=[no_control_characters])


def _unit():
    return forms.CharField(label=_("Unit"), max_length=20, required=False, validators=[no_control_characters],
                           help_text=_("How it is counted, e.g. “piece”, “pair”, “kit”."))


def _unit_price(label):
    return AmountField(
        label=label, **AMOUNT, min_value=Decimal("0.01"),
        error_messages={"invalid": _("Enter the price in euros, e.g. 4,50."),
                        "min_value": _("The price must be more than € 0,00."),
                        "max_decimal_places": _("The price may have at most two decimals (whole cents)."),
                        "max_digits": _("The price is too large."),
                        "max_whole_digits": _("The price is too large.")})


def _valid_from():
    return forms.DateField(label=_("Valid from"), widget=DateInput(),
                           error_messages={"invalid": _("Enter a valid date, e.g. 31-12-2026.")},
                           help_text=_("Today or later. Packages proposed before keep the price of their day."))


class PriceDateForm(forms.Form):
    def clean_valid_from(self):
        valid_from = self.cleaned_data["valid_from"]
        if valid_from < today_of_acts():
            raise forms.ValidationError(PRICE_DATE_IN_THE_PAST, code="past")
        return valid_from


class ProductForm(PriceDateForm):
    """A new product: its name, tier and unit, and its first unit price from a date."""

    name = _name()
    tier = forms.ChoiceField(label=_("Tier"), choices=ProductTier.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Choose a small or a medium measure.")})
    unit = _unit()
    unit_price = _unit_price(_("First unit price (€)"))
    valid_from = _valid_from()


class ProductChangeForm(forms.Form):
    """A product's name, unit, place in the list and whether it can still be proposed (its prices: PriceForm)."""

    name = _name()
    unit = _unit()
    position = forms.IntegerField(label=_("Position in the list"), min_value=0, max_value=LAST_POSITION,
                                  help_text=_("Lower comes first within its tier."),
                                  error_messages={"invalid": _("Give a whole number.")})
    active = forms.BooleanField(label=_("Active: handymen can propose it"), required=False,
                                help_text=_("Inactive products cannot be proposed any more; packages keep them."))


class PriceForm(PriceDateForm):
    """A new unit price from a date on."""

    unit_price = _unit_price(_("New unit price (€)"))
    valid_from = _valid_from()


APPROVE, DECLINE = "approve", "decline"


class DecisionForm(ActForm):
    """The coordinator's decision on a package above what was left of the limit per dwelling, with its reason
    (the service requires it: its refusal comes back on `reason`)."""

    decision = forms.ChoiceField(label=_("Decision"), choices=[(APPROVE, _("Approve above the limit")),
                                                               (DECLINE, _("Decline"))],
                                 error_messages={"required": _("Choose to approve or to decline."),
                                                 "invalid_choice": _("Choose to approve or to decline.")})
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             validators=[no_control_characters_multiline],
                             help_text=_("Recorded with the decision; the handyman reads it."),
                             widget=forms.Textarea(attrs={"rows": 3}))
