"""Forms of the coordinator's workload pages: reassigning one household, or several of one handyman's at once.

They validate, with Dutch field errors; `fieldwork.services.reassign` changes the assignment. The new handyman is
chosen from the active users with the handyman role, each shown with the active households he has now.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.text import no_control_characters_multiline
from households.forms import CHOOSE, HandymanWithWorkloadField
from households.models import Household
from households.selectors import handymen_with_workload

MAX_NOTE = 2000


class ReassignForm(forms.Form):
    """The handyman who takes the household over (not the one it has), and an optional note for the audit trail."""

    handyman = HandymanWithWorkloadField(
        queryset=handymen_with_workload(), label=_("new energy handyman"), empty_label=CHOOSE,
        error_messages={"required": _("Choose the handyman who takes over."),
                        "invalid_choice": _("Choose an active energy handyman from the list.")})
    note = forms.CharField(label=_("note"), required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}), validators=[no_control_characters_multiline],
                           help_text=_("Optional: why, for the household's history."))

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current  # the handyman the household(s) have now

    def clean_handyman(self):
        handyman = self.cleaned_data["handyman"]
        if self.current is not None and handyman.pk == self.current.pk:
            raise ValidationError(_("Choose another handyman than %(name)s."),
                                  params={"name": self.current.get_full_name() or self.current.username},
                                  code="same_handyman")
        return handyman


class ReassignManyForm(ReassignForm):
    """Several of one handyman's open households (`households`: the ones his page lists) to one new handyman."""

    households = forms.ModelMultipleChoiceField(
        queryset=Household.objects.none(), label=_("households"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select the households to reassign."),
                        "invalid_choice": _("A selected household is no longer his; reload the page."),
                        "invalid_pk_value": _("A selected household is no longer his; reload the page.")})

    field_order = ["households", "handyman", "note"]

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].queryset = households

    def selected(self) -> set[str]:
        """The households ticked in the submitted form (as strings), to tick them again when it comes back."""
        return set(self.data.getlist("households")) if self.is_bound else set()
