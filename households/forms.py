"""Forms of the household pages. They validate, with Dutch field errors; the services change state."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.roles import Role, roles_of
from accounts.text import no_control_characters, no_control_characters_multiline
from accounts.uploads import MAX_SPREADSHEET_BYTES, FileRefused, check_spreadsheet
from budget.forms import AmountField
from budget.models import Programme
from budget.money import euro
from eligibility.bounds import IMPLAUSIBLE_MONTHLY_INCOME
from households.models import Consent, Dwelling, EnergyLabel, Household, Tenure
from households.privacy import current_statement, statements
from households.selectors import OPEN, SORTS, UNASSIGNED, handymen_with_workload
from households.validators import normalise_postcode, validate_housing_corporation, validate_statement_version

REFERENCE_FORMAT = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")
CHOOSE = _("— choose —")


def label_blank_choices(form: forms.BaseForm) -> None:
    """Selects without a value yet say so in the page's language."""
    for field in form.fields.values():
        choices = getattr(field, "choices", None)
        if isinstance(field, forms.TypedChoiceField | forms.ChoiceField) and choices and choices[0][0] == "":
            field.choices = [("", CHOOSE), *choices[1:]]


def offer_programmes(field: forms.ModelChoiceField) -> None:
    """The newest programme is chosen; with only one there is nothing to choose, so it is not shown."""
    programmes = list(field.queryset)
    if programmes:
        field.initial = programmes[0].pk
    if len(programmes) == 1:
        field.widget = forms.HiddenInput()


def _insert_after(fields: dict, after: str, name: str, field: forms.Field):
    for key, value in fields.items():
        yield key, value
        if key == after:
            yield name, field


class HouseholdForm(forms.ModelForm):
    """The household's own details. An income above IMPLAUSIBLE_MONTHLY_INCOME is saved only once confirmed."""

    confirm_income = forms.BooleanField(label=_("Yes, this amount is right"), required=False,
                                        widget=forms.HiddenInput())

    class Meta:
        model = Household
        fields = ["contact_name", "phone", "email", "household_type", "residents", "net_monthly_income",
                  "energy_allowance", "referral_source"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
                   "email": forms.EmailInput(attrs={"autocomplete": "email"})}
        field_classes = {"net_monthly_income": AmountField}
        error_messages = {
            "net_monthly_income": {
                "invalid": _("Enter the income as an amount in euros, e.g. 1250,00."),
                "max_decimal_places": _("The income may have at most two decimals (whole cents)."),
                "min_value": _("The income cannot be negative."),
            },
            "residents": {"min_value": _("At least one person lives in the household.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_blank_choices(self)
        # The confirmation follows the income it confirms.
        confirm = self.fields.pop("confirm_income")
        self.fields = dict(_insert_after(self.fields, "net_monthly_income", "confirm_income", confirm))

    def clean(self):
        cleaned = super().clean()
        income = cleaned.get("net_monthly_income")
        unchanged = self.instance.pk is not None and income == self.instance.net_monthly_income
        if income is not None and income > IMPLAUSIBLE_MONTHLY_INCOME and not unchanged:
            # Shown whenever the amount is unusual, so a confirmation never outlives the amount it confirmed.
            self.fields["confirm_income"].widget = forms.CheckboxInput()
            if not cleaned.get("confirm_income"):
                self.add_error("net_monthly_income", _(
                    "More than %(limit)s net a month is unusual in this programme. Check the amount (e.g. 1300,50) "
                    "and confirm it if it is right.") % {"limit": euro(IMPLAUSIBLE_MONTHLY_INCOME)})
        return cleaned


class RegistrationForm(HouseholdForm):
    """The household part of the registration: also the programme and, optionally, an existing reference."""

    programme = forms.ModelChoiceField(queryset=Programme.objects.all(), label=_("programme"), empty_label=None)
    reference = forms.CharField(
        label=_("Reference"), required=False, max_length=20,
        help_text=_("Leave empty to get the next number; fill in only to keep a number given earlier (e.g. on paper)."),
    )

    field_order = ["programme", "reference"]

    class Meta(HouseholdForm.Meta):
        fields = ["programme", *HouseholdForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_programmes(self.fields["programme"])

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip().upper()
        if reference and not REFERENCE_FORMAT.match(reference):
            raise ValidationError(_("A reference consists of capital letters, digits and hyphens, e.g. HIL-00042."),
                                  code="invalid_reference")
        return reference

    def clean(self):
        cleaned = super().clean()
        programme, reference = cleaned.get("programme"), cleaned.get("reference")
        if programme and reference and Household.objects.filter(programme=programme, reference=reference).exists():
            self.add_error("reference", _("A household with this reference already exists in this programme."))
        return cleaned


class DwellingForm(forms.ModelForm):
    class Meta:
        model = Dwelling
        fields = ["street", "house_number", "house_letter", "house_number_addition", "postcode", "city", "bag_id",
                  "energy_label", "energy_label_date", "dwelling_type", "build_year", "floor_area_m2", "tenure",
                  "housing_corporation"]
        widgets = {
            "energy_label_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code", "autocapitalize": "characters"}),
        }
        field_classes = {"floor_area_m2": AmountField}
        error_messages = {
            "energy_label": {"invalid_choice": _("Choose an energy label from A++++ to G, or unknown.")},
            "floor_area_m2": {"invalid": _("Enter the floor area in m², e.g. 84.5.")},
            "build_year": {"invalid": _("Enter a build year, e.g. 1965.")},
            "house_number": {"invalid": _("Enter a house number, e.g. 12.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["build_year"].widget.attrs.update({"inputmode": "numeric", "min": "1500",
                                                       "max": str(datetime.date.today().year)})
        self.fields["house_number"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["energy_label"].initial = EnergyLabel.UNKNOWN
        self.fields["tenure"].initial = None
        label_blank_choices(self)

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean_floor_area_m2(self) -> Decimal | None:
        area = self.cleaned_data["floor_area_m2"]
        if area is not None and area <= 0:
            raise ValidationError(_("The floor area must be more than 0 m²."), code="floor_area_not_positive")
        return area

    def clean(self):
        cleaned = super().clean()
        try:
            validate_housing_corporation(cleaned.get("tenure", ""), cleaned.get("housing_corporation", ""))
        except ValidationError as error:
            self.add_error(None, error)
        if cleaned.get("tenure") == Tenure.OWNER_OCCUPIER:
            cleaned["housing_corporation"] = ""
        return cleaned


class ConsentForm(forms.ModelForm):
    """Consent to a version of the programme's privacy statement. With the programme: a choice among the versions in
    its register, the current one chosen; without (the import's rows): the version as text, which the service looks
    up in the register."""

    statement_version = forms.CharField(label=_("privacy statement version"), max_length=20,
                                        validators=[validate_statement_version])

    class Meta:
        model = Consent
        fields = ["statement_version", "given_on", "processing", "share_address_level"]
        widgets = {"given_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, programme: Programme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = datetime.date.today
        if programme is not None:
            current = current_statement(programme)
            self.fields["statement_version"] = forms.ChoiceField(
                label=_("Privacy statement"), initial=current.version if current else None,
                choices=[(statement.version, _("%(version)s: %(title)s (from %(date)s)") % {
                    "version": statement.version, "title": statement.title,
                    "date": date_format(statement.valid_from, "j F Y")}) for statement in statements(programme)],
                error_messages={"required": _("Choose the privacy statement the resident read."),
                                "invalid_choice": _("Choose a privacy statement from the programme's register.")})

    def clean_given_on(self) -> datetime.date:
        given_on = self.cleaned_data["given_on"]
        if given_on > datetime.date.today():
            raise ValidationError(_("Consent cannot be given on a date in the future."), code="future_consent")
        return given_on


class ConsentDecisionForm(ConsentForm):
    """The consent page: the resident's answer is chosen, never assumed. Nothing chosen is a field error;
    "refuses" records a refusal of processing (the household stays registered), shown as such."""

    CONSENTS, REFUSES = "consents", "refuses"

    decision = forms.ChoiceField(
        label=_("The resident's answer"), widget=forms.RadioSelect,
        choices=[(CONSENTS, _("Consents to processing by the programme")), (REFUSES, _("Refuses processing"))],
        error_messages={"required": _("Choose whether the resident consents to processing or refuses it.")},
    )

    field_order = ["statement_version", "given_on", "decision", "share_address_level"]

    class Meta(ConsentForm.Meta):
        fields = ["statement_version", "given_on", "share_address_level"]

    def clean(self):
        cleaned = super().clean()
        cleaned["processing"] = cleaned.get("decision") == self.CONSENTS
        if cleaned.get("decision") == self.REFUSES and cleaned.get("share_address_level"):
            self.add_error("share_address_level", _("A resident who refuses processing does not consent to "
                                                    "sharing at address level either."))
        return cleaned


def users_with_role(role: Role):
    return get_user_model().objects.filter(groups__name=role.value, is_active=True).order_by(
        "first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


class HandymanWithWorkloadField(PersonChoiceField):
    """A handyman with the number of active households assigned to them (queryset `handymen_with_workload`)."""

    def label_from_instance(self, user) -> str:
        return ngettext("%(name)s (%(count)s active household)", "%(name)s (%(count)s active households)",
                        user.workload) % {"name": super().label_from_instance(user), "count": user.workload}


class UnassignedIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        choices = super().__iter__()
        yield next(choices)  # the empty label: every handyman
        yield (UNASSIGNED, _("not assigned"))
        yield from choices

    def __len__(self):
        return super().__len__() + 1


class HandymanFilterField(PersonChoiceField):
    """A handyman, or "not assigned" (`UNASSIGNED`)."""

    iterator = UnassignedIterator

    def to_python(self, value):
        return UNASSIGNED if value == UNASSIGNED else super().to_python(value)

    def validate(self, value):
        if value != UNASSIGNED:
            super().validate(value)


class AssignmentForm(forms.Form):
    handyman = PersonChoiceField(queryset=users_with_role(Role.HANDYMAN), required=False,
                                 label=_("energy handyman"), empty_label=_("(nobody)"))
    community_worker = PersonChoiceField(queryset=users_with_role(Role.COMMUNITY_WORKER), required=False,
                                         label=_("community worker"), empty_label=_("(nobody)"))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=2000, validators=[no_control_characters_multiline])

    def show_workload(self) -> None:
        """Offer each handyman with their current workload (the assign page; the import needs only the names)."""
        field = self.fields["handyman"]
        self.fields["handyman"] = HandymanWithWorkloadField(
            queryset=handymen_with_workload(), required=False, label=field.label, empty_label=field.empty_label)


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("reason for closing"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000, validators=[no_control_characters_multiline])


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("reason for reopening"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000, validators=[no_control_characters_multiline])


class WithdrawConsentForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000, validators=[no_control_characters_multiline],
                           help_text=_("Optional: how and when the resident withdrew consent."))
    erase = forms.BooleanField(
        label=_("The resident also asks for their personal data to be erased"), required=False,
        help_text=_("The household's personal data is removed at once: name, contact details, income, house "
                    "number, documents, letters and notes. A paid or rejected application keeps it for the "
                    "financial audit's term; it is removed when that ends. This cannot be undone."))




class RequestErasureForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000, validators=[no_control_characters_multiline],
                           help_text=_("Optional: how and when the resident asked for erasure."))


class HouseholdFilterForm(forms.Form):
    """Search and filters of the household list; every field is optional and bad values are ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("name, reference, postcode or street")}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all")), (OPEN, _("open (registered or active)")),
                                        *Household.Status.choices])
    tenure = forms.ChoiceField(label=_("Tenure"), required=False, choices=[("", _("all")), *Tenure.choices])
    label = forms.ChoiceField(label=_("Energy label"), required=False,
                              choices=[("", _("all")), *EnergyLabel.choices])
    handyman = HandymanFilterField(queryset=users_with_role(Role.HANDYMAN), required=False,
                                   label=_("Energy handyman"), empty_label=_("all"))
    sort = forms.ChoiceField(required=False, choices=[(key, key) for name in SORTS for key in (name, f"-{name}")],
                             widget=forms.HiddenInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not user.has_perm("households.assign_household") and Role.HANDYMAN in roles_of(user):
            del self.fields["handyman"]  # a handyman's list holds only his own households

    def criteria(self) -> dict:
        """The search and filters given, for `households.selectors.search_households` (the list and its export)."""
        self.is_valid()  # a bad value in one filter is ignored; the others still apply
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


IMPORT_MAX_BYTES = MAX_SPREADSHEET_BYTES


class ImportForm(forms.Form):
    """The spreadsheet to import: xlsx or csv, at most 20 MB, recognised by its content (accounts.uploads)."""

    file = forms.FileField(label=_("Spreadsheet (xlsx or csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
    programme = forms.ModelChoiceField(queryset=Programme.objects.all(), label=_("programme"), empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_programmes(self.fields["programme"])
        self.fields["file"].help_text = _(
            "At most 20 MB. Use the column headers of the template. An income above %(limit)s a month is imported "
            "only with “ja” in the column “Inkomen klopt”.") % {"limit": euro(IMPLAUSIBLE_MONTHLY_INCOME)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_spreadsheet(upload, max_bytes=IMPORT_MAX_BYTES)  # accounts.uploads: every file the system accepts
        except FileRefused as refused:
            raise ValidationError(str(refused), code=refused.code) from None
        return upload


class PrivacyStatementForm(forms.Form):
    """A new version of a programme's privacy statement (households.privacy.record_statement checks it again)."""

    version = forms.CharField(
        label=_("Version"), max_length=20, validators=[validate_statement_version],
        help_text=_("A new version, e.g. 2024-1. A stored version never changes: a changed text is a new version."),
        error_messages={"required": _("Enter the version, e.g. 2024-1."),
                        "max_length": _("A version has at most 20 characters, e.g. 2024-1.")})
    title = forms.CharField(label=_("Title"), max_length=200, validators=[no_control_characters],
                            error_messages={"required": _("Enter the title the resident sees.")})
    valid_from = forms.DateField(
        label=_("Applies from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("From this day the public form shows this version and new consent refers to it."),
        error_messages={"required": _("Enter the day the statement applies from."),
                        "invalid": _("Enter a date such as 1-1-2025.")})
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 20}), validators=[no_control_characters_multiline],
        help_text=_("The statement as the resident reads it: who is responsible, which data and why, the legal "
                    "basis, who receives what, how long it is kept, the resident's rights and the contact. "
                    "Paragraphs are separated by an empty line."),
        error_messages={"required": _("Enter the text of the statement as the resident reads it.")})
