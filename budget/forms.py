"""Forms of the finance pages: they validate input; the services decide and book (budget.services)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from accounts.text import no_control_characters_multiline
from budget.models import AMOUNT, BudgetLine, LedgerEntry
from budget.money import amount_text, euro


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AmountField(forms.DecimalField):
    """An amount as people type it (16500, 16500,00, 16.500,00, € 16.500,00), read by `budget.money.amount_text`.

    The one reading of typed amounts for every form (finance, households, self-check, calculators): with a
    decimal comma, dots are thousands separators; without one, "16.500" is ambiguous (sixteen thousand
    five hundred, or sixteen and a half?) and refused rather than stored wrongly. Also for other
    quantities people type with a decimal comma, such as an area in m².
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = amount_text(value)
        return super().to_python(value)

    def prepare_value(self, value):
        # Shown as people write it in the page's language (1300,50 in Dutch), without thousands separators.
        if isinstance(value, Decimal):
            return number_format(value, use_l10n=True, force_grouping=False)
        return value

    def widget_attrs(self, widget):
        # A text input: the browser must not judge "1.385,00" against min/max/step as a number.
        return {key: value for key, value in super().widget_attrs(widget).items() if key not in ("min", "max", "step")}


def amount_field(**kwargs) -> forms.DecimalField:
    return AmountField(
        label=_("Amount (€)"), **AMOUNT, min_value=Decimal("0.01"),
        error_messages={"min_value": _("The amount must be greater than zero."),
                        "max_decimal_places": _("The amount may have at most two decimals (whole cents)."),
                        "max_digits": _("The amount is too large."),
                        "max_whole_digits": _("The amount is too large.")},
        **kwargs)


class LedgerFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *LedgerEntry.Kind.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def is_filtering(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())

    def filter(self, entries):
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["kind"]:
            entries = entries.filter(kind=data["kind"])
        if data["date_from"]:
            entries = entries.filter(booked_on__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(booked_on__lte=data["date_to"])
        return entries


class ExpenditureForm(forms.Form):
    amount = amount_field()
    booked_on = forms.DateField(label=_("Booking date"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("Description"), max_length=2000, validators=[no_control_characters_multiline],
                           help_text=_("E.g. the supplier and the invoice number."))


class ReversalForm(forms.Form):
    note = forms.CharField(label=_("Reason for the reversal"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}), validators=[no_control_characters_multiline])


class BudgetLineChoiceField(forms.ModelChoiceField):
    """A line by its name, with what is available on it (not its code)."""

    def label_from_instance(self, line) -> str:
        return _("%(name)s (%(available)s available)") % {"name": line.name, "available": euro(line.available)}


class ReallocationForm(forms.Form):
    from_line = BudgetLineChoiceField(label=_("From budget line"), queryset=BudgetLine.objects.none(),
                                      empty_label=_("— choose a line —"))
    to_line = BudgetLineChoiceField(label=_("To budget line"), queryset=BudgetLine.objects.none(),
                                    empty_label=_("— choose a line —"))
    amount = amount_field()
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             validators=[no_control_characters_multiline])

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        lines = BudgetLine.objects.filter(programme=programme).order_by("position", "pk")
        self.fields["from_line"].queryset = lines
        self.fields["to_line"].queryset = lines

    def clean(self):
        data = super().clean()
        if data.get("from_line") and data.get("to_line") and data["from_line"] == data["to_line"]:
            self.add_error("to_line", _("Choose two different budget lines."))
        return data

