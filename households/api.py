"""The household register under /api/v1/households/: list, register, retrieve, update (dwelling nested).

Session or token authentication (`manage.py drf_create_token USERNAME`; header `Authorization: Token …`).
The same scoping as the pages: a household you may not see is 404, one you may see but not change
is 403. Bad input is a 400 that names each field (dwelling fields nested under `dwelling`), never a 500.
"""

from functools import partial

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.api import filters_from
from households import services
from households.models import EnergyLabel, Household, Tenure
from households.selectors import SORTS, HouseholdPaginator, households_visible_to, search_households
from households.serializers import HouseholdSerializer
from households.viewlog import log_household_list, log_household_page


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


def _filter(choices: list[str], **kwargs) -> serializers.ChoiceField:
    """A list filter that refuses an unknown value (400 naming it and the allowed ones), not an empty list."""
    message = lazy(lambda: _("Unknown value “{input}”; choose from: %(allowed)s.") % {"allowed": ", ".join(choices)},
                   str)()
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True,
                                   error_messages={"invalid_choice": message}, **kwargs)


class HouseholdFilters(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200,
                              help_text="Search in name, reference, postcode and street.")
    status = _filter(Household.Status.values)
    tenure = _filter(Tenure.values)
    label = _filter(EnergyLabel.values, help_text="Energy label of the dwelling.")
    sort = _filter([key for name in SORTS for key in (name, f"-{name}")])


class HouseholdPagination(PageNumberPagination):
    django_paginator_class = HouseholdPaginator  # a page's rows joined after they are chosen

    def paginate_queryset(self, queryset, request, view=None):
        searched = bool(request.query_params.get("q", "").strip())  # a search is counted with its page
        self.django_paginator_class = partial(HouseholdPaginator, count_with_page=searched)
        return super().paginate_queryset(queryset, request, view)


BAD_INPUT = OpenApiResponse(description="Bad input: the body names each field that is wrong "
                                        "(dwelling fields nested under `dwelling`).")
FORBIDDEN = OpenApiResponse(description="Not logged in, or the role may not do this (or change this household).")
NOT_FOUND = OpenApiResponse(description="No household with this id that you may see.")


@extend_schema_view(
    list=extend_schema(summary="The households you may see", parameters=[HouseholdFilters],
                       responses={200: HouseholdSerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN,
                                  404: OpenApiResponse(description="A page number past the last page.")}),
    create=extend_schema(summary="Register a household with its dwelling",
                         responses={201: HouseholdSerializer, 400: BAD_INPUT, 403: FORBIDDEN}),
    retrieve=extend_schema(summary="One household with its dwelling",
                           responses={200: HouseholdSerializer, 403: FORBIDDEN, 404: NOT_FOUND}),
    update=extend_schema(summary="Change a household and its dwelling",
                         responses={200: HouseholdSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND}),
    partial_update=extend_schema(summary="Change some fields of a household or its dwelling",
                                 responses={200: HouseholdSerializer, 400: BAD_INPUT, 403: FORBIDDEN,
                                            404: NOT_FOUND}),
)
@extend_schema(tags=["households"])
class HouseholdViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                       mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = HouseholdSerializer
    permission_classes = [HouseholdAccess]
    pagination_class = HouseholdPagination
    queryset = Household.objects.none()  # for the schema; the real one depends on the user
    # A service's ValidationError names dwelling fields flat; the API nests them (accounts.api.exception_handler).
    nested_error_fields = {"dwelling": services.DWELLING_FIELDS}

    def get_queryset(self):
        households = households_visible_to(self.request.user)
        if self.action != "list":
            return households
        return search_households(households, **filters_from(self.request, HouseholdFilters))

    def paginate_queryset(self, queryset):
        """The list's page; each household on it is in its view log, in one INSERT (docs/security.md, "Who
        looked"): the list gives the whole household, as `retrieve` does."""
        page = super().paginate_queryset(queryset)
        log_household_list(self.request, page)
        return page

    def retrieve(self, request, *args, **kwargs):
        """One household; the look is in the household's view log (docs/security.md, "Who looked")."""
        household = self.get_object()
        log_household_page(request, household, detail="")
        return Response(self.get_serializer(household).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        dwelling = data.pop("dwelling")
        serializer.instance = services.register_household(
            programme=data.pop("programme"), by=self.request.user, household=data, dwelling=dwelling,
            reference=data.pop("reference", ""))

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        dwelling = data.pop("dwelling", {})
        serializer.instance = services.update_household(
            serializer.instance, by=self.request.user, household_changes=data, dwelling_changes=dwelling)
        serializer.instance = households_visible_to(self.request.user).get(pk=serializer.instance.pk)


router = SimpleRouter()
router.register("households", HouseholdViewSet, basename="household")

urlpatterns = router.urls
