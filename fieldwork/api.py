"""The visits under /api/v1/visits/ (issue 12, item 10; DOMAIN.md, "The three visits").

GET  visits/                      the visits you may see, by planned moment (filters: `household`, `kind`, `done`,
                                  `from`, `to`), paginated
POST visits/                      plan a household's next visit (intake, installation, evaluation, in that order)
GET  visits/{id}/                 one visit with the intake's findings and advice, the evaluation, and the referrals
                                  and defect reports made at it
POST visits/{id}/reschedule/      move a visit not done yet
POST visits/{id}/intake/          visit 1: the findings and the advice; a referral and a defect report when needed
POST visits/{id}/installation/    visit 2: the approved package's products as installed (booked on the products line)
POST visits/{id}/evaluation/      visit 3: the resident's experience and the products in use

Session or token authentication, the same scoping as the household register: handymen see the visits of the
households assigned to them, community workers those of the households they help, assessors, finance officers and
the coordinator all of them. Planning and recording is for the household's handyman and the coordinator. A visit
of a household you may not see is 404; an act your role may not do is 403; recording a visit that is done already,
or as another kind of visit, is 409; bad input is a 400 naming the field (an installed product's refusal on its
item of `items`; a referral's or defect report's under `referral` or `defect`), never a 500. Every act goes through
`fieldwork.services`, which checks the role, the order of the visits and the moment again under the visit's lock.
"""

import datetime
from contextlib import contextmanager

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.api import act_route, filters_from
from accounts.errors import Conflict, NotAllowed, Refused
from accounts.roles import is_coordinator, is_handyman
from fieldwork import services
from fieldwork.models import Visit
from fieldwork.serializers import (
    VisitEvaluationRequest,
    VisitFilters,
    VisitInstallationRequest,
    VisitIntakeRequest,
    VisitPlanRequest,
    VisitRescheduleRequest,
    VisitSerializer,
    VisitSummarySerializer,
)
from households.selectors import of_households_visible_to
from households.viewlog import log_household_page
from subsidy.package_api import refusals_on_items

Kind = Visit.Kind

# The roles whose members may plan visits at all (`fieldwork.plan_visit` then asks whether they may for this
# household: the coordinator for any, a handyman for the households assigned to him).
may_plan_visits = is_coordinator | is_handyman

# The fields of a referral and of a defect report made with the intake, as `fieldwork.services` names them.
FOLLOW_UP_FIELDS = {"referral": {"community_worker", "reason"}, "defect": {"description", "sent_on"}}


def visits_visible_to(user):
    """The visits `user` may see (the list-level twin of `fieldwork.view_visit`)."""
    return of_households_visible_to(user, Visit.objects.with_household())


def visits_planned_between(visits, start: datetime.date | None, end: datetime.date | None):
    """The visits planned from the day `start` to the day `end`, both included (either may be open; the first and
    the last day there is are no bound)."""
    if start is not None and start > datetime.date.min:
        visits = visits.filter(planned_at__gte=timezone.make_aware(datetime.datetime.combine(start, datetime.time())))
    if end is not None and end < datetime.date.max:
        day_after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time())
        visits = visits.filter(planned_at__lt=timezone.make_aware(day_after))
    return visits


@contextmanager
def follow_ups_nested():
    """A refusal of the referral or defect report made with the intake answered under `referral` or `defect`."""
    try:
        yield
    except Refused as refused:
        parent = next((key for key, fields in FOLLOW_UP_FIELDS.items() if refused.field in fields), None)
        if parent is None:
            raise
        raise serializers.ValidationError({parent: {refused.field: [str(refused.message)]}}) from None


class VisitAccess(BasePermission):
    """Listing needs a login (the list is scoped); planning the role; one visit must be one you may see."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if view.action == "create":
            return may_plan_visits(user)
        return True

    def has_object_permission(self, request, view, visit) -> bool:
        return request.user.has_perm("fieldwork.view_visit", visit)


BAD_INPUT = OpenApiResponse(description="Bad input, or a condition of the act not met (the visits' order, a moment "
                                        "in the future, the package's quantities): the body names each field that "
                                        "is wrong.")
FORBIDDEN = OpenApiResponse(description="Not logged in, or your role may not do this (for this household).")
NOT_FOUND = OpenApiResponse(description="No visit with this id that you may see.")
CONFLICT = OpenApiResponse(description="The visit is done already, or is another kind of visit; or someone else "
                                       "changed the package since the `package_version` you sent. Nothing was "
                                       "changed.")

# act → (request body, service, summary). The body's `arguments()` are the service's keyword arguments.
RECORDINGS = {
    Kind.INTAKE: (VisitIntakeRequest, services.record_intake,
                  "Record the intake (visit 1): the dwelling's findings and the advice; a label found updates the "
                  "dwelling and reassesses the household"),
    Kind.INSTALLATION: (VisitInstallationRequest, services.record_installation,
                        "Record the installation (visit 2): the approved package's products as really installed; "
                        "spent on the products line, the rest released"),
    Kind.EVALUATION: (VisitEvaluationRequest, services.record_evaluation,
                      "Record the evaluation (visit 3): the resident's experience and the products in use"),
}


def _recording(kind: str):
    return act_route(kind, acts=RECORDINGS, prefix="visits", handler="record",
                     responses={200: VisitSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND,
                                409: CONFLICT})


@extend_schema_view(
    list=extend_schema(summary="The visits you may see", parameters=[VisitFilters],
                       responses={200: VisitSummarySerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN,
                                  404: OpenApiResponse(description="A page number past the last page.")}),
    create=extend_schema(summary="Plan a household's next visit", request=VisitPlanRequest,
                         responses={201: VisitSerializer, 400: BAD_INPUT, 403: FORBIDDEN,
                                    409: OpenApiResponse(description="All three visits are planned already, or the "
                                                                     "household is not active.")}),
    retrieve=extend_schema(summary="One visit with its findings, advice and evaluation",
                           responses={200: VisitSerializer, 403: FORBIDDEN, 404: NOT_FOUND}),
)
@extend_schema(tags=["visits"])
class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = VisitSerializer
    permission_classes = [VisitAccess]
    queryset = Visit.objects.none()  # for the schema; the real one depends on the user

    def get_queryset(self):
        visits = visits_visible_to(self.request.user)
        if self.action == "retrieve":
            return self._with_details(visits)
        if self.action != "list":
            return visits
        wanted = filters_from(self.request, VisitFilters)
        if wanted.get("household"):
            visits = visits.filter(household_id=wanted["household"])
        if wanted.get("kind"):
            visits = visits.filter(kind=wanted["kind"])
        if wanted.get("done") is not None:
            visits = visits.done() if wanted["done"] else visits.planned()
        return visits_planned_between(visits, wanted.get("from"), wanted.get("to")).order_by("planned_at", "pk")

    def get_serializer_class(self):
        return VisitSummarySerializer if self.action == "list" else VisitSerializer

    def retrieve(self, request, *args, **kwargs):
        """One visit; the look is in the household's view log (docs/security.md, "Who looked")."""
        visit = self.get_object()
        log_household_page(request, visit.household, detail=str(visit.pk))
        return Response(self.get_serializer(visit).data)

    @staticmethod
    def _with_details(visits):
        return visits.select_related("planned_by", "findings", "evaluation").prefetch_related(
            "referrals__community_worker", "defect_reports")

    def _answer(self, visit: Visit, *, status_code=status.HTTP_200_OK) -> Response:
        """The visit as `retrieve` gives it, read afresh after an act."""
        visit = self._with_details(visits_visible_to(self.request.user)).get(pk=visit.pk)
        return Response(VisitSerializer(visit, context=self.get_serializer_context()).data, status=status_code)

    def create(self, request, *args, **kwargs):
        # The household is checked first: one you may see but not plan for is a 403 before the other fields' 400.
        incoming = VisitPlanRequest(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        visit = services.plan_visit(incoming.validated_data.pop("household"), by=request.user,
                                    **incoming.validated_data)
        return self._answer(visit, status_code=status.HTTP_201_CREATED)

    def _recordable(self, request) -> Visit:
        """The visit, if you see it (404) and may record it (403)."""
        visit = self.get_object()
        if not request.user.has_perm("fieldwork.record_visit", visit):
            raise NotAllowed()
        return visit

    @extend_schema(operation_id="visits_reschedule", summary="Move a visit that is not done yet",
                   request=VisitRescheduleRequest,
                   responses={200: VisitSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: OpenApiResponse(description="The visit is done; it cannot be moved.")})
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        visit = self._recordable(request)
        if visit.is_done:
            raise Conflict(_("This visit is done; it cannot be moved."))
        incoming = VisitRescheduleRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        visit = services.reschedule_visit(visit, by=request.user, **incoming.validated_data)
        return self._answer(visit)

    def record(self, request, kind: str, request_serializer, service) -> Response:
        """Recording a visit: 404 unless you see it, 403 unless you may record it, 409 unless it is this kind of
        visit and not done yet, then the body (400) and the service (the order of the visits, the moment, the
        package's quantities)."""
        visit = self._recordable(request)
        if visit.kind != kind:
            raise Conflict(_("This is not the %(kind)s.") % {"kind": Kind(kind).label.lower()})
        if visit.is_done:
            raise Conflict(_("This visit has been recorded already."))
        incoming = request_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        arguments = incoming.arguments()
        with refusals_on_items(incoming.validated_data.get("items", []), key="quantity"), follow_ups_nested():
            visit = service(visit, by=request.user, **arguments)
        return self._answer(visit)

    intake = _recording(Kind.INTAKE)
    installation = _recording(Kind.INSTALLATION)
    evaluation = _recording(Kind.EVALUATION)


router = SimpleRouter()
router.register("visits", VisitViewSet, basename="visit")

urlpatterns = router.urls
