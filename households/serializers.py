"""The household as JSON (/api/v1/households/): its dwelling nested, amounts as strings, Dutch field errors.

The serializers only check the fields; `households.services` registers and changes households, with the
same rules and audit trail as the pages.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api import SlugRelatedField
from budget.models import Programme
from households.forms import REFERENCE_FORMAT
from households.models import Dwelling, Household
from households.services import DWELLING_FIELDS, HOUSEHOLD_FIELDS
from households.validators import normalise_postcode


class BoundedModelSerializer(serializers.ModelSerializer):
    """The model fields' bounds (households.models) with their own Dutch messages, as on the pages.

    DRF turns a model's MinValueValidator/MaxValueValidator into min_value/max_value and drops its message.
    """

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        for validator in model_field.validators:
            for kind, key in ((MinValueValidator, "min_value"), (MaxValueValidator, "max_value")):
                if isinstance(validator, kind) and validator.message is not kind.message and key in kwargs:
                    message = validator.message % {"limit_value": validator.limit_value}
                    kwargs.setdefault("error_messages", {}).setdefault(key, message)
        return field_class, kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        messages = {**kwargs.get("error_messages", {}), **extra_kwargs.get("error_messages", {})}
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if messages and not kwargs.get("read_only"):
            kwargs["error_messages"] = messages
        return kwargs


class DwellingSerializer(BoundedModelSerializer):
    class Meta:
        model = Dwelling
        fields = list(DWELLING_FIELDS)
        extra_kwargs = {
            "energy_label": {"error_messages": {
                "invalid_choice": _("Choose an energy label from A++++ to G, or unknown.")}},
            "floor_area_m2": {"error_messages": {
                "invalid": _("Enter the floor area in m², e.g. 84.5."),
                "min_value": _("The floor area must be more than 0 m²."),
            }},
            "build_year": {"error_messages": {"invalid": _("Enter a build year, e.g. 1965.")}},
        }

    def validate_postcode(self, value: str) -> str:
        return normalise_postcode(value)


class HouseholdSerializer(BoundedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:household-detail")
    programme = SlugRelatedField(slug_field="slug", queryset=Programme.objects.all(),
                                             help_text=_("The programme's code, e.g. hilversum-2022."))
    reference = serializers.CharField(
        required=False, allow_blank=True, max_length=20,
        help_text=_("Leave empty to get the next number; fill in only to keep a number given earlier (e.g. on paper)."),
    )
    # Null until someone is assigned (the schema says so: allow_null makes them nullable).
    handyman = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True,
                                            help_text=_("The assigned energy handyman's username; null while none is."))
    community_worker = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True,
        help_text=_("The assigned community worker's username; null while none is."))
    dwelling = DwellingSerializer()

    class Meta:
        model = Household
        fields = ["id", "url", "programme", "reference", *HOUSEHOLD_FIELDS, "status", "handyman", "community_worker",
                  "dwelling", "created_at", "updated_at"]
        read_only_fields = ["status", "created_at", "updated_at"]
        validators: list = []  # a duplicate reference is refused by the service, as an error on `reference`
        extra_kwargs = {
            "net_monthly_income": {"error_messages": {
                "invalid": _("Enter the income as an amount in euros, e.g. 1250.00."),
                "min_value": _("The income cannot be negative."),
            }},
        }

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # Programme and reference are fixed once the household is registered.
            fields["programme"].read_only = True
            fields["reference"].read_only = True
        return fields

    def validate_reference(self, value: str) -> str:
        value = value.strip().upper()
        if value and not REFERENCE_FORMAT.match(value):
            raise serializers.ValidationError(
                _("A reference consists of capital letters, digits and hyphens, e.g. HIL-00042."))
        return value
