"""The visits as JSON (/api/v1/visits/): what comes in for each act, and a visit with its findings and evaluation.

The serializers check the shape of the input (types, choices, bounds, no unknown fields); `fieldwork.services`
checks what it means (the order of the visits, a moment not in the future, only the evaluation by phone, the
package's quantities), with the same sentences as the pages. A body naming a field a request does not have is
refused on that field (`accounts.api.RefusesUnknownFields`).
"""

import datetime

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api import RefusesUnknownFields
from accounts.errors import NotAllowed
from eligibility.codes import LargeMeasure
from fieldwork.models import DefectReport, Evaluation, IntakeFindings, Referral, Visit
from fieldwork.services import FINDINGS_FIELDS
from households.models import Household
from subsidy.package_api import InstalledPackageItemRequest
from subsidy.serializers import LARGEST_ID, HouseholdField

NOTES = {"required": False, "allow_blank": True, "max_length": 5000, "default": ""}
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


class Moment(serializers.DateTimeField):
    """A moment of the field work, from the year 2000 on (an earlier year is a typo); how far ahead it may be is the
    service's rule."""

    default_error_messages = {"too_early": _("Give a moment from the year 2000 on.")}

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if moment < EARLIEST:
            self.fail("too_early")
        return moment


DONE_AT = {"required": False, "help_text": _("When the visit was done; now when left out. Not in the future.")}
MODE = {"choices": Visit.Mode.choices, "error_messages": {"invalid_choice": _("Choose at home or by phone.")}}


# --- What comes in --------------------------------------------------------------------------------------------


class VisitPlanRequest(RefusesUnknownFields, serializers.Serializer):
    """The household's next visit: intake, installation, evaluation, in that order, with its handyman."""

    household = HouseholdField(help_text=_("The household's id (e.g. 42) or its reference (e.g. HIL-00042)."))
    planned_at = Moment(help_text=_("The date and time, e.g. 2022-05-03T10:00:00+02:00."))
    kind = serializers.ChoiceField(
        choices=Visit.Kind.choices, required=False,
        error_messages={"invalid_choice": _("Choose intake, installation or evaluation.")},
        help_text=_("The next of intake, installation, evaluation when left out; another is refused."))
    mode = serializers.ChoiceField(**MODE, required=False, default=Visit.Mode.AT_HOME,
                                   help_text=_("Only the evaluation can be done by phone."))
    notes = serializers.CharField(**NOTES)

    def validate_household(self, household: Household) -> Household:
        # Not a field error: a household you may see but not plan for is refused (403) before the rest.
        if not self.context["request"].user.has_perm("fieldwork.plan_visit", household):
            raise NotAllowed(_("Only the household's handyman or the coordinator can plan its visits."))
        return household


class VisitRescheduleRequest(RefusesUnknownFields, serializers.Serializer):
    planned_at = Moment()
    mode = serializers.ChoiceField(**MODE, required=False, help_text=_("Unchanged when left out."))


class ReferralRequest(RefusesUnknownFields, serializers.Serializer):
    """A referral to a community worker, made with the intake."""

    community_worker = serializers.IntegerField(
        required=False, min_value=1, max_value=LARGEST_ID,
        help_text=_("The community worker's user id; the household's own when left out."))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="",
                                   help_text=_("What the household needs help with (required)."))


class DefectRequest(RefusesUnknownFields, serializers.Serializer):
    """A defect report to the housing corporation of a rented home, made with the intake."""

    description = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="",
                                        help_text=_("What is wrong with the home (required)."))
    sent_on = serializers.DateField(required=False, help_text=_("Today when left out; not in the future."))


class VisitIntakeRequest(RefusesUnknownFields, serializers.ModelSerializer):
    """Visit 1: the dwelling's findings and the advice, and a referral and a defect report when needed."""

    done_at = Moment(**DONE_AT)
    notes = serializers.CharField(**NOTES)
    referral = ReferralRequest(required=False)
    defect = DefectRequest(required=False)

    class Meta:
        model = IntakeFindings
        fields = [*FINDINGS_FIELDS, "done_at", "notes", "referral", "defect"]
        extra_kwargs = {"advised_measure": {"error_messages": {
            "invalid_choice": _("Choose a large measure from the list.")}}}

    def arguments(self) -> dict:
        """The keyword arguments of `fieldwork.services.record_intake` (besides the visit)."""
        data = self.validated_data
        return {"findings": {name: value for name, value in data.items() if name in FINDINGS_FIELDS},
                "done_at": data.get("done_at"), "notes": data["notes"],
                "referral": data.get("referral"), "defect": data.get("defect")}


class VisitInstallationRequest(RefusesUnknownFields, serializers.Serializer):
    """Visit 2: the approved package's products as really installed."""

    items = InstalledPackageItemRequest(
        many=True, max_length=50,
        help_text=_("What was really installed: each product of the approved package at most once, at most the "
                    "number approved; a product left out was not installed."))
    done_at = Moment(**DONE_AT)
    notes = serializers.CharField(**NOTES)
    package_version = serializers.IntegerField(
        required=False, min_value=1, max_value=LARGEST_ID,
        help_text=_("The version of the package you saw; when someone else changed it since, nothing is done "
                    "(409)."))

    def validate_items(self, items: list[dict]) -> list[dict]:
        if len({item["product"] for item in items}) != len(items):
            raise serializers.ValidationError(_("Each product once, with its quantity."))
        return items

    def arguments(self) -> dict:
        data = self.validated_data
        return {"quantities": {item["product"]: item["quantity"] for item in data["items"]},
                "done_at": data.get("done_at"), "notes": data["notes"],
                "package_version": data.get("package_version")}


EXPERIENCE = _("Give the experience as a number from 1 to 5.")


class VisitEvaluationRequest(RefusesUnknownFields, serializers.Serializer):
    """Visit 3: the resident's experience and which installed products are in use; closes the field work."""

    experience = serializers.IntegerField(
        min_value=1, max_value=5, help_text=_("From 1 (bad) to 5 (very good)."),
        error_messages={"invalid": EXPERIENCE, "min_value": EXPERIENCE, "max_value": EXPERIENCE,
                        "max_string_length": EXPERIENCE})
    in_use = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=LARGEST_ID), required=False, default=list,
        max_length=50, help_text=_("The ids of the installed products still in use."))
    remarks = serializers.CharField(**NOTES)
    mode = serializers.ChoiceField(**MODE, required=False,
                                   help_text=_("At home or by phone; as planned when left out."))
    done_at = Moment(**DONE_AT)
    notes = serializers.CharField(**NOTES)

    def arguments(self) -> dict:
        data = self.validated_data
        return {"experience": data["experience"], "in_use": data["in_use"], "remarks": data["remarks"],
                "mode": data.get("mode"), "done_at": data.get("done_at"), "notes": data["notes"]}


def _filter_choice(choices: list[str]) -> serializers.ChoiceField:
    """A list filter that refuses an unknown value (400 naming it and the allowed ones), not an empty list."""
    message = lazy(lambda: gettext("Unknown value “{input}”; choose from: %(allowed)s.")
                   % {"allowed": ", ".join(choices)}, str)()
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True,
                                   error_messages={"invalid_choice": message})


# The list's filters; `from` and `to` are Python words, hence declared by name.
VisitFilters = type("VisitFilters", (serializers.Serializer,), {
    "__module__": __name__,
    "household": serializers.IntegerField(required=False, min_value=1, max_value=LARGEST_ID,
                                          help_text=_("The household's id.")),
    "kind": _filter_choice(Visit.Kind.values),
    "done": serializers.BooleanField(required=False, allow_null=True,
                                     help_text=_("true: the visits done; false: those still planned.")),
    "from": serializers.DateField(required=False, help_text=_("Planned on this day or later.")),
    "to": serializers.DateField(required=False, help_text=_("Planned on this day or earlier.")),
})


# --- What goes out --------------------------------------------------------------------------------------------

USERNAME = {"slug_field": "username", "read_only": True}


class FindingsSerializer(serializers.ModelSerializer):
    advised_measure = serializers.ChoiceField(choices=LargeMeasure.choices, allow_blank=True, read_only=True,
                                              help_text=_("Empty when no large measure was advised."))

    class Meta:
        model = IntakeFindings
        fields = [*FINDINGS_FIELDS, "advice_figures"]
        read_only_fields = fields


class EvaluationSerializer(serializers.ModelSerializer):
    measures_in_use = serializers.ListField(
        child=serializers.DictField(), read_only=True,
        help_text=_("The installed products: [{product, name, in_use}]."))

    class Meta:
        model = Evaluation
        fields = ["experience", "measures_in_use", "remarks"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    community_worker = serializers.SlugRelatedField(**USERNAME)

    class Meta:
        model = Referral
        fields = ["id", "community_worker", "reason", "referred_at", "handled_at"]
        read_only_fields = fields


class DefectReportSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=DefectReport.Status.choices, read_only=True)

    class Meta:
        model = DefectReport
        fields = ["id", "housing_corporation", "description", "status", "sent_on", "acknowledged_on", "resolved_on"]
        read_only_fields = fields


class VisitSummarySerializer(serializers.ModelSerializer):
    """A visit in the list: which household, which visit, when."""

    url = serializers.HyperlinkedIdentityField(view_name="api-v1:visit-detail")
    household = serializers.PrimaryKeyRelatedField(read_only=True)
    household_reference = serializers.CharField(source="household.reference", read_only=True)
    number = serializers.IntegerField(read_only=True, help_text=_("1, 2 or 3: the visit's place in the order."))
    done = serializers.BooleanField(source="is_done", read_only=True)
    handyman = serializers.SlugRelatedField(**USERNAME)

    class Meta:
        model = Visit
        fields = ["id", "url", "household", "household_reference", "kind", "number", "planned_at", "mode", "done",
                  "done_at", "handyman", "created_at", "updated_at"]
        read_only_fields = fields


class VisitSerializer(VisitSummarySerializer):
    """One visit: its notes, the intake's findings and advice, the evaluation, and the referrals and defect reports
    made at it."""

    planned_by = serializers.SlugRelatedField(**USERNAME, allow_null=True)
    findings = serializers.SerializerMethodField(help_text=_("The intake's findings and advice; null until the "
                                                             "intake is recorded (and for the other visits)."))
    evaluation = serializers.SerializerMethodField(help_text=_("Null until the evaluation is recorded (and for the "
                                                               "other visits)."))
    referrals = ReferralSerializer(many=True, read_only=True)
    defect_reports = DefectReportSerializer(many=True, read_only=True)

    class Meta(VisitSummarySerializer.Meta):
        fields = [*VisitSummarySerializer.Meta.fields, "notes", "planned_by", "findings", "evaluation", "referrals",
                  "defect_reports"]
        read_only_fields = fields

    @extend_schema_field(FindingsSerializer(allow_null=True))
    def get_findings(self, visit) -> dict | None:
        findings = getattr(visit, "findings", None)
        return None if findings is None else FindingsSerializer(findings).data

    @extend_schema_field(EvaluationSerializer(allow_null=True))
    def get_evaluation(self, visit) -> dict | None:
        evaluation = getattr(visit, "evaluation", None)
        return None if evaluation is None else EvaluationSerializer(evaluation).data
