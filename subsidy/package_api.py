"""The products package under /api/v1/packages/ and the catalogue under /api/v1/products/ (issue 12, item 10;
DESIGN.md, "The products package: states").

GET  packages/                      the packages you may see, newest first (filters: `status`, `household`), paginated
POST packages/                      propose products for a household you are the handyman of (or as coordinator):
                                    approved at once within what is left of the limit per dwelling, else waiting
                                    for the coordinator (`override_requested`)
GET  packages/{id}/                 one package: items, value, limit, received before, decision, installed values,
                                    timeline
POST packages/{id}/{act}/           approve_override, decline (the coordinator, with a reason), install (what was
                                    really installed), cancel (with a reason); each answers the package after it
GET  products/                      a programme's active catalogue with today's unit prices (`programme`: its code;
                                    the most recent programme when left out)

The same scoping and order of answers as the application API (subsidy.api): a package of a household you may not
see is 404; an act your role may not do is 403; an act the package's state does not allow is 409, and so is a
`version` someone else changed meanwhile; bad input is a 400 naming the field (a product's refusal on its item,
as DRF names an item's errors: `{"items": {"1": {"product": ["…"]}}}`), never a 500; so is a field a request does
not have. Every act goes through `subsidy.packages`, which checks the role, the state and the limit again under the
package's row lock and books on the products line.
"""

import re
from contextlib import contextmanager

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.api import RefusesUnknownFields, act_route, filters_from
from accounts.audit import history_of
from accounts.errors import Conflict, NotAllowed, Refused
from accounts.roles import is_coordinator, is_handyman
from budget.models import AMOUNT
from budget.views import programme_asked_for
from households.models import Household
from households.selectors import of_households_visible_to
from households.viewlog import log_household_page
from subsidy import packages
from subsidy.models import MAX_QUANTITY, Package, PackageItem, Product
from subsidy.serializers import LARGEST_ID, EventSerializer, HouseholdField

# The roles whose members may propose packages at all (`subsidy.propose_package` then asks whether they may for this
# household: the coordinator for any, a handyman for the households assigned to him).
may_propose_packages = is_coordinator | is_handyman
MAX_ITEMS = 50  # products in one request: more than any catalogue has


def packages_visible_to(user):
    """The packages `user` may see (the list-level twin of `subsidy.view_package`)."""
    return of_households_visible_to(user, Package.objects.with_list_details().select_related("programme"))


@contextmanager
def refusals_on_items(items: list[dict], *, key: str):
    """A service's refusal of one product (on the field `quantity_<product id>`, as the pages name it) answered on
    that product's item of the request's `items`, under `key`, the way DRF answers an item's errors:
    `{"items": {"1": {"product": ["…"]}}}` (the second item's product)."""
    try:
        yield
    except Refused as refused:
        named = re.fullmatch(r"quantity_(\d+)", refused.field or "")
        position = next((index for index, item in enumerate(items)
                         if named and str(item["product"]) == named.group(1)), None)
        if position is None:
            raise
        raise serializers.ValidationError({"items": {position: {key: [str(refused.message)]}}}) from None


# --- What comes in --------------------------------------------------------------------------------------------


class PackageVersionRequest(RefusesUnknownFields, serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=LARGEST_ID,
        help_text=gettext_lazy("The version of the package you saw; when someone else changed it since, nothing is "
                               "done (409)."))


class PackageItemRequest(RefusesUnknownFields, serializers.Serializer):
    """One product of the catalogue (its id) and how many."""

    product = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)


class InstalledPackageItemRequest(PackageItemRequest):
    """One product of the package and how many were really installed (at most the number approved)."""

    quantity = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY)


def _each_product_once(items: list[dict]) -> list[dict]:
    if len({item["product"] for item in items}) != len(items):
        raise serializers.ValidationError(_("Each product once, with its quantity."))
    return items


class PackageProposeRequest(RefusesUnknownFields, serializers.Serializer):
    """Products and quantities for a household; within what is left of its limit it is approved at once."""

    household = HouseholdField(help_text=gettext_lazy("The household's id (e.g. 42) or its reference "
                                                      "(e.g. HIL-00042)."))
    items = PackageItemRequest(many=True, max_length=MAX_ITEMS,
                        help_text=gettext_lazy("Each product of the programme's catalogue once, with its quantity."))
    motivation = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, default="",
        help_text=gettext_lazy("Why the dwelling needs more than the limit (for the coordinator)."))

    def validate_household(self, household: Household) -> Household:
        # Not a field error: a household you may see but not propose for is refused (403) before the items.
        if not self.context["request"].user.has_perm("subsidy.propose_package", household):
            raise NotAllowed(_("Only the household's handyman or the coordinator can propose products for it."))
        return household

    def validate_items(self, items: list[dict]) -> list[dict]:
        return _each_product_once(items)

    def arguments(self) -> dict:
        """The keyword arguments of `subsidy.packages.propose` (besides the household)."""
        return {"items": [(item["product"], item["quantity"]) for item in self.validated_data["items"]],
                "motivation": self.validated_data["motivation"]}


class PackageReasonRequest(PackageVersionRequest):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="",
                                   help_text=gettext_lazy("Required: the reason, recorded with the package."))

    def arguments(self) -> dict:
        return dict(self.validated_data)


class PackageInstallRequest(PackageVersionRequest):
    items = InstalledPackageItemRequest(
        many=True, max_length=MAX_ITEMS,
        help_text=gettext_lazy("What was really installed: each product of the package at most once, at most the "
                               "number approved; a product left out was not installed."))

    def validate_items(self, items: list[dict]) -> list[dict]:
        return _each_product_once(items)

    def arguments(self) -> dict:
        return {"quantities": {item["product"]: item["quantity"] for item in self.validated_data["items"]},
                "version": self.validated_data.get("version")}


class PackageFilters(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Package.Status.choices, required=False, allow_blank=True,
        error_messages={"invalid_choice": lazy(lambda: _("Unknown value “{input}”; choose from: %(allowed)s.")
                                               % {"allowed": ", ".join(Package.Status.values)}, str)()})
    household = serializers.IntegerField(required=False, min_value=1, max_value=LARGEST_ID,
                                         help_text=gettext_lazy("The household's id."))


class ProductFilters(serializers.Serializer):
    programme = serializers.SlugField(required=False, max_length=50,
                                      help_text=gettext_lazy("The programme's code; the most recent programme when "
                                                             "left out."))


# --- What goes out --------------------------------------------------------------------------------------------

AMOUNT_OUT = {**AMOUNT, "read_only": True}
USERNAME = {"slug_field": "username", "read_only": True, "allow_null": True}


class PackageItemSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="product.name", read_only=True)
    unit = serializers.CharField(source="product.unit", read_only=True)
    unit_price = serializers.DecimalField(**AMOUNT_OUT, help_text=gettext_lazy("The price on the day the package "
                                                                               "was proposed."))
    value = serializers.DecimalField(**AMOUNT_OUT)
    installed_value = serializers.DecimalField(**AMOUNT_OUT, allow_null=True)

    class Meta:
        model = PackageItem
        fields = ["product", "name", "tier", "unit", "unit_price", "quantity", "value", "installed_quantity",
                  "installed_value"]
        read_only_fields = fields


class PackageSummarySerializer(serializers.ModelSerializer):
    """A package in the list: whose, how much, where it stands."""

    url = serializers.HyperlinkedIdentityField(view_name="api-v1:package-detail")
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    household = serializers.PrimaryKeyRelatedField(read_only=True)
    household_reference = serializers.CharField(source="household.reference", read_only=True)
    value = serializers.DecimalField(**AMOUNT_OUT)
    limit = serializers.DecimalField(**AMOUNT_OUT)
    received_before = serializers.DecimalField(**AMOUNT_OUT)
    allowance = serializers.DecimalField(**AMOUNT_OUT, help_text=gettext_lazy(
        "What was left of the limit when it was proposed: the limit less what the dwelling had received."))
    above_limit = serializers.DecimalField(**AMOUNT_OUT)
    installed_value = serializers.DecimalField(**AMOUNT_OUT, allow_null=True)
    proposed_by = serializers.SlugRelatedField(**USERNAME)
    decided_by = serializers.SlugRelatedField(**USERNAME, help_text=gettext_lazy(
        "The coordinator who decided an override; null when approved at once within the limit."))

    class Meta:
        model = Package
        fields = ["id", "url", "programme", "household", "household_reference", "status", "version", "value",
                  "limit", "received_before", "allowance", "above_limit", "installed_value", "proposed_on",
                  "proposed_by", "decided_by", "created_at", "updated_at"]
        read_only_fields = fields


class PackageSerializer(PackageSummarySerializer):
    """One package: its items, the decision, what was installed and its timeline."""

    items = PackageItemSerializer(many=True, read_only=True)
    installed_by = serializers.SlugRelatedField(**USERNAME)
    timeline = serializers.SerializerMethodField(help_text=gettext_lazy("The events, newest first."))

    class Meta(PackageSummarySerializer.Meta):
        fields = [*PackageSummarySerializer.Meta.fields, "motivation", "items", "decided_at", "decision_reason",
                  "installed_at", "installed_by", "cancel_reason", "timeline"]
        read_only_fields = fields

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, package) -> list:
        return EventSerializer(history_of(package), many=True).data


class ProductSerializer(serializers.ModelSerializer):
    """A product of the catalogue with its unit price today (null before its first price)."""

    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    price = serializers.DecimalField(**AMOUNT_OUT, allow_null=True)

    class Meta:
        model = Product
        fields = ["id", "programme", "name", "tier", "unit", "price"]
        read_only_fields = fields


# --- The views ------------------------------------------------------------------------------------------------


class PackageAccess(BasePermission):
    """Listing needs a login (the list is scoped); proposing the role; one package must be one you may see."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if view.action == "create":
            return may_propose_packages(user)
        return True

    def has_object_permission(self, request, view, package) -> bool:
        return request.user.has_perm("subsidy.view_package", package)


BAD_INPUT = OpenApiResponse(description="Bad input, or a condition of the act not met: the body names each field "
                                        "that is wrong (a product's on its item of `items`).")
FORBIDDEN = OpenApiResponse(description="Not logged in, or your role may not do this (to this package).")
NOT_FOUND = OpenApiResponse(description="No package with this id that you may see.")
CONFLICT = OpenApiResponse(description="Not allowed in the package's current state, or someone else changed the "
                                       "package since the `version` you sent; nothing was changed.")

# act → (request body, service, summary). The body's `arguments()` are the service's keyword arguments.
ACTS = {
    "approve_override": (PackageReasonRequest, packages.approve_override,
                         "Approve a package above the limit per dwelling, with the reason; its value is committed"),
    "decline": (PackageReasonRequest, packages.decline,
                "Decline a package above the limit per dwelling, with the reason"),
    "install": (PackageInstallRequest, packages.install,
                "Record what was really installed: it is spent on the products line, the rest released"),
    "cancel": (PackageReasonRequest, packages.cancel,
               "Cancel a package that is not installed, with the reason; a commitment is released"),
}


def _transition(act: str):
    return act_route(act, acts=ACTS, prefix="packages", handler="act",
                     responses={200: PackageSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND,
                                409: CONFLICT})


@extend_schema_view(
    list=extend_schema(summary="The products packages you may see", parameters=[PackageFilters],
                       responses={200: PackageSummarySerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN,
                                  404: OpenApiResponse(description="A page number past the last page.")}),
    create=extend_schema(summary="Propose products for a household: approved at once within what is left of the "
                                 "limit per dwelling, else waiting for the coordinator",
                         request=PackageProposeRequest,
                         responses={201: PackageSerializer, 400: BAD_INPUT, 403: FORBIDDEN,
                                    409: OpenApiResponse(description="The dwelling already has a package that is "
                                                                     "not installed yet.")}),
    retrieve=extend_schema(summary="One products package with its items and timeline",
                           responses={200: PackageSerializer, 403: FORBIDDEN, 404: NOT_FOUND}),
)
@extend_schema(tags=["packages"])
class PackageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PackageSerializer
    permission_classes = [PackageAccess]
    queryset = Package.objects.none()  # for the schema; the real one depends on the user

    def get_queryset(self):
        visible = packages_visible_to(self.request.user)
        if self.action == "retrieve":
            return self._with_details(visible)
        if self.action != "list":
            return visible
        wanted = filters_from(self.request, PackageFilters)
        if wanted.get("status"):
            visible = visible.filter(status=wanted["status"])
        if wanted.get("household"):
            visible = visible.filter(household_id=wanted["household"])
        return visible

    def get_serializer_class(self):
        return PackageSummarySerializer if self.action == "list" else PackageSerializer

    def retrieve(self, request, *args, **kwargs):
        """One package; the look is in the household's view log (docs/security.md, "Who looked")."""
        package = self.get_object()
        log_household_page(request, package.household, detail=str(package.pk))
        return Response(self.get_serializer(package).data)

    @staticmethod
    def _with_details(visible):
        return visible.select_related("installed_by").prefetch_related("items__product")

    def _answer(self, package: Package, *, status_code=status.HTTP_200_OK) -> Response:
        """The package as `retrieve` gives it, read afresh after an act."""
        package = self._with_details(packages_visible_to(self.request.user)).get(pk=package.pk)
        return Response(PackageSerializer(package, context=self.get_serializer_context()).data, status=status_code)

    def create(self, request, *args, **kwargs):
        incoming = PackageProposeRequest(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        with refusals_on_items(incoming.validated_data["items"], key="product"):
            package = packages.propose(incoming.validated_data["household"], by=request.user,
                                       **incoming.arguments())
        return self._answer(package, status_code=status.HTTP_201_CREATED)

    def act(self, request, act: str, request_serializer, service) -> Response:
        """A transition: 404 unless you see it, 403 unless your role may, 409 unless its state allows, then the
        body (400) and the service (its own refusals: a stale version, the reason, the quantities)."""
        package = self.get_object()
        if not request.user.has_perm(packages.ACT_PERMISSIONS[act], package):
            raise NotAllowed()
        if not can_proceed(getattr(package, act)):
            raise Conflict(_("This cannot be done while the package is “%(status)s”.")
                           % {"status": package.get_status_display()})
        incoming = request_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        with refusals_on_items(incoming.validated_data.get("items", []), key="quantity"):
            package = service(package, by=request.user, **incoming.arguments())
        return self._answer(package)

    approve_override = _transition("approve_override")
    decline = _transition("decline")
    install = _transition("install")
    cancel = _transition("cancel")


@extend_schema_view(
    list=extend_schema(summary="A programme's active products with today's unit prices", parameters=[ProductFilters],
                       responses={200: ProductSerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN,
                                  404: OpenApiResponse(description="No programme with this code, or a page number "
                                                                   "past the last page.")}),
)
@extend_schema(tags=["packages"])
class ProductViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The catalogue a handyman proposes from (every logged-in user may read it)."""

    serializer_class = ProductSerializer
    queryset = Product.objects.none()  # for the schema; the real one depends on the programme

    def get_queryset(self):
        filters_from(self.request, ProductFilters)  # a bad value is a 400 before the programme is looked up
        programme = programme_asked_for(self.request)
        return packages.catalogue(programme).select_related("programme")
