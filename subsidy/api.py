"""The large-measure application under /api/v1/applications/ (issue 11; DESIGN.md, "The large-measure application:
states").

GET  applications/                   the applications you may see, newest first (filter: `status`), paginated
POST applications/                   a draft for a household you help: the answers of the application form
GET  applications/{id}/              one application: answers, term, decision, payout, documents and timeline
POST applications/{id}/documents/    add a document (multipart: `kind`, `file`)
POST applications/{id}/{act}/        submit, start_review, request_info, provide_info, approve, reject, withdraw,
                                     request_payout, set_payout, mark_paid; each answers the application after it

Session or token authentication, the same scoping as the pages: an application of a household you may not see is
404; an act your role may not do is 403 (so is recording the payment of a payout you set: four eyes); an act the
application's state does not allow is 409, and so is a `version` that someone else changed meanwhile; bad input is
a 400 naming the field, never a 500. Every act goes through `subsidy.services`, which checks the role and the state
again under the application's row lock; the checks here only answer in that order before reading the body.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django_fsm import can_proceed
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.api import act_route, filters_from
from accounts.errors import Conflict, NotAllowed
from accounts.roles import ensure_may, is_community_worker, is_coordinator
from households.viewlog import log_household_list, log_household_page
from subsidy import services
from subsidy.models import Application
from subsidy.package_api import PackageViewSet, ProductViewSet
from subsidy.rules import TRANSITION_PERMISSIONS
from subsidy.selectors import applications_visible_to
from subsidy.serializers import (
    ApplicationCreateSerializer,
    ApplicationSerializer,
    ApplicationSummarySerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    MarkPaidRequest,
    NoteRequest,
    RejectRequest,
    RequestInfoRequest,
    RequestPayoutRequest,
    SetPayoutRequest,
    VersionRequest,
)

# The roles whose members may apply for a household at all (`subsidy.apply_for_household` then asks whether they
# may for this one: the coordinator for any, a community worker for the households they help).
may_apply_for_households = is_coordinator | is_community_worker


class ApplicationAccess(BasePermission):
    """Listing needs a login (the list is scoped); applying the role; one application must be one you may see."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if view.action == "create":
            return may_apply_for_households(user)
        return user.has_perm("subsidy.list_applications")

    def has_object_permission(self, request, view, application) -> bool:
        return request.user.has_perm("subsidy.view_application", application)


class ApplicationFilters(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Application.Status.choices, required=False, allow_blank=True,
        error_messages={"invalid_choice": lazy(lambda: _("Unknown value “{input}”; choose from: %(allowed)s.")
                                               % {"allowed": ", ".join(Application.Status.values)}, str)()})


BAD_INPUT = OpenApiResponse(description="Bad input, or a condition of the act not met: the body names each field "
                                        "that is wrong (`non_field_errors` for the application as a whole).")
FORBIDDEN = OpenApiResponse(description="Not logged in, or your role may not do this (to this application).")
NOT_FOUND = OpenApiResponse(description="No application with this id that you may see.")
CONFLICT = OpenApiResponse(description="Not allowed in the application's current state, or someone else changed "
                                       "the application since the `version` you sent; nothing was changed.")

# act → (request body, service, summary). The body's fields are the service's keyword arguments.
ACTS = {
    "submit": (VersionRequest, services.submit_application,
               "Submit a draft: the grant is calculated, the household assessed, the decision term starts"),
    "start_review": (VersionRequest, services.start_review, "Start reviewing a submitted application"),
    "request_info": (RequestInfoRequest, services.request_info,
                     "Ask the applicant for information; the decision term is suspended"),
    "provide_info": (NoteRequest, services.provide_info,
                     "The information is there; the decision term runs again, moved by the pause"),
    "approve": (NoteRequest, services.approve,
                "Grant the application; the grant is committed on the grants budget line"),
    "reject": (RejectRequest, services.reject, "Reject the application, with reasons and/or a note"),
    "withdraw": (NoteRequest, services.withdraw,
                 "Withdraw the application on the applicant's behalf; a commitment is released"),
    "request_payout": (RequestPayoutRequest, services.request_payout,
                       "Ask for the payout after the works (the invoice and accepted quote must be added first)"),
    "set_payout": (SetPayoutRequest, services.set_payout,
                   "Fix the payout: at most the grant and the invoice; the rest is released"),
    "mark_paid": (MarkPaidRequest, services.mark_paid,
                  "Record the payment; the commitment becomes expenditure (not by who set the payout)"),
}


def _transition(act: str):
    return act_route(act, acts=ACTS, prefix="applications", handler="act",
                     responses={200: ApplicationSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND,
                                409: CONFLICT})


@extend_schema_view(
    list=extend_schema(summary="The applications you may see", parameters=[ApplicationFilters],
                       responses={200: ApplicationSummarySerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN,
                                  404: OpenApiResponse(description="A page number past the last page.")}),
    create=extend_schema(summary="Open a draft application for a household", request=ApplicationCreateSerializer,
                         responses={201: ApplicationSerializer, 400: BAD_INPUT, 403: FORBIDDEN}),
    retrieve=extend_schema(summary="One application with its documents and timeline",
                           responses={200: ApplicationSerializer, 403: FORBIDDEN, 404: NOT_FOUND}),
)
@extend_schema(tags=["applications"])
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ApplicationSerializer
    permission_classes = [ApplicationAccess]
    queryset = Application.objects.none()  # for the schema; the real one depends on the user

    def get_queryset(self):
        applications = applications_visible_to(self.request.user)
        if self.action == "retrieve":
            return self._with_details(applications)
        if self.action != "list":
            return applications
        wanted = filters_from(self.request, ApplicationFilters)
        if wanted.get("status"):
            applications = applications.filter(status=wanted["status"])
        return applications

    def get_serializer_class(self):
        return ApplicationSummarySerializer if self.action == "list" else ApplicationSerializer

    def paginate_queryset(self, queryset):
        """The list's page; it names each applicant, so each household on it is in its view log, in one INSERT
        (docs/security.md, "Who looked")."""
        page = super().paginate_queryset(queryset)
        log_household_list(self.request, (application.household for application in page))
        return page

    def retrieve(self, request, *args, **kwargs):
        """One application; the look is in the household's view log (docs/security.md, "Who looked")."""
        application = self.get_object()
        log_household_page(request, application.household, detail=application.reference)
        return Response(self.get_serializer(application).data)

    @staticmethod
    def _with_details(applications):
        return (applications.select_related("decided_by", "payout_set_by", "paid_by", "privacy_statement")
                .prefetch_related("documents"))

    def _answer(self, application: Application, *, status_code=status.HTTP_200_OK) -> Response:
        """The application as `retrieve` gives it, read afresh after an act."""
        application = self._with_details(applications_visible_to(self.request.user)).get(pk=application.pk)
        return Response(ApplicationSerializer(application, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        # The household is checked first: a household you may not apply for is a 403 before any answer's 400.
        incoming = ApplicationCreateSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        application = services.open_application(incoming.validated_data["household"], by=request.user,
                                                 answers=incoming.answers())
        return self._answer(application, status_code=status.HTTP_201_CREATED)

    @extend_schema(operation_id="applications_documents_create", summary="Add a document to an application",
                   request={"multipart/form-data": DocumentUploadSerializer},
                   responses={201: DocumentSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: OpenApiResponse(description="Documents cannot be added in this state.")})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None):
        application = self.get_object()
        ensure_may(request.user, "subsidy.upload_document", application)  # before the file is read
        incoming = DocumentUploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        document = services.add_document(application, by=request.user, **incoming.validated_data)
        return Response(DocumentSerializer(document, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def act(self, request, act: str, request_serializer, service) -> Response:
        """A transition: 404 unless you see it, 403 unless your role may, 409 unless its state allows, then the
        body (400) and the service (its own refusals: a stale version, four eyes, the act's conditions)."""
        application = self.get_object()
        if not request.user.has_perm(TRANSITION_PERMISSIONS[act], application):
            raise NotAllowed()
        if not can_proceed(getattr(application, act)):
            raise Conflict(_("This cannot be done while the application is “%(status)s”.")
                           % {"status": application.get_status_display()})
        incoming = request_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        application = service(application, by=request.user, **incoming.validated_data)
        return self._answer(application)

    submit = _transition("submit")
    start_review = _transition("start_review")
    request_info = _transition("request_info")
    provide_info = _transition("provide_info")
    approve = _transition("approve")
    reject = _transition("reject")
    withdraw = _transition("withdraw")
    request_payout = _transition("request_payout")
    set_payout = _transition("set_payout")
    mark_paid = _transition("mark_paid")


router = SimpleRouter()
router.register("applications", ApplicationViewSet, basename="application")
router.register("packages", PackageViewSet, basename="package")
router.register("products", ProductViewSet, basename="product")

urlpatterns = router.urls
