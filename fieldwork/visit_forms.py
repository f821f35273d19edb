"""Forms of the three visits' recording pages (fieldwork.views.visits): the intake, the installation and the
evaluation.

They parse the input, with Dutch field errors; the rules (the order of the visits, a moment not in the future,
quantities between none and the number approved, a referral's reason, a defect report only for a rented home
with a housing corporation) are the services' (`fieldwork.services`, `subsidy.packages`), whose refusals the page
puts back on the field they name (`SERVICE_FIELDS`). "Done at" left empty is now.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.text import no_control_characters_multiline
from eligibility.codes import EnergyLabel, LargeMeasure
from fieldwork.models import MAX_ELECTRICITY_KWH, MAX_GAS_M3, Glazing, Insulation, Visit
from households.forms import CHOOSE, PersonChoiceField, users_with_role

MAX_TEXT = 2000
YES, NO, UNKNOWN = "yes", "no", ""
YES_NO_UNKNOWN = [(YES, _("Yes")), (NO, _("No")), (UNKNOWN, _("Don't know"))]

# A service's field (fieldwork.services, subsidy.packages) → the form's field that shows its refusal.
SERVICE_FIELDS = {
    "reason": "referral_reason",
    "community_worker": "referral_community_worker",
    "description": "defect_description",
    "sent_on": "defect_description",
}


def _text(label, *, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=MAX_TEXT, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}),
                           validators=[no_control_characters_multiline])


def _yes_no_unknown(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, required=False, choices=YES_NO_UNKNOWN, initial=UNKNOWN,
                                  coerce=lambda value: value == YES, empty_value=None, widget=forms.RadioSelect)


def _now() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class VisitForm(forms.Form):
    """What every visit records: when it was done (now, unless said otherwise; never in the future)."""

    done_at = forms.DateTimeField(label=_("Done at"), required=False, initial=_now, widget=DateTimeInput(),
                                  help_text=_("Now, unless you record it afterwards."))

    def put_refusal(self, error) -> None:
        """A service's refusal at the field it names, or above the form."""
        field = SERVICE_FIELDS.get(error.field, error.field)
        self.add_error(field if field in self.fields else None, str(error.message))


# --- Visit 1: the intake --------------------------------------------------------------------------------------


class IntakeForm(VisitForm):
    """The dwelling's findings, the advice, and the follow-ups (a referral; a defect report for a rented home)."""

    energy_label = forms.ChoiceField(label=_("Energy label"), choices=EnergyLabel.choices)
    label_estimated = forms.BooleanField(label=_("This label is my estimate"), required=False,
                                         help_text=_("Tick when the home has no registered label."))
    glazing = forms.ChoiceField(label=_("Glazing"), choices=[("", CHOOSE), *Glazing.choices])
    roof_insulation = forms.ChoiceField(label=_("Roof insulation"), choices=[("", CHOOSE), *Insulation.choices])
    floor_insulation = forms.ChoiceField(label=_("Floor insulation"), choices=[("", CHOOSE), *Insulation.choices])
    wall_insulation = forms.ChoiceField(label=_("Wall insulation"), choices=[("", CHOOSE), *Insulation.choices])
    crawl_space_suitable = _yes_no_unknown(_("Does the crawl space allow floor insulation?"))
    gas_m3_per_year = forms.IntegerField(label=_("Gas per year (m³)"), required=False, min_value=0,
                                         max_value=MAX_GAS_M3, help_text=_("If known."),
                                         widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    electricity_kwh_per_year = forms.IntegerField(label=_("Electricity per year (kWh)"), required=False, min_value=0,
                                                  max_value=MAX_ELECTRICITY_KWH, help_text=_("If known."),
                                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    wishes = _text(_("Residents' wishes"))

    advised_measure = forms.ChoiceField(
        label=_("Advised large measure"), required=False, widget=forms.RadioSelect,
        choices=[("", _("No large measure")), *LargeMeasure.choices],
        help_text=_("The one that would save most and suits the resident."))
    diy_possible = _yes_no_unknown(_("Can the resident do it themselves (DIY)?"))
    advice = _text(_("Advice"), rows=4)

    refer = forms.BooleanField(label=_("Refer the household to a community worker"), required=False)
    referral_community_worker = PersonChoiceField(queryset=users_with_role(Role.COMMUNITY_WORKER), required=False,
                                                  label=_("Community worker"), empty_label=CHOOSE)
    referral_reason = _text(_("What the household needs help with"))

    report_defect = forms.BooleanField(label=_("Report a defect to the housing corporation"), required=False)
    defect_description = _text(_("What is wrong with the home"))

    FINDINGS = ("energy_label", "label_estimated", "glazing", "roof_insulation", "floor_insulation",
                "wall_insulation", "crawl_space_suitable", "gas_m3_per_year", "electricity_kwh_per_year", "wishes",
                "advised_measure", "diy_possible", "advice")

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        dwelling = household.dwelling
        self.fields["energy_label"].initial = dwelling.energy_label
        self.fields["referral_community_worker"].initial = household.community_worker_id
        self.may_report_defect = dwelling.is_rented and bool(dwelling.housing_corporation)
        self.housing_corporation = dwelling.housing_corporation if self.may_report_defect else ""
        if not self.may_report_defect:
            del self.fields["report_defect"]
            del self.fields["defect_description"]

    def findings(self) -> dict:
        data = self.cleaned_data
        findings = {name: data[name] for name in self.FINDINGS}
        for name in ("wishes", "advice", "advised_measure"):
            findings[name] = findings[name] or ""
        return findings

    def referral(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("refer"):
            return None
        return {"reason": data["referral_reason"], "community_worker": data["referral_community_worker"]}

    def defect(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("report_defect"):
            return None
        return {"description": data["defect_description"]}


# --- Visit 2: the installation --------------------------------------------------------------------------------


def quantity_field_name(product_id: int) -> str:
    return f"quantity_{product_id}"


class InstallationForm(VisitForm):
    """Per product of the approved package the number installed (none up to the number approved), the version of
    the package the page showed, and notes."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    notes = _text(_("Notes"), rows=2)

    field_order = ["done_at", "notes"]

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[quantity_field_name(item.product_id)] = forms.IntegerField(
                label=item.product.name, initial=item.quantity,
                widget=forms.NumberInput(attrs={"min": 0, "max": item.quantity, "inputmode": "numeric",
                                                "class": "quantity"}))

    def full_clean(self):
        super().full_clean()
        if self.is_bound and "version" in self._errors:
            # A hidden field's error means nothing next to it: said above the form instead.
            del self._errors["version"]
            self.add_error(None, _("This page is out of date or incomplete: reload it and try again."))

    def quantities(self) -> dict[int, int]:
        return {item.product_id: self.cleaned_data[quantity_field_name(item.product_id)] for item in self.items}

    def shown_quantity(self, item) -> int:
        """The number the page shows for `item`: what was typed if it is a number, else the number approved."""
        if not self.is_bound:
            return item.quantity
        try:
            return int(str(self.data.get(quantity_field_name(item.product_id), "")).strip())
        except ValueError:
            return item.quantity


# --- Visit 3: the evaluation ----------------------------------------------------------------------------------

EXPERIENCE = [
    (1, _("very dissatisfied")),
    (2, _("dissatisfied")),
    (3, _("neutral")),
    (4, _("satisfied")),
    (5, _("very satisfied")),
]


class EvaluationForm(VisitForm):
    """The resident's experience (1–5), the installed products still in use, remarks, at home or by phone."""

    experience = forms.TypedChoiceField(
        label=_("How does the resident rate the help, from 1 to 5?"), choices=EXPERIENCE, coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the resident rates the help, from 1 to 5.")})
    in_use = forms.TypedMultipleChoiceField(label=_("Which installed products are in use?"), required=False,
                                            coerce=int, widget=forms.CheckboxSelectMultiple)
    remarks = _text(_("Remarks"), rows=4)
    mode = forms.ChoiceField(label=_("At home or by phone?"), choices=Visit.Mode.choices, widget=forms.RadioSelect)

    field_order = ["experience", "in_use", "remarks", "mode", "done_at"]

    def __init__(self, *args, visit: Visit, installed, **kwargs):
        super().__init__(*args, **kwargs)
        products = {item.product_id: item.product.name for item in installed}
        self.fields["in_use"].choices = list(products.items())
        self.fields["in_use"].initial = list(products)
        self.fields["mode"].initial = visit.mode
