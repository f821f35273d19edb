"""Staff pages of large-measure applications: the list, the assessor's queue, an application's page and its acts.

An application whose household is not the user's answers 404 (its existence is not revealed); one they may see
but not act on answers 403. Each act is a POST form on the application's page carrying the version the page
showed: the view calls one service; a refusal comes back on the form's fields, a conflict ("someone else changed
this application") as a message at the top with nothing changed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from accounts.audit import history_of
from accounts.downloads import attachment_response
from accounts.errors import Conflict, Refused
from accounts.models import ViewLog
from accounts.templatetags.people import person
from eligibility.codes import Tier
from households.rules import sees_every_household_role
from households.viewlog import log_household_page
from subsidy import deadlines, forms, letters, selectors, services
from subsidy.models import Application, DecisionLetter, Route
from subsidy.rules import TRANSITION_PERMISSIONS

S = Application.Status
PAGE_SIZE = 25

EVENT_LABELS = {
    "application.opened": pgettext_lazy("application event", "application opened"),
    "application.draft_changed": pgettext_lazy("application event", "draft changed"),
    "application.submit": pgettext_lazy("application event", "submitted"),
    "application.start_review": pgettext_lazy("application event", "review started"),
    "application.request_info": pgettext_lazy("application event", "information requested"),
    "application.provide_info": pgettext_lazy("application event", "information provided"),
    "application.approve": pgettext_lazy("application event", "approved"),
    "application.reject": pgettext_lazy("application event", "rejected"),
    "application.withdraw": pgettext_lazy("application event", "withdrawn"),
    "application.lapse": pgettext_lazy("application event", "lapsed"),
    "application.request_payout": pgettext_lazy("application event", "payout requested"),
    "application.set_payout": pgettext_lazy("application event", "payout set"),
    "application.mark_paid": pgettext_lazy("application event", "payment recorded"),
    "application.document_added": pgettext_lazy("application event", "document added"),
    "application.term_extended": pgettext_lazy("application event", "decision term extended"),
    "application.area_checked": pgettext_lazy("application event", "DIY area checked"),
}


# --- Finding the application ---------------------------------------------------------------------------


def _visible_application(request: HttpRequest, pk: int) -> Application:
    """The application if the user may see it; 404 otherwise (its existence is not revealed)."""
    application = get_object_or_404(selectors.applications_visible_to(request.user).select_related(
        "assessment", "diy_checked_by", "decided_by", "payout_set_by", "paid_by"), pk=pk)
    if not request.user.has_perm("subsidy.view_application", application):
        raise Http404
    return application


def _status_label(code: str) -> str:
    try:
        return str(S(code).label)
    except ValueError:
        return code or ""


# --- The list and the queue -----------------------------------------------------------------------------


def _listing(request: HttpRequest, applications, *, statuses=None) -> dict:
    """Filters, counts per state (one query), and the page of rows (one query, plus the count)."""
    today = timezone.localdate()
    filters = forms.ApplicationFilterForm(request.GET or None, statuses=statuses)
    criteria = filters.criteria()
    page = Paginator(selectors.search_applications(applications, today=today, **criteria),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    counts = selectors.application_counts(applications, today)
    shown = statuses or S.values
    return {
        "filters": filters,
        "filtered": bool(criteria),
        "page_obj": page,
        "applications": selectors.with_urgency(page.object_list, today),
        "querystring": params.urlencode(),
        "counts": counts,
        "state_counts": [{"status": status, "label": S(status).label, "count": counts["by_status"][status]}
                         for status in shown],
    }


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    """Every application the user may see, filtered; the ones awaiting a decision first, by deadline."""
    if not request.user.has_perm("subsidy.list_applications"):
        raise PermissionDenied
    context = _listing(request, selectors.applications_visible_to(request.user))
    return render(request, "subsidy/list.html", {
        **context, "may_see_queue": request.user.has_perm("subsidy.view_queue")})


@login_required
def application_queue(request: HttpRequest) -> HttpResponse:
    """The assessor's queue: submitted, in review and information requested, by deadline."""
    if not request.user.has_perm("subsidy.view_queue"):
        raise PermissionDenied
    applications = selectors.queue(selectors.applications_visible_to(request.user))
    return render(request, "subsidy/queue.html", _listing(request, applications,
                                                          statuses=list(Application.AWAITING_DECISION)))


# --- The acts -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Act:
    name: str
    title: str
    button: str
    done: str
    form: type[forms.ActForm]
    permission: str
    possible: Callable[[Application], bool]
    perform: Callable
    danger: bool = False
    form_kwargs: Callable[[Application], dict] = field(default=lambda application: {})


def _transition(name: str) -> Callable[[Application], bool]:
    return lambda application: can_proceed(getattr(application, name))


def _call(service) -> Callable:
    def perform(application, *, by, form):
        return service(application, by=by, version=form.cleaned_data["version"], **form.service_arguments())
    return perform


def _add_document(application, *, by, form):
    data = form.cleaned_data
    return services.add_document(application, by=by, kind=data["kind"], file=data["file"], version=data["version"])


def _request_payout(application, *, by, form):
    """The invoice and the accepted quote uploaded with the request: all or nothing (the service)."""
    return services.request_payout(application, by=by, version=form.cleaned_data["version"],
                                   uploads=[services.Upload(kind, file, name) for name, kind, file in form.uploads()],
                                   **form.service_arguments())


def _check_area(application, *, by, form):
    data = form.cleaned_data
    return services.check_diy_area(application, by=by, area_m2=data["area_m2"], note=data["note"],
                                   photo=data.get("photo") or None, version=data["version"])


def _may_check_area(application: Application) -> bool:
    return application.route == Route.DIY and application.status in (S.DRAFT, *Application.AWAITING_DECISION)


ACTS = {act.name: act for act in [
    Act("start_review", gettext_lazy("Start the review"), gettext_lazy("Start the review"),
        gettext_lazy("The review has started."), forms.StartReviewForm, TRANSITION_PERMISSIONS["start_review"],
        _transition("start_review"), _call(services.start_review)),
    Act("approve", gettext_lazy("Approve"), gettext_lazy("Approve and commit the grant"),
        gettext_lazy("The application is approved; the grant is committed and the letter is being prepared."),
        forms.ApproveForm, TRANSITION_PERMISSIONS["approve"], _transition("approve"), _call(services.approve)),
    Act("reject", gettext_lazy("Reject"), gettext_lazy("Reject the application"),
        gettext_lazy("The application is rejected; the letter is being prepared."), forms.RejectForm,
        TRANSITION_PERMISSIONS["reject"], _transition("reject"), _call(services.reject), danger=True,
        form_kwargs=lambda application: {"grounds": services.rejection_grounds(application)}),
    Act("request_info", gettext_lazy("Request information"), gettext_lazy("Request information"),
        gettext_lazy("The information is requested; the decision term is paused."), forms.RequestInfoForm,
        TRANSITION_PERMISSIONS["request_info"], _transition("request_info"), _call(services.request_info)),
    Act("provide_info", gettext_lazy("Information provided"), gettext_lazy("Record that the information is in"),
        gettext_lazy("The information is recorded; the decision term runs again."), forms.ProvideInfoForm,
        TRANSITION_PERMISSIONS["provide_info"], _transition("provide_info"), _call(services.provide_info)),
    Act("extend_term", gettext_lazy("Extend the decision term"), gettext_lazy("Extend the term"),
        gettext_lazy("The decision term is extended."), forms.ExtendTermForm, "subsidy.review_application",
        lambda application: application.is_awaiting_decision and not application.extended_days,
        _call(services.extend_term)),
    Act("request_payout", gettext_lazy("Request the payout"), gettext_lazy("Request the payout"),
        gettext_lazy("The payout is requested."), forms.RequestPayoutForm, TRANSITION_PERMISSIONS["request_payout"],
        _transition("request_payout"), _request_payout),
    Act("set_payout", gettext_lazy("Set the payout"), gettext_lazy("Set the payout"),
        gettext_lazy("The payout is set; finance can pay it."), forms.SetPayoutForm,
        TRANSITION_PERMISSIONS["set_payout"], _transition("set_payout"), _call(services.set_payout)),
    Act("check_diy_area", gettext_lazy("Check the DIY area"), gettext_lazy("Record the area check"),
        gettext_lazy("The area check is recorded."), forms.DiyAreaCheckForm, "subsidy.check_diy_area",
        _may_check_area, _check_area),
    Act("add_document", gettext_lazy("Add a document"), gettext_lazy("Add the document"),
        gettext_lazy("The document is added."), forms.AddDocumentForm, "subsidy.upload_document",
        lambda application: application.status in services.OPEN_FOR_DOCUMENTS, _add_document),
    Act("withdraw", gettext_lazy("Withdraw on the applicant's behalf"), gettext_lazy("Withdraw the application"),
        gettext_lazy("The application is withdrawn."), forms.WithdrawForm, TRANSITION_PERMISSIONS["withdraw"],
        _transition("withdraw"), _call(services.withdraw), danger=True),
]}


def _put_error(form: forms.ActForm, error: Refused) -> None:
    """A service's refusal on the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


@login_required
@require_POST
def application_act(request: HttpRequest, pk: int, act: str) -> HttpResponse:
    application = _visible_application(request, pk)
    action = ACTS[act]
    if not request.user.has_perm(action.permission, application):
        raise PermissionDenied(action.permission)
    if not action.possible(application):
        seen = request.POST.get(f"{action.name}-version", "")
        return _conflict(request, application, str(services.SOMEONE_ELSE) if seen != str(application.version) else
                         _("This cannot be done while the application is “%(status)s”.")
                         % {"status": application.get_status_display()})
    form = action.form(request.POST, request.FILES, prefix=action.name, **action.form_kwargs(application))
    if form.is_valid():
        try:
            action.perform(application, by=request.user, form=form)
        except Refused as error:
            _put_error(form, error)
        except Conflict as error:
            message = str(error)  # in the user's language: the services' sentences are translated when shown
            return _conflict(request, _visible_application(request, pk), message)
        else:
            messages.success(request, str(action.done))
            return redirect("subsidy:application", pk=application.pk)
    return render(request, "subsidy/application.html", application_context(request, application, bound=form,
                                                                           bound_act=action.name))


def _conflict(request: HttpRequest, application: Application, message: str) -> HttpResponse:
    """Nothing changed: the page again as it is now, its forms fresh, the reason at the top (409)."""
    return render(request, "subsidy/application.html", application_context(request, application, conflict=message),
                  status=409)


# --- The application's page -----------------------------------------------------------------------------


def _acts(request: HttpRequest, application: Application, bound=None, bound_act: str = "") -> list[dict]:
    """The acts this user may do in the application's current state, each with its form."""
    shown = []
    for action in ACTS.values():
        if not (request.user.has_perm(action.permission, application) and action.possible(application)):
            continue
        form = bound if action.name == bound_act else action.form(
            prefix=action.name, initial={"version": application.version}, **action.form_kwargs(application))
        shown.append({"name": action.name, "title": action.title, "button": action.button, "form": form,
                      "url": reverse(f"subsidy:act_{action.name}", args=[application.pk]),
                      "danger": action.danger, "open": action.name == bound_act})
    by_name = {act["name"]: act for act in shown}
    if "approve" in by_name:
        by_name["approve"]["problems"] = services.approval_problems(application)
    return shown


def _timeline(application: Application) -> list[dict]:
    entries = []
    for event in history_of(application):
        data = event.data or {}
        by = data.get("by")
        who = _("the applicant") if by == "applicant" else _("the system") if by == "system" else person(event.actor)
        before, after = data.get("from_status", ""), data.get("to_status", "")
        moved = before != after  # an act that changed the state: from → to
        entries.append({
            "at": event.at, "who": who, "label": EVENT_LABELS.get(event.action, event.action),
            "from": _status_label(before) if moved else "", "to": _status_label(after) if moved else "",
            "note": event.note, "data": data, "action": event.action.removeprefix("application."),
        })
    return entries


def _tiers(application: Application) -> list[dict]:
    """The stored assessment's tiers, the large tier first (it decides this application)."""
    if application.assessment is None:
        return []
    tiers = list(application.assessment.tiers)
    return sorted(tiers, key=lambda tier: tier["tier"] != Tier.LARGE)


def application_context(request: HttpRequest, application: Application, *, bound=None, bound_act: str = "",
                        conflict: str = "") -> dict:
    user = request.user
    if application.is_awaiting_decision:
        application.urgency = deadlines.urgency(application.decision_due_on, timezone.localdate())
    context = {
        "application": application,
        "household": application.household,
        "dwelling": getattr(application.household, "dwelling", None),
        "calculation": application.calculation or {},
        "tiers": _tiers(application),
        "documents": list(application.documents.select_related("uploaded_by")),
        "letters": list(application.letters.all()),
        "letter_ready": DecisionLetter.Status.READY,
        "timeline": _timeline(application),
        "acts": _acts(request, application, bound, bound_act),
        "conflict": conflict,
        "may_see_household": user.has_perm("households.view_household", application.household),
        # Recording the payment is finance's page (subsidy.views.payments), reached from here too.
        "pay_url": (reverse("subsidy:mark_paid", args=[application.pk])
                    if application.status == S.PAYOUT_SET and user.has_perm("subsidy.pay_application", application)
                    else ""),
    }
    if sees_every_household_role(user):
        context["grants_line"] = services.grants_line(application.programme)
    return context


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    log_household_page(request, application.household, detail=application.reference)
    return render(request, "subsidy/application.html", application_context(request, application))


@login_required
def application_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    document = get_object_or_404(application.documents, pk=document_pk)
    log_household_page(request, application.household, detail=f"{document.pk} ({document.kind})",
                       kind=ViewLog.Kind.DOCUMENT)
    return attachment_response(document.file, filename=document.original_name, content_type=document.content_type)


@login_required
def application_letter(request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    letter = get_object_or_404(application.letters.exclude(file=""), pk=letter_pk, status=DecisionLetter.Status.READY)
    log_household_page(request, application.household, detail=f"{letter.pk} ({letter.kind})", kind=ViewLog.Kind.LETTER)
    return attachment_response(letter.file, filename=letters.file_name(letter), content_type="application/pdf")


urlpatterns = [
    path("applications/", application_list, name="list"),
    path("applications/queue/", application_queue, name="queue"),
    path("applications/<int:pk>/", application_detail, name="application"),
    path("applications/<int:pk>/documents/<int:document_pk>/", application_document, name="document"),
    path("applications/<int:pk>/letters/<int:letter_pk>/", application_letter, name="letter"),
    *(path(f"applications/<int:pk>/{name.replace('_', '-')}/", application_act, {"act": name}, name=f"act_{name}")
      for name in ACTS),
]


# --- The household page's section (registered in subsidy.apps) ------------------------------------------


def household_section(request: HttpRequest, household) -> dict | None:
    """The household's applications, and the way to fill in a new one for whom may."""
    if not request.user.has_perm("households.view_household", household):
        return None
    apply_url = None
    if request.user.has_perm("subsidy.apply_for_household", household):
        try:
            apply_url = reverse("subsidy:apply_for_household", args=[household.pk])
        except NoReverseMatch:  # the application form's page is built separately
            apply_url = None
    return {"applications": list(selectors.applications_of_household(household)), "apply_url": apply_url}
