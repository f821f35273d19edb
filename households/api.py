"""The household register under /api/v1/households/: list, register, retrieve, update (dwelling nested).

Session or token authentication (`manage.py drf_create_token USERNAME`; header `Authorization: Token …`).
The same scoping as the pages: a household you may not see is 404, one you may see but not change
is 403. Bad input is a 400 that names each field (dwelling fields nested under `dwelling`), never a 500.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.routers import SimpleRouter

from households import services
from households.models import EnergyLabel, Household, Tenure
from households.selectors import SORTS, households_visible_to, search_households
from households.serializers import HouseholdSerializer


class HouseholdAccess(BasePermission):
    """Listing and registering need the role; reading and changing one household need it to be yours."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if view.action == "create":
            return user.has_perm("households.add_household")
        return user.has_perm("households.list_households")

    def has_object_permission(self, request, view, household) -> bool:
        if request.method in SAFE_METHODS:
            return request.user.has_perm("households.view_household", household)
        return request.user.has_perm("households.change_household", household)


def api_errors(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's field errors as the API names them: dwelling fields nested under `dwelling`."""
    if not hasattr(error, "error_dict"):
        return serializers.ValidationError({"non_field_errors": error.messages})
    detail: dict = {}
    for field, errors in error.message_dict.items():
        if field in services.DWELLING_FIELDS:
            detail.setdefault("dwelling", {})[field] = errors
        else:
            detail["non_field_errors" if field == NON_FIELD_ERRORS else field] = errors
    return serializers.ValidationError(detail)


LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="Search in name, reference, postcode and street."),
    OpenApiParameter("status", str, enum=Household.Status.values),
    OpenApiParameter("tenure", str, enum=Tenure.values),
    OpenApiParameter("label", str, enum=EnergyLabel.values, description="Energy label of the dwelling."),
    OpenApiParameter("sort", str, enum=[key for name in SORTS for key in (name, f"-{name}")]),
]


@extend_schema_view(
    list=extend_schema(summary="The households you may see", parameters=LIST_PARAMETERS),
    create=extend_schema(summary="Register a household with its dwelling"),
    retrieve=extend_schema(summary="One household with its dwelling"),
    update=extend_schema(summary="Change a household and its dwelling"),
    partial_update=extend_schema(summary="Change some fields of a household or its dwelling"),
)
@extend_schema(tags=["households"])
class HouseholdViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                       mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = HouseholdSerializer
    permission_classes = [HouseholdAccess]
    queryset = Household.objects.none()  # for the schema; the real one depends on the user

    def get_queryset(self):
        households = households_visible_to(self.request.user)
        if self.action != "list":
            return households
        params = self.request.query_params
        criteria = {name: params.get(name, "") for name in ("q", "status", "tenure", "label", "sort")}
        if criteria["status"] not in Household.Status.values:
            criteria["status"] = ""
        return search_households(households, **criteria)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        dwelling = data.pop("dwelling")
        try:
            serializer.instance = services.register_household(
                programme=data.pop("programme"), by=self.request.user, household=data, dwelling=dwelling,
                reference=data.pop("reference", ""))
        except DjangoValidationError as error:
            raise api_errors(error) from error

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        dwelling = data.pop("dwelling", {})
        try:
            serializer.instance = services.update_household(
                serializer.instance, by=self.request.user, household_changes=data, dwelling_changes=dwelling)
        except DjangoValidationError as error:
            raise api_errors(error) from error
        serializer.instance = households_visible_to(self.request.user).get(pk=serializer.instance.pk)


router = SimpleRouter()
router.register("households", HouseholdViewSet, basename="household")

urlpatterns = router.urls
