"""The large-measure application as JSON (/api/v1/applications/): amounts as strings, Dutch field errors.

The serializers check the shape of the input (types, choices, lengths); `subsidy.services` checks what it means
(`check_answers`: a quote of zero, three decimals, a tenant; the documents; each act's conditions), with the same
sentences as the pages. Amounts and areas are read as text and checked by the services, so a bad amount gets the
pages' sentence on its field.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.audit import history_of
from accounts.errors import NotAllowed
from accounts.models import AuditEvent
from accounts.text import no_control_characters_multiline
from budget.models import AMOUNT
from eligibility.codes import HouseholdType, LargeMeasure
from households.models import Household
from households.selectors import households_visible_to
from subsidy.models import Application, Document, IncomeProof, Route

LARGEST_ID = 2**63 - 1
NOTE = {"required": False, "allow_blank": True, "max_length": 5000, "default": "",
        "validators": [no_control_characters_multiline]}


def _choice(choices, message, **kwargs) -> serializers.ChoiceField:
    """A choice whose refusal is the pages' sentence (the service's own, for the same field)."""
    return serializers.ChoiceField(choices=choices, error_messages={"invalid_choice": message}, **kwargs)


@extend_schema_field({"type": "string", "format": "decimal", "example": "4200.00"})
class DecimalText(serializers.CharField):
    """An amount or area as text ("4200.00"; a JSON number is read as its text): the service checks it."""

    def __init__(self, **kwargs):
        super().__init__(max_length=30, trim_whitespace=True, **kwargs)


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class HouseholdField(serializers.Field):
    """The household by its id (42) or its reference (HIL-00042), among the households the user may see."""

    default_error_messages = {
        "not_found": _("No household with this id or reference that you may see."),
        "ambiguous": _("Several households have this reference; give the household's id."),
    }

    def to_internal_value(self, data) -> Household:
        households = households_visible_to(self.context["request"].user)
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("not_found")
        text = str(data).strip()
        if not text or "\x00" in text or len(text) > 20:
            self.fail("not_found")
        if text.isdecimal():
            found = list(households.filter(pk=int(text))[:1]) if 0 < int(text) <= LARGEST_ID else []
        else:
            found = list(households.filter(reference=text.upper())[:2])
        if len(found) > 1:
            self.fail("ambiguous")
        if not found:
            self.fail("not_found")
        return found[0]

    def to_representation(self, household) -> int:
        return household.pk


class ApplicationCreateSerializer(serializers.Serializer):
    """A draft application for a household: the answers of the application form."""

    household = HouseholdField(help_text=_("The household's id (e.g. 42) or its reference (e.g. HIL-00042)."))
    applicant_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254, default="")
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    owner_occupier = serializers.BooleanField(
        help_text=_("Does the applicant own the home and live in it? The large grant is for owner-occupiers only."))
    measure = _choice(LargeMeasure.choices, _("Choose the measure."))
    route = _choice(Route.choices, _("Choose a contractor or do it yourself."))
    quote_amount = DecimalText(required=False, allow_null=True, allow_blank=True,
                               help_text=_("Contractor route: the quote in euros, e.g. 4200.00."))
    diy_area_m2 = DecimalText(required=False, allow_null=True, allow_blank=True,
                              help_text=_("DIY route: the area to insulate in m², e.g. 70 or 70.5."))
    household_type = _choice(HouseholdType.choices, _("Choose the household type."))
    net_monthly_income = DecimalText(required=False, allow_null=True, allow_blank=True,
                                     help_text=_("Net monthly income in euros; needed with income details."))
    income_proof = _choice(IncomeProof.choices, _("Choose how you show your income."))
    declaration_true = serializers.BooleanField(
        required=False, default=False, help_text=_("The applicant declares everything was filled in truthfully."))
    privacy_statement_version = serializers.CharField(
        required=False, allow_blank=True, max_length=20, default="",
        help_text=_("The version of the privacy statement the applicant consented to (the programme's current "
                    "one); needed to submit."))

    def validate_household(self, household: Household) -> Household:
        # Not a field error: a household you may see but not apply for is refused (403) before the answers.
        if not self.context["request"].user.has_perm("subsidy.apply_for_household", household):
            raise NotAllowed(_("Only the household's community worker or the coordinator can apply for it."))
        return household

    def answers(self) -> dict:
        """The answers for `subsidy.services.open_application` (everything but the household)."""
        return {name: value for name, value in self.validated_data.items() if name != "household"}


class VersionRequest(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=LARGEST_ID,
        help_text=_("The version you saw; when someone else changed the application since, nothing is done "
                    "(409)."))


class RequestInfoRequest(VersionRequest):
    message = serializers.CharField(max_length=5000, validators=[no_control_characters_multiline],
                                    help_text=_("What information is needed, for the applicant."))


class NoteRequest(VersionRequest):
    note = serializers.CharField(**NOTE)


class RejectRequest(NoteRequest):
    reasons = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, default=list, max_length=50,
        help_text=_("The rules the household does not meet (the failed verdicts of the assessment at submission); "
                    "give reasons, a note, or both."))


class RequestPayoutRequest(VersionRequest):
    invoice_amount = DecimalText(help_text=_("The invoice in euros, e.g. 3950.00."))
    iban = serializers.CharField(max_length=50, help_text=_("The account to pay to, e.g. NL91 ABNA 0417 1643 00."))
    account_holder = serializers.CharField(max_length=200)


class SetPayoutRequest(NoteRequest):
    amount = DecimalText(help_text=_("The payout in euros: at most the grant and at most the invoice."))


class MarkPaidRequest(VersionRequest):
    paid_on = serializers.DateField(error_messages={"invalid": _("Enter the payment date as YYYY-MM-DD.")},
                                    help_text=_("The day it was paid; not in the future."))
    iban = serializers.CharField(max_length=50, help_text=_("The account it was paid to."))


class DocumentUploadSerializer(serializers.Serializer):
    kind = _choice(Document.Kind.choices, _("Choose the kind of document."))
    file = serializers.FileField(allow_empty_file=True, use_url=False,
                                 help_text=_("PDF, JPEG or PNG (recognised by its content), at most 10 MB."))


class DocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    url = serializers.SerializerMethodField(help_text=_("Where staff download it (an attachment)."))

    class Meta:
        model = Document
        fields = ["id", "kind", "name", "content_type", "size", "uploaded_at", "url"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, document) -> str:
        path = reverse("subsidy:document", kwargs={"pk": document.application_id, "document_pk": document.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class EventSerializer(serializers.ModelSerializer):
    """One step of the timeline: who did what when, and the state before and after."""

    from_status = serializers.SerializerMethodField()
    to_status = serializers.SerializerMethodField()
    by = serializers.SerializerMethodField(help_text=_("staff, applicant (through the status link) or system."))
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True,
                                         help_text=_("The staff member's username; null for the applicant or "
                                                     "the system."))

    class Meta:
        model = AuditEvent
        fields = ["at", "action", "from_status", "to_status", "by", "actor", "note"]
        read_only_fields = fields

    def get_from_status(self, event) -> str:
        return event.data.get("from_status", "")

    def get_to_status(self, event) -> str:
        return event.data.get("to_status", "")

    def get_by(self, event) -> str:
        return event.data.get("by", "staff" if event.actor_id else "system")


AMOUNT_OUT = {**AMOUNT, "read_only": True, "allow_null": True}


class ApplicationSummarySerializer(serializers.ModelSerializer):
    """An application in the list: who, what, where it stands."""

    url = serializers.HyperlinkedIdentityField(view_name="api-v1:application-detail")
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    household = serializers.PrimaryKeyRelatedField(read_only=True)
    household_reference = serializers.CharField(source="household.reference", read_only=True)
    requested_grant = serializers.DecimalField(**AMOUNT_OUT)
    granted_amount = serializers.DecimalField(**AMOUNT_OUT)

    class Meta:
        model = Application
        fields = ["id", "url", "reference", "programme", "household", "household_reference", "status", "version",
                  "applicant_name", "measure", "route", "requested_grant", "granted_amount", "submitted_at",
                  "decision_due_on", "created_at", "updated_at"]
        read_only_fields = fields


class ApplicationSerializer(ApplicationSummarySerializer):
    """One application: the answers, the term, the decision, the payout, its documents and its timeline."""

    quote_amount = serializers.DecimalField(**AMOUNT_OUT)
    invoice_amount = serializers.DecimalField(**AMOUNT_OUT)
    payout_amount = serializers.DecimalField(**AMOUNT_OUT)
    calculation = serializers.SerializerMethodField(
        help_text=_("The grant's calculation at submission or decision: route, grant, lines [{label, amount}], "
                    "notes, warnings, parameters; empty for a draft."))
    rejection_reasons = serializers.SerializerMethodField()
    privacy_statement_version = serializers.SerializerMethodField(
        help_text=_("The version of the privacy statement the applicant consented to; empty before consent."))
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    payout_set_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    paid_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    helped_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    documents = DocumentSerializer(many=True, read_only=True)
    timeline = serializers.SerializerMethodField(help_text=_("The events, newest first."))

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [
            *ApplicationSummarySerializer.Meta.fields,
            "email", "phone", "owner_occupier", "quote_amount", "diy_area_m2", "household_type",
            "net_monthly_income", "income_proof", "declaration_true", "privacy_statement_version", "helped_by",
            "diy_area_checked_m2", "calculation", "term_days", "suspended_since", "suspended_days",
            "extended_days", "extension_reason", "info_requested", "decided_at", "decided_by", "decision_note",
            "rejection_reasons", "payout_requested_at", "invoice_amount", "iban", "account_holder",
            "payout_amount", "payout_set_by", "paid_on", "paid_by", "documents", "timeline",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "additionalProperties": True})
    def get_calculation(self, application) -> dict:
        return application.calculation or {}

    def get_privacy_statement_version(self, application) -> str:
        return application.privacy_statement.version if application.privacy_statement_id else ""

    @extend_schema_field({"type": "array", "items": {
        "type": "object", "properties": {"rule": {"type": "string"}, "reason": {"type": "string"}}}})
    def get_rejection_reasons(self, application) -> list:
        return application.rejection_reasons or []

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, application) -> list:
        return EventSerializer(history_of(application), many=True).data
