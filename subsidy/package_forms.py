"""Forms of the handyman's package pages (subsidy.views.packages). They validate, with Dutch field errors; the
services (subsidy.packages) decide and act, and check again.

Proposal: per catalogue product a quantity field `quantity_<product id>` (empty or 0: none of it), and the
    motivation the coordinator reads when the package goes above what is left of the limit per dwelling. The
    products of a tier the household may not receive are shown disabled; a quantity posted for one anyway still
    reaches the service, which refuses it with the reason.
Cancelling: the reason, and the version of the package the page showed (a stale page is told so).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.text import no_control_characters_multiline
from subsidy.models import MAX_QUANTITY

NOTE_LENGTH = 2000


def quantity_field_name(product_id: int) -> str:
    return f"quantity_{product_id}"


class QuantityField(forms.IntegerField):
    """How many of one product: a whole number from 0 (none) to MAX_QUANTITY; empty counts as 0."""

    def __init__(self, **kwargs):
        super().__init__(
            min_value=0, max_value=MAX_QUANTITY, required=False, initial=0,
            error_messages={"invalid": _("Give a whole number."),
                            "min_value": _("Give 0 or more (0: none of it)."),
                            "max_value": _("Give at most %(limit_value)s.")},
            widget=forms.NumberInput(attrs={"min": 0, "max": MAX_QUANTITY, "step": 1, "inputmode": "numeric",
                                            "class": "quantity"}),
            **kwargs)

    def clean(self, value):
        number = super().clean(value)
        return 0 if number is None else number


class ProposalForm(forms.Form):
    """The quantities of the catalogue's `products` (closed tiers' products disabled on the page) and the
    motivation."""

    motivation = forms.CharField(
        label=_("Why does this home need more? (for the coordinator)"), required=False, max_length=NOTE_LENGTH,
        help_text=_("Only needed when the package goes above what is left of the limit per dwelling."),
        validators=[no_control_characters_multiline], widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, products, closed_tiers=frozenset(), **kwargs):
        super().__init__(data, **kwargs)
        self.products = list(products)
        for product in self.products:
            field = QuantityField(label=product.name)
            if product.tier in closed_tiers or product.price is None:
                field.widget.attrs["disabled"] = True  # the page; the service refuses a posted quantity anyway
            self.fields[quantity_field_name(product.pk)] = field

    def quantities(self) -> dict[int, int]:
        """Product id → quantity, for the quantities above 0 that are valid (all of them once the form is)."""
        cleaned = getattr(self, "cleaned_data", {})
        given = {product.pk: cleaned.get(quantity_field_name(product.pk)) for product in self.products}
        return {pk: quantity for pk, quantity in given.items() if quantity}


class CancelPackageForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Why is the package cancelled?"), max_length=NOTE_LENGTH,
        validators=[no_control_characters_multiline], widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the package is cancelled.")})

    def full_clean(self):
        super().full_clean()
        if self.is_bound and "version" in self._errors:
            # A hidden field's error means nothing next to it: said above the form instead.
            del self._errors["version"]
            self.add_error(None, _("This page is out of date or incomplete: reload it and try again."))
