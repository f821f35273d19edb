"""Forms of the subsidy pages. They validate, with Dutch field errors; the services (subsidy.services) act."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.errors import Refused
from accounts.text import no_control_characters, no_control_characters_multiline
from accounts.uploads import check_upload
from budget.forms import AmountField, amount_field
from eligibility.bounds import MAX_AREA_M2, MAX_MONTHLY_INCOME
from eligibility.codes import DiyMeasure, EnergyLabel, HouseholdType, LargeMeasure, Tenure
from households.models import Dwelling
from households.validators import normalise_postcode
from subsidy.models import Application, Document, IncomeProof, Route
from subsidy.services import check_iban

# --- The application form (the public form and the community worker's) and the applicant's acts through the
# status link (subsidy.views.public). The services check again; these give the errors per field, all at once. --

DOCUMENT_TYPES = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
DOCUMENT_HELP = _("PDF, JPEG or PNG, at most 10 MB.")
YES, NO = "yes", "no"
ADDRESS_FIELDS = ("street", "house_number", "house_letter", "house_number_addition", "postcode", "city")


def _document(label, *, help_text=DOCUMENT_HELP):
    return forms.FileField(label=label, required=False, help_text=help_text,
                           widget=forms.FileInput(attrs={"accept": DOCUMENT_TYPES}))


class MultipleDocumentsInput(forms.FileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Several files at once (a list; empty when none was chosen), each checked like a single one."""

    MAX_FILES = 5

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleDocumentsInput(attrs={"accept": DOCUMENT_TYPES}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if len(files) > self.MAX_FILES:
            raise ValidationError(_("Send at most %(count)s files at a time.") % {"count": self.MAX_FILES},
                                  code="too_many_files")
        return [checked_document(super(DocumentsField, self).clean(file, initial)) for file in files]


def checked_document(file):
    """The file when it may be kept (PDF, JPEG or PNG by content, not empty, at most 10 MB), else the field error."""
    if file:
        try:
            check_upload(file)
        except Refused as error:
            raise ValidationError(str(error.message), code="document") from None
    return file


def _address_field(name: str, **kwargs) -> forms.Field:
    """The dwelling's own field (its validators and label), so the form refuses what the register refuses."""
    return Dwelling._meta.get_field(name).formfield(**kwargs)


def _radio(label, choices, required_message, **kwargs):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect,
                             error_messages={"required": required_message}, **kwargs)


def _money(label, **kwargs):
    return AmountField(label=label, required=False, min_value=Decimal("0.01"), max_digits=12, decimal_places=2,
                       error_messages={"invalid": _("Enter an amount in euros, e.g. 4200 or 4200,50."),
                                       "min_value": _("The amount must be greater than zero."),
                                       "max_decimal_places": _("The amount may have at most two decimals (whole "
                                                               "cents)."),
                                       "max_digits": _("The amount is too large."),
                                       "max_whole_digits": _("The amount is too large.")}, **kwargs)


class ApplicationForm(forms.Form):
    """The plan's questions (DOMAIN.md, "The application"): who and where, owner-occupier, the measure, contractor
    (quote) or DIY (area), income (the energy-allowance letter or the income), the declaration and the consent.

    `household`: the community worker's form for a registered household; its address is shown, not asked.
    """

    applicant_name = forms.CharField(label=_("Your name"), max_length=200, validators=[no_control_characters],
                                     widget=forms.TextInput(attrs={"autocomplete": "name"}),
                                     error_messages={"required": _("Enter your name.")})
    email = forms.EmailField(label=_("E-mail address"), required=False,
                             help_text=_("We send the link to your application's status page here."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             error_messages={"invalid": _("Enter an e-mail address such as naam@example.nl.")})
    phone = forms.CharField(label=_("Phone number (optional)"), required=False, max_length=20,
                            validators=[no_control_characters],
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    street = _address_field("street", widget=forms.TextInput(attrs={"autocomplete": "address-line1"}))
    house_number = _address_field("house_number", widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                                  error_messages={"invalid": _("Enter a house number, e.g. 12.")})
    house_letter = _address_field("house_letter")
    house_number_addition = _address_field("house_number_addition")
    postcode = _address_field("postcode", widget=forms.TextInput(
        attrs={"autocomplete": "postal-code", "autocapitalize": "characters"}))
    city = _address_field("city", widget=forms.TextInput(attrs={"autocomplete": "address-level2"}))
    energy_label = forms.ChoiceField(
        label=_("Energy label of the home"), required=False, initial=EnergyLabel.UNKNOWN,
        choices=[(value, _("I don't know") if value == EnergyLabel.UNKNOWN else label)
                 for value, label in EnergyLabel.choices],
        help_text=_("On the label's certificate, or at ep-online.nl."))
    owner_occupier = _radio(_("Do you own the home and live in it yourself?"),
                            [(YES, _("Yes, I own it and live in it")), (NO, _("No"))],
                            _("Answer whether you own the home and live in it."))
    measure = _radio(_("Which insulation measure?"), LargeMeasure.choices, _("Choose the measure."))
    route = _radio(_("Who does the work?"), Route.choices, _("Choose a contractor or do it yourself."))
    quote_amount = _money(_("Amount of the quote, including VAT (€)"), help_text=_("E.g. 4200,00."))
    quote_file = _document(_("The contractor's quote"))
    diy_area_m2 = AmountField(
        label=_("Area to insulate (m²)"), required=False, min_value=Decimal("0.01"), max_value=MAX_AREA_M2,
        max_digits=7, decimal_places=2, help_text=_("An energy handyman checks the area with you."),
        error_messages={"invalid": _("Enter the area in m², e.g. 70 or 70,5."),
                        "min_value": _("The area must be more than 0 m²."),
                        "max_value": _("This is more than any home's area: check the number."),
                        "max_decimal_places": _("Enter the area with at most two decimals."),
                        "max_digits": _("This is more than any home's area: check the number."),
                        "max_whole_digits": _("This is more than any home's area: check the number.")})
    household_type = _radio(_("Your household"), HouseholdType.choices, _("Choose your household."))
    income_proof = _radio(_("How do you show your income?"), [
        (IncomeProof.ENERGY_ALLOWANCE_LETTER, _("With the letter showing that the energy allowance was paid to me")),
        (IncomeProof.INCOME_DETAILS, _("I give my household's net income"))], _("Choose how you show your income."))
    energy_allowance_letter = _document(_("The energy-allowance letter"))
    net_monthly_income = AmountField(
        label=_("Net household income per month (€)"), required=False, min_value=Decimal("0"),
        max_value=MAX_MONTHLY_INCOME, max_digits=9, decimal_places=2,
        help_text=_("Everything the household receives per month after tax, e.g. 1360,75."),
        error_messages={"invalid": _("Enter the income as an amount in euros, e.g. 1250,00."),
                        "min_value": _("The income cannot be negative."),
                        "max_value": _("This is not a monthly income: check the amount."),
                        "max_decimal_places": _("The income may have at most two decimals (whole cents).")})
    declaration_true = forms.BooleanField(
        label=_("I declare that I filled in everything truthfully"),
        error_messages={"required": _("Declare that you filled in everything truthfully.")})
    privacy_consent = forms.BooleanField(
        label=_("I consent to the programme processing my details as the privacy statement describes"),
        error_messages={"required": _("Without your consent we cannot process the application.")})
    share_address_level = forms.BooleanField(
        label=_("The data of my home may be shared with the municipality and province at address level"),
        required=False, help_text=_("Optional. Without this, it is shared only per postcode area."))
    # The version of the privacy statement the page showed (a hidden input): consent is recorded to the current one,
    # and refused when the page showed another (it changed while the applicant filled in the form).
    privacy_statement_version = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput,
                                                validators=[no_control_characters])

    def __init__(self, *args, household=None, require_email=True, privacy_statement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        self.privacy_statement = privacy_statement
        self.fields["email"].required = require_email
        if household is not None:
            for name in (*ADDRESS_FIELDS, "energy_label"):
                self.fields[name].disabled = True

    @staticmethod
    def initial_for(household) -> dict:
        """The community worker's form, filled in from the household and its dwelling."""
        dwelling = household.dwelling
        initial = {"applicant_name": household.contact_name, "email": household.email, "phone": household.phone,
                   "household_type": household.household_type, "net_monthly_income": household.net_monthly_income,
                   "energy_label": dwelling.energy_label, "owner_occupier": YES if dwelling.tenure ==
                   Tenure.OWNER_OCCUPIER else None}
        initial.update({name: getattr(dwelling, name) for name in ADDRESS_FIELDS})
        if household.energy_allowance == "yes":
            initial["income_proof"] = IncomeProof.ENERGY_ALLOWANCE_LETTER
        elif household.net_monthly_income is not None:
            initial["income_proof"] = IncomeProof.INCOME_DETAILS
        return initial

    def clean_postcode(self) -> str:
        return self.cleaned_data["postcode"] if self.household else normalise_postcode(self.cleaned_data["postcode"])

    def clean_quote_file(self):
        return checked_document(self.cleaned_data["quote_file"])

    def clean_energy_allowance_letter(self):
        return checked_document(self.cleaned_data["energy_allowance_letter"])

    def clean(self):
        data = super().clean()
        if self.privacy_statement is None:
            self.add_error("privacy_consent", _("The programme has no privacy statement yet, so it cannot record "
                                                "consent; applying is possible once it has one."))
        elif data.get("privacy_statement_version") not in ("", None, self.privacy_statement.version) \
                and "privacy_consent" in data:
            self.add_error("privacy_consent", _("The privacy statement changed while you filled in the form. Read "
                                                "version %(version)s and give your consent again.")
                           % {"version": self.privacy_statement.version})
        if data.get("owner_occupier") == NO:
            self.add_error("owner_occupier", NOT_FOR_TENANTS)
        route = data.get("route")
        if route == Route.CONTRACTOR:
            self._require("quote_amount", _("Enter the amount of the quote."))
            self._require("quote_file", _("Add the contractor's quote."))
        elif route == Route.DIY:
            if data.get("measure") and data["measure"] not in DiyMeasure.values:
                self.add_error("measure", _("This measure is done by a contractor only; choose the contractor or "
                                            "another measure."))
            self._require("diy_area_m2", _("Enter the area to insulate."))
        # What belongs to the other choice is not asked (the page hides it): its values and errors do not count.
        self._ignore(*{Route.CONTRACTOR: ["diy_area_m2"], Route.DIY: ["quote_amount", "quote_file"]}.get(route, []))
        proof = data.get("income_proof")
        if proof == IncomeProof.ENERGY_ALLOWANCE_LETTER:
            self._require("energy_allowance_letter", _("Add the energy-allowance letter."))
            self._ignore("net_monthly_income")
        elif proof == IncomeProof.INCOME_DETAILS:
            self._require("net_monthly_income", _("Enter the net monthly income of the household."))
            self._ignore("energy_allowance_letter")
        return data

    def _require(self, name: str, message: str) -> None:
        if name not in self.errors and self.cleaned_data.get(name) in (None, ""):
            self.add_error(name, message)

    def _ignore(self, *names: str) -> None:
        for name in names:
            self._errors.pop(name, None)
            self.cleaned_data[name] = None

    @property
    def files_chosen(self) -> bool:
        """Files came with the refused form: the browser does not keep them, so they must be chosen again."""
        return any(self.files.get(name) for name in ("quote_file", "energy_allowance_letter"))

    # What `subsidy.services.apply` takes.

    def answers(self) -> dict:
        data = self.cleaned_data
        contractor = data["route"] == Route.CONTRACTOR
        return {"applicant_name": data["applicant_name"], "email": data["email"], "phone": data["phone"],
                "owner_occupier": data["owner_occupier"] == YES, "measure": data["measure"], "route": data["route"],
                "quote_amount": data["quote_amount"] if contractor else None,
                "diy_area_m2": None if contractor else data["diy_area_m2"],
                "household_type": data["household_type"], "income_proof": data["income_proof"],
                "net_monthly_income": data["net_monthly_income"], "declaration_true": data["declaration_true"]}

    def address(self) -> dict:
        return {name: self.cleaned_data[name] for name in ADDRESS_FIELDS}

    def energy_label_given(self) -> str:
        return self.cleaned_data.get("energy_label") or EnergyLabel.UNKNOWN

    def consent(self) -> dict:
        """Consent to the privacy statement the page showed (the programme's current one)."""
        return {"statement_version": self.privacy_statement.version,
                "share_address_level": self.cleaned_data["share_address_level"]}

    def documents(self) -> list[tuple[str, object]]:
        data = self.cleaned_data
        documents = []
        if data["route"] == Route.CONTRACTOR:
            documents.append((Document.Kind.QUOTE, data["quote_file"]))
        if data["income_proof"] == IncomeProof.ENERGY_ALLOWANCE_LETTER:
            documents.append((Document.Kind.ENERGY_ALLOWANCE_LETTER, data["energy_allowance_letter"]))
        return documents


NOT_FOR_TENANTS = _("The grant for a large insulation measure is only for owner-occupiers who live in the home; "
                    "see below what you can get instead.")


class DiyEstimateForm(forms.Form):
    """The live estimate of the DIY grant beside the form (GET; nothing is stored)."""

    programme = forms.SlugField(required=False)
    measure = forms.ChoiceField(choices=LargeMeasure.choices)
    diy_area_m2 = AmountField(min_value=Decimal("0.01"), max_value=MAX_AREA_M2, max_digits=7, decimal_places=2,
                              error_messages=ApplicationForm.base_fields["diy_area_m2"].error_messages)

    def clean_measure(self) -> str:
        if self.cleaned_data["measure"] not in DiyMeasure.values:
            raise ValidationError(_("This measure is done by a contractor only."), code="contractor_only")
        return self.cleaned_data["measure"]


class ApplicantActForm(forms.Form):
    """An act through the status link, with the version of the application the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("version") is None:
            raise ValidationError(_("This page is out of date: reload it and try again."), code="no_version")
        return data


APPLICANT_DOCUMENT_KINDS = [(kind.value, kind.label) for kind in (
    Document.Kind.QUOTE, Document.Kind.DIY_CALCULATION, Document.Kind.ENERGY_ALLOWANCE_LETTER,
    Document.Kind.PROOF_OF_OWNERSHIP, Document.Kind.INVOICE, Document.Kind.ACCEPTED_QUOTE, Document.Kind.OTHER)]


class ApplicantDocumentForm(ApplicantActForm):
    kind = forms.ChoiceField(label=_("What is it?"), choices=[("", _("— choose —")), *APPLICANT_DOCUMENT_KINDS],
                             error_messages={"required": _("Choose what kind of document it is.")})
    file = forms.FileField(label=_("File"), help_text=DOCUMENT_HELP,
                           widget=forms.FileInput(attrs={"accept": DOCUMENT_TYPES}),
                           error_messages={"required": _("Choose a file.")})

    def clean_file(self):
        return checked_document(self.cleaned_data["file"])


class ApplicantInfoForm(ApplicantActForm):
    note = forms.CharField(label=_("Your answer (optional)"), required=False, max_length=2000,
                           validators=[no_control_characters_multiline], widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(label=_("What are the files?"), choices=APPLICANT_DOCUMENT_KINDS,
                             initial=Document.Kind.OTHER, required=False)
    files = DocumentsField(label=_("Files (optional)"), required=False,
                           help_text=_("PDF, JPEG or PNG, at most 10 MB each; at most 5 files."))


# The payout request's files: (form field, document kind); the applicant's form and the staff's share them.
PAYOUT_UPLOADS = (("invoice", Document.Kind.INVOICE), ("accepted_quote", Document.Kind.ACCEPTED_QUOTE))


def payout_uploads(form) -> list[tuple[str, str, object]]:
    """(field, kind, file) of each payout file given in `form`."""
    return [(name, kind, form.cleaned_data[name]) for name, kind in PAYOUT_UPLOADS if form.cleaned_data.get(name)]


class ApplicantPayoutForm(ApplicantActForm):
    UPLOADS = PAYOUT_UPLOADS

    invoice = _document(_("The invoice"))
    accepted_quote = _document(_("The quote you accepted (signed)"))
    invoice_amount = _money(_("Amount of the invoice, including VAT (€)"))
    iban = forms.CharField(label=_("IBAN of your account"), max_length=42, validators=[no_control_characters],
                           help_text=_("The grant is paid to this account, e.g. NL91 ABNA 0417 1643 00."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                           error_messages={"required": _("Enter the IBAN of the account.")})
    account_holder = forms.CharField(label=_("Name of the account holder"), max_length=70,
                                     validators=[no_control_characters],
                                     error_messages={"required": _("Enter the name of the account holder.")})

    def __init__(self, *args, needs, **kwargs):
        """`needs`: the document kinds the payout request needs that the application does not have yet."""
        super().__init__(*args, **kwargs)
        self.needs = set(needs)
        for name, kind in self.UPLOADS:
            if kind not in self.needs:
                del self.fields[name]

    def clean_invoice(self):
        return checked_document(self.cleaned_data["invoice"])

    def clean_accepted_quote(self):
        return checked_document(self.cleaned_data["accepted_quote"])

    def clean_iban(self) -> str:
        try:
            return check_iban(self.cleaned_data["iban"])
        except Refused as error:
            raise ValidationError(str(error.message), code="iban") from None

    def clean(self):
        data = super().clean()
        for name, kind in self.UPLOADS:
            if name in self.fields and name not in self.errors and not data.get(name):
                self.add_error(name, {Document.Kind.INVOICE: _("Add the invoice."),
                                      Document.Kind.ACCEPTED_QUOTE: _("Add the quote you accepted.")}[kind])
        if "invoice_amount" not in self.errors and data.get("invoice_amount") is None:
            self.add_error("invoice_amount", _("Enter the amount of the invoice."))
        return data

    def uploads(self) -> list[tuple[str, str, object]]:
        return payout_uploads(self)


class ApplicantWithdrawForm(ApplicantActForm):
    note = forms.CharField(label=_("Why do you withdraw it? (optional)"), required=False, max_length=2000,
                           validators=[no_control_characters_multiline], widget=forms.Textarea(attrs={"rows": 3}))



# --- The staff pages: the list's filters and the acts on an application (subsidy.views.review) ----------

def _any(label):
    return [("", label)]


class ApplicationFilterForm(forms.Form):
    """The filters of the applications list and the queue; a bad value in one is ignored, the others apply."""

    q = forms.CharField(label=_("Search by reference or applicant's name"), required=False, max_length=100,
                        validators=[no_control_characters],
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    due_soon = forms.BooleanField(label=_("Due within 7 days"), required=False)
    measure = forms.ChoiceField(label=_("Measure"), required=False,
                                choices=[*_any(_("All measures")), *LargeMeasure.choices])
    route = forms.ChoiceField(label=_("Route"), required=False, choices=[*_any(_("Both routes")), *Route.choices])

    def __init__(self, *args, statuses=None, **kwargs):
        super().__init__(*args, **kwargs)
        shown = statuses or Application.Status.values
        self.fields["status"].choices = [*_any(_("All statuses")),
                                         *((value, Application.Status(value).label) for value in shown)]

    def criteria(self) -> dict:
        """The valid filters that were given."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items()
                if value not in ("", None, False) and name not in self.errors}


class ActForm(forms.Form):
    """An act on an application: the version the page showed goes with it, so a stale page is told so."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def full_clean(self):
        super().full_clean()
        if self.is_bound and "version" in self._errors:
            # A hidden field's error means nothing next to it: said above the form instead.
            del self._errors["version"]
            self.add_error(None, _("This page is out of date or incomplete: reload it and try again."))

    def service_arguments(self) -> dict:
        """What the service gets besides the application, `by` and `version`."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


def _note(label, *, required=False, help_text="", rows=3):
    return forms.CharField(label=label, required=required, max_length=2000, help_text=help_text,
                           validators=[no_control_characters_multiline],
                           widget=forms.Textarea(attrs={"rows": rows}))


def _file(label, *, required: bool):
    """A document checked by its content here already (the service checks again), so its error is on its field."""
    return forms.FileField(label=label, required=required, help_text=DOCUMENT_HELP, validators=[checked_document],
                           widget=forms.FileInput(attrs={"accept": DOCUMENT_TYPES}))


class StartReviewForm(ActForm):
    pass


class RequestInfoForm(ActForm):
    message = _note(_("What information is needed"), required=True, rows=4,
                    help_text=_("Sent to the applicant and their community worker. The decision term is paused "
                                "until the information is provided."))


class ProvideInfoForm(ActForm):
    note = _note(_("What was provided"),
                 help_text=_("E.g. which documents were added or what the applicant answered. The decision term "
                             "runs again."))


class ExtendTermForm(ActForm):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, max_value=366,
                              help_text=_("Once only, by at most the decision term."),
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    reason = _note(_("Reason for the extension"), required=True)


class ApproveForm(ActForm):
    note = _note(_("Explanation (optional)"))


class RejectForm(ActForm):
    reasons = forms.MultipleChoiceField(label=_("Rules the household does not meet"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    note = _note(_("Explanation"), help_text=_("Required when no rule is ticked; it appears in the letter."), rows=4)

    def __init__(self, *args, grounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = [(ground["rule"], ground["reason"]) for ground in grounds]


class WithdrawForm(ActForm):
    confirm = forms.BooleanField(label=_("Yes, the applicant withdraws this application"), required=True,
                                 error_messages={"required": _("Confirm that the applicant withdraws it.")})
    note = _note(_("Note (optional)"))

    def service_arguments(self) -> dict:
        return {"note": self.cleaned_data["note"]}


class RequestPayoutForm(ActForm):
    invoice_amount = amount_field()
    iban = forms.CharField(label=_("IBAN"), max_length=42, validators=[no_control_characters],
                           help_text=_("The account the grant is paid to, e.g. NL91 ABNA 0417 1643 00."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    account_holder = forms.CharField(label=_("Account holder"), max_length=70, validators=[no_control_characters])
    invoice = _file(_("Invoice"), required=False)
    accepted_quote = _file(_("Accepted quote"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoice_amount"].label = _("Invoice amount (€)")

    def uploads(self) -> list[tuple[str, str, object]]:
        return payout_uploads(self)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"invoice_amount": data["invoice_amount"], "iban": data["iban"],
                "account_holder": data["account_holder"]}


class SetPayoutForm(ActForm):
    amount = amount_field(help_text=_("At most the grant and at most the invoice; the rest of the grant is "
                                      "released on the grants line."))
    note = _note(_("Note (optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].label = _("Payout (€)")


class AddDocumentForm(ActForm):
    kind = forms.ChoiceField(label=_("Kind of document"),
                             choices=[("", _("— choose —")),
                                      *((value, label) for value, label in Document.Kind.choices
                                        if value != Document.Kind.AREA_PHOTO)])
    file = _file(_("File"), required=True)


class DiyAreaCheckForm(ActForm):
    area_m2 = AmountField(label=_("Area seen (m²)"), min_value=Decimal("0.01"), max_value=MAX_AREA_M2,
                          max_digits=7, decimal_places=2,
                          help_text=_("The area you measured; it decides the DIY grant."))
    note = _note(_("Note (optional)"))
    photo = _file(_("Photo (optional)"), required=False)
